//! OCSF Compliance Finding events (class 2003, OCSF 1.1), one JSON object per line, for security data lakes
//! (Amazon Security Lake, SIEMs).

use crate::{requirements, resource_label, rfc3339_ms, rule_doc_url, sorted_findings, Scan};
use incloud_model::{Finding, Severity};
use serde_json::{json, Map, Value};

const OCSF_VERSION: &str = "1.1.0";
const CLASS_UID: u32 = 2003;
const CATEGORY_UID: u32 = 2;
/// Create: each scan reports its findings afresh.
const ACTIVITY_ID: u32 = 1;

/// One Compliance Finding per line. `time_ms` is the event time in milliseconds since the Unix epoch
/// (OCSF's `timestamp_t`); the caller passes it so the same scan renders to the same bytes.
pub fn render_ocsf(scan: &Scan<'_>, time_ms: i64) -> String {
    let paths = scan.paths();
    let mut out = String::new();
    for f in sorted_findings(scan, &paths) {
        let file = paths.get(&f.location.file).cloned().unwrap_or_default();
        let event = event(f, &file, scan.tool_version, time_ms);
        out.push_str(&serde_json::to_string(&event).unwrap_or_default());
        out.push('\n');
    }
    out
}

fn severity(s: Severity) -> (u8, &'static str) {
    match s {
        Severity::Info => (1, "Informational"),
        Severity::Low => (2, "Low"),
        Severity::Medium => (3, "Medium"),
        Severity::High => (4, "High"),
        Severity::Critical => (5, "Critical"),
    }
}

fn standard_title(key: &str) -> &'static str {
    match key {
        "security-hub" => "AWS Security Hub",
        "aws-config" => "AWS Config managed rules",
        "cis" => "CIS AWS Foundations Benchmark",
        "nist-800-53" => "NIST SP 800-53 Rev. 5",
        "pci-dss" => "PCI DSS",
        "hipaa" => "HIPAA Security Rule",
        _ => "incloud",
    }
}

fn event(f: &Finding, file: &str, tool_version: &str, time_ms: i64) -> Value {
    let rule = f.rule;
    let (severity_id, severity_name) = severity(f.severity);
    let (status_id, status) = match f.suppression {
        Some(_) => (3, "Suppressed"),
        None => (1, "New"),
    };
    let mut standards: Vec<&str> = crate::frameworks(&rule.controls)
        .into_iter()
        .map(standard_title)
        .collect();
    if standards.is_empty() {
        standards.push("incloud");
    }
    let control = rule
        .controls
        .security_hub
        .first()
        .copied()
        .unwrap_or(rule.code);

    let mut unmapped = Map::new();
    unmapped.insert("rule_code".into(), json!(rule.code));
    unmapped.insert("rule_name".into(), json!(rule.name));
    unmapped.insert("area".into(), json!(rule.area.as_str()));
    unmapped.insert(
        "location".into(),
        json!({"file": file, "line": f.location.line, "column": f.location.col}),
    );
    unmapped.insert("property_path".into(), json!(f.path));
    if let Some(cond) = &f.condition {
        unmapped.insert("condition".into(), json!(cond));
    }
    if let Some(detail) = &f.detail {
        unmapped.insert("detail".into(), json!(detail));
    }
    if let Some(s) = &f.suppression {
        unmapped.insert(
            "suppression".into(),
            json!({"source": s.source, "reason": s.reason}),
        );
    }

    let mut resource = Map::new();
    resource.insert("uid".into(), json!(resource_label(&f.resource)));
    resource.insert("type".into(), json!(f.resource.rtype));
    resource.insert("name".into(), json!(f.resource.id));
    let mut labels = Vec::new();
    if let Some(stack) = &f.resource.stack {
        labels.push(format!("stack:{stack}"));
    }
    if let Some(cdk) = &f.resource.cdk_path {
        labels.push(format!("cdk-path:{cdk}"));
    }
    if !labels.is_empty() {
        resource.insert("labels".into(), json!(labels));
    }

    let mut event = json!({
        "activity_id": ACTIVITY_ID,
        "activity_name": "Create",
        "category_uid": CATEGORY_UID,
        "category_name": "Findings",
        "class_uid": CLASS_UID,
        "class_name": "Compliance Finding",
        "type_uid": CLASS_UID * 100 + ACTIVITY_ID,
        "type_name": "Compliance Finding: Create",
        "severity_id": severity_id,
        "severity": severity_name,
        "status_id": status_id,
        "status": status,
        "time": time_ms,
        "time_dt": rfc3339_ms(time_ms),
        "message": f.message,
        "metadata": {
            "product": {"name": "incloud", "vendor_name": "incloud", "version": tool_version},
            "version": OCSF_VERSION,
        },
        "finding_info": {
            "uid": f.fingerprint,
            "title": rule.title,
            "desc": f.message,
            "types": [rule.name],
            "analytic": {"uid": rule.code, "name": rule.name, "type_id": 1, "type": "Rule"},
        },
        "compliance": {
            "control": control,
            "requirements": requirements(&rule.controls),
            "standards": standards,
            "status_id": 3,
            "status": "Fail",
        },
        "cloud": {"provider": "AWS"},
        "resources": [resource],
        "remediation": {
            "desc": rule.docs.description,
            "references": [rule_doc_url(rule.name)],
        },
        "unmapped": unmapped,
    });
    if let Some(s) = &f.suppression {
        event["status_detail"] = json!(s.reason);
    }
    event
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::fixture;

    const T: i64 = 1_714_564_800_000;

    fn events() -> Vec<Value> {
        let fx = fixture();
        render_ocsf(&fx.scan(), T)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    #[test]
    fn one_compliance_finding_per_line() {
        let fx = fixture();
        let out = render_ocsf(&fx.scan(), T);
        assert!(out.ends_with('\n'));
        assert_eq!(out.lines().count(), 4);
        for e in events() {
            assert_eq!(e["class_uid"], 2003);
            assert_eq!(e["category_uid"], 2);
            assert_eq!(e["activity_id"], 1);
            assert_eq!(e["type_uid"], 200301);
            assert_eq!(e["time"], T);
            assert_eq!(e["metadata"]["version"], "1.1.0");
            assert_eq!(e["metadata"]["product"]["name"], "incloud");
        }
    }

    #[test]
    fn fields_from_the_finding_and_its_rule() {
        let all = events();
        let cdk = &all[0];
        assert_eq!(cdk["severity_id"], 5);
        assert_eq!(cdk["severity"], "Critical");
        assert_eq!(cdk["status"], "New");
        assert_eq!(cdk["finding_info"]["uid"], "IN-S3-001-Assets1234-30");
        assert_eq!(
            cdk["finding_info"]["title"],
            "S3 buckets block public access"
        );
        assert_eq!(cdk["finding_info"]["desc"], "BlockPublicAcls is false");
        assert_eq!(cdk["compliance"]["control"], "S3.8");
        assert_eq!(cdk["compliance"]["status"], "Fail");
        assert!(cdk["compliance"]["requirements"]
            .as_array()
            .unwrap()
            .contains(&json!("NIST.800-53.r5 SC-7")));
        assert_eq!(
            cdk["resources"][0],
            json!({"uid": "Prod/Assets1234", "type": "AWS::S3::Bucket", "name": "Assets1234",
                   "labels": ["stack:Prod", "cdk-path:Prod/Assets/Resource"]})
        );

        let suppressed = all.iter().find(|e| e["status_id"] == 3).unwrap();
        assert_eq!(suppressed["status"], "Suppressed");
        assert_eq!(
            suppressed["status_detail"],
            "Served only through CloudFront, <internal> & \"audited\""
        );
        // A rule without mappings still names a control and a standard.
        assert_eq!(suppressed["compliance"]["control"], "IN-S3-002");
        assert_eq!(suppressed["compliance"]["standards"], json!(["incloud"]));

        let conditional = all
            .iter()
            .find(|e| e["unmapped"].get("condition").is_some())
            .unwrap();
        assert_eq!(conditional["unmapped"]["condition"], "IsProd && !UseKms");
    }

    #[test]
    fn deterministic_for_a_given_time() {
        let fx = fixture();
        assert_eq!(render_ocsf(&fx.scan(), T), render_ocsf(&fx.scan(), T));
        assert_ne!(render_ocsf(&fx.scan(), T), render_ocsf(&fx.scan(), T + 1));
    }
}
