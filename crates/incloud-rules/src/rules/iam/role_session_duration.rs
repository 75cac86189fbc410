//! `iam-role-session-duration`: role sessions are short.

use crate::rules::{expect, Expect};
use crate::{Ctx, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-IAM-010",
        name: "iam-role-session-duration",
        severity: Severity::Low,
        area: Area::IdentityAndAccess,
        title: "IAM roles limit sessions to an hour or the configured maximum",
        resource_types: &["AWS::IAM::Role"],
        controls: Controls::NONE,
        docs: Docs {
            description: r#"Reports roles whose `MaxSessionDuration` is above the option `max_seconds` (default 3600, which is also AWS's default when the property is absent)."#,
            why: r#"AWS issues the temporary credentials; how long they stay valid is your setting. Session credentials cannot be revoked one by one: a leaked session stays usable until it expires (or until you revoke all sessions of the role). Shorter sessions shorten that window."#,
            unknown: r#"A value that cannot be known (a parameter without a value) is reported at severity info."#,
            fix_cloudformation: r#"    AppRole:
      Type: AWS::IAM::Role
      Properties:
        MaxSessionDuration: 3600"#,
            fix_cdk: r#"TypeScript:

    new iam.Role(this, 'App', { assumedBy, maxSessionDuration: Duration.hours(1) });

Python:

    iam.Role(self, "App", assumed_by=principal, max_session_duration=Duration.hours(1))"#,
            fix_terraform: r#"    resource "aws_iam_role" "app" {
      max_session_duration = 3600
    }"#,
            fix_cli: r#"    aws iam update-role --role-name app --max-session-duration 3600"#,
        },
        options: &[RuleOption {
            name: "max_seconds",
            doc: "The longest session allowed, in seconds (AWS accepts 3600 to 43200).",
            default: OptionDefault::Int(3600),
        }],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let max = ctx.option_int("max_seconds");
    let value = res.props.at(&["MaxSessionDuration"]);
    if matches!(value, V::Absent(_)) {
        return;
    }
    expect(
        ctx,
        res,
        &value,
        &Expect::new("Properties.MaxSessionDuration", "the session duration", ""),
        |n| {
            let secs = n.scalar_string().and_then(|s| s.parse::<f64>().ok());
            match secs {
                Some(s) if s <= max as f64 => None,
                Some(s) => Some(format!(
                    "sessions last up to {} seconds ({} hours), above the maximum of {max}",
                    format_num(s),
                    format_num((s / 3600.0 * 10.0).round() / 10.0)
                )),
                None => Some(format!(
                    "MaxSessionDuration is not a number: {}",
                    n.val.describe()
                )),
            }
        },
    );
}
