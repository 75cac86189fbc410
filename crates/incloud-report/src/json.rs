//! The JSON report: a versioned contract for machines (see the README for its schema).
//!
//! Written through borrowed, derived structs rather than `serde_json::Value`: on large scans building a
//! `Value` per finding was a fifth of the run's instructions. Field order is the declaration order.

use crate::{LoadErrorEntry, Scan};
use incloud_model::{FileId, Finding, Severity};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    tool: Tool<'a>,
    findings: Vec<FindingOut<'a>>,
    errors: Vec<EntryOut<'a>>,
    warnings: Vec<EntryOut<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Tool<'a> {
    name: &'static str,
    version: &'a str,
}

#[derive(Serialize)]
struct EntryOut<'a> {
    file: &'a str,
    line: Option<u32>,
    column: Option<u32>,
    message: &'a str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    stacks: usize,
    resources: usize,
    findings: usize,
    suppressed: usize,
    errors: usize,
    warnings: usize,
    by_severity: BTreeMapOrdered,
}

/// Severities most severe first, as a JSON object.
struct BTreeMapOrdered(Vec<(Severity, usize)>);

impl Serialize for BTreeMapOrdered {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (sev, n) in &self.0 {
            m.serialize_entry(sev.as_str(), n)?;
        }
        m.end()
    }
}

#[derive(Serialize)]
struct FindingOut<'a> {
    rule: &'static str,
    name: &'static str,
    severity: &'static str,
    area: &'static str,
    title: &'static str,
    message: &'a str,
    resource: ResourceOut<'a>,
    location: LocationOut<'a>,
    path: &'a str,
    condition: Option<&'a str>,
    detail: Option<&'a str>,
    controls: ControlsOut,
    fingerprint: &'a str,
    suppression: Option<SuppressionOut<'a>>,
}

#[derive(Serialize)]
struct ResourceOut<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    rtype: &'a str,
    stack: Option<&'a str>,
    cdk_path: Option<&'a str>,
    cdk_internal: bool,
}

#[derive(Serialize)]
struct LocationOut<'a> {
    file: &'a str,
    line: u32,
    column: u32,
}

#[derive(Serialize)]
struct SuppressionOut<'a> {
    source: &'a str,
    reason: &'a str,
}

/// The controls in the fixed order of `Controls::entries`.
struct ControlsOut(incloud_model::Controls);

impl Serialize for ControlsOut {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let entries = self.0.entries();
        let mut m = s.serialize_map(Some(entries.len()))?;
        for (k, ids) in entries {
            m.serialize_entry(k, ids)?;
        }
        m.end()
    }
}

fn entry(e: &LoadErrorEntry) -> EntryOut<'_> {
    EntryOut {
        file: &e.file,
        line: e.line,
        column: e.col,
        message: &e.message,
    }
}

fn finding<'a>(f: &'a Finding, paths: &'a HashMap<FileId, String>) -> FindingOut<'a> {
    FindingOut {
        rule: f.rule.code,
        name: f.rule.name,
        severity: f.severity.as_str(),
        area: f.rule.area.as_str(),
        title: f.rule.title,
        message: &f.message,
        resource: ResourceOut {
            id: &f.resource.id,
            rtype: &f.resource.rtype,
            stack: f.resource.stack.as_deref(),
            cdk_path: f.resource.cdk_path.as_deref(),
            cdk_internal: f.resource.cdk_internal,
        },
        location: LocationOut {
            file: paths
                .get(&f.location.file)
                .map(String::as_str)
                .unwrap_or(""),
            line: f.location.line,
            column: f.location.col,
        },
        path: &f.path,
        condition: f.condition.as_deref(),
        detail: f.detail.as_deref(),
        controls: ControlsOut(f.rule.controls),
        fingerprint: &f.fingerprint,
        suppression: f.suppression.as_ref().map(|s| SuppressionOut {
            source: &s.source,
            reason: &s.reason,
        }),
    }
}

pub fn render_json(scan: &Scan<'_>) -> String {
    let paths = scan.paths();
    let suppressed = scan
        .findings
        .iter()
        .filter(|f| f.suppression.is_some())
        .count();
    let doc = Doc {
        version: 1,
        tool: Tool {
            name: "incloud",
            version: scan.tool_version,
        },
        findings: scan.findings.iter().map(|f| finding(f, &paths)).collect(),
        errors: scan.errors.iter().map(entry).collect(),
        warnings: scan.warnings.iter().map(entry).collect(),
        summary: Summary {
            files: scan.scanned_files,
            stacks: scan.stacks,
            resources: scan.resources,
            findings: scan.findings.len() - suppressed,
            suppressed,
            errors: scan.errors.len(),
            warnings: scan.warnings.len(),
            by_severity: BTreeMapOrdered(scan.by_severity()),
        },
    };
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}
