//! Renderers over one scan's findings. None of them re-runs rules or reads templates: each turns the same
//! [`Scan`] into bytes.

mod asff;
mod csv;
mod escape;
mod html;
mod json;
mod junit;
mod ocsf;
mod sarif;
mod security_md;
#[cfg(test)]
mod testutil;
mod text;

use incloud_model::{
    Controls, FileId, Finding, FindingResource, Severity, SourceFile, Suppression,
};
use std::collections::HashMap;

pub use asff::{render_asff, AsffOptions, ASFF_BATCH_SIZE};
pub use csv::render_csv;
pub use html::{render_html, HtmlOptions};
pub use json::render_json;
pub use junit::render_junit;
pub use ocsf::render_ocsf;
pub use sarif::render_sarif;
pub use security_md::render_security_md;
pub use text::{render_compact, render_text, TextOptions};

/// Where incloud lives; reports link to it.
pub(crate) const HOMEPAGE: &str = "https://github.com/incloud-dev/incloud";

/// A file that could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LoadErrorEntry {
    pub file: String,
    pub line: Option<u32>,
    pub col: Option<u32>,
    pub message: String,
}

/// Everything a report shows.
pub struct Scan<'a> {
    pub tool_version: &'a str,
    pub files: &'a [SourceFile],
    pub findings: &'a [Finding],
    pub errors: &'a [LoadErrorEntry],
    /// Things about the scan itself the user should know (suppressions without reasons, unknown ids, unused or
    /// expired suppressions).
    pub warnings: &'a [LoadErrorEntry],
    /// Templates (stacks) scanned.
    pub stacks: usize,
    /// Distinct files that held a scanned template.
    pub scanned_files: usize,
    pub resources: usize,
}

impl Scan<'_> {
    /// File paths by id, as shown to users (forward slashes on every platform).
    pub fn paths(&self) -> HashMap<FileId, String> {
        self.files
            .iter()
            .map(|f| (f.id, f.path.to_string_lossy().replace('\\', "/")))
            .collect()
    }

    /// Findings that count (not suppressed) by severity, most severe first.
    pub fn by_severity(&self) -> Vec<(Severity, usize)> {
        Severity::ALL
            .iter()
            .map(|&s| {
                (
                    s,
                    self.findings
                        .iter()
                        .filter(|f| f.severity == s && f.suppression.is_none())
                        .count(),
                )
            })
            .collect()
    }
}

/// A rule's documentation page in the incloud repository (generated from the rule's metadata).
pub(crate) fn rule_doc_url(name: &str) -> String {
    format!("{HOMEPAGE}/blob/main/docs/rules/{name}.md")
}

/// The resource as users name it: `stack/LogicalId`, or the logical id for a plain template.
pub(crate) fn resource_label(r: &FindingResource) -> String {
    match &r.stack {
        Some(stack) => format!("{stack}/{}", r.id),
        None => r.id.clone(),
    }
}

/// Findings in one fixed order (file, line, column, rule, resource, fingerprint), whatever order the scan
/// produced them in, so every format gives the same bytes for the same input.
pub(crate) fn sorted_findings<'a>(
    scan: &Scan<'a>,
    paths: &HashMap<FileId, String>,
) -> Vec<&'a Finding> {
    let mut sorted: Vec<&Finding> = scan.findings.iter().collect();
    let path = |f: &Finding| paths.get(&f.location.file).cloned().unwrap_or_default();
    sorted.sort_by(|a, b| {
        (
            path(a),
            a.location.line,
            a.location.col,
            a.rule.code,
            &a.resource,
            &a.fingerprint,
        )
            .cmp(&(
                path(b),
                b.location.line,
                b.location.col,
                b.rule.code,
                &b.resource,
                &b.fingerprint,
            ))
    });
    sorted
}

/// Whether a suppression was written next to the resource (template or CDK metadata) rather than kept apart
/// from the code (config file, baseline).
pub(crate) fn is_in_source(s: &Suppression) -> bool {
    let source = s.source.to_ascii_lowercase();
    source.contains("template") || source.contains("metadata") || source.contains("cdk")
}

/// The compliance frameworks a rule maps to, by report key (the other tools' equivalents are left out: they
/// are not frameworks).
pub(crate) fn frameworks(controls: &Controls) -> Vec<&'static str> {
    controls
        .entries()
        .into_iter()
        .take(6)
        .filter(|(_, ids)| !ids.is_empty())
        .map(|(key, _)| key)
        .collect()
}

/// Every compliance requirement a rule maps to, each named so that it reads on its own
/// (`NIST.800-53.r5 SC-8`, `PCI DSS v4.0.1 4.2.1`, `AWS Security Hub S3.5`).
pub(crate) fn requirements(controls: &Controls) -> Vec<String> {
    let mut out = Vec::new();
    for (key, ids) in controls.entries().into_iter().take(6) {
        for id in ids {
            let prefix = match key {
                "security-hub" => "AWS Security Hub ",
                "aws-config" => "AWS Config ",
                "nist-800-53" => "NIST.800-53.r5 ",
                "hipaa" => "HIPAA ",
                // CIS and PCI DSS ids already name their framework and version.
                _ => "",
            };
            out.push(format!("{prefix}{id}"));
        }
    }
    out
}

/// The AWS service a resource type belongs to, as a heading for people: `AWS::S3::Bucket` is `S3`,
/// `AWS::Serverless::Function` is `Lambda`, `AWS::EC2::Subnet` is `EC2/VPC`.
pub(crate) fn service_of(rtype: &str) -> String {
    let mut parts = rtype.split("::");
    let (vendor, service, kind) = (parts.next(), parts.next(), parts.next());
    if vendor.is_some_and(|v| v.starts_with("Custom"))
        || rtype.starts_with("AWS::CloudFormation::CustomResource")
    {
        return "Custom resources".to_string();
    }
    let Some(service) = service else {
        return rtype.to_string();
    };
    let name = match (service, kind.unwrap_or("")) {
        ("Serverless", "Function" | "LayerVersion") => "Lambda",
        ("Serverless", "Api" | "HttpApi") => "API Gateway",
        ("Serverless", "SimpleTable") => "DynamoDB",
        ("Serverless", "StateMachine") => "Step Functions",
        ("Serverless", "Application") => "CloudFormation/CDK",
        ("CloudFormation" | "CDK", _) => "CloudFormation/CDK",
        ("EC2", _) => "EC2/VPC",
        ("Logs", _) => "CloudWatch Logs",
        ("ApiGateway" | "ApiGatewayV2", _) => "API Gateway",
        ("StepFunctions", _) => "Step Functions",
        ("SecretsManager", _) => "Secrets Manager",
        ("ElasticLoadBalancingV2" | "ElasticLoadBalancing", _) => "Elastic Load Balancing",
        (other, _) => other,
    };
    name.to_string()
}

/// A UTC instant in milliseconds since the Unix epoch as RFC 3339 (`2024-05-01T12:00:00.000Z`).
pub(crate) fn rfc3339_ms(unix_ms: i64) -> String {
    let secs = unix_ms.div_euclid(1000);
    let ms = unix_ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let tod = secs.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil algorithm: exact for the proleptic Gregorian calendar.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{ms:03}Z",
        tod / 3600,
        tod % 3600 / 60,
        tod % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_from_unix_ms() {
        assert_eq!(rfc3339_ms(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339_ms(1_714_564_800_123), "2024-05-01T12:00:00.123Z");
        assert_eq!(rfc3339_ms(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(rfc3339_ms(-1), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn services_from_resource_types() {
        assert_eq!(service_of("AWS::S3::Bucket"), "S3");
        assert_eq!(service_of("AWS::Serverless::Function"), "Lambda");
        assert_eq!(service_of("AWS::EC2::Subnet"), "EC2/VPC");
        assert_eq!(service_of("AWS::CDK::Metadata"), "CloudFormation/CDK");
        assert_eq!(service_of("Custom::Thing"), "Custom resources");
        assert_eq!(service_of("weird"), "weird");
    }
}
