//! `bedrock-agent-cmk`: Bedrock agents encrypt their data with a customer managed KMS key.

use super::AGENT;
use crate::rules::{expect, Expect};
use crate::{Ctx, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-BEDROCK-003",
        name: "bedrock-agent-cmk",
        severity: Severity::Low,
        area: Area::DataAtRest,
        title: "Bedrock agents are encrypted with a customer managed KMS key",
        resource_types: &[AGENT],
        controls: Controls {
            checkov: &["CKV_AWS_373"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Reports every AWS::Bedrock::Agent without CustomerEncryptionKeyArn. Without it, Amazon Bedrock encrypts the agent's resources (its instruction, action groups, prompt overrides and stored session data) with a key AWS owns."#,
            why: r#"Encryption at rest happens either way; the customer key is what you control. With a key of your own you decide who may decrypt the agent's data (the key policy), every use of the key is in CloudTrail, and disabling or scheduling deletion of the key makes the data unreadable when the agent is retired. An agent's instruction and prompt templates often hold business rules and internal system descriptions, and its memory holds what users said to it."#,
            unknown: r#"A CustomerEncryptionKeyArn that cannot be known from the template (a parameter without a value, an import) is reported at severity info: some key is set, but which cannot be seen."#,
            fix_cloudformation: r#"    AgentKey:
      Type: AWS::KMS::Key
      Properties:
        EnableKeyRotation: true
        KeyPolicy: { ... }   # let the agent's role and bedrock.amazonaws.com use the key

    SupportAgent:
      Type: AWS::Bedrock::Agent
      Properties:
        AgentName: support
        FoundationModel: anthropic.claude-3-5-sonnet-20240620-v1:0
        AgentResourceRoleArn: !GetAtt AgentRole.Arn
        CustomerEncryptionKeyArn: !GetAtt AgentKey.Arn"#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2, L1 construct):

    const key = new kms.Key(this, 'AgentKey', { enableKeyRotation: true });
    new bedrock.CfnAgent(this, 'SupportAgent', {
      agentName: 'support',
      foundationModel: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
      agentResourceRoleArn: role.roleArn,
      customerEncryptionKeyArn: key.keyArn,
    });

Python:

    key = kms.Key(self, "AgentKey", enable_key_rotation=True)
    bedrock.CfnAgent(self, "SupportAgent", agent_name="support",
        foundation_model="anthropic.claude-3-5-sonnet-20240620-v1:0",
        agent_resource_role_arn=role.role_arn,
        customer_encryption_key_arn=key.key_arn)"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_bedrockagent_agent" "support" {
      agent_name                  = "support"
      foundation_model            = "anthropic.claude-3-5-sonnet-20240620-v1:0"
      agent_resource_role_arn     = aws_iam_role.agent.arn
      customer_encryption_key_arn = aws_kms_key.agent.arn
    }"#,
            fix_cli: r#"    aws bedrock-agent update-agent --agent-id AGENT12345 --agent-name support \
      --foundation-model anthropic.claude-3-5-sonnet-20240620-v1:0 \
      --agent-resource-role-arn arn:aws:iam::123456789012:role/support-agent \
      --customer-encryption-key-arn arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    aws bedrock-agent prepare-agent --agent-id AGENT12345"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let e = Expect::new(
        "Properties.CustomerEncryptionKeyArn",
        "The agent's KMS key",
        "no CustomerEncryptionKeyArn: the agent's data is encrypted with a key AWS owns, not one you control",
    );
    expect(
        ctx,
        res,
        &res.props.at(&["CustomerEncryptionKeyArn"]),
        &e,
        |n| {
            match n.as_str() {
            Some("") => Some(
                "CustomerEncryptionKeyArn is empty: the agent's data is encrypted with a key AWS owns".into(),
            ),
            _ => None,
        }
        },
    );
}
