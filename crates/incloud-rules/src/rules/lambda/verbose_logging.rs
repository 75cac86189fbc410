//! `lambda-verbose-logging`: Lambda functions do not log at debug level or log whole events.

use super::FUNCTION;
use crate::{Ctx, Report, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-LAMBDA-021",
        name: "lambda-verbose-logging",
        severity: Severity::Low,
        area: Area::LoggingAndMonitoring,
        title: "Lambda functions do not log at debug level or log whole events",
        resource_types: &[FUNCTION],
        controls: Controls::NONE,
        docs: Docs {
            description: r#"Checks that no Lambda function is configured to log verbosely: LoggingConfig ApplicationLogLevel or SystemLogLevel DEBUG or TRACE, or environment variables that Powertools for AWS Lambda and common logging setups read: POWERTOOLS_LOGGER_LOG_EVENT true (log every incoming event), POWERTOOLS_LOG_LEVEL, LOG_LEVEL or AWS_LAMBDA_LOG_LEVEL DEBUG or TRACE, and POWERTOOLS_DEV true (development mode, which pretty-prints and logs more). Each setting is a separate finding."#,
            why: r#"Debug logs and logged events carry what the function handles: request bodies with personal data, authorization headers and tokens, database rows. They land in CloudWatch Logs, where they are readable by anyone with logs:GetLogEvents on the group, are kept for the group's retention (forever by default), and are often shipped on to third-party tools. Debug settings are meant for a development session and are easy to leave in a template; what the function writes to logs is the customer's data to protect."#,
            unknown: r#"A value that cannot be known (a parameter without a value) is not reported; a parameter's default is judged like a literal."#,
            fix_cloudformation: r#"    OrdersFunction:
      Type: AWS::Lambda::Function
      Properties:
        LoggingConfig:
          LogFormat: JSON
          ApplicationLogLevel: INFO
          SystemLogLevel: WARN
        Environment:
          Variables:
            POWERTOOLS_LOG_LEVEL: INFO
            POWERTOOLS_LOGGER_LOG_EVENT: "false""#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    new lambda.Function(this, 'Orders', {
      // ...
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      environment: { POWERTOOLS_LOG_LEVEL: 'INFO' },
    });

Python:

    lambda_.Function(self, "Orders",
        # ...
        logging_format=lambda_.LoggingFormat.JSON,
        application_log_level_v2=lambda_.ApplicationLogLevel.INFO,
        system_log_level_v2=lambda_.SystemLogLevel.WARN,
        environment={"POWERTOOLS_LOG_LEVEL": "INFO"},
    )"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_lambda_function" "orders" {
      # ...
      logging_config {
        log_format            = "JSON"
        application_log_level = "INFO"
        system_log_level      = "WARN"
      }
      environment {
        variables = { POWERTOOLS_LOG_LEVEL = "INFO" }
      }
    }"#,
            fix_cli: r#"    aws lambda update-function-configuration --function-name orders \
      --logging-config LogFormat=JSON,ApplicationLogLevel=INFO,SystemLogLevel=WARN

update-function-configuration --environment replaces all variables: pass the full set without the debug ones."#,
        },
        options: &[],
    },
    check,
};

const VERBOSE_LEVELS: &[&str] = &["DEBUG", "TRACE"];

/// Environment variables and the values that make logging verbose.
const VERBOSE_VARIABLES: &[(&str, &[&str], &str)] = &[
    (
        "POWERTOOLS_LOGGER_LOG_EVENT",
        &["true"],
        "Powertools logs every incoming event in full",
    ),
    (
        "POWERTOOLS_LOG_LEVEL",
        VERBOSE_LEVELS,
        "Powertools logs at debug level",
    ),
    (
        "LOG_LEVEL",
        VERBOSE_LEVELS,
        "the function logs at debug level",
    ),
    (
        "AWS_LAMBDA_LOG_LEVEL",
        VERBOSE_LEVELS,
        "the function logs at debug level",
    ),
    (
        "POWERTOOLS_DEV",
        &["true"],
        "Powertools runs in development mode",
    ),
];

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    for key in ["ApplicationLogLevel", "SystemLogLevel"] {
        flag(
            ctx,
            res,
            &["LoggingConfig", key],
            VERBOSE_LEVELS,
            "Lambda logs at debug level",
        );
    }
    for (name, values, effect) in VERBOSE_VARIABLES {
        flag(
            ctx,
            res,
            &["Environment", "Variables", name],
            values,
            effect,
        );
    }
}

/// Report each outcome of the property at `path` whose value is one of `verbose` (ignoring case).
fn flag(ctx: &mut Ctx<'_>, res: &Resource, path: &[&str], verbose: &[&str], effect: &str) {
    for leaf in res.props.at(path).leaves() {
        let LeafVal::Known(n) = leaf.val else {
            continue;
        };
        let Some(value) = n.scalar_string() else {
            continue;
        };
        if !verbose.iter().any(|v| v.eq_ignore_ascii_case(&value)) {
            continue;
        }
        let name = path.last().copied().unwrap_or_default();
        ctx.report(Report {
            resource: res,
            span: leaf.span,
            path: format!("Properties.{}", path.join(".")),
            condition: leaf.condition(),
            detail: Some(name.to_string()),
            message: format!(
                "{name} is \"{value}\": {effect}, which can put request data and secrets in CloudWatch Logs"
            ),
        });
    }
}
