//! `sqs-queue-tls-only`: SQS queue policies deny requests that do not use TLS.

use super::{QUEUE, QUEUE_POLICY};
use crate::rules::policy_support::{check_tls_only, TlsOnly};
use crate::rules::refers_to;
use crate::{Ctx, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-SQS-002",
        name: "sqs-queue-tls-only",
        severity: Severity::Low,
        area: Area::DataInTransit,
        title: "SQS queue policies deny requests that do not use TLS",
        resource_types: &[QUEUE],
        controls: Controls {
            cdk_nag: &["AwsSolutions-SQS4"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that every SQS queue has an AWS::SQS::QueuePolicy (whose Queues list refers to the queue) with a Deny statement for all principals and sqs:* on the queue's ARN, under the condition aws:SecureTransport = false. A policy that exists only under a condition makes the finding conditional on the opposite."#,
            why: r#"SQS answers on plain HTTP as well as HTTPS. A client with an endpoint override, an old SDK or a misconfigured proxy can send and receive messages in cleartext, where anyone on the network path can read or change them. A queue with server-side encryption already refuses requests that are not HTTPS, but encryption can be switched off later by anyone allowed SetQueueAttributes, and queues created before October 2022 or through the HTTP endpoint have none. The deny statement makes TLS a property of the queue's policy, whatever happens to its encryption."#,
            unknown: r#"A policy statement or resource that cannot be known does not count as denying plaintext requests; the message says which policies had such statements."#,
            fix_cloudformation: r#"    OrdersQueuePolicy:
      Type: AWS::SQS::QueuePolicy
      Properties:
        Queues:
          - !Ref OrdersQueue
        PolicyDocument:
          Version: '2012-10-17'
          Statement:
            - Sid: DenyInsecureTransport
              Effect: Deny
              Principal: '*'
              Action: 'sqs:*'
              Resource: !GetAtt OrdersQueue.Arn
              Condition:
                Bool:
                  aws:SecureTransport: 'false'

A queue has one policy: if a QueuePolicy already lists the queue, add the statement to it."#,
            fix_cdk: r#"enforceSSL adds the statement to the queue's policy.

TypeScript (aws-cdk-lib v2):

    import * as sqs from 'aws-cdk-lib/aws-sqs';

    new sqs.Queue(this, 'Orders', { enforceSSL: true });

Python:

    from aws_cdk import aws_sqs as sqs

    sqs.Queue(self, "Orders", enforce_ssl=True)"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_sqs_queue_policy" "orders" {
      queue_url = aws_sqs_queue.orders.id
      policy = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Sid       = "DenyInsecureTransport"
          Effect    = "Deny"
          Principal = "*"
          Action    = "sqs:*"
          Resource  = aws_sqs_queue.orders.arn
          Condition = { Bool = { "aws:SecureTransport" = "false" } }
        }]
      })
    }"#,
            fix_cli: r#"set-queue-attributes replaces the whole policy: read it, add the statement, write it back.

    aws sqs get-queue-attributes --queue-url URL --attribute-names Policy
    aws sqs set-queue-attributes --queue-url URL --attributes file://attributes.json
    # attributes.json: {"Policy": "<the policy with the DenyInsecureTransport statement, as a string>"}"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let name = res
        .props
        .get("QueueName")
        .and_then(|n| n.as_str())
        .unwrap_or("\u{1}queue\u{1}");
    let arn = format!("arn:aws:sqs:region:account:{name}");
    let policies: Vec<&Resource> = ctx
        .stack
        .of_type(QUEUE_POLICY)
        .filter(|p| {
            p.props
                .get("Queues")
                .is_some_and(|q| q.items().iter().any(|i| refers_to(i, &res.id)))
        })
        .collect();
    // `Ref` to a queue is its URL, which no policy resource is.
    let link = |l: &Link| -> Option<String> {
        if l.target != res.id {
            return None;
        }
        match l.attr.as_deref() {
            Some("Arn") => Some(arn.clone()),
            Some("QueueName") => Some(name.to_string()),
            _ => None,
        }
    };
    let t = TlsOnly {
        policies,
        action: "sqs:*",
        arn: arn.clone(),
        link: &link,
        policy_type: QUEUE_POLICY,
    };
    check_tls_only(ctx, res, &t);
}
