//! `iam-privilege-escalation`: a principal's policies do not let it raise its own permissions.

use crate::iam_bridge::{attached_policies, aws_managed_attachments, identity_docs, Variant};
use crate::{Ctx, Report, Rule};
use incloud_iam::{escalation_paths, Policy};
use incloud_model::*;
use std::rc::Rc;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-IAM-004",
        name: "iam-privilege-escalation",
        severity: Severity::High,
        area: Area::IdentityAndAccess,
        title: "IAM principals cannot escalate their own privileges",
        resource_types: &["AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"],
        controls: Controls {
            checkov: &["CKV_AWS_110"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Gathers every identity-based policy of a role, user or group in the template — its inline policies, the AWS managed policies it attaches (read from the documents bundled with incloud, so `IAMFullAccess` or `AWSLambda_FullAccess` count for what they grant), the AWS::IAM::Policy and AWS::IAM::ManagedPolicy resources attached to it, and for a user those of the template's groups it belongs to — and reports each known privilege-escalation path they open together: creating a new version of a policy, attaching or putting policies on itself, passing a role to a new Lambda function, EC2 instance, CloudFormation stack or Glue endpoint, updating a function's code, creating access keys or login profiles for other users, and the other methods catalogued by Rhino Security Labs and later public research. Each path is one finding naming the method and the statements that grant each action.

A path counts only when every action it needs is allowed on a resource no policy names (or on `*` for actions without resource-level permissions), with no condition: an Allow narrowed to named roles or policies, or a Deny, closes it. Principals that already hold administrator access are left to iam-admin-access. AWS managed policies are not read (their documents are not in the template)."#,
            why: r#"IAM evaluates exactly the permissions you grant; whether those permissions can be turned into more is your design. A role that can `iam:PassRole` any role and create a Lambda function can run code as the most privileged role of the account; one that can `iam:CreatePolicyVersion` can rewrite its own policy to `*`. Such a principal is an administrator in waiting, and whoever compromises it becomes one."#,
            unknown: r#"Actions or resources that cannot be known do not open a path. A document that cannot be known is ignored for this rule (the other IAM rules report it)."#,
            fix_cloudformation: r#"Scope the actions of the path to named resources, for example `iam:PassRole` to the one role the workload hands to Lambda, with the service it may pass it to:

    - Effect: Allow
      Action: iam:PassRole
      Resource: !GetAtt WorkerRole.Arn
      Condition:
        StringEquals:
          iam:PassedToService: lambda.amazonaws.com"#,
            fix_cdk: r#"Use grants on named roles rather than `iam:*` or `Resource: '*'`:

TypeScript:

    workerRole.grantPassRole(deployer);

Python:

    worker_role.grant_pass_role(deployer)

A permissions boundary (`iam.PermissionsBoundary.of(this).apply(boundary)`) caps what any escalation can reach."#,
            fix_terraform: r#"    statement {
      actions   = ["iam:PassRole"]
      resources = [aws_iam_role.worker.arn]
      condition {
        test     = "StringEquals"
        variable = "iam:PassedToService"
        values   = ["lambda.amazonaws.com"]
      }
    }"#,
            fix_cli: r#"Check what a principal can reach with `incloud iam eval`, then narrow the policy:

    incloud iam eval --identity-policy policy.json --principal arn:aws:iam::111122223333:role/app --action iam:PassRole --resource arn:aws:iam::111122223333:role/admin
    aws iam put-role-policy --role-name app --policy-name scoped --policy-document file://scoped.json"#,
        },
        options: &[],
    },
    check,
};

struct Held {
    owner: String,
    label: String,
    variant: Rc<Vec<Variant>>,
    index: usize,
}

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let stack = ctx.stack;
    let mut held: Vec<Held> = Vec::new();
    let mut owners: Vec<&Resource> = vec![res];
    owners.extend(attached_policies(stack, res));
    // A user holds the policies of the groups of the template it belongs to.
    if res.rtype == "AWS::IAM::User" {
        let groups = res
            .props
            .get("Groups")
            .map(|g| g.items())
            .unwrap_or_default();
        for g in groups {
            let group = stack.of_type("AWS::IAM::Group").find(|grp| {
                crate::iam_bridge::names(g, &grp.id)
                    || g.as_str().is_some_and(|n| {
                        grp.props.get("GroupName").and_then(|x| x.as_str()) == Some(n)
                    })
            });
            if let Some(group) = group {
                owners.push(group);
                owners.extend(attached_policies(stack, group));
            }
        }
    }
    for owner in owners {
        // AWS managed policies the role, user or group attaches, judged on their documents.
        for m in aws_managed_attachments(owner) {
            let entry = format!("ManagedPolicyArns[{}] ({})", m.index, m.managed.name);
            let label = if owner.id == res.id {
                entry
            } else {
                format!("{}.{entry}", owner.id)
            };
            let policy = (*m.managed.policy).clone();
            held.push(Held {
                owner: owner.id.clone(),
                label,
                variant: Rc::new(vec![Variant::aws_managed(m.condition, m.span, policy)]),
                index: 0,
            });
        }
        for doc in identity_docs(owner) {
            let variants = ctx.policy(doc.node, doc.kind);
            for index in 0..variants.len() {
                if variants.get(index).is_some_and(|v| v.policy.is_ok()) {
                    let path = doc.path.trim_start_matches("Properties.");
                    let label = if owner.id == res.id {
                        path.to_string()
                    } else if path.starts_with("Policies[") {
                        format!("{}.{path}", owner.id)
                    } else {
                        owner.id.clone()
                    };
                    held.push(Held {
                        owner: owner.id.clone(),
                        label,
                        variant: Rc::clone(&variants),
                        index,
                    });
                }
            }
        }
    }
    let policies: Vec<Policy> = held
        .iter()
        .filter_map(|h| {
            h.variant
                .get(h.index)
                .and_then(|v| v.policy.as_ref().ok())
                .cloned()
        })
        .collect();
    let admin = held
        .iter()
        .any(|h| h.variant.get(h.index).is_some_and(|v| v.admin().is_some()));
    if policies.is_empty() || admin {
        return;
    }
    for path in escalation_paths(&policies) {
        let mut parts = Vec::new();
        let mut first: Option<(Span, Option<String>, String)> = None;
        for (action, stmts) in &path.statements {
            let mut where_ = Vec::new();
            for m in stmts {
                let n: usize = m
                    .policy
                    .trim_start_matches("policy[")
                    .trim_end_matches(']')
                    .parse()
                    .unwrap_or(0);
                let Some(h) = held.get(n) else { continue };
                let Some(v) = h.variant.get(h.index) else {
                    continue;
                };
                let label = format!("{} {}", h.label, v.statement_label(m.index));
                if first.is_none() && h.owner == res.id {
                    first = Some((v.span_of(m.origin), v.condition_of(m.index), label.clone()));
                }
                where_.push(label);
            }
            where_.dedup();
            parts.push(format!("{action} ({})", where_.join(", ")));
        }
        let (span, condition) = match first {
            Some((s, c, _)) => (s, c),
            None => (res.span, None),
        };
        ctx.report(Report {
            resource: res,
            span,
            path: "Policies".into(),
            condition,
            detail: Some(path.method.id.to_string()),
            message: format!(
                "can escalate its privileges — {} ({}): {}",
                path.method.description,
                path.method.id,
                parts.join("; ")
            ),
        });
    }
}
