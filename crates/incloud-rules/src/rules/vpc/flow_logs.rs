//! `vpc-flow-logs`: VPCs have flow logs.

use crate::{Ctx, Report, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-VPC-001",
        name: "vpc-flow-logs",
        severity: Severity::Medium,
        area: Area::LoggingAndMonitoring,
        title: "VPCs record flow logs",
        resource_types: &[network::VPC],
        controls: Controls {
            security_hub: &["EC2.6"],
            aws_config: &["vpc-flow-logs-enabled"],
            cis: &[
                "CIS AWS Foundations v5.0.0 3.7",
                "CIS AWS Foundations v1.2.0 2.9",
                "CIS AWS Foundations v1.4.0 3.9",
                "CIS AWS Foundations v3.0.0 3.7",
            ],
            nist_800_53: &[
                "AC-4(26)", "AU-12", "AU-2", "AU-3", "AU-6(3)", "AU-6(4)", "CA-7", "SI-7(8)",
            ],
            pci_dss: &[
                "PCI DSS v3.2.1 10.3.3",
                "PCI DSS v3.2.1 10.3.4",
                "PCI DSS v3.2.1 10.3.5",
                "PCI DSS v3.2.1 10.3.6",
            ],
            hipaa: &["164.308(a)(3)(ii)(A)", "164.312(b)"],
            cdk_nag: &[
                "AwsSolutions-VPC7",
                "NIST.800.53.R5-VPCFlowLogsEnabled",
                "HIPAA.Security-VPCFlowLogsEnabled",
                "PCI.DSS.321-VPCFlowLogsEnabled",
            ],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that every AWS::EC2::VPC has an AWS::EC2::FlowLog in the same stack whose ResourceId refers to it (Ref or Fn::GetAtt VpcId). Flow logs created in another stack or outside CloudFormation cannot be seen; suppress the finding for such VPCs."#,
            why: r#"AWS does not record the IP traffic in your VPC unless you ask for it. Flow logs are the network record of an incident: which hosts an instance talked to, whether data left through the NAT gateway, which ports a scanner probed, what a security group rejected. Amazon GuardDuty reads VPC flow data on its own, but you get none of it for your own investigations."#,
            unknown: r#"Only flow logs in the same stack are seen. A FlowLog whose ResourceId cannot be resolved to this VPC does not count."#,
            fix_cloudformation: r#"    VpcFlowLog:
      Type: AWS::EC2::FlowLog
      Properties:
        ResourceId: !Ref Vpc
        ResourceType: VPC
        TrafficType: ALL
        LogDestinationType: cloud-watch-logs
        LogGroupName: !Ref FlowLogGroup
        DeliverLogsPermissionArn: !GetAtt FlowLogRole.Arn"#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    const vpc = new ec2.Vpc(this, 'Vpc', {
      flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.ALL } },
    });

Python:

    vpc = ec2.Vpc(self, "Vpc",
        flow_logs={"all": ec2.FlowLogOptions(traffic_type=ec2.FlowLogTrafficType.ALL)},
    )"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_flow_log" "vpc" {
      vpc_id               = aws_vpc.this.id
      traffic_type         = "ALL"
      log_destination_type = "s3"
      log_destination      = aws_s3_bucket.flow_logs.arn
    }"#,
            fix_cli: r#"    aws ec2 create-flow-logs --resource-type VPC --resource-ids vpc-0123456789abcdef0 \
      --traffic-type ALL --log-destination-type s3 --log-destination arn:aws:s3:::my-flow-logs"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    if network::flow_logs_of(ctx.stack, res).is_empty() {
        ctx.report(Report {
            resource: res,
            span: res.span,
            path: "Resources".into(),
            condition: None,
            detail: None,
            message: format!(
                "no AWS::EC2::FlowLog in the stack has ResourceId {}",
                res.id
            ),
        });
    }
}
