//! `kms-key-separation-of-duties`: no principal both administers and uses a key.

use crate::iam_bridge::resource_doc;
use crate::rules::policy::each_policy;
use crate::{Ctx, Report, Rule};
use incloud_iam::kms_key_policy;
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-KMS-004",
        name: "kms-key-separation-of-duties",
        severity: Severity::Low,
        area: Area::DataAtRest,
        title: "KMS key policies separate key administrators from key users",
        resource_types: &["AWS::KMS::Key"],
        controls: Controls::NONE,
        docs: Docs {
            description: r#"Reports each principal that a key policy allows both to administer the key (`kms:PutKeyPolicy`, `kms:ScheduleKeyDeletion`, `kms:DisableKey`, `kms:CreateGrant`, ...) and to use it for cryptography (`kms:Decrypt`, `kms:Encrypt`, `kms:GenerateDataKey`, ...). The account statement (`arn:aws:iam::<account>:root` with `kms:*`), which delegates the key to IAM, is not counted as a principal, nor is `*` (who everyone may be is kms-key-policy-public's concern). Grant management alone (`kms:CreateGrant`, `kms:ListGrants`, `kms:RevokeGrant`) does not make a key user an administrator: AWS's default key policy gives it to key users so that AWS services can use the key on their behalf."#,
            why: r#"KMS enforces whatever split of duties the key policy writes down. A principal that can both change the key policy and decrypt can grant itself any access and cover its tracks; one that can both schedule deletion and use the key can destroy the data it processes. Separating administrators from users means one compromised identity cannot do both."#,
            unknown: r#"Principals that cannot be known are grouped under their reference (`<AdminRole.Arn>`); actions that cannot be known are not counted."#,
            fix_cloudformation: r#"Give administrators and users separate statements and principals:

    - Sid: Admins
      Effect: Allow
      Principal: { AWS: !GetAtt KeyAdminRole.Arn }
      Action: [kms:Create*, kms:Describe*, kms:Enable*, kms:List*, kms:Put*, kms:Update*, kms:Revoke*, kms:Disable*, kms:Get*, kms:Delete*, kms:ScheduleKeyDeletion, kms:CancelKeyDeletion]
      Resource: '*'
    - Sid: Users
      Effect: Allow
      Principal: { AWS: !GetAtt AppRole.Arn }
      Action: [kms:Decrypt, kms:GenerateDataKey]
      Resource: '*'"#,
            fix_cdk: r#"TypeScript:

    new kms.Key(this, 'Key', { admins: [adminRole] });
    key.grantEncryptDecrypt(appRole);

Python:

    key = kms.Key(self, "Key", admins=[admin_role])
    key.grant_encrypt_decrypt(app_role)"#,
            fix_terraform: r#"Write separate statements for the administrator and the user roles in the key's policy document."#,
            fix_cli: r#"    aws kms put-key-policy --key-id 1234abcd-... --policy-name default --policy file://key-policy.json"#,
        },
        options: &[],
    },
    check,
};

const GRANT_ACTIONS: &[&str] = &["kms:CreateGrant", "kms:RevokeGrant", "kms:ListGrants"];

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let Some(doc) = resource_doc(res) else { return };
    each_policy(
        ctx,
        res,
        &doc,
        "who administers and uses the key",
        |ctx, v, p| {
            for f in kms_key_policy(p).separation_of_duties {
                // Everyone (`*`) is kms-key-policy-public's and kms-key-policy-account-wide's concern, not
                // one identity holding two roles.
                if f.principal == "*" {
                    continue;
                }
                // Key users in AWS's default key policy may create, list and revoke grants (for AWS
                // services that use the key on their behalf): that is use, not administration.
                if f.admin_actions.iter().all(|a| GRANT_ACTIONS.contains(a)) {
                    continue;
                }
                let first = f.statements.first().copied().unwrap_or(p.origin);
                let index = p
                    .statements
                    .iter()
                    .position(|s| s.origin == first)
                    .unwrap_or(0);
                let list = |v: &[&str]| {
                    if v.len() <= 4 {
                        v.join(", ")
                    } else {
                        format!("{} and {} more", v[..3].join(", "), v.len() - 3)
                    }
                };
                ctx.report(Report {
                    resource: res,
                    span: v.span_of(first),
                    path: format!("{}.Statement[{index}]", doc.path),
                    condition: v.condition_of(index),
                    detail: Some(f.principal.clone()),
                    message: format!(
                        "{} can both administer the key ({}) and use it ({})",
                        f.principal,
                        list(&f.admin_actions),
                        list(&f.use_actions)
                    ),
                });
            }
        },
    );
}
