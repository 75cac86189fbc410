//! `s3-bucket-versioning`: S3 buckets have versioning enabled.

use crate::rules::{expect, Expect};
use crate::{Ctx, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-S3-004",
        name: "s3-bucket-versioning",
        severity: Severity::Low,
        area: Area::Resilience,
        title: "S3 buckets have versioning enabled",
        resource_types: &[s3::BUCKET],
        controls: Controls {
            security_hub: &["S3.14"],
            aws_config: &["s3-bucket-versioning-enabled"],
            cis: &[],
            nist_800_53: &["AU-9(2)", "CP-6", "CP-9", "CP-10", "SI-12"],
            pci_dss: &[],
            hipaa: &["164.308(a)(7)(i)", "164.308(a)(7)(ii)(A)", "164.312(c)(1)"],
            cdk_nag: &[
                "NIST.800.53.R5-S3BucketVersioningEnabled",
                "HIPAA.Security-S3BucketVersioningEnabled",
                "PCI.DSS.321-S3BucketVersioningEnabled",
            ],
            cfn_nag: &[],
            checkov: &["CKV_AWS_21"],
        },
        docs: Docs {
            description: r#"Checks that every S3 bucket has VersioningConfiguration with Status set to Enabled. Buckets with no versioning configuration, or with versioning Suspended, are reported."#,
            why: r#"AWS keeps each object durably, but it does not protect you from your own deletes and overwrites. With versioning off, a DeleteObject call or a PUT to an existing key destroys the previous data for good. The cause might be an application bug, an operator mistake, or an attacker with write access who wipes or overwrites the bucket for ransom.

With versioning on, a delete only adds a delete marker and an overwrite keeps the older version, so the data can be restored. Versioning is also required for replication and for Object Lock. Add a lifecycle rule that expires noncurrent versions to keep storage costs under control (Security Hub S3.10)."#,
            unknown: r#"A Status that cannot be known (a parameter without a value) is reported at severity info, saying why."#,
            fix_cloudformation: r#"Turn versioning on:

    MyBucket:
      Type: AWS::S3::Bucket
      Properties:
        VersioningConfiguration:
          Status: Enabled"#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    import * as s3 from 'aws-cdk-lib/aws-s3';

    new s3.Bucket(this, 'MyBucket', {
      versioned: true,
    });

Python:

    from aws_cdk import aws_s3 as s3

    s3.Bucket(self, "MyBucket", versioned=True)"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_s3_bucket_versioning" "this" {
      bucket = aws_s3_bucket.this.id
      versioning_configuration {
        status = "Enabled"
      }
    }"#,
            fix_cli: r#"Turn versioning on, then read the setting back to confirm:

    aws s3api put-bucket-versioning --bucket my-bucket \
      --versioning-configuration Status=Enabled

    aws s3api get-bucket-versioning --bucket my-bucket

Once enabled, versioning can be suspended but never turned fully off again."#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let status = res.props.at(&["VersioningConfiguration", "Status"]);
    let e = Expect::new(
        "Properties.VersioningConfiguration.Status",
        "Versioning status",
        "versioning is not enabled (no VersioningConfiguration)",
    );
    expect(ctx, res, &status, &e, |n| match n.as_str() {
        Some("Enabled") => None,
        _ => Some(format!(
            "versioning status is {}, not Enabled",
            n.val.describe()
        )),
    });
}
