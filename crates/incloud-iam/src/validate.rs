//! Checking a parsed policy against the action catalog and the policy grammar's rules that the parser
//! leaves to a later pass: actions and services that do not exist, condition keys used with operators of
//! another type, malformed ARNs, elements a policy kind requires or forbids.
//!
//! Condition operator names themselves are checked by the parser (`ParseError::UnknownOperator`), since
//! the evaluator cannot read a block whose operator it does not know.

use std::net::IpAddr;

use crate::catalog::{catalog, has_wildcard, is_global_key, KeyType};
use crate::condition::parse_date;
use crate::policy::{
    ConditionBlock, Element, OperatorKind, Origin, Policy, PolicyKind, PolicyStr, SetQualifier,
    Statement, StrPart,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ValidationKind {
    /// An element the policy kind requires is missing (Action, Resource, Principal).
    MissingElement,
    /// An element the policy kind does not allow (Principal in an identity policy).
    ForbiddenElement,
    /// The action's service prefix is not in the catalog.
    UnknownService,
    /// The service exists but has no such action.
    UnknownAction,
    /// A wildcard action pattern that names no action.
    ActionMatchesNothing,
    /// An action that is not `*` and not `service:action`.
    MalformedAction,
    /// A Resource value that is neither `*` nor a six-part ARN.
    MalformedArn,
    /// A Numeric, Date, Bool, Binary, IpAddress or Arn operator on a key of another type.
    OperatorKeyTypeMismatch,
    /// A condition value the operator cannot read (`NumericLessThan: "ten"`, a bad CIDR...).
    InvalidConditionValue,
    /// A condition key no service documents (for a service the catalog knows, or an `aws:` key).
    UnknownConditionKey,
    /// `ForAllValues:`/`ForAnyValue:` on a single-valued key: ForAllValues is then true when the key
    /// is missing, which is rarely what was meant.
    SetOperatorOnSingleValuedKey,
    /// A multivalued key without `ForAllValues:`/`ForAnyValue:`.
    MultivaluedKeyWithoutSetOperator,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationFinding {
    pub kind: ValidationKind,
    /// Index of the statement in the policy.
    pub statement: usize,
    /// The element's origin (the statement's for a missing element).
    pub origin: Origin,
    pub message: String,
}

/// Validates a policy read as `kind`. Findings are in document order.
pub fn validate(policy: &Policy, kind: PolicyKind) -> Vec<ValidationFinding> {
    let mut out = Vec::new();
    for (index, stmt) in policy.statements.iter().enumerate() {
        let mut push = |kind, origin, message: String| {
            out.push(ValidationFinding {
                kind,
                statement: index,
                origin,
                message,
            })
        };
        check_elements(stmt, kind, &mut push);
        if let Some(action) = &stmt.action {
            check_actions(action, &mut push);
        }
        if let Some(resource) = &stmt.resource {
            check_resources(resource, &mut push);
        }
        check_conditions(&stmt.condition, &mut push);
    }
    out
}

type Push<'a> = dyn FnMut(ValidationKind, Origin, String) + 'a;

fn check_elements(stmt: &Statement, kind: PolicyKind, push: &mut Push) {
    let principal_required = matches!(
        kind,
        PolicyKind::Resource | PolicyKind::Trust | PolicyKind::Key | PolicyKind::Rcp
    );
    if stmt.action.is_none() {
        push(
            ValidationKind::MissingElement,
            stmt.origin,
            "the statement has no Action or NotAction".into(),
        );
    }
    if stmt.resource.is_none() && kind != PolicyKind::Trust {
        push(
            ValidationKind::MissingElement,
            stmt.origin,
            "the statement has no Resource or NotResource".into(),
        );
    }
    match (&stmt.principal, principal_required) {
        (None, true) => push(
            ValidationKind::MissingElement,
            stmt.origin,
            "a resource-based policy statement needs Principal or NotPrincipal".into(),
        ),
        (Some(p), false) => push(
            ValidationKind::ForbiddenElement,
            p.origin,
            "Principal and NotPrincipal belong in resource-based policies only".into(),
        ),
        _ => {}
    }
}

fn check_actions(el: &Element, push: &mut Push) {
    let cat = catalog();
    for value in &el.values {
        let Some(action) = value.as_known() else {
            continue;
        };
        if action == "*" {
            continue;
        }
        let Some((service, name)) = action.split_once(':') else {
            push(
                ValidationKind::MalformedAction,
                el.origin,
                format!("{action:?} is not service:action"),
            );
            continue;
        };
        if !has_wildcard(service) && cat.service(service).is_none() {
            push(
                ValidationKind::UnknownService,
                el.origin,
                format!("{action:?}: no AWS service has the prefix {service:?}"),
            );
        } else if has_wildcard(action) {
            if cat.expand(action).is_empty() {
                push(
                    ValidationKind::ActionMatchesNothing,
                    el.origin,
                    format!("{action:?} matches no action"),
                );
            }
        } else if cat.action(action).is_none() {
            push(
                ValidationKind::UnknownAction,
                el.origin,
                format!("{action:?}: the service {service:?} has no action {name:?}"),
            );
        }
    }
}

const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

fn check_resources(el: &Element, push: &mut Push) {
    for value in &el.values {
        let problem = match value {
            PolicyStr::Known(s) => arn_problem(s),
            // Only the literal text before the first unknown can be checked.
            PolicyStr::Partial(parts) => match parts.first() {
                Some(StrPart::Lit(lit)) => partial_arn_problem(lit),
                _ => None,
            },
            PolicyStr::Unknown(_) => None,
        };
        if let Some(problem) = problem {
            push(ValidationKind::MalformedArn, el.origin, problem);
        }
    }
}

fn arn_problem(s: &str) -> Option<String> {
    if s == "*" {
        return None;
    }
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    if parts.first() != Some(&"arn") {
        return Some(format!(
            "{s:?} is neither \"*\" nor an ARN (arn:partition:service:...)"
        ));
    }
    if parts.len() < 6 {
        return Some(format!(
            "{s:?} has {} of the six colon-separated parts of an ARN",
            parts.len()
        ));
    }
    let partition = parts.get(1).copied().unwrap_or("");
    if !has_wildcard(partition) && !partition.contains("${") && !PARTITIONS.contains(&partition) {
        return Some(format!("{s:?}: {partition:?} is not an AWS partition"));
    }
    if parts.get(2).is_some_and(|service| service.is_empty()) {
        return Some(format!("{s:?}: the service part is empty"));
    }
    if parts.get(5).is_some_and(|resource| resource.is_empty()) {
        return Some(format!("{s:?}: the resource part is empty"));
    }
    None
}

fn partial_arn_problem(lit: &str) -> Option<String> {
    let ok = lit.starts_with("arn:")
        || "arn:".starts_with(lit)
        || lit.starts_with('*')
        || lit.starts_with("${");
    (!ok).then(|| format!("{lit:?}... does not begin an ARN"))
}

fn check_conditions(blocks: &[ConditionBlock], push: &mut Push) {
    let cat = catalog();
    for block in blocks {
        let op = block.operator;
        for entry in &block.entries {
            let key = entry.key.as_str();
            let origin = entry.origin;
            for value in &entry.values {
                if let Some(v) = value.as_known() {
                    if let Some(problem) = value_problem(op.kind, v) {
                        push(
                            ValidationKind::InvalidConditionValue,
                            origin,
                            format!("{}: {key}: {problem}", op.name()),
                        );
                    }
                }
            }
            let Some(ty) = cat.condition_key_type(key) else {
                let prefix = key.split_once(':').map_or("", |(p, _)| p);
                let documented_service =
                    prefix.eq_ignore_ascii_case("aws") || cat.service(prefix).is_some();
                if documented_service && !is_global_key(key) {
                    push(
                        ValidationKind::UnknownConditionKey,
                        origin,
                        format!("no AWS documentation lists the condition key {key:?}"),
                    );
                }
                continue;
            };
            if let Some(want) = mismatch(op.kind, ty.base) {
                push(
                    ValidationKind::OperatorKeyTypeMismatch,
                    origin,
                    format!(
                        "{} compares {want} values, but {key} is of type {:?}",
                        op.name(),
                        ty.base
                    ),
                );
            }
            if op.kind == OperatorKind::Null {
                continue;
            }
            match (op.set, ty.multivalued) {
                (Some(set), false) => push(
                    ValidationKind::SetOperatorOnSingleValuedKey,
                    origin,
                    format!(
                        "{key} is single-valued: {} is meant for multivalued keys{}",
                        match set {
                            SetQualifier::ForAllValues => "ForAllValues",
                            SetQualifier::ForAnyValue => "ForAnyValue",
                        },
                        if set == SetQualifier::ForAllValues {
                            ", and is true when the key is missing"
                        } else {
                            ""
                        }
                    ),
                ),
                (None, true) => push(
                    ValidationKind::MultivaluedKeyWithoutSetOperator,
                    origin,
                    format!(
                        "{key} is multivalued: use ForAllValues: or ForAnyValue: with {}",
                        op.name()
                    ),
                ),
                _ => {}
            }
        }
    }
}

/// The operator's type when it clearly does not fit the key's. String operators fit every key (AWS
/// compares the text), and Arn operators fit String keys, which often hold ARNs.
fn mismatch(op: OperatorKind, key: KeyType) -> Option<&'static str> {
    use OperatorKind as O;
    let (want, fits) = match op {
        O::NumericEquals
        | O::NumericNotEquals
        | O::NumericLessThan
        | O::NumericLessThanEquals
        | O::NumericGreaterThan
        | O::NumericGreaterThanEquals => {
            // aws:EpochTime is documented as Date and Numeric.
            ("numeric", matches!(key, KeyType::Numeric | KeyType::Date))
        }
        O::DateEquals
        | O::DateNotEquals
        | O::DateLessThan
        | O::DateLessThanEquals
        | O::DateGreaterThan
        | O::DateGreaterThanEquals => ("date", key == KeyType::Date),
        O::Bool => ("boolean", key == KeyType::Bool),
        O::BinaryEquals => ("binary", matches!(key, KeyType::Binary | KeyType::String)),
        O::IpAddress | O::NotIpAddress => ("IP address", key == KeyType::IpAddress),
        O::ArnEquals | O::ArnLike | O::ArnNotEquals | O::ArnNotLike => {
            ("ARN", matches!(key, KeyType::Arn | KeyType::String))
        }
        _ => return None,
    };
    (!fits).then_some(want)
}

fn value_problem(op: OperatorKind, v: &str) -> Option<&'static str> {
    use OperatorKind as O;
    match op {
        O::NumericEquals
        | O::NumericNotEquals
        | O::NumericLessThan
        | O::NumericLessThanEquals
        | O::NumericGreaterThan
        | O::NumericGreaterThanEquals => v.trim().parse::<f64>().is_err().then_some("not a number"),
        O::DateEquals
        | O::DateNotEquals
        | O::DateLessThan
        | O::DateLessThanEquals
        | O::DateGreaterThan
        | O::DateGreaterThanEquals => parse_date(v)
            .is_none()
            .then_some("not an ISO 8601 date or epoch seconds"),
        O::Bool => (!v.eq_ignore_ascii_case("true") && !v.eq_ignore_ascii_case("false"))
            .then_some("Bool takes true or false"),
        O::IpAddress | O::NotIpAddress => {
            (!valid_cidr(v)).then_some("not an IP address or CIDR block")
        }
        _ => None,
    }
}

pub(crate) fn valid_cidr(v: &str) -> bool {
    let (net, prefix) = match v.trim().split_once('/') {
        Some((net, prefix)) => (net, Some(prefix)),
        None => (v.trim(), None),
    };
    let max = match net.parse::<IpAddr>() {
        Ok(IpAddr::V4(_)) => 32,
        Ok(IpAddr::V6(_)) => 128,
        Err(_) => return false,
    };
    prefix.is_none_or(|p| p.parse::<u32>().is_ok_and(|p| p <= max))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_policy;

    fn kinds(json: &str, kind: PolicyKind) -> Vec<ValidationKind> {
        let value: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
        let policy = parse_policy(&value).map_err(|e| e.to_string());
        assert!(policy.is_ok(), "{policy:?}");
        policy
            .map(|p| validate(&p, kind).into_iter().map(|f| f.kind).collect())
            .unwrap_or_default()
    }

    #[test]
    fn clean_policy_has_no_findings() {
        let json = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
            "Action":["s3:GetObject","s3:List*","*"],
            "Resource":["arn:aws:s3:::b/*","*"],
            "Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},
                         "Bool":{"aws:SecureTransport":"true"},
                         "ForAnyValue:StringEquals":{"aws:TagKeys":["a"]},
                         "StringEquals":{"aws:PrincipalTag/team":"x","s3:ExistingObjectTag/k":"v"},
                         "DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"},
                         "NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}}]}"#;
        assert_eq!(kinds(json, PolicyKind::Identity), vec![]);
    }

    #[test]
    fn actions() {
        let json = r#"{"Statement":[{"Effect":"Allow",
            "Action":["nosuch:Get","s3:NoSuch","s3:NoSuch*","GetObject"],"Resource":"*"}]}"#;
        assert_eq!(
            kinds(json, PolicyKind::Identity),
            vec![
                ValidationKind::UnknownService,
                ValidationKind::UnknownAction,
                ValidationKind::ActionMatchesNothing,
                ValidationKind::MalformedAction,
            ]
        );
    }

    #[test]
    fn resources_and_elements() {
        let json = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
            "Resource":["bucket/*","arn:aws:s3","arn:aws:s3:::b","arn:foo:s3:::b/*",
                        {"Fn::Sub":"arn:aws:s3:::${B}/*"},{"Fn::Sub":"${B}/*"}]},
            {"Effect":"Allow"}]}"#;
        assert_eq!(
            kinds(json, PolicyKind::Identity),
            vec![
                ValidationKind::ForbiddenElement,
                ValidationKind::MalformedArn,
                ValidationKind::MalformedArn,
                ValidationKind::MalformedArn,
                ValidationKind::MissingElement,
                ValidationKind::MissingElement,
            ]
        );
    }

    #[test]
    fn conditions() {
        let json = r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
            "Condition":{"NumericLessThan":{"aws:SourceIp":"10"},
                         "IpAddress":{"aws:SourceAccount":"10.0.0.0/8"},
                         "Bool":{"aws:SecureTransport":"yes"},
                         "StringEquals":{"aws:NoSuchKey":"x","aws:TagKeys":"a"},
                         "ForAllValues:StringEquals":{"aws:SourceVpc":"vpc-1"},
                         "DateLessThan":{"aws:CurrentTime":"soon"},
                         "ArnLike":{"aws:MultiFactorAuthPresent":"arn:aws:iam::1:root"}}}]}"#;
        assert_eq!(
            kinds(json, PolicyKind::Identity),
            vec![
                ValidationKind::OperatorKeyTypeMismatch,
                ValidationKind::OperatorKeyTypeMismatch,
                ValidationKind::InvalidConditionValue,
                ValidationKind::UnknownConditionKey,
                ValidationKind::MultivaluedKeyWithoutSetOperator,
                ValidationKind::SetOperatorOnSingleValuedKey,
                ValidationKind::InvalidConditionValue,
                ValidationKind::OperatorKeyTypeMismatch,
            ]
        );
    }
}
