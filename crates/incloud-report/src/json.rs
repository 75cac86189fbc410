//! The JSON report: a versioned contract for machines (see the README for its schema).

use crate::Scan;
use incloud_model::Finding;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

pub fn render_json(scan: &Scan<'_>) -> String {
    let paths = scan.paths();
    let findings: Vec<Value> = scan.findings.iter().map(|f| finding(f, &paths)).collect();
    let errors: Vec<Value> = scan
        .errors
        .iter()
        .map(|e| json!({"file": e.file, "line": e.line, "column": e.col, "message": e.message}))
        .collect();
    let warnings: Vec<Value> = scan
        .warnings
        .iter()
        .map(|e| json!({"file": e.file, "line": e.line, "column": e.col, "message": e.message}))
        .collect();
    let mut by_severity = Map::new();
    for (sev, n) in scan.by_severity() {
        by_severity.insert(sev.as_str().into(), n.into());
    }
    let suppressed = scan
        .findings
        .iter()
        .filter(|f| f.suppression.is_some())
        .count();
    let doc = json!({
        "version": 1,
        "tool": {"name": "incloud", "version": scan.tool_version},
        "findings": findings,
        "errors": errors,
        "warnings": warnings,
        "summary": {
            "files": scan.scanned_files,
            "stacks": scan.stacks,
            "resources": scan.resources,
            "findings": scan.findings.len() - suppressed,
            "suppressed": suppressed,
            "errors": scan.errors.len(),
            "warnings": scan.warnings.len(),
            "by_severity": by_severity,
        }
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

fn finding(f: &Finding, paths: &HashMap<incloud_model::FileId, String>) -> Value {
    let mut controls = Map::new();
    for (key, ids) in f.rule.controls.entries() {
        controls.insert(key.into(), json!(ids));
    }
    json!({
        "rule": f.rule.code,
        "name": f.rule.name,
        "severity": f.severity.as_str(),
        "area": f.rule.area.as_str(),
        "title": f.rule.title,
        "message": f.message,
        "resource": {
            "id": f.resource.id,
            "type": f.resource.rtype,
            "stack": f.resource.stack,
            "cdk_path": f.resource.cdk_path,
            "cdk_internal": f.resource.cdk_internal,
        },
        "location": {
            "file": paths.get(&f.location.file).cloned().unwrap_or_default(),
            "line": f.location.line,
            "column": f.location.col,
        },
        "path": f.path,
        "condition": f.condition,
        "detail": f.detail,
        "controls": controls,
        "fingerprint": f.fingerprint,
        "suppression": f.suppression.as_ref().map(|s| json!({"source": s.source, "reason": s.reason})),
    })
}
