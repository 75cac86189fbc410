//! `sns-topic-tls-only`: SNS topic policies deny publishing without TLS.

use super::{TOPIC, TOPIC_POLICY};
use crate::rules::policy_support::{check_tls_only, TlsOnly};
use crate::rules::refers_to;
use crate::{Ctx, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-SNS-002",
        name: "sns-topic-tls-only",
        severity: Severity::Low,
        area: Area::DataInTransit,
        title: "SNS topic policies deny publishing without TLS",
        resource_types: &[TOPIC],
        controls: Controls {
            cdk_nag: &["AwsSolutions-SNS3"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that every SNS topic without a KMS key has an AWS::SNS::TopicPolicy (whose Topics list refers to the topic) with a Deny statement for all principals and sns:Publish on the topic, under the condition aws:SecureTransport = false: the statement CDK's enforceSSL writes. A topic with KmsMasterKeyId is not reported: SNS refuses requests to encrypted topics that do not use HTTPS, as cdk-nag's AwsSolutions-SNS3 also allows."#,
            why: r#"SNS accepts Publish over plain HTTP. A publisher with an endpoint override, an old SDK or a misconfigured proxy then sends the message in cleartext, where anyone on the network path can read or alter it before SNS fans it out to every subscriber. Requiring TLS is a policy decision that belongs to the topic's owner."#,
            unknown: r#"A policy statement or resource that cannot be known does not count as denying plaintext publishing; the message says which policies had such statements. A KmsMasterKeyId that cannot be known counts as a key."#,
            fix_cloudformation: r#"    AlertsTopicPolicy:
      Type: AWS::SNS::TopicPolicy
      Properties:
        Topics:
          - !Ref AlertsTopic
        PolicyDocument:
          Version: '2012-10-17'
          Statement:
            - Sid: AllowPublishThroughSSLOnly
              Effect: Deny
              Principal: '*'
              Action: 'sns:Publish'
              Resource: !Ref AlertsTopic
              Condition:
                Bool:
                  aws:SecureTransport: 'false'

Or encrypt the topic with KmsMasterKeyId."#,
            fix_cdk: r#"enforceSSL (aws-cdk-lib 2.100 and later) adds the statement to the topic's policy.

TypeScript (aws-cdk-lib v2):

    import * as sns from 'aws-cdk-lib/aws-sns';

    new sns.Topic(this, 'Alerts', { enforceSSL: true });

Python:

    from aws_cdk import aws_sns as sns

    sns.Topic(self, "Alerts", enforce_ssl=True)"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_sns_topic_policy" "alerts" {
      arn = aws_sns_topic.alerts.arn
      policy = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Sid       = "AllowPublishThroughSSLOnly"
          Effect    = "Deny"
          Principal = "*"
          Action    = "sns:Publish"
          Resource  = aws_sns_topic.alerts.arn
          Condition = { Bool = { "aws:SecureTransport" = "false" } }
        }]
      })
    }"#,
            fix_cli: r#"set-topic-attributes replaces the whole policy: read it, add the statement, write it back.

    aws sns get-topic-attributes --topic-arn ARN --query Attributes.Policy --output text > policy.json
    # add the AllowPublishThroughSSLOnly statement to policy.json
    aws sns set-topic-attributes --topic-arn ARN --attribute-name Policy --attribute-value file://policy.json"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    // Encrypted topics refuse requests that are not HTTPS.
    if res
        .props
        .get("KmsMasterKeyId")
        .is_some_and(|k| k.as_str() != Some("") && !matches!(k.val, Val::Choice(_)))
    {
        return;
    }
    let name = res
        .props
        .get("TopicName")
        .and_then(|n| n.as_str())
        .unwrap_or("\u{1}topic\u{1}");
    let arn = format!("arn:aws:sns:region:account:{name}");
    let policies: Vec<&Resource> = ctx
        .stack
        .of_type(TOPIC_POLICY)
        .filter(|p| {
            p.props
                .get("Topics")
                .is_some_and(|t| t.items().iter().any(|i| refers_to(i, &res.id)))
        })
        .collect();
    // `Ref` to a topic is its ARN.
    let link = |l: &Link| -> Option<String> {
        if l.target != res.id {
            return None;
        }
        match l.attr.as_deref() {
            None | Some("TopicArn") => Some(arn.clone()),
            Some("TopicName") => Some(name.to_string()),
            _ => None,
        }
    };
    let t = TlsOnly {
        policies,
        action: "sns:Publish",
        arn: arn.clone(),
        link: &link,
        policy_type: TOPIC_POLICY,
    };
    check_tls_only(ctx, res, &t);
}
