//! `secretsmanager-secret-cmk`: Secrets Manager secrets are encrypted with a customer managed KMS key.

use super::SECRET;
use crate::rules::{expect, Expect};
use crate::{Ctx, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-SM-001",
        name: "secretsmanager-secret-cmk",
        severity: Severity::Low,
        area: Area::Secrets,
        title: "Secrets Manager secrets are encrypted with a customer managed KMS key",
        resource_types: &[SECRET],
        controls: Controls {
            aws_config: &["secretsmanager-using-cmk"],
            hipaa: &["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"],
            cdk_nag: &[
                "NIST.800.53.R5-SecretsManagerUsingKMSKey",
                "HIPAA.Security-SecretsManagerUsingKMSKey",
                "PCI.DSS.321-SecretsManagerUsingKMSKey",
            ],
            checkov: &["CKV_AWS_149"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that every Secrets Manager secret sets KmsKeyId to a customer managed key. A secret without KmsKeyId, or with the alias alias/aws/secretsmanager, is encrypted with the AWS managed key aws/secretsmanager and is reported."#,
            why: r#"Secrets Manager always encrypts secret values; the choice is whose key policy guards them. The AWS managed key aws/secretsmanager lets any principal in the account that is allowed secretsmanager:GetSecretValue decrypt, and it cannot be shared with other accounts, so a secret encrypted with it can never be read cross-account.

With a customer managed key, reading a secret needs kms:Decrypt on your key as well as the Secrets Manager permission: a second, independent gate you control, which you can audit in CloudTrail and revoke by disabling the key."#,
            unknown: r#"A KmsKeyId that cannot be known (a parameter without a value) is reported at severity info, saying why. A reference or an import counts as a customer managed key; only the literal alias alias/aws/secretsmanager is the AWS managed key."#,
            fix_cloudformation: r#"    SecretsKey:
      Type: AWS::KMS::Key
      Properties:
        EnableKeyRotation: true
        KeyPolicy: ...   # allow the secret's readers kms:Decrypt via secretsmanager
    DbSecret:
      Type: AWS::SecretsManager::Secret
      Properties:
        KmsKeyId: !Ref SecretsKey
        GenerateSecretString:
          SecretStringTemplate: '{"username": "app"}'
          GenerateStringKey: password"#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
    import * as kms from 'aws-cdk-lib/aws-kms';

    const key = new kms.Key(this, 'SecretsKey', { enableKeyRotation: true });
    new secretsmanager.Secret(this, 'DbSecret', { encryptionKey: key });

Python:

    from aws_cdk import aws_secretsmanager as secretsmanager, aws_kms as kms

    key = kms.Key(self, "SecretsKey", enable_key_rotation=True)
    secretsmanager.Secret(self, "DbSecret", encryption_key=key)"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_secretsmanager_secret" "db" {
      name       = "db"
      kms_key_id = aws_kms_key.secrets.arn
    }"#,
            fix_cli: r#"    aws secretsmanager update-secret --secret-id db \
      --kms-key-id arn:aws:kms:REGION:ACCOUNT:key/KEY-ID

Secrets Manager re-encrypts the current version with the new key; readers need kms:Decrypt on it."#,
        },
        options: &[],
    },
    check,
};

const AWS_MANAGED_ALIAS: &str = "alias/aws/secretsmanager";

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let e = Expect::new(
        "Properties.KmsKeyId",
        "Secret KMS key",
        "no KmsKeyId: the secret is encrypted with the AWS managed key aws/secretsmanager, not a customer managed key",
    );
    expect(ctx, res, &res.props.at(&["KmsKeyId"]), &e, |n| {
        match n.as_str() {
        Some(s) if s.ends_with(AWS_MANAGED_ALIAS) => Some(format!(
            "KmsKeyId is \"{s}\": the AWS managed key, not a customer managed key"
        )),
        Some("") => Some(
            "KmsKeyId is empty: the secret is encrypted with the AWS managed key aws/secretsmanager".into(),
        ),
        _ => None,
    }
    });
}
