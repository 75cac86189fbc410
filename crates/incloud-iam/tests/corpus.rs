//! Runs every case in `tests/cases/*.json`: each is a set of policies, a request and the decision the
//! AWS documentation section named in its `source` gives for it.

use std::collections::BTreeMap;
use std::path::Path;

use incloud_iam::{
    evaluate, parse_policy, AwsPrincipal, Context, Decision, NamedPolicy, PolicySet, Principal,
    Request,
};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    source: String,
    #[serde(default)]
    policies: Policies,
    request: Req,
    expect: String,
    /// The decision when unknown policy values are read the most permissive way, if it differs.
    #[serde(default)]
    if_unknowns_permit: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Policies {
    #[serde(default)]
    identity: Vec<Value>,
    resource: Option<Value>,
    #[serde(default)]
    resource_required: bool,
    boundary: Option<Value>,
    #[serde(default)]
    session: Vec<Value>,
    #[serde(default)]
    scps: Vec<Vec<Value>>,
    #[serde(default)]
    rcps: Vec<Vec<Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Req {
    principal: PrincipalSpec,
    action: String,
    resource: String,
    #[serde(default)]
    resource_account: Option<String>,
    #[serde(default)]
    context: BTreeMap<String, Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
enum PrincipalSpec {
    Anonymous,
    Arn(String),
    Session { arn: String, underlying: String },
    Service(String),
    Federated(String),
    CanonicalUser(String),
}

fn named(label: String, value: &Value) -> Result<NamedPolicy, String> {
    let policy = parse_policy(value).map_err(|e| format!("{label}: {e}"))?;
    Ok(NamedPolicy { label, policy })
}

fn build(case: &Case) -> Result<(PolicySet, Request), String> {
    let p = &case.policies;
    let set = PolicySet {
        identity: p
            .identity
            .iter()
            .enumerate()
            .map(|(i, v)| named(format!("identity[{i}]"), v))
            .collect::<Result<_, _>>()?,
        resource: p
            .resource
            .as_ref()
            .map(|v| named("resource".into(), v))
            .transpose()?,
        resource_policy_required: p.resource_required,
        boundary: p
            .boundary
            .as_ref()
            .map(|v| named("boundary".into(), v))
            .transpose()?,
        session: p
            .session
            .iter()
            .enumerate()
            .map(|(i, v)| named(format!("session[{i}]"), v))
            .collect::<Result<_, _>>()?,
        scps: levels("scp", &p.scps)?,
        rcps: levels("rcp", &p.rcps)?,
    };
    let principal = match &case.request.principal {
        PrincipalSpec::Anonymous => Principal::Anonymous,
        PrincipalSpec::Arn(arn) => Principal::aws(arn),
        PrincipalSpec::Session { arn, underlying } => match Principal::aws(arn) {
            Principal::Aws(p) => Principal::Aws(AwsPrincipal {
                underlying: Some(underlying.clone()),
                ..p
            }),
            other => other,
        },
        PrincipalSpec::Service(s) => Principal::Service(s.clone()),
        PrincipalSpec::Federated(s) => Principal::Federated(s.clone()),
        PrincipalSpec::CanonicalUser(s) => Principal::CanonicalUser(s.clone()),
    };
    let mut context = Context::new();
    for (key, value) in &case.request.context {
        let values = match value {
            Value::String(s) => vec![s.clone()],
            Value::Array(items) => items
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .ok_or("context values are strings")
                })
                .collect::<Result<_, _>>()?,
            _ => return Err(format!("context key {key}: a string or a list of strings")),
        };
        context.insert(key, values);
    }
    let request = Request {
        principal,
        action: case.request.action.clone(),
        resource: case.request.resource.clone(),
        resource_account: case.request.resource_account.clone(),
        context,
    };
    Ok((set, request))
}

fn levels(kind: &str, levels: &[Vec<Value>]) -> Result<Vec<Vec<NamedPolicy>>, String> {
    levels
        .iter()
        .enumerate()
        .map(|(l, level)| {
            level
                .iter()
                .enumerate()
                .map(|(i, v)| named(format!("{kind}[{l}][{i}]"), v))
                .collect()
        })
        .collect()
}

fn decision_name(d: Decision) -> &'static str {
    match d {
        Decision::Allowed => "Allowed",
        Decision::ExplicitlyDenied => "ExplicitlyDenied",
        Decision::ImplicitlyDenied => "ImplicitlyDenied",
    }
}

#[test]
fn corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/cases exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut total = 0;
    let mut failures = Vec::new();
    for file in &files {
        let name = file
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let text = std::fs::read_to_string(file).expect("case file is readable");
        let cases: Vec<Case> = match serde_json::from_str(&text) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{name}: cannot read cases: {e}"));
                continue;
            }
        };
        for case in &cases {
            total += 1;
            assert!(
                !case.source.trim().is_empty(),
                "{name}: {}: no source",
                case.name
            );
            let (set, request) = match build(case) {
                Ok(x) => x,
                Err(e) => {
                    failures.push(format!("{name}: {}: {e}", case.name));
                    continue;
                }
            };
            let eval = evaluate(&set, &request);
            let got = decision_name(eval.decision);
            if got != case.expect {
                failures.push(format!(
                    "{name}: {}: expected {}, got {got} (statements {:?}, missing {:?}) [{}]",
                    case.name, case.expect, eval.statements, eval.missing_allow, case.source
                ));
            }
            let got_permissive = eval
                .if_unknowns_permit
                .as_ref()
                .map(|e| decision_name(e.decision));
            if got_permissive != case.if_unknowns_permit.as_deref() {
                failures.push(format!(
                    "{name}: {}: if unknowns permit: expected {:?}, got {got_permissive:?}",
                    case.name, case.if_unknowns_permit
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(total >= 300, "the corpus has only {total} cases");
}
