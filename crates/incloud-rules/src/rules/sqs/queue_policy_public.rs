//! `sqs-queue-policy-public`: SQS queue policies do not grant access to everyone.

use crate::rules::policy::{report_public, PUBLIC_UNKNOWN};
use crate::{Ctx, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-SQS-010",
        name: "sqs-queue-policy-public",
        severity: Severity::High,
        area: Area::IdentityAndAccess,
        title: "SQS queue policies do not grant access to everyone",
        resource_types: &["AWS::SQS::QueuePolicy", "AWS::SQS::QueueInlinePolicy"],
        controls: Controls {
            security_hub: &["SQS.3"],
            aws_config: &["sqs-queue-no-public-access"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Reports queue policy statements that allow every principal (`"Principal": "*"`, `{"AWS": "*"}`, `NotPrincipal`) with no condition that limits the caller to an account, an organization, a VPC endpoint or a source (`aws:SourceArn`, `aws:SourceAccount`, `aws:PrincipalOrgID`, `aws:SourceVpce`, a private `aws:SourceIp` range, ...). Conditions anyone can meet, such as `aws:SecureTransport`, do not count."#,
            why: r#"SQS delivers messages to whoever the queue policy allows. A public queue lets anyone read (and so steal) messages, delete them, or flood the queue with forged ones that your consumers then process. Queues that receive from SNS, S3 or EventBridge need the service principal and an aws:SourceArn condition, not Principal "*"."#,
            unknown: PUBLIC_UNKNOWN,
            fix_cloudformation: r#"Allow the one topic that feeds the queue:

    - Effect: Allow
      Principal: { Service: sns.amazonaws.com }
      Action: sqs:SendMessage
      Resource: !GetAtt Queue.Arn
      Condition:
        ArnEquals:
          aws:SourceArn: !Ref Topic"#,
            fix_cdk: r#"TypeScript:

    topic.addSubscription(new subs.SqsSubscription(queue));   // writes a statement scoped to the topic

Python:

    topic.add_subscription(subs.SqsSubscription(queue))"#,
            fix_terraform: r#"Replace principals { type = "*" } in aws_sqs_queue_policy with the service or role, and add an aws:SourceArn condition."#,
            fix_cli: r#"    aws sqs set-queue-attributes --queue-url https://sqs.us-east-1.amazonaws.com/111122223333/q --attributes file://attributes.json"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    report_public(ctx, res, "queue");
}
