//! `cfn-stack-termination-protection`: CDK stacks are deployed with termination protection.

use crate::{Ctx, Report, Rule, STACK};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-CFN-002",
        name: "cfn-stack-termination-protection",
        severity: Severity::Low,
        area: Area::Resilience,
        title: "CDK stacks are deployed with termination protection",
        resource_types: &[STACK],
        controls: Controls {
            aws_config: &["cloudformation-termination-protection-check"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks, for each stack of a CDK cloud assembly, that the assembly manifest enables termination protection (the stack's terminationProtection property). Termination protection is a setting of the deployed stack, not of its template, so plain CloudFormation and SAM templates, and nested stacks (which follow their root stack), are not checked."#,
            why: r#"Deleting a stack deletes every resource in it whose DeletionPolicy is not Retain: a `cdk destroy` or `aws cloudformation delete-stack` run against the wrong account or stack name removes databases, buckets and keys in one step. Termination protection makes CloudFormation refuse the deletion until someone deliberately turns it off, which turns a slip into a two-step decision."#,
            unknown: r#"Not applicable: the manifest says true or false. Templates read without a manifest have no such setting and are not reported."#,
            fix_cloudformation: r#"Termination protection is set on the stack, not in the template:

    aws cloudformation create-stack --stack-name orders --template-body file://template.yaml \
      --enable-termination-protection"#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    new OrdersStack(app, 'Orders', { terminationProtection: true });

Python:

    OrdersStack(app, "Orders", termination_protection=True)"#,
            fix_terraform: r#"With AWS provider v5, for stacks Terraform deploys:

    resource "aws_cloudformation_stack" "orders" {
      name          = "orders"
      template_body = file("template.yaml")
      # Terraform has no termination protection argument; protect the stack with
      lifecycle {
        prevent_destroy = true
      }
    }"#,
            fix_cli: r#"    aws cloudformation update-termination-protection --stack-name orders \
      --enable-termination-protection"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    if ctx.stack.termination_protection != Some(false) {
        return;
    }
    ctx.report(Report {
        resource: res,
        span: res.span,
        path: "terminationProtection".into(),
        condition: None,
        detail: None,
        message: format!(
            "the cloud assembly deploys stack {} without termination protection: one delete-stack removes every resource that is not retained",
            res.id
        ),
    });
}
