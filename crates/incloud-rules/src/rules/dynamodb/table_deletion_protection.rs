//! `dynamodb-table-deletion-protection`: DynamoDB tables have deletion protection enabled.

use super::TABLE;
use crate::rules::{expect_true, Expect};
use crate::{Ctx, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-DDB-003",
        name: "dynamodb-table-deletion-protection",
        severity: Severity::Low,
        area: Area::Resilience,
        title: "DynamoDB tables have deletion protection enabled",
        resource_types: &[TABLE],
        controls: Controls {
            security_hub: &["DynamoDB.6"],
            aws_config: &["dynamodb-table-deletion-protection-enabled"],
            nist_800_53: &["CA-9(1)", "CM-2", "CM-2(2)", "CM-3", "SC-5(2)"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that every DynamoDB table sets DeletionProtectionEnabled to true. Tables without the setting, or with false, are reported."#,
            why: r#"A DeleteTable call removes a table and all its items at once, and point-in-time recovery backups go with it unless you restore within the window. The call can come from an operator in the console, a script pointed at the wrong account, or a stack update that replaces or removes the table.

Deletion protection makes DynamoDB refuse DeleteTable until the flag is turned off first, a deliberate second step. It costs nothing. Together with DeletionPolicy: Retain it also guards against CloudFormation deleting the table."#,
            unknown: r#"A DeletionProtectionEnabled value that cannot be known (a parameter without a value, an import) is reported at severity info, saying why."#,
            fix_cloudformation: r#"Turn deletion protection on:

    OrdersTable:
      Type: AWS::DynamoDB::Table
      DeletionPolicy: Retain
      UpdateReplacePolicy: Retain
      Properties:
        DeletionProtectionEnabled: true"#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';

    new dynamodb.Table(this, 'Orders', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      deletionProtection: true,
    });

Python:

    from aws_cdk import aws_dynamodb as dynamodb

    dynamodb.Table(self, "Orders",
        partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
        deletion_protection=True,
    )"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_dynamodb_table" "orders" {
      # ...
      deletion_protection_enabled = true
    }"#,
            fix_cli: r#"    aws dynamodb update-table --table-name Orders --deletion-protection-enabled

To delete the table later, run update-table with --no-deletion-protection-enabled first."#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let value = res.props.at(&["DeletionProtectionEnabled"]);
    let e = Expect::new(
        "Properties.DeletionProtectionEnabled",
        "Deletion protection",
        "deletion protection is not enabled (no DeletionProtectionEnabled)",
    );
    expect_true(ctx, res, &value, &e, |found| {
        format!("DeletionProtectionEnabled is {found}: the table can be deleted in one call")
    });
}
