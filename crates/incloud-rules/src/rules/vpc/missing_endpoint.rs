//! `vpc-missing-endpoint`: functions in isolated subnets have a VPC endpoint for every AWS service their role
//! lets them call.

use crate::iam_bridge::{attached_policies, identity_docs};
use crate::rules::policy::action_covers;
use crate::{Ctx, Report, Rule};
use incloud_iam::{Effect, PolicyStr, Statement};
use incloud_model::network::{self, SUBNET};
use incloud_model::*;
use std::collections::BTreeMap;

const FUNCTION: &str = "AWS::Lambda::Function";
const ENDPOINT: &str = "AWS::EC2::VPCEndpoint";
const EVENT_SOURCE_MAPPING: &str = "AWS::Lambda::EventSourceMapping";
const EVENT_INVOKE_CONFIG: &str = "AWS::Lambda::EventInvokeConfig";

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-VPC-010",
        name: "vpc-missing-endpoint",
        severity: Severity::Medium,
        area: Area::Network,
        title: "Functions in isolated subnets have a VPC endpoint for each AWS service they call",
        resource_types: &[FUNCTION],
        controls: Controls::NONE,
        docs: Docs {
            description: r#"For every AWS::Lambda::Function connected to subnets of the stack that have no default route to an internet or NAT gateway (isolated subnets, joined as lambda-subnet-internet-route does), reads the identity policies of its execution role (inline, AWS::IAM::Policy and AWS::IAM::ManagedPolicy of the stack attached to it) and, for each AWS service an Allow statement names, looks for an AWS::EC2::VPCEndpoint of the same VPC:

- S3 and DynamoDB: a gateway endpoint (`VpcEndpointType` Gateway or absent, `ServiceName` `com.amazonaws.<region>.s3`, often `!Sub com.amazonaws.${AWS::Region}.s3`) whose `RouteTableIds` include the route tables of the function's subnets, or an interface endpoint with `PrivateDnsEnabled: true`;
- every other service (bedrock-runtime, bedrock-agent-runtime, ssm, secretsmanager, kms, sqs, sns, sts, events, states, lambda, kinesis-streams, monitoring, ecr.api, xray, ...): an interface endpoint with `PrivateDnsEnabled: true` (CloudFormation's default is false, and without it the SDK's default host name resolves to public addresses).

One finding per missing service, with the service as the detail, naming the function, the service and the permission that needs it. Permissions the Lambda service exercises itself, outside the function's network, are not counted: writing its logs (`logs:CreateLogGroup`, `CreateLogStream`, `PutLogEvents`, and `logs:*` patterns, which execution roles are given for logging), managing its network interfaces (`ec2:CreateNetworkInterface` and the like), sending traces (`xray:PutTraceSegments`, `PutTelemetryRecords`), polling an event source of an AWS::Lambda::EventSourceMapping of the stack (`sqs:ReceiveMessage`, `kinesis:GetRecords`, `dynamodb:GetRecords`, ...), statements only about the function's dead-letter target, its environment key, or the destinations of its event source mappings and AWS::Lambda::EventInvokeConfig, KMS statements limited to use through a service (`kms:ViaService`, `kms:ResourceAliases` of an AWS managed key), KMS permissions held next to a service that encrypts with KMS itself (S3, DynamoDB, SQS, SNS, Secrets Manager, SSM, Kinesis, Firehose, CloudWatch Logs, EventBridge), and `sns:Publish` next to Amazon Polly, which publishes task notifications with the caller's permissions. Actions whose service is a wildcard (`*`) say nothing about which service is called and are skipped, as are services without a VPC endpoint (IAM, Route 53) and services this rule does not map."#,
            why: r#"A function in subnets with no route to the internet reaches AWS APIs only through VPC endpoints. Without the endpoint its calls time out, and the usual fix under pressure is a NAT gateway, which gives the function (and any code injected into it) a path to every host on the internet. Adding the endpoint keeps the isolation you designed, and lets you narrow what the function may reach further with an endpoint policy."#,
            unknown: r#"When the function's subnets are not in the stack (a literal subnet id, an import, a parameter), have no route table association in it (they use the VPC's main route table), or name their VPC in a way that cannot be compared, the rule reports once at severity info, naming the services the role needs. An endpoint whose service name or VPC cannot be known might be the one needed: the services it might serve are reported at severity info. A role defined outside the stack is not read, and then nothing is reported."#,
            fix_cloudformation: r#"    S3Endpoint:
      Type: AWS::EC2::VPCEndpoint
      Properties:
        VpcId: !Ref Vpc
        ServiceName: !Sub com.amazonaws.${AWS::Region}.s3
        RouteTableIds: [!Ref IsolatedRouteTable]

    BedrockRuntimeEndpoint:
      Type: AWS::EC2::VPCEndpoint
      Properties:
        VpcId: !Ref Vpc
        VpcEndpointType: Interface
        ServiceName: !Sub com.amazonaws.${AWS::Region}.bedrock-runtime
        PrivateDnsEnabled: true
        SubnetIds: [!Ref IsolatedSubnetA, !Ref IsolatedSubnetB]
        SecurityGroupIds: [!Ref EndpointSecurityGroup]   # allow 443 from the function's security group"#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    vpc.addInterfaceEndpoint('BedrockRuntime', {
      service: ec2.InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME,
      subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      privateDnsEnabled: true,
    });

Python:

    vpc.add_gateway_endpoint("S3", service=ec2.GatewayVpcEndpointAwsService.S3)
    vpc.add_interface_endpoint("BedrockRuntime",
        service=ec2.InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME,
        subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
        private_dns_enabled=True)"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_vpc_endpoint" "s3" {
      vpc_id            = aws_vpc.this.id
      service_name      = "com.amazonaws.${data.aws_region.current.name}.s3"
      vpc_endpoint_type = "Gateway"
      route_table_ids   = [aws_route_table.isolated.id]
    }

    resource "aws_vpc_endpoint" "bedrock_runtime" {
      vpc_id              = aws_vpc.this.id
      service_name        = "com.amazonaws.${data.aws_region.current.name}.bedrock-runtime"
      vpc_endpoint_type   = "Interface"
      private_dns_enabled = true
      subnet_ids          = aws_subnet.isolated[*].id
      security_group_ids  = [aws_security_group.endpoints.id]
    }"#,
            fix_cli: r#"List the endpoints of the VPC:

    aws ec2 describe-vpc-endpoints --filters Name=vpc-id,Values=vpc-0123456789abcdef0 \
      --query 'VpcEndpoints[].[ServiceName,VpcEndpointType,PrivateDnsEnabled]'

Create the missing ones:

    aws ec2 create-vpc-endpoint --vpc-id vpc-0123456789abcdef0 --vpc-endpoint-type Interface \
      --service-name com.amazonaws.eu-west-1.bedrock-runtime --private-dns-enabled \
      --subnet-ids subnet-0aaaaaaaaaaaaaaaa subnet-0bbbbbbbbbbbbbbbb --security-group-ids sg-0123456789abcdef0"#,
        },
        options: &[],
    },
    check,
};

/// Actions the Lambda service performs with the execution role on its own network: logs, network interfaces,
/// traces.
const SERVICE_SIDE: &[&str] = &[
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "logs:DescribeLogStreams",
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DeleteNetworkInterface",
    "ec2:DetachNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeVpcs",
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
];

/// Actions an event source mapping polls with, when the stack maps an event source to the function.
const POLLING: &[&str] = &[
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:DeleteMessageBatch",
    "sqs:ChangeMessageVisibility",
    "sqs:ChangeMessageVisibilityBatch",
    "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl",
    "kinesis:GetRecords",
    "kinesis:GetShardIterator",
    "kinesis:DescribeStream",
    "kinesis:DescribeStreamSummary",
    "kinesis:ListShards",
    "kinesis:ListStreams",
    "kinesis:SubscribeToShard",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
    "dynamodb:DescribeStream",
    "dynamodb:ListStreams",
];

/// IAM service prefix → endpoint service (the part after `com.amazonaws.<region>.`), for services whose
/// endpoint is named after the prefix or simply renamed. Bedrock and SageMaker are decided by action.
const SERVICES: &[(&str, &str)] = &[
    ("s3", "s3"),
    ("dynamodb", "dynamodb"),
    ("ssm", "ssm"),
    ("secretsmanager", "secretsmanager"),
    ("kms", "kms"),
    ("sqs", "sqs"),
    ("sns", "sns"),
    ("sts", "sts"),
    ("logs", "logs"),
    ("events", "events"),
    ("states", "states"),
    ("lambda", "lambda"),
    ("kinesis", "kinesis-streams"),
    ("firehose", "kinesis-firehose"),
    ("cloudwatch", "monitoring"),
    ("ecr", "ecr.api"),
    ("ec2", "ec2"),
    ("ecs", "ecs"),
    ("athena", "athena"),
    ("glue", "glue"),
    ("rds-data", "rds-data"),
    ("textract", "textract"),
    ("comprehend", "comprehend"),
    ("rekognition", "rekognition"),
    ("translate", "translate"),
    ("polly", "polly"),
    ("transcribe", "transcribe"),
    ("xray", "xray"),
    ("execute-api", "execute-api"),
    ("appconfig", "appconfigdata"),
    ("cognito-idp", "cognito-idp"),
    ("elasticfilesystem", "elasticfilesystem"),
    ("codeartifact", "codeartifact.api"),
];

/// The endpoint service an action value needs, or `None` when it needs none this rule knows.
fn endpoint_service(pattern: &str) -> Option<&'static str> {
    let (prefix, action) = pattern.split_once(':')?;
    if prefix.contains(['*', '?']) || action.is_empty() {
        return None;
    }
    let prefix = prefix.to_ascii_lowercase();
    let covers = |a: &str| action_covers(pattern, &format!("{prefix}:{a}"));
    match prefix.as_str() {
        "bedrock" => {
            if [
                "InvokeModel",
                "InvokeModelWithResponseStream",
                "Converse",
                "ApplyGuardrail",
            ]
            .iter()
            .any(|a| covers(a))
            {
                Some("bedrock-runtime")
            } else if [
                "InvokeAgent",
                "Retrieve",
                "RetrieveAndGenerate",
                "InvokeFlow",
            ]
            .iter()
            .any(|a| covers(a))
            {
                Some("bedrock-agent-runtime")
            } else {
                Some("bedrock")
            }
        }
        "sagemaker" => covers("InvokeEndpoint").then_some("sagemaker.runtime"),
        "elasticfilesystem" => None, // mounting goes to the file system's mount targets
        _ => SERVICES
            .iter()
            .find(|(p, _)| *p == prefix)
            .map(|(_, service)| *service),
    }
}

/// One permission that needs an endpoint: who grants it, and how users find it.
struct Need {
    action: String,
    holder: String,
}

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let stack = ctx.stack;
    let Some(subnets) = res.props.get("VpcConfig").and_then(|v| v.get("SubnetIds")) else {
        return; // not in a VPC: lambda-outside-vpc
    };
    let Some(role) = res
        .props
        .get("Role")
        .and_then(|r| network::target(stack, r))
        .filter(|r| r.is("AWS::IAM::Role"))
    else {
        return;
    };
    let needs = needed_services(ctx, res, role);
    if needs.is_empty() {
        return;
    }
    let report = |message: String, detail: Option<String>| Report {
        resource: res,
        span: subnets.span,
        path: "Properties.VpcConfig.SubnetIds".into(),
        condition: None,
        detail,
        message,
    };
    let services = needs.keys().copied().collect::<Vec<_>>().join(", ");
    let isolated = match isolated_network(stack, subnets) {
        Network::Isolated(n) => n,
        Network::RoutesOut => return, // lambda-subnet-internet-route
        Network::Unknown(why) => {
            ctx.unknown(
                report(
                    format!(
                        "Whether the VPC of function {} has endpoints for {services}",
                        res.id
                    ),
                    None,
                ),
                &why,
            );
            return;
        }
    };
    let endpoints: Vec<Endpoint<'_>> = stack
        .of_type(ENDPOINT)
        .filter_map(|e| Endpoint::read(e, &isolated.vpc))
        .collect();
    for (service, need) in &needs {
        let mut private_dns_off = None;
        let mut unassociated: Option<(&str, Vec<&str>)> = None;
        let mut maybe = None;
        let mut found = false;
        for e in &endpoints {
            match &e.service {
                Some(s) if s == service => {}
                Some(_) => continue,
                None => {
                    maybe.get_or_insert(e.res.id.as_str());
                    continue;
                }
            }
            match e.kind {
                Kind::Gateway if matches!(*service, "s3" | "dynamodb") => {
                    let missing = e.missing_route_tables(&isolated.route_tables);
                    if missing.is_empty() {
                        found = true;
                    } else {
                        unassociated.get_or_insert((e.res.id.as_str(), missing));
                    }
                }
                Kind::Interface { private_dns: true } => found = true,
                Kind::Interface { private_dns: false } => {
                    private_dns_off.get_or_insert(e.res.id.as_str());
                }
                Kind::Unknown => {
                    maybe.get_or_insert(e.res.id.as_str());
                }
                _ => {}
            }
        }
        if found {
            continue;
        }
        let permission = format!("{} allows {}", need.holder, need.action);
        let what = format!(
            "function {} runs in isolated subnets of VPC {}, and {permission}",
            res.id, isolated.vpc_name
        );
        let message = if let Some(e) = private_dns_off {
            format!("{what}, but interface endpoint {e} for {service} does not set PrivateDnsEnabled: true, so the SDK's default host name does not resolve to it and calls to {service} fail")
        } else if let Some((e, missing)) = &unassociated {
            format!("{what}, but gateway endpoint {e} for {service} is not associated with route table {} of the function's subnets, so calls to {service} from there fail", missing.join(", "))
        } else {
            let kind = if matches!(*service, "s3" | "dynamodb") {
                "gateway or interface"
            } else {
                "interface"
            };
            format!("{what}, but the VPC has no {kind} endpoint for {service} (com.amazonaws.<region>.{service}): calls to {service} fail, or an internet route gets added to make them work")
        };
        match maybe {
            Some(e) if private_dns_off.is_none() && unassociated.is_none() => ctx.unknown(
                report(
                    format!("Whether an endpoint of VPC {} serves {service} for function {} ({permission})", isolated.vpc_name, res.id),
                    Some(service.to_string()),
                ),
                &format!("the service name or type of endpoint {e} cannot be known from the template"),
            ),
            _ => ctx.report(report(message, Some(service.to_string()))),
        }
    }
}

/// The services the function's role lets it call, each with the first permission that needs it.
fn needed_services(
    ctx: &Ctx<'_>,
    function: &Resource,
    role: &Resource,
) -> BTreeMap<&'static str, Need> {
    let stack = ctx.stack;
    let for_function = |r: &&Resource| {
        r.props
            .get("FunctionName")
            .is_some_and(|n| crate::rules::refers_to(n, &function.id))
    };
    let mappings: Vec<&Resource> = stack
        .of_type(EVENT_SOURCE_MAPPING)
        .filter(for_function)
        .collect();
    let polls = !mappings.is_empty();
    // Statements only about these resources are the Lambda service's: the dead-letter target, the key that
    // encrypts the environment, and the destinations of event source mappings and asynchronous invocations.
    let mut targets: Vec<&Node> = [
        function
            .props
            .get("DeadLetterConfig")
            .and_then(|d| d.get("TargetArn")),
        function.props.get("KmsKeyArn"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let invoke_configs = stack.of_type(EVENT_INVOKE_CONFIG).filter(for_function);
    for config in mappings.into_iter().chain(invoke_configs) {
        for outcome in ["OnFailure", "OnSuccess"] {
            targets.extend(
                config
                    .props
                    .get("DestinationConfig")
                    .and_then(|d| d.get(outcome))
                    .and_then(|o| o.get("Destination")),
            );
        }
    }
    let own: Vec<String> = targets
        .into_iter()
        .filter_map(|n| match &n.val {
            Val::Link(l) => Some(l.target.clone()),
            _ => None,
        })
        .collect();
    let mut owners = vec![role];
    owners.extend(attached_policies(stack, role));
    let mut needs: BTreeMap<&'static str, Need> = BTreeMap::new();
    for owner in owners {
        for doc in identity_docs(owner) {
            let variants = ctx.policy(doc.node, doc.kind);
            for v in variants.iter() {
                let Ok(p) = &v.policy else { continue };
                for (i, st) in p.statements.iter().enumerate() {
                    if st.effect != Effect::Allow || only_about(st, &own) || through_service(st) {
                        continue;
                    }
                    let Some(action) = st.action.as_ref().filter(|a| !a.negated) else {
                        continue;
                    };
                    for value in &action.values {
                        let Some(pattern) = value.as_known() else {
                            continue;
                        };
                        if service_side(pattern, polls) {
                            continue;
                        }
                        let Some(service) = endpoint_service(pattern) else {
                            continue;
                        };
                        needs.entry(service).or_insert_with(|| Need {
                            action: pattern.to_string(),
                            holder: holder(owner, role, &doc.path, &v.statement_label(i)),
                        });
                    }
                }
            }
        }
    }
    // Amazon Polly publishes a synthesis task's completion to SNS with the caller's permissions.
    if needs.contains_key("polly") && needs.get("sns").is_some_and(|n| n.action == "sns:Publish") {
        needs.remove("sns");
    }
    // KMS permissions next to a service that encrypts with KMS (S3, SQS, SNS, DynamoDB, Secrets Manager, ...)
    // are most often that service's to use on the function's behalf: the call goes to the service's
    // endpoint, not to KMS.
    if needs.keys().any(|s| ENCRYPTING_SERVICES.contains(s)) {
        needs.remove("kms");
    }
    needs
}

/// Services that call KMS themselves for the data they store.
const ENCRYPTING_SERVICES: &[&str] = &[
    "s3",
    "dynamodb",
    "sqs",
    "sns",
    "secretsmanager",
    "ssm",
    "kinesis-streams",
    "kinesis-firehose",
    "logs",
    "events",
];

/// `Statement[1] of Policies[0] of its role FnRole`, `Statement[0] (Sid) of policy FnRoleDefaultPolicy on its
/// role`.
fn holder(owner: &Resource, role: &Resource, path: &str, label: &str) -> String {
    if owner.id == role.id {
        let path = path
            .trim_start_matches("Properties.")
            .trim_end_matches(".PolicyDocument");
        format!("{label} of {path} of its role {}", role.id)
    } else {
        format!("{label} of policy {} on its role", owner.id)
    }
}

/// Whether the Lambda service, not the function's code, uses this action: every action the pattern names
/// is one of [`SERVICE_SIDE`] (or of [`POLLING`] when an event source is mapped to the function). A
/// pattern such as `logs:*` is also the service's when it is the logs service: execution roles grant it for
/// logging.
fn service_side(pattern: &str, polls: bool) -> bool {
    let lower = pattern.to_ascii_lowercase();
    if lower.starts_with("logs:") && lower.contains('*') {
        return true;
    }
    let actions = incloud_iam::catalog().expand(pattern);
    let listed = |a: &str| {
        SERVICE_SIDE.iter().any(|s| s.eq_ignore_ascii_case(a))
            || (polls && POLLING.iter().any(|s| s.eq_ignore_ascii_case(a)))
    };
    if actions.is_empty() {
        return listed(pattern);
    }
    actions.iter().all(|a| listed(&a.full_name()))
}

/// Whether every resource of the statement is one of these logical ids (`Fn::GetAtt Dlq.Arn`).
fn only_about(st: &Statement, ids: &[String]) -> bool {
    if ids.is_empty() {
        return false;
    }
    st.resource.as_ref().is_some_and(|r| {
        !r.negated
            && !r.values.is_empty()
            && r.values.iter().all(|v| match v {
                PolicyStr::Unknown(why) => ids.iter().any(|id| {
                    why == &format!("Ref {id}") || why.starts_with(&format!("Fn::GetAtt {id}."))
                }),
                _ => false,
            })
    })
}

struct Isolated {
    /// How the subnets name their VPC (`Ref Vpc` or a literal id), to compare with endpoints.
    vpc: VpcKey,
    vpc_name: String,
    route_tables: Vec<String>,
}

#[derive(PartialEq)]
enum VpcKey {
    Resource(String),
    Literal(String),
}

enum Network {
    Isolated(Isolated),
    RoutesOut,
    Unknown(String),
}

fn vpc_key(node: &Node) -> Option<VpcKey> {
    match &node.val {
        Val::Link(l) => Some(VpcKey::Resource(l.target.clone())),
        Val::Str(s) => Some(VpcKey::Literal(s.clone())),
        _ => None,
    }
}

/// Whether all the function's subnets are subnets of the stack, in one VPC, with route tables and no
/// default route out.
fn isolated_network(stack: &Stack, subnets: &Node) -> Network {
    let mut vpc: Option<(VpcKey, String)> = None;
    let mut tables: Vec<String> = Vec::new();
    let items: Vec<&Node> = match &subnets.val {
        Val::Seq(items) => items.iter().collect(),
        Val::Unknown(why) => return Network::Unknown(why.clone()),
        _ => vec![subnets],
    };
    for item in items {
        if let Val::Unknown(why) = &item.val {
            return Network::Unknown(format!("a subnet cannot be known from the template: {why}"));
        }
        let Some(subnet) = network::target(stack, item).filter(|s| s.is(SUBNET)) else {
            let shown = item.scalar_string().unwrap_or_else(|| item.val.describe());
            return Network::Unknown(format!("subnet {shown} is not defined in this stack"));
        };
        let route_tables = network::route_tables_of(stack, subnet);
        if route_tables.is_empty() {
            return Network::Unknown(format!(
                "no route table is associated with subnet {} in this stack (it uses the VPC's main route table)",
                subnet.id
            ));
        }
        for t in &route_tables {
            if !network::internet_routes(stack, t).is_empty() {
                return Network::RoutesOut;
            }
            if !tables.contains(&t.id) {
                tables.push(t.id.clone());
            }
        }
        let Some(key) = subnet.props.get("VpcId").and_then(vpc_key) else {
            return Network::Unknown(format!(
                "the VPC of subnet {} cannot be known from the template",
                subnet.id
            ));
        };
        let name = match &key {
            VpcKey::Resource(id) | VpcKey::Literal(id) => id.clone(),
        };
        match &vpc {
            None => vpc = Some((key, name)),
            Some((k, _)) if *k == key => {}
            Some(_) => {
                return Network::Unknown("the function's subnets are in different VPCs".into())
            }
        }
    }
    match vpc {
        Some((vpc, vpc_name)) => Network::Isolated(Isolated {
            vpc,
            vpc_name,
            route_tables: tables,
        }),
        None => Network::Unknown("the function lists no subnet".into()),
    }
}

enum Kind {
    Gateway,
    Interface { private_dns: bool },
    Other,
    Unknown,
}

struct Endpoint<'a> {
    res: &'a Resource,
    /// The service after `com.amazonaws.<region>.`; `None` when it cannot be known.
    service: Option<String>,
    kind: Kind,
}

impl<'a> Endpoint<'a> {
    /// The endpoint, if it may be in this VPC (its VpcId names it, or cannot be known).
    fn read(res: &'a Resource, vpc: &VpcKey) -> Option<Endpoint<'a>> {
        let same_vpc = res.props.get("VpcId").map(vpc_key);
        let unknown_vpc = match same_vpc {
            Some(Some(k)) if k == *vpc => false,
            Some(Some(_)) | None => return None,
            Some(None) => true,
        };
        let service = if unknown_vpc {
            None
        } else {
            res.props.get("ServiceName").and_then(service_of)
        };
        let kind = match res.props.get("VpcEndpointType").map(|t| &t.val) {
            None => Kind::Gateway,
            Some(Val::Str(t)) if t.eq_ignore_ascii_case("Gateway") => Kind::Gateway,
            Some(Val::Str(t)) if t.eq_ignore_ascii_case("Interface") => {
                match res.props.get("PrivateDnsEnabled").map(|p| p.bool_value()) {
                    Some(V::Known(b, _)) => Kind::Interface { private_dns: b },
                    None => Kind::Interface { private_dns: false },
                    Some(_) => Kind::Unknown,
                }
            }
            Some(Val::Str(_)) => Kind::Other,
            Some(_) => Kind::Unknown,
        };
        Some(Endpoint { res, service, kind })
    }

    /// The route tables among `tables` that a gateway endpoint's `RouteTableIds` leave out (none when the
    /// list cannot be known).
    fn missing_route_tables<'t>(&self, tables: &'t [String]) -> Vec<&'t str> {
        let Some(list) = self.res.props.get("RouteTableIds") else {
            return tables.iter().map(String::as_str).collect();
        };
        if matches!(list.val, Val::Unknown(_) | Val::Choice(_)) {
            return Vec::new();
        }
        let items = list.items();
        tables
            .iter()
            .filter(|t| !items.iter().any(|i| crate::rules::refers_to(i, t)))
            .map(String::as_str)
            .collect()
    }
}

/// `s3` from `com.amazonaws.eu-west-1.s3`, `!Sub com.amazonaws.${AWS::Region}.s3` or CDK's
/// `Fn::Join ["", ["com.amazonaws.", {"Ref": "AWS::Region"}, ".s3"]]`.
fn service_of(node: &Node) -> Option<String> {
    let text = match &node.val {
        Val::Str(s) => s.clone(),
        Val::Tpl(parts) => parts
            .iter()
            .map(|p| match p {
                Part::Lit(s) => s.clone(),
                Part::Link(_) | Part::Unknown(_) => "\u{1}".to_string(),
            })
            .collect(),
        _ => return None,
    };
    let rest = text.strip_prefix("com.amazonaws.")?;
    let (_region, service) = rest.split_once('.')?;
    (!service.is_empty() && !service.contains('\u{1}')).then(|| service.to_ascii_lowercase())
}

/// Whether a statement only allows use through another AWS service: a `kms:ViaService` condition, or
/// `kms:ResourceAliases` naming an AWS managed key (`alias/aws/sns`), which only services use.
fn through_service(st: &Statement) -> bool {
    st.condition.iter().any(|b| {
        b.entries.iter().any(|e| {
            e.key.eq_ignore_ascii_case("kms:ViaService")
                || (e.key.eq_ignore_ascii_case("kms:ResourceAliases")
                    && e.values.iter().all(|v| {
                        v.as_known()
                            .is_some_and(|a| a.to_ascii_lowercase().starts_with("alias/aws/"))
                    }))
        })
    })
}
