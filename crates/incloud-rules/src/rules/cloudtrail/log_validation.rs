//! `cloudtrail-log-validation`: CloudTrail trails have log file integrity validation enabled.

use crate::rules::{expect, Expect};
use crate::{Ctx, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-CT-003",
        name: "cloudtrail-log-validation",
        severity: Severity::Medium,
        area: Area::LoggingAndMonitoring,
        title: "CloudTrail trails have log file integrity validation enabled",
        resource_types: &[super::TRAIL],
        controls: Controls {
            security_hub: &["CloudTrail.4"],
            aws_config: &["cloud-trail-log-file-validation-enabled"],
            cis: &[
                "CIS AWS Foundations v5.0.0 3.2",
                "CIS AWS Foundations v3.0.0 3.2",
                "CIS AWS Foundations v1.4.0 3.2",
                "CIS AWS Foundations v1.2.0 2.2",
            ],
            nist_800_53: &["AU-9", "SI-4", "SI-7(1)", "SI-7(3)", "SI-7(7)"],
            pci_dss: &["PCI DSS v3.2.1 10.5.2", "PCI DSS v3.2.1 10.5.5"],
            hipaa: &["164.312(c)(1)", "164.312(c)(2)"],
            cdk_nag: &[
                "NIST.800.53.R5-CloudTrailLogFileValidationEnabled",
                "HIPAA.Security-CloudTrailLogFileValidationEnabled",
                "PCI.DSS.321-CloudTrailLogFileValidationEnabled",
            ],
            checkov: &["CKV_AWS_36"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that every AWS::CloudTrail::Trail has EnableLogFileValidation true."#,
            why: r#"An attacker with access to the log bucket can delete or edit log files to hide what they did. With validation on, CloudTrail delivers signed digest files every hour, and `aws cloudtrail validate-logs` tells you which files were modified or removed. Without it, you cannot show an auditor or a court that the trail is complete."#,
            unknown: r#"A EnableLogFileValidation that cannot be known (a parameter without a value) is reported at severity info."#,
            fix_cloudformation: r#"    Trail:
      Type: AWS::CloudTrail::Trail
      Properties:
        IsLogging: true
        S3BucketName: !Ref TrailBucket
        EnableLogFileValidation: true"#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2); enableFileValidation defaults to true:

    new cloudtrail.Trail(this, 'Trail', { enableFileValidation: true });

Python:

    cloudtrail.Trail(self, "Trail", enable_file_validation=True)"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_cloudtrail" "this" {
      name                       = "org-trail"
      s3_bucket_name             = aws_s3_bucket.trail.id
      enable_log_file_validation = true
    }"#,
            fix_cli: r#"    aws cloudtrail update-trail --name my-trail --enable-log-file-validation
    aws cloudtrail validate-logs --trail-arn TRAIL-ARN --start-time 2024-01-01T00:00:00Z"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let e = Expect::new(
        "Properties.EnableLogFileValidation",
        "EnableLogFileValidation",
        "EnableLogFileValidation is not set, so log files carry no digest to prove they were not altered",
    );
    expect(
        ctx,
        res,
        &res.props.at(&["EnableLogFileValidation"]),
        &e,
        |n| match n.bool_value() {
            V::Known(true, _) => None,
            _ => Some(format!(
                "EnableLogFileValidation is {}: log files cannot be proven unaltered",
                n.val.describe()
            )),
        },
    );
}
