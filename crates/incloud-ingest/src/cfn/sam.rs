//! The AWS SAM transform, as far as the rules need it: `AWS::Serverless-2016-10-31` resources become the
//! CloudFormation resources SAM would create, before intrinsic functions are resolved (as SAM does), so
//! every rule written for `AWS::Lambda::Function`, `AWS::IAM::Role`, `AWS::DynamoDB::Table`, API Gateway and
//! Step Functions also covers SAM templates. Generated resources carry the SAM resource's position, so
//! findings point at what the user wrote.

use crate::error::DocError;
use incloud_model::{Node, Span, Val};
use std::sync::OnceLock;

pub(crate) const TRANSFORM: &str = "AWS::Serverless-2016-10-31";

pub(crate) fn is_sam(root: &Node) -> bool {
    root.get("Transform")
        .is_some_and(|t| t.items().iter().any(|i| i.as_str() == Some(TRANSFORM)))
}

fn s(span: Span, v: &str) -> Node {
    Node::new(span, Val::Str(v.to_string()))
}

fn map(span: Span, entries: Vec<(&str, Node)>) -> Node {
    Node::new(
        span,
        Val::Map(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        ),
    )
}

fn seq(span: Span, items: Vec<Node>) -> Node {
    Node::new(span, Val::Seq(items))
}

fn get_att(span: Span, id: &str, attr: &str) -> Node {
    map(
        span,
        vec![("Fn::GetAtt", seq(span, vec![s(span, id), s(span, attr)]))],
    )
}

fn sub(span: Span, template: &str) -> Node {
    map(span, vec![("Fn::Sub", s(span, template))])
}

/// Globals and a resource's properties merged as SAM does: the resource wins for values, maps merge, lists
/// concatenate (globals first).
fn merge(global: &Node, local: &Node) -> Node {
    match (&global.val, &local.val) {
        (Val::Map(g), Val::Map(l)) if !is_intrinsic(local) && !is_intrinsic(global) => {
            let mut out: Vec<(String, Node)> = Vec::with_capacity(g.len() + l.len());
            for (k, gv) in g {
                match l.iter().find(|(lk, _)| lk == k) {
                    Some((_, lv)) => out.push((k.clone(), merge(gv, lv))),
                    None => out.push((k.clone(), gv.clone())),
                }
            }
            for (k, lv) in l {
                if !g.iter().any(|(gk, _)| gk == k) {
                    out.push((k.clone(), lv.clone()));
                }
            }
            Node::new(local.span, Val::Map(out))
        }
        (Val::Seq(g), Val::Seq(l)) => {
            Node::new(local.span, Val::Seq(g.iter().chain(l).cloned().collect()))
        }
        _ => local.clone(),
    }
}

fn is_intrinsic(n: &Node) -> bool {
    matches!(&n.val, Val::Map(e) if e.len() == 1 && (e[0].0 == "Ref" || e[0].0.starts_with("Fn::")))
}

fn with_globals(globals: Option<&Node>, section: &str, props: Option<&Node>, span: Span) -> Node {
    let empty = Node::new(span, Val::Map(Vec::new()));
    let local = props.cloned().unwrap_or_else(|| empty.clone());
    match globals.and_then(|g| g.get(section)) {
        Some(g) => merge(g, &local),
        None => local,
    }
}

/// Copy the listed properties that are present.
fn copy(props: &Node, keys: &[&str]) -> Vec<(String, Node)> {
    keys.iter()
        .filter_map(|k| props.get(k).map(|v| (k.to_string(), v.clone())))
        .collect()
}

/// The policy templates incloud expands, in CloudFormation syntax (see data/sam-policy-templates.json).
fn policy_templates() -> &'static serde_json::Map<String, serde_json::Value> {
    static T: OnceLock<serde_json::Map<String, serde_json::Value>> = OnceLock::new();
    T.get_or_init(|| {
        serde_json::from_str(include_str!("../../data/sam-policy-templates.json"))
            .unwrap_or_default()
    })
}

fn from_json(v: &serde_json::Value, span: Span) -> Node {
    let val = match v {
        serde_json::Value::Null => Val::Null,
        serde_json::Value::Bool(b) => Val::Bool(*b),
        serde_json::Value::Number(n) => Val::Num(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(x) => Val::Str(x.clone()),
        serde_json::Value::Array(a) => Val::Seq(a.iter().map(|i| from_json(i, span)).collect()),
        serde_json::Value::Object(o) => Val::Map(
            o.iter()
                .map(|(k, v)| (k.clone(), from_json(v, span)))
                .collect(),
        ),
    };
    Node::new(span, val)
}

/// Replace `{"Ref": "<Parameter>"}` in a template's statements with the values the SAM resource passes.
fn substitute(n: Node, params: &Node) -> Node {
    match n.val {
        Val::Map(entries) => {
            if let [(k, v)] = entries.as_slice() {
                if k == "Ref" {
                    if let Some(value) = v.as_str().and_then(|p| params.get(p)) {
                        return value.clone();
                    }
                }
            }
            Node::new(
                n.span,
                Val::Map(
                    entries
                        .into_iter()
                        .map(|(k, v)| (k, substitute(v, params)))
                        .collect(),
                ),
            )
        }
        Val::Seq(items) => Node::new(
            n.span,
            Val::Seq(items.into_iter().map(|i| substitute(i, params)).collect()),
        ),
        other => Node::new(n.span, other),
    }
}

/// AWS managed policies SAM refers to by name live under `service-role/` for these.
const SERVICE_ROLE_POLICIES: &[&str] = &[
    "AWSLambdaBasicExecutionRole",
    "AWSLambdaVPCAccessExecutionRole",
    "AWSLambdaRole",
    "AWSLambdaDynamoDBExecutionRole",
    "AWSLambdaKinesisExecutionRole",
    "AWSLambdaSQSQueueExecutionRole",
    "AWSLambdaMSKExecutionRole",
    "AWSLambdaENIManagementAccess",
    "AWSXrayWriteOnlyAccess",
];

fn managed_arn(span: Span, name: &str) -> Node {
    if name.starts_with("arn:") {
        return s(span, name);
    }
    let path = if SERVICE_ROLE_POLICIES.contains(&name) && name != "AWSXrayWriteOnlyAccess" {
        "service-role/"
    } else {
        ""
    };
    sub(
        span,
        &format!("arn:${{AWS::Partition}}:iam::aws:policy/{path}{name}"),
    )
}

/// A role for a function or state machine, as SAM generates it from `Policies`.
fn role(span: Span, id: &str, service: &str, props: &Node, mut managed: Vec<Node>) -> Node {
    let mut inline = Vec::new();
    let policies = props.get("Policies").map(|p| p.items()).unwrap_or_default();
    for p in policies {
        match &p.val {
            Val::Str(name) => managed.push(managed_arn(p.span, name)),
            // `!Ref SomePolicy`, `!GetAtt`, `!Sub arn:…`: a managed policy ARN; `Fn::If` is left out.
            Val::Map(entries) if is_intrinsic(p) && entries[0].0 != "Fn::If" => {
                managed.push(p.clone())
            }
            Val::Map(_) if is_intrinsic(p) => {}
            Val::Map(entries) => {
                if p.get("Statement").is_some() {
                    inline.push(p.clone());
                } else if let [(name, params)] = entries.as_slice() {
                    if let Some(def) = policy_templates().get(name) {
                        let statements = substitute(from_json(def, p.span), params);
                        inline.push(map(
                            p.span,
                            vec![
                                ("Version", s(p.span, "2012-10-17")),
                                ("Statement", statements),
                            ],
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    let assume = map(
        span,
        vec![
            ("Version", s(span, "2012-10-17")),
            (
                "Statement",
                seq(
                    span,
                    vec![map(
                        span,
                        vec![
                            ("Effect", s(span, "Allow")),
                            (
                                "Principal",
                                map(span, vec![("Service", seq(span, vec![s(span, service)]))]),
                            ),
                            ("Action", seq(span, vec![s(span, "sts:AssumeRole")])),
                        ],
                    )],
                ),
            ),
        ],
    );
    let mut role_props = vec![
        ("AssumeRolePolicyDocument".to_string(), assume),
        ("ManagedPolicyArns".to_string(), seq(span, managed)),
    ];
    if !inline.is_empty() {
        let docs = inline
            .into_iter()
            .enumerate()
            .map(|(i, d)| {
                map(
                    d.span,
                    vec![
                        ("PolicyName", s(d.span, &format!("{id}RolePolicy{i}"))),
                        ("PolicyDocument", d),
                    ],
                )
            })
            .collect();
        role_props.push(("Policies".to_string(), seq(span, docs)));
    }
    role_props.extend(copy(props, &["PermissionsBoundary"]));
    Node::new(span, Val::Map(role_props))
}

/// A generated resource entry: type, properties, and the SAM resource's condition and metadata.
fn resource(span: Span, rtype: &str, props: Node, original: &Node) -> Node {
    let mut entries = vec![
        ("Type".to_string(), s(span, rtype)),
        ("Properties".to_string(), props),
    ];
    entries.extend(copy(
        original,
        &[
            "Condition",
            "Metadata",
            "DependsOn",
            "DeletionPolicy",
            "UpdateReplacePolicy",
        ],
    ));
    Node::new(span, Val::Map(entries))
}

/// Add a generated resource built from `entries`.
fn emit(
    out: &mut Vec<(String, Node)>,
    id: impl Into<String>,
    span: Span,
    rtype: &str,
    props_span: Span,
    entries: Vec<(String, Node)>,
    original: &Node,
) {
    out.push((
        id.into(),
        resource(
            span,
            rtype,
            Node::new(props_span, Val::Map(entries)),
            original,
        ),
    ));
}

fn props_or_empty(res: &Node, span: Span) -> Node {
    res.get("Properties")
        .cloned()
        .unwrap_or_else(|| Node::new(span, Val::Map(Vec::new())))
}

/// The template with SAM resources replaced by what SAM generates.
pub(crate) fn transform(root: &Node) -> Result<Node, DocError> {
    let globals = root.get("Globals");
    let Some(Val::Map(resources)) = root.get("Resources").map(|r| &r.val) else {
        return Ok(root.clone());
    };
    let mut out: Vec<(String, Node)> = Vec::with_capacity(resources.len() + 8);
    // The first Api / HttpApi event that names no API: SAM then creates an implicit API for the template.
    let mut implicit_rest: Option<Span> = None;
    let mut implicit_http: Option<Span> = None;
    for (id, res) in resources {
        let span = res.span;
        let rtype = res.get("Type").and_then(|t| t.as_str()).unwrap_or("");
        match rtype {
            "AWS::Serverless::Function" => {
                let props = with_globals(globals, "Function", res.get("Properties"), span);
                let events = match props.get("Events").map(|e| &e.val) {
                    Some(Val::Map(e)) => e.as_slice(),
                    _ => &[],
                };
                for event in events {
                    let (kind, named) = match event.1.get("Type").and_then(|t| t.as_str()) {
                        Some("Api") => (&mut implicit_rest, "RestApiId"),
                        Some("HttpApi") => (&mut implicit_http, "ApiId"),
                        _ => continue,
                    };
                    let names_api = event
                        .1
                        .get("Properties")
                        .and_then(|p| p.get(named))
                        .is_some();
                    if !names_api && kind.is_none() {
                        *kind = Some(event.1.span);
                    }
                }
                let mut f = copy(
                    &props,
                    &[
                        "Runtime",
                        "Handler",
                        "MemorySize",
                        "Timeout",
                        "Environment",
                        "VpcConfig",
                        "KmsKeyArn",
                        "Layers",
                        "ReservedConcurrentExecutions",
                        "Architectures",
                        "Description",
                        "FunctionName",
                        "LoggingConfig",
                        "EphemeralStorage",
                        "FileSystemConfigs",
                        "ImageConfig",
                        "PackageType",
                        "CodeSigningConfigArn",
                        "RuntimeManagementConfig",
                        "SnapStart",
                        "RecursiveLoop",
                    ],
                );
                if let Some(code) = props.get("InlineCode") {
                    f.push((
                        "Code".into(),
                        map(code.span, vec![("ZipFile", code.clone())]),
                    ));
                }
                if let Some(t) = props.get("Tracing") {
                    f.push((
                        "TracingConfig".into(),
                        map(t.span, vec![("Mode", t.clone())]),
                    ));
                }
                if let Some(dlq) = props
                    .get("DeadLetterQueue")
                    .and_then(|d| d.get("TargetArn"))
                {
                    f.push((
                        "DeadLetterConfig".into(),
                        map(dlq.span, vec![("TargetArn", dlq.clone())]),
                    ));
                }
                match props.get("Role") {
                    Some(r) => f.push(("Role".into(), r.clone())),
                    None => {
                        let role_id = format!("{id}Role");
                        let mut managed = vec![managed_arn(span, "AWSLambdaBasicExecutionRole")];
                        if props.get("VpcConfig").is_some() {
                            managed.push(managed_arn(span, "AWSLambdaVPCAccessExecutionRole"));
                        }
                        if props.get("Tracing").and_then(|t| t.as_str()) == Some("Active") {
                            managed.push(managed_arn(span, "AWSXrayWriteOnlyAccess"));
                        }
                        let r = role(span, id, "lambda.amazonaws.com", &props, managed);
                        out.push((role_id.clone(), resource(span, "AWS::IAM::Role", r, res)));
                        f.push(("Role".into(), get_att(span, &role_id, "Arn")));
                    }
                }
                if let Some(url) = props.get("FunctionUrlConfig") {
                    let mut u = vec![(
                        "TargetFunctionArn".to_string(),
                        map(span, vec![("Ref", s(span, id))]),
                    )];
                    u.extend(copy(url, &["AuthType", "Cors", "InvokeMode"]));
                    emit(
                        &mut out,
                        format!("{id}Url"),
                        url.span,
                        "AWS::Lambda::Url",
                        url.span,
                        u,
                        res,
                    );
                }
                emit(
                    &mut out,
                    id.clone(),
                    span,
                    "AWS::Lambda::Function",
                    props.span,
                    f,
                    res,
                );
            }
            "AWS::Serverless::SimpleTable" => {
                let props = with_globals(globals, "SimpleTable", res.get("Properties"), span);
                let mut t = copy(
                    &props,
                    &[
                        "TableName",
                        "SSESpecification",
                        "ProvisionedThroughput",
                        "Tags",
                    ],
                );
                if props.get("ProvisionedThroughput").is_none() {
                    t.push(("BillingMode".into(), s(span, "PAY_PER_REQUEST")));
                }
                emit(
                    &mut out,
                    id.clone(),
                    span,
                    "AWS::DynamoDB::Table",
                    props.span,
                    t,
                    res,
                );
            }
            "AWS::Serverless::Api" => {
                let props = with_globals(globals, "Api", res.get("Properties"), span);
                rest_api(&mut out, id, span, &props, res);
            }
            "AWS::Serverless::HttpApi" => {
                let props = with_globals(globals, "HttpApi", res.get("Properties"), span);
                http_api(&mut out, id, span, &props, res);
            }
            "AWS::Serverless::StateMachine" => {
                let props = props_or_empty(res, span);
                let mut sm = copy(
                    &props,
                    &[
                        "Name",
                        "Type",
                        "Definition",
                        "DefinitionUri",
                        "DefinitionSubstitutions",
                        "Tags",
                    ],
                );
                if let Some(l) = props.get("Logging") {
                    sm.push(("LoggingConfiguration".into(), l.clone()));
                }
                if let Some(t) = props.get("Tracing") {
                    sm.push(("TracingConfiguration".into(), t.clone()));
                }
                match props.get("Role") {
                    Some(r) => sm.push(("RoleArn".into(), r.clone())),
                    None => {
                        let role_id = format!("{id}Role");
                        let r = role(span, id, "states.amazonaws.com", &props, Vec::new());
                        out.push((role_id.clone(), resource(span, "AWS::IAM::Role", r, res)));
                        sm.push(("RoleArn".into(), get_att(span, &role_id, "Arn")));
                    }
                }
                emit(
                    &mut out,
                    id.clone(),
                    span,
                    "AWS::StepFunctions::StateMachine",
                    props.span,
                    sm,
                    res,
                );
            }
            "AWS::Serverless::LayerVersion" => {
                let props = props_or_empty(res, span);
                let l = copy(
                    &props,
                    &[
                        "LayerName",
                        "Description",
                        "CompatibleRuntimes",
                        "CompatibleArchitectures",
                        "LicenseInfo",
                    ],
                );
                emit(
                    &mut out,
                    id.clone(),
                    span,
                    "AWS::Lambda::LayerVersion",
                    props.span,
                    l,
                    res,
                );
            }
            "AWS::Serverless::Application" => {
                let props = props_or_empty(res, span);
                let mut st = copy(
                    &props,
                    &["Parameters", "NotificationARNs", "Tags", "TimeoutInMinutes"],
                );
                if let Some(loc) = props.get("Location").filter(|l| l.as_str().is_some()) {
                    st.push(("TemplateURL".into(), loc.clone()));
                }
                emit(
                    &mut out,
                    id.clone(),
                    span,
                    "AWS::CloudFormation::Stack",
                    props.span,
                    st,
                    res,
                );
            }
            _ => out.push((id.clone(), res.clone())),
        }
    }
    let taken = |out: &[(String, Node)], id: &str| out.iter().any(|(k, _)| k == id);
    let generated = Node::new(root.span, Val::Map(Vec::new()));
    if let Some(span) = implicit_rest.filter(|_| !taken(&out, "ServerlessRestApi")) {
        let local = map(span, vec![("StageName", s(span, "Prod"))]);
        let props = with_globals(globals, "Api", Some(&local), span);
        rest_api(&mut out, "ServerlessRestApi", span, &props, &generated);
    }
    if let Some(span) = implicit_http.filter(|_| !taken(&out, "ServerlessHttpApi")) {
        let props = with_globals(globals, "HttpApi", None, span);
        http_api(&mut out, "ServerlessHttpApi", span, &props, &generated);
    }
    let mut root_entries: Vec<(String, Node)> = match &root.val {
        Val::Map(e) => e
            .iter()
            .filter(|(k, _)| k != "Resources" && k != "Globals")
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    let resources_span = root.get("Resources").map(|r| r.span).unwrap_or(root.span);
    root_entries.push(("Resources".into(), Node::new(resources_span, Val::Map(out))));
    Ok(Node::new(root.span, Val::Map(root_entries)))
}

/// An `AWS::Serverless::Api`: the REST API, its stage and its custom domain.
fn rest_api(out: &mut Vec<(String, Node)>, id: &str, span: Span, props: &Node, res: &Node) {
    let api = copy(
        props,
        &[
            "Name",
            "Description",
            "EndpointConfiguration",
            "Policy",
            "MinimumCompressionSize",
            "DisableExecuteApiEndpoint",
            "Tags",
        ],
    );
    emit(
        out,
        id,
        span,
        "AWS::ApiGateway::RestApi",
        props.span,
        api,
        res,
    );
    let mut stage = vec![(
        "RestApiId".to_string(),
        map(span, vec![("Ref", s(span, id))]),
    )];
    stage.extend(copy(
        props,
        &[
            "StageName",
            "AccessLogSetting",
            "MethodSettings",
            "TracingEnabled",
            "CacheClusterEnabled",
            "CacheClusterSize",
            "Variables",
            "CanarySetting",
        ],
    ));
    let stage_name = props
        .get("StageName")
        .and_then(|n| n.as_str())
        .unwrap_or("Stage")
        .to_string();
    emit(
        out,
        format!("{id}{stage_name}Stage"),
        span,
        "AWS::ApiGateway::Stage",
        props.span,
        stage,
        res,
    );
    if let Some(d) = props.get("Domain") {
        let dn = copy(
            d,
            &[
                "DomainName",
                "SecurityPolicy",
                "EndpointConfiguration",
                "CertificateArn",
                "MutualTlsAuthentication",
            ],
        );
        emit(
            out,
            format!("{id}DomainName"),
            d.span,
            "AWS::ApiGateway::DomainName",
            d.span,
            dn,
            res,
        );
    }
}

/// An `AWS::Serverless::HttpApi`: the HTTP API, its `$default` stage and its custom domain.
fn http_api(out: &mut Vec<(String, Node)>, id: &str, span: Span, props: &Node, res: &Node) {
    let mut api = vec![("ProtocolType".to_string(), s(span, "HTTP"))];
    api.extend(copy(
        props,
        &[
            "Name",
            "Description",
            "CorsConfiguration",
            "DisableExecuteApiEndpoint",
            "Tags",
        ],
    ));
    emit(
        out,
        id,
        span,
        "AWS::ApiGatewayV2::Api",
        props.span,
        api,
        res,
    );
    let mut stage = vec![
        ("ApiId".to_string(), map(span, vec![("Ref", s(span, id))])),
        (
            "StageName".to_string(),
            props
                .get("StageName")
                .cloned()
                .unwrap_or_else(|| s(span, "$default")),
        ),
        ("AutoDeploy".to_string(), Node::new(span, Val::Bool(true))),
    ];
    stage.extend(copy(
        props,
        &[
            "AccessLogSettings",
            "DefaultRouteSettings",
            "RouteSettings",
            "StageVariables",
        ],
    ));
    emit(
        out,
        format!("{id}ApiGatewayDefaultStage"),
        span,
        "AWS::ApiGatewayV2::Stage",
        props.span,
        stage,
        res,
    );
    if let Some(d) = props.get("Domain") {
        let mut cfg = copy(d, &["SecurityPolicy", "CertificateArn", "EndpointType"]);
        if let Some(ep) = d.get("EndpointConfiguration") {
            cfg.push(("EndpointType".into(), ep.clone()));
        }
        let mut dn = copy(d, &["DomainName"]);
        dn.push((
            "DomainNameConfigurations".into(),
            seq(d.span, vec![Node::new(d.span, Val::Map(cfg))]),
        ));
        emit(
            out,
            format!("{id}DomainName"),
            d.span,
            "AWS::ApiGatewayV2::DomainName",
            d.span,
            dn,
            res,
        );
    }
}
