//! Reading a policy document from JSON, and writing it back.
//!
//! Unknown values: where a string is expected, an object `{"incloud:unknown": why}` or a CloudFormation
//! intrinsic (`{"Fn::GetAtt": ...}`, `{"Ref": ...}`, ...) is an unknown value, and
//! `{"incloud:parts": ["lit", {"incloud:unknown": why}, ...]}` a partly-known one. The serializer writes
//! unknowns in the `incloud:` forms so that parse → serialize → parse gives the same policy.

use serde_json::{Map, Value};

use crate::policy::{
    ConditionBlock, ConditionEntry, Effect, Element, Operator, OperatorKind, Origin, Policy,
    PolicyKind, PolicyStr, PrincipalElement, PrincipalType, PrincipalValue, SetQualifier,
    Statement, StrPart, Version,
};

const UNKNOWN_KEY: &str = "incloud:unknown";
const PARTS_KEY: &str = "incloud:parts";

/// What was wrong with a policy document; `path` names the element, e.g. `Statement[1].Condition`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("{path}: expected {expected}, found {found}")]
    WrongType {
        path: String,
        expected: &'static str,
        found: &'static str,
    },
    #[error("{path}: required element {element} is missing")]
    Missing { path: String, element: &'static str },
    #[error("{path}: unknown element {name:?}")]
    UnknownElement { path: String, name: String },
    #[error("{path}: {first} and {second} cannot both be given")]
    Conflict {
        path: String,
        first: &'static str,
        second: &'static str,
    },
    #[error("{path}: invalid value {value:?}: {reason}")]
    InvalidValue {
        path: String,
        value: String,
        reason: &'static str,
    },
    #[error("{path}: unknown condition operator {name:?}")]
    UnknownOperator { path: String, name: String },
    #[error("{path}: a {kind} policy {rule}")]
    WrongForKind {
        path: String,
        kind: &'static str,
        rule: &'static str,
    },
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn wrong(path: &str, expected: &'static str, found: &Value) -> ParseError {
    ParseError::WrongType {
        path: path.to_string(),
        expected,
        found: type_name(found),
    }
}

/// Reads a policy of any kind without checking which elements its kind allows.
pub fn parse_policy(value: &Value) -> Result<Policy, ParseError> {
    let path = "policy";
    let obj = value
        .as_object()
        .ok_or_else(|| wrong(path, "an object", value))?;
    let mut version = None;
    let mut id = None;
    let mut statements = None;
    for (name, v) in obj {
        match name.as_str() {
            "Version" => {
                let s = v.as_str().ok_or_else(|| wrong("Version", "a string", v))?;
                version = Some(match s {
                    "2012-10-17" => Version::V2012_10_17,
                    "2008-10-17" => Version::V2008_10_17,
                    _ => {
                        return Err(ParseError::InvalidValue {
                            path: "Version".into(),
                            value: s.into(),
                            reason: "must be 2012-10-17 or 2008-10-17",
                        })
                    }
                });
            }
            "Id" => id = Some(plain_string("Id", v)?),
            "Statement" => {
                statements = Some(match v {
                    Value::Array(items) => items
                        .iter()
                        .enumerate()
                        .map(|(i, s)| parse_statement(&format!("Statement[{i}]"), s))
                        .collect::<Result<Vec<_>, _>>()?,
                    Value::Object(_) => vec![parse_statement("Statement", v)?],
                    _ => return Err(wrong("Statement", "an object or an array", v)),
                });
            }
            _ => {
                return Err(ParseError::UnknownElement {
                    path: path.into(),
                    name: name.clone(),
                })
            }
        }
    }
    let statements = statements.ok_or(ParseError::Missing {
        path: path.into(),
        element: "Statement",
    })?;
    Ok(Policy {
        version,
        id,
        statements,
        origin: Origin::default(),
    })
}

/// Reads a policy and checks the elements its kind requires or forbids (Principal in resource, trust and
/// key policies only; Resource required except in trust policies).
pub fn parse_policy_as(value: &Value, kind: PolicyKind) -> Result<Policy, ParseError> {
    let policy = parse_policy(value)?;
    let kind_name = kind_name(kind);
    let principal_required = matches!(
        kind,
        PolicyKind::Resource | PolicyKind::Trust | PolicyKind::Key | PolicyKind::Rcp
    );
    for (i, s) in policy.statements.iter().enumerate() {
        let path = format!("Statement[{i}]");
        if principal_required && s.principal.is_none() {
            return Err(ParseError::WrongForKind {
                path,
                kind: kind_name,
                rule: "needs Principal or NotPrincipal in every statement",
            });
        }
        if !principal_required && s.principal.is_some() {
            return Err(ParseError::WrongForKind {
                path,
                kind: kind_name,
                rule: "cannot have Principal or NotPrincipal",
            });
        }
        if kind != PolicyKind::Trust && s.resource.is_none() {
            return Err(ParseError::WrongForKind {
                path,
                kind: kind_name,
                rule: "needs Resource or NotResource in every statement",
            });
        }
        if s.action.is_none() {
            return Err(ParseError::Missing {
                path,
                element: "Action or NotAction",
            });
        }
    }
    Ok(policy)
}

fn kind_name(kind: PolicyKind) -> &'static str {
    match kind {
        PolicyKind::Identity => "identity",
        PolicyKind::Resource => "resource",
        PolicyKind::Trust => "trust",
        PolicyKind::Key => "key",
        PolicyKind::Scp => "service control",
        PolicyKind::Rcp => "resource control",
        PolicyKind::Boundary => "permissions boundary",
        PolicyKind::Session => "session",
    }
}

fn plain_string(path: &str, v: &Value) -> Result<String, ParseError> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| wrong(path, "a string", v))
}

fn parse_statement(path: &str, value: &Value) -> Result<Statement, ParseError> {
    let obj = value
        .as_object()
        .ok_or_else(|| wrong(path, "an object", value))?;
    let mut sid = None;
    let mut effect = None;
    let mut principal: Option<PrincipalElement> = None;
    let mut action: Option<(Element, &'static str)> = None;
    let mut resource: Option<(Element, &'static str)> = None;
    let mut condition = Vec::new();
    for (name, v) in obj {
        let here = format!("{path}.{name}");
        match name.as_str() {
            "Sid" => sid = Some(plain_string(&here, v)?),
            "Effect" => {
                effect = Some(match v.as_str() {
                    Some("Allow") => Effect::Allow,
                    Some("Deny") => Effect::Deny,
                    Some(other) => {
                        return Err(ParseError::InvalidValue {
                            path: here,
                            value: other.into(),
                            reason: "must be Allow or Deny",
                        })
                    }
                    None => return Err(wrong(&here, "a string", v)),
                })
            }
            "Principal" | "NotPrincipal" => {
                let negated = name == "NotPrincipal";
                if principal.is_some() {
                    return Err(ParseError::Conflict {
                        path: path.into(),
                        first: "Principal",
                        second: "NotPrincipal",
                    });
                }
                principal = Some(PrincipalElement {
                    negated,
                    value: parse_principal(&here, v)?,
                    origin: Origin::default(),
                });
            }
            "Action" | "NotAction" => {
                let label = if name == "Action" {
                    "Action"
                } else {
                    "NotAction"
                };
                if let Some((_, first)) = action {
                    return Err(ParseError::Conflict {
                        path: path.into(),
                        first,
                        second: label,
                    });
                }
                action = Some((
                    Element {
                        negated: label == "NotAction",
                        values: parse_str_list(&here, v)?,
                        origin: Origin::default(),
                    },
                    label,
                ));
            }
            "Resource" | "NotResource" => {
                let label = if name == "Resource" {
                    "Resource"
                } else {
                    "NotResource"
                };
                if let Some((_, first)) = resource {
                    return Err(ParseError::Conflict {
                        path: path.into(),
                        first,
                        second: label,
                    });
                }
                resource = Some((
                    Element {
                        negated: label == "NotResource",
                        values: parse_str_list(&here, v)?,
                        origin: Origin::default(),
                    },
                    label,
                ));
            }
            "Condition" => condition = parse_condition(&here, v)?,
            _ => {
                return Err(ParseError::UnknownElement {
                    path: path.into(),
                    name: name.clone(),
                })
            }
        }
    }
    let effect = effect.ok_or(ParseError::Missing {
        path: path.into(),
        element: "Effect",
    })?;
    Ok(Statement {
        sid,
        effect,
        principal,
        action: action.map(|(e, _)| e),
        resource: resource.map(|(e, _)| e),
        condition,
        origin: Origin::default(),
    })
}

fn parse_principal(path: &str, v: &Value) -> Result<PrincipalValue, ParseError> {
    match v {
        Value::String(s) if s == "*" => Ok(PrincipalValue::Any),
        Value::String(s) => Err(ParseError::InvalidValue {
            path: path.into(),
            value: s.clone(),
            reason: "a principal given as a string must be \"*\"; name others as {\"AWS\": ...}",
        }),
        Value::Object(map) => {
            let mut out = Vec::new();
            for (name, values) in map {
                let ty = match name.as_str() {
                    "AWS" => PrincipalType::Aws,
                    "Service" => PrincipalType::Service,
                    "Federated" => PrincipalType::Federated,
                    "CanonicalUser" => PrincipalType::CanonicalUser,
                    _ => {
                        return Err(ParseError::UnknownElement {
                            path: path.into(),
                            name: name.clone(),
                        })
                    }
                };
                out.push((ty, parse_str_list(&format!("{path}.{name}"), values)?));
            }
            Ok(PrincipalValue::Map(out))
        }
        _ => Err(wrong(path, "\"*\" or an object", v)),
    }
}

fn parse_condition(path: &str, v: &Value) -> Result<Vec<ConditionBlock>, ParseError> {
    let map = v.as_object().ok_or_else(|| wrong(path, "an object", v))?;
    let mut blocks = Vec::new();
    for (name, entries) in map {
        let here = format!("{path}.{name}");
        let operator = parse_operator(&here, name)?;
        let entries_map = entries
            .as_object()
            .ok_or_else(|| wrong(&here, "an object of condition keys", entries))?;
        let mut out = Vec::new();
        for (key, values) in entries_map {
            let key_path = format!("{here}.{key}");
            let values = parse_condition_values(&key_path, values)?;
            if operator.kind == OperatorKind::Null {
                for value in &values {
                    if let PolicyStr::Known(s) = value {
                        if !s.eq_ignore_ascii_case("true") && !s.eq_ignore_ascii_case("false") {
                            return Err(ParseError::InvalidValue {
                                path: key_path.clone(),
                                value: s.clone(),
                                reason: "Null takes true or false",
                            });
                        }
                    }
                }
            }
            out.push(ConditionEntry {
                key: key.clone(),
                values,
                origin: Origin::default(),
            });
        }
        blocks.push(ConditionBlock {
            operator,
            entries: out,
            origin: Origin::default(),
        });
    }
    Ok(blocks)
}

/// Reads `ForAnyValue:StringLikeIfExists` and the like.
pub(crate) fn parse_operator(path: &str, name: &str) -> Result<Operator, ParseError> {
    let unknown = || ParseError::UnknownOperator {
        path: path.into(),
        name: name.into(),
    };
    let (set, rest) = if let Some(rest) = name.strip_prefix("ForAllValues:") {
        (Some(SetQualifier::ForAllValues), rest)
    } else if let Some(rest) = name.strip_prefix("ForAnyValue:") {
        (Some(SetQualifier::ForAnyValue), rest)
    } else {
        (None, name)
    };
    let (base, if_exists) = match rest.strip_suffix("IfExists") {
        Some(base) => (base, true),
        None => (rest, false),
    };
    let kind = OperatorKind::from_name(base).ok_or_else(unknown)?;
    if kind == OperatorKind::Null && if_exists {
        return Err(ParseError::InvalidValue {
            path: path.into(),
            value: name.into(),
            reason: "Null cannot take IfExists: it already tests whether the key exists",
        });
    }
    Ok(Operator {
        set,
        kind,
        if_exists,
    })
}

fn parse_condition_values(path: &str, v: &Value) -> Result<Vec<PolicyStr>, ParseError> {
    match v {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| parse_condition_value(&format!("{path}[{i}]"), item))
            .collect(),
        _ => Ok(vec![parse_condition_value(path, v)?]),
    }
}

/// AWS reads condition values as strings; JSON booleans and numbers are accepted as their text.
fn parse_condition_value(path: &str, v: &Value) -> Result<PolicyStr, ParseError> {
    match v {
        Value::Bool(b) => Ok(PolicyStr::Known(b.to_string())),
        Value::Number(n) => Ok(PolicyStr::Known(n.to_string())),
        _ => parse_str(path, v),
    }
}

fn parse_str_list(path: &str, v: &Value) -> Result<Vec<PolicyStr>, ParseError> {
    match v {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| parse_str(&format!("{path}[{i}]"), item))
            .collect(),
        _ => Ok(vec![parse_str(path, v)?]),
    }
}

fn parse_str(path: &str, v: &Value) -> Result<PolicyStr, ParseError> {
    match v {
        Value::String(s) => Ok(PolicyStr::Known(s.clone())),
        Value::Object(map) => parse_unknown(path, map, v),
        _ => Err(wrong(path, "a string", v)),
    }
}

fn parse_unknown(path: &str, map: &Map<String, Value>, v: &Value) -> Result<PolicyStr, ParseError> {
    let mut iter = map.iter();
    let (Some((key, inner)), None) = (iter.next(), iter.next()) else {
        return Err(wrong(path, "a string or one intrinsic function", v));
    };
    match key.as_str() {
        UNKNOWN_KEY => Ok(PolicyStr::Unknown(plain_string(path, inner)?)),
        PARTS_KEY => {
            let items = inner
                .as_array()
                .ok_or_else(|| wrong(path, "an array of parts", inner))?;
            let mut parts = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let here = format!("{path}.{PARTS_KEY}[{i}]");
                match item {
                    Value::String(s) => parts.push(StrPart::Lit(s.clone())),
                    Value::Object(m) => match m.get(UNKNOWN_KEY) {
                        Some(why) if m.len() == 1 => {
                            parts.push(StrPart::Unknown(plain_string(&here, why)?))
                        }
                        _ => return Err(wrong(&here, "a string or an unknown", item)),
                    },
                    _ => return Err(wrong(&here, "a string or an unknown", item)),
                }
            }
            Ok(PolicyStr::Partial(parts))
        }
        "Fn::Sub" => Ok(match inner {
            Value::String(template) => from_parts(sub_parts(template)),
            _ => PolicyStr::Unknown(format!("Fn::Sub {inner}")),
        }),
        "Fn::Join" => Ok(join_parts(inner).map_or_else(
            || PolicyStr::Unknown(format!("Fn::Join {inner}")),
            from_parts,
        )),
        k if k == "Ref" || k.starts_with("Fn::") => Ok(PolicyStr::Unknown(format!("{k} {inner}"))),
        _ => Err(wrong(path, "a string or one intrinsic function", v)),
    }
}

/// `Fn::Sub` text: `${Name}` is a template reference (unknown here; the ingest layer resolves what it
/// can before), `${!Literal}` is the literal `${Literal}` — how templates write IAM policy variables.
fn sub_parts(template: &str) -> Vec<StrPart> {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        let (before, after) = rest.split_at(start);
        lit.push_str(before);
        let Some(end) = after.find('}') else {
            lit.push_str(after);
            rest = "";
            break;
        };
        let name = after.get(2..end).unwrap_or("");
        if let Some(literal) = name.strip_prefix('!') {
            lit.push_str("${");
            lit.push_str(literal);
            lit.push('}');
        } else {
            if !lit.is_empty() {
                parts.push(StrPart::Lit(std::mem::take(&mut lit)));
            }
            parts.push(StrPart::Unknown(format!("Fn::Sub ${{{name}}}")));
        }
        rest = after.get(end + 1..).unwrap_or("");
    }
    lit.push_str(rest);
    if !lit.is_empty() {
        parts.push(StrPart::Lit(lit));
    }
    parts
}

/// `Fn::Join [delimiter, [items]]`: string items are literal, anything else is unknown.
fn join_parts(inner: &Value) -> Option<Vec<StrPart>> {
    let [Value::String(delimiter), Value::Array(items)] = inner.as_array()?.as_slice() else {
        return None;
    };
    let mut parts = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 && !delimiter.is_empty() {
            parts.push(StrPart::Lit(delimiter.clone()));
        }
        parts.push(match item {
            Value::String(s) => StrPart::Lit(s.clone()),
            other => StrPart::Unknown(other.to_string()),
        });
    }
    Some(parts)
}

/// Parts with no unknown in them are just a known string.
fn from_parts(parts: Vec<StrPart>) -> PolicyStr {
    if parts.iter().all(|p| matches!(p, StrPart::Lit(_))) {
        let text = parts
            .into_iter()
            .map(|p| match p {
                StrPart::Lit(s) | StrPart::Unknown(s) => s,
            })
            .collect();
        return PolicyStr::Known(text);
    }
    PolicyStr::Partial(parts)
}

/// Writes a policy back as JSON that `parse_policy` reads to the same `Policy` (origins aside).
pub fn policy_to_json(policy: &Policy) -> Value {
    let mut obj = Map::new();
    if let Some(v) = policy.version {
        obj.insert("Version".into(), Value::String(v.as_str().into()));
    }
    if let Some(id) = &policy.id {
        obj.insert("Id".into(), Value::String(id.clone()));
    }
    obj.insert(
        "Statement".into(),
        Value::Array(policy.statements.iter().map(statement_to_json).collect()),
    );
    Value::Object(obj)
}

fn statement_to_json(s: &Statement) -> Value {
    let mut obj = Map::new();
    if let Some(sid) = &s.sid {
        obj.insert("Sid".into(), Value::String(sid.clone()));
    }
    obj.insert("Effect".into(), Value::String(s.effect.as_str().into()));
    if let Some(p) = &s.principal {
        let name = if p.negated {
            "NotPrincipal"
        } else {
            "Principal"
        };
        let value = match &p.value {
            PrincipalValue::Any => Value::String("*".into()),
            PrincipalValue::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(ty, values)| (ty.as_str().to_string(), str_list_to_json(values)))
                    .collect(),
            ),
        };
        obj.insert(name.into(), value);
    }
    if let Some(a) = &s.action {
        let name = if a.negated { "NotAction" } else { "Action" };
        obj.insert(name.into(), str_list_to_json(&a.values));
    }
    if let Some(r) = &s.resource {
        let name = if r.negated { "NotResource" } else { "Resource" };
        obj.insert(name.into(), str_list_to_json(&r.values));
    }
    if !s.condition.is_empty() {
        let blocks = s
            .condition
            .iter()
            .map(|b| {
                let entries = b
                    .entries
                    .iter()
                    .map(|e| (e.key.clone(), str_list_to_json(&e.values)))
                    .collect();
                (b.operator.name(), Value::Object(entries))
            })
            .collect();
        obj.insert("Condition".into(), Value::Object(blocks));
    }
    Value::Object(obj)
}

/// One value is written bare, as policies usually are; any other count as an array.
fn str_list_to_json(values: &[PolicyStr]) -> Value {
    match values {
        [one] => str_to_json(one),
        _ => Value::Array(values.iter().map(str_to_json).collect()),
    }
}

fn unknown_to_json(why: &str) -> Value {
    let mut m = Map::new();
    m.insert(UNKNOWN_KEY.into(), Value::String(why.into()));
    Value::Object(m)
}

pub(crate) fn str_to_json(s: &PolicyStr) -> Value {
    match s {
        PolicyStr::Known(s) => Value::String(s.clone()),
        PolicyStr::Unknown(why) => unknown_to_json(why),
        PolicyStr::Partial(parts) => {
            let items = parts
                .iter()
                .map(|p| match p {
                    StrPart::Lit(s) => Value::String(s.clone()),
                    StrPart::Unknown(why) => unknown_to_json(why),
                })
                .collect();
            let mut m = Map::new();
            m.insert(PARTS_KEY.into(), Value::Array(items));
            Value::Object(m)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(v: Value) -> ParseError {
        match parse_policy(&v) {
            Err(e) => e,
            Ok(p) => panic!("expected an error, parsed {p:?}"),
        }
    }

    #[test]
    fn errors_name_the_element() {
        let e = err(json!({"Statement": [{"Action": "s3:*", "Resource": "*"}]}));
        assert_eq!(
            e.to_string(),
            "Statement[0]: required element Effect is missing"
        );
        let e = err(json!({"Statement": {"Effect": "Allow", "Action": "a", "NotAction": "b"}}));
        assert!(matches!(
            e,
            ParseError::Conflict {
                first: "Action",
                second: "NotAction",
                ..
            }
        ));
        let e = err(json!({"Statement": [{"Effect": "Permit"}]}));
        assert_eq!(
            e.to_string(),
            "Statement[0].Effect: invalid value \"Permit\": must be Allow or Deny"
        );
        let e = err(
            json!({"Statement": [{"Effect": "Allow", "Condition": {"StringEqualz": {"k": "v"}}}]}),
        );
        assert!(
            matches!(e, ParseError::UnknownOperator { ref name, .. } if name == "StringEqualz")
        );
        let e = err(
            json!({"Statement": [{"Effect": "Allow", "Condition": {"NullIfExists": {"k": "true"}}}]}),
        );
        assert!(matches!(e, ParseError::InvalidValue { .. }));
        let e =
            err(json!({"Statement": [{"Effect": "Allow", "Condition": {"Null": {"k": "maybe"}}}]}));
        assert!(e.to_string().starts_with("Statement[0].Condition.Null.k:"));
        let e = err(json!({"Statement": [{"Effect": "Allow", "Action": 3}]}));
        assert_eq!(
            e.to_string(),
            "Statement[0].Action: expected a string, found a number"
        );
        let e =
            err(json!({"Statement": [{"Effect": "Allow", "Principal": "arn:aws:iam::1:root"}]}));
        assert!(matches!(e, ParseError::InvalidValue { .. }));
        let e = err(json!({"Version": "2020-01-01", "Statement": []}));
        assert!(matches!(e, ParseError::InvalidValue { .. }));
        let e = err(json!({"Version": "2012-10-17"}));
        assert!(matches!(
            e,
            ParseError::Missing {
                element: "Statement",
                ..
            }
        ));
        let e = err(json!([]));
        assert!(matches!(e, ParseError::WrongType { .. }));
        let e = err(json!({"Statement": [{"Effect": "Allow", "Resourse": "*"}]}));
        assert!(matches!(e, ParseError::UnknownElement { ref name, .. } if name == "Resourse"));
    }

    #[test]
    fn kinds_check_principal_and_resource() {
        let identity = json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}]});
        assert!(matches!(
            parse_policy_as(&identity, PolicyKind::Identity),
            Err(ParseError::WrongForKind { .. })
        ));
        assert!(parse_policy_as(&identity, PolicyKind::Resource).is_ok());
        let trust = json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]});
        assert!(parse_policy_as(&trust, PolicyKind::Trust).is_ok());
        assert!(parse_policy_as(&trust, PolicyKind::Resource).is_err());
    }

    #[test]
    fn template_values_become_unknown_or_partial() {
        let p = parse_policy(
            &json!({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": [
                {"Fn::GetAtt": ["Bucket", "Arn"]},
                {"Fn::Sub": "arn:aws:s3:::${Bucket}/home/${!aws:username}/*"},
                {"Fn::Join": ["", ["arn:aws:s3:::", {"Ref": "Bucket"}, "/*"]]},
                {"Fn::Sub": "arn:aws:s3:::fixed/*"},
            ]}]}),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let values = p.statements[0]
            .resource
            .as_ref()
            .map(|r| r.values.clone())
            .unwrap_or_default();
        assert!(matches!(values[0], PolicyStr::Unknown(_)));
        assert_eq!(
            values[1],
            PolicyStr::Partial(vec![
                StrPart::Lit("arn:aws:s3:::".into()),
                StrPart::Unknown("Fn::Sub ${Bucket}".into()),
                StrPart::Lit("/home/${aws:username}/*".into()),
            ])
        );
        assert_eq!(
            values[2],
            PolicyStr::Partial(vec![
                StrPart::Lit("arn:aws:s3:::".into()),
                StrPart::Unknown("{\"Ref\":\"Bucket\"}".into()),
                StrPart::Lit("/*".into()),
            ])
        );
        assert_eq!(values[3], PolicyStr::known("arn:aws:s3:::fixed/*"));
    }
}
