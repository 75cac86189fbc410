//! Properties the evaluator and the parser must keep whatever the input.

use std::collections::BTreeSet;

use incloud_iam::{
    evaluate, parse_policy, policy_to_json, ConditionBlock, ConditionEntry, Context, Decision,
    Effect, Element, NamedPolicy, Operator, OperatorKind, Origin, Policy, PolicySet, PolicyStr,
    Principal, PrincipalElement, PrincipalType, PrincipalValue, Request, SetQualifier, Statement,
    StrPart, Version,
};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use serde_json::Value;

const A: &str = "111122223333";
const B: &str = "444455556666";

fn known(s: &str) -> PolicyStr {
    PolicyStr::known(s)
}

// ---- a small universe of requests and policies, so that statements often match ----

fn small_str(choices: &'static [&'static str]) -> impl Strategy<Value = PolicyStr> {
    prop_oneof![
        9 => proptest::sample::select(choices).prop_map(known),
        1 => Just(PolicyStr::Unknown("template value".into())),
    ]
}

fn small_element(choices: &'static [&'static str]) -> impl Strategy<Value = Element> {
    (any::<bool>(), vec(small_str(choices), 1..3)).prop_map(|(negated, values)| Element {
        negated: negated && values.len() < 2,
        values,
        origin: Origin::default(),
    })
}

fn small_principal() -> impl Strategy<Value = PrincipalElement> {
    let aws = proptest::sample::select(vec![
        "*",
        A,
        B,
        "arn:aws:iam::111122223333:root",
        "arn:aws:iam::111122223333:user/alice",
        "arn:aws:iam::111122223333:role/app",
        "arn:aws:sts::111122223333:assumed-role/app/s1",
        "arn:aws:iam::444455556666:user/bob",
    ]);
    let value = prop_oneof![
        1 => Just(PrincipalValue::Any),
        4 => vec(aws, 1..3).prop_map(|v| PrincipalValue::Map(vec![(PrincipalType::Aws, v.into_iter().map(known).collect())])),
        1 => Just(PrincipalValue::Map(vec![(PrincipalType::Service, vec![known("cloudtrail.amazonaws.com")])])),
    ];
    (value, proptest::bool::weighted(0.2)).prop_map(|(value, negated)| PrincipalElement {
        negated,
        value,
        origin: Origin::default(),
    })
}

fn small_condition() -> impl Strategy<Value = Vec<ConditionBlock>> {
    let block = |set, kind, key: &str, values: Vec<&str>| ConditionBlock {
        operator: Operator {
            set,
            kind,
            if_exists: false,
        },
        entries: vec![ConditionEntry {
            key: key.to_string(),
            values: values.into_iter().map(known).collect(),
            origin: Origin::default(),
        }],
        origin: Origin::default(),
    };
    prop_oneof![
        4 => Just(Vec::new()),
        1 => Just(vec![block(None, OperatorKind::StringEquals, "aws:username", vec!["alice"])]),
        1 => Just(vec![block(None, OperatorKind::Bool, "aws:SecureTransport", vec!["true"])]),
        1 => Just(vec![block(Some(SetQualifier::ForAllValues), OperatorKind::StringEquals, "aws:TagKeys", vec!["a"])]),
        1 => Just(vec![block(None, OperatorKind::NumericLessThan, "n", vec!["5"])]),
        1 => Just(vec![block(None, OperatorKind::Null, "aws:username", vec!["true"])]),
        1 => Just(vec![block(None, OperatorKind::StringNotLike, "aws:username", vec!["a*"])]),
    ]
}

const ACTIONS: &[&str] = &[
    "*",
    "s3:*",
    "s3:Get*",
    "s3:GetObject",
    "ec2:*",
    "s3:?utObject",
];
const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::b/*",
    "arn:aws:s3:::b/k",
    "arn:aws:s3:::*/x",
    "arn:aws:s3:::b/${aws:username}",
];

fn small_statement(with_principal: bool) -> impl Strategy<Value = Statement> {
    let principal = if with_principal {
        small_principal().prop_map(Some).boxed()
    } else {
        Just(None).boxed()
    };
    (
        // Mostly allows, so that a good share of requests end up allowed.
        prop_oneof![4 => Just(Effect::Allow), 1 => Just(Effect::Deny)],
        principal,
        small_element(ACTIONS),
        small_element(RESOURCES),
        small_condition(),
    )
        .prop_map(
            |(effect, principal, action, resource, condition)| Statement {
                sid: None,
                effect,
                principal,
                action: Some(action),
                resource: Some(resource),
                condition,
                origin: Origin::default(),
            },
        )
}

fn small_policy(with_principal: bool) -> impl Strategy<Value = Policy> {
    vec(small_statement(with_principal), 1..3).prop_map(|statements| Policy {
        version: Some(Version::V2012_10_17),
        id: None,
        statements,
        origin: Origin::default(),
    })
}

fn named(label: &str) -> impl Fn(Policy) -> NamedPolicy + '_ {
    move |policy| NamedPolicy {
        label: label.to_string(),
        policy,
    }
}

fn small_set() -> impl Strategy<Value = PolicySet> {
    (
        vec(small_policy(false).prop_map(named("identity")), 0..3),
        option::of(small_policy(true).prop_map(named("resource"))),
        any::<bool>(),
        option::weighted(0.3, small_policy(false).prop_map(named("boundary"))),
        vec(small_policy(false).prop_map(named("session")), 0..2),
        option::weighted(
            0.3,
            vec(vec(small_policy(false).prop_map(named("scp")), 1..2), 1..3),
        ),
        option::weighted(
            0.3,
            vec(vec(small_policy(true).prop_map(named("rcp")), 1..2), 1..3),
        ),
    )
        .prop_map(
            |(identity, resource, resource_policy_required, boundary, session, scps, rcps)| {
                PolicySet {
                    identity,
                    resource,
                    resource_policy_required,
                    boundary,
                    session,
                    scps: scps.unwrap_or_default(),
                    rcps: rcps.unwrap_or_default(),
                }
            },
        )
}

fn small_request() -> impl Strategy<Value = Request> {
    let principal = prop_oneof![
        Just(Principal::aws("arn:aws:iam::111122223333:user/alice")),
        Just(Principal::aws(
            "arn:aws:sts::111122223333:assumed-role/app/s1"
        )),
        Just(Principal::aws("arn:aws:iam::444455556666:user/bob")),
        Just(Principal::aws("arn:aws:iam::111122223333:root")),
        Just(Principal::Anonymous),
        Just(Principal::Service("cloudtrail.amazonaws.com".into())),
    ];
    (
        principal,
        proptest::sample::select(vec!["s3:GetObject", "s3:PutObject", "ec2:RunInstances"]),
        proptest::sample::select(vec![
            "arn:aws:s3:::b/k",
            "arn:aws:s3:::b/x",
            "arn:aws:s3:::b/alice",
            "*",
        ]),
        option::of(proptest::sample::select(vec![A, B])),
        (any::<bool>(), any::<bool>(), any::<bool>(), 0u8..10),
    )
        .prop_map(
            |(principal, action, resource, account, (user, tls, tags, n))| {
                let mut context = Context::new();
                if user {
                    context.push("aws:username", "alice");
                }
                context.push("aws:SecureTransport", tls.to_string());
                if tags {
                    context.insert("aws:TagKeys", vec!["a".into(), "b".into()]);
                }
                context.push("n", n.to_string());
                Request {
                    principal,
                    action: action.into(),
                    resource: resource.into(),
                    resource_account: account.map(str::to_string),
                    context,
                }
            },
        )
}

/// Every policy in the set, mutably, so a statement can be added to the `target`-th one.
fn policies_mut(set: &mut PolicySet) -> Vec<&mut Policy> {
    let mut out: Vec<&mut Policy> = Vec::new();
    out.extend(set.identity.iter_mut().map(|n| &mut n.policy));
    out.extend(set.resource.iter_mut().map(|n| &mut n.policy));
    out.extend(set.boundary.iter_mut().map(|n| &mut n.policy));
    out.extend(set.session.iter_mut().map(|n| &mut n.policy));
    out.extend(set.scps.iter_mut().flatten().map(|n| &mut n.policy));
    out.extend(set.rcps.iter_mut().flatten().map(|n| &mut n.policy));
    out
}

fn add_statement(set: &mut PolicySet, target: usize, mut stmt: Statement) -> bool {
    let mut policies = policies_mut(set);
    let count = policies.len();
    if count == 0 {
        return false;
    }
    let Some(policy) = policies.get_mut(target % count) else {
        return false;
    };
    // Resource and RCP statements carry a principal; the others must not.
    let needs_principal = policy
        .statements
        .first()
        .is_some_and(|s| s.principal.is_some());
    if needs_principal && stmt.principal.is_none() {
        stmt.principal = Some(PrincipalElement {
            negated: false,
            value: PrincipalValue::Any,
            origin: Origin::default(),
        });
    } else if !needs_principal {
        stmt.principal = None;
    }
    policy.statements.push(stmt);
    true
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn adding_a_deny_never_grants(
        set in small_set(),
        req in small_request(),
        stmt in small_statement(true),
        target in 0usize..16,
    ) {
        let before = evaluate(&set, &req);
        let mut more = set.clone();
        let stmt = Statement { effect: Effect::Deny, ..stmt };
        prop_assume!(add_statement(&mut more, target, stmt));
        let after = evaluate(&more, &req);
        for (b, a) in [(before.decision, after.decision), (permissive(&before), permissive(&after))] {
            prop_assert!(a == b || a == Decision::ExplicitlyDenied, "{:?} became {:?}", b, a);
        }
    }

    #[test]
    fn adding_an_allow_never_removes_access(
        set in small_set(),
        req in small_request(),
        stmt in small_statement(true),
        target in 0usize..16,
    ) {
        let before = evaluate(&set, &req);
        let mut more = set.clone();
        let stmt = Statement { effect: Effect::Allow, ..stmt };
        prop_assume!(add_statement(&mut more, target, stmt));
        let after = evaluate(&more, &req);
        for (b, a) in [(before.decision, after.decision), (permissive(&before), permissive(&after))] {
            let ok = a == b || (b == Decision::ImplicitlyDenied && a == Decision::Allowed);
            prop_assert!(ok, "{:?} became {:?}", b, a);
        }
    }

    #[test]
    fn unknowns_read_permissively_never_allow_less(set in small_set(), req in small_request()) {
        let eval = evaluate(&set, &req);
        let rank = |d: Decision| match d {
            Decision::ExplicitlyDenied => 0,
            Decision::ImplicitlyDenied => 1,
            Decision::Allowed => 2,
        };
        prop_assert!(rank(permissive(&eval)) >= rank(eval.decision));
    }

    #[test]
    fn serialize_then_parse_is_identity(policy in any_policy()) {
        let json = policy_to_json(&policy);
        let parsed = parse_policy(&json);
        prop_assert_eq!(parsed.as_ref(), Ok(&policy), "{}", json);
    }

    #[test]
    fn parse_serialize_parse_is_identity(value in any_json()) {
        // Never panics on any input; whatever parses comes back the same through the serializer.
        if let Ok(policy) = parse_policy(&value) {
            let again = parse_policy(&policy_to_json(&policy));
            prop_assert_eq!(again, Ok(policy));
        }
    }

    #[test]
    fn evaluating_arbitrary_policies_never_panics(policy in any_policy(), req in small_request()) {
        let named = NamedPolicy { label: "p".into(), policy };
        let set = PolicySet {
            identity: vec![named.clone()],
            resource: Some(named.clone()),
            boundary: Some(named.clone()),
            session: vec![named.clone()],
            scps: vec![vec![named.clone()]],
            rcps: vec![vec![named]],
            resource_policy_required: true,
        };
        let _ = evaluate(&set, &req);
    }
}

fn permissive(eval: &incloud_iam::Evaluation) -> Decision {
    eval.if_unknowns_permit
        .as_ref()
        .map_or(eval.decision, |e| e.decision)
}

// ---- arbitrary policies for the round trip ----

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-zA-Z0-9:/*?${}.-]{0,12}",
        1 => "\\PC{0,8}",
    ]
}

fn any_policy_str() -> impl Strategy<Value = PolicyStr> {
    let part = prop_oneof![
        any_text().prop_map(StrPart::Lit),
        any_text().prop_map(StrPart::Unknown),
    ];
    prop_oneof![
        6 => any_text().prop_map(PolicyStr::Known),
        1 => any_text().prop_map(PolicyStr::Unknown),
        1 => vec(part, 0..4).prop_map(PolicyStr::Partial),
    ]
}

fn any_element() -> impl Strategy<Value = Element> {
    (any::<bool>(), vec(any_policy_str(), 0..3)).prop_map(|(negated, values)| Element {
        negated,
        values,
        origin: Origin::default(),
    })
}

fn any_principal() -> impl Strategy<Value = PrincipalElement> {
    let ty = proptest::sample::select(vec![
        PrincipalType::Aws,
        PrincipalType::Service,
        PrincipalType::Federated,
        PrincipalType::CanonicalUser,
    ]);
    let map = vec((ty, vec(any_policy_str(), 0..3)), 0..4).prop_map(|entries| {
        let mut seen = BTreeSet::new();
        PrincipalValue::Map(
            entries
                .into_iter()
                .filter(|(ty, _)| seen.insert(ty.as_str()))
                .collect(),
        )
    });
    (
        any::<bool>(),
        prop_oneof![1 => Just(PrincipalValue::Any), 3 => map],
    )
        .prop_map(|(negated, value)| PrincipalElement {
            negated,
            value,
            origin: Origin::default(),
        })
}

fn any_operator() -> impl Strategy<Value = Operator> {
    (
        proptest::sample::select(OperatorKind::ALL.to_vec()),
        proptest::sample::select(vec![
            None,
            Some(SetQualifier::ForAllValues),
            Some(SetQualifier::ForAnyValue),
        ]),
        any::<bool>(),
    )
        .prop_map(|(kind, set, if_exists)| Operator {
            set,
            kind,
            if_exists: if_exists && kind != OperatorKind::Null,
        })
}

fn any_condition() -> impl Strategy<Value = Vec<ConditionBlock>> {
    let block = (
        any_operator(),
        vec((any_text(), vec(any_policy_str(), 0..3)), 1..3),
    )
        .prop_map(|(operator, entries)| {
            let mut seen = BTreeSet::new();
            let entries = entries
                .into_iter()
                .filter(|(key, _)| seen.insert(key.clone()))
                .map(|(key, values)| ConditionEntry {
                    key,
                    values: if operator.kind == OperatorKind::Null {
                        // Null takes only true or false.
                        values
                            .iter()
                            .enumerate()
                            .map(|(i, _)| known(if i % 2 == 0 { "true" } else { "false" }))
                            .collect()
                    } else {
                        values
                    },
                    origin: Origin::default(),
                })
                .collect();
            ConditionBlock {
                operator,
                entries,
                origin: Origin::default(),
            }
        });
    vec(block, 0..3).prop_map(|blocks| {
        let mut seen = BTreeSet::new();
        blocks
            .into_iter()
            .filter(|b| seen.insert(b.operator.name()))
            .collect()
    })
}

fn any_statement() -> impl Strategy<Value = Statement> {
    (
        option::of(any_text()),
        prop_oneof![Just(Effect::Allow), Just(Effect::Deny)],
        option::of(any_principal()),
        option::of(any_element()),
        option::of(any_element()),
        any_condition(),
    )
        .prop_map(
            |(sid, effect, principal, action, resource, condition)| Statement {
                sid,
                effect,
                principal,
                action,
                resource,
                condition,
                origin: Origin::default(),
            },
        )
}

fn any_policy() -> impl Strategy<Value = Policy> {
    (
        option::of(prop_oneof![
            Just(Version::V2012_10_17),
            Just(Version::V2008_10_17)
        ]),
        option::of(any_text()),
        vec(any_statement(), 0..4),
    )
        .prop_map(|(version, id, statements)| Policy {
            version,
            id,
            statements,
            origin: Origin::default(),
        })
}

/// JSON shaped loosely like a policy, so that the parser's every branch is reached.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(Value::from),
        proptest::sample::select(vec![
            "2012-10-17",
            "2008-10-17",
            "Allow",
            "Deny",
            "*",
            "s3:GetObject",
            "AWS",
            "true",
            "x",
        ])
        .prop_map(|s| Value::String(s.into())),
    ];
    let names = proptest::sample::select(vec![
        "Version",
        "Statement",
        "Id",
        "Sid",
        "Effect",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Principal",
        "NotPrincipal",
        "Condition",
        "AWS",
        "Service",
        "StringEquals",
        "ForAnyValue:StringLike",
        "NullIfExists",
        "Null",
        "Fn::GetAtt",
        "incloud:unknown",
        "incloud:parts",
        "aws:username",
        "Bogus",
    ]);
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            vec((names.clone(), inner), 0..5).prop_map(|entries| {
                Value::Object(
                    entries
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect(),
                )
            }),
        ]
    })
}
