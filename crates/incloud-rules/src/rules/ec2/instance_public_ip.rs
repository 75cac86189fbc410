//! `ec2-instance-public-ip`: instances get no public IPv4 address.

use crate::rules::and;
use crate::{Ctx, Report, Rule};
use incloud_model::ec2::INSTANCE;
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-EC2-012",
        name: "ec2-instance-public-ip",
        severity: Severity::High,
        area: Area::Network,
        title: "EC2 instances do not have a public IPv4 address",
        resource_types: &[INSTANCE],
        controls: Controls {
            security_hub: &["EC2.9"],
            aws_config: &["ec2-instance-no-public-ip"],
            nist_800_53: &[
                "AC-21", "AC-3", "AC-3(7)", "AC-4", "AC-4(21)", "AC-6", "SC-7", "SC-7(11)",
                "SC-7(16)", "SC-7(20)", "SC-7(21)", "SC-7(3)", "SC-7(4)", "SC-7(9)",
            ],
            hipaa: &[
                "164.308(a)(3)(i)",
                "164.308(a)(4)(ii)(A)",
                "164.308(a)(4)(ii)(C)",
                "164.312(a)(1)",
                "164.312(e)(1)",
            ],
            cdk_nag: &[
                "NIST.800.53.R5-EC2InstanceNoPublicIp",
                "HIPAA.Security-EC2InstanceNoPublicIp",
                "PCI.DSS.321-EC2InstanceNoPublicIp",
            ],
            checkov: &["CKV_AWS_88"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that no AWS::EC2::Instance gets a public IPv4 address: a NetworkInterfaces entry with AssociatePublicIpAddress true is reported at the rule's severity; an interface or an instance SubnetId that names a subnet of the stack with MapPublicIpOnLaunch true (and no AssociatePublicIpAddress false) is reported at severity medium; an instance with neither SubnetId nor NetworkInterfaces goes into the default VPC, whose subnets assign public addresses, and is reported at severity low. Elastic IPs associated with an instance are not checked."#,
            why: r#"An instance with a public address is directly reachable from the internet: whether anyone gets in then depends only on its security groups and on the software listening on it. One over-broad security group rule, an unpatched service or a debug port left open is then enough, and internet-wide scanners find it within minutes. Instances behind load balancers, NAT gateways or Session Manager need no public address; keeping them private makes exposure a deliberate choice. Public IPv4 addresses are also billed."#,
            unknown: r#"An AssociatePublicIpAddress or MapPublicIpOnLaunch that cannot be known is reported at severity info. A subnet that is not defined in the stack (an id, an import, a parameter) is not judged: its setting cannot be seen."#,
            fix_cloudformation: r#"    AppServer:
      Type: AWS::EC2::Instance
      Properties:
        ImageId: !Ref ImageId
        InstanceType: t3.micro
        NetworkInterfaces:
          - DeviceIndex: "0"
            SubnetId: !Ref PrivateSubnet
            AssociatePublicIpAddress: false
            GroupSet: [!Ref AppSecurityGroup]"#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    new ec2.Instance(this, 'App', {
      vpc, instanceType, machineImage,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      associatePublicIpAddress: false,
    });

Python:

    ec2.Instance(self, "App", vpc=vpc, instance_type=instance_type, machine_image=machine_image,
        vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
        associate_public_ip_address=False)"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_instance" "app" {
      # ...
      subnet_id                   = aws_subnet.private.id
      associate_public_ip_address = false
    }"#,
            fix_cli: r#"An automatically assigned public address cannot be removed from a running instance's primary interface; launch a replacement in a private subnet:

    aws ec2 run-instances --image-id ami-0123456789abcdef0 --instance-type t3.micro \
      --subnet-id subnet-0123456789abcdef0 --no-associate-public-ip-address"#,
        },
        options: &[],
    },
    check,
};

/// Judge the subnet an interface or the instance is launched in: a stack subnet that maps public IPs.
fn judge_subnet(
    ctx: &mut Ctx<'_>,
    res: &Resource,
    subnet: &Node,
    path: &str,
    cond: Option<String>,
) {
    let Some(s) = network::target(ctx.stack, subnet).filter(|s| s.is(network::SUBNET)) else {
        return;
    };
    for leaf in s.props.at(&["MapPublicIpOnLaunch"]).leaves() {
        let r = |message: String| Report {
            resource: res,
            span: subnet.span,
            path: path.to_string(),
            condition: and(cond.as_deref(), leaf.condition()),
            detail: None,
            message,
        };
        match leaf.val {
            LeafVal::Known(n) => {
                if let V::Known(true, _) = n.bool_value() {
                    ctx.report_at(
                        Severity::Medium,
                        r(format!("launched in subnet {}, which has MapPublicIpOnLaunch true: the instance gets a public IP address", s.id)),
                    );
                }
            }
            LeafVal::Absent => {}
            LeafVal::Unknown(why) => {
                ctx.unknown(r(format!("MapPublicIpOnLaunch of subnet {}", s.id)), why)
            }
        }
    }
}

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let interfaces = res.props.at(&["NetworkInterfaces"]);
    let mut any_interface = false;
    for leaf in interfaces.leaves() {
        let LeafVal::Known(list) = leaf.val else {
            continue;
        };
        for item in list.items() {
            for entry in item.tri().leaves() {
                let LeafVal::Known(ni) = entry.val else {
                    continue;
                };
                any_interface = true;
                let cond = and(leaf.condition().as_deref(), entry.condition());
                let assoc = ni.at(&["AssociatePublicIpAddress"]);
                for a in assoc.leaves() {
                    let c = and(cond.as_deref(), a.condition());
                    let r = |message: String| Report {
                        resource: res,
                        span: a.span,
                        path: "Properties.NetworkInterfaces.AssociatePublicIpAddress".into(),
                        condition: c.clone(),
                        detail: None,
                        message,
                    };
                    match a.val {
                        LeafVal::Known(n) => match n.bool_value() {
                            V::Known(true, _) => ctx.report(r(
                                "AssociatePublicIpAddress is true: the instance gets a public IP address reachable from the internet".into(),
                            )),
                            V::Known(false, _) => {}
                            _ => ctx.unknown(r("AssociatePublicIpAddress".into()), &n.val.describe()),
                        },
                        LeafVal::Unknown(why) => ctx.unknown(r("AssociatePublicIpAddress".into()), why),
                        LeafVal::Absent => {
                            if let Some(subnet) = ni.get("SubnetId") {
                                judge_subnet(ctx, res, subnet, "Properties.NetworkInterfaces.SubnetId", c);
                            }
                        }
                    }
                }
            }
        }
    }
    // A launch template can carry the subnet and interfaces; the default-VPC reading does not apply.
    if any_interface
        || res.props.get("LaunchTemplate").is_some() && res.props.get("SubnetId").is_none()
    {
        return;
    }
    match res.props.get("SubnetId") {
        Some(subnet) => judge_subnet(ctx, res, subnet, "Properties.SubnetId", None),
        None => ctx.report_at(
            Severity::Low,
            Report {
                resource: res,
                span: res.props.span,
                path: "Properties.SubnetId".into(),
                condition: None,
                detail: None,
                message: "no SubnetId and no NetworkInterfaces: the instance goes into the default VPC, whose subnets give it a public IP address".into(),
            },
        ),
    }
}
