//! The SAM transform: SAM resources become what SAM creates, so rules written for CloudFormation apply.

use incloud_ingest::{load_str, Inputs, Limits};
use incloud_model::{FileId, Link, Part, Val};

const TEMPLATE: &str = r#"
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Tracing: Active
    Environment:
      Variables:
        LOG_LEVEL: INFO
Resources:
  Uploads:
    Type: AWS::S3::Bucket
  Resize:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: src/
      Environment:
        Variables:
          TABLE: !Ref Items
      VpcConfig:
        SubnetIds: [subnet-1]
        SecurityGroupIds: [sg-1]
      Policies:
        - AmazonS3ReadOnlyAccess
        - S3ReadPolicy:
            BucketName: !Ref Uploads
        - Statement:
            - Effect: Allow
              Action: sqs:SendMessage
              Resource: "*"
      FunctionUrlConfig:
        AuthType: NONE
  Items:
    Type: AWS::Serverless::SimpleTable
    Properties:
      SSESpecification:
        SSEEnabled: true
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      Domain:
        DomainName: api.example.com
        CertificateArn: arn:aws:acm:eu-west-1:111122223333:certificate/abc
        SecurityPolicy: TLS_1_2
"#;

#[test]
fn functions_get_their_role_globals_and_policy_templates() {
    let stack = load_str(TEMPLATE, FileId(0), &Inputs::default(), &Limits::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let f = stack.resource("Resize").expect("function");
    assert_eq!(f.rtype, "AWS::Lambda::Function");
    assert_eq!(f.span.line, 15, "findings point at the SAM resource");
    assert_eq!(
        f.props.get("Runtime").and_then(|r| r.as_str()),
        Some("python3.12")
    );
    assert_eq!(
        f.props
            .at(&["TracingConfig", "Mode"])
            .known()
            .and_then(|n| n.as_str()),
        Some("Active")
    );
    let vars = f
        .props
        .get("Environment")
        .and_then(|e| e.get("Variables"))
        .expect("variables");
    assert_eq!(
        vars.get("LOG_LEVEL").and_then(|v| v.as_str()),
        Some("INFO"),
        "globals merge into maps"
    );
    assert!(matches!(
        vars.get("TABLE").map(|v| &v.val),
        Some(Val::Link(_))
    ));
    assert_eq!(
        f.props.get("Role").map(|r| r.val.clone()),
        Some(Val::Link(Link {
            target: "ResizeRole".into(),
            attr: Some("Arn".into())
        }))
    );

    let role = stack.resource("ResizeRole").expect("generated role");
    assert_eq!(role.rtype, "AWS::IAM::Role");
    let managed: Vec<String> = role
        .props
        .get("ManagedPolicyArns")
        .unwrap()
        .items()
        .iter()
        .filter_map(|n| n.scalar_string())
        .collect();
    assert_eq!(
        managed,
        vec![
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
            "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
            "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
        ]
    );
    let policies = role.props.get("Policies").unwrap().items();
    assert_eq!(policies.len(), 2);
    let s3 = &policies[0]
        .at(&["PolicyDocument", "Statement"])
        .known()
        .unwrap()
        .items()[0];
    let resources = s3.get("Resource").unwrap().items();
    assert_eq!(
        resources[1].val,
        Val::Tpl(vec![
            Part::Lit("arn:aws:s3:::".into()),
            Part::Link(Link {
                target: "Uploads".into(),
                attr: None
            }),
            Part::Lit("/*".into())
        ]),
        "the template's BucketName is the value the function passes"
    );
    let url = stack.resource("ResizeUrl").expect("function URL");
    assert_eq!(
        url.props.get("AuthType").and_then(|a| a.as_str()),
        Some("NONE")
    );
}

#[test]
fn tables_and_apis_become_their_cloudformation_resources() {
    let stack = load_str(TEMPLATE, FileId(0), &Inputs::default(), &Limits::default()).unwrap();
    let t = stack.resource("Items").unwrap();
    assert_eq!(t.rtype, "AWS::DynamoDB::Table");
    assert_eq!(
        t.props
            .at(&["SSESpecification", "SSEEnabled"])
            .known()
            .map(|n| n.val.clone()),
        Some(Val::Bool(true))
    );
    assert_eq!(
        stack.resource("Api").unwrap().rtype,
        "AWS::ApiGatewayV2::Api"
    );
    assert_eq!(
        stack.resource("ApiApiGatewayDefaultStage").unwrap().rtype,
        "AWS::ApiGatewayV2::Stage"
    );
    let d = stack.resource("ApiDomainName").unwrap();
    assert_eq!(d.rtype, "AWS::ApiGatewayV2::DomainName");
    let cfg = &d.props.get("DomainNameConfigurations").unwrap().items()[0];
    assert_eq!(
        cfg.get("SecurityPolicy").and_then(|p| p.as_str()),
        Some("TLS_1_2")
    );
}

/// Api and HttpApi events that name no API make SAM create `ServerlessRestApi` (stage `Prod`) and
/// `ServerlessHttpApi` (stage `$default`) with the Globals of their kind, so stage rules see them.
#[test]
fn events_without_an_api_create_the_implicit_apis() {
    let template = r#"
Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    TracingEnabled: true
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Events:
        Nightly:
          Type: Schedule
          Properties:
            Schedule: rate(1 day)
        List:
          Type: Api
          Properties:
            Path: /orders
            Method: get
        Create:
          Type: Api
          Properties:
            Path: /orders
            Method: post
  Named:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Events:
        Ping:
          Type: HttpApi
          Properties:
            ApiId: !Ref Explicit
            Path: /ping
            Method: get
  Explicit:
    Type: AWS::Serverless::HttpApi
"#;
    let stack = load_str(template, FileId(0), &Inputs::default(), &Limits::default()).unwrap();
    let api = stack
        .resource("ServerlessRestApi")
        .expect("implicit REST API");
    assert_eq!(api.rtype, "AWS::ApiGateway::RestApi");
    let stage = stack
        .resource("ServerlessRestApiProdStage")
        .expect("its Prod stage");
    assert_eq!(stage.rtype, "AWS::ApiGateway::Stage");
    assert_eq!(stage.span.line, 18, "points at the first Api event");
    assert_eq!(
        stage.props.get("StageName").and_then(|n| n.as_str()),
        Some("Prod")
    );
    assert_eq!(
        stage.props.get("TracingEnabled").map(|n| n.val.clone()),
        Some(Val::Bool(true)),
        "Globals.Api applies to the implicit API"
    );
    assert!(
        stage.props.get("AccessLogSetting").is_none(),
        "no access log unless the template sets one"
    );
    assert!(
        stack.resource("ServerlessHttpApi").is_none(),
        "an HttpApi event naming its API creates no implicit HTTP API"
    );
    assert!(stack.resource("ExplicitApiGatewayDefaultStage").is_some());
}
