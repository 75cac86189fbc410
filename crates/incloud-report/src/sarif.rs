//! SARIF 2.1.0, in the subset GitHub code scanning reads: one run, each rule described once, results with a
//! physical location, a logical location (the resource), a stable partial fingerprint and suppressions.

use crate::{
    frameworks, is_in_source, resource_label, rule_doc_url, sorted_findings, Scan, HOMEPAGE,
};
use incloud_model::{Finding, RuleMeta, Severity};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The SARIF log of a scan. `rules` is the rule catalog (in the order to list it); a rule that has findings but
/// is missing from the catalog is described too, so every result has its rule.
pub fn render_sarif(scan: &Scan<'_>, rules: &[&RuleMeta]) -> String {
    let paths = scan.paths();
    let findings = sorted_findings(scan, &paths);

    let mut catalog: Vec<&RuleMeta> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut extra: Vec<&RuleMeta> = findings
        .iter()
        .map(|f| f.rule)
        .filter(|r| !rules.iter().any(|c| c.code == r.code))
        .collect();
    extra.sort_by_key(|r| r.code);
    for rule in rules.iter().copied().chain(extra) {
        if !index.contains_key(rule.code) {
            index.insert(rule.code, catalog.len());
            catalog.push(rule);
        }
    }

    let results: Vec<Value> = findings
        .iter()
        .map(|f| result(f, index.get(f.rule.code).copied(), &paths))
        .collect();
    let notifications: Vec<Value> = scan
        .errors
        .iter()
        .map(|e| {
            let mut region = Map::new();
            if let Some(line) = e.line {
                region.insert("startLine".into(), json!(line.max(1)));
                if let Some(col) = e.col {
                    region.insert("startColumn".into(), json!(col.max(1)));
                }
            }
            let mut physical = Map::new();
            physical.insert("artifactLocation".into(), json!({"uri": uri(&e.file)}));
            if !region.is_empty() {
                physical.insert("region".into(), Value::Object(region));
            }
            json!({
                "level": "error",
                "message": {"text": format!("could not load {}: {}", e.file, e.message)},
                "locations": [{"physicalLocation": physical}],
            })
        })
        .collect();
    let mut invocation = json!({"executionSuccessful": true});
    if !notifications.is_empty() {
        invocation["toolExecutionNotifications"] = Value::Array(notifications);
    }

    let doc = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "incloud",
                    "version": scan.tool_version,
                    "semanticVersion": scan.tool_version,
                    "informationUri": HOMEPAGE,
                    "rules": catalog.iter().map(|r| descriptor(r)).collect::<Vec<_>>(),
                }
            },
            "invocations": [invocation],
            "results": results,
        }]
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

/// GitHub orders and filters alerts by this number (its scale: over 9.0 critical, 7.0 to 8.9 high, 4.0 to
/// 6.9 medium, 0.1 to 3.9 low).
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

fn descriptor(rule: &RuleMeta) -> Value {
    let mut tags = vec!["security".to_string(), rule.area.as_str().to_string()];
    tags.extend(frameworks(&rule.controls).into_iter().map(str::to_string));
    let mut controls = Map::new();
    for (key, ids) in rule.controls.entries() {
        if !ids.is_empty() {
            controls.insert(key.into(), json!(ids));
        }
    }
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.docs.description},
        "help": {"text": help_text(rule), "markdown": help_markdown(rule)},
        "helpUri": rule_doc_url(rule.name),
        "defaultConfiguration": {"level": level(rule.severity)},
        "properties": {
            "security-severity": security_severity(rule.severity),
            "tags": tags,
            "severity": rule.severity.as_str(),
            "controls": controls,
        },
    })
}

fn fixes(rule: &RuleMeta) -> [(&'static str, &'static str); 4] {
    [
        ("CloudFormation", rule.docs.fix_cloudformation),
        ("CDK", rule.docs.fix_cdk),
        ("Terraform", rule.docs.fix_terraform),
        ("Console or CLI", rule.docs.fix_cli),
    ]
}

fn help_text(rule: &RuleMeta) -> String {
    let mut s = format!(
        "{}\n\nWhy it matters\n\n{}\n",
        rule.docs.description, rule.docs.why
    );
    for (title, body) in fixes(rule) {
        if !body.is_empty() {
            s.push_str(&format!("\nFix it: {title}\n\n{body}\n"));
        }
    }
    s
}

/// The docs are plain text whose indented lines are code, which Markdown reads as code blocks as they are.
fn help_markdown(rule: &RuleMeta) -> String {
    let mut s = format!(
        "{}\n\n## Why it matters\n\n{}\n\n## Fix it\n",
        rule.docs.description, rule.docs.why
    );
    for (title, body) in fixes(rule) {
        if !body.is_empty() {
            s.push_str(&format!("\n### {title}\n\n{body}\n"));
        }
    }
    s.push_str(&format!(
        "\n[Full documentation]({})\n",
        rule_doc_url(rule.name)
    ));
    s
}

fn result(
    f: &Finding,
    rule_index: Option<usize>,
    paths: &HashMap<incloud_model::FileId, String>,
) -> Value {
    let file = paths.get(&f.location.file).cloned().unwrap_or_default();
    let fully_qualified = f
        .resource
        .cdk_path
        .clone()
        .unwrap_or_else(|| resource_label(&f.resource));
    let mut properties = Map::new();
    properties.insert("resourceType".into(), json!(f.resource.rtype));
    if let Some(stack) = &f.resource.stack {
        properties.insert("stack".into(), json!(stack));
    }
    if let Some(cdk) = &f.resource.cdk_path {
        properties.insert("cdkPath".into(), json!(cdk));
    }
    if let Some(cond) = &f.condition {
        properties.insert("condition".into(), json!(cond));
    }
    if !f.path.is_empty() {
        properties.insert("propertyPath".into(), json!(f.path));
    }
    if let Some(detail) = &f.detail {
        properties.insert("detail".into(), json!(detail));
    }
    properties.insert("severity".into(), json!(f.severity.as_str()));

    let mut message = f.message.clone();
    if let Some(cond) = &f.condition {
        message.push_str(&format!(" (when {cond})"));
    }
    let mut out = json!({
        "ruleId": f.rule.code,
        "level": level(f.severity),
        "message": {"text": message},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": uri(&file)},
                "region": {"startLine": f.location.line.max(1), "startColumn": f.location.col.max(1)},
            },
            "logicalLocations": [{
                "name": f.resource.id,
                "kind": "resource",
                "fullyQualifiedName": fully_qualified,
            }],
        }],
        "partialFingerprints": {"incloudFingerprint/v1": f.fingerprint},
        "properties": properties,
    });
    if let Some(i) = rule_index {
        out["ruleIndex"] = json!(i);
    }
    if let Some(s) = &f.suppression {
        out["suppressions"] = json!([{
            "kind": if is_in_source(s) { "inSource" } else { "external" },
            "justification": s.reason,
            "properties": {"source": s.source},
        }]);
    }
    out
}

/// A file path as a relative URI reference: forward slashes, percent-encoded where URIs need it. A Windows
/// drive path becomes a `file:` URI, and a first segment with a colon gets `./` so it is not read as a scheme.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => out.push(b as char),
            b'-' | b'.' | b'_' | b'~' | b'/' | b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*'
            | b'+' | b',' | b';' | b'=' | b':' | b'@' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    let bytes = out.as_bytes();
    if bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/' {
        return format!("file:///{out}");
    }
    let first = out.split('/').next().unwrap_or("");
    if first.contains(':') {
        return format!("./{out}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{fixture, RULES};

    fn sarif() -> Value {
        let fx = fixture();
        serde_json::from_str(&render_sarif(&fx.scan(), &RULES)).unwrap()
    }

    #[test]
    fn valid_against_the_sarif_2_1_0_schema() {
        let schema: Value =
            serde_json::from_str(include_str!("../tests/schemas/sarif-schema-2.1.0.json")).unwrap();
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap();
        for doc in [sarif(), {
            let empty = crate::testutil::Fixture {
                files: vec![],
                findings: vec![],
                errors: vec![],
            };
            serde_json::from_str(&render_sarif(&empty.scan(), &[])).unwrap()
        }] {
            let errors: Vec<String> = validator
                .iter_errors(&doc)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{errors:#?}");
        }
        // The validator does catch mistakes: a level SARIF does not define.
        let mut bad = sarif();
        bad["runs"][0]["results"][0]["level"] = json!("critical");
        assert!(!validator.is_valid(&bad));
    }

    #[test]
    fn rules_described_once_and_results_point_at_them() {
        let doc = sarif();
        let run = &doc["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), 2);
        let public = &rules[0];
        assert_eq!(public["id"], "IN-S3-001");
        assert_eq!(public["name"], "s3-bucket-public-access-block");
        assert_eq!(public["properties"]["security-severity"], "8.0");
        assert_eq!(
            public["properties"]["tags"],
            json!([
                "security",
                "data-at-rest",
                "security-hub",
                "aws-config",
                "cis",
                "nist-800-53",
                "hipaa"
            ])
        );
        assert_eq!(public["defaultConfiguration"]["level"], "error");
        assert_eq!(
            public["helpUri"],
            "https://github.com/incloud-dev/incloud/blob/main/docs/rules/s3-bucket-public-access-block.md"
        );
        assert!(public["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("### CloudFormation"));
        assert_eq!(rules[1]["defaultConfiguration"]["level"], "warning");

        for r in run["results"].as_array().unwrap() {
            let i = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[i]["id"], r["ruleId"]);
        }
    }

    #[test]
    fn results_carry_location_resource_fingerprint_and_suppression() {
        let doc = sarif();
        let results = doc["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), 4);
        // Sorted by file: cdk.out/ first.
        let cdk = &results[0];
        assert_eq!(cdk["level"], "error");
        let loc = &cdk["locations"][0];
        assert_eq!(
            loc["physicalLocation"]["artifactLocation"]["uri"],
            "cdk.out/Prod.template.json"
        );
        assert_eq!(
            loc["physicalLocation"]["region"],
            json!({"startLine": 30, "startColumn": 7})
        );
        assert_eq!(
            loc["logicalLocations"][0],
            json!({"name": "Assets1234", "kind": "resource", "fullyQualifiedName": "Prod/Assets/Resource"})
        );
        assert_eq!(
            cdk["partialFingerprints"]["incloudFingerprint/v1"],
            "IN-S3-001-Assets1234-30"
        );
        assert_eq!(cdk["properties"]["cdkPath"], "Prod/Assets/Resource");

        let suppressed: Vec<&Value> = results
            .iter()
            .filter(|r| r.get("suppressions").is_some())
            .collect();
        assert_eq!(suppressed.len(), 1);
        assert_eq!(suppressed[0]["suppressions"][0]["kind"], "inSource");
        assert_eq!(
            suppressed[0]["suppressions"][0]["justification"],
            "Served only through CloudFront, <internal> & \"audited\""
        );

        let conditional = results
            .iter()
            .find(|r| r["properties"].get("condition").is_some())
            .unwrap();
        assert_eq!(conditional["properties"]["condition"], "IsProd && !UseKms");
        assert!(conditional["message"]["text"]
            .as_str()
            .unwrap()
            .ends_with("(when IsProd && !UseKms)"));

        let notes = &doc["runs"][0]["invocations"][0]["toolExecutionNotifications"];
        assert_eq!(
            notes[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
            3
        );
    }

    #[test]
    fn uris_are_relative_references() {
        assert_eq!(uri("templates\\my app.yaml"), "templates/my%20app.yaml");
        assert_eq!(uri("./a/b.json"), "a/b.json");
        assert_eq!(uri("C:\\work\\t.yaml"), "file:///C:/work/t.yaml");
        assert_eq!(uri("a:b/t.yaml"), "./a:b/t.yaml");
        assert_eq!(uri("ü.yaml"), "%C3%BC.yaml");
    }

    #[test]
    fn deterministic() {
        let fx = fixture();
        let mut reversed = fixture();
        reversed.findings.reverse();
        assert_eq!(
            render_sarif(&fx.scan(), &RULES),
            render_sarif(&reversed.scan(), &RULES)
        );
    }
}
