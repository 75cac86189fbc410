//! `incloud iam`: the IAM engine on its own — decide one request (`eval`), or run the policy rules on one
//! policy document (`analyze`).

use anyhow::{anyhow, bail, Context as _, Result};
use clap::{Args, Subcommand, ValueEnum};
use incloud_iam::{
    evaluate, parse_policy, validate, Context, Decision, Evaluation, NamedPolicy, PolicyKind,
    PolicySet, Principal, Request,
};
use incloud_ingest::{load_str, Inputs, Limits};
use incloud_model::{FileId, Severity};
use incloud_rules::{check_stack, Dispatch, Selection};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum IamCommand {
    /// Decide one request against a set of policies, the way AWS documents policy evaluation.
    /// Exit code 0 whatever the decision; 2 when an input is wrong.
    Eval(Box<EvalArgs>),
    /// Run the policy rules (wildcards, administrator access, escalation, public access, validity) on one
    /// policy document. Exit code 1 when there are findings.
    Analyze(AnalyzeArgs),
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum OutFormat {
    Text,
    Json,
}

#[derive(Args)]
pub struct EvalArgs {
    /// The whole request as one JSON file (schema: docs/iam-request.md). Excludes the other inputs.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["identity_policy", "principal", "action", "resource"])]
    request: Option<PathBuf>,
    /// An identity-based policy of the principal (repeatable): a JSON file, or the ARN of an AWS managed
    /// policy (`arn:aws:iam::aws:policy/ReadOnlyAccess`).
    #[arg(long = "identity-policy", value_name = "FILE|ARN")]
    identity_policy: Vec<PathBuf>,
    /// The resource-based policy (bucket policy, key policy, trust policy, ...).
    #[arg(long = "resource-policy", value_name = "FILE")]
    resource_policy: Option<PathBuf>,
    /// The principal's permissions boundary (a JSON file or an AWS managed policy ARN).
    #[arg(long, value_name = "FILE|ARN")]
    boundary: Option<PathBuf>,
    /// A service control policy; each one given is a level of the organization, from the root down.
    #[arg(long, value_name = "FILE")]
    scp: Vec<PathBuf>,
    /// A session policy (repeatable).
    #[arg(long = "session-policy", value_name = "FILE")]
    session_policy: Vec<PathBuf>,
    /// Who calls: an IAM ARN, `anonymous`, or a service principal (`lambda.amazonaws.com`).
    #[arg(long)]
    principal: Option<String>,
    /// The action, `service:Action`.
    #[arg(long)]
    action: Option<String>,
    /// The resource ARN (`*` for actions that take none).
    #[arg(long)]
    resource: Option<String>,
    /// The account that owns the resource, when it is not in the ARN and not the principal's.
    #[arg(long = "resource-account")]
    resource_account: Option<String>,
    /// A request context key and value, `KEY=VALUE` (repeat a key for a multivalued key).
    #[arg(long = "context", value_name = "KEY=VALUE")]
    context: Vec<String>,
    /// Role trust policies and KMS key policies must allow the principal themselves.
    #[arg(long = "resource-policy-required")]
    resource_policy_required: bool,
    #[arg(long, short, value_enum, default_value = "text")]
    format: OutFormat,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Kind {
    Identity,
    Resource,
    Trust,
    Key,
    Scp,
}

#[derive(Args)]
pub struct AnalyzeArgs {
    /// A policy document (JSON).
    policy: PathBuf,
    /// What kind of policy it is.
    #[arg(long, value_enum, default_value = "identity")]
    kind: Kind,
    #[arg(long, short, value_enum, default_value = "text")]
    format: OutFormat,
}

pub fn run(cmd: IamCommand) -> Result<u8> {
    match cmd {
        IamCommand::Eval(args) => eval(*args),
        IamCommand::Analyze(args) => analyze(args),
    }
}

fn read_json(path: &Path) -> Result<Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{}: not JSON", path.display()))
}

fn policy_from(value: &Value, label: String) -> Result<NamedPolicy> {
    if let Some(arn) = value.as_str() {
        return Ok(NamedPolicy {
            label,
            policy: aws_managed(arn)?,
        });
    }
    let policy = parse_policy(value).map_err(|e| anyhow!("{label}: {e}"))?;
    Ok(NamedPolicy { label, policy })
}

/// The document of the AWS managed policy an ARN names, from the snapshot bundled with incloud.
fn aws_managed(arn: &str) -> Result<incloud_iam::Policy> {
    let managed = incloud_iam::aws_managed_policy(arn).ok_or_else(|| {
        anyhow!(
            "{arn}: not an AWS managed policy in incloud's snapshot ({})",
            incloud_iam::aws_managed_policy_data()
        )
    })?;
    Ok((*managed.policy).clone())
}

/// A policy from a JSON file, or an AWS managed policy named by its ARN (`arn:aws:iam::aws:policy/...`),
/// from the documents bundled with incloud.
fn policy_file(kind: &str, path: &Path) -> Result<NamedPolicy> {
    let text = path.to_string_lossy();
    if text.starts_with("arn:") {
        return Ok(NamedPolicy {
            label: format!("{kind}:{text}"),
            policy: aws_managed(&text)?,
        });
    }
    policy_from(&read_json(path)?, format!("{kind}:{}", path.display()))
}

fn principal_of(s: &str) -> Principal {
    if s.eq_ignore_ascii_case("anonymous") || s == "*" {
        Principal::Anonymous
    } else if s.starts_with("arn:") {
        Principal::aws(s)
    } else if s.ends_with(".amazonaws.com") || s.ends_with(".amazonaws.com.cn") {
        Principal::Service(s.to_string())
    } else if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
        Principal::aws(&format!("arn:aws:iam::{s}:root"))
    } else {
        Principal::Federated(s.to_string())
    }
}

/// The resource's account: given, or the ARN's account part when it has one.
fn resource_account(given: Option<String>, resource: &str) -> Option<String> {
    given.or_else(|| {
        resource
            .split(':')
            .nth(4)
            .filter(|a| !a.is_empty())
            .map(str::to_string)
    })
}

fn eval(args: EvalArgs) -> Result<u8> {
    let (set, request) = match &args.request {
        Some(path) => request_file(path)?,
        None => {
            let principal = args
                .principal
                .clone()
                .ok_or_else(|| anyhow!("--principal is required (or --request)"))?;
            let action = args
                .action
                .clone()
                .ok_or_else(|| anyhow!("--action is required (or --request)"))?;
            let resource = args
                .resource
                .clone()
                .ok_or_else(|| anyhow!("--resource is required (or --request)"))?;
            if !action.contains(':') {
                bail!("--action must be service:Action, not {action}");
            }
            let mut context = Context::new();
            for kv in &args.context {
                let (k, v) = kv
                    .split_once('=')
                    .ok_or_else(|| anyhow!("--context must be KEY=VALUE, not {kv}"))?;
                context.push(k, v);
            }
            let mut set = PolicySet {
                identity: args
                    .identity_policy
                    .iter()
                    .map(|p| policy_file("identity", p))
                    .collect::<Result<_>>()?,
                resource: args
                    .resource_policy
                    .as_deref()
                    .map(|p| policy_file("resource", p))
                    .transpose()?,
                resource_policy_required: args.resource_policy_required,
                boundary: args
                    .boundary
                    .as_deref()
                    .map(|p| policy_file("boundary", p))
                    .transpose()?,
                session: args
                    .session_policy
                    .iter()
                    .map(|p| policy_file("session", p))
                    .collect::<Result<_>>()?,
                ..PolicySet::default()
            };
            set.scps = args
                .scp
                .iter()
                .map(|p| policy_file("scp", p).map(|n| vec![n]))
                .collect::<Result<_>>()?;
            let principal = principal_of(&principal);
            let account = resource_account(args.resource_account.clone(), &resource);
            (
                set,
                Request {
                    principal,
                    action,
                    resource,
                    resource_account: account,
                    context,
                },
            )
        }
    };
    let evaluation = evaluate(&set, &request);
    let out = eval_json(&evaluation);
    match args.format {
        OutFormat::Json => println!("{}", serde_json::to_string_pretty(&out)?),
        OutFormat::Text => {
            println!("{}", decision_name(evaluation.decision));
            for m in &evaluation.statements {
                println!(
                    "  {} {} Statement[{}]{}",
                    m.effect.as_str(),
                    m.policy,
                    m.index,
                    m.sid
                        .as_deref()
                        .map(|s| format!(" ({s})"))
                        .unwrap_or_default()
                );
            }
            if !evaluation.missing_allow.is_empty() {
                let layers: Vec<String> = evaluation
                    .missing_allow
                    .iter()
                    .map(|l| format!("{l:?}").to_lowercase())
                    .collect();
                println!("  no applicable Allow in: {}", layers.join(", "));
            }
            if let Some(alt) = &evaluation.if_unknowns_permit {
                println!(
                    "  if the policies' unknown values permit: {}",
                    decision_name(alt.decision)
                );
            }
        }
    }
    Ok(0)
}

fn decision_name(d: Decision) -> &'static str {
    match d {
        Decision::Allowed => "allowed",
        Decision::ExplicitlyDenied => "explicitly-denied",
        Decision::ImplicitlyDenied => "implicitly-denied",
    }
}

fn eval_json(e: &Evaluation) -> Value {
    let matched: Vec<Value> = e
        .statements
        .iter()
        .map(|m| {
            json!({
                "policy": m.policy,
                "layer": format!("{:?}", m.layer).to_lowercase(),
                "statement": m.index,
                "sid": m.sid,
                "effect": m.effect.as_str(),
            })
        })
        .collect();
    let mut out = json!({
        "decision": decision_name(e.decision),
        "matched": matched,
        "missing_allow": e.missing_allow.iter().map(|l| format!("{l:?}").to_lowercase()).collect::<Vec<_>>(),
    });
    if let Some(alt) = &e.if_unknowns_permit {
        out["if_unknowns_permit"] = eval_json(alt);
    }
    out
}

/// Reads a request file (docs/iam-request.md).
fn request_file(path: &Path) -> Result<(PolicySet, Request)> {
    let v = read_json(path)?;
    let shown = path.display().to_string();
    let field = |name: &str| -> Result<String> {
        v.get(name)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| anyhow!("{shown}: \"{name}\" must be a string"))
    };
    let principal = principal_of(&field("principal")?);
    let action = field("action")?;
    let resource = field("resource")?;
    let account = resource_account(
        v.get("resource_account")
            .and_then(Value::as_str)
            .map(str::to_string),
        &resource,
    );
    let mut context = Context::new();
    if let Some(ctx) = v.get("context") {
        let obj = ctx
            .as_object()
            .ok_or_else(|| anyhow!("{shown}: \"context\" must be an object"))?;
        for (k, val) in obj {
            let values: Vec<String> = match val {
                Value::Array(items) => items.iter().map(scalar).collect::<Result<_>>()?,
                other => vec![scalar(other)?],
            };
            context.insert(k, values);
        }
    }
    let list = |name: &str| -> Result<Vec<NamedPolicy>> {
        match v.get(name) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, p)| policy_from(p, format!("{name}[{i}]")))
                .collect(),
            Some(one) => Ok(vec![policy_from(one, name.to_string())?]),
        }
    };
    let levels = |name: &str| -> Result<Vec<Vec<NamedPolicy>>> {
        match v.get(name) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(levels)) => levels
                .iter()
                .enumerate()
                .map(|(i, level)| match level {
                    Value::Array(ps) => ps
                        .iter()
                        .enumerate()
                        .map(|(j, p)| policy_from(p, format!("{name}[{i}][{j}]")))
                        .collect(),
                    _ => bail!("{shown}: \"{name}\" is a list of levels, each a list of policies"),
                })
                .collect(),
            Some(_) => bail!("{shown}: \"{name}\" is a list of levels, each a list of policies"),
        }
    };
    let one = |name: &str| -> Result<Option<NamedPolicy>> {
        match v.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(p) => Ok(Some(policy_from(p, name.to_string())?)),
        }
    };
    let set = PolicySet {
        identity: list("identity_policies")?,
        resource: one("resource_policy")?,
        resource_policy_required: v
            .get("resource_policy_required")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        boundary: one("permissions_boundary")?,
        session: list("session_policies")?,
        scps: levels("scps")?,
        rcps: levels("rcps")?,
    };
    Ok((
        set,
        Request {
            principal,
            action,
            resource,
            resource_account: account,
            context,
        },
    ))
}

fn scalar(v: &Value) -> Result<String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => bail!("context values are strings, numbers or booleans, not {other}"),
    }
}

/// The resource type and property that hold a resource-based policy, by the service its actions name.
fn resource_wrapper(doc: &Value) -> (&'static str, &'static str, &'static str) {
    let text = doc.to_string().to_ascii_lowercase();
    for (prefix, rtype, prop, extra) in [
        (
            "\"sqs:",
            "AWS::SQS::QueuePolicy",
            "PolicyDocument",
            r#""Queues":["q"],"#,
        ),
        (
            "\"sns:",
            "AWS::SNS::TopicPolicy",
            "PolicyDocument",
            r#""Topics":["t"],"#,
        ),
        (
            "\"secretsmanager:",
            "AWS::SecretsManager::ResourcePolicy",
            "ResourcePolicy",
            r#""SecretId":"s","#,
        ),
        ("\"ecr:", "AWS::ECR::Repository", "RepositoryPolicyText", ""),
        (
            "\"kms:",
            "AWS::KMS::Key",
            "KeyPolicy",
            r#""EnableKeyRotation":true,"#,
        ),
    ] {
        if text.contains(prefix) {
            return (rtype, prop, extra);
        }
    }
    (
        "AWS::S3::BucketPolicy",
        "PolicyDocument",
        r#""Bucket":"b","#,
    )
}

fn analyze(args: AnalyzeArgs) -> Result<u8> {
    let text = std::fs::read_to_string(&args.policy)
        .with_context(|| format!("cannot read {}", args.policy.display()))?;
    let doc: Value = serde_json::from_str(&text)
        .with_context(|| format!("{}: not JSON", args.policy.display()))?;
    let shown = args.policy.display().to_string();
    let mut findings: Vec<Value> = Vec::new();
    if let Kind::Scp = args.kind {
        let policy = parse_policy(&doc).map_err(|e| anyhow!("{shown}: {e}"))?;
        for f in validate(&policy, PolicyKind::Scp) {
            findings.push(json!({
                "rule": "iam-policy-invalid", "severity": "medium", "line": 0, "column": 0,
                "message": format!("Statement[{}]: {}", f.statement, f.message), "detail": format!("{:?}", f.kind),
            }));
        }
    } else {
        // The document is placed, as written, inside a one-resource template whose prefix sits on the
        // document's first line: line numbers in findings are the file's own.
        let (rtype, prop, extra) = match args.kind {
            Kind::Identity => ("AWS::IAM::Role", "Policies", ""),
            Kind::Trust => ("AWS::IAM::Role", "AssumeRolePolicyDocument", ""),
            Kind::Key => ("AWS::KMS::Key", "KeyPolicy", r#""EnableKeyRotation":true,"#),
            Kind::Resource | Kind::Scp => resource_wrapper(&doc),
        };
        let prefix = if prop == "Policies" {
            format!(
                r#"{{"Resources":{{"Policy":{{"Type":"{rtype}","Properties":{{{extra}"{prop}":[{{"PolicyName":"policy","PolicyDocument":"#
            )
        } else {
            format!(
                r#"{{"Resources":{{"Policy":{{"Type":"{rtype}","Properties":{{{extra}"{prop}":"#
            )
        };
        let suffix = if prop == "Policies" { "}]}}}}" } else { "}}}}" };
        let template = format!("{prefix}{text}{suffix}");
        let stack = load_str(&template, FileId(0), &Inputs::default(), &Limits::default())
            .map_err(|e| anyhow!("{shown}: {e}"))?;
        let dispatch = Dispatch::new(&Selection::default());
        for f in check_stack(&stack, &dispatch, &shown) {
            // Columns on the first line are shifted by the wrapper's prefix (ASCII, one column a byte).
            let col = if f.location.line == 1 {
                (f.location.col as usize)
                    .saturating_sub(prefix.len())
                    .max(1) as u32
            } else {
                f.location.col
            };
            findings.push(json!({
                "rule": f.rule.name,
                "code": f.rule.code,
                "severity": f.severity.as_str(),
                "line": f.location.line,
                "column": col,
                "message": f.message,
                "detail": f.detail,
            }));
        }
    }
    let failing = findings.iter().any(|f| {
        Severity::parse(f["severity"].as_str().unwrap_or("info"))
            .is_some_and(|s| s > Severity::Info)
    });
    match args.format {
        OutFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&json!({ "file": shown, "findings": findings }))?
        ),
        OutFormat::Text => {
            for f in &findings {
                println!(
                    "{shown}:{}:{}  {:<8} {}  {}",
                    f["line"],
                    f["column"],
                    f["severity"].as_str().unwrap_or(""),
                    f["rule"].as_str().unwrap_or(""),
                    f["message"].as_str().unwrap_or("")
                );
            }
            println!(
                "{} finding{}",
                findings.len(),
                if findings.len() == 1 { "" } else { "s" }
            );
        }
    }
    Ok(u8::from(failing))
}
