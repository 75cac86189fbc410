//! `lambda-subnet-internet-route`: functions connected to a VPC sit in subnets without a default route to the
//! internet.

use super::FUNCTION;
use crate::{Ctx, Report, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-LAMBDA-002",
        name: "lambda-subnet-internet-route",
        severity: Severity::Medium,
        area: Area::Network,
        title: "Lambda functions in a VPC use subnets without a route to the internet",
        resource_types: &[FUNCTION],
        controls: Controls::NONE,
        docs: Docs {
            description: r#"For every AWS::Lambda::Function with VpcConfig.SubnetIds, follows each subnet of the same stack to the route tables associated with it (AWS::EC2::SubnetRouteTableAssociation) and reports the subnet when one of them has a route (AWS::EC2::Route) that sends 0.0.0.0/0 or ::/0 to an internet gateway or a NAT gateway (of the stack, or a literal igw- or nat- id). One finding per subnet, with the subnet as the detail.

Functions without VpcConfig are the concern of lambda-outside-vpc. Default routes to a transit gateway, a VPC peering connection, a gateway load balancer endpoint or a network interface are not followed, and the routes of a VPC's main route table are not seen."#,
            why: r#"Connecting a function to a VPC only isolates it if its subnets cannot reach the internet. Through a NAT gateway, code running in the function (a compromised dependency, an injected payload) can send data to any host on the internet and fetch more code, and the security groups of the function are usually left open for egress. A subnet whose default route goes to an internet gateway gives a Lambda function no internet access at all (its network interfaces have no public address), which is a sign the function was placed in a public subnet by mistake.

Isolated subnets with VPC endpoints (gateway endpoints for S3 and DynamoDB, interface endpoints for the other AWS APIs the function calls) let the function work while every path out of it is one you chose. Where the function must call an internet API, route it through an egress proxy or AWS Network Firewall with an allow list and suppress the finding with that reason."#,
            unknown: r#"A subnet that is not defined in the stack (a literal subnet id, an import, a parameter) is reported at severity info, with the subnet as the detail: its routes cannot be seen. So is a subnet of the stack with no route table association in it, which uses the VPC's main route table."#,
            fix_cloudformation: r#"Put the function in subnets whose route table has no default route, and reach AWS services through VPC endpoints:

    IsolatedRouteTable:
      Type: AWS::EC2::RouteTable
      Properties:
        VpcId: !Ref Vpc

    IsolatedSubnetARouteTableAssociation:
      Type: AWS::EC2::SubnetRouteTableAssociation
      Properties:
        SubnetId: !Ref IsolatedSubnetA
        RouteTableId: !Ref IsolatedRouteTable

    DynamoDbEndpoint:
      Type: AWS::EC2::VPCEndpoint
      Properties:
        VpcId: !Ref Vpc
        ServiceName: !Sub com.amazonaws.${AWS::Region}.dynamodb
        RouteTableIds: [!Ref IsolatedRouteTable]

    Function:
      Type: AWS::Lambda::Function
      Properties:
        # ...
        VpcConfig:
          SubnetIds: [!Ref IsolatedSubnetA, !Ref IsolatedSubnetB]
          SecurityGroupIds: [!Ref FunctionSecurityGroup]"#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    const vpc = new ec2.Vpc(this, 'Vpc', {
      natGateways: 0,
      subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
      gatewayEndpoints: { DynamoDb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB } },
    });
    new lambda.Function(this, 'Handler', {
      runtime, handler, code, vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    });

Python:

    vpc = ec2.Vpc(self, "Vpc", nat_gateways=0,
        subnet_configuration=[ec2.SubnetConfiguration(name="isolated", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)],
        gateway_endpoints={"DynamoDb": ec2.GatewayVpcEndpointOptions(service=ec2.GatewayVpcEndpointAwsService.DYNAMODB)})
    lambda_.Function(self, "Handler", runtime=runtime, handler=handler, code=code, vpc=vpc,
        vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED))"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_route_table" "isolated" {
      vpc_id = aws_vpc.this.id
      # no route to an internet or NAT gateway
    }

    resource "aws_route_table_association" "isolated_a" {
      subnet_id      = aws_subnet.isolated_a.id
      route_table_id = aws_route_table.isolated.id
    }

    resource "aws_lambda_function" "handler" {
      # ...
      vpc_config {
        subnet_ids         = [aws_subnet.isolated_a.id, aws_subnet.isolated_b.id]
        security_group_ids = [aws_security_group.handler.id]
      }
    }"#,
            fix_cli: r#"Find the default routes of the subnet's route table:

    aws ec2 describe-route-tables --filters Name=association.subnet-id,Values=subnet-0123456789abcdef0 \
      --query 'RouteTables[].Routes[?DestinationCidrBlock==`0.0.0.0/0`]'

Then move the function to isolated subnets:

    aws lambda update-function-configuration --function-name my-function \
      --vpc-config SubnetIds=subnet-0aaaaaaaaaaaaaaaa,subnet-0bbbbbbbbbbbbbbbb,SecurityGroupIds=sg-0123456789abcdef0"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let subnets = res.props.at(&["VpcConfig", "SubnetIds"]);
    for leaf in subnets.leaves() {
        let LeafVal::Known(list) = leaf.val else {
            continue; // absent: lambda-outside-vpc; unknown: reported there too
        };
        let items: Vec<&Node> = match &list.val {
            Val::Seq(items) => items.iter().collect(),
            _ => vec![*list],
        };
        for item in items {
            for sub in item.tri().leaves() {
                let condition = crate::rules::and(leaf.condition().as_deref(), sub.condition());
                let r = |message: String, detail: String| Report {
                    resource: res,
                    span: sub.span,
                    path: "Properties.VpcConfig.SubnetIds".into(),
                    condition: condition.clone(),
                    detail: Some(detail),
                    message,
                };
                let node = match sub.val {
                    LeafVal::Known(n) => *n,
                    LeafVal::Absent => continue,
                    LeafVal::Unknown(why) => {
                        ctx.unknown(r("The subnet's routes".into(), why.to_string()), why);
                        continue;
                    }
                };
                let subnet = network::target(ctx.stack, node).filter(|s| s.is(network::SUBNET));
                let Some(subnet) = subnet else {
                    let shown = node.scalar_string().unwrap_or_else(|| node.val.describe());
                    ctx.unknown(
                        r(format!("The routes of subnet {shown}"), shown.clone()),
                        "the subnet is not defined in this stack",
                    );
                    continue;
                };
                let tables = network::route_tables_of(ctx.stack, subnet);
                if tables.is_empty() {
                    ctx.unknown(
                        r(format!("The routes of subnet {}", subnet.id), subnet.id.clone()),
                        "no route table is associated with it in this stack (it uses the VPC's main route table)",
                    );
                    continue;
                }
                let found = tables.iter().find_map(|t| {
                    network::internet_routes(ctx.stack, t)
                        .into_iter()
                        .next()
                        .map(|(route, target)| (t, route, target))
                });
                if let Some((table, route, target)) = found {
                    let consequence = match target {
                        network::InternetTarget::NatGateway => {
                            "the function can reach any host on the internet"
                        }
                        network::InternetTarget::InternetGateway => {
                            "a public subnet, where the function is not isolated"
                        }
                    };
                    ctx.report(r(
                        format!(
                            "subnet {} has a default route to {} (route {} in route table {}): {consequence}",
                            subnet.id,
                            target.describe(),
                            route.id,
                            table.id
                        ),
                        subnet.id.clone(),
                    ));
                }
            }
        }
    }
}
