//! Reading resource policies the way the TLS rules need them: deny statements for everyone, the actions
//! they cover, the "no TLS" condition, and their resources as ARN patterns.

use crate::{Ctx, Report};
use incloud_model::*;

/// The statements of a policy document that deny, to every principal, requests for `action` sent without
/// TLS (`aws:SecureTransport` false, or `tls_version_key` below 1.2), and whether some statement could not
/// be read.
pub(crate) fn tls_deny_statements<'a>(
    doc: &'a Node,
    action: &str,
    tls_version_key: Option<&str>,
) -> (Vec<&'a Node>, bool) {
    let mut unknown = false;
    let mut out = Vec::new();
    let Some(statements) = doc.get("Statement") else {
        return (out, matches!(doc.val, Val::Unknown(_)));
    };
    for st in statements.items() {
        if !matches!(st.val, Val::Map(_)) {
            unknown = true;
            continue;
        }
        if st.get("Effect").and_then(|e| e.as_str()) == Some("Deny")
            && everyone(st.get("Principal"))
            && covers_action(st.get("Action"), action)
            && insecure_transport_only(st.get("Condition"), tls_version_key)
        {
            out.push(st);
        }
    }
    (out, unknown)
}

/// The principal is everyone: `"*"` or `{"AWS": "*"}`.
pub(crate) fn everyone(principal: Option<&Node>) -> bool {
    match principal {
        Some(p) if p.as_str() == Some("*") => true,
        Some(p) => p
            .get("AWS")
            .is_some_and(|a| a.items().iter().any(|i| i.as_str() == Some("*"))),
        None => false,
    }
}

/// Some pattern of the statement's `Action` covers `action` (`s3:*` is covered by `s3:*` and `*`;
/// `sns:Publish` also by `sns:*` and `SNS:Publish`).
pub(crate) fn covers_action(actions: Option<&Node>, action: &str) -> bool {
    actions.is_some_and(|a| {
        a.items().iter().any(|i| {
            i.as_str()
                .is_some_and(|p| wildcard::matches_ignore_case(p, action))
        })
    })
}

/// The condition is exactly "the request does not use TLS" (or, with `tls_version_key`, uses TLS older than
/// 1.2): no other key narrows the deny.
pub(crate) fn insecure_transport_only(
    condition: Option<&Node>,
    tls_version_key: Option<&str>,
) -> bool {
    let Some(Val::Map(ops)) = condition.map(|c| &c.val) else {
        return false;
    };
    let [(op, keys)] = ops.as_slice() else {
        return false;
    };
    let Val::Map(keys) = &keys.val else {
        return false;
    };
    let [(key, value)] = keys.as_slice() else {
        return false;
    };
    let values: Vec<String> = value
        .items()
        .iter()
        .filter_map(|v| v.scalar_string())
        .collect();
    if values.is_empty() {
        return false;
    }
    match op.as_str() {
        "Bool" | "BoolIfExists" if key.eq_ignore_ascii_case("aws:SecureTransport") => {
            values.iter().all(|v| v.eq_ignore_ascii_case("false"))
        }
        "NumericLessThan" if tls_version_key.is_some_and(|k| key.eq_ignore_ascii_case(k)) => values
            .iter()
            .all(|v| v.parse::<f64>().is_ok_and(|n| n >= 1.2)),
        _ => false,
    }
}

/// Stands for a part of an ARN that cannot be known while rendering.
const UNKNOWN_PART: char = '\u{2}';

/// A policy resource as a pattern string: references are rendered by `link` (`None`: not this resource, so
/// the pattern cannot be known). The region and account fields of an ARN become `*`: a resource policy
/// attached in this stack can only concern this stack's region and account, which the template may leave to
/// deploy time. `None` when another part cannot be known.
pub(crate) fn render(r: &Node, link: impl Fn(&Link) -> Option<String>) -> Option<String> {
    let s = match &r.val {
        Val::Str(s) => s.clone(),
        Val::Link(l) => link(l)?,
        Val::Tpl(parts) => {
            let mut s = String::new();
            for p in parts {
                match p {
                    Part::Lit(l) => s.push_str(l),
                    Part::Link(l) => s.push_str(&link(l)?),
                    Part::Unknown(_) => s.push(UNKNOWN_PART),
                }
            }
            s
        }
        _ => return None,
    };
    let s = s
        .replacen("arn:aws-cn:", "arn:aws:", 1)
        .replacen("arn:aws-us-gov:", "arn:aws:", 1);
    let s = match s.strip_prefix("arn:") {
        Some(rest) => {
            let mut fields: Vec<&str> = rest.splitn(5, ':').collect();
            if fields.len() == 5 {
                fields[2] = "*";
                fields[3] = "*";
            }
            format!("arn:{}", fields.join(":"))
        }
        None => s,
    };
    (!s.contains(UNKNOWN_PART)).then_some(s)
}
/// What a TLS-only rule checks for one queue or topic.
pub(crate) struct TlsOnly<'a> {
    /// The policies attached to the resource.
    pub policies: Vec<&'a Resource>,
    /// The action the deny must cover (`sqs:*`, `sns:Publish`).
    pub action: &'a str,
    /// The resource's ARN, with tokens for what the template does not fix (region, account, name).
    pub arn: String,
    /// How a reference inside a policy's `Resource` renders, when it is to this resource.
    pub link: &'a dyn Fn(&Link) -> Option<String>,
    /// The resource type of the policies, for messages (`AWS::SQS::QueuePolicy`).
    pub policy_type: &'a str,
}

/// Report the resource unless an unconditional policy denies plaintext requests for the action on its ARN;
/// a policy that exists only under a condition makes the finding conditional on the opposite.
pub(crate) fn check_tls_only(ctx: &mut Ctx<'_>, res: &Resource, t: &TlsOnly<'_>) {
    let mut conditional = Vec::new();
    let mut unknown = Vec::new();
    for policy in &t.policies {
        let Some(doc) = policy.props.get("PolicyDocument") else {
            continue;
        };
        let (statements, some_unknown) = tls_deny_statements(doc, t.action, None);
        let mut covered = false;
        let mut cannot_tell = some_unknown;
        // A reference to another resource names that resource, not an unknown one.
        let link = |l: &Link| {
            if l.target == res.id {
                (t.link)(l)
            } else {
                Some(format!("\u{1}{}\u{1}", l.target))
            }
        };
        for st in statements {
            for r in st.get("Resource").map(|r| r.items()).unwrap_or_default() {
                match render(r, link) {
                    Some(pattern) => covered |= wildcard::matches(&pattern, &t.arn),
                    None => cannot_tell = true,
                }
            }
        }
        if covered {
            match &policy.condition {
                Some(c) if res.condition.as_ref() != Some(c) => conditional.push(format!("!{c}")),
                _ => return,
            }
        } else if cannot_tell {
            unknown.push(policy.id.as_str());
        }
    }
    let mut message = if !conditional.is_empty() {
        format!(
            "the {} that denies {} requests without TLS exists only under a condition",
            t.policy_type, t.action
        )
    } else if t.policies.is_empty() {
        format!(
            "no {} denies requests that do not use TLS (aws:SecureTransport false)",
            t.policy_type
        )
    } else {
        let ids: Vec<&str> = t.policies.iter().map(|p| p.id.as_str()).collect();
        format!(
            "{} {} does not deny {} requests with aws:SecureTransport false to everyone",
            t.policy_type,
            ids.join(", "),
            t.action
        )
    };
    if !unknown.is_empty() {
        message.push_str(&format!(
            " ({} has statements with values that cannot be known)",
            unknown.join(", ")
        ));
    }
    ctx.report(Report {
        resource: res,
        span: t.policies.first().map(|p| p.span).unwrap_or(res.span),
        path: "PolicyDocument.Statement".into(),
        condition: (!conditional.is_empty()).then(|| conditional.join(" && ")),
        detail: None,
        message,
    });
}
