//! `cloudtrail-kms`: CloudTrail trails encrypt log files with an AWS KMS key.

use crate::rules::expect_set;
use crate::{Ctx, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-CT-002",
        name: "cloudtrail-kms",
        severity: Severity::Medium,
        area: Area::DataAtRest,
        title: "CloudTrail trails encrypt log files with an AWS KMS key",
        resource_types: &[super::TRAIL],
        controls: Controls {
            security_hub: &["CloudTrail.2"],
            aws_config: &["cloud-trail-encryption-enabled"],
            cis: &[
                "CIS AWS Foundations v5.0.0 3.5",
                "CIS AWS Foundations v3.0.0 3.5",
                "CIS AWS Foundations v1.4.0 3.7",
                "CIS AWS Foundations v1.2.0 2.7",
            ],
            nist_800_53: &[
                "AU-9", "CA-9(1)", "CM-3(6)", "SC-13", "SC-28", "SC-28(1)", "SC-7(10)", "SI-7(6)",
            ],
            pci_dss: &["PCI DSS v3.2.1 3.4"],
            hipaa: &["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"],
            cdk_nag: &[
                "NIST.800.53.R5-CloudTrailEncryptionEnabled",
                "HIPAA.Security-CloudTrailEncryptionEnabled",
                "PCI.DSS.321-CloudTrailEncryptionEnabled",
            ],
            checkov: &["CKV_AWS_35"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that every AWS::CloudTrail::Trail sets KMSKeyId, so that CloudTrail encrypts its log files with SSE-KMS."#,
            why: r#"CloudTrail logs describe every API call in the account, including resource names, source IPs and identities: a map for an attacker and the evidence you need afterwards. Without a KMS key they are protected only by S3 permissions; with one, reading them also needs kms:Decrypt, which you grant to the few people who investigate, and every decryption is itself logged."#,
            unknown: r#"A KMSKeyId that is present counts, even when its value cannot be known (an imported key or log group); an empty string is reported."#,
            fix_cloudformation: r#"    Trail:
      Type: AWS::CloudTrail::Trail
      Properties:
        IsLogging: true
        S3BucketName: !Ref TrailBucket
        KMSKeyId: !GetAtt TrailKey.Arn

The key policy must allow cloudtrail.amazonaws.com to call kms:GenerateDataKey* with the encryption context of your trail."#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    const key = new kms.Key(this, 'TrailKey', { enableKeyRotation: true });
    new cloudtrail.Trail(this, 'Trail', { encryptionKey: key });

Python:

    key = kms.Key(self, "TrailKey", enable_key_rotation=True)
    cloudtrail.Trail(self, "Trail", encryption_key=key)"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_cloudtrail" "this" {
      name           = "org-trail"
      s3_bucket_name = aws_s3_bucket.trail.id
      kms_key_id     = aws_kms_key.trail.arn
    }"#,
            fix_cli: r#"    aws cloudtrail update-trail --name my-trail --kms-key-id arn:aws:kms:REGION:ACCOUNT:key/KEY-ID"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    expect_set(
        ctx,
        res,
        "KMSKeyId",
        "no KMSKeyId: log files are encrypted with SSE-S3 only, readable by anyone who can read the bucket",
    );
}
