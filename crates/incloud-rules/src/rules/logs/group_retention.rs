//! `logs-group-retention`: CloudWatch log groups keep their logs for a set time, at least `min_days`.

use super::LOG_GROUP;
use crate::rules::{expect, Expect};
use crate::{Ctx, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-LOGS-001",
        name: "logs-group-retention",
        severity: Severity::Medium,
        area: Area::LoggingAndMonitoring,
        title: "CloudWatch log groups set a retention of at least a year",
        resource_types: &[LOG_GROUP],
        controls: Controls {
            security_hub: &["CloudWatch.16"],
            aws_config: &["cw-loggroup-retention-period-check"],
            nist_800_53: &["AU-10", "AU-11", "AU-6(3)", "AU-6(4)", "CA-7", "SI-12"],
            hipaa: &["164.312(b)"],
            cdk_nag: &[
                "NIST.800.53.R5-CloudWatchLogGroupRetentionPeriod",
                "HIPAA.Security-CloudWatchLogGroupRetentionPeriod",
                "PCI.DSS.321-CloudWatchLogGroupRetentionPeriod",
            ],
            cfn_nag: &["W86"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that every CloudWatch Logs log group sets RetentionInDays, to at least the option min_days (365 by default). A retention shorter than min_days is reported at the rule's severity. A log group without RetentionInDays keeps its logs forever: that meets any minimum (AWS Config's cw-loggroup-retention-period-check counts it as compliant) but is still reported, at severity low, as cfn_nag W86 does, because nobody decided how long the data should live."#,
            why: r#"Logs are the record you need after an incident, and incidents are often found months after they start: a retention of a few days or weeks deletes the evidence before anyone looks. Frameworks ask for a year (PCI DSS keeps audit logs for 12 months).

Keeping logs forever is the opposite problem: log groups can hold personal data and secrets that leaked into log lines, and their cost grows without limit. Deciding the retention is your side of the shared responsibility model; CloudWatch Logs only does what the setting says."#,
            unknown: r#"A RetentionInDays value that cannot be known (a parameter without a value, an import) is reported at severity info, saying why."#,
            fix_cloudformation: r#"    AppLogs:
      Type: AWS::Logs::LogGroup
      Properties:
        LogGroupName: /app/orders
        RetentionInDays: 400

Allowed values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    new logs.LogGroup(this, 'AppLogs', { retention: logs.RetentionDays.THIRTEEN_MONTHS });

Python:

    logs.LogGroup(self, "AppLogs", retention=logs.RetentionDays.THIRTEEN_MONTHS)

For Lambda functions, pass a logGroup with a retention (logRetention creates a custom resource instead)."#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_cloudwatch_log_group" "app" {
      name              = "/app/orders"
      retention_in_days = 400
    }"#,
            fix_cli: r#"    aws logs put-retention-policy --log-group-name /app/orders --retention-in-days 400"#,
        },
        options: &[RuleOption {
            name: "min_days",
            doc: "The shortest retention accepted, in days.",
            default: OptionDefault::Int(365),
        }],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let min_days = ctx.option_int("min_days");
    let e = Expect {
        absent: (
            "no RetentionInDays: the logs are kept forever (set how long they should live)",
            Some(Severity::Low),
        ),
        ..Expect::new("Properties.RetentionInDays", "Log retention", "")
    };
    expect(
        ctx,
        res,
        &res.props.at(&["RetentionInDays"]),
        &e,
        |n| match n.scalar_string().and_then(|s| s.parse::<f64>().ok()) {
            Some(days) if days >= min_days as f64 => None,
            Some(days) => Some(format!(
                "RetentionInDays is {}: logs are deleted before {min_days} days",
                format_num(days)
            )),
            None => Some(format!(
                "RetentionInDays is {}, not a number of days",
                n.val.describe()
            )),
        },
    );
}
