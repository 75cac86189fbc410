//! `s3-bucket-access-logging`: S3 buckets record server access logs.

use crate::rules::{expect, Expect};
use crate::{Ctx, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-S3-006",
        name: "s3-bucket-access-logging",
        severity: Severity::Medium,
        area: Area::LoggingAndMonitoring,
        title: "S3 buckets record server access logs",
        resource_types: &[s3::BUCKET],
        controls: Controls {
            security_hub: &["S3.9"],
            aws_config: &["s3-bucket-logging-enabled"],
            cis: &[],
            nist_800_53: &["AC-2(4)", "AU-2", "AU-3", "AU-12", "CA-7", "SI-4(20)"],
            pci_dss: &["PCI DSS v4.0.1 10.2.1"],
            hipaa: &["164.308(a)(3)(ii)(A)", "164.312(b)"],
            cdk_nag: &[
                "AwsSolutions-S1",
                "NIST.800.53.R5-S3BucketLoggingEnabled",
                "HIPAA.Security-S3BucketLoggingEnabled",
                "PCI.DSS.321-S3BucketLoggingEnabled",
            ],
            cfn_nag: &["W35"],
            checkov: &["CKV_AWS_18"],
        },
        docs: Docs {
            description: r#"Checks that every S3 bucket has a LoggingConfiguration with a DestinationBucketName, so that S3 delivers server access logs for it. Buckets without server access logging are reported."#,
            why: r#"AWS records requests to your objects only if you ask it to. CloudTrail logs management events by default, but object-level GETs, PUTs and DELETEs are recorded only if you turn on S3 server access logs or CloudTrail S3 data events.

Without either, after a leaked credential or an accidental public exposure you cannot tell who read or deleted which objects, or from which IP address. That is the first thing incident responders and auditors ask. Server access logging has no extra charge beyond storing the logs. S3 delivers them on a best-effort basis to a separate log bucket in the same Region.

The log bucket should not log to itself; suppress this finding for the log destination."#,
            unknown: r#"A LoggingConfiguration that is present but built from unknown values counts as configured. A bucket that receives other buckets' access logs in the same stack is not reported (as Security Hub S3.9 and cdk-nag advise: logging a log bucket into itself would loop)."#,
            fix_cloudformation: r#"Create a log bucket that the S3 logging service may write to, then point your bucket at it:

    LogBucket:
      Type: AWS::S3::Bucket
      Properties:
        OwnershipControls:
          Rules:
            - ObjectOwnership: BucketOwnerEnforced
    LogBucketPolicy:
      Type: AWS::S3::BucketPolicy
      Properties:
        Bucket: !Ref LogBucket
        PolicyDocument:
          Version: '2012-10-17'
          Statement:
            - Effect: Allow
              Principal:
                Service: logging.s3.amazonaws.com
              Action: 's3:PutObject'
              Resource: !Sub '${LogBucket.Arn}/*'
              Condition:
                StringEquals:
                  aws:SourceAccount: !Ref AWS::AccountId
    MyBucket:
      Type: AWS::S3::Bucket
      Properties:
        LoggingConfiguration:
          DestinationBucketName: !Ref LogBucket
          LogFilePrefix: my-bucket/

If the log bucket uses SSE-KMS, its key must be a customer managed key whose policy allows logging.s3.amazonaws.com. The aws/s3 key cannot be used."#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    import * as s3 from 'aws-cdk-lib/aws-s3';

    const logBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
    });
    new s3.Bucket(this, 'MyBucket', {
      serverAccessLogsBucket: logBucket,
      serverAccessLogsPrefix: 'my-bucket/',
    });

Python:

    from aws_cdk import aws_s3 as s3

    log_bucket = s3.Bucket(self, "AccessLogs",
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        enforce_ssl=True,
    )
    s3.Bucket(self, "MyBucket",
        server_access_logs_bucket=log_bucket,
        server_access_logs_prefix="my-bucket/",
    )

Recent versions of aws-cdk-lib grant the S3 logging service permission to write to the log bucket; the exact mechanism (bucket policy or ACL) is not verified."#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_s3_bucket_logging" "this" {
      bucket        = aws_s3_bucket.this.id
      target_bucket = aws_s3_bucket.logs.id
      target_prefix = "my-bucket/"
    }

The log bucket also needs an aws_s3_bucket_policy that allows logging.s3.amazonaws.com to call s3:PutObject on its objects, ideally with an aws:SourceAccount condition."#,
            fix_cli: r#"First let the S3 logging service write to the log bucket, using a bucket policy like the one in the CloudFormation example:

    aws s3api put-bucket-policy --bucket my-log-bucket --policy file://log-bucket-policy.json

Then turn on logging for your bucket:

    aws s3api put-bucket-logging --bucket my-bucket \
      --bucket-logging-status '{"LoggingEnabled":{"TargetBucket":"my-log-bucket","TargetPrefix":"my-bucket/"}}'"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    if s3::Bucket::of(ctx.stack, res).is_log_target {
        return;
    }
    let logging = res.props.at(&["LoggingConfiguration"]);
    let e = Expect::new(
        "Properties.LoggingConfiguration",
        "Server access logging",
        "server access logging is not enabled (no LoggingConfiguration)",
    );
    expect(ctx, res, &logging, &e, |_| None);
}
