//! `lambda-environment-secret`: Lambda environment variables hold no credentials.

use super::FUNCTION;
use crate::rules::and;
use crate::rules::secret_support::{
    aws_secret_key, credential, holds_secret, is_placeholder, redact, ACCESS_KEY_ID, PRIVATE_KEY,
};
use crate::{Ctx, Report, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-SECRET-002",
        name: "lambda-environment-secret",
        severity: Severity::High,
        area: Area::Secrets,
        title: "Lambda environment variables hold no credentials",
        resource_types: &[FUNCTION],
        controls: Controls {
            checkov: &["CKV_AWS_45"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks every variable in a Lambda function's Environment.Variables (SAM functions and Globals included). A variable is a finding when its value looks like a credential whatever its name: an AWS access key ID (AKIA or ASIA and 16 characters), a 40-character AWS secret access key in a function that also holds an access key ID, a PEM private key, a GitHub token (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_), a Slack token (xoxb- and the like), a Stripe live key (sk_live_, rk_live_), a Google API key (AIza...) or a JSON Web Token. It is also a finding when its name says it is a secret (a word containing PASSWORD, PASSWD or SECRET, ending in TOKEN, or API_KEY, APIKEY, PRIVATE_KEY; camelCase is split into words) and its value is a literal, or comes from a parameter whose Default is written in the template. Not reported by name: names whose last word says they point at a secret or describe it (_ARN, _NAME, _ID, _TABLE, _URL, _ENDPOINT, _PARAM, _PARAMETER, and the like: SECRET_ARN, TOKEN_TABLE); values that are references (Ref, Fn::GetAtt, Fn::ImportValue, dynamic references, parameters without a Default); values that are ARNs, URLs, Parameter Store paths (/app/db/password), numbers or booleans; values shorter than 8 characters; and placeholders (changeme, REPLACE_ME, <your key>, ${VAR}, xxxxxxxx, empty). One finding per variable; its detail is the variable name, so one variable can be suppressed on its own. The value is never shown: messages give its length and, for long values, its first two characters."#,
            why: r#"Lambda environment variables are configuration, not a secret store: GetFunctionConfiguration returns them in clear text to anyone with read access to the function (including the console, many read-only roles, and third-party tools that inventory an account), they are in the template, its copies in source control and S3, and in every deployment package pipeline that reads it. Encryption at rest with KMS does not change who can read them through the API. The credentials a function uses are the customer's to protect: keep them in Secrets Manager or a Systems Manager SecureString parameter and have the function read them at run time (the AWS Parameters and Secrets Lambda Extension caches them), with the function's role allowed to read only its own secrets."#,
            unknown: r#"A value that cannot be known (a parameter without a Default, an import, a dynamic reference, another resource's attribute) is not a literal and is not reported. Parts of a string built by Fn::Sub or Fn::Join that are literal text are still checked for credential shapes."#,
            fix_cloudformation: r#"Keep the secret in Secrets Manager and pass its ARN; the function reads the value at run time:

    ApiKeySecret:
      Type: AWS::SecretsManager::Secret
      Properties:
        Description: Payments API key, set with put-secret-value
    OrdersFunction:
      Type: AWS::Lambda::Function
      Properties:
        # ...
        Environment:
          Variables:
            API_KEY_SECRET_ARN: !Ref ApiKeySecret
    OrdersFunctionSecretRead:
      Type: AWS::IAM::Policy
      Properties:
        PolicyName: read-api-key
        Roles: [!Ref OrdersFunctionRole]
        PolicyDocument:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Action: secretsmanager:GetSecretValue
              Resource: !Ref ApiKeySecret

A {{resolve:secretsmanager:...}} dynamic reference in Environment.Variables keeps the secret out of the template but still puts it in the function's configuration: prefer passing the ARN."#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    const apiKey = secretsmanager.Secret.fromSecretNameV2(this, 'ApiKey', 'payments/api-key');
    const fn = new lambda.Function(this, 'Orders', {
      // ...
      environment: { API_KEY_SECRET_ARN: apiKey.secretArn },
    });
    apiKey.grantRead(fn);

Python:

    api_key = secretsmanager.Secret.from_secret_name_v2(self, "ApiKey", "payments/api-key")
    fn = lambda_.Function(self, "Orders",
        # ...
        environment={"API_KEY_SECRET_ARN": api_key.secret_arn},
    )
    api_key.grant_read(fn)"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_lambda_function" "orders" {
      # ...
      environment {
        variables = {
          API_KEY_SECRET_ARN = aws_secretsmanager_secret.api_key.arn
        }
      }
    }"#,
            fix_cli: r#"Store the value, rotate the exposed one, and replace the variable by the secret's ARN (update-function-configuration --environment replaces all variables: pass the full set):

    aws secretsmanager create-secret --name payments/api-key --secret-string file://api-key.txt
    aws lambda update-function-configuration --function-name orders \
      --environment 'Variables={API_KEY_SECRET_ARN=arn:aws:secretsmanager:REGION:ACCOUNT:secret:payments/api-key-AbCdEf}'

A credential that was ever in an environment variable or a template must be treated as leaked: revoke or rotate it."#,
        },
        options: &[],
    },
    check,
};

/// One variable's value: where it is, what it is.
struct Var<'a> {
    name: &'a str,
    span: Span,
    /// The value when known; references and unknown values are `None`.
    known: Option<&'a Node>,
    condition: Option<String>,
}

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let mut vars = Vec::new();
    for leaf in res.props.at(&["Environment", "Variables"]).leaves() {
        let LeafVal::Known(Node {
            val: Val::Map(entries),
            ..
        }) = leaf.val
        else {
            continue;
        };
        let outer = leaf.condition();
        for (name, value) in entries {
            for v in value.tri().leaves() {
                vars.push(Var {
                    name,
                    span: v.span,
                    known: match v.val {
                        LeafVal::Known(n) => Some(*n),
                        _ => None,
                    },
                    condition: and(outer.as_deref(), v.condition()),
                });
            }
        }
    }
    // A 40-character secret access key is only recognisable beside an access key ID.
    let has_key_id = vars.iter().any(|v| {
        texts(v.known)
            .iter()
            .any(|t| credential(t).is_some_and(|(kind, _)| kind == ACCESS_KEY_ID))
    });
    for var in &vars {
        if let Some(message) = judge(ctx.stack, var, has_key_id) {
            ctx.report(Report {
                resource: res,
                span: var.span,
                path: format!("Properties.Environment.Variables.{}", var.name),
                condition: var.condition.clone(),
                detail: Some(var.name.to_string()),
                message,
            });
        }
    }
}

/// The literal text of a value: a scalar, or the literal parts of a built string.
fn texts(value: Option<&Node>) -> Vec<String> {
    let Some(n) = value else {
        return Vec::new();
    };
    match &n.val {
        Val::Tpl(parts) => parts
            .iter()
            .filter_map(|p| match p {
                Part::Lit(s) => Some(s.clone()),
                _ => None,
            })
            .collect(),
        _ => n.scalar_string().into_iter().collect(),
    }
}

fn judge(stack: &Stack, var: &Var<'_>, has_key_id: bool) -> Option<String> {
    let name = var.name;
    for text in texts(var.known) {
        if let Some((kind, found)) = credential(&text) {
            // A private key is recognised by its header: its length is the whole value's.
            let shown = if kind == PRIVATE_KEY { &text } else { found };
            return Some(format!(
                "environment variable {name} holds {kind} ({}): Lambda shows it to anyone who can read the function's configuration",
                redact(shown)
            ));
        }
        if has_key_id && aws_secret_key(&text) {
            return Some(format!(
                "environment variable {name} holds what looks like an AWS secret access key ({}), beside an access key ID",
                redact(&text)
            ));
        }
    }
    if !holds_secret(name) {
        return None;
    }
    let n = var.known?;
    let (Val::Str(_) | Val::Num(_)) = &n.val else {
        return None;
    };
    let value = n.scalar_string()?;
    if !looks_like_a_secret_value(&value) {
        return None;
    }
    match stack.parameter_at(var.span) {
        Some(p) if p.has_default && !p.from_ssm() => Some(format!(
            "environment variable {name} comes from parameter {}, whose Default ({}) is written in the template and shown in the function's configuration",
            p.name,
            redact(&value)
        )),
        Some(_) => None,
        None => Some(format!(
            "environment variable {name} holds a literal secret ({}): it is in the template and Lambda shows it to anyone who can read the function's configuration",
            redact(&value)
        )),
    }
}

/// Whether a literal under a secret-sounding name could be the secret itself, rather than a pointer to it
/// (an ARN, a URL, a Parameter Store path), a setting (a number, a boolean) or a placeholder.
fn looks_like_a_secret_value(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    !(v.chars().count() < 8
        || is_placeholder(v)
        || lower.starts_with("arn:")
        || v.contains("://")
        || v.starts_with('/')
        || v.parse::<f64>().is_ok()
        || matches!(
            lower.as_str(),
            "true" | "false" | "yes" | "no" | "enabled" | "disabled"
        ))
}
