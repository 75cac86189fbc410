//! `s3-bucket-policy-public`: bucket policies do not grant access to everyone.

use crate::iam_bridge::resource_doc;
use crate::rules::policy::{report_public_doc, PUBLIC_UNKNOWN};
use crate::{Ctx, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-S3-010",
        name: "s3-bucket-policy-public",
        severity: Severity::High,
        area: Area::IdentityAndAccess,
        title: "S3 bucket policies do not grant access to everyone",
        resource_types: &[s3::BUCKET_POLICY],
        controls: Controls {
            security_hub: &["S3.2", "S3.3"],
            aws_config: &[
                "s3-bucket-public-read-prohibited",
                "s3-bucket-public-write-prohibited",
            ],
            nist_800_53: &[
                "AC-21", "AC-3", "AC-3(7)", "AC-4", "AC-4(21)", "AC-6", "SC-7", "SC-7(11)",
                "SC-7(16)", "SC-7(20)", "SC-7(21)", "SC-7(3)", "SC-7(4)", "SC-7(9)",
            ],
            pci_dss: &[
                "PCI DSS v3.2.1 1.2.1",
                "PCI DSS v3.2.1 1.3.1",
                "PCI DSS v3.2.1 1.3.2",
                "PCI DSS v3.2.1 1.3.4",
                "PCI DSS v3.2.1 1.3.6",
                "PCI DSS v3.2.1 7.2.1",
            ],
            hipaa: &[
                "164.308(a)(3)(i)",
                "164.308(a)(4)(ii)(A)",
                "164.308(a)(4)(ii)(C)",
                "164.312(a)(1)",
                "164.312(e)(1)",
            ],
            cdk_nag: &[
                "NIST.800.53.R5-S3BucketPublicReadProhibited",
                "NIST.800.53.R5-S3BucketPublicWriteProhibited",
                "HIPAA.Security-S3BucketPublicReadProhibited",
                "HIPAA.Security-S3BucketPublicWriteProhibited",
                "PCI.DSS.321-S3BucketPublicReadProhibited",
                "PCI.DSS.321-S3BucketPublicWriteProhibited",
            ],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Reports bucket policy statements that allow every principal (`"Principal": "*"`, `{"AWS": "*"}`, `NotPrincipal`) with no condition that limits the caller (`aws:SourceVpce`, `aws:PrincipalOrgID`, `aws:SourceArn`, `aws:SourceAccount`, a private `aws:SourceIp` range, ...). Conditions that anyone can meet, such as `aws:SecureTransport`, do not count.

Block Public Access is taken into account: when the bucket (a bucket of the same template that the policy's `Bucket` references, or names by its `BucketName`) sets `BlockPublicPolicy` or `RestrictPublicBuckets` to true, S3 refuses the public policy or ignores its public grants, so the finding is not reported."#,
            why: r#"S3 serves whatever the bucket policy allows. A public statement exposes objects (or, with write actions, lets anyone upload, overwrite or delete them) to the whole internet. Most data leaks from S3 come from such policies, not from a failure of S3. Websites belong behind CloudFront with origin access control, which keeps the bucket private."#,
            unknown: PUBLIC_UNKNOWN,
            fix_cloudformation: r#"Serve through CloudFront with origin access control:

    - Effect: Allow
      Principal: { Service: cloudfront.amazonaws.com }
      Action: s3:GetObject
      Resource: !Sub '${SiteBucket.Arn}/*'
      Condition:
        StringEquals:
          AWS:SourceArn: !Sub 'arn:aws:cloudfront::${AWS::AccountId}:distribution/${Distribution}'

and turn on Block Public Access on the bucket (`PublicAccessBlockConfiguration` with all four settings true)."#,
            fix_cdk: r#"TypeScript:

    const bucket = new s3.Bucket(this, 'Site', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
    new cloudfront.Distribution(this, 'Cdn', { defaultBehavior: { origin: origins.S3BucketOrigin.withOriginAccessControl(bucket) } });

Python:

    bucket = s3.Bucket(self, "Site", block_public_access=s3.BlockPublicAccess.BLOCK_ALL)
    cloudfront.Distribution(self, "Cdn", default_behavior=cloudfront.BehaviorOptions(origin=origins.S3BucketOrigin.with_origin_access_control(bucket)))"#,
            fix_terraform: r#"Remove `principals { type = "*" }` statements from the bucket's policy and add aws_s3_bucket_public_access_block with all four settings true."#,
            fix_cli: r#"    aws s3api put-public-access-block --bucket my-bucket --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
    aws s3api put-bucket-policy --bucket my-bucket --policy file://policy.json"#,
        },
        options: &[],
    },
    check,
};

/// Whether Block Public Access on the bucket the policy names keeps its public grants from taking effect.
pub(crate) fn blocks_public_policy(ctx: &Ctx<'_>, res: &Resource) -> bool {
    let Some(target) = res.props.get("Bucket") else {
        return false;
    };
    // The bucket the policy names: by reference, or by the literal name the template gives it.
    let bucket = ctx.stack.of_type(s3::BUCKET).find(|b| {
        let name = b.props.get("BucketName").and_then(|n| n.as_str());
        s3::names_bucket(target, &b.id, name)
    });
    let Some(bucket) = bucket else {
        return false;
    };
    ["BlockPublicPolicy", "RestrictPublicBuckets"]
        .iter()
        .any(|k| {
            matches!(
                bucket
                    .props
                    .at(&["PublicAccessBlockConfiguration", k])
                    .known()
                    .map(|n| n.bool_value()),
                Some(V::Known(true, _))
            )
        })
}

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    if blocks_public_policy(ctx, res) {
        return;
    }
    let Some(doc) = resource_doc(res) else { return };
    report_public_doc(ctx, res, &doc, "bucket", None);
}
