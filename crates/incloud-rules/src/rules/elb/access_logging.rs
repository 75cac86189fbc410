//! `elb-access-logging`: load balancers deliver access logs to S3.

use crate::rules::{expect, Expect};
use crate::{Ctx, Report, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-ELB-002",
        name: "elb-access-logging",
        severity: Severity::Medium,
        area: Area::LoggingAndMonitoring,
        title: "Load balancers deliver access logs to S3",
        resource_types: &[LOAD_BALANCER, CLASSIC],
        controls: Controls {
            security_hub: &["ELB.5"],
            aws_config: &["elb-logging-enabled"],
            nist_800_53: &[
                "AC-4(26)", "AU-10", "AU-12", "AU-2", "AU-3", "AU-6(3)", "AU-6(4)", "CA-7",
                "SC-7(9)", "SI-7(8)",
            ],
            hipaa: &["164.312(b)"],
            cdk_nag: &[
                "AwsSolutions-ELB2",
                "NIST.800.53.R5-ELBLoggingEnabled",
                "HIPAA.Security-ELBLoggingEnabled",
                "PCI.DSS.321-ELBLoggingEnabled",
            ],
            cfn_nag: &["W52", "W26"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that Application and Network Load Balancers (AWS::ElasticLoadBalancingV2::LoadBalancer) set the attribute access_logs.s3.enabled to true, and that Classic Load Balancers (AWS::ElasticLoadBalancing::LoadBalancer) have an AccessLoggingPolicy with Enabled true. Gateway Load Balancers, which have no access logs, are not checked."#,
            why: r#"The load balancer is the front door of an application, and AWS records the requests it receives only if you turn access logging on. Access logs give the client IP, request line, TLS protocol and cipher, status codes and target of every request: what you need to investigate an attack, a credential-stuffing wave or a data leak after the fact. Elastic Load Balancing charges nothing for them beyond S3 storage."#,
            unknown: r#"An attribute value that cannot be known (a parameter without a value) is reported at severity info."#,
            fix_cloudformation: r#"Turn on access logs and name the bucket (its policy must let the ELB log delivery write to it):

    LoadBalancer:
      Type: AWS::ElasticLoadBalancingV2::LoadBalancer
      Properties:
        Subnets: !Ref PublicSubnets
        LoadBalancerAttributes:
          - Key: access_logs.s3.enabled
            Value: 'true'
          - Key: access_logs.s3.bucket
            Value: !Ref AccessLogBucket
          - Key: access_logs.s3.prefix
            Value: my-alb

For a Classic Load Balancer:

        AccessLoggingPolicy:
          Enabled: true
          S3BucketName: !Ref AccessLogBucket
          EmitInterval: 5"#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2); CDK adds the bucket policy that lets ELB write:

    lb.logAccessLogs(logBucket, 'my-alb');

Python:

    lb.log_access_logs(log_bucket, prefix="my-alb")"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_lb" "this" {
      # ...
      access_logs {
        bucket  = aws_s3_bucket.logs.id
        prefix  = "my-alb"
        enabled = true
      }
    }"#,
            fix_cli: r#"    aws elbv2 modify-load-balancer-attributes --load-balancer-arn LB-ARN \
      --attributes Key=access_logs.s3.enabled,Value=true Key=access_logs.s3.bucket,Value=my-log-bucket

The bucket policy must allow the Elastic Load Balancing log delivery for your Region to call s3:PutObject."#,
        },
        options: &[],
    },
    check,
};

const LOAD_BALANCER: &str = "AWS::ElasticLoadBalancingV2::LoadBalancer";
const CLASSIC: &str = "AWS::ElasticLoadBalancing::LoadBalancer";
const KEY: &str = "access_logs.s3.enabled";

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    if res.is(CLASSIC) {
        let e = Expect::new(
            "Properties.AccessLoggingPolicy.Enabled",
            "Access logging",
            "access logging is not enabled (no AccessLoggingPolicy)",
        );
        expect(
            ctx,
            res,
            &res.props.at(&["AccessLoggingPolicy", "Enabled"]),
            &e,
            |n| match n.bool_value() {
                V::Known(true, _) => None,
                _ => Some(format!(
                    "AccessLoggingPolicy.Enabled is {}",
                    n.val.describe()
                )),
            },
        );
        return;
    }
    if res
        .props
        .get("Type")
        .and_then(|t| t.as_str())
        .is_some_and(|t| t == "gateway")
    {
        return;
    }
    for leaf in res.props.at(&["LoadBalancerAttributes"]).leaves() {
        let report = |span: Span, message: String| Report {
            resource: res,
            span,
            path: "Properties.LoadBalancerAttributes".into(),
            condition: leaf.condition(),
            detail: None,
            message,
        };
        match leaf.val {
            LeafVal::Absent => ctx.report(report(
                leaf.span,
                format!("access logging is not enabled (no LoadBalancerAttributes with {KEY})"),
            )),
            LeafVal::Unknown(why) => ctx.unknown(report(leaf.span, "Access logging".into()), why),
            LeafVal::Known(list) => {
                let attr = list
                    .items()
                    .into_iter()
                    .rev()
                    .find(|a| a.get("Key").and_then(|k| k.as_str()) == Some(KEY));
                let Some(attr) = attr else {
                    ctx.report(report(
                        leaf.span,
                        format!("access logging is not enabled ({KEY} is not set, so it is false)"),
                    ));
                    continue;
                };
                let value = attr.at(&["Value"]);
                let e = Expect {
                    condition: leaf.condition(),
                    ..Expect::new(
                        "Properties.LoadBalancerAttributes.Value",
                        "Access logging",
                        "access_logs.s3.enabled has no Value",
                    )
                };
                expect(ctx, res, &value, &e, |n| match n.bool_value() {
                    V::Known(true, _) => None,
                    _ => Some(format!("{KEY} is {}", n.val.describe())),
                });
            }
        }
    }
}
