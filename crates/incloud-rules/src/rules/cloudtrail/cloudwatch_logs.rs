//! `cloudtrail-cloudwatch-logs`: CloudTrail trails deliver events to CloudWatch Logs.

use crate::rules::expect_set;
use crate::{Ctx, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-CT-004",
        name: "cloudtrail-cloudwatch-logs",
        severity: Severity::Low,
        area: Area::LoggingAndMonitoring,
        title: "CloudTrail trails deliver events to CloudWatch Logs",
        resource_types: &[super::TRAIL],
        controls: Controls {
            security_hub: &["CloudTrail.5"],
            aws_config: &["cloud-trail-cloud-watch-logs-enabled"],
            cis: &[
                "CIS AWS Foundations v1.4.0 3.4",
                "CIS AWS Foundations v1.2.0 2.4",
            ],
            nist_800_53: &[
                "AC-2(4)", "AC-4(26)", "AC-6(9)", "AU-10", "AU-12", "AU-2", "AU-3", "AU-6(1)",
                "AU-6(3)", "AU-6(4)", "AU-6(5)", "AU-7(1)", "CA-7", "SC-7(9)", "SI-20", "SI-3(8)",
                "SI-4(20)", "SI-4(5)", "SI-7(8)",
            ],
            pci_dss: &["PCI DSS v3.2.1 10.5.3"],
            hipaa: &["164.308(a)(3)(ii)(A)", "164.312(b)"],
            cdk_nag: &[
                "NIST.800.53.R5-CloudTrailCloudWatchLogsEnabled",
                "HIPAA.Security-CloudTrailCloudWatchLogsEnabled",
                "PCI.DSS.321-CloudTrailCloudWatchLogsEnabled",
            ],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that every AWS::CloudTrail::Trail sets CloudWatchLogsLogGroupArn (with CloudWatchLogsRoleArn), so that events are also delivered to CloudWatch Logs."#,
            why: r#"Logs in S3 are evidence; logs in CloudWatch Logs can raise an alarm while something is happening. The CIS benchmark's alarms (root account use, console sign-in without MFA, IAM policy and security group changes, CloudTrail being stopped) are metric filters on a trail's log group. Without delivery to CloudWatch Logs you learn about those events when someone reads the bucket."#,
            unknown: r#"A CloudWatchLogsLogGroupArn that is present counts, even when its value cannot be known (an imported key or log group); an empty string is reported."#,
            fix_cloudformation: r#"    Trail:
      Type: AWS::CloudTrail::Trail
      Properties:
        IsLogging: true
        S3BucketName: !Ref TrailBucket
        CloudWatchLogsLogGroupArn: !GetAtt TrailLogGroup.Arn
        CloudWatchLogsRoleArn: !GetAtt TrailLogsRole.Arn

TrailLogsRole is assumable by cloudtrail.amazonaws.com and may call logs:CreateLogStream and logs:PutLogEvents on the log group."#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2); CDK creates the log group and role:

    new cloudtrail.Trail(this, 'Trail', {
      sendToCloudWatchLogs: true,
      cloudWatchLogsRetention: logs.RetentionDays.ONE_YEAR,
    });

Python:

    cloudtrail.Trail(self, "Trail",
        send_to_cloud_watch_logs=True,
        cloud_watch_logs_retention=logs.RetentionDays.ONE_YEAR,
    )"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_cloudtrail" "this" {
      name                       = "org-trail"
      s3_bucket_name             = aws_s3_bucket.trail.id
      cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
      cloud_watch_logs_role_arn  = aws_iam_role.trail_logs.arn
    }"#,
            fix_cli: r#"    aws cloudtrail update-trail --name my-trail \
      --cloud-watch-logs-log-group-arn arn:aws:logs:REGION:ACCOUNT:log-group:cloudtrail:* \
      --cloud-watch-logs-role-arn arn:aws:iam::ACCOUNT:role/CloudTrailToCloudWatch"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    expect_set(
        ctx,
        res,
        "CloudWatchLogsLogGroupArn",
        "no CloudWatchLogsLogGroupArn: events go to S3 only and cannot drive metric filters or alarms",
    );
}
