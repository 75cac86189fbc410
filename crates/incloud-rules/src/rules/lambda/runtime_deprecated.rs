//! `lambda-runtime-deprecated`: Lambda functions run on a runtime that AWS still supports.

use super::FUNCTION;
use crate::{Ctx, Report, Rule};
use incloud_model::*;

/// Runtime identifier, the date Lambda deprecates it (no more security patches), and the successor AWS names
/// (`None` for the newest runtime of a language).
///
/// Source: the Lambda runtime lifecycle data cfn-lint keeps from the AWS Lambda "Lambda runtimes" page
/// (`cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json` in cfn-lint 1.58.0 from PyPI), read 2026-11-25.
/// `dotnet7`, which that release no longer lists, is kept from the same file at cfn-lint commit 81cb349c.
/// Runtimes not listed are not reported.
const DEPRECATED: &[(&str, &str, Option<&str>)] = &[
    ("dotnet10", "2028-11-14", None),
    ("dotnet6", "2024-12-20", Some("dotnet10")),
    ("dotnet7", "2024-05-14", Some("dotnet10")),
    ("dotnet8", "2026-11-10", Some("dotnet10")),
    ("dotnet9", "2026-11-10", Some("dotnet10")),
    ("dotnetcore1.0", "2019-06-27", Some("dotnet10")),
    ("dotnetcore2.0", "2019-05-30", Some("dotnet10")),
    ("dotnetcore2.1", "2022-01-05", Some("dotnet10")),
    ("dotnetcore3.1", "2023-04-03", Some("dotnet10")),
    ("go1.x", "2024-01-08", Some("provided.al2023")),
    ("java11", "2027-06-30", Some("java25")),
    ("java17", "2027-06-30", Some("java25")),
    ("java21", "2029-06-30", Some("java25")),
    ("java25", "2029-06-30", None),
    ("java8", "2024-01-08", Some("java25")),
    ("java8.al2", "2027-06-30", Some("java25")),
    ("nodejs", "2016-08-30", Some("nodejs24.x")),
    ("nodejs10.x", "2021-07-30", Some("nodejs24.x")),
    ("nodejs12.x", "2023-03-31", Some("nodejs24.x")),
    ("nodejs14.x", "2023-12-04", Some("nodejs24.x")),
    ("nodejs16.x", "2024-06-12", Some("nodejs24.x")),
    ("nodejs18.x", "2025-09-01", Some("nodejs24.x")),
    ("nodejs20.x", "2026-04-30", Some("nodejs24.x")),
    ("nodejs22.x", "2027-04-30", Some("nodejs24.x")),
    ("nodejs24.x", "2028-04-30", None),
    ("nodejs4.3", "2020-03-05", Some("nodejs24.x")),
    ("nodejs4.3-edge", "2020-03-05", Some("nodejs24.x")),
    ("nodejs6.10", "2019-08-12", Some("nodejs24.x")),
    ("nodejs8.10", "2020-03-06", Some("nodejs24.x")),
    ("provided", "2024-01-08", Some("provided.al2023")),
    ("provided.al2", "2026-07-31", Some("provided.al2023")),
    ("provided.al2023", "2029-06-30", None),
    ("python2.7", "2021-07-15", Some("python3.14")),
    ("python3.10", "2026-10-31", Some("python3.14")),
    ("python3.11", "2027-06-30", Some("python3.14")),
    ("python3.12", "2028-10-31", Some("python3.14")),
    ("python3.13", "2029-06-30", Some("python3.14")),
    ("python3.14", "2029-06-30", None),
    ("python3.6", "2022-07-18", Some("python3.14")),
    ("python3.7", "2023-12-04", Some("python3.14")),
    ("python3.8", "2024-10-14", Some("python3.14")),
    ("python3.9", "2025-12-15", Some("python3.14")),
    ("ruby2.5", "2021-07-30", Some("ruby4.0")),
    ("ruby2.7", "2023-12-07", Some("ruby4.0")),
    ("ruby3.2", "2026-03-31", Some("ruby4.0")),
    ("ruby3.3", "2027-03-31", Some("ruby4.0")),
    ("ruby3.4", "2028-03-31", Some("ruby4.0")),
    ("ruby4.0", "2029-03-31", None),
];

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-LAMBDA-020",
        name: "lambda-runtime-deprecated",
        severity: Severity::Medium,
        area: Area::Resilience,
        title: "Lambda functions use a runtime that AWS still patches",
        resource_types: &[FUNCTION],
        controls: Controls {
            security_hub: &["Lambda.2"],
            aws_config: &["lambda-function-settings-check"],
            nist_800_53: &["CA-9(1)", "CM-2", "SI-2", "SI-2(2)", "SI-2(4)", "SI-2(5)"],
            pci_dss: &["PCI DSS v4.0.1 12.3.4"],
            cdk_nag: &["AwsSolutions-L1"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks every Lambda function's Runtime against the dates on which AWS Lambda deprecates runtimes. A runtime deprecated on or before the scan date is reported at the rule's severity; one that will be deprecated within the option warn_days (180 by default) is reported at severity info: a heads-up that does not fail a build at the default --fail-on low, since AWS keeps patching the runtime until that date and blocks updates only months later. The dates are kept in the rule as a table with its source and the date it was read; a runtime not in the table is not reported. Functions packaged as container images have no Runtime and are not checked. SAM functions are checked after the transform, so Globals apply."#,
            why: r#"AWS patches a managed runtime's language, libraries and operating system until the runtime is deprecated; after that, nothing is patched. A function on a deprecated runtime keeps running, with every vulnerability found since, and soon can no longer be updated: Lambda blocks creating, then updating, functions on it. Choosing a supported runtime is the customer's side of the shared responsibility model for Lambda, and the migration is easier months before the date than the week after."#,
            unknown: r#"A Runtime that cannot be known (a parameter without a value) is reported at severity info. When the caller gives no scan date, the rule reports nothing."#,
            fix_cloudformation: r#"    OrdersFunction:
      Type: AWS::Lambda::Function
      Properties:
        Runtime: python3.13
        Handler: app.handler
        ..."#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    new lambda.Function(this, 'Orders', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset('src'),
    });

Python:

    lambda_.Function(self, "Orders",
        runtime=lambda_.Runtime.PYTHON_3_13,
        handler="app.handler",
        code=lambda_.Code.from_asset("src"),
    )"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_lambda_function" "orders" {
      # ...
      runtime = "python3.13"
    }"#,
            fix_cli: r#"    aws lambda update-function-configuration --function-name orders --runtime python3.13

    aws lambda list-functions --query 'Functions[].[FunctionName,Runtime]' --output table"#,
        },
        options: &[RuleOption {
            name: "warn_days",
            doc:
                "Report, at severity info, runtimes that will be deprecated within this many days.",
            default: OptionDefault::Int(180),
        }],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let Some(today) = ctx.today().and_then(day_number) else {
        return;
    };
    let warn_days = ctx.option_int("warn_days");
    for leaf in res.props.at(&["Runtime"]).leaves() {
        let report = |message: String| Report {
            resource: res,
            span: leaf.span,
            path: "Properties.Runtime".into(),
            condition: leaf.condition(),
            detail: None,
            message,
        };
        let runtime = match leaf.val {
            LeafVal::Known(n) => match n.as_str() {
                Some(s) => s,
                None => continue,
            },
            LeafVal::Unknown(why) => {
                ctx.unknown(report("Runtime".into()), why);
                continue;
            }
            LeafVal::Absent => continue,
        };
        let Some((_, date, successor)) = DEPRECATED.iter().find(|(r, _, _)| *r == runtime) else {
            continue;
        };
        let successor = match successor {
            Some(s) => format!("move to {s} or later"),
            None => "move to its successor when AWS releases one".to_string(),
        };
        let Some(day) = day_number(date) else {
            continue;
        };
        if day <= today {
            ctx.report(report(format!(
                "Runtime is \"{runtime}\", deprecated by AWS Lambda on {date}: it no longer gets security patches ({successor})"
            )));
        } else if day - today <= warn_days {
            ctx.report_at(
                Severity::Info,
                report(format!(
                    "Runtime is \"{runtime}\", which AWS Lambda deprecates on {date}, in {} days ({successor})",
                    day - today
                )),
            );
        }
    }
}

/// Days since 1970-01-01 of a YYYY-MM-DD date (Howard Hinnant's days-from-civil).
fn day_number(date: &str) -> Option<i64> {
    let mut parts = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod tests {
    use super::day_number;

    #[test]
    fn day_numbers() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(
            day_number("2024-03-01")
                .zip(day_number("2024-02-28"))
                .map(|(a, b)| a - b),
            Some(2)
        );
        assert_eq!(day_number("2025-13-01"), None);
        assert_eq!(day_number("soon"), None);
    }
}
