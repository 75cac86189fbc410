//! What a rule is, as data: one definition read by the CLI, the docs generator and every report format.

use serde::Serialize;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s))
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The customer's side of the shared responsibility model, in the areas users reason about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Area {
    IdentityAndAccess,
    DataAtRest,
    DataInTransit,
    Network,
    LoggingAndMonitoring,
    Resilience,
    Secrets,
    AiSafety,
}

impl Area {
    pub const ALL: [Area; 8] = [
        Area::IdentityAndAccess,
        Area::DataAtRest,
        Area::DataInTransit,
        Area::Network,
        Area::LoggingAndMonitoring,
        Area::Resilience,
        Area::Secrets,
        Area::AiSafety,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Area::IdentityAndAccess => "identity-and-access",
            Area::DataAtRest => "data-at-rest",
            Area::DataInTransit => "data-in-transit",
            Area::Network => "network",
            Area::LoggingAndMonitoring => "logging-and-monitoring",
            Area::Resilience => "resilience",
            Area::Secrets => "secrets",
            Area::AiSafety => "ai-safety",
        }
    }

    /// The area as a heading for people.
    pub fn title(self) -> &'static str {
        match self {
            Area::IdentityAndAccess => "Identity and access",
            Area::DataAtRest => "Data at rest",
            Area::DataInTransit => "Data in transit",
            Area::Network => "Network",
            Area::LoggingAndMonitoring => "Logging and monitoring",
            Area::Resilience => "Resilience",
            Area::Secrets => "Secrets",
            Area::AiSafety => "AI safety",
        }
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The controls and the other tools' checks a rule corresponds to.
#[derive(Clone, Copy, Debug, Default)]
pub struct Controls {
    pub security_hub: &'static [&'static str],
    pub aws_config: &'static [&'static str],
    pub cis: &'static [&'static str],
    pub nist_800_53: &'static [&'static str],
    pub pci_dss: &'static [&'static str],
    pub hipaa: &'static [&'static str],
    pub cdk_nag: &'static [&'static str],
    pub cfn_nag: &'static [&'static str],
    pub checkov: &'static [&'static str],
}

impl Controls {
    pub const NONE: Controls = Controls {
        security_hub: &[],
        aws_config: &[],
        cis: &[],
        nist_800_53: &[],
        pci_dss: &[],
        hipaa: &[],
        cdk_nag: &[],
        cfn_nag: &[],
        checkov: &[],
    };

    /// Every framework with its ids, in a fixed order, with the keys used in reports.
    pub fn entries(&self) -> [(&'static str, &'static [&'static str]); 9] {
        [
            ("security-hub", self.security_hub),
            ("aws-config", self.aws_config),
            ("cis", self.cis),
            ("nist-800-53", self.nist_800_53),
            ("pci-dss", self.pci_dss),
            ("hipaa", self.hipaa),
            ("cdk-nag", self.cdk_nag),
            ("cfn-nag", self.cfn_nag),
            ("checkov", self.checkov),
        ]
    }
}

/// A rule's documentation, in sections. Plain text; indented lines are code.
#[derive(Clone, Copy, Debug)]
pub struct Docs {
    /// What the rule checks.
    pub description: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// What an unknown value (an import, a parameter without a value) means for this rule.
    pub unknown: &'static str,
    pub fix_cloudformation: &'static str,
    pub fix_cdk: &'static str,
    pub fix_terraform: &'static str,
    pub fix_cli: &'static str,
}

#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, never reused: `IN-S3-002`.
    pub code: &'static str,
    /// Stable kebab-case name: `s3-bucket-tls-only`.
    pub name: &'static str,
    pub severity: Severity,
    pub area: Area,
    /// One line, said as what should be true.
    pub title: &'static str,
    /// The resource types the rule is dispatched on.
    pub resource_types: &'static [&'static str],
    pub controls: Controls,
    pub docs: Docs,
    /// Thresholds and lists a user can set in `incloud.toml` (`[rules.options.<name>]`).
    pub options: &'static [RuleOption],
}

/// A rule option and its default; the default's kind is the option's type.
#[derive(Debug)]
pub struct RuleOption {
    pub name: &'static str,
    pub doc: &'static str,
    pub default: OptionDefault,
}

#[derive(Debug, Clone, Copy)]
pub enum OptionDefault {
    Int(i64),
    Bool(bool),
    Str(&'static str),
    Ints(&'static [i64]),
    Strs(&'static [&'static str]),
}

/// An option's value for one scan: the user's or the default.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    Int(i64),
    Bool(bool),
    Str(String),
    Ints(Vec<i64>),
    Strs(Vec<String>),
}

impl From<OptionDefault> for OptionValue {
    fn from(d: OptionDefault) -> Self {
        match d {
            OptionDefault::Int(i) => OptionValue::Int(i),
            OptionDefault::Bool(b) => OptionValue::Bool(b),
            OptionDefault::Str(s) => OptionValue::Str(s.to_string()),
            OptionDefault::Ints(v) => OptionValue::Ints(v.to_vec()),
            OptionDefault::Strs(v) => OptionValue::Strs(v.iter().map(|s| s.to_string()).collect()),
        }
    }
}

impl OptionDefault {
    /// The type's name, for messages and the docs.
    pub fn kind(&self) -> &'static str {
        match self {
            OptionDefault::Int(_) => "integer",
            OptionDefault::Bool(_) => "boolean",
            OptionDefault::Str(_) => "string",
            OptionDefault::Ints(_) => "list of integers",
            OptionDefault::Strs(_) => "list of strings",
        }
    }

    pub fn render(&self) -> String {
        match self {
            OptionDefault::Int(i) => i.to_string(),
            OptionDefault::Bool(b) => b.to_string(),
            OptionDefault::Str(s) => format!("{s:?}"),
            OptionDefault::Ints(v) => format!("{v:?}"),
            OptionDefault::Strs(v) => format!("{v:?}"),
        }
    }
}

impl RuleMeta {
    /// The service part of the rule name (`s3` for `s3-bucket-tls-only`).
    pub fn service(&self) -> &'static str {
        self.name.split('-').next().unwrap_or(self.name)
    }
}
