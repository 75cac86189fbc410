//! Differential test of the access analyser against the evaluator, in the manner of cedar's: over a
//! small finite universe (principals of three accounts and anonymous callers, a few actions, resources
//! and request contexts), every request is decided by the evaluator, and the analyser's answer must
//! agree:
//!
//! - public ⇔ an anonymous caller, or a caller from an account no policy names, is allowed some request
//!   with a context a stranger can have (no VPC endpoint, organization or private address of ours);
//! - a named account that is allowed some request (with any context it could have) is reported: the
//!   analyser is public, or lists that account or a condition that limits who gets in.
//!
//! The generated policies draw conditions from the forms real bucket and key policies use; within one
//! statement each condition key appears once.

use incloud_iam::{
    access, evaluate, parse_policy, Context, Decision, NamedPolicy, Policy, PolicySet, Principal,
    Request,
};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

const A: &str = "111111111111";
const B: &str = "222222222222";
const STRANGER: &str = "444444444444";

const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:GetBucketAcl",
    "s3:ListBucket",
    "sqs:SendMessage",
    "kms:Decrypt",
];
const RESOURCES: &[&str] = &[
    "arn:aws:s3:::b/x",
    "arn:aws:s3:::b/private/x",
    "arn:aws:s3:::b",
    "arn:aws:s3:::c",
    "arn:aws:s3:::c/x",
    "arn:aws:sqs:us-east-1:111111111111:q",
];

const ACTION_VALUES: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:Get*",
    "s3:*",
    "*",
    "sqs:SendMessage",
];
const RESOURCE_VALUES: &[&str] = &[
    "*",
    "arn:aws:s3:::b/*",
    "arn:aws:s3:::b/private/*",
    "arn:aws:s3:::b",
    "arn:aws:s3:::*",
];

/// (key, [(operator, value)]) choices for Allow statements.
fn allow_conditions() -> Vec<(&'static str, Vec<(&'static str, &'static str)>)> {
    vec![
        (
            "aws:PrincipalAccount",
            vec![
                ("StringEquals", B),
                ("StringEquals", A),
                ("StringNotEquals", A),
                ("StringEqualsIfExists", B),
            ],
        ),
        (
            "aws:SourceVpce",
            vec![
                ("StringEquals", "vpce-1"),
                ("StringNotEquals", "vpce-1"),
                ("StringLike", "vpce-*"),
                ("StringEqualsIfExists", "vpce-1"),
            ],
        ),
        (
            "aws:PrincipalOrgID",
            vec![("StringEquals", "o-1"), ("StringNotEquals", "o-1")],
        ),
        (
            "aws:SourceIp",
            vec![
                ("IpAddress", "10.0.0.0/8"),
                ("IpAddress", "52.95.0.0/16"),
                ("NotIpAddress", "10.0.0.0/8"),
            ],
        ),
        ("aws:SecureTransport", vec![("Bool", "true")]),
        (
            "aws:PrincipalArn",
            vec![
                ("ArnLike", "arn:aws:iam::222222222222:*"),
                ("ArnNotLike", "arn:aws:iam::111111111111:*"),
            ],
        ),
    ]
}

fn deny_conditions() -> Vec<(&'static str, Vec<(&'static str, &'static str)>)> {
    vec![
        (
            "aws:PrincipalAccount",
            vec![("StringEquals", B), ("StringNotEquals", A)],
        ),
        (
            "aws:SourceVpce",
            vec![("StringEquals", "vpce-1"), ("StringNotEquals", "vpce-1")],
        ),
        (
            "aws:PrincipalOrgID",
            vec![("StringEquals", "o-1"), ("StringNotEquals", "o-1")],
        ),
        (
            "aws:SourceIp",
            vec![("IpAddress", "10.0.0.0/8"), ("NotIpAddress", "10.0.0.0/8")],
        ),
        ("aws:SecureTransport", vec![("Bool", "false")]),
        (
            "aws:PrincipalArn",
            vec![
                ("ArnLike", "arn:aws:iam::222222222222:*"),
                ("ArnNotLike", "arn:aws:iam::111111111111:*"),
            ],
        ),
    ]
}

fn principal_json(allow: bool, choice: usize) -> (&'static str, Value) {
    let allow_choices = [
        ("Principal", json!("*")),
        ("Principal", json!({"AWS": "*"})),
        ("Principal", json!({"AWS": B})),
        (
            "Principal",
            json!({"AWS": "arn:aws:iam::222222222222:role/r"}),
        ),
        ("Principal", json!({"AWS": A})),
        ("Principal", json!({"Service": "s3.amazonaws.com"})),
        ("NotPrincipal", json!({"AWS": B})),
    ];
    let deny_choices = [
        ("Principal", json!("*")),
        ("Principal", json!({"AWS": B})),
        ("NotPrincipal", json!({"AWS": A})),
    ];
    if allow {
        allow_choices[choice % allow_choices.len()].clone()
    } else {
        deny_choices[choice % deny_choices.len()].clone()
    }
}

#[derive(Debug, Clone)]
struct Stmt {
    allow: bool,
    principal: usize,
    actions: Vec<usize>,
    resources: Vec<usize>,
    /// Per condition key: which choice, if any.
    conditions: Vec<Option<usize>>,
}

fn stmt() -> impl Strategy<Value = Stmt> {
    (
        prop::bool::weighted(0.6),
        0usize..7,
        prop::collection::vec(0..ACTION_VALUES.len(), 1..3),
        prop::collection::vec(0..RESOURCE_VALUES.len(), 1..3),
        prop::collection::vec(prop::option::weighted(0.2, 0usize..4), 6),
    )
        .prop_map(|(allow, principal, actions, resources, conditions)| Stmt {
            allow,
            principal,
            actions,
            resources,
            conditions,
        })
}

fn to_json(stmts: &[Stmt]) -> Value {
    let statements: Vec<Value> = stmts
        .iter()
        .map(|s| {
            let mut obj = Map::new();
            obj.insert(
                "Effect".into(),
                json!(if s.allow { "Allow" } else { "Deny" }),
            );
            let (name, principal) = principal_json(s.allow, s.principal);
            obj.insert(name.into(), principal);
            let actions: Vec<&str> = s.actions.iter().map(|i| ACTION_VALUES[*i]).collect();
            obj.insert("Action".into(), json!(actions));
            let resources: Vec<&str> = s.resources.iter().map(|i| RESOURCE_VALUES[*i]).collect();
            obj.insert("Resource".into(), json!(resources));
            let table = if s.allow {
                allow_conditions()
            } else {
                deny_conditions()
            };
            let mut condition = Map::new();
            for ((key, choices), pick) in table.iter().zip(&s.conditions) {
                if let Some(pick) = pick {
                    let (op, value) = choices[pick % choices.len()];
                    let block = condition
                        .entry(op.to_string())
                        .or_insert_with(|| Value::Object(Map::new()));
                    if let Value::Object(block) = block {
                        block.insert((*key).to_string(), json!(value));
                    }
                }
            }
            if !condition.is_empty() {
                obj.insert("Condition".into(), Value::Object(condition));
            }
            Value::Object(obj)
        })
        .collect();
    json!({"Version": "2012-10-17", "Statement": statements})
}

fn admin() -> Policy {
    let p = parse_policy(&json!({"Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}));
    p.unwrap_or_else(|e| panic!("{e}"))
}

/// The contexts a caller can have: `insider` callers may come through our endpoint, organization and
/// private network; strangers only through their own, or from the internet.
fn contexts(principal: &Principal, insider: bool) -> Vec<Context> {
    let (vpce, org, ips) = if insider {
        ("vpce-1", "o-1", ["10.1.1.1", "52.95.1.1"])
    } else {
        ("vpce-stranger", "o-stranger", ["52.95.1.1", "8.8.8.8"])
    };
    let mut out = Vec::new();
    for with_vpce in [false, true] {
        for with_org in [false, true] {
            for ip in ips {
                for tls in ["true", "false"] {
                    let mut ctx = Context::new();
                    if let Principal::Aws(p) = principal {
                        ctx.push("aws:PrincipalAccount", p.account.clone());
                        ctx.push("aws:PrincipalArn", p.arn.clone());
                        if with_org {
                            ctx.push("aws:PrincipalOrgID", org);
                        }
                    } else if with_org {
                        continue;
                    }
                    if with_vpce {
                        ctx.push("aws:SourceVpce", vpce);
                    }
                    ctx.push("aws:SourceIp", ip);
                    ctx.push("aws:SecureTransport", tls);
                    out.push(ctx);
                }
            }
        }
    }
    out
}

fn reachable(set: &PolicySet, principal: &Principal, insider: bool) -> bool {
    for ctx in contexts(principal, insider) {
        for action in ACTIONS {
            for resource in RESOURCES {
                let request = Request {
                    principal: principal.clone(),
                    action: (*action).into(),
                    resource: (*resource).into(),
                    resource_account: Some(A.into()),
                    context: ctx.clone(),
                };
                if evaluate(set, &request).decision == Decision::Allowed {
                    return true;
                }
            }
        }
    }
    false
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn analyser_agrees_with_the_evaluator(stmts in prop::collection::vec(stmt(), 1..5)) {
        let doc = to_json(&stmts);
        let policy = parse_policy(&doc).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let set = PolicySet {
            identity: vec![NamedPolicy { label: "admin".into(), policy: admin() }],
            resource: Some(NamedPolicy { label: "resource".into(), policy: policy.clone() }),
            ..PolicySet::default()
        };
        let report = access(&policy, A);

        let stranger = Principal::aws(&format!("arn:aws:iam::{STRANGER}:user/s"));
        let brute_public =
            reachable(&set, &Principal::Anonymous, false) || reachable(&set, &stranger, false);
        prop_assert_eq!(report.is_public(), brute_public, "policy {} report {:?}", doc, report);

        let cross = report.cross_account();
        for arn in ["arn:aws:iam::222222222222:root", "arn:aws:iam::222222222222:role/r"] {
            if reachable(&set, &Principal::aws(arn), true) {
                prop_assert!(
                    report.is_public()
                        || cross.iter().any(|c| c == B || c.contains('=')),
                    "{} can reach, but the analyser says {:?}; policy {}", arn, report, doc
                );
            }
        }
    }
}
