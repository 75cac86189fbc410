//! `dynamodb-table-pitr`: DynamoDB tables have point-in-time recovery enabled.

use super::TABLE;
use crate::rules::{expect_true, Expect};
use crate::{Ctx, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-DDB-002",
        name: "dynamodb-table-pitr",
        severity: Severity::Medium,
        area: Area::Resilience,
        title: "DynamoDB tables have point-in-time recovery enabled",
        resource_types: &[TABLE],
        controls: Controls {
            security_hub: &["DynamoDB.2"],
            aws_config: &["dynamodb-pitr-enabled"],
            nist_800_53: &["CP-10", "CP-6(2)", "CP-9", "SC-5(2)", "SI-12", "SI-13(5)"],
            hipaa: &[
                "164.308(a)(7)(i)",
                "164.308(a)(7)(ii)(A)",
                "164.308(a)(7)(ii)(B)",
            ],
            cdk_nag: &[
                "AwsSolutions-DDB3",
                "NIST.800.53.R5-DynamoDBPITREnabled",
                "HIPAA.Security-DynamoDBPITREnabled",
            ],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that every DynamoDB table sets PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled to true. Tables without the setting, or with false, are reported."#,
            why: r#"AWS keeps a DynamoDB table durable across hardware failures, but it does not protect the table from you: a bug that overwrites items, a batch job run against the wrong environment, or an attacker with write access can destroy data that AWS will faithfully replicate.

Point-in-time recovery keeps continuous backups for up to 35 days, so the table can be restored to any second in that window. Turning it on is your decision, and it cannot be turned on after the damage is done."#,
            unknown: r#"A PointInTimeRecoveryEnabled value that cannot be known (a parameter without a value, an import) is reported at severity info, saying why."#,
            fix_cloudformation: r#"Turn point-in-time recovery on:

    OrdersTable:
      Type: AWS::DynamoDB::Table
      Properties:
        PointInTimeRecoverySpecification:
          PointInTimeRecoveryEnabled: true"#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';

    new dynamodb.Table(this, 'Orders', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });

Python:

    from aws_cdk import aws_dynamodb as dynamodb

    dynamodb.Table(self, "Orders",
        partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
        point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
            point_in_time_recovery_enabled=True),
    )

Older aws-cdk-lib versions use pointInTimeRecovery: true (point_in_time_recovery=True)."#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_dynamodb_table" "orders" {
      # ...
      point_in_time_recovery {
        enabled = true
      }
    }"#,
            fix_cli: r#"Turn it on for an existing table, then check the status:

    aws dynamodb update-continuous-backups --table-name Orders \
      --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true

    aws dynamodb describe-continuous-backups --table-name Orders"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let value = res.props.at(&[
        "PointInTimeRecoverySpecification",
        "PointInTimeRecoveryEnabled",
    ]);
    let e = Expect::new(
        "Properties.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled",
        "Point-in-time recovery",
        "point-in-time recovery is not enabled (no PointInTimeRecoverySpecification)",
    );
    expect_true(ctx, res, &value, &e, |found| {
        format!("PointInTimeRecoveryEnabled is {found}: point-in-time recovery is off")
    });
}
