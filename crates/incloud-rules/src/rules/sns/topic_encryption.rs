//! `sns-topic-encryption`: SNS topics encrypt messages at rest with a KMS key.

use super::TOPIC;
use crate::{Ctx, Report, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-SNS-001",
        name: "sns-topic-encryption",
        severity: Severity::Low,
        area: Area::DataAtRest,
        title: "SNS topics encrypt messages at rest with a KMS key",
        resource_types: &[TOPIC],
        controls: Controls {
            security_hub: &["SNS.1"],
            aws_config: &["sns-encrypted-kms"],
            nist_800_53: &[
                "CA-9(1)", "CM-3(6)", "SC-13", "SC-28", "SC-28(1)", "SC-7(10)", "SI-7(6)",
            ],
            hipaa: &["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"],
            cdk_nag: &[
                "AwsSolutions-SNS2",
                "NIST.800.53.R5-SNSEncryptedKMS",
                "HIPAA.Security-SNSEncryptedKMS",
                "PCI.DSS.321-SNSEncryptedKMS",
            ],
            cfn_nag: &["W47"],
            checkov: &["CKV_AWS_26"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that every SNS topic sets KmsMasterKeyId, so that SNS encrypts the messages it stores with a KMS key (the AWS managed key alias/aws/sns or a customer managed key), as AWS Config's sns-encrypted-kms and Security Hub SNS.1 require. SNS.1 was removed from the AWS Foundational Security Best Practices standard in April 2024 but remains in the NIST SP 800-53 Rev. 5 standard."#,
            why: r#"Without a KMS key, SNS keeps messages awaiting delivery on disks that AWS encrypts, but nothing about that encryption is yours: there is no key policy to say who may read messages, no CloudTrail record of their decryption, and no way to revoke access by disabling a key. Notifications often carry the payload itself (orders, alerts with customer data).

With a customer managed key, publishers need kms:GenerateDataKey and kms:Decrypt on the key, and AWS services that publish (CloudWatch alarms, EventBridge, S3 events) must be allowed in the key policy; the AWS managed key alias/aws/sns cannot grant those services access, so prefer a customer managed key for topics that services publish to."#,
            unknown: r#"A KmsMasterKeyId whose value cannot be known (a parameter without a value, an import) counts as a KMS key: the property is set, and only an empty string would mean no key. An undecided condition that leaves the property out is reported for that branch."#,
            fix_cloudformation: r#"    AlertsTopic:
      Type: AWS::SNS::Topic
      Properties:
        KmsMasterKeyId: !Ref TopicKey    # or alias/aws/sns"#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    import * as sns from 'aws-cdk-lib/aws-sns';
    import * as kms from 'aws-cdk-lib/aws-kms';

    const key = new kms.Key(this, 'TopicKey', { enableKeyRotation: true });
    new sns.Topic(this, 'Alerts', { masterKey: key });

Python:

    from aws_cdk import aws_sns as sns, aws_kms as kms

    key = kms.Key(self, "TopicKey", enable_key_rotation=True)
    sns.Topic(self, "Alerts", master_key=key)"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_sns_topic" "alerts" {
      name              = "alerts"
      kms_master_key_id = aws_kms_key.topic.arn
    }"#,
            fix_cli: r#"    aws sns set-topic-attributes --topic-arn arn:aws:sns:REGION:ACCOUNT:alerts \
      --attribute-name KmsMasterKeyId --attribute-value arn:aws:kms:REGION:ACCOUNT:key/KEY-ID"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    for leaf in res.props.at(&["KmsMasterKeyId"]).leaves() {
        // A value the deployer supplies (a parameter, an import) is some key; only an empty string is none.
        let message = match leaf.val {
            LeafVal::Absent => {
                "no KmsMasterKeyId: SNS stores the topic's messages without a KMS key"
            }
            LeafVal::Known(n) if n.as_str() == Some("") => {
                "KmsMasterKeyId is empty: SNS stores the topic's messages without a KMS key"
            }
            _ => continue,
        };
        ctx.report(Report {
            resource: res,
            span: leaf.span,
            path: "Properties.KmsMasterKeyId".into(),
            condition: leaf.condition(),
            detail: None,
            message: message.into(),
        });
    }
}
