//! `vpc-subnet-public-ip`: subnets do not give instances public IP addresses automatically.

use crate::rules::{expect, Expect};
use crate::{Ctx, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-VPC-002",
        name: "vpc-subnet-public-ip",
        severity: Severity::Medium,
        area: Area::Network,
        title: "Subnets do not assign public IP addresses on launch",
        resource_types: &[network::SUBNET],
        controls: Controls {
            security_hub: &["EC2.15"],
            aws_config: &["subnet-auto-assign-public-ip-disabled"],
            nist_800_53: &[
                "AC-21", "AC-3", "AC-3(7)", "AC-4", "AC-4(21)", "AC-6", "SC-7", "SC-7(11)",
                "SC-7(16)", "SC-7(20)", "SC-7(21)", "SC-7(3)", "SC-7(4)", "SC-7(9)",
            ],
            pci_dss: &["PCI DSS v4.0.1 1.4.4"],
            hipaa: &[
                "164.308(a)(3)(i)",
                "164.308(a)(4)(ii)(A)",
                "164.308(a)(4)(ii)(C)",
                "164.312(a)(1)",
                "164.312(e)(1)",
            ],
            cdk_nag: &[
                "NIST.800.53.R5-VPCSubnetAutoAssignPublicIpDisabled",
                "HIPAA.Security-VPCSubnetAutoAssignPublicIpDisabled",
                "PCI.DSS.321-VPCSubnetAutoAssignPublicIpDisabled",
            ],
            cfn_nag: &["W33"],
            checkov: &["CKV_AWS_130"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that no AWS::EC2::Subnet sets MapPublicIpOnLaunch to true. CDK's ec2.Vpc does so for its public subnets; suppress the finding there if only load balancers and NAT gateways live in them."#,
            why: r#"With MapPublicIpOnLaunch, every network interface launched in the subnet gets a public IPv4 address, whether or not the workload was meant to be reachable from the internet. One security group rule too broad is then all it takes to expose it. Giving public addresses explicitly (Elastic IPs, load balancers) keeps exposure a decision rather than a default; public IPv4 addresses are also billed."#,
            unknown: r#"A MapPublicIpOnLaunch that cannot be known (a parameter without a value) is reported at severity info."#,
            fix_cloudformation: r#"    AppSubnet:
      Type: AWS::EC2::Subnet
      Properties:
        VpcId: !Ref Vpc
        CidrBlock: 10.0.1.0/24
        MapPublicIpOnLaunch: false"#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    new ec2.Vpc(this, 'Vpc', {
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, mapPublicIpOnLaunch: false },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      ],
    });

Python:

    ec2.Vpc(self, "Vpc", subnet_configuration=[
        ec2.SubnetConfiguration(name="public", subnet_type=ec2.SubnetType.PUBLIC, map_public_ip_on_launch=False),
        ec2.SubnetConfiguration(name="app", subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
    ])"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_subnet" "app" {
      vpc_id                  = aws_vpc.this.id
      cidr_block              = "10.0.1.0/24"
      map_public_ip_on_launch = false
    }"#,
            fix_cli: r#"    aws ec2 modify-subnet-attribute --subnet-id subnet-0123456789abcdef0 --no-map-public-ip-on-launch"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let value = res.props.at(&["MapPublicIpOnLaunch"]);
    if matches!(value, V::Absent(_)) {
        return; // false by default
    }
    let e = Expect::new("Properties.MapPublicIpOnLaunch", "MapPublicIpOnLaunch", "");
    expect(ctx, res, &value, &e, |n| match n.bool_value() {
        V::Known(false, _) => None,
        V::Known(true, _) => Some(
            "MapPublicIpOnLaunch is true: every instance launched here gets a public IP address"
                .into(),
        ),
        _ => Some(format!("MapPublicIpOnLaunch is {}", n.val.describe())),
    });
}
