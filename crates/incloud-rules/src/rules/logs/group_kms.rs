//! `logs-group-kms`: CloudWatch log groups are encrypted with a customer managed KMS key.

use super::LOG_GROUP;
use crate::{Ctx, Report, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-LOGS-002",
        name: "logs-group-kms",
        severity: Severity::Low,
        area: Area::DataAtRest,
        title: "CloudWatch log groups are encrypted with a KMS key",
        resource_types: &[LOG_GROUP],
        controls: Controls {
            aws_config: &["cloudwatch-log-group-encrypted"],
            hipaa: &["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"],
            cdk_nag: &[
                "NIST.800.53.R5-CloudWatchLogGroupEncrypted",
                "HIPAA.Security-CloudWatchLogGroupEncrypted",
                "PCI.DSS.321-CloudWatchLogGroupEncrypted",
            ],
            cfn_nag: &["W84"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that every CloudWatch Logs log group sets KmsKeyId. Log groups without it are encrypted with a key CloudWatch Logs owns."#,
            why: r#"CloudWatch Logs always encrypts log data, with a service-owned key by default. With that key, anyone allowed logs:GetLogEvents or logs:StartQuery reads the logs, and there is no separate permission to audit or revoke.

Logs often carry what should not be there: tokens, personal data, request bodies. With your own KMS key, reading the log group also needs kms:Decrypt under a key policy you write, every use is logged in CloudTrail, and disabling the key cuts off access. The key policy must let the logs.REGION.amazonaws.com service use the key."#,
            unknown: r#"A KmsKeyId that cannot be known (an import, a parameter without a value) names a key the template author chose and counts as set; only its absence is reported."#,
            fix_cloudformation: r#"    LogsKey:
      Type: AWS::KMS::Key
      Properties:
        EnableKeyRotation: true
        KeyPolicy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: { AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root" }
              Action: kms:*
              Resource: "*"
            - Effect: Allow
              Principal: { Service: !Sub "logs.${AWS::Region}.amazonaws.com" }
              Action: [kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey*, kms:Describe*]
              Resource: "*"
    AppLogs:
      Type: AWS::Logs::LogGroup
      Properties:
        KmsKeyId: !GetAtt LogsKey.Arn
        RetentionInDays: 400"#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    const key = new kms.Key(this, 'LogsKey', { enableKeyRotation: true });
    key.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`));
    new logs.LogGroup(this, 'AppLogs', { encryptionKey: key });

Python:

    key = kms.Key(self, "LogsKey", enable_key_rotation=True)
    key.grant_encrypt_decrypt(iam.ServicePrincipal(f"logs.{self.region}.amazonaws.com"))
    logs.LogGroup(self, "AppLogs", encryption_key=key)"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_cloudwatch_log_group" "app" {
      name       = "/app/orders"
      kms_key_id = aws_kms_key.logs.arn
    }"#,
            fix_cli: r#"    aws logs associate-kms-key --log-group-name /app/orders \
      --kms-key-id arn:aws:kms:REGION:ACCOUNT:key/KEY-ID

Only data ingested afterwards is encrypted with the new key."#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    // An unknown key id is a key the author chose: only a missing or empty one is a finding.
    for leaf in res.props.at(&["KmsKeyId"]).leaves() {
        let message = match leaf.val {
            LeafVal::Unknown(_) => continue,
            LeafVal::Absent => "no KmsKeyId: the log group is encrypted with a key CloudWatch Logs owns, not a KMS key you control",
            LeafVal::Known(n) if n.as_str() == Some("") => {
                "KmsKeyId is empty: the log group uses a key CloudWatch Logs owns"
            }
            LeafVal::Known(_) => continue,
        };
        ctx.report(Report {
            resource: res,
            span: leaf.span,
            path: "Properties.KmsKeyId".into(),
            condition: leaf.condition(),
            detail: None,
            message: message.into(),
        });
    }
}
