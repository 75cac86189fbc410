//! AWS Security Finding Format (ASFF) for Security Hub's `BatchImportFindings`, already split into the
//! batches that API accepts.

use crate::{requirements, resource_label, rfc3339_ms, rule_doc_url, sorted_findings, Scan};
use incloud_model::{Finding, Severity};
use serde_json::{json, Map, Value};

/// `BatchImportFindings` takes at most this many findings per call.
pub const ASFF_BATCH_SIZE: usize = 100;

/// Where the findings go, and when they were made.
#[derive(Clone, Copy, Debug, Default)]
pub struct AsffOptions<'a> {
    /// The account that deploys the templates; `000000000000` when not known.
    pub account: Option<&'a str>,
    /// The region the templates deploy to; `us-east-1` when not known.
    pub region: Option<&'a str>,
    /// `CreatedAt`/`UpdatedAt`, in milliseconds since the Unix epoch.
    pub time_ms: i64,
}

/// A JSON array of batches, each an array of at most [`ASFF_BATCH_SIZE`] findings: pass each batch as the
/// `Findings` of one `BatchImportFindings` call.
pub fn render_asff(scan: &Scan<'_>, opts: &AsffOptions<'_>) -> String {
    let account = opts.account.unwrap_or("000000000000");
    let region = opts.region.unwrap_or("us-east-1");
    let at = rfc3339_ms(opts.time_ms);
    let paths = scan.paths();
    let findings: Vec<Value> = sorted_findings(scan, &paths)
        .into_iter()
        .map(|f| {
            let file = paths.get(&f.location.file).cloned().unwrap_or_default();
            finding(f, &file, account, region, &at)
        })
        .collect();
    let batches: Vec<Value> = findings
        .chunks(ASFF_BATCH_SIZE)
        .map(|c| Value::Array(c.to_vec()))
        .collect();
    let mut out = serde_json::to_string_pretty(&batches).unwrap_or_default();
    out.push('\n');
    out
}

fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

/// The Security Hub resource type for a CloudFormation type, where ASFF has one.
fn resource_type(rtype: &str) -> &'static str {
    match rtype {
        "AWS::S3::Bucket" => "AwsS3Bucket",
        "AWS::IAM::Role" => "AwsIamRole",
        "AWS::IAM::User" => "AwsIamUser",
        "AWS::IAM::ManagedPolicy" => "AwsIamPolicy",
        "AWS::KMS::Key" => "AwsKmsKey",
        "AWS::Lambda::Function" | "AWS::Serverless::Function" => "AwsLambdaFunction",
        "AWS::DynamoDB::Table" => "AwsDynamoDbTable",
        "AWS::EC2::SecurityGroup" => "AwsEc2SecurityGroup",
        "AWS::EC2::VPC" => "AwsEc2Vpc",
        "AWS::EC2::Subnet" => "AwsEc2Subnet",
        "AWS::EC2::Instance" => "AwsEc2Instance",
        "AWS::CloudTrail::Trail" => "AwsCloudTrailTrail",
        "AWS::SNS::Topic" => "AwsSnsTopic",
        "AWS::SQS::Queue" => "AwsSqsQueue",
        "AWS::SecretsManager::Secret" => "AwsSecretsManagerSecret",
        "AWS::RDS::DBInstance" => "AwsRdsDbInstance",
        _ => "Other",
    }
}

fn label(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "CRITICAL",
        Severity::High => "HIGH",
        Severity::Medium => "MEDIUM",
        Severity::Low => "LOW",
        Severity::Info => "INFORMATIONAL",
    }
}

/// At most `max` characters, marking a cut with an ellipsis.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn finding(f: &Finding, file: &str, account: &str, region: &str, at: &str) -> Value {
    let rule = f.rule;
    let partition = partition(region);
    let url = rule_doc_url(rule.name);
    let resource = resource_label(&f.resource);

    let mut description = f.message.clone();
    if let Some(cond) = &f.condition {
        description.push_str(&format!(" (when {cond})"));
    }
    description.push_str(&format!(
        " — {resource} ({}) at {file}:{}:{}",
        f.resource.rtype, f.location.line, f.location.col
    ));

    let mut fields = Map::new();
    let mut field = |k: &str, v: &str| {
        fields.insert(format!("incloud/{k}"), json!(clip(v, 2048)));
    };
    field("Rule", rule.code);
    field("RuleName", rule.name);
    field("Area", rule.area.as_str());
    field("File", file);
    field("Line", &f.location.line.to_string());
    field("Column", &f.location.col.to_string());
    field("PropertyPath", &f.path);
    field("Fingerprint", &f.fingerprint);
    if let Some(cond) = &f.condition {
        field("Condition", cond);
    }
    if let Some(s) = &f.suppression {
        field("SuppressionSource", &s.source);
    }

    let mut other = Map::new();
    other.insert("LogicalId".into(), json!(clip(&f.resource.id, 1024)));
    other.insert("ResourceType".into(), json!(f.resource.rtype));
    if let Some(stack) = &f.resource.stack {
        other.insert("Stack".into(), json!(clip(stack, 1024)));
    }
    if let Some(cdk) = &f.resource.cdk_path {
        other.insert("CdkPath".into(), json!(clip(cdk, 1024)));
    }

    let mut compliance = json!({"Status": "FAILED"});
    let reqs: Vec<String> = requirements(&rule.controls).into_iter().take(32).collect();
    if !reqs.is_empty() {
        compliance["RelatedRequirements"] = json!(reqs);
    }

    let mut out = json!({
        "SchemaVersion": "2018-10-08",
        "Id": format!("incloud/{account}/{region}/{}", f.fingerprint),
        "ProductArn": format!("arn:{partition}:securityhub:{region}:{account}:product/{account}/default"),
        "ProductName": "incloud",
        "CompanyName": "incloud",
        "GeneratorId": rule.code,
        "AwsAccountId": account,
        "Types": ["Software and Configuration Checks/AWS Security Best Practices"],
        "CreatedAt": at,
        "UpdatedAt": at,
        "Severity": {"Label": label(f.severity), "Original": f.severity.as_str()},
        "Title": clip(rule.title, 256),
        "Description": clip(&description, 1024),
        "Remediation": {
            "Recommendation": {
                "Text": clip(&format!("{}. How to fix it in CloudFormation, CDK, Terraform or the CLI: see the rule's documentation.", rule.title), 512),
                "Url": url,
            }
        },
        "ProductFields": fields,
        "Resources": [{
            "Type": resource_type(&f.resource.rtype),
            "Id": clip(&resource, 512),
            "Partition": partition,
            "Region": region,
            "Details": {"Other": other},
        }],
        "Compliance": compliance,
        "Workflow": {"Status": if f.suppression.is_some() { "SUPPRESSED" } else { "NEW" }},
        "RecordState": "ACTIVE",
    });
    if let Some(s) = &f.suppression {
        out["Note"] = json!({
            "Text": clip(&s.reason, 512),
            "UpdatedBy": "incloud",
            "UpdatedAt": at,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{finding as make, fixture, Fixture, PUBLIC};

    const T: i64 = 1_714_564_800_000;

    fn batches(fx: &Fixture, opts: &AsffOptions<'_>) -> Vec<Vec<Value>> {
        serde_json::from_str(&render_asff(&fx.scan(), opts)).unwrap()
    }

    #[test]
    fn every_required_field() {
        let fx = fixture();
        let opts = AsffOptions {
            account: Some("123456789012"),
            region: Some("eu-west-1"),
            time_ms: T,
        };
        let all = batches(&fx, &opts);
        assert_eq!(all.len(), 1);
        let f = &all[0][0];
        for key in [
            "SchemaVersion",
            "Id",
            "ProductArn",
            "GeneratorId",
            "AwsAccountId",
            "Types",
            "CreatedAt",
            "UpdatedAt",
            "Severity",
            "Title",
            "Description",
            "Resources",
        ] {
            assert!(f.get(key).is_some(), "missing {key}");
        }
        assert_eq!(f["SchemaVersion"], "2018-10-08");
        assert_eq!(
            f["Id"],
            "incloud/123456789012/eu-west-1/IN-S3-001-Assets1234-30"
        );
        assert_eq!(
            f["ProductArn"],
            "arn:aws:securityhub:eu-west-1:123456789012:product/123456789012/default"
        );
        assert_eq!(f["GeneratorId"], "IN-S3-001");
        assert_eq!(f["CreatedAt"], "2024-05-01T12:00:00.000Z");
        assert_eq!(f["Severity"]["Label"], "CRITICAL");
        assert_eq!(f["Resources"][0]["Type"], "AwsS3Bucket");
        assert_eq!(f["Resources"][0]["Id"], "Prod/Assets1234");
        assert_eq!(f["Resources"][0]["Region"], "eu-west-1");
        assert_eq!(
            f["Resources"][0]["Details"]["Other"]["CdkPath"],
            "Prod/Assets/Resource"
        );
        assert_eq!(f["Compliance"]["Status"], "FAILED");
        assert!(f["Compliance"]["RelatedRequirements"]
            .as_array()
            .unwrap()
            .contains(&json!("AWS Security Hub S3.8")));
        assert_eq!(f["Workflow"]["Status"], "NEW");
        assert_eq!(f["RecordState"], "ACTIVE");
        assert!(f["Remediation"]["Recommendation"]["Url"]
            .as_str()
            .unwrap()
            .ends_with("/docs/rules/s3-bucket-public-access-block.md"));

        let suppressed = all[0]
            .iter()
            .find(|f| f["Workflow"]["Status"] == "SUPPRESSED")
            .unwrap();
        assert_eq!(
            suppressed["Note"]["Text"],
            "Served only through CloudFront, <internal> & \"audited\""
        );
        let conditional = all[0]
            .iter()
            .find(|f| f["ProductFields"].get("incloud/Condition").is_some())
            .unwrap();
        assert!(conditional["Description"]
            .as_str()
            .unwrap()
            .contains("(when IsProd && !UseKms)"));
    }

    #[test]
    fn defaults_when_account_and_region_unknown() {
        let fx = fixture();
        let f = &batches(&fx, &AsffOptions::default())[0][0];
        assert_eq!(f["AwsAccountId"], "000000000000");
        assert_eq!(
            f["ProductArn"],
            "arn:aws:securityhub:us-east-1:000000000000:product/000000000000/default"
        );
        assert_eq!(f["CreatedAt"], "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn batches_of_at_most_one_hundred() {
        let mut fx = fixture();
        fx.findings = (0..250)
            .map(|i| make(&PUBLIC, 0, i + 1, &format!("Bucket{i}"), "open"))
            .collect();
        let all = batches(&fx, &AsffOptions::default());
        assert_eq!(all.iter().map(Vec::len).collect::<Vec<_>>(), [100, 100, 50]);
        let mut ids: Vec<&str> = all
            .iter()
            .flatten()
            .map(|f| f["Id"].as_str().unwrap())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 250, "ids are unique");

        fx.findings.truncate(100);
        assert_eq!(batches(&fx, &AsffOptions::default()).len(), 1);
        fx.findings.clear();
        assert_eq!(render_asff(&fx.scan(), &AsffOptions::default()), "[]\n");
    }

    #[test]
    fn long_text_clipped_to_the_limits() {
        let mut fx = fixture();
        fx.findings[0].message = "x".repeat(5000);
        let all = batches(&fx, &AsffOptions::default());
        for f in all.iter().flatten() {
            assert!(f["Description"].as_str().unwrap().chars().count() <= 1024);
            assert!(f["Title"].as_str().unwrap().chars().count() <= 256);
        }
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(partition("cn-north-1"), "aws-cn");
        assert_eq!(partition("us-gov-west-1"), "aws-us-gov");
    }
}
