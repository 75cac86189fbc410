//! `ecr-repository-policy-public`: ECR repository policies do not grant access to everyone.

use crate::rules::policy::{report_public, PUBLIC_UNKNOWN};
use crate::{Ctx, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-ECR-001",
        name: "ecr-repository-policy-public",
        severity: Severity::High,
        area: Area::IdentityAndAccess,
        title: "ECR repository policies do not grant access to everyone",
        resource_types: &["AWS::ECR::Repository"],
        controls: Controls { ..Controls::NONE },
        docs: Docs {
            description: r#"Reports repository policy statements that allow every principal (`"Principal": "*"`, `{"AWS": "*"}`, `NotPrincipal`) with no condition that limits the caller to an account, an organization, a VPC endpoint or a source (`aws:SourceArn`, `aws:SourceAccount`, `aws:PrincipalOrgID`, `aws:SourceVpce`, a private `aws:SourceIp` range, ...). Conditions anyone can meet, such as `aws:SecureTransport`, do not count."#,
            why: r#"ECR serves images to whoever the repository policy allows. A public statement lets anyone pull your images (and the secrets or internal code baked into them), or with push actions replace them with images your services then run. Public images belong in ECR Public."#,
            unknown: PUBLIC_UNKNOWN,
            fix_cloudformation: r#"    RepositoryPolicyText:
      Version: '2012-10-17'
      Statement:
        - Effect: Allow
          Principal: { AWS: arn:aws:iam::999988887777:root }
          Action: [ecr:BatchGetImage, ecr:GetDownloadUrlForLayer]"#,
            fix_cdk: r#"TypeScript:

    repository.grantPull(new iam.AccountPrincipal('999988887777'));

Python:

    repository.grant_pull(iam.AccountPrincipal("999988887777"))"#,
            fix_terraform: r#"Name accounts or roles in aws_ecr_repository_policy instead of principals { type = "*" }, or add an aws:PrincipalOrgID condition."#,
            fix_cli: r#"    aws ecr set-repository-policy --repository-name app --policy-text file://policy.json"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    report_public(ctx, res, "repository");
}
