//! `bedrock-guardrail-missing`: Bedrock agents and the stacks that invoke models use a guardrail.

use super::{
    invocation_statements, mentions_guardrail, names_guardrail, AGENT, GUARDRAIL, GUARDRAIL_VERSION,
};
use crate::iam_bridge::identity_docs;
use crate::rules::{expect, Expect};
use crate::{Ctx, Report, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-BEDROCK-001",
        name: "bedrock-guardrail-missing",
        severity: Severity::Medium,
        area: Area::AiSafety,
        title: "Bedrock agents and model invocations use a guardrail",
        resource_types: &[
            AGENT,
            "AWS::IAM::Role",
            "AWS::IAM::User",
            "AWS::IAM::Group",
            "AWS::IAM::Policy",
            "AWS::IAM::ManagedPolicy",
        ],
        controls: Controls {
            checkov: &["CKV_AWS_383"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Reports two things:

- every AWS::Bedrock::Agent without GuardrailConfiguration.GuardrailIdentifier;
- every identity (a role, user, group, AWS::IAM::Policy or AWS::IAM::ManagedPolicy, including the roles SAM generates) whose policies allow model invocation (`bedrock:InvokeModel`, `bedrock:InvokeModelWithResponseStream`, `bedrock:Converse*`, or a pattern such as `bedrock:*`), in a stack that neither defines a guardrail (AWS::Bedrock::Guardrail, AWS::Bedrock::GuardrailVersion) nor refers to one anywhere: no policy statement allows `bedrock:ApplyGuardrail` or conditions on `bedrock:GuardrailIdentifier`, and no property, environment variable or parameter value names a guardrail. One finding per identity, at its first statement that allows invocation.

A statement whose resources are all embedding models (`foundation-model/amazon.titan-embed-text-v2:0`, `cohere.embed-*`) is not reported: guardrails screen text generation and do not apply to embeddings.

Whether each call applies the guardrail is decided in code; bedrock-guardrail-not-enforced checks that IAM requires it."#,
            why: r#"Model safety is the customer's half of the shared responsibility model for generative AI: AWS runs the model, you decide what it may be asked and what it may answer. A guardrail blocks denied topics, harmful content, prompt attacks and personal data in both directions, and its interventions are logged. An application that invokes models with no guardrail at all passes whatever users (or documents an agent retrieves) send straight to the model, and returns whatever it says. For an agent, which acts with its role's permissions, unfiltered prompt injection turns into actions."#,
            unknown: r#"A GuardrailIdentifier that cannot be known from the template (a parameter without a value, an import) names some guardrail and passes. A policy document that cannot be known is not read for invocation grants. A guardrail created outside the stack and named only inside the function's code cannot be seen: suppress the finding with that reason, or pass the guardrail to the code through an environment variable (`GUARDRAIL_ID`), which the rule recognises."#,
            fix_cloudformation: r#"    Guardrail:
      Type: AWS::Bedrock::Guardrail
      Properties:
        Name: support-guardrail
        BlockedInputMessaging: Sorry, I can't help with that.
        BlockedOutputsMessaging: Sorry, I can't help with that.
        ContentPolicyConfig:
          FiltersConfig:
            - { Type: PROMPT_ATTACK, InputStrength: HIGH, OutputStrength: NONE }
            - { Type: HATE, InputStrength: HIGH, OutputStrength: HIGH }
        SensitiveInformationPolicyConfig:
          PiiEntitiesConfig:
            - { Type: EMAIL, Action: ANONYMIZE }

    GuardrailVersion:
      Type: AWS::Bedrock::GuardrailVersion
      Properties:
        GuardrailIdentifier: !GetAtt Guardrail.GuardrailId

    SupportAgent:
      Type: AWS::Bedrock::Agent
      Properties:
        # ...
        GuardrailConfiguration:
          GuardrailIdentifier: !GetAtt Guardrail.GuardrailId
          GuardrailVersion: !GetAtt GuardrailVersion.Version

For a function that calls InvokeModel or Converse, pass the guardrail to it (`GUARDRAIL_ID: !GetAtt Guardrail.GuardrailId` in its environment) and name it on every call."#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2, L1 constructs):

    const guardrail = new bedrock.CfnGuardrail(this, 'Guardrail', {
      name: 'support-guardrail',
      blockedInputMessaging: "Sorry, I can't help with that.",
      blockedOutputsMessaging: "Sorry, I can't help with that.",
      contentPolicyConfig: { filtersConfig: [{ type: 'PROMPT_ATTACK', inputStrength: 'HIGH', outputStrength: 'NONE' }] },
    });
    const version = new bedrock.CfnGuardrailVersion(this, 'GuardrailVersion', { guardrailIdentifier: guardrail.attrGuardrailId });
    new bedrock.CfnAgent(this, 'SupportAgent', {
      // ...
      guardrailConfiguration: { guardrailIdentifier: guardrail.attrGuardrailId, guardrailVersion: version.attrVersion },
    });
    fn.addEnvironment('GUARDRAIL_ID', guardrail.attrGuardrailId);

Python:

    guardrail = bedrock.CfnGuardrail(self, "Guardrail", name="support-guardrail",
        blocked_input_messaging="Sorry, I can't help with that.",
        blocked_outputs_messaging="Sorry, I can't help with that.",
        content_policy_config=bedrock.CfnGuardrail.ContentPolicyConfigProperty(filters_config=[
            bedrock.CfnGuardrail.ContentFilterConfigProperty(type="PROMPT_ATTACK", input_strength="HIGH", output_strength="NONE")]))
    version = bedrock.CfnGuardrailVersion(self, "GuardrailVersion", guardrail_identifier=guardrail.attr_guardrail_id)
    bedrock.CfnAgent(self, "SupportAgent", ...,
        guardrail_configuration=bedrock.CfnAgent.GuardrailConfigurationProperty(
            guardrail_identifier=guardrail.attr_guardrail_id, guardrail_version=version.attr_version))"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_bedrock_guardrail" "support" {
      name                      = "support-guardrail"
      blocked_input_messaging   = "Sorry, I can't help with that."
      blocked_outputs_messaging = "Sorry, I can't help with that."
      content_policy_config {
        filters_config {
          type            = "PROMPT_ATTACK"
          input_strength  = "HIGH"
          output_strength = "NONE"
        }
      }
    }

    resource "aws_bedrockagent_agent" "support" {
      # ...
      guardrail_configuration {
        guardrail_identifier = aws_bedrock_guardrail.support.guardrail_id
        guardrail_version    = aws_bedrock_guardrail.support.version
      }
    }"#,
            fix_cli: r#"    aws bedrock create-guardrail --name support-guardrail \
      --blocked-input-messaging "Sorry, I can't help with that." \
      --blocked-outputs-messaging "Sorry, I can't help with that." \
      --content-policy-config 'filtersConfig=[{type=PROMPT_ATTACK,inputStrength=HIGH,outputStrength=NONE}]'
    aws bedrock create-guardrail-version --guardrail-identifier gr-abc123
    aws bedrock-agent update-agent --agent-id AGENT12345 ... \
      --guardrail-configuration guardrailIdentifier=gr-abc123,guardrailVersion=1"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    if res.rtype == AGENT {
        let e = Expect::new(
            "Properties.GuardrailConfiguration.GuardrailIdentifier",
            "The agent's guardrail",
            "no GuardrailConfiguration: the agent's sessions are not screened by a Bedrock guardrail",
        );
        expect(
            ctx,
            res,
            &res.props
                .at(&["GuardrailConfiguration", "GuardrailIdentifier"]),
            &e,
            |n| {
                match n.as_str() {
                Some("") => Some("GuardrailIdentifier is empty: the agent's sessions are not screened by a Bedrock guardrail".into()),
                _ => None,
            }
            },
        );
        return;
    }
    // The first statement of this identity that allows invocation.
    let mut first = None;
    for doc in identity_docs(res) {
        let variants = ctx.policy(doc.node, doc.kind);
        for v in variants.iter() {
            let Ok(p) = &v.policy else { continue };
            if let Some((index, action)) = invocation_statements(p).into_iter().next() {
                if first.is_none() {
                    let written = v.statements.get(index).map_or(index, |s| s.written_index);
                    first = Some(Report {
                        resource: res,
                        span: p
                            .statements
                            .get(index)
                            .map_or(v.span, |st| v.span_of(st.origin)),
                        path: format!("{}.Statement[{written}]", doc.path),
                        condition: v.condition_of(index),
                        detail: None,
                        message: format!(
                            "{} allows {action}, and the stack neither defines a Bedrock guardrail (AWS::Bedrock::Guardrail) nor refers to one: model input and output are not screened",
                            v.statement_label(index)
                        ),
                    });
                }
            }
        }
    }
    let Some(report) = first else { return };
    if !stack_has_guardrail(ctx) {
        ctx.report(report);
    }
}

/// Whether the stack defines a guardrail, or refers to one anywhere: in a property (a guardrail ARN, an
/// environment variable `GUARDRAIL_ID`, an agent's `GuardrailConfiguration`) or in an identity policy
/// (`bedrock:ApplyGuardrail`, a `bedrock:GuardrailIdentifier` condition).
fn stack_has_guardrail(ctx: &Ctx<'_>) -> bool {
    let stack = ctx.stack;
    if stack.of_type(GUARDRAIL).next().is_some()
        || stack.of_type(GUARDRAIL_VERSION).next().is_some()
    {
        return true;
    }
    for r in &stack.resources {
        let docs = identity_docs(r);
        if docs.is_empty() {
            if names_guardrail(&r.props) {
                return true;
            }
            continue;
        }
        for doc in docs {
            let variants = ctx.policy(doc.node, doc.kind);
            let mentions = variants.iter().any(|v| {
                v.policy
                    .as_ref()
                    .is_ok_and(|p| p.statements.iter().any(mentions_guardrail))
            });
            if mentions {
                return true;
            }
        }
    }
    false
}
