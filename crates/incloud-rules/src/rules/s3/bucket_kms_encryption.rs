//! `s3-bucket-kms-encryption`: S3 buckets encrypt by default with AWS KMS keys (SSE-KMS or DSSE-KMS).

use crate::rules::{expect, Expect};
use crate::{Ctx, Report, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-S3-003",
        name: "s3-bucket-kms-encryption",
        severity: Severity::Medium,
        area: Area::DataAtRest,
        title: "S3 buckets encrypt by default with AWS KMS keys (SSE-KMS or DSSE-KMS)",
        resource_types: &[s3::BUCKET],
        controls: Controls {
            security_hub: &["S3.17"],
            aws_config: &["s3-default-encryption-kms"],
            cis: &[],
            nist_800_53: &["SC-12(2)", "SC-13", "SC-28", "SC-28(1)", "AU-9"],
            pci_dss: &["PCI DSS v4.0.1 3.5.1"],
            hipaa: &["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"],
            cdk_nag: &[
                "NIST.800.53.R5-S3DefaultEncryptionKMS",
                "HIPAA.Security-S3DefaultEncryptionKMS",
                "PCI.DSS.321-S3DefaultEncryptionKMS",
            ],
            cfn_nag: &[],
            checkov: &[],
        },
        docs: Docs {
            description: r#"Checks that every S3 bucket's default encryption uses an AWS KMS key, with SSEAlgorithm aws:kms (SSE-KMS) or aws:kms:dsse (DSSE-KMS). Buckets with no default encryption, or with AES256 (SSE-S3), are reported."#,
            why: r#"S3 encrypts new objects with S3-managed keys (SSE-S3) by default, so the data is encrypted either way. The difference is who controls the key.

With SSE-S3, anyone whom IAM or the bucket policy allows to read an object gets the plaintext, and there is no separate key permission to audit or revoke. With a KMS key you own the key policy:

- reading an object needs kms:Decrypt as well as s3:GetObject;
- every use of the key is logged in CloudTrail;
- disabling the key cuts off access to the data even if an S3 permission is too broad.

Managing keys and who may use them is your side of the shared responsibility model. Frameworks expect it too: Security Hub maps S3.17 to PCI DSS v4.0.1 3.5.1."#,
            unknown: r#"An SSEAlgorithm that cannot be known (a parameter without a value) is reported at severity info, saying why."#,
            fix_cloudformation: r#"Point the bucket's default encryption at a customer managed KMS key:

    Parameters:
      KmsKeyArn:
        Type: String   # full ARN of a customer managed KMS key
    Resources:
      MyBucket:
        Type: AWS::S3::Bucket
        Properties:
          BucketEncryption:
            ServerSideEncryptionConfiguration:
              - ServerSideEncryptionByDefault:
                  SSEAlgorithm: aws:kms
                  KMSMasterKeyID: !Ref KmsKeyArn
                BucketKeyEnabled: true

- Use the key's full ARN, not an alias. The CloudFormation reference warns that an alias is resolved in the requester's account.
- BucketKeyEnabled cuts the number of KMS requests, and so the KMS cost.
- If you leave out KMSMasterKeyID, S3 uses the AWS managed aws/s3 key. That still passes, but you cannot edit that key's policy."#,
            fix_cdk: r#"With BucketEncryption.KMS and no encryptionKey, CDK creates a new key for you. BucketEncryption.KMS_MANAGED uses aws/s3.

TypeScript (aws-cdk-lib v2):

    import * as kms from 'aws-cdk-lib/aws-kms';
    import * as s3 from 'aws-cdk-lib/aws-s3';

    const key = new kms.Key(this, 'BucketKey', { enableKeyRotation: true });
    new s3.Bucket(this, 'MyBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
    });

Python:

    from aws_cdk import aws_kms as kms, aws_s3 as s3

    key = kms.Key(self, "BucketKey", enable_key_rotation=True)
    s3.Bucket(self, "MyBucket",
        encryption=s3.BucketEncryption.KMS,
        encryption_key=key,
        bucket_key_enabled=True,
    )"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_kms_key" "s3" {
      enable_key_rotation = true
    }

    resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
      bucket = aws_s3_bucket.this.id
      rule {
        apply_server_side_encryption_by_default {
          sse_algorithm     = "aws:kms"
          kms_master_key_id = aws_kms_key.s3.arn
        }
        bucket_key_enabled = true
      }
    }"#,
            fix_cli: r#"Set the default encryption to your KMS key:

    aws s3api put-bucket-encryption --bucket my-bucket \
      --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"arn:aws:kms:REGION:ACCOUNT:key/KEY-ID"},"BucketKeyEnabled":true}]}'

Default encryption applies only to objects written afterwards. To re-encrypt existing objects, copy them in place, for example:

    aws s3 cp s3://my-bucket/ s3://my-bucket/ --recursive --sse aws:kms --sse-kms-key-id KEY-ARN

S3 Batch Operations also works. Make sure the key policy lets every writer and reader of the bucket use the key (kms:GenerateDataKey, kms:Decrypt)."#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let rules = res
        .props
        .at(&["BucketEncryption", "ServerSideEncryptionConfiguration"]);
    for leaf in rules.leaves() {
        let report = |message: String| Report {
            resource: res,
            span: leaf.span,
            path: "Properties.BucketEncryption".into(),
            condition: leaf.condition(),
            detail: None,
            message,
        };
        match leaf.val {
            LeafVal::Absent => ctx.report(report(
                "no default encryption configured: S3 applies SSE-S3 (AES256), not an AWS KMS key"
                    .into(),
            )),
            LeafVal::Unknown(why) => ctx.unknown(report("Default encryption".into()), why),
            LeafVal::Known(list) => {
                let items = list.items();
                if items.is_empty() {
                    ctx.report(report(
                        "ServerSideEncryptionConfiguration is empty: S3 applies SSE-S3 (AES256)"
                            .into(),
                    ));
                }
                for item in items {
                    let algorithm = item.at(&["ServerSideEncryptionByDefault", "SSEAlgorithm"]);
                    let e = Expect {
                        condition: leaf.condition(),
                        ..Expect::new(
                            "Properties.BucketEncryption.ServerSideEncryptionConfiguration.ServerSideEncryptionByDefault.SSEAlgorithm",
                            "Default encryption algorithm",
                            "no SSEAlgorithm set: S3 applies SSE-S3 (AES256), not an AWS KMS key",
                        )
                    };
                    expect(ctx, res, &algorithm, &e, |n| {
                        match n.as_str() {
                        Some("aws:kms") | Some("aws:kms:dsse") => None,
                        Some("AES256") => {
                            Some("default encryption is SSE-S3 (AES256) with an S3-owned key, not an AWS KMS key".into())
                        }
                        _ => Some(format!("default encryption algorithm is {}, not aws:kms", n.val.describe())),
                    }
                    });
                }
            }
        }
    }
}
