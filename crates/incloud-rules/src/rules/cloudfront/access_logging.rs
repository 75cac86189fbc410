//! `cloudfront-access-logging`: CloudFront distributions record access logs.

use crate::rules::cloudfront::tls::DISTRIBUTION;
use crate::rules::{expect, Expect};
use crate::{Ctx, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-CF-003",
        name: "cloudfront-access-logging",
        severity: Severity::Medium,
        area: Area::LoggingAndMonitoring,
        title: "CloudFront distributions record access logs",
        resource_types: &[DISTRIBUTION],
        controls: Controls {
            cdk_nag: &["AwsSolutions-CFR3"],
            cfn_nag: &["W10"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that every CloudFront distribution has standard (legacy) logging to S3 configured in DistributionConfig.Logging, or an AWS::Logs::DeliverySource in the same stack that delivers its access logs (standard logging v2)."#,
            why: r#"CloudFront serves your content from hundreds of edge locations, and records who asked for what only if you turn logging on. Access logs give every request's client IP, URI, status, TLS version and edge location: what you need to investigate scraping, credential stuffing or a leaked signed URL, and to prove what was served. CloudTrail does not record viewer requests."#,
            unknown: r#"A Logging block built from unknown values counts as configured."#,
            fix_cloudformation: r#"    Distribution:
      Type: AWS::CloudFront::Distribution
      Properties:
        DistributionConfig:
          Logging:
            Bucket: !GetAtt LogBucket.RegionalDomainName
            Prefix: cloudfront/
            IncludeCookies: false

The log bucket must have ACLs enabled (ObjectOwnership BucketOwnerPreferred), since standard logging writes with an ACL grant. Standard logging v2 (AWS::Logs::DeliverySource with LogType ACCESS_LOGS, a DeliveryDestination and a Delivery) avoids that."#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    new cloudfront.Distribution(this, 'Site', {
      defaultBehavior: { origin },
      enableLogging: true,
      logBucket,            // optional; CDK creates one otherwise
      logFilePrefix: 'cloudfront/',
    });

Python:

    cloudfront.Distribution(self, "Site",
        default_behavior=cloudfront.BehaviorOptions(origin=origin),
        enable_logging=True,
        log_bucket=log_bucket,
        log_file_prefix="cloudfront/",
    )"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_cloudfront_distribution" "this" {
      # ...
      logging_config {
        bucket          = aws_s3_bucket.logs.bucket_domain_name
        prefix          = "cloudfront/"
        include_cookies = false
      }
    }"#,
            fix_cli: r#"Set DistributionConfig.Logging (Enabled, Bucket, Prefix, IncludeCookies) and update the distribution:

    aws cloudfront get-distribution-config --id DIST-ID > dist.json
    aws cloudfront update-distribution --id DIST-ID --if-match ETAG --distribution-config file://config.json"#,
        },
        options: &[],
    },
    check,
};

const DELIVERY_SOURCE: &str = "AWS::Logs::DeliverySource";

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let delivered = ctx.stack.of_type(DELIVERY_SOURCE).any(|d| {
        d.props
            .get("ResourceArn")
            .is_some_and(|arn| mentions(arn, &res.id))
    });
    if delivered {
        return;
    }
    let logging = res.props.at(&["DistributionConfig", "Logging"]);
    let e = Expect::new(
        "Properties.DistributionConfig.Logging",
        "Access logging",
        "access logging is not enabled (no DistributionConfig.Logging)",
    );
    expect(ctx, res, &logging, &e, |_| None);
}

/// Whether a value is or contains a reference to the resource (`!Ref`, `!GetAtt`, or inside `!Sub`).
fn mentions(value: &Node, id: &str) -> bool {
    match &value.val {
        Val::Link(l) => l.target == id,
        Val::Tpl(parts) => parts
            .iter()
            .any(|p| matches!(p, Part::Link(l) if l.target == id)),
        _ => false,
    }
}
