//! `iam-wildcard-permission`: identity policies do not grant wildcard actions or resources.

use crate::iam_bridge::{identity_docs, IDENTITY_TYPES};
use crate::rules::policy::each_policy;
use crate::{Ctx, Report, Rule};
use incloud_iam::{wildcards, WildcardKind};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-IAM-001",
        name: "iam-wildcard-permission",
        severity: Severity::Medium,
        area: Area::IdentityAndAccess,
        title:
            "IAM identity policies name the actions and resources they grant instead of wildcards",
        resource_types: IDENTITY_TYPES,
        controls: Controls {
            security_hub: &["IAM.21"],
            aws_config: &["iam-policy-no-statements-with-full-access"],
            nist_800_53: &[
                "AC-2", "AC-2(1)", "AC-3", "AC-3(15)", "AC-3(7)", "AC-5", "AC-6", "AC-6(10)",
                "AC-6(2)", "AC-6(3)",
            ],
            hipaa: &[
                "164.308(a)(3)(i)",
                "164.308(a)(3)(ii)(A)",
                "164.308(a)(3)(ii)(B)",
                "164.308(a)(4)(i)",
                "164.308(a)(4)(ii)(A)",
                "164.308(a)(4)(ii)(B)",
                "164.308(a)(4)(ii)(C)",
                "164.312(a)(1)",
            ],
            cdk_nag: &[
                "AwsSolutions-IAM5",
                "NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess",
                "HIPAA.Security-IAMPolicyNoStatementsWithFullAccess",
                "PCI.DSS.321-IAMPolicyNoStatementsWithFullAccess",
            ],
            cfn_nag: &["F3"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks the Allow statements of identity-based policies (inline policies of roles, users and groups, AWS::IAM::Policy and AWS::IAM::ManagedPolicy) for wildcards that widen what is granted: `*` or `service:*` actions, partial wildcards such as `s3:Get*`, `NotAction` or `NotResource` in an Allow, `"Resource": "*"`, and resource ARNs with a wildcard that names no one resource (`arn:aws:s3:::*`, `arn:aws:dynamodb:*:*:table/*`).

The action catalog decides what matters: `"Resource": "*"` is not reported when no action of the statement supports resource-level permissions (`ec2:DescribeInstances`, `xray:PutTraceSegments`, `logs:DescribeLogGroups`), since `*` is then the only value AWS accepts. A wildcard inside one named resource (`${Bucket.Arn}/*`, `log-group:/aws/lambda/fn:*`) is not reported either.

Each wildcard is its own finding, with a detail in cdk-nag's granular form (`Action::s3:*`, `Resource::*`, `Resource::<MyBucket.Arn>/*`), so cdk-nag suppressions of AwsSolutions-IAM5 with `appliesTo` keep working. Security Hub IAM.21 (AWS Config iam-policy-no-statements-with-full-access) checks the `service:*` subset of these findings, on customer managed policies only."#,
            why: r#"AWS decides each request against your policies; which actions and resources the policies name is yours to decide. A wildcard grants every action that exists today and every action AWS adds later, on every resource of the account, including ones created after the policy. A compromised function or a leaked role session can then read or delete far more than the workload needs. Least privilege is the control that bounds the damage of every other failure."#,
            unknown: r#"An action or resource that cannot be known from the template (a parameter, an import) is not a wildcard and is not reported. A reference to a resource of the template (`!GetAtt Bucket.Arn`) names that resource. A document that cannot be known at all is reported at severity info."#,
            fix_cloudformation: r#"Name the actions and the resources:

    Policies:
      - PolicyName: read-uploads
        PolicyDocument:
          Version: '2012-10-17'
          Statement:
            - Effect: Allow
              Action:
                - s3:GetObject
              Resource: !Sub '${UploadsBucket.Arn}/*'

When a wildcard is needed (a prefix of objects written at run time), keep it inside one resource's ARN."#,
            fix_cdk: r#"Use the grant methods, which name the actions and the resource:

TypeScript:

    bucket.grantRead(fn);
    table.grantReadWriteData(fn);

Python:

    bucket.grant_read(fn)
    table.grant_read_write_data(fn)

To accept a wildcard that CDK itself writes (grantRead adds `Action::s3:GetObject*` and `Resource::<Bucket.Arn>/*`), suppress it narrowly:

    NagSuppressions.addResourceSuppressions(fn, [{
      id: 'AwsSolutions-IAM5',
      reason: 'Read access to every object of the uploads bucket is intended',
      appliesTo: ['Action::s3:GetObject*', 'Resource::<UploadsBucket1234ABCD.Arn>/*'],
    }], true);"#,
            fix_terraform: r#"    data "aws_iam_policy_document" "read_uploads" {
      statement {
        actions   = ["s3:GetObject"]
        resources = ["${aws_s3_bucket.uploads.arn}/*"]
      }
    }"#,
            fix_cli: r#"Write the narrowed document and make it the policy's default version (managed policies), or put it again (inline policies):

    aws iam create-policy-version --policy-arn arn:aws:iam::111122223333:policy/app --policy-document file://policy.json --set-as-default
    aws iam put-role-policy --role-name app --policy-name app --policy-document file://policy.json

IAM Access Analyzer's policy generation (`aws accessanalyzer start-policy-generation`) proposes a policy from CloudTrail activity."#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    for doc in identity_docs(res) {
        each_policy(ctx, res, &doc, "the policy's wildcards", |ctx, v, p| {
            for w in wildcards(p) {
                let label = v.statement_label(w.statement);
                let what = match w.kind {
                    WildcardKind::AllActions => "every action of every service",
                    WildcardKind::AllServiceActions => "every action of a service",
                    WildcardKind::PartialAction => "every action that matches a wildcard",
                    WildcardKind::NotAction => "every action but those listed (NotAction)",
                    WildcardKind::AllResources => "its actions on every resource",
                    WildcardKind::ResourcePattern => {
                        "its actions on every resource matching a wildcard"
                    }
                };
                let shown = w
                    .detail
                    .split_once("::")
                    .map_or(w.detail.as_str(), |(_, v)| v);
                ctx.report(Report {
                    resource: res,
                    span: v.span_of(w.origin),
                    path: format!("{}.Statement[{}]", doc.path, w.statement),
                    condition: v.condition_of(w.statement),
                    detail: Some(w.detail.clone()),
                    message: match w.kind {
                        WildcardKind::AllResources | WildcardKind::ResourcePattern => {
                            let actions = p
                                .statements
                                .get(w.statement)
                                .and_then(|s| s.action.as_ref())
                                .map(|a| {
                                    let names: Vec<&str> = a
                                        .values
                                        .iter()
                                        .map(|v| v.as_known().unwrap_or("?"))
                                        .collect();
                                    if names.len() > 4 {
                                        format!(
                                            "{} and {} more",
                                            names[..3].join(", "),
                                            names.len() - 3
                                        )
                                    } else {
                                        names.join(", ")
                                    }
                                })
                                .unwrap_or_default();
                            format!("{label} grants {what}: {shown} (for {actions})")
                        }
                        _ => format!("{label} grants {what}: {shown}"),
                    },
                });
            }
        });
    }
}
