//! `s3-bucket-cross-account-access`: bucket policies do not let other accounts change the bucket's
//! permissions or encryption.

use crate::iam_bridge::resource_doc;
use crate::rules::policy::{action_covers, each_policy, OWN_ACCOUNT};
use crate::{Ctx, Report, Rule};
use incloud_iam::{access, Access};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-S3-011",
        name: "s3-bucket-cross-account-access",
        severity: Severity::Medium,
        area: Area::IdentityAndAccess,
        title: "S3 bucket policies do not let other accounts manage the bucket",
        resource_types: &[s3::BUCKET_POLICY],
        controls: Controls {
            security_hub: &["S3.6"],
            aws_config: &["s3-bucket-blacklisted-actions-prohibited"],
            nist_800_53: &["CA-9(1)", "CM-2"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Reports bucket policy statements that grant principals of other AWS accounts (by account id, ARN, or an account-pinning condition naming another account) any of the actions Security Hub S3.6 names: `s3:DeleteBucketPolicy`, `s3:PutBucketAcl`, `s3:PutBucketPolicy`, `s3:PutEncryptionConfiguration` and `s3:PutObjectAcl` (directly or through wildcards such as `s3:*`). Read and write access to objects for other accounts is a normal sharing pattern and is not reported."#,
            why: r#"Which accounts may manage a bucket is yours to decide. An account that can rewrite the bucket policy or ACLs can give itself, or everyone, any access; one that can change default encryption can point it at a key you do not control."#,
            unknown: r#"A principal that cannot be known is reported by s3-bucket-policy-public at severity info. A principal built from the stack's own account is the bucket's account."#,
            fix_cloudformation: r#"Grant other accounts only the object actions they need:

    - Effect: Allow
      Principal: { AWS: arn:aws:iam::999988887777:role/reader }
      Action: [s3:GetObject]
      Resource: !Sub '${Bucket.Arn}/*'"#,
            fix_cdk: r#"TypeScript:

    bucket.grantRead(new iam.ArnPrincipal('arn:aws:iam::999988887777:role/reader'));

Python:

    bucket.grant_read(iam.ArnPrincipal("arn:aws:iam::999988887777:role/reader"))"#,
            fix_terraform: r#"List only object actions (`s3:GetObject`, `s3:PutObject`) in statements for other accounts' principals."#,
            fix_cli: r#"    aws s3api put-bucket-policy --bucket my-bucket --policy file://policy.json"#,
        },
        options: &[],
    },
    check,
};

const MANAGE: &[&str] = &[
    "s3:DeleteBucketPolicy",
    "s3:PutBucketAcl",
    "s3:PutBucketPolicy",
    "s3:PutEncryptionConfiguration",
    "s3:PutObjectAcl",
];

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let Some(doc) = resource_doc(res) else { return };
    each_policy(
        ctx,
        res,
        &doc,
        "which accounts the bucket policy lets in",
        |ctx, v, p| {
            for st in access(p, OWN_ACCOUNT).statements {
                let accounts: Vec<String> = st
                    .access
                    .iter()
                    .filter_map(|a| match a {
                        Access::CrossAccount(list) => Some(list.clone()),
                        _ => None,
                    })
                    .flatten()
                    .collect();
                if accounts.is_empty() {
                    continue;
                }
                let Some(action) = p
                    .statements
                    .get(st.statement)
                    .and_then(|s| s.action.as_ref())
                else {
                    continue;
                };
                let granted: Vec<&str> = MANAGE
                    .iter()
                    .copied()
                    .filter(|m| {
                        action
                            .values
                            .iter()
                            .any(|x| x.as_known().is_some_and(|a| action_covers(a, m)))
                            != action.negated
                    })
                    .collect();
                if granted.is_empty() {
                    continue;
                }
                ctx.report(Report {
                    resource: res,
                    span: v.span_of(st.origin),
                    path: format!("{}.Statement[{}]", doc.path, st.statement),
                    condition: v.condition_of(st.statement),
                    detail: Some(v.statement_label(st.statement)),
                    message: format!(
                        "{} lets {} manage the bucket ({})",
                        v.statement_label(st.statement),
                        accounts.join(", "),
                        granted.join(", ")
                    ),
                });
            }
        },
    );
}
