//! `kms-key-policy-account-wide`: key policies do not let every principal of the account use the key
//! without an IAM grant.

use crate::iam_bridge::resource_doc;
use crate::rules::policy::{action_covers, each_policy, OWN_ACCOUNT};
use crate::{Ctx, Report, Rule};
use incloud_iam::{access, Access};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-KMS-003",
        name: "kms-key-policy-account-wide",
        severity: Severity::Medium,
        area: Area::DataAtRest,
        title: "KMS key policies do not let every principal of the account use the key",
        resource_types: &["AWS::KMS::Key"],
        controls: Controls::NONE,
        docs: Docs {
            description: r#"Reports key policy statements that allow cryptographic use of the key (`kms:Decrypt`, `kms:Encrypt`, `kms:GenerateDataKey*`, `kms:ReEncrypt*`, ...) to every principal (`"Principal": "*"`) when the only thing that narrows them is the account (`kms:CallerAccount` or `aws:PrincipalAccount` equal to the key's own account), with no `kms:ViaService` condition. Such a statement lets every role and user of the account use the key without any IAM policy granting it.

The usual account statement (`"Principal": {"AWS": "arn:aws:iam::<account>:root"}` with `kms:*`) is not a finding: it delegates to IAM, so principals still need an IAM policy that allows the key."#,
            why: r#"KMS asks the key policy first; how widely it opens the key is yours. A statement open to the whole account by condition skips IAM: a function with no KMS permissions at all, or a role created tomorrow, can decrypt. AWS managed keys use this pattern only together with `kms:ViaService`, which keeps use inside one service."#,
            unknown: r#"An account condition whose value cannot be known is read as pinning the account; a principal that cannot be known is left to kms-key-policy-public."#,
            fix_cloudformation: r#"Add `kms:ViaService`, or name the roles:

    Condition:
      StringEquals:
        kms:CallerAccount: !Ref AWS::AccountId
        kms:ViaService: !Sub 'secretsmanager.${AWS::Region}.amazonaws.com'"#,
            fix_cdk: r#"TypeScript:

    key.grantEncryptDecrypt(role);   // instead of a statement for new iam.AnyPrincipal()

Python:

    key.grant_encrypt_decrypt(role)"#,
            fix_terraform: r#"Add a `kms:ViaService` condition to the statement, or replace the `*` principal with role ARNs."#,
            fix_cli: r#"    aws kms put-key-policy --key-id 1234abcd-... --policy-name default --policy file://key-policy.json"#,
        },
        options: &[],
    },
    check,
};

const USE: &[&str] = &[
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:ReEncryptFrom",
    "kms:Sign",
];

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let Some(doc) = resource_doc(res) else { return };
    each_policy(
        ctx,
        res,
        &doc,
        "who the key policy lets use the key",
        |ctx, v, p| {
            for st in access(p, OWN_ACCOUNT).statements {
                if !st.access.contains(&Access::AccountOnly) {
                    continue;
                }
                let Some(stmt) = p.statements.get(st.statement) else {
                    continue;
                };
                let everyone = matches!(stmt.principal.as_ref().map(|p| &p.value), Some(incloud_iam::PrincipalValue::Any))
                || stmt.principal.as_ref().is_some_and(|p| matches!(&p.value, incloud_iam::PrincipalValue::Map(m) if m.iter().any(|(_, vals)| vals.iter().any(|x| x.as_known() == Some("*")))));
                if !everyone {
                    continue;
                }
                let via = stmt.condition.iter().any(|b| {
                    b.entries
                        .iter()
                        .any(|e| e.key.eq_ignore_ascii_case("kms:ViaService"))
                });
                if via {
                    continue;
                }
                let Some(action) = &stmt.action else { continue };
                let uses: Vec<&str> = USE
                    .iter()
                    .copied()
                    .filter(|u| {
                        let named = action
                            .values
                            .iter()
                            .any(|x| x.as_known().is_some_and(|a| action_covers(a, u)));
                        named != action.negated
                    })
                    .collect();
                if uses.is_empty() {
                    continue;
                }
                ctx.report(Report {
                resource: res,
                span: v.span_of(st.origin),
                path: format!("{}.Statement[{}]", doc.path, st.statement),
                condition: v.condition_of(st.statement),
                detail: Some(v.statement_label(st.statement)),
                message: format!(
                    "{} lets every principal of the account use the key ({}) without an IAM grant (limited only by {})",
                    v.statement_label(st.statement),
                    uses.join(", "),
                    st.limited_by.join(", ")
                ),
            });
            }
        },
    );
}
