//! `sns-topic-policy-public`: SNS topic policies do not grant access to everyone.

use crate::rules::policy::{report_public, PUBLIC_UNKNOWN};
use crate::{Ctx, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-SNS-010",
        name: "sns-topic-policy-public",
        severity: Severity::High,
        area: Area::IdentityAndAccess,
        title: "SNS topic policies do not grant access to everyone",
        resource_types: &["AWS::SNS::TopicPolicy", "AWS::SNS::TopicInlinePolicy"],
        controls: Controls {
            security_hub: &["SNS.4"],
            aws_config: &["sns-topic-no-public-access"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Reports topic policy statements that allow every principal (`"Principal": "*"`, `{"AWS": "*"}`, `NotPrincipal`) with no condition that limits the caller to an account, an organization, a VPC endpoint or a source (`aws:SourceArn`, `aws:SourceAccount`, `aws:PrincipalOrgID`, `aws:SourceVpce`, a private `aws:SourceIp` range, ...). Conditions anyone can meet, such as `aws:SecureTransport`, do not count."#,
            why: r#"SNS delivers to and accepts from whoever the topic policy allows. A public topic lets anyone publish forged messages to every subscriber, or subscribe their own endpoint and receive everything published."#,
            unknown: PUBLIC_UNKNOWN,
            fix_cloudformation: r#"Allow the one bucket or account that publishes:

    - Effect: Allow
      Principal: { Service: s3.amazonaws.com }
      Action: sns:Publish
      Resource: !Ref Topic
      Condition:
        ArnLike:
          aws:SourceArn: !GetAtt UploadsBucket.Arn
        StringEquals:
          aws:SourceAccount: !Ref AWS::AccountId"#,
            fix_cdk: r#"TypeScript:

    topic.grantPublish(new iam.ServicePrincipal('s3.amazonaws.com'));   // add conditions with addToResourcePolicy when needed

Python:

    topic.grant_publish(iam.ServicePrincipal("s3.amazonaws.com"))"#,
            fix_terraform: r#"Replace principals { type = "*" } in aws_sns_topic_policy with the service or account, and add aws:SourceArn and aws:SourceAccount conditions."#,
            fix_cli: r#"    aws sns set-topic-attributes --topic-arn arn:aws:sns:us-east-1:111122223333:t --attribute-name Policy --attribute-value file://policy.json"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    report_public(ctx, res, "topic");
}
