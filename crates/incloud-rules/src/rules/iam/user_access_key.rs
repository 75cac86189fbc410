//! `iam-user-access-key`: templates do not create long-lived IAM access keys.

use crate::{Ctx, Report, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-IAM-007",
        name: "iam-user-access-key",
        severity: Severity::Medium,
        area: Area::IdentityAndAccess,
        title: "Templates do not create long-lived IAM access keys",
        resource_types: &["AWS::IAM::AccessKey"],
        controls: Controls {
            security_hub: &["IAM.3"],
            aws_config: &["access-keys-rotated"],
            cis: &[
                "CIS AWS Foundations v5.0.0 1.13",
                "CIS AWS Foundations v3.0.0 1.14",
                "CIS AWS Foundations v1.4.0 1.14",
                "CIS AWS Foundations v1.2.0 1.4",
            ],
            nist_800_53: &["AC-2(1)", "AC-2(3)", "AC-3(15)"],
            pci_dss: &["PCI DSS v4.0.1 8.3.9", "PCI DSS v4.0.1 8.6.3"],
            hipaa: &["164.308(a)(4)(ii)(B)"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Reports every active AWS::IAM::AccessKey (Status absent or `Active`). A key created by a template lives until the stack is updated with a new `Serial`, so it is rarely rotated; Security Hub IAM.3 asks for rotation every 90 days."#,
            why: r#"AWS protects the secret once issued; keeping it out of code, logs and laptops, and rotating it, is yours. Access keys do not expire, and a template that creates one also has to deliver the secret somewhere (an output, a secret, a parameter) where it can leak. Roles give the same access with temporary credentials: to Lambda, ECS and EC2 through their execution roles, to people through IAM Identity Center, to external systems through OIDC federation or IAM Roles Anywhere."#,
            unknown: r#"A Status that cannot be known is reported at severity info."#,
            fix_cloudformation: r#"Remove the AWS::IAM::AccessKey and give the workload a role to assume. If a key is unavoidable, rotate it by changing `Serial`, and store the secret in Secrets Manager rather than in an output."#,
            fix_cdk: r#"Remove the access key and give the workload a role it assumes with temporary credentials.

TypeScript:

    // instead of: new iam.AccessKey(this, 'CiKey', { user });
    const provider = new iam.OpenIdConnectProvider(this, 'GitHub', {
      url: 'https://token.actions.githubusercontent.com',
      clientIds: ['sts.amazonaws.com'],
    });
    new iam.Role(this, 'Ci', {
      assumedBy: new iam.WebIdentityPrincipal(provider.openIdConnectProviderArn, {
        StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:my-org/my-repo:*' },
      }),
    });

Python:

    provider = iam.OpenIdConnectProvider(self, "GitHub",
        url="https://token.actions.githubusercontent.com", client_ids=["sts.amazonaws.com"])
    iam.Role(self, "Ci", assumed_by=iam.WebIdentityPrincipal(provider.open_id_connect_provider_arn, {
        "StringLike": {"token.actions.githubusercontent.com:sub": "repo:my-org/my-repo:*"},
    }))"#,
            fix_terraform: r#"Remove aws_iam_access_key; federate with aws_iam_openid_connect_provider and a role."#,
            fix_cli: r#"    aws iam list-access-keys --user-name ci
    aws iam update-access-key --user-name ci --access-key-id AKIA... --status Inactive
    aws iam delete-access-key --user-name ci --access-key-id AKIA..."#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let status = res.props.at(&["Status"]);
    for leaf in status.leaves() {
        let report = |message: String| Report {
            resource: res,
            span: if matches!(leaf.val, LeafVal::Absent) {
                res.span
            } else {
                leaf.span
            },
            path: "Properties.Status".into(),
            condition: leaf.condition(),
            detail: None,
            message,
        };
        match leaf.val {
            LeafVal::Absent => ctx.report(report(
                "creates an active long-lived access key (Status defaults to Active)".into(),
            )),
            LeafVal::Known(n) => {
                if n.as_str().is_none_or(|s| s.eq_ignore_ascii_case("Active")) {
                    ctx.report(report(format!(
                        "creates an active long-lived access key (Status {})",
                        n.val.describe()
                    )));
                }
            }
            LeafVal::Unknown(why) => {
                ctx.unknown(report("whether the access key is active".into()), why)
            }
        }
    }
}
