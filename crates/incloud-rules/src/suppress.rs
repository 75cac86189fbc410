//! Suppressions: accepting a finding on purpose, with a reason, next to the code or in one central place.
//!
//! Read from template and resource `Metadata` in incloud's own format and in cdk-nag's, cfn_nag's, checkov's
//! and cfn-guard's (mapped through each rule's equivalents, so existing suppressions keep working), and from
//! central entries (the configuration file). A suppression without a reason of at least ten characters does
//! not suppress; it is reported. Suppressed findings stay in the output, marked.

use crate::Rule;
use incloud_model::{wildcard, Finding, Node, Resource, Span, Stack, Suppression};
use regex::Regex;

/// Shortest reason that counts, as in cdk-nag.
pub const MIN_REASON: usize = 10;

/// Something about suppressions the user should know: a reasonless one, an unknown id, an unused or expired one.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Notice {
    pub span: Option<Span>,
    pub message: String,
    /// Notices with the same key are one fact seen in many places (an id that maps to no rule): reported
    /// once, with a count.
    pub key: Option<String>,
}

/// How one suppression narrows what it applies to.
#[derive(Clone, Debug)]
pub enum Pattern {
    Exact(String),
    Regex(Regex),
}

impl Pattern {
    fn matches(&self, detail: &str) -> bool {
        match self {
            Pattern::Exact(s) => {
                let (s, detail) = (canonical_partition(s), canonical_partition(detail));
                s == detail || wildcard::matches(&s, &detail)
            }
            Pattern::Regex(r) => {
                r.is_match(detail)
                    || r.is_match(
                        &canonical_partition(detail).replace("arn:aws:", "arn:<AWS::Partition>:"),
                    )
            }
        }
    }
}

/// A suppression written in a central place (the configuration file).
#[derive(Clone, Debug, Default)]
pub struct Central {
    /// Rule name or code, or another tool's id (`AwsSolutions-S1`, `W35`, `CKV_AWS_18`).
    pub rule: String,
    pub reason: String,
    /// Glob over the resource's logical id.
    pub resource: Option<String>,
    pub resource_type: Option<String>,
    pub stack: Option<String>,
    pub cdk_path: Option<String>,
    /// Glob over the file path as shown in reports.
    pub file: Option<String>,
    pub applies_to: Vec<String>,
    /// `YYYY-MM-DD`: from this day on it no longer suppresses, and says so.
    pub expires: Option<String>,
    /// Where it was written, for messages (`incloud.toml:12`).
    pub origin: String,
}

/// The suppressions that apply to a scan, beyond those inside templates.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    pub central: Vec<Central>,
    /// `false`: a central security team ignores suppressions written inside templates.
    pub inline: bool,
    /// Today's date, `YYYY-MM-DD`, for expiry (the library does not read the clock).
    pub today: String,
    pub report_unused: bool,
}

/// What applying suppressions to one stack found.
#[derive(Debug, Default)]
pub struct Outcome {
    pub notices: Vec<Notice>,
    /// Indices of the central suppressions that matched a finding in this stack.
    pub central_used: Vec<usize>,
}

struct Entry {
    source: &'static str,
    /// The id as written.
    id: String,
    rules: Vec<&'static Rule>,
    reason: Option<String>,
    applies_to: Vec<Pattern>,
    span: Span,
    used: bool,
}

/// Which rules another tool's id (or ours) stands for.
pub fn rules_for_id(source: &str, id: &str) -> Vec<&'static Rule> {
    let norm = |s: &str| s.to_ascii_lowercase().replace('_', "-");
    crate::all()
        .iter()
        .copied()
        .filter(|r| {
            let c = &r.meta.controls;
            match source {
                "cdk-nag" => c.cdk_nag.iter().any(|x| x.eq_ignore_ascii_case(id)),
                "cfn_nag" => c.cfn_nag.iter().any(|x| x.eq_ignore_ascii_case(id)),
                "checkov" => c.checkov.iter().any(|x| x.eq_ignore_ascii_case(id)),
                "cfn-guard" => c.aws_config.iter().any(|x| norm(x) == norm(id)),
                _ => {
                    r.meta.code.eq_ignore_ascii_case(id)
                        || r.meta.name.eq_ignore_ascii_case(id)
                        || c.cdk_nag.iter().any(|x| x.eq_ignore_ascii_case(id))
                        || c.cfn_nag.iter().any(|x| x.eq_ignore_ascii_case(id))
                        || c.checkov.iter().any(|x| x.eq_ignore_ascii_case(id))
                }
            }
        })
        .collect()
}

fn text(n: Option<&Node>) -> Option<String> {
    n.and_then(|n| n.scalar_string())
}

/// `applies_to` entries: exact strings (with `*` wildcards) or cdk-nag's `{regex: "/.../"}`.
fn applies(n: Option<&Node>, notices: &mut Vec<Notice>) -> Vec<Pattern> {
    let mut v = Vec::new();
    for item in n.map(|n| n.items()).unwrap_or_default() {
        if let Some(s) = item.scalar_string() {
            v.push(Pattern::Exact(s));
        } else if let Some(re) = item.get("regex").and_then(|r| r.scalar_string()) {
            let body = match re.strip_prefix('/') {
                Some(r) => r.rsplit_once('/').map(|(b, _)| b).unwrap_or(r),
                None => re.as_str(),
            };
            match Regex::new(&format!("^(?:{body})$")) {
                Ok(r) => v.push(Pattern::Regex(r)),
                Err(e) => notices.push(Notice {
                    span: Some(item.span),
                    message: format!("invalid applies_to regex {re}: {e}"),
                    key: None,
                }),
            }
        }
    }
    v
}

/// Read every suppression written in one `Metadata` object.
fn read_metadata(meta: &Node, out: &mut Vec<Entry>, notices: &mut Vec<Notice>) {
    let mut push = |notices: &mut Vec<Notice>,
                    source: &'static str,
                    id: String,
                    reason: Option<String>,
                    applies_to: Vec<Pattern>,
                    span: Span| {
        let rules = rules_for_id(source, &id);
        if rules.is_empty() {
            notices.push(Notice {
                span: Some(span),
                message: format!(
                    "{source} suppression of {id} matches no incloud rule; it is ignored"
                ),
                key: Some(format!("unmapped {source} {id}")),
            });
            return;
        }
        out.push(Entry {
            source,
            id,
            rules,
            reason,
            applies_to,
            span,
            used: false,
        });
    };
    if let Some(list) = meta.get("incloud").and_then(|m| m.get("suppress")) {
        for e in list.items() {
            let Some(id) = text(e.get("rule")) else {
                continue;
            };
            let a = applies(e.get("applies_to"), notices);
            push(notices, "incloud", id, text(e.get("reason")), a, e.span);
        }
    }
    if let Some(list) = meta.get("cdk_nag").and_then(|m| m.get("rules_to_suppress")) {
        for e in list.items() {
            let Some(id) = text(e.get("id")) else {
                continue;
            };
            let mut a = applies(e.get("applies_to"), notices);
            // Granular ids: AwsSolutions-IAM5[Action::s3:*]
            let id = match id.split_once('[') {
                Some((base, rest)) if rest.ends_with(']') => {
                    a.push(Pattern::Exact(rest.trim_end_matches(']').to_string()));
                    base.to_string()
                }
                _ => id,
            };
            push(notices, "cdk-nag", id, text(e.get("reason")), a, e.span);
        }
    }
    if let Some(list) = meta.get("cfn_nag").and_then(|m| m.get("rules_to_suppress")) {
        for e in list.items() {
            let Some(id) = text(e.get("id")) else {
                continue;
            };
            push(
                notices,
                "cfn_nag",
                id,
                text(e.get("reason")),
                Vec::new(),
                e.span,
            );
        }
    }
    if let Some(list) = meta.get("checkov").and_then(|m| m.get("skip")) {
        for e in list.items() {
            let Some(id) = text(e.get("id")) else {
                continue;
            };
            push(
                notices,
                "checkov",
                id,
                text(e.get("comment")),
                Vec::new(),
                e.span,
            );
        }
    }
    if let Some(list) = meta.get("guard").and_then(|m| m.get("SuppressedRules")) {
        for e in list.items() {
            let Some(id) = e.scalar_string() else {
                continue;
            };
            // cfn-guard suppressions carry no reason; they are honoured only with one from elsewhere.
            push(notices, "cfn-guard", id, None, Vec::new(), e.span);
        }
    }
}

/// cdk-nag prints the partition of an ARN built by the CDK as `<AWS::Partition>`, while the model resolves
/// it (to `aws` unless `--region` says otherwise): both spellings, and every partition, match each other.
fn canonical_partition(s: &str) -> String {
    let mut out = s.to_string();
    for p in ["arn:<AWS::Partition>:", "arn:aws-cn:", "arn:aws-us-gov:"] {
        out = out.replace(p, "arn:aws:");
    }
    out
}

fn entry_matches(e: &Entry, f: &Finding) -> bool {
    e.rules.iter().any(|r| std::ptr::eq(&r.meta, f.rule))
        && (e.applies_to.is_empty()
            || f.detail
                .as_deref()
                .is_some_and(|d| e.applies_to.iter().any(|p| p.matches(d))))
}

fn central_matches(c: &Central, f: &Finding, file: &str) -> bool {
    let glob = |pat: &Option<String>, value: Option<&str>| match pat {
        None => true,
        Some(p) => value.is_some_and(|v| wildcard::matches(p, v)),
    };
    let rule_ok = rules_for_id("", &c.rule)
        .iter()
        .any(|r| std::ptr::eq(&r.meta, f.rule));
    rule_ok
        && glob(&c.resource, Some(&f.resource.id))
        && glob(&c.resource_type, Some(&f.resource.rtype))
        && glob(&c.stack, f.resource.stack.as_deref())
        && glob(&c.cdk_path, f.resource.cdk_path.as_deref())
        && glob(&c.file, Some(file))
        && (c.applies_to.is_empty()
            || f.detail.as_deref().is_some_and(|d| {
                c.applies_to
                    .iter()
                    .any(|p| wildcard::matches(&canonical_partition(p), &canonical_partition(d)))
            }))
}

fn valid_reason(r: &Option<String>) -> Option<&str> {
    r.as_deref()
        .filter(|r| r.trim().chars().count() >= MIN_REASON)
}

/// Mark the findings of one stack that are suppressed. `file` is the template's path as reports show it.
pub fn apply(findings: &mut [Finding], stack: &Stack, file: &str, policy: &Policy) -> Outcome {
    let mut out = Outcome::default();
    let mut template_entries = Vec::new();
    let mut by_resource: Vec<(&Resource, Vec<Entry>)> = Vec::new();
    if policy.inline {
        if let Some(m) = &stack.metadata {
            read_metadata(m, &mut template_entries, &mut out.notices);
        }
        for r in &stack.resources {
            if let Some(m) = &r.metadata {
                let mut v = Vec::new();
                read_metadata(m, &mut v, &mut out.notices);
                if !v.is_empty() {
                    by_resource.push((r, v));
                }
            }
        }
    }
    let mut reasonless: Vec<(Span, String, &'static str)> = Vec::new();
    for f in findings.iter_mut() {
        let resource_entries = by_resource
            .iter_mut()
            .find(|(r, _)| r.id == f.resource.id)
            .map(|(_, v)| v);
        let mut candidates: Vec<&mut Entry> = resource_entries
            .map(|v| v.iter_mut().collect())
            .unwrap_or_default();
        candidates.extend(template_entries.iter_mut());
        for e in candidates {
            if !entry_matches(e, f) {
                continue;
            }
            e.used = true;
            match valid_reason(&e.reason) {
                Some(reason) => {
                    f.suppression = Some(Suppression {
                        source: format!("template metadata ({})", e.source),
                        reason: reason.to_string(),
                    });
                    break;
                }
                None => reasonless.push((e.span, e.id.clone(), e.source)),
            }
        }
        if f.suppression.is_some() {
            continue;
        }
        for (i, c) in policy.central.iter().enumerate() {
            if !central_matches(c, f, file) {
                continue;
            }
            if !out.central_used.contains(&i) {
                out.central_used.push(i);
            }
            if let Some(exp) = &c.expires {
                if policy.today.as_str() >= exp.as_str() {
                    continue;
                }
            }
            if let Some(reason) = valid_reason(&Some(c.reason.clone())) {
                f.suppression = Some(Suppression {
                    source: c.origin.clone(),
                    reason: reason.to_string(),
                });
                break;
            }
        }
    }
    reasonless.sort();
    reasonless.dedup();
    for (span, id, source) in reasonless {
        out.notices.push(Notice {
            span: Some(span),
            message: format!(
                "{source} suppression of {id} has no reason of at least {MIN_REASON} characters, so it does not suppress"
            ),
            key: None,
        });
    }
    if policy.report_unused {
        let unused = template_entries
            .iter()
            .chain(by_resource.iter().flat_map(|(_, v)| v.iter()))
            .filter(|e| !e.used);
        for e in unused {
            out.notices.push(Notice {
                span: Some(e.span),
                message: format!(
                    "unused suppression: {} {} matched no finding in this scan",
                    e.source, e.id
                ),
                key: None,
            });
        }
    }
    out
}

/// Whether a value is a suppression list entry at all (for config validation of `rule` ids).
pub fn is_known_id(id: &str) -> bool {
    !rules_for_id("", id).is_empty()
}
