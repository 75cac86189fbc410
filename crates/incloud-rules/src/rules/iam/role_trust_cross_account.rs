//! `iam-role-trust-cross-account`: roles trusted by other accounts require an external id or an
//! organization.

use crate::iam_bridge::resource_doc;
use crate::rules::policy::{each_policy, OWN_ACCOUNT};
use crate::{Ctx, Report, Rule};
use incloud_iam::{access, Access};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-IAM-009",
        name: "iam-role-trust-cross-account",
        severity: Severity::Low,
        area: Area::IdentityAndAccess,
        title: "IAM roles trusted by other accounts require an external id or an organization",
        resource_types: &["AWS::IAM::Role"],
        controls: Controls::NONE,
        docs: Docs {
            description: r#"Reports trust policy statements that let principals of other AWS accounts assume the role without a condition on `sts:ExternalId` or `aws:PrincipalOrgID` (or `aws:PrincipalOrgPaths`). Trust in the role's own account (`${AWS::AccountId}`), in AWS services, and in federated identity providers is not this rule's concern."#,
            why: r#"Cross-account trust is yours to scope. When a third party (a SaaS vendor, a monitoring service) assumes roles in many customers' accounts, an external id keeps one customer from tricking the vendor into acting on another's account (the confused deputy problem). Between your own accounts, `aws:PrincipalOrgID` keeps the trust valid only while the other account stays in your organization."#,
            unknown: r#"A principal that cannot be known is reported by iam-role-trust-public at severity info, not here."#,
            fix_cloudformation: r#"    - Effect: Allow
      Principal:
        AWS: arn:aws:iam::999988887777:root
      Action: sts:AssumeRole
      Condition:
        StringEquals:
          sts:ExternalId: '{{resolve:secretsmanager:vendor-external-id}}'"#,
            fix_cdk: r#"TypeScript:

    new iam.Role(this, 'Vendor', { assumedBy: new iam.AccountPrincipal('999988887777'), externalIds: ['a-unique-id'] });

Python:

    iam.Role(self, "Vendor", assumed_by=iam.AccountPrincipal("999988887777"), external_ids=["a-unique-id"])"#,
            fix_terraform: r#"Add a `condition { test = "StringEquals" variable = "sts:ExternalId" values = [var.external_id] }` to the assume-role statement."#,
            fix_cli: r#"    aws iam update-assume-role-policy --role-name vendor --policy-document file://trust.json"#,
        },
        options: &[],
    },
    check,
};

const SCOPING_KEYS: &[&str] = &[
    "sts:externalid",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
];

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let Some(doc) = resource_doc(res) else { return };
    each_policy(
        ctx,
        res,
        &doc,
        "who the trust policy lets in",
        |ctx, v, p| {
            for st in access(p, OWN_ACCOUNT).statements {
                let accounts: Vec<String> = st
                    .access
                    .iter()
                    .filter_map(|a| match a {
                        Access::CrossAccount(list) => Some(
                            list.iter()
                                .filter(|x| {
                                    !x.starts_with("federated:")
                                        && !x.starts_with("canonical-user:")
                                        && (x.starts_with('<') || !x.contains('='))
                                })
                                .cloned()
                                .collect::<Vec<_>>(),
                        ),
                        _ => None,
                    })
                    .flatten()
                    .collect();
                if accounts.is_empty() {
                    continue;
                }
                let scoped = p.statements.get(st.statement).is_some_and(|s| {
                    s.condition.iter().any(|b| {
                        b.entries
                            .iter()
                            .any(|e| SCOPING_KEYS.contains(&e.key.to_ascii_lowercase().as_str()))
                    })
                });
                if scoped {
                    continue;
                }
                ctx.report(Report {
                resource: res,
                span: v.span_of(st.origin),
                path: format!("{}.Statement[{}]", doc.path, st.statement),
                condition: v.condition_of(st.statement),
                detail: Some(accounts.join(",")),
                message: format!(
                    "{} lets account {} assume the role with no sts:ExternalId or aws:PrincipalOrgID condition",
                    v.statement_label(st.statement),
                    accounts.join(", ")
                ),
            });
            }
        },
    );
}
