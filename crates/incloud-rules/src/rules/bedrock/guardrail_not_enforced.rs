//! `bedrock-guardrail-not-enforced`: identity policies that allow model invocation require a guardrail.

use super::{denies_without_guardrail, invocation_statements, requires_guardrail};
use crate::iam_bridge::{identity_docs, IDENTITY_TYPES};
use crate::rules::policy::each_policy;
use crate::{Ctx, Report, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-BEDROCK-002",
        name: "bedrock-guardrail-not-enforced",
        severity: Severity::Medium,
        area: Area::AiSafety,
        title: "IAM policies allow Bedrock model invocation only with a guardrail",
        resource_types: IDENTITY_TYPES,
        controls: Controls::NONE,
        docs: Docs {
            description: r#"Reports each Allow statement of an identity-based policy (inline in a role, user or group, AWS::IAM::Policy, AWS::IAM::ManagedPolicy, and the roles SAM generates) whose Action grants model invocation — `bedrock:InvokeModel`, `bedrock:InvokeModelWithResponseStream` (which also authorise Converse and ConverseStream), or a pattern such as `bedrock:Invoke*` or `bedrock:*` — without a condition that requires a guardrail: `bedrock:GuardrailIdentifier` compared with StringEquals, StringLike, ArnEquals or ArnLike, or required present with `"Null": {"bedrock:GuardrailIdentifier": "false"}`. A Deny in the same document that takes invocation away when no guardrail is named (`"Null": {"bedrock:GuardrailIdentifier": "true"}`, or StringNotEquals/ArnNotEquals on the key) also satisfies the rule. One finding per statement, at the statement.

A statement whose resources are all embedding models (`foundation-model/amazon.titan-embed-text-v2:0`, `cohere.embed-*`) is not reported: guardrails screen text generation and do not apply to embeddings.

`Action: "*"` is the concern of iam-admin-access and iam-wildcard-permission, and is not reported here."#,
            why: r#"A guardrail filters what goes into and comes out of a model: denied topics, harmful content, prompt attacks, personal data. Creating one protects nothing unless every call names it, and naming it is up to the caller: code that omits `guardrailIdentifier` (a bug, a new code path, injected code using the role's credentials) gets unfiltered output. With the condition in the policy, Bedrock refuses invocations that do not apply the guardrail, so the guardrail is enforced by IAM rather than by convention."#,
            unknown: r#"A policy document that cannot be known from the template is reported at severity info. A statement whose Action cannot be known is not judged. A GuardrailIdentifier condition whose value cannot be known (a parameter, a reference to a guardrail of the stack) still requires a guardrail and passes. A condition under `IfExists` does not count: it passes when the call names no guardrail."#,
            fix_cloudformation: r#"    InvokeModelPolicy:
      Type: AWS::IAM::Policy
      Properties:
        PolicyName: invoke-model-with-guardrail
        Roles: [!Ref FunctionRole]
        PolicyDocument:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Action: [bedrock:InvokeModel, bedrock:InvokeModelWithResponseStream]
              Resource: !Sub arn:${AWS::Partition}:bedrock:${AWS::Region}::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0
              Condition:
                StringEquals:
                  bedrock:GuardrailIdentifier: !Sub "${Guardrail.GuardrailArn}:${GuardrailVersion.Version}"
            - Effect: Allow
              Action: bedrock:ApplyGuardrail
              Resource: !GetAtt Guardrail.GuardrailArn"#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    fn.addToRolePolicy(new iam.PolicyStatement({
      actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      resources: [modelArn],
      conditions: { StringEquals: { 'bedrock:GuardrailIdentifier': `${guardrail.attrGuardrailArn}:${version.attrVersion}` } },
    }));

Python:

    fn.add_to_role_policy(iam.PolicyStatement(
        actions=["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
        resources=[model_arn],
        conditions={"StringEquals": {"bedrock:GuardrailIdentifier": f"{guardrail.attr_guardrail_arn}:{version.attr_version}"}}))"#,
            fix_terraform: r#"With AWS provider v5:

    data "aws_iam_policy_document" "invoke" {
      statement {
        actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
        resources = [data.aws_bedrock_foundation_model.claude.model_arn]
        condition {
          test     = "StringEquals"
          variable = "bedrock:GuardrailIdentifier"
          values   = ["${aws_bedrock_guardrail.app.guardrail_arn}:${aws_bedrock_guardrail_version.app.version}"]
        }
      }
    }"#,
            fix_cli: r#"Write the statement with the condition into the role's policy:

    aws iam put-role-policy --role-name app-function --policy-name invoke-model \
      --policy-document file://invoke-model-with-guardrail.json

and pass the guardrail on every call (`--guardrail-identifier` and `--guardrail-version` for
`aws bedrock-runtime invoke-model`, `guardrailConfig` for Converse)."#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    for doc in identity_docs(res) {
        each_policy(
            ctx,
            res,
            &doc,
            "whether the policy requires a Bedrock guardrail",
            |ctx, v, p| {
                if p.statements.iter().any(denies_without_guardrail) {
                    return;
                }
                for (index, action) in invocation_statements(p) {
                    let Some(st) = p.statements.get(index) else {
                        continue;
                    };
                    if requires_guardrail(st) {
                        continue;
                    }
                    let label = v.statement_label(index);
                    let written = v.statements.get(index).map_or(index, |s| s.written_index);
                    ctx.report(Report {
                        resource: res,
                        span: v.span_of(st.origin),
                        path: format!("{}.Statement[{written}]", doc.path),
                        condition: v.condition_of(index),
                        detail: Some(label.clone()),
                        message: match if_exists_operator(st) {
                            Some(op) => format!(
                                "{label} allows {action} under {op} on bedrock:GuardrailIdentifier, which passes when the call names no guardrail: such calls get unfiltered model output"
                            ),
                            None => format!(
                                "{label} allows {action} with no bedrock:GuardrailIdentifier condition: calls that name no guardrail get unfiltered model output"
                            ),
                        },
                    });
                }
            },
        );
    }
}

/// The `…IfExists` operator that compares the guardrail key in a statement, if one does.
fn if_exists_operator(st: &incloud_iam::Statement) -> Option<String> {
    st.condition
        .iter()
        .find(|b| {
            b.operator.if_exists
                && b.entries
                    .iter()
                    .any(|e| e.key.eq_ignore_ascii_case(super::GUARDRAIL_KEY))
        })
        .map(|b| b.operator.name())
}
