//! `sqs-queue-encryption`: SQS queues encrypt messages at rest (SSE-SQS or SSE-KMS).

use super::QUEUE;
use crate::rules::and;
use crate::{Ctx, Report, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-SQS-001",
        name: "sqs-queue-encryption",
        severity: Severity::Medium,
        area: Area::DataAtRest,
        title: "SQS queues encrypt messages at rest",
        resource_types: &[QUEUE],
        controls: Controls {
            security_hub: &["SQS.1"],
            nist_800_53: &[
                "CA-9(1)", "CM-3(6)", "SC-13", "SC-28", "SC-28(1)", "SC-7(10)", "SI-7(6)",
            ],
            cdk_nag: &["AwsSolutions-SQS2"],
            cfn_nag: &["W48"],
            checkov: &["CKV_AWS_27"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that every SQS queue says how its messages are encrypted at rest: KmsMasterKeyId (SSE-KMS, with the AWS managed key alias/aws/sqs or a customer managed key) or SqsManagedSseEnabled true (SSE-SQS, with keys owned by SQS). Either satisfies Security Hub SQS.1, which accepts SSE-SQS as well as SSE-KMS.

A queue with SqsManagedSseEnabled false and no KmsMasterKeyId stores messages unencrypted and is reported at the rule's severity. A queue that sets neither property gets SSE-SQS by default when it is created through the HTTPS API (since October 2022), so it is reported at severity low: the template relies on a default instead of saying what it wants, and queues created before the default, or through the plain-HTTP endpoint, are unencrypted."#,
            why: r#"Queues hold message bodies for up to 14 days, and those bodies are often the data itself: orders, events with personal data, tokens passed between services. Server-side encryption protects the stored messages; choosing it, and the key, is the customer's side of the shared responsibility model.

SSE-SQS costs nothing and needs no key management. SSE-KMS with a customer managed key adds a key policy as a second gate on reading messages and a CloudTrail record of every use; choose it when you need to control or audit who can decrypt."#,
            unknown: r#"A KmsMasterKeyId whose value cannot be known (a parameter without a value, an import) counts as encryption with KMS: the property is set, and only an empty string would mean no key. Without a key, an SqsManagedSseEnabled that cannot be known is reported at severity info, saying why."#,
            fix_cloudformation: r#"Either let SQS manage the key:

    OrdersQueue:
      Type: AWS::SQS::Queue
      Properties:
        SqsManagedSseEnabled: true

or use a KMS key (customer managed, or alias/aws/sqs):

    OrdersQueue:
      Type: AWS::SQS::Queue
      Properties:
        KmsMasterKeyId: !Ref QueueKey
        KmsDataKeyReusePeriodSeconds: 300

Producers then need kms:GenerateDataKey and consumers kms:Decrypt on the key; AWS services that send to the queue (SNS, EventBridge, S3) need the same in the key policy."#,
            fix_cdk: r#"Set encryption explicitly; QueueEncryption.SQS_MANAGED renders SqsManagedSseEnabled true, KMS renders a customer managed key.

TypeScript (aws-cdk-lib v2):

    import * as sqs from 'aws-cdk-lib/aws-sqs';

    new sqs.Queue(this, 'Orders', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,   // optional: without it CDK creates a key
    });

Python:

    from aws_cdk import aws_sqs as sqs

    sqs.Queue(self, "Orders", encryption=sqs.QueueEncryption.SQS_MANAGED)"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_sqs_queue" "orders" {
      name                    = "orders"
      sqs_managed_sse_enabled = true
      # or: kms_master_key_id = aws_kms_key.queue.arn
    }"#,
            fix_cli: r#"    aws sqs set-queue-attributes --queue-url https://sqs.REGION.amazonaws.com/ACCOUNT/orders \
      --attributes SqsManagedSseEnabled=true

    aws sqs get-queue-attributes --queue-url https://sqs.REGION.amazonaws.com/ACCOUNT/orders \
      --attribute-names SqsManagedSseEnabled KmsMasterKeyId"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let key = res.props.at(&["KmsMasterKeyId"]);
    for k_leaf in key.leaves() {
        let report = |span: Span, path: &str, condition: Option<String>, message: String| Report {
            resource: res,
            span,
            path: path.to_string(),
            condition,
            detail: None,
            message,
        };
        match k_leaf.val {
            // A value the deployer supplies (a parameter, an import) is some key; only an empty string is none.
            LeafVal::Known(k) if k.as_str() != Some("") => continue,
            LeafVal::Unknown(_) => continue,
            _ => {}
        }
        let outer = k_leaf.condition();
        let managed = res.props.at(&["SqsManagedSseEnabled"]);
        for m_leaf in managed.leaves() {
            let cond = and(outer.as_deref(), m_leaf.condition());
            let path = "Properties.SqsManagedSseEnabled";
            match m_leaf.val {
                LeafVal::Absent => ctx.report_at(
                    Severity::Low,
                    report(
                        m_leaf.span,
                        path,
                        cond,
                        "neither KmsMasterKeyId nor SqsManagedSseEnabled: the queue relies on the SSE-SQS default for new queues; say SqsManagedSseEnabled: true or give a KMS key".into(),
                    ),
                ),
                LeafVal::Unknown(why) => {
                    ctx.unknown(report(m_leaf.span, path, cond, "SqsManagedSseEnabled".into()), why)
                }
                LeafVal::Known(n) => match n.bool_value() {
                    V::Known(true, _) => {}
                    _ => ctx.report(report(
                        m_leaf.span,
                        path,
                        cond,
                        format!(
                            "SqsManagedSseEnabled is {} and no KmsMasterKeyId: messages are stored unencrypted",
                            n.val.describe()
                        ),
                    )),
                },
            }
        }
    }
}
