//! `secretsmanager-policy-public`: Secrets Manager resource policies do not grant access to everyone.

use crate::rules::policy::{report_public, PUBLIC_UNKNOWN};
use crate::{Ctx, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-SM-010",
        name: "secretsmanager-policy-public",
        severity: Severity::High,
        area: Area::IdentityAndAccess,
        title: "Secrets Manager resource policies do not grant access to everyone",
        resource_types: &["AWS::SecretsManager::ResourcePolicy"],
        controls: Controls { ..Controls::NONE },
        docs: Docs {
            description: r#"Reports secret policy statements that allow every principal (`"Principal": "*"`, `{"AWS": "*"}`, `NotPrincipal`) with no condition that limits the caller to an account, an organization, a VPC endpoint or a source (`aws:SourceArn`, `aws:SourceAccount`, `aws:PrincipalOrgID`, `aws:SourceVpce`, a private `aws:SourceIp` range, ...). Conditions anyone can meet, such as `aws:SecureTransport`, do not count."#,
            why: r#"Secrets Manager returns the secret to whoever its resource policy allows (and whose KMS key policy lets them decrypt). A public statement on a secret hands out credentials. With `BlockPublicPolicy: true` Secrets Manager refuses such a policy, so the rule does not report it."#,
            unknown: PUBLIC_UNKNOWN,
            fix_cloudformation: r#"    SecretPolicy:
      Type: AWS::SecretsManager::ResourcePolicy
      Properties:
        SecretId: !Ref Secret
        BlockPublicPolicy: true
        ResourcePolicy:
          Version: '2012-10-17'
          Statement:
            - Effect: Allow
              Principal: { AWS: !GetAtt AppRole.Arn }
              Action: secretsmanager:GetSecretValue
              Resource: '*'"#,
            fix_cdk: r#"TypeScript:

    secret.grantRead(appRole);

Python:

    secret.grant_read(app_role)"#,
            fix_terraform: r#"Name the roles in aws_secretsmanager_secret_policy and set block_public_policy = true."#,
            fix_cli: r#"    aws secretsmanager put-resource-policy --secret-id app --resource-policy file://policy.json --block-public-policy"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    // Secrets Manager refuses a policy that would make the secret public when BlockPublicPolicy is set.
    if matches!(
        res.props
            .at(&["BlockPublicPolicy"])
            .known()
            .map(|n| n.bool_value()),
        Some(V::Known(true, _))
    ) {
        return;
    }
    report_public(ctx, res, "secret");
}
