//! `dynamodb-table-cmk-encryption`: DynamoDB tables are encrypted with a customer managed KMS key.

use super::TABLE;
use crate::rules::and;
use crate::{Ctx, Report, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-DDB-001",
        name: "dynamodb-table-cmk-encryption",
        severity: Severity::Low,
        area: Area::DataAtRest,
        title: "DynamoDB tables are encrypted with a customer managed KMS key",
        resource_types: &[TABLE],
        controls: Controls {
            aws_config: &["dynamodb-table-encrypted-kms"],
            hipaa: &["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"],
            cfn_nag: &["W74"],
            checkov: &["CKV_AWS_119"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that every DynamoDB table sets SSESpecification with SSEEnabled true, SSEType KMS and a KMSMasterKeyId naming a customer managed key. A table with no SSESpecification or SSEEnabled false uses an AWS owned key; SSEEnabled true without KMSMasterKeyId (or with alias/aws/dynamodb) uses the AWS managed key aws/dynamodb. Both are reported, and the message says which key the table gets."#,
            why: r#"DynamoDB always encrypts tables at rest; what you choose is who controls the key.

- With the default AWS owned key, the key is invisible to you: no key policy, no CloudTrail record of its use, no way to revoke it.
- With the AWS managed key aws/dynamodb, uses are logged, but its key policy belongs to AWS and lets any principal in the account that may use DynamoDB decrypt through it.
- With a customer managed key you write the key policy, so reading the table needs kms:Decrypt as well as dynamodb:GetItem; you can audit every use and disable the key to cut off access to the data, backups and exports included.

Key management is your side of the shared responsibility model, and frameworks that require control over encryption keys expect the last option."#,
            unknown: r#"An SSEEnabled or KMSMasterKeyId value that cannot be known (a parameter without a value, an import) is reported at severity info, saying why. A KMSMasterKeyId that is a reference or an import counts as a customer managed key: only the literal alias alias/aws/dynamodb is the AWS managed key."#,
            fix_cloudformation: r#"Encrypt the table with your own key:

    TableKey:
      Type: AWS::KMS::Key
      Properties:
        EnableKeyRotation: true
        KeyPolicy: ...   # let the table's users use the key
    OrdersTable:
      Type: AWS::DynamoDB::Table
      Properties:
        SSESpecification:
          SSEEnabled: true
          SSEType: KMS
          KMSMasterKeyId: !GetAtt TableKey.Arn

Switching an existing table between key types is an update without replacement."#,
            fix_cdk: r#"TableEncryption.CUSTOMER_MANAGED with an encryptionKey (without one, CDK creates a key for you). TableEncryption.AWS_MANAGED uses aws/dynamodb and is reported.

TypeScript (aws-cdk-lib v2):

    import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
    import * as kms from 'aws-cdk-lib/aws-kms';

    const key = new kms.Key(this, 'TableKey', { enableKeyRotation: true });
    new dynamodb.Table(this, 'Orders', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
    });

Python:

    from aws_cdk import aws_dynamodb as dynamodb, aws_kms as kms

    key = kms.Key(self, "TableKey", enable_key_rotation=True)
    dynamodb.Table(self, "Orders",
        partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
        encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
        encryption_key=key,
    )"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_kms_key" "table" {
      enable_key_rotation = true
    }

    resource "aws_dynamodb_table" "orders" {
      # ...
      server_side_encryption {
        enabled     = true
        kms_key_arn = aws_kms_key.table.arn
      }
    }"#,
            fix_cli: r#"    aws dynamodb update-table --table-name Orders \
      --sse-specification Enabled=true,SSEType=KMS,KMSMasterKeyId=arn:aws:kms:REGION:ACCOUNT:key/KEY-ID

    aws dynamodb describe-table --table-name Orders --query Table.SSEDescription"#,
        },
        options: &[],
    },
    check,
};

const AWS_MANAGED_ALIAS: &str = "alias/aws/dynamodb";

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let spec = res.props.at(&["SSESpecification"]);
    for leaf in spec.leaves() {
        let report = |message: String| Report {
            resource: res,
            span: leaf.span,
            path: "Properties.SSESpecification".into(),
            condition: leaf.condition(),
            detail: None,
            message,
        };
        let sse = match leaf.val {
            LeafVal::Absent => {
                ctx.report(report("no SSESpecification: the table is encrypted with an AWS owned key, not a customer managed KMS key".into()));
                continue;
            }
            LeafVal::Unknown(why) => {
                ctx.unknown(report("Table encryption".into()), why);
                continue;
            }
            LeafVal::Known(n) => *n,
        };
        let outer = leaf.condition();
        let enabled = sse.at(&["SSEEnabled"]);
        for e_leaf in enabled.leaves() {
            let cond = and(outer.as_deref(), e_leaf.condition());
            let report = |message: String| Report {
                resource: res,
                span: e_leaf.span,
                path: "Properties.SSESpecification.SSEEnabled".into(),
                condition: cond.clone(),
                detail: None,
                message,
            };
            match e_leaf.val {
                LeafVal::Absent => ctx.report(report("SSESpecification without SSEEnabled: the table is encrypted with an AWS owned key, not a customer managed KMS key".into())),
                LeafVal::Unknown(why) => ctx.unknown(report("SSEEnabled".into()), why),
                LeafVal::Known(n) => match n.bool_value() {
                    V::Known(true, _) => {
                        // A key id that is a reference or an import names some key the customer chose: only
                        // the literal AWS managed alias is the AWS managed key.
                        let key = sse.at(&["KMSMasterKeyId"]);
                        for k_leaf in key.leaves() {
                            let message = match k_leaf.val {
                                LeafVal::Absent => Some("SSEEnabled is true without KMSMasterKeyId: the table uses the AWS managed key aws/dynamodb, not a customer managed key".to_string()),
                                LeafVal::Unknown(_) => None,
                                LeafVal::Known(k) => match k.as_str() {
                                    Some(s) if s.ends_with(AWS_MANAGED_ALIAS) => Some(format!(
                                        "KMSMasterKeyId is \"{s}\": the AWS managed key, not a customer managed key"
                                    )),
                                    Some("") => Some("KMSMasterKeyId is empty: the table uses the AWS managed key aws/dynamodb".into()),
                                    _ => None,
                                },
                            };
                            if let Some(message) = message {
                                ctx.report(Report {
                                    resource: res,
                                    span: k_leaf.span,
                                    path: "Properties.SSESpecification.KMSMasterKeyId".into(),
                                    condition: and(cond.as_deref(), k_leaf.condition()),
                                    detail: None,
                                    message,
                                });
                            }
                        }
                    }
                    _ => ctx.report(report(format!(
                        "SSEEnabled is {}: the table is encrypted with an AWS owned key, not a customer managed KMS key",
                        n.val.describe()
                    ))),
                },
            }
        }
    }
}
