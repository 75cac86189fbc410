//! `s3-bucket-public-access-block`: S3 buckets block public access with all four Block Public Access settings.

use crate::rules::{expect, Expect};
use crate::{Ctx, Report, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-S3-001",
        name: "s3-bucket-public-access-block",
        severity: Severity::High,
        area: Area::IdentityAndAccess,
        title: "S3 buckets block public access with all four Block Public Access settings",
        resource_types: &[s3::BUCKET],
        controls: Controls {
            security_hub: &["S3.8"],
            aws_config: &["s3-bucket-level-public-access-prohibited"],
            cis: &[
                "CIS AWS Foundations v5.0.0 2.1.4",
                "CIS AWS Foundations v3.0.0 2.1.4",
                "CIS AWS Foundations v1.4.0 2.1.5",
            ],
            nist_800_53: &["AC-3", "AC-4", "AC-6", "AC-21", "SC-7"],
            pci_dss: &["PCI DSS v4.0.1 1.4.4"],
            hipaa: &["164.308(a)(3)(i)", "164.312(a)(1)", "164.312(e)(1)"],
            cdk_nag: &[
                "AwsSolutions-S2",
                "NIST.800.53.R5-S3BucketLevelPublicAccessProhibited",
                "HIPAA.Security-S3BucketLevelPublicAccessProhibited",
                "PCI.DSS.321-S3BucketLevelPublicAccessProhibited",
            ],
            cfn_nag: &[],
            checkov: &["CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"],
        },
        docs: Docs {
            description: r#"Checks every S3 bucket for a bucket-level Block Public Access configuration in which all four settings are true: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy and RestrictPublicBuckets. The bucket is reported if any setting is false, including settings left out of a partial configuration."#,
            why: r#"AWS runs S3 and creates new buckets private, but keeping a bucket private is your side of the shared responsibility model. Without Block Public Access, one ACL grant to AllUsers or one bucket-policy statement with Principal "*" publishes every object to the internet, and S3 will honour it.

The four bucket-level settings make S3 reject new public grants and ignore existing ones, no matter who writes them. That way a mistaken policy or ACL change cannot become a data leak. Account-level Block Public Access is a good backstop, but it lives outside the template; setting the flags on the bucket keeps the protection with the resource."#,
            unknown: r#"A flag whose value cannot be known (a parameter without a value, an import) is reported at severity info, saying why; it is not counted as blocked. When PublicAccessBlockConfiguration is absent altogether the finding has severity low: S3 blocks public access by default on buckets created since April 2023, but the template does not pin it."#,
            fix_cloudformation: r#"Set all four flags on the bucket:

    MyBucket:
      Type: AWS::S3::Bucket
      Properties:
        PublicAccessBlockConfiguration:
          BlockPublicAcls: true
          IgnorePublicAcls: true
          BlockPublicPolicy: true
          RestrictPublicBuckets: true

If a bucket genuinely has to serve public content, put CloudFront with origin access control in front of a private bucket instead of opening the bucket."#,
            fix_cdk: r#"Use BLOCK_ALL. BLOCK_ACLS_ONLY and the deprecated BLOCK_ACLS leave the two policy flags false.

TypeScript (aws-cdk-lib v2):

    import * as s3 from 'aws-cdk-lib/aws-s3';

    new s3.Bucket(this, 'MyBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    });

Python:

    from aws_cdk import aws_s3 as s3

    s3.Bucket(self, "MyBucket",
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
    )"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_s3_bucket_public_access_block" "this" {
      bucket                  = aws_s3_bucket.this.id
      block_public_acls       = true
      ignore_public_acls      = true
      block_public_policy     = true
      restrict_public_buckets = true
    }"#,
            fix_cli: r#"Turn all four settings on, then read them back to confirm:

    aws s3api put-public-access-block --bucket my-bucket \
      --public-access-block-configuration \
      BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true

    aws s3api get-public-access-block --bucket my-bucket"#,
        },
        options: &[],
    },
    check,
};

const FLAGS: [&str; 4] = [
    "BlockPublicAcls",
    "BlockPublicPolicy",
    "IgnorePublicAcls",
    "RestrictPublicBuckets",
];

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let block = res.props.at(&["PublicAccessBlockConfiguration"]);
    for leaf in block.leaves() {
        let report = |path: String, detail: Option<String>, message: String| Report {
            resource: res,
            span: leaf.span,
            path,
            condition: leaf.condition(),
            detail,
            message,
        };
        match leaf.val {
            LeafVal::Absent => ctx.report_at(
                Severity::Low,
                report(
                    "Properties.PublicAccessBlockConfiguration".into(),
                    None,
                    "no PublicAccessBlockConfiguration: the template does not pin Block Public Access \
                     (S3 enables it by default only on buckets created since April 2023)"
                        .into(),
                ),
            ),
            LeafVal::Unknown(why) => ctx.unknown(
                report("Properties.PublicAccessBlockConfiguration".into(), None, "Block Public Access".into()),
                why,
            ),
            LeafVal::Known(cfg) => {
                let outer = leaf.condition();
                for flag in FLAGS {
                    let path = format!("Properties.PublicAccessBlockConfiguration.{flag}");
                    let absent = format!("{flag} is not set, so it is false");
                    // Reported per flag, so that each can be suppressed on its own.
                    let e = Expect {
                        detail: Some(flag),
                        condition: outer.clone(),
                        ..Expect::new(&path, flag, &absent)
                    };
                    expect(ctx, res, &cfg.at(&[flag]), &e, |n| match n.bool_value() {
                        V::Known(true, _) => None,
                        V::Known(false, _) => Some(format!("{flag} is false")),
                        _ => Some(format!("{flag} is {}, not true", n.val.describe())),
                    });
                }
            }
        }
    }
}
