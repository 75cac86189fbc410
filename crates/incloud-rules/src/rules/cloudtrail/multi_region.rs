//! `cloudtrail-multi-region`: CloudTrail trails record events in all Regions.

use crate::rules::{expect, Expect};
use crate::{Ctx, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-CT-001",
        name: "cloudtrail-multi-region",
        severity: Severity::High,
        area: Area::LoggingAndMonitoring,
        title: "CloudTrail trails record events in all Regions",
        resource_types: &[super::TRAIL],
        controls: Controls {
            security_hub: &["CloudTrail.1"],
            aws_config: &["multi-region-cloudtrail-enabled"],
            cis: &[
                "CIS AWS Foundations v5.0.0 3.1",
                "CIS AWS Foundations v3.0.0 3.1",
                "CIS AWS Foundations v1.4.0 3.1",
                "CIS AWS Foundations v1.2.0 2.1",
            ],
            nist_800_53: &[
                "AC-2(4)", "AC-4(26)", "AC-6(9)", "AU-10", "AU-12", "AU-2", "AU-3", "AU-6(3)",
                "AU-6(4)", "AU-14(1)", "CA-7", "SC-7(9)", "SI-3(8)", "SI-4(20)", "SI-7(8)",
                "SA-8(22)",
            ],
            hipaa: &["164.308(a)(3)(ii)(A)", "164.312(b)"],
            checkov: &["CKV_AWS_67"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that every AWS::CloudTrail::Trail has IsMultiRegionTrail true."#,
            why: r#"API activity in a Region you do not watch is where an attacker who holds your credentials goes first: launching instances in an unused Region, creating access keys or disabling defences there. A single-Region trail records none of it. A multi-Region trail also records global service events (IAM, STS, CloudFront) once, and picks up Regions that AWS adds later."#,
            unknown: r#"A IsMultiRegionTrail that cannot be known (a parameter without a value) is reported at severity info."#,
            fix_cloudformation: r#"    Trail:
      Type: AWS::CloudTrail::Trail
      Properties:
        IsLogging: true
        IsMultiRegionTrail: true
        IncludeGlobalServiceEvents: true
        S3BucketName: !Ref TrailBucket"#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2); isMultiRegionTrail defaults to true:

    import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';

    new cloudtrail.Trail(this, 'Trail', { isMultiRegionTrail: true });

Python:

    from aws_cdk import aws_cloudtrail as cloudtrail

    cloudtrail.Trail(self, "Trail", is_multi_region_trail=True)"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_cloudtrail" "this" {
      name                  = "org-trail"
      s3_bucket_name        = aws_s3_bucket.trail.id
      is_multi_region_trail = true
    }"#,
            fix_cli: r#"    aws cloudtrail update-trail --name my-trail --is-multi-region-trail --include-global-service-events"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let e = Expect::new(
        "Properties.IsMultiRegionTrail",
        "IsMultiRegionTrail",
        "IsMultiRegionTrail is not set, so the trail records only its own Region",
    );
    expect(
        ctx,
        res,
        &res.props.at(&["IsMultiRegionTrail"]),
        &e,
        |n| match n.bool_value() {
            V::Known(true, _) => None,
            _ => Some(format!(
                "IsMultiRegionTrail is {}: the trail records only its own Region",
                n.val.describe()
            )),
        },
    );
}
