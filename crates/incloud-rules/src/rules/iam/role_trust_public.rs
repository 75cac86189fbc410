//! `iam-role-trust-public`: role trust policies do not let anyone assume the role.

use crate::iam_bridge::resource_doc;
use crate::rules::policy::{each_policy, report_public_doc, PUBLIC_UNKNOWN};
use crate::{Ctx, Report, Rule};
use incloud_iam::{Effect, PrincipalType, PrincipalValue};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-IAM-008",
        name: "iam-role-trust-public",
        severity: Severity::Critical,
        area: Area::IdentityAndAccess,
        title: "IAM role trust policies do not let anyone assume the role",
        resource_types: &["AWS::IAM::Role"],
        controls: Controls { ..Controls::NONE },
        docs: Docs {
            description: r#"Reports role trust policies with an Allow statement open to every principal (`"Principal": "*"` or `{"AWS": "*"}`, `NotPrincipal`) with no condition that limits who can call (an account, an organization, a source ARN or VPC endpoint). Also reported: trust in GitHub Actions' OIDC provider (`token.actions.githubusercontent.com`) without a condition on the `sub` claim, which lets any repository on GitHub assume the role."#,
            why: r#"STS issues credentials to whoever the trust policy names; naming them is yours. A role anyone can assume hands its permissions to every AWS account in the world; a GitHub OIDC trust without `sub` does the same for every GitHub repository. Both are found and exploited by scanning."#,
            unknown: PUBLIC_UNKNOWN,
            fix_cloudformation: r#"Name the principals and, for federation, the subject:

    AssumeRolePolicyDocument:
      Version: '2012-10-17'
      Statement:
        - Effect: Allow
          Principal:
            Federated: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com'
          Action: sts:AssumeRoleWithWebIdentity
          Condition:
            StringEquals:
              token.actions.githubusercontent.com:aud: sts.amazonaws.com
            StringLike:
              token.actions.githubusercontent.com:sub: repo:my-org/my-repo:ref:refs/heads/main"#,
            fix_cdk: r#"TypeScript:

    new iam.Role(this, 'Deploy', {
      assumedBy: new iam.WebIdentityPrincipal(provider.openIdConnectProviderArn, {
        StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
        StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:my-org/my-repo:*' },
      }),
    });

Python:

    iam.Role(self, "Deploy", assumed_by=iam.WebIdentityPrincipal(provider.open_id_connect_provider_arn, {
        "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
        "StringLike": {"token.actions.githubusercontent.com:sub": "repo:my-org/my-repo:*"},
    }))"#,
            fix_terraform: r#"In the aws_iam_policy_document of `assume_role_policy`, name `principals` and add a `condition` on `token.actions.githubusercontent.com:sub` for GitHub federation."#,
            fix_cli: r#"    aws iam update-assume-role-policy --role-name deploy --policy-document file://trust.json"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let Some(doc) = resource_doc(res) else { return };
    report_public_doc(ctx, res, &doc, "trust", None);
    each_policy(
        ctx,
        res,
        &doc,
        "who the trust policy lets in",
        |ctx, v, p| {
            for (i, st) in p.statements.iter().enumerate() {
                if st.effect != Effect::Allow {
                    continue;
                }
                let Some(PrincipalValue::Map(entries)) = st.principal.as_ref().map(|p| &p.value)
                else {
                    continue;
                };
                let github = entries.iter().any(|(ty, vals)| {
                *ty == PrincipalType::Federated
                    && vals.iter().any(|v| match v {
                        incloud_iam::PolicyStr::Known(s) => s.ends_with("token.actions.githubusercontent.com"),
                        incloud_iam::PolicyStr::Partial(parts) => parts.iter().any(|p| matches!(p, incloud_iam::StrPart::Lit(s) if s.ends_with("token.actions.githubusercontent.com"))),
                        incloud_iam::PolicyStr::Unknown(_) => false,
                    })
            });
                let has_sub = st.condition.iter().any(|b| {
                    b.entries.iter().any(|e| {
                        e.key
                            .eq_ignore_ascii_case("token.actions.githubusercontent.com:sub")
                    })
                });
                if github && !has_sub {
                    ctx.report(Report {
                    resource: res,
                    span: v.span_of(st.origin),
                    path: format!("{}.Statement[{i}]", doc.path),
                    condition: v.condition_of(i),
                    detail: Some(v.statement_label(i)),
                    message: format!(
                        "{} trusts GitHub Actions' OIDC provider with no condition on token.actions.githubusercontent.com:sub, so any GitHub repository can assume the role",
                        v.statement_label(i)
                    ),
                });
                }
            }
        },
    );
}
