//! `cfn-plaintext-secret`: passwords and tokens that resources take are not written in the template or
//! shown by CloudFormation.

use crate::rules::and;
use crate::rules::secret_support::{credential, holds_secret, is_placeholder, redact, secret_name};
use crate::{Ctx, Report, Rule};
use incloud_model::*;
use regex::Regex;
use std::sync::LazyLock;

/// Where each resource type takes a secret: the path to it; `[]` marks a list whose items hold the rest.
const SECRET_PROPERTIES: &[(&str, &[&str])] = &[
    ("AWS::RDS::DBInstance", &["MasterUserPassword"]),
    ("AWS::RDS::DBCluster", &["MasterUserPassword"]),
    ("AWS::Redshift::Cluster", &["MasterUserPassword"]),
    ("AWS::DocDB::DBCluster", &["MasterUserPassword"]),
    ("AWS::DirectoryService::MicrosoftAD", &["Password"]),
    ("AWS::DirectoryService::SimpleAD", &["Password"]),
    ("AWS::IAM::User", &["LoginProfile", "Password"]),
    ("AWS::ElastiCache::ReplicationGroup", &["AuthToken"]),
    (
        "AWS::OpenSearchService::Domain",
        &[
            "AdvancedSecurityOptions",
            "MasterUserOptions",
            "MasterUserPassword",
        ],
    ),
    (
        "AWS::Elasticsearch::Domain",
        &[
            "AdvancedSecurityOptions",
            "MasterUserOptions",
            "MasterUserPassword",
        ],
    ),
    ("AWS::AmazonMQ::Broker", &["Users", "[]", "Password"]),
    ("AWS::DMS::Endpoint", &["Password"]),
    (
        "AWS::CodePipeline::Webhook",
        &["AuthenticationConfiguration", "SecretToken"],
    ),
    ("AWS::Amplify::App", &["AccessToken"]),
    ("AWS::Amplify::App", &["OauthToken"]),
    ("AWS::Amplify::App", &["BasicAuthConfig", "Password"]),
    ("AWS::SecretsManager::Secret", &["SecretString"]),
];

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-SECRET-001",
        name: "cfn-plaintext-secret",
        severity: Severity::High,
        area: Area::Secrets,
        title: "Passwords and tokens are not written in templates or shown by CloudFormation",
        resource_types: &[
            "AWS::RDS::DBInstance",
            "AWS::RDS::DBCluster",
            "AWS::Redshift::Cluster",
            "AWS::DocDB::DBCluster",
            "AWS::DirectoryService::MicrosoftAD",
            "AWS::DirectoryService::SimpleAD",
            "AWS::IAM::User",
            "AWS::ElastiCache::ReplicationGroup",
            "AWS::OpenSearchService::Domain",
            "AWS::Elasticsearch::Domain",
            "AWS::AmazonMQ::Broker",
            "AWS::DMS::Endpoint",
            "AWS::CodePipeline::Webhook",
            "AWS::Amplify::App",
            "AWS::SecretsManager::Secret",
        ],
        controls: Controls {
            cfn_nag: &[
                "F23", "F34", "F35", "F70", "F36", "F31", "F51", "F44", "F52", "F37", "F69", "F41",
                "F50",
            ],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks the properties through which resources take a password or token: MasterUserPassword of RDS DB instances and clusters, Redshift clusters and DocumentDB clusters; Password of Directory Service Microsoft AD and Simple AD; LoginProfile.Password of IAM users; AuthToken of ElastiCache replication groups; AdvancedSecurityOptions.MasterUserOptions.MasterUserPassword of OpenSearch Service and Elasticsearch domains; Users[].Password of Amazon MQ brokers; Password of DMS endpoints; AuthenticationConfiguration.SecretToken of CodePipeline webhooks; AccessToken, OauthToken and BasicAuthConfig.Password of Amplify apps; and SecretString of Secrets Manager secrets. Each is a finding when it is a literal, a Ref to a parameter that has a Default or lacks NoEcho: true, a Ref to a parameter of type AWS::SSM::Parameter::Value<String>, or a {{resolve:ssm:...}} dynamic reference (a plain String parameter). A string built by Fn::Sub or Fn::Join (a SecretString of JSON) is judged by the parameters in it whose names say they hold a secret (DbPassword, SSHPrivateKey; not DbUser or SecretArn), with the same tests. A {{resolve:secretsmanager:...}} or {{resolve:ssm-secure:...}} dynamic reference, a Ref to a NoEcho parameter without a Default (or with a placeholder Default such as an empty string), or a value from another resource (Fn::GetAtt of a custom resource that generates it) complies. A SecretString whose values are placeholders (changeme, REPLACE_ME, <your key>, empty) is not reported: the real value is set outside the template. Neptune clusters take no password (they authenticate with IAM), so there is nothing to check there. Secrets never appear in the finding: messages give the length and, for long values, the first two characters. cfn-lint's W1011 (use dynamic references for secrets in parameters) covers part of the same ground."#,
            why: r#"A template is copied to places a database password should never be: source control and its history, CI logs, the S3 bucket CloudFormation uploads it to, the GetTemplate API, and every developer's laptop. A parameter without NoEcho is shown in clear text by the CloudFormation console, DescribeStacks and stack events, to anyone with read-only access to CloudFormation; a parameter's Default is in the template itself. AWS stores what it is given; keeping credentials out of templates, and where they can be read, is the customer's responsibility. Secrets Manager and Systems Manager SecureString parameters keep them encrypted under KMS, audited in CloudTrail and rotatable."#,
            unknown: r#"A value that cannot be known (an import from another stack, a string built by Fn::Sub or Fn::Join from values that are not known) is reported at severity info, saying why. A Ref to a parameter (or a string built from parameters whose names say they hold the secret) is judged by the parameter's declaration, not by the value given at deploy time; a Default that is a placeholder (empty, <your token>) does not count as a secret in the template."#,
            fix_cloudformation: r#"Let the service or Secrets Manager generate the password, and reference it dynamically:

    DbSecret:
      Type: AWS::SecretsManager::Secret
      Properties:
        GenerateSecretString:
          SecretStringTemplate: '{"username": "app"}'
          GenerateStringKey: password
          ExcludeCharacters: '"@/\'
    Db:
      Type: AWS::RDS::DBInstance
      Properties:
        MasterUsername: app
        MasterUserPassword: !Sub '{{resolve:secretsmanager:${DbSecret}:SecretString:password}}'

For RDS and Aurora, ManageMasterUserPassword: true lets RDS keep the password in Secrets Manager without it ever passing through the template. Where a value must be given at deploy time, use a parameter with NoEcho: true and no Default, or {{resolve:ssm-secure:/path/to/parameter}}."#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2): let CDK generate the credentials (the default), or read them from Secrets Manager; never SecretValue.unsafePlainText.

    new rds.DatabaseInstance(this, 'Db', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      vpc,
      credentials: rds.Credentials.fromGeneratedSecret('app'),
    });
    // an existing secret:
    const token = cdk.SecretValue.secretsManager('github-token');

Python:

    rds.DatabaseInstance(self, "Db",
        engine=rds.DatabaseInstanceEngine.postgres(version=rds.PostgresEngineVersion.VER_16),
        vpc=vpc,
        credentials=rds.Credentials.from_generated_secret("app"),
    )
    token = SecretValue.secrets_manager("github-token")"#,
            fix_terraform: r#"With AWS provider v5: let RDS manage the password, or read it from Secrets Manager; never a literal in .tf files (it also lands in the state).

    resource "aws_db_instance" "db" {
      # ...
      username                    = "app"
      manage_master_user_password = true
    }

    data "aws_secretsmanager_secret_version" "token" {
      secret_id = "github-token"
    }"#,
            fix_cli: r#"Put the value in Secrets Manager (or a SecureString parameter), rotate the one that was exposed, and reference the new one:

    aws secretsmanager create-secret --name prod/db/master \
      --generate-secret-string '{"SecretStringTemplate":"{\"username\":\"app\"}","GenerateStringKey":"password"}'
    aws ssm put-parameter --name /prod/db/master --type SecureString --value file://password.txt
    aws rds modify-db-instance --db-instance-identifier db --manage-master-user-password --apply-immediately

A secret that was ever in a template or shown by CloudFormation must be treated as leaked: change it, not only the template."#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    for (rtype, path) in SECRET_PROPERTIES {
        if res.is(rtype) {
            walk(ctx, res, &res.props, path, "Properties", None);
        }
    }
}

/// Follow `path` from `node`, through every item of a list where it says `[]`, and judge what is there.
fn walk(
    ctx: &mut Ctx<'_>,
    res: &Resource,
    node: &Node,
    path: &[&str],
    shown: &str,
    condition: Option<&str>,
) {
    let list_at = path.iter().position(|k| *k == "[]");
    let (head, rest) = match list_at {
        Some(i) => (&path[..i], Some(&path[i + 1..])),
        None => (path, None),
    };
    let shown = format!("{shown}.{}", head.join("."));
    for leaf in node.at(head).leaves() {
        let cond = and(condition, leaf.condition());
        match rest {
            Some(rest) => {
                let LeafVal::Known(list) = leaf.val else {
                    continue;
                };
                for (i, item) in list.items().into_iter().enumerate() {
                    walk(
                        ctx,
                        res,
                        item,
                        rest,
                        &format!("{shown}[{i}]"),
                        cond.as_deref(),
                    );
                }
            }
            None => judge(ctx, res, &leaf, &shown, cond),
        }
    }
}

fn judge(
    ctx: &mut Ctx<'_>,
    res: &Resource,
    leaf: &Leaf<'_, &Node>,
    path: &str,
    condition: Option<String>,
) {
    let name = path.rsplit('.').next().unwrap_or(path);
    let report = |message: String| Report {
        resource: res,
        span: leaf.span,
        path: path.to_string(),
        condition: condition.clone(),
        detail: None,
        message,
    };
    if let Some(p) = ctx.stack.parameter_at(leaf.span) {
        if let Some(message) = parameter_problem(name, "comes from", p) {
            ctx.report(report(message));
        }
        return;
    }
    // A string built by Fn::Sub or Fn::Join from parameters is judged by the parameters whose names say
    // they hold the secret (not the user name beside it).
    if let LeafVal::Known(Node {
        val: val @ (Val::Str(_) | Val::Tpl(_)),
        ..
    }) = leaf.val
    {
        if matches!(val, Val::Tpl(parts) if parts.iter().any(secure_reference)) {
            return;
        }
        let secret_parameters: Vec<_> = ctx
            .stack
            .parameters_in(leaf.span)
            .into_iter()
            .filter(|p| holds_secret(&p.name))
            .collect();
        if !secret_parameters.is_empty() {
            if let Some(message) = secret_parameters
                .iter()
                .find_map(|p| parameter_problem(name, "is built from", p))
            {
                ctx.report(report(message));
            }
            return;
        }
    }
    let secret_string = name == "SecretString";
    match leaf.val {
        LeafVal::Absent => {}
        LeafVal::Unknown(why) => match dynamic_reference(why) {
            Some("secretsmanager" | "ssm-secure") => {}
            Some("ssm") => ctx.report(report(format!("{name} is a {{{{resolve:ssm:...}}}} reference to a plain Systems Manager String parameter, stored unencrypted: use ssm-secure or secretsmanager"))),
            _ => ctx.unknown(report(name.to_string()), why),
        },
        LeafVal::Known(n) => match &n.val {
            Val::Tpl(parts) if !parts.iter().any(secure_reference) => ctx.unknown(
                report(name.to_string()),
                "it is built by Fn::Sub or Fn::Join from values that are not all known",
            ),
            Val::Str(_) | Val::Num(_) | Val::Bool(_) => {
                let value = n.scalar_string().unwrap_or_default();
                if value.is_empty() || (secret_string && placeholder_secret_string(&value)) {
                    return;
                }
                ctx.report(report(format!(
                    "{name} is a literal ({}) written in the template: anyone who can read the template, its copies or the stack can read it",
                    redact(&value)
                )));
            }
            // A value from another resource (a custom resource that generates it) is not in the template.
            _ => {}
        },
    }
}

/// What is wrong with taking a secret from parameter `p`, if anything.
fn parameter_problem(name: &str, how: &str, p: &Parameter) -> Option<String> {
    let what = format!("{name} {how} parameter {}", p.name);
    if p.from_ssm() {
        Some(format!("{what}, read from a plain Systems Manager String parameter: it is stored unencrypted and DescribeStacks shows the resolved value; use {{{{resolve:ssm-secure:...}}}} or Secrets Manager"))
    } else if p.has_default && !p.default.as_deref().is_some_and(is_placeholder) {
        Some(format!(
            "{what}, which has a Default: the secret is written in the template"
        ))
    } else if !p.no_echo {
        Some(format!("{what} without NoEcho: true: CloudFormation shows its value in the console, DescribeStacks and stack events"))
    } else {
        None
    }
}

/// Whether a part of a built string starts a dynamic reference to an encrypted secret (CDK writes
/// `Fn::Join` of `{{resolve:secretsmanager:`, the secret's `Ref` and `:SecretString:password::}}`; the
/// resolver has already turned the opening literal into an unknown dynamic reference).
fn secure_reference(part: &Part) -> bool {
    match part {
        Part::Lit(s) => {
            s.contains("{{resolve:secretsmanager:") || s.contains("{{resolve:ssm-secure:")
        }
        Part::Unknown(why) => matches!(
            dynamic_reference(why),
            Some("secretsmanager" | "ssm-secure")
        ),
        Part::Link(_) => false,
    }
}

/// A `SecretString` that holds nothing secret yet: a placeholder, or a JSON object whose values are all
/// placeholders, numbers, booleans or not under a secret-sounding key (`{"username": "app"}`).
fn placeholder_secret_string(value: &str) -> bool {
    let v = value.trim();
    if credential(v).is_some() {
        return false;
    }
    if !v.starts_with('{') {
        return is_placeholder(v);
    }
    let Some(re) = JSON_STRING_ENTRY.as_ref() else {
        return false;
    };
    re.captures_iter(v).all(|c| {
        let key = c.get(1).map_or("", |m| m.as_str());
        let val = c.get(2).map_or("", |m| m.as_str());
        !secret_name(key) || is_placeholder(val)
    })
}

/// `"key": "value"` in a JSON object (enough to read a flat SecretString without a JSON parser).
static JSON_STRING_ENTRY: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#""((?:[^"\\]|\\.)*)"\s*:\s*"((?:[^"\\]|\\.)*)""#).ok());
