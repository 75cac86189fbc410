//! `incloud.toml`: rule selection, severities, central suppressions, defaults for the scan.

use anyhow::{anyhow, bail, Context, Result};
use incloud_model::{Area, OptionDefault, OptionValue, RuleMeta, Severity};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "incloud.toml";

#[derive(Clone, Copy, Debug, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SeverityName {
    Critical,
    High,
    Medium,
    Low,
    Info,
}

impl From<SeverityName> for Severity {
    fn from(s: SeverityName) -> Severity {
        match s {
            SeverityName::Critical => Severity::Critical,
            SeverityName::High => Severity::High,
            SeverityName::Medium => Severity::Medium,
            SeverityName::Low => Severity::Low,
            SeverityName::Info => Severity::Info,
        }
    }
}

/// What to do with findings on resources the CDK adds by itself (custom-resource providers, bucket
/// deployments, log retention functions).
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum CdkInternal {
    /// Report them like any other finding (marked `cdk_internal` in machine formats).
    #[default]
    Report,
    /// Report them with severity info, so they never fail the build.
    Downgrade,
    /// Leave them out.
    Ignore,
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FormatName {
    Text,
    Json,
}

/// incloud's configuration file.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Exit 1 when a finding has this severity or higher (default low).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fail_on: Option<SeverityName>,
    /// Default output format.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<FormatName>,
    /// Glob patterns of paths not to scan.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// Parameter values for every template (command-line values win).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, String>,
    /// The region the templates deploy to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The account the templates deploy to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// Honour suppressions written inside templates (default true). A central security team sets false.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inline_suppressions: Option<bool>,
    /// Report suppressions that matched nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_unused_suppressions: Option<bool>,
    /// Findings on resources the CDK adds by itself: report, downgrade (to info) or ignore.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cdk_internal: Option<CdkInternal>,
    #[serde(default)]
    pub rules: RulesConfig,
    /// Central suppressions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suppress: Vec<SuppressEntry>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    /// Run only the rules these select: a rule code or name, a service (`s3`), an area (`data-at-rest`), or a
    /// severity (`high`: that severity and above).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub select: Vec<String>,
    /// Never run the rules these select (same forms as `select`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<String>,
    /// Severity overrides by rule name or code.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub severity: BTreeMap<String, SeverityName>,
    /// Rule options, by rule name: `[rules.options.logs-group-retention] min_days = 400`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(with = "BTreeMap<String, BTreeMap<String, serde_json::Value>>")]
    pub options: BTreeMap<String, toml::Table>,
}

/// A central suppression: which findings, and why they are accepted.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SuppressEntry {
    /// Rule name or code, or another tool's id (AwsSolutions-S1, W35, CKV_AWS_18).
    pub rule: String,
    /// Why the risk is accepted (at least 10 characters).
    pub reason: String,
    /// Glob over the resource's logical id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// Resource type (glob), e.g. AWS::S3::Bucket.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// Stack name (glob).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stack: Option<String>,
    /// CDK construct path (glob).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cdk_path: Option<String>,
    /// File path as reports show it (glob).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Narrow to parts of a finding: one flag, action, ARN (globs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applies_to: Vec<String>,
    /// YYYY-MM-DD: from this day the suppression no longer applies, and the scan says so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

/// The first `incloud.toml` in the directory of `start` or its parents.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let abs = std::fs::canonicalize(start).ok()?;
    let mut dir = if abs.is_dir() {
        Some(abs.as_path())
    } else {
        abs.parent()
    };
    while let Some(d) = dir {
        let candidate = d.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or(0)
}

/// Whether a selector names at least one rule.
pub fn selector_known(s: &str) -> bool {
    incloud_rules::all()
        .iter()
        .any(|r| incloud_rules::selects(s, &r.meta))
        || Area::ALL.iter().any(|a| a.as_str() == s)
        || Severity::parse(s).is_some()
}

/// A TOML value as the option's type, or `None` when it has another type.
fn option_value(default: &OptionDefault, v: &toml::Value) -> Option<OptionValue> {
    let ints = |a: &Vec<toml::Value>| {
        a.iter()
            .map(|x| x.as_integer())
            .collect::<Option<Vec<i64>>>()
    };
    let strs = |a: &Vec<toml::Value>| {
        a.iter()
            .map(|x| x.as_str().map(str::to_owned))
            .collect::<Option<Vec<String>>>()
    };
    match (default, v) {
        (OptionDefault::Int(_), toml::Value::Integer(i)) => Some(OptionValue::Int(*i)),
        (OptionDefault::Bool(_), toml::Value::Boolean(b)) => Some(OptionValue::Bool(*b)),
        (OptionDefault::Str(_), toml::Value::String(s)) => Some(OptionValue::Str(s.clone())),
        (OptionDefault::Ints(_), toml::Value::Array(a)) => ints(a).map(OptionValue::Ints),
        (OptionDefault::Strs(_), toml::Value::Array(a)) => strs(a).map(OptionValue::Strs),
        _ => None,
    }
}

impl Config {
    /// The rule options set in the file, checked against each rule's declared options.
    pub fn rule_options(&self) -> Vec<(&'static RuleMeta, &'static str, OptionValue)> {
        let mut out = Vec::new();
        for (name, table) in &self.rules.options {
            let Some(rule) = incloud_rules::find(name) else {
                continue;
            };
            for (key, value) in table {
                if let Some(opt) = rule.meta.options.iter().find(|o| o.name == key) {
                    if let Some(v) = option_value(&opt.default, value) {
                        out.push((&rule.meta, opt.name, v));
                    }
                }
            }
        }
        out
    }
}

pub fn load(path: &Path) -> Result<Config> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    parse(&text, &path.display().to_string())
}

pub fn parse(text: &str, origin: &str) -> Result<Config> {
    let config: Config = toml::from_str(text).map_err(|e| {
        let at = e
            .span()
            .map(|s| {
                let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                format!(":{line}")
            })
            .unwrap_or_default();
        anyhow!("{origin}{at}: {}", e.message())
    })?;
    let err = |needle: &str, msg: String| anyhow!("{origin}:{}: {msg}", line_of(text, needle));
    for s in config.rules.select.iter().chain(&config.rules.ignore) {
        if !selector_known(s) {
            return Err(err(
                s,
                format!("rules: {s:?} is not a rule, service, area or severity"),
            ));
        }
    }
    for name in config.rules.severity.keys() {
        if incloud_rules::find(name).is_none() {
            return Err(err(name, format!("rules.severity: no rule {name:?}")));
        }
    }
    for (name, opts) in &config.rules.options {
        if incloud_rules::find(name).is_none() {
            return Err(err(name, format!("rules.options: no rule {name:?}")));
        }
        let rule = incloud_rules::find(name).map(|r| &r.meta);
        for (key, value) in opts {
            let Some(opt) = rule.and_then(|r| r.options.iter().find(|o| o.name == key)) else {
                return Err(err(
                    key,
                    format!("rules.options.{name}: the rule has no option {key:?}"),
                ));
            };
            if option_value(&opt.default, value).is_none() {
                return Err(err(
                    key,
                    format!(
                        "rules.options.{name}.{key} must be a {}",
                        opt.default.kind()
                    ),
                ));
            }
        }
    }
    for s in &config.suppress {
        if !incloud_rules::suppress::is_known_id(&s.rule) {
            return Err(err(&s.rule, format!("suppress: rule {:?} is not an incloud rule nor another tool's id that maps to one", s.rule)));
        }
        if s.reason.trim().chars().count() < incloud_rules::suppress::MIN_REASON {
            return Err(err(
                &s.reason,
                format!(
                    "suppress: the reason for {} must say why, in at least {} characters",
                    s.rule,
                    incloud_rules::suppress::MIN_REASON
                ),
            ));
        }
        if let Some(d) = &s.expires {
            let ok = d.len() == 10
                && d.bytes().enumerate().all(|(i, b)| {
                    if i == 4 || i == 7 {
                        b == b'-'
                    } else {
                        b.is_ascii_digit()
                    }
                });
            if !ok {
                bail!(
                    "{origin}:{}: suppress: expires must be a date YYYY-MM-DD, got {d:?}",
                    line_of(text, d)
                );
            }
        }
    }
    Ok(config)
}

impl Config {
    /// Central suppressions for the rules engine, with where each was written.
    pub fn central(&self, origin: &str, text: &str) -> Vec<incloud_rules::suppress::Central> {
        self.suppress
            .iter()
            .map(|s| incloud_rules::suppress::Central {
                rule: s.rule.clone(),
                reason: s.reason.clone(),
                resource: s.resource.clone(),
                resource_type: s.resource_type.clone(),
                stack: s.stack.clone(),
                cdk_path: s.cdk_path.clone(),
                file: s.file.clone(),
                applies_to: s.applies_to.clone(),
                expires: s.expires.clone(),
                origin: format!("{origin}:{}", line_of(text, &s.reason)),
            })
            .collect()
    }
}

/// The JSON schema of the configuration file, generated from the types above.
pub fn schema() -> String {
    let schema = schemars::schema_for!(Config);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_and_bad_values_name_the_line() {
        let e = parse("fail_on = \"high\"\nfial_on = 1\n", "incloud.toml")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("incloud.toml:2:") && e.contains("fial_on"),
            "{e}"
        );
        let e = parse("[rules]\nselect = [\"s3\", \"nope\"]\n", "incloud.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("incloud.toml:2:") && e.contains("nope"), "{e}");
        let e = parse(
            "[[suppress]]\nrule = \"s3-bucket-versioning\"\nreason = \"meh\"\n",
            "c",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("c:3:") && e.contains("at least 10"), "{e}");
        let e = parse("[[suppress]]\nrule = \"W35\"\nreason = \"logs go to the central account\"\nexpires = \"next week\"\n", "c")
            .unwrap_err()
            .to_string();
        assert!(e.contains("YYYY-MM-DD"), "{e}");
        let e = parse("fail_on = \"extreme\"\n", "c")
            .unwrap_err()
            .to_string();
        assert!(e.contains("c:1") && e.contains("extreme"), "{e}");
        let e = parse("[rules.options.s3-bucket-versioning]\nmin_days = 3\n", "c")
            .unwrap_err()
            .to_string();
        assert!(e.contains("no option \"min_days\""), "{e}");
    }

    #[test]
    fn a_full_config_parses() {
        let c = parse(
            r#"
fail_on = "medium"
exclude = ["tests/**"]
inline_suppressions = false
cdk_internal = "downgrade"
[rules]
select = ["s3", "data-at-rest", "high", "IN-S3-001"]
ignore = ["s3-bucket-replication"]
severity = { s3-bucket-versioning = "high" }
[[suppress]]
rule = "AwsSolutions-S1"
reason = "access logs are collected by the organization trail"
resource = "Logs*"
expires = "2027-06-30"
"#,
            "c",
        )
        .unwrap();
        assert_eq!(c.fail_on, Some(SeverityName::Medium));
        assert_eq!(c.cdk_internal, Some(CdkInternal::Downgrade));
        assert_eq!(c.suppress[0].resource.as_deref(), Some("Logs*"));
    }
}
