//! Amazon Bedrock: agents, guardrails, and the identity policies that let principals invoke models.

pub(crate) mod agent_cmk;
pub(crate) mod guardrail_missing;
pub(crate) mod guardrail_not_enforced;

use crate::rules::policy::action_covers;
use incloud_iam::{OperatorKind, Policy, Statement};
use incloud_model::{Node, Part, Val};

pub(crate) const AGENT: &str = "AWS::Bedrock::Agent";
pub(crate) const GUARDRAIL: &str = "AWS::Bedrock::Guardrail";
pub(crate) const GUARDRAIL_VERSION: &str = "AWS::Bedrock::GuardrailVersion";

/// The condition key with which an identity policy can require a guardrail on every model call.
pub(crate) const GUARDRAIL_KEY: &str = "bedrock:GuardrailIdentifier";

/// The actions that invoke a model. `Converse` and `ConverseStream` are authorised as `bedrock:InvokeModel`
/// and `bedrock:InvokeModelWithResponseStream`; policies name them anyway, and mean the same.
const INVOKE: &[&str] = &[
    "bedrock:InvokeModel",
    "bedrock:InvokeModelWithResponseStream",
    "bedrock:Converse",
    "bedrock:ConverseStream",
];

/// The first value of an Allow statement's `Action` that grants model invocation (`bedrock:InvokeModel`,
/// `bedrock:Invoke*`, `bedrock:*`). A pattern whose service is a wildcard (`*`, `*:*`) is the concern of
/// the administrator and wildcard rules, and `NotAction` of `iam-wildcard-permission`.
pub(crate) fn invocation_action(st: &Statement) -> Option<String> {
    if st.effect != incloud_iam::Effect::Allow {
        return None;
    }
    let action = st.action.as_ref().filter(|a| !a.negated)?;
    if embedding_models_only(st) {
        return None;
    }
    action.values.iter().find_map(|v| {
        let pattern = v.as_known()?;
        let (service, _) = pattern.split_once(':')?;
        (service.eq_ignore_ascii_case("bedrock")
            && INVOKE.iter().any(|a| action_covers(pattern, a)))
        .then(|| pattern.to_string())
    })
}

/// The statements of a policy that grant model invocation, with the action value that does.
pub(crate) fn invocation_statements(p: &Policy) -> Vec<(usize, String)> {
    p.statements
        .iter()
        .enumerate()
        .filter_map(|(i, st)| invocation_action(st).map(|a| (i, a)))
        .collect()
}

/// Whether a statement's conditions require a guardrail: `bedrock:GuardrailIdentifier` compared with
/// `StringEquals`, `StringLike`, `ArnEquals` or `ArnLike` (without `IfExists`, which passes when no guardrail
/// is given), or required present with `"Null": {"bedrock:GuardrailIdentifier": "false"}`.
pub(crate) fn requires_guardrail(st: &Statement) -> bool {
    st.condition.iter().any(|block| {
        let op = block.operator;
        let has_key = |values_ok: &dyn Fn(&[incloud_iam::PolicyStr]) -> bool| {
            block
                .entries
                .iter()
                .any(|e| e.key.eq_ignore_ascii_case(GUARDRAIL_KEY) && values_ok(&e.values))
        };
        if op.if_exists || op.set.is_some() {
            return false;
        }
        match op.kind {
            OperatorKind::StringEquals
            | OperatorKind::StringLike
            | OperatorKind::ArnEquals
            | OperatorKind::ArnLike => has_key(&|values| !values.is_empty()),
            OperatorKind::Null => has_key(&|values| {
                !values.is_empty()
                    && values.iter().all(|v| {
                        v.as_known()
                            .is_some_and(|s| s.eq_ignore_ascii_case("false"))
                    })
            }),
            _ => false,
        }
    })
}

/// Whether a statement mentions guardrails at all: the condition key, or `bedrock:ApplyGuardrail`.
pub(crate) fn mentions_guardrail(st: &Statement) -> bool {
    let in_condition = st.condition.iter().any(|b| {
        b.entries
            .iter()
            .any(|e| e.key.eq_ignore_ascii_case(GUARDRAIL_KEY))
    });
    let applies = st.effect == incloud_iam::Effect::Allow
        && st.action.as_ref().is_some_and(|a| {
            !a.negated
                && a.values.iter().any(|v| {
                    v.as_known().is_some_and(|p| {
                        p.to_ascii_lowercase().starts_with("bedrock:")
                            && action_covers(p, "bedrock:ApplyGuardrail")
                    })
                })
        });
    in_condition || applies
}

/// Whether a value names a guardrail: a key or a string holding "guardrail" (an environment variable
/// `GUARDRAIL_ID`, a guardrail ARN, a `GuardrailConfiguration`), at any depth.
pub(crate) fn names_guardrail(node: &Node) -> bool {
    let has = |s: &str| s.to_ascii_lowercase().contains("guardrail");
    match &node.val {
        Val::Str(s) => has(s),
        Val::Tpl(parts) => parts.iter().any(|p| match p {
            Part::Lit(s) => has(s),
            Part::Link(l) => has(&l.target),
            Part::Unknown(why) => has(why),
        }),
        Val::Unknown(why) => has(why),
        Val::Link(l) => has(&l.target),
        Val::Seq(items) => items.iter().any(names_guardrail),
        Val::Map(entries) => entries.iter().any(|(k, v)| has(k) || names_guardrail(v)),
        Val::Choice(branches) => branches
            .iter()
            .any(|(_, n)| n.as_ref().is_some_and(names_guardrail)),
        _ => false,
    }
}

/// Whether a Deny statement takes model invocation away from calls that name no guardrail: it covers an
/// invocation action and its condition holds when `bedrock:GuardrailIdentifier` is missing
/// (`"Null": {"bedrock:GuardrailIdentifier": "true"}`, or a negated comparison such as `StringNotEquals`).
pub(crate) fn denies_without_guardrail(st: &Statement) -> bool {
    if st.effect != incloud_iam::Effect::Deny {
        return false;
    }
    let covers = st.action.as_ref().is_some_and(|a| {
        let named = a.values.iter().any(|v| {
            v.as_known()
                .is_some_and(|p| INVOKE.iter().any(|act| action_covers(p, act)))
        });
        named != a.negated
    });
    let [block] = st.condition.as_slice() else {
        return false;
    };
    let [entry] = block.entries.as_slice() else {
        return false;
    };
    if !entry.key.eq_ignore_ascii_case(GUARDRAIL_KEY) || block.operator.set.is_some() {
        return false;
    }
    let when_missing = match block.operator.kind {
        OperatorKind::Null => entry
            .values
            .iter()
            .all(|v| v.as_known().is_some_and(|s| s.eq_ignore_ascii_case("true"))),
        kind => kind.is_negated(),
    };
    covers && when_missing
}

/// Whether every resource of a statement is an embedding model (`amazon.titan-embed-text-v2:0`,
/// `cohere.embed-english-v3`): guardrails screen text generation, and Bedrock does not apply them to
/// embedding models.
fn embedding_models_only(st: &Statement) -> bool {
    let Some(resource) = st.resource.as_ref().filter(|r| !r.negated) else {
        return false;
    };
    let text = |v: &incloud_iam::PolicyStr| match v {
        incloud_iam::PolicyStr::Known(s) => s.clone(),
        incloud_iam::PolicyStr::Partial(parts) => parts
            .iter()
            .map(|p| match p {
                incloud_iam::StrPart::Lit(s) => s.as_str(),
                incloud_iam::StrPart::Unknown(_) => "",
            })
            .collect(),
        incloud_iam::PolicyStr::Unknown(_) => String::new(),
    };
    !resource.values.is_empty()
        && resource.values.iter().all(|v| {
            let t = text(v).to_ascii_lowercase();
            t.contains("model/") && t.rsplit('/').next().is_some_and(|m| m.contains("embed"))
        })
}
