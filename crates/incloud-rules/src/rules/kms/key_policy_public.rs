//! `kms-key-policy-public`: key policies do not let anyone use or manage the key.

use crate::rules::policy::{report_public, PUBLIC_UNKNOWN};
use crate::{Ctx, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-KMS-002",
        name: "kms-key-policy-public",
        severity: Severity::Critical,
        area: Area::DataAtRest,
        title: "KMS key policies do not grant access to everyone",
        resource_types: &["AWS::KMS::Key"],
        controls: Controls {
            security_hub: &["KMS.5"],
            aws_config: &["kms-key-policy-no-public-access"],
            checkov: &["CKV_AWS_33"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Reports key policy statements that allow every principal (`"Principal": "*"`, `{"AWS": "*"}`, `NotPrincipal`) with no condition that limits the caller to an account, an organization, a VPC endpoint or a source (`kms:CallerAccount`, `aws:PrincipalOrgID`, `aws:SourceVpce`, ...). `Resource: "*"` is how every key policy names its own key and is not a finding."#,
            why: r#"KMS enforces the key policy you write. A key open to every AWS account lets anyone decrypt data encrypted under it (or, for management actions, change the policy or schedule the key's deletion), which turns encryption at rest into a formality."#,
            unknown: PUBLIC_UNKNOWN,
            fix_cloudformation: r#"Name the principals, or pin `*` to your account:

    - Effect: Allow
      Principal: '*'
      Action: [kms:Decrypt, kms:GenerateDataKey]
      Resource: '*'
      Condition:
        StringEquals:
          kms:CallerAccount: !Ref AWS::AccountId
          kms:ViaService: !Sub 's3.${AWS::Region}.amazonaws.com'"#,
            fix_cdk: r#"Use grants instead of `new iam.AnyPrincipal()`:

TypeScript:

    key.grantDecrypt(role);

Python:

    key.grant_decrypt(role)"#,
            fix_terraform: r#"Replace `principals { type = "*" identifiers = ["*"] }` in the key's policy document with the roles that use the key, or add a `kms:CallerAccount` condition."#,
            fix_cli: r#"    aws kms put-key-policy --key-id 1234abcd-... --policy-name default --policy file://key-policy.json"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    report_public(ctx, res, "key");
}
