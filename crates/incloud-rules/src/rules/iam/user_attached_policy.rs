//! `iam-user-attached-policy`: permissions reach IAM users through groups, not policies attached to users.

use crate::{Ctx, Report, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-IAM-006",
        name: "iam-user-attached-policy",
        severity: Severity::Low,
        area: Area::IdentityAndAccess,
        title: "IAM users receive permissions only through groups",
        resource_types: &[
            "AWS::IAM::User",
            "AWS::IAM::Policy",
            "AWS::IAM::ManagedPolicy",
        ],
        controls: Controls {
            security_hub: &["IAM.2"],
            aws_config: &["iam-user-no-policies-check"],
            cis: &[
                "CIS AWS Foundations v5.0.0 1.14",
                "CIS AWS Foundations v3.0.0 1.15",
                "CIS AWS Foundations v1.2.0 1.16",
            ],
            nist_800_53: &[
                "AC-2", "AC-2(1)", "AC-3", "AC-3(15)", "AC-3(7)", "AC-6", "AC-6(3)",
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
                "NIST.800.53.R5-IAMUserNoPolicies",
                "HIPAA.Security-IAMUserNoPolicies",
                "PCI.DSS.321-IAMUserNoPolicies",
            ],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Reports IAM users with inline `Policies` or `ManagedPolicyArns`, and AWS::IAM::Policy or AWS::IAM::ManagedPolicy resources whose `Users` list names a user."#,
            why: r#"AWS authenticates users; how their permissions are organised is yours. Permissions attached user by user drift apart, outlive the person's role, and are missed in access reviews. Granting through groups (or, better, through roles assumed from an identity provider) keeps one place to review and revoke."#,
            unknown: r#"A value that cannot be known still attaches a policy: the finding is reported all the same, since the list is present."#,
            fix_cloudformation: r#"Put the policy on a group and add the user to it:

    Developers:
      Type: AWS::IAM::Group
      Properties:
        Policies: [...]
    Alice:
      Type: AWS::IAM::User
      Properties:
        Groups: [!Ref Developers]"#,
            fix_cdk: r#"TypeScript:

    const group = new iam.Group(this, 'Developers');
    group.addToPolicy(statement);
    user.addToGroup(group);

Python:

    group = iam.Group(self, "Developers")
    group.add_to_policy(statement)
    user.add_to_group(group)"#,
            fix_terraform: r#"Use aws_iam_group_policy and aws_iam_user_group_membership instead of aws_iam_user_policy and aws_iam_user_policy_attachment."#,
            fix_cli: r#"    aws iam add-user-to-group --user-name alice --group-name developers
    aws iam delete-user-policy --user-name alice --policy-name inline
    aws iam detach-user-policy --user-name alice --policy-arn arn:aws:iam::111122223333:policy/app"#,
        },
        options: &[],
    },
    check,
};

fn non_empty(n: &Node) -> bool {
    match &n.val {
        Val::Seq(items) => !items.is_empty(),
        Val::Null => false,
        _ => true,
    }
}

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    if res.rtype == "AWS::IAM::User" {
        for prop in ["Policies", "ManagedPolicyArns"] {
            for leaf in res.props.at(&[prop]).leaves() {
                if let LeafVal::Known(n) = leaf.val {
                    if non_empty(n) {
                        ctx.report(Report {
                            resource: res,
                            span: leaf.span,
                            path: format!("Properties.{prop}"),
                            condition: leaf.condition(),
                            detail: Some(prop.to_string()),
                            message: format!("the user has policies attached directly ({prop}); grant them through a group"),
                        });
                    }
                }
            }
        }
        return;
    }
    for leaf in res.props.at(&["Users"]).leaves() {
        let LeafVal::Known(n) = leaf.val else {
            continue;
        };
        if !non_empty(n) {
            continue;
        }
        let users: Vec<String> = n
            .items()
            .iter()
            .map(|u| match &u.val {
                Val::Link(l) => l.target.clone(),
                other => u.scalar_string().unwrap_or_else(|| other.describe()),
            })
            .collect();
        ctx.report(Report {
            resource: res,
            span: leaf.span,
            path: "Properties.Users".into(),
            condition: leaf.condition(),
            detail: Some("Users".into()),
            message: format!(
                "the policy is attached directly to users ({}); attach it to a group",
                users.join(", ")
            ),
        });
    }
}
