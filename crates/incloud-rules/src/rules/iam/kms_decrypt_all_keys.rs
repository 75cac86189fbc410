//! `iam-kms-decrypt-all-keys`: identity policies do not allow decrypting with every KMS key.

use crate::iam_bridge::{identity_docs, IDENTITY_TYPES};
use crate::rules::policy::each_policy;
use crate::{Ctx, Report, Rule};
use incloud_iam::{evaluate, Context, Decision, NamedPolicy, PolicySet, Principal, Request};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-IAM-011",
        name: "iam-kms-decrypt-all-keys",
        severity: Severity::Medium,
        area: Area::IdentityAndAccess,
        title: "IAM policies do not allow decryption with every KMS key",
        resource_types: IDENTITY_TYPES,
        controls: Controls {
            security_hub: &["KMS.1", "KMS.2"],
            aws_config: &[
                "iam-customer-policy-blocked-kms-actions",
                "iam-inline-policy-blocked-kms-actions",
            ],
            nist_800_53: &[
                "AC-2", "AC-2(1)", "AC-3", "AC-3(15)", "AC-3(7)", "AC-5", "AC-6", "AC-6(3)",
            ],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Reports identity-based policies that allow `kms:Decrypt` or `kms:ReEncryptFrom` on every KMS key: the evaluator is asked whether the policy allows the action on a key no policy names, with no request context. `"Resource": "*"`, `arn:aws:kms:*:*:key/*` and the like are findings; a key's ARN, a reference to a key of the template, or a condition such as `kms:ViaService` is not."#,
            why: r#"KMS enforces key policies and IAM policies; which keys a principal may decrypt with is your grant. A principal allowed to decrypt with every key can read every encrypted secret, parameter, snapshot and object whose key policy delegates to IAM (the default), which undoes the separation that per-purpose keys provide."#,
            unknown: r#"A resource that cannot be known (a parameter, an import) does not match the probe and is not reported. A document that cannot be known is reported at severity info."#,
            fix_cloudformation: r#"    - Effect: Allow
      Action: kms:Decrypt
      Resource: !GetAtt DataKey.Arn"#,
            fix_cdk: r#"TypeScript:

    key.grantDecrypt(fn);

Python:

    key.grant_decrypt(fn)"#,
            fix_terraform: r#"    statement {
      actions   = ["kms:Decrypt"]
      resources = [aws_kms_key.data.arn]
    }"#,
            fix_cli: r#"    aws iam put-role-policy --role-name app --policy-name kms --policy-document file://kms-scoped.json"#,
        },
        options: &[],
    },
    check,
};

const BLOCKED: &[&str] = &["kms:Decrypt", "kms:ReEncryptFrom"];

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    for doc in identity_docs(res) {
        each_policy(
            ctx,
            res,
            &doc,
            "which KMS keys the policy allows decrypting with",
            |ctx, v, p| {
                let set = PolicySet {
                    identity: vec![NamedPolicy {
                        label: "p".into(),
                        policy: p.clone(),
                    }],
                    ..PolicySet::default()
                };
                for action in BLOCKED {
                    let request = Request {
                    principal: Principal::aws("arn:aws:iam::111111111111:role/incloud-probe"),
                    action: action.to_string(),
                    resource: "arn:aws:kms:us-east-1:111111111111:key/00000000-0000-0000-0000-incloudprobe".into(),
                    resource_account: None,
                    context: Context::new(),
                };
                    let eval = evaluate(&set, &request);
                    if eval.decision != Decision::Allowed {
                        continue;
                    }
                    let Some(m) = eval.statements.first() else {
                        continue;
                    };
                    ctx.report(Report {
                        resource: res,
                        span: v.span_of(m.origin),
                        path: format!("{}.Statement[{}]", doc.path, m.index),
                        condition: v.condition_of(m.index),
                        detail: Some(format!("Action::{action}")),
                        message: format!(
                            "{} allows {action} with every KMS key",
                            v.statement_label(m.index)
                        ),
                    });
                }
            },
        );
    }
}
