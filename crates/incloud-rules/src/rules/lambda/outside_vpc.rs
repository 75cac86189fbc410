//! `lambda-outside-vpc`: Lambda functions run in a VPC of the customer's.

use super::FUNCTION;
use crate::{Ctx, Report, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-LAMBDA-001",
        name: "lambda-outside-vpc",
        severity: Severity::Low,
        area: Area::Network,
        title: "Lambda functions are connected to a VPC",
        resource_types: &[FUNCTION],
        controls: Controls {
            security_hub: &["Lambda.3"],
            aws_config: &["lambda-inside-vpc"],
            nist_800_53: &[
                "AC-21", "AC-3", "AC-3(7)", "AC-4", "AC-4(21)", "AC-6", "SC-7", "SC-7(11)",
                "SC-7(16)", "SC-7(20)", "SC-7(21)", "SC-7(3)", "SC-7(4)", "SC-7(9)",
            ],
            pci_dss: &[
                "PCI DSS v3.2.1 1.2.1",
                "PCI DSS v3.2.1 1.3.1",
                "PCI DSS v3.2.1 1.3.2",
                "PCI DSS v3.2.1 1.3.4",
            ],
            hipaa: &[
                "164.308(a)(3)(i)",
                "164.308(a)(4)(ii)(A)",
                "164.308(a)(4)(ii)(C)",
                "164.312(a)(1)",
                "164.312(e)(1)",
            ],
            cdk_nag: &[
                "NIST.800.53.R5-LambdaInsideVPC",
                "HIPAA.Security-LambdaInsideVPC",
                "PCI.DSS.321-LambdaInsideVPC",
            ],
            cfn_nag: &["W89"],
            checkov: &["CKV_AWS_117"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that every AWS::Lambda::Function (SAM's AWS::Serverless::Function included, after the transform) has a VpcConfig with at least one subnet in SubnetIds. Functions the CDK framework adds on its own (custom-resource providers, log retention, bucket deployments) are marked as CDK-internal in the findings.

Lambda@Edge functions cannot be connected to a VPC and are not reported: a function is taken to be one when a CloudFront distribution of the same stack lists it, or a version that names it (FunctionName), in LambdaFunctionAssociations."#,
            why: r#"A function without VpcConfig runs in a network AWS manages: it reaches the internet and every public AWS endpoint directly, and none of your network controls apply to it. Your security groups cannot limit where it connects, VPC flow logs do not record its traffic, VPC endpoint policies and Network Firewall rules do not see it, and a compromised dependency can send data anywhere.

Connected to private subnets, the function's traffic goes through network controls you own, and it can reach databases and internal services without those being exposed. Many functions (event glue that only calls AWS APIs) legitimately run outside a VPC: suppress the finding for them with that reason."#,
            unknown: r#"A VpcConfig or SubnetIds that cannot be known (an import, a parameter without a value) is reported at severity info, saying why."#,
            fix_cloudformation: r#"    Function:
      Type: AWS::Lambda::Function
      Properties:
        # ...
        VpcConfig:
          SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
          SecurityGroupIds: [!Ref FunctionSecurityGroup]

The execution role needs the AWSLambdaVPCAccessExecutionRole managed policy (or its ec2:CreateNetworkInterface permissions). In SAM, VpcConfig can go under Globals.Function for every function."#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    new lambda.Function(this, 'Handler', {
      runtime, handler, code,
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [handlerSecurityGroup],
    });

Python:

    lambda_.Function(self, "Handler", runtime=runtime, handler=handler, code=code,
        vpc=vpc,
        vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
        security_groups=[handler_security_group])"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_lambda_function" "handler" {
      # ...
      vpc_config {
        subnet_ids         = [aws_subnet.private_a.id, aws_subnet.private_b.id]
        security_group_ids = [aws_security_group.handler.id]
      }
    }"#,
            fix_cli: r#"    aws lambda update-function-configuration --function-name my-function \
      --vpc-config SubnetIds=subnet-0123456789abcdef0,subnet-0fedcba9876543210,SecurityGroupIds=sg-0123456789abcdef0"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    if lambda::is_edge_function(ctx.stack, res) {
        return; // Lambda@Edge runs at CloudFront locations and cannot be connected to a VPC
    }
    let value = res.props.at(&["VpcConfig", "SubnetIds"]);
    for leaf in value.leaves() {
        let r = |message: String| Report {
            resource: res,
            span: leaf.span,
            path: "Properties.VpcConfig.SubnetIds".into(),
            condition: leaf.condition(),
            detail: None,
            message,
        };
        match leaf.val {
            LeafVal::Known(list) => {
                let empty = match &list.val {
                    Val::Seq(items) => items.is_empty(),
                    Val::Str(s) => s.trim().is_empty(),
                    Val::Null => true,
                    _ => false, // a reference or a partly known value names subnets
                };
                if empty {
                    ctx.report(r("VpcConfig.SubnetIds is empty: the function is not connected to a VPC, so its traffic is outside your security groups and flow logs".into()));
                }
            }
            LeafVal::Absent => ctx.report(r("no VpcConfig: the function is not connected to a VPC, so its traffic is outside your security groups and flow logs".into())),
            LeafVal::Unknown(why) => ctx.unknown(r("The function's subnets".into()), why),
        }
    }
}
