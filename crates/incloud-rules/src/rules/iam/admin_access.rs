//! `iam-admin-access`: identity policies do not grant administrator access.

use crate::iam_bridge::{aws_managed_attachments, identity_docs, IDENTITY_TYPES};
use crate::rules::policy::each_policy;
use crate::{Ctx, Report, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-IAM-003",
        name: "iam-admin-access",
        severity: Severity::High,
        area: Area::IdentityAndAccess,
        title: "IAM policies do not grant administrator access",
        resource_types: IDENTITY_TYPES,
        controls: Controls {
            security_hub: &["IAM.1"],
            aws_config: &["iam-policy-no-statements-with-admin-access"],
            cis: &[
                "CIS AWS Foundations v1.2.0 1.22",
                "CIS AWS Foundations v1.4.0 1.16",
            ],
            nist_800_53: &[
                "AC-2", "AC-2(1)", "AC-3", "AC-3(15)", "AC-3(7)", "AC-5", "AC-6", "AC-6(10)",
                "AC-6(2)", "AC-6(3)",
            ],
            pci_dss: &["PCI DSS v3.2.1 7.2.1"],
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
                "NIST.800.53.R5-IAMPolicyNoStatementsWithAdminAccess",
                "HIPAA.Security-IAMPolicyNoStatementsWithAdminAccess",
                "PCI.DSS.321-IAMPolicyNoStatementsWithAdminAccess",
            ],
            cfn_nag: &["W25"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Reports identity-based policies that amount to full control of the account: `"Action": "*"` on `"Resource": "*"`, `iam:*` on every resource, or the actions that let a principal rewrite its own permissions (attaching or putting policies on itself) on every resource. The decision is made by evaluating the policy, so a Deny or a condition that takes the access away is honoured. Roles, users and groups that attach an AWS managed policy are judged on its document (bundled with incloud): AdministratorAccess, and others such as IAMFullAccess that amount to the same, are reported at the ManagedPolicyArns entry."#,
            why: r#"Who holds administrator access is your decision, not AWS's. A principal with it can create users and keys, disable CloudTrail, read every secret and delete every resource; one leaked session or one compromised function is then a compromised account. Workloads should hold only the permissions they use; administration belongs to a few human roles behind MFA and SSO, not to templates."#,
            unknown: r#"A document that cannot be known is reported at severity info. Actions or resources that cannot be known are not counted as granting administrator access."#,
            fix_cloudformation: r#"Replace the statement with the actions and resources the workload uses:

    - Effect: Allow
      Action: [dynamodb:GetItem, dynamodb:PutItem]
      Resource: !GetAtt Table.Arn

and remove `arn:aws:iam::aws:policy/AdministratorAccess` from ManagedPolicyArns."#,
            fix_cdk: r#"TypeScript:

    table.grantReadWriteData(fn);   // instead of iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')

Python:

    table.grant_read_write_data(fn)"#,
            fix_terraform: r#"Remove `aws_iam_role_policy_attachment` resources with `policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"` and statements with `actions = ["*"]` and `resources = ["*"]`; grant the workload's actions on its resources."#,
            fix_cli: r#"    aws iam detach-role-policy --role-name app --policy-arn arn:aws:iam::aws:policy/AdministratorAccess
    aws iam put-role-policy --role-name app --policy-name scoped --policy-document file://scoped.json"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    for doc in identity_docs(res) {
        each_policy(
            ctx,
            res,
            &doc,
            "whether the policy grants administrator access",
            |ctx, v, p| {
                let Some((why, origins)) = v.admin().cloned() else {
                    return;
                };
                let first = origins.first().copied().unwrap_or(p.origin);
                let index = p
                    .statements
                    .iter()
                    .position(|s| s.origin == first)
                    .unwrap_or(0);
                ctx.report(Report {
                    resource: res,
                    span: v.span_of(first),
                    path: format!("{}.Statement[{index}]", doc.path),
                    condition: v.condition_of(index),
                    detail: None,
                    message: format!(
                        "{} grants administrator access: {why}",
                        v.statement_label(index)
                    ),
                });
            },
        );
    }
    for m in aws_managed_attachments(res) {
        let Some((why, _)) = incloud_iam::admin_equivalence(&m.managed.policy) else {
            continue;
        };
        let name = m.managed.name;
        let message = if name == "AdministratorAccess" {
            "attaches the AWS managed policy AdministratorAccess (every action on every resource)"
                .into()
        } else {
            format!(
                "attaches the AWS managed policy {name}, which grants administrator access: {why}"
            )
        };
        ctx.report(Report {
            resource: res,
            span: m.span,
            path: format!("Properties.ManagedPolicyArns[{}]", m.index),
            condition: m.condition,
            detail: Some(format!(
                "Policy::arn:<AWS::Partition>:iam::aws:policy/{name}"
            )),
            message,
        });
    }
}
