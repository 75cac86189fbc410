//! `secretsmanager-rotation`: Secrets Manager secrets have automatic rotation scheduled.

use super::{ROTATION_SCHEDULE, SECRET, TARGET_ATTACHMENT};
use crate::rules::refers_to;
use crate::{Ctx, Report, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-SM-002",
        name: "secretsmanager-rotation",
        severity: Severity::Medium,
        area: Area::Secrets,
        title: "Secrets Manager secrets have automatic rotation scheduled",
        resource_types: &[SECRET],
        controls: Controls {
            security_hub: &["SecretsManager.1"],
            aws_config: &["secretsmanager-rotation-enabled-check"],
            nist_800_53: &["AC-2(1)", "AC-3(15)"],
            pci_dss: &["PCI DSS v4.0.1 8.6.3", "PCI DSS v4.0.1 8.3.9"],
            hipaa: &["164.308(a)(4)(ii)(B)"],
            cdk_nag: &[
                "AwsSolutions-SMG4",
                "NIST.800.53.R5-SecretsManagerRotationEnabled",
                "HIPAA.Security-SecretsManagerRotationEnabled",
            ],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that every Secrets Manager secret in the stack is rotated by an AWS::SecretsManager::RotationSchedule whose SecretId refers to it: a Ref to the secret, its name, or a Ref to an AWS::SecretsManager::SecretTargetAttachment of the secret (as CDK's addRotationSingleUser writes). A rotation schedule that exists only under a condition makes the finding conditional on the opposite."#,
            why: r#"A secret that never changes stays valid for as long as anyone who ever saw it keeps a copy: a former employee, a log line, a leaked backup. Rotation bounds that window, and Secrets Manager can rotate database credentials and other secrets on a schedule without downtime. Deciding that credentials rotate, and how often, is the customer's responsibility; AWS rotates nothing unless asked."#,
            unknown: r#"A RotationSchedule whose SecretId cannot be known (an import, a parameter) is not counted as rotating this secret; the finding stands. Secrets that hold values which cannot be rotated (a third-party API key issued by hand) can be suppressed with a reason."#,
            fix_cloudformation: r#"For an RDS secret, with the hosted rotation function:

    DbSecretRotation:
      Type: AWS::SecretsManager::RotationSchedule
      DependsOn: DbSecretAttachment
      Properties:
        SecretId: !Ref DbSecret
        HostedRotationLambda:
          RotationType: PostgreSQLSingleUser
        RotationRules:
          ScheduleExpression: rate(30 days)

The template needs Transform: AWS::SecretsManager-2020-07-23 for HostedRotationLambda. For other secrets, give RotationLambdaARN with your own rotation function."#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    import { Duration } from 'aws-cdk-lib';

    cluster.addRotationSingleUser({ automaticallyAfter: Duration.days(30) });
    // or for any secret:
    secret.addRotationSchedule('Rotation', {
      rotationLambda: fn,
      automaticallyAfter: Duration.days(30),
    });

Python:

    from aws_cdk import Duration

    cluster.add_rotation_single_user(automatically_after=Duration.days(30))
    secret.add_rotation_schedule("Rotation", rotation_lambda=fn,
        automatically_after=Duration.days(30))"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_secretsmanager_secret_rotation" "db" {
      secret_id           = aws_secretsmanager_secret.db.id
      rotation_lambda_arn = aws_lambda_function.rotate.arn
      rotation_rules {
        automatically_after_days = 30
      }
    }"#,
            fix_cli: r#"    aws secretsmanager rotate-secret --secret-id db \
      --rotation-lambda-arn arn:aws:lambda:REGION:ACCOUNT:function:rotate-db \
      --rotation-rules '{"ScheduleExpression": "rate(30 days)"}'"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let name = res.props.get("Name").and_then(|n| n.as_str());
    let mut conditional = Vec::new();
    for schedule in ctx.stack.of_type(ROTATION_SCHEDULE) {
        let Some(id) = schedule.props.get("SecretId") else {
            continue;
        };
        if !names_secret(ctx.stack, id, &res.id, name) {
            continue;
        }
        match &schedule.condition {
            // A schedule under the secret's own condition exists whenever the secret does.
            Some(c) if res.condition.as_ref() != Some(c) => conditional.push(format!("!{c}")),
            _ => return,
        }
    }
    ctx.report(Report {
        resource: res,
        span: res.span,
        path: "RotationSchedule".into(),
        condition: (!conditional.is_empty()).then(|| conditional.join(" && ")),
        detail: None,
        message: "no AWS::SecretsManager::RotationSchedule rotates this secret: its value never changes unless someone changes it by hand".into(),
    });
}

/// Whether a rotation schedule's SecretId names the secret: a reference to it or to one of its target
/// attachments, its name, or an ARN ending in its name.
fn names_secret(stack: &Stack, id: &Node, secret: &str, name: Option<&str>) -> bool {
    match &id.val {
        Val::Link(l) if l.target == secret => true,
        Val::Link(l) => stack.resource(&l.target).is_some_and(|r| {
            r.is(TARGET_ATTACHMENT)
                && r.props
                    .get("SecretId")
                    .is_some_and(|s| refers_to(s, secret))
        }),
        Val::Str(s) => name.is_some_and(|n| s == n || s.contains(&format!(":secret:{n}"))),
        _ => false,
    }
}
