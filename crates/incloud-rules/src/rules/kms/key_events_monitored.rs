//! `kms-key-events-monitored`: a stack that creates KMS keys has an EventBridge rule for their disabling and
//! scheduled deletion.

use super::KEY;
use crate::{Ctx, Report, Rule, STACK};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-KMS-010",
        name: "kms-key-events-monitored",
        severity: Severity::Low,
        area: Area::LoggingAndMonitoring,
        title: "Stacks that create KMS keys alert on their disabling and scheduled deletion",
        resource_types: &[STACK],
        controls: Controls::NONE,
        docs: Docs {
            description: r#"Checks, for each stack that creates an AWS::KMS::Key, that the stack also has an enabled AWS::Events::Rule with at least one target whose EventPattern matches KMS events: source aws.kms and, when the pattern selects CloudTrail API calls by eventName, both DisableKey and ScheduleKeyDeletion. A pattern on aws.kms without an eventName filter matches every KMS event and counts. The finding points at the first key of the stack.

Alerting built elsewhere (a CloudWatch Logs metric filter on the CloudTrail log group with an alarm, as CIS AWS Foundations asks, or a central EventBridge bus in a security account) is not visible in the template: suppress the finding with that reason."#,
            why: r#"Disabling a key, or scheduling it for deletion, makes everything encrypted under it unreadable: databases fail to start, objects fail to download, and after the waiting period a deleted key takes the data with it for good. It is also what an attacker holding kms:ScheduleKeyDeletion does to hold data to ransom. The waiting period (7 to 30 days) is only a safety net if someone hears about the deletion in time; noticing is the key owner's job."#,
            unknown: r#"An EventPattern or Targets value that cannot be known does not count as monitoring; the finding stands."#,
            fix_cloudformation: r#"    KeyStateAlerts:
      Type: AWS::Events::Rule
      Properties:
        Description: KMS keys disabled or scheduled for deletion
        EventPattern:
          source: [aws.kms]
          detail-type: [AWS API Call via CloudTrail]
          detail:
            eventSource: [kms.amazonaws.com]
            eventName: [DisableKey, ScheduleKeyDeletion]
        Targets:
          - Id: SecurityTopic
            Arn: !Ref SecurityAlertsTopic

CloudTrail API events reach EventBridge only when a trail records management events in the region."#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    import * as events from 'aws-cdk-lib/aws-events';
    import * as targets from 'aws-cdk-lib/aws-events-targets';

    new events.Rule(this, 'KeyStateAlerts', {
      eventPattern: {
        source: ['aws.kms'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: { eventName: ['DisableKey', 'ScheduleKeyDeletion'] },
      },
      targets: [new targets.SnsTopic(alertsTopic)],
    });

Python:

    from aws_cdk import aws_events as events, aws_events_targets as targets

    events.Rule(self, "KeyStateAlerts",
        event_pattern=events.EventPattern(
            source=["aws.kms"],
            detail_type=["AWS API Call via CloudTrail"],
            detail={"eventName": ["DisableKey", "ScheduleKeyDeletion"]},
        ),
        targets=[targets.SnsTopic(alerts_topic)],
    )"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_cloudwatch_event_rule" "key_state" {
      event_pattern = jsonencode({
        source        = ["aws.kms"]
        "detail-type" = ["AWS API Call via CloudTrail"]
        detail        = { eventName = ["DisableKey", "ScheduleKeyDeletion"] }
      })
    }

    resource "aws_cloudwatch_event_target" "key_state" {
      rule = aws_cloudwatch_event_rule.key_state.name
      arn  = aws_sns_topic.security_alerts.arn
    }"#,
            fix_cli: r#"    aws events put-rule --name key-state-alerts --event-pattern \
      '{"source":["aws.kms"],"detail-type":["AWS API Call via CloudTrail"],"detail":{"eventName":["DisableKey","ScheduleKeyDeletion"]}}'
    aws events put-targets --rule key-state-alerts \
      --targets Id=topic,Arn=arn:aws:sns:REGION:ACCOUNT:security-alerts"#,
        },
        options: &[],
    },
    check,
};

const EVENT_RULE: &str = "AWS::Events::Rule";
const WATCHED: &[&str] = &["DisableKey", "ScheduleKeyDeletion"];

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let keys: Vec<&Resource> = ctx.stack.of_type(KEY).collect();
    let Some(first) = keys.first() else {
        return;
    };
    if ctx.stack.of_type(EVENT_RULE).any(watches_keys) {
        return;
    }
    let ids: Vec<&str> = keys.iter().map(|k| k.id.as_str()).collect();
    ctx.report(Report {
        resource: res,
        span: first.span,
        path: "AWS::Events::Rule.EventPattern".into(),
        condition: None,
        detail: None,
        message: format!(
            "the stack creates KMS key {} but no EventBridge rule with a target matches aws.kms DisableKey and ScheduleKeyDeletion events",
            ids.join(", ")
        ),
    });
}

/// An enabled rule with a target whose pattern matches KMS key disabling and deletion scheduling.
fn watches_keys(rule: &Resource) -> bool {
    let props = &rule.props;
    if props
        .get("State")
        .and_then(|s| s.as_str())
        .is_some_and(|s| s.eq_ignore_ascii_case("DISABLED"))
    {
        return false;
    }
    if !props
        .get("Targets")
        .is_some_and(|t| matches!(&t.val, Val::Seq(items) if !items.is_empty()))
    {
        return false;
    }
    let Some(pattern) = props.get("EventPattern") else {
        return false;
    };
    let strings = |n: Option<&Node>| -> Vec<String> {
        n.map(|n| n.items().iter().filter_map(|i| i.scalar_string()).collect())
            .unwrap_or_default()
    };
    if !strings(pattern.get("source"))
        .iter()
        .any(|s| s == "aws.kms")
    {
        return false;
    }
    let detail_types = strings(pattern.get("detail-type"));
    if !detail_types.is_empty()
        && !detail_types
            .iter()
            .any(|t| t == "AWS API Call via CloudTrail")
    {
        return false;
    }
    match pattern.get("detail").and_then(|d| d.get("eventName")) {
        None => true,
        Some(names) => {
            let names = strings(Some(names));
            WATCHED.iter().all(|w| names.iter().any(|n| n == w))
        }
    }
}
