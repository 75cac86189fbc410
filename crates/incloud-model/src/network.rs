//! VPC networking joins: the flow logs of a VPC, the ingress rules of a security group, the route tables of a
//! subnet and their default routes. Each join is stack-local: what another stack or the account adds is not
//! seen, and the rules that use these joins say so.

use crate::resource::{Resource, Stack};
use crate::value::{Node, Val};

pub const VPC: &str = "AWS::EC2::VPC";
pub const SUBNET: &str = "AWS::EC2::Subnet";
pub const FLOW_LOG: &str = "AWS::EC2::FlowLog";
pub const SECURITY_GROUP: &str = "AWS::EC2::SecurityGroup";
pub const SECURITY_GROUP_INGRESS: &str = "AWS::EC2::SecurityGroupIngress";
pub const ROUTE: &str = "AWS::EC2::Route";
pub const ROUTE_TABLE_ASSOCIATION: &str = "AWS::EC2::SubnetRouteTableAssociation";
pub const INTERNET_GATEWAY: &str = "AWS::EC2::InternetGateway";
pub const NAT_GATEWAY: &str = "AWS::EC2::NatGateway";

/// Whether a value refers to the resource `logical_id`: a `Ref`, or a `Fn::GetAtt` of one of `attrs`.
pub fn refers_to(value: &Node, logical_id: &str, attrs: &[&str]) -> bool {
    match &value.val {
        Val::Link(l) => {
            l.target == logical_id && l.attr.as_deref().is_none_or(|a| attrs.contains(&a))
        }
        _ => false,
    }
}

/// The resource a value refers to in this stack, if it is a `Ref` or `Fn::GetAtt`.
pub fn target<'a>(stack: &'a Stack, value: &Node) -> Option<&'a Resource> {
    match &value.val {
        Val::Link(l) => stack.resource(&l.target),
        _ => None,
    }
}

/// The `AWS::EC2::FlowLog` resources whose `ResourceId` names this VPC.
pub fn flow_logs_of<'a>(stack: &'a Stack, vpc: &Resource) -> Vec<&'a Resource> {
    stack
        .of_type(FLOW_LOG)
        .filter(|f| {
            f.props
                .get("ResourceId")
                .is_some_and(|v| refers_to(v, &vpc.id, &["VpcId"]))
        })
        .collect()
}

/// The standalone `AWS::EC2::SecurityGroupIngress` resources attached to this group (`GroupId` names it).
pub fn ingress_of<'a>(stack: &'a Stack, group: &Resource) -> Vec<&'a Resource> {
    stack
        .of_type(SECURITY_GROUP_INGRESS)
        .filter(|i| {
            i.props
                .get("GroupId")
                .or_else(|| i.props.get("GroupName"))
                .is_some_and(|v| refers_to(v, &group.id, &["GroupId"]))
        })
        .collect()
}

/// The security group a standalone `AWS::EC2::SecurityGroupIngress` opens, when it is in this stack
/// (`GroupId` is `Fn::GetAtt G.GroupId` or `Ref G`).
pub fn group_of_ingress<'a>(stack: &'a Stack, ingress: &Resource) -> Option<&'a Resource> {
    ingress
        .props
        .get("GroupId")
        .or_else(|| ingress.props.get("GroupName"))
        .and_then(|v| target(stack, v))
        .filter(|g| g.is(SECURITY_GROUP))
}

/// The route tables associated with this subnet in the stack.
pub fn route_tables_of<'a>(stack: &'a Stack, subnet: &Resource) -> Vec<&'a Resource> {
    stack
        .of_type(ROUTE_TABLE_ASSOCIATION)
        .filter(|a| {
            a.props
                .get("SubnetId")
                .is_some_and(|v| refers_to(v, &subnet.id, &[]))
        })
        .filter_map(|a| a.props.get("RouteTableId").and_then(|rt| target(stack, rt)))
        .collect()
}

/// Where a default route sends traffic to the internet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InternetTarget {
    InternetGateway,
    NatGateway,
}

impl InternetTarget {
    pub fn describe(self) -> &'static str {
        match self {
            InternetTarget::InternetGateway => "an internet gateway",
            InternetTarget::NatGateway => "a NAT gateway",
        }
    }
}

/// The routes of a route table that send all IPv4 or IPv6 traffic (`0.0.0.0/0`, `::/0`) to an internet or
/// NAT gateway: a gateway of the stack, or a literal `igw-`/`nat-` id.
pub fn internet_routes<'a>(
    stack: &'a Stack,
    route_table: &Resource,
) -> Vec<(&'a Resource, InternetTarget)> {
    stack
        .of_type(ROUTE)
        .filter(|r| {
            r.props
                .get("RouteTableId")
                .is_some_and(|v| refers_to(v, &route_table.id, &[]))
        })
        .filter(|r| {
            let cidr = |k: &str| r.props.get(k).and_then(|c| c.as_str()).map(str::to_owned);
            cidr("DestinationCidrBlock").as_deref() == Some("0.0.0.0/0")
                || cidr("DestinationIpv6CidrBlock").as_deref() == Some("::/0")
        })
        .filter_map(|r| {
            let gateway = |key: &str, rtype: &str, prefix: &str| {
                r.props.get(key).is_some_and(|g| match &g.val {
                    Val::Str(s) => s.starts_with(prefix),
                    Val::Link(_) => target(stack, g).is_some_and(|t| t.is(rtype)),
                    _ => false,
                })
            };
            if gateway("GatewayId", INTERNET_GATEWAY, "igw-") {
                Some((r, InternetTarget::InternetGateway))
            } else if gateway("NatGatewayId", NAT_GATEWAY, "nat-") {
                Some((r, InternetTarget::NatGateway))
            } else {
                None
            }
        })
        .collect()
}
