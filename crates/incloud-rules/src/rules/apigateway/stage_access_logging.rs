//! `apigateway-stage-access-logging`: API Gateway stages write access logs.

use crate::{Ctx, Report, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-APIG-002",
        name: "apigateway-stage-access-logging",
        severity: Severity::Medium,
        area: Area::LoggingAndMonitoring,
        title: "API Gateway stages write access logs",
        resource_types: &[STAGE, STAGE_V2, SAM_API, SAM_HTTP_API],
        controls: Controls {
            security_hub: &["APIGateway.9"],
            nist_800_53: &[
                "AC-4(26)", "AU-10", "AU-12", "AU-2", "AU-3", "AU-6(3)", "AU-6(4)", "CA-7",
                "SC-7(9)", "SI-7(8)",
            ],
            pci_dss: &["PCI DSS v4.0.1 10.4.2"],
            cdk_nag: &["AwsSolutions-APIG1"],
            cfn_nag: &["W69", "W46"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks that REST API stages (AWS::ApiGateway::Stage, AWS::Serverless::Api) have an AccessLogSetting with a DestinationArn, and that HTTP and WebSocket API stages (AWS::ApiGatewayV2::Stage, AWS::Serverless::HttpApi) have AccessLogSettings with a DestinationArn. Security Hub APIGateway.9 covers the V2 stages; cdk-nag APIG1 and cfn_nag W69/W46 cover both."#,
            why: r#"API Gateway is the public entry point of many serverless applications, and it records who called which route only if you configure access logging. Access logs give caller IP, identity, route, status and latency per request: the trail you need to spot abuse, investigate a leaked API key or token, and answer an auditor. Execution logs are not a substitute: they are for debugging, are sampled by log level and may hold request bodies."#,
            unknown: r#"An access log destination built from unknown values counts as configured."#,
            fix_cloudformation: r#"    ApiLogs:
      Type: AWS::Logs::LogGroup
      Properties:
        RetentionInDays: 365
    ProdStage:
      Type: AWS::ApiGateway::Stage
      Properties:
        RestApiId: !Ref Api
        DeploymentId: !Ref Deployment
        StageName: prod
        AccessLogSetting:
          DestinationArn: !GetAtt ApiLogs.Arn
          Format: '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","caller":"$context.identity.caller","user":"$context.identity.user","requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath","status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength"}'

For AWS::ApiGatewayV2::Stage the property is AccessLogSettings, with the same two keys. REST APIs need the account-level CloudWatch role (AWS::ApiGateway::Account) once per Region."#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    import * as apigw from 'aws-cdk-lib/aws-apigateway';
    import * as logs from 'aws-cdk-lib/aws-logs';

    const logGroup = new logs.LogGroup(this, 'ApiLogs');
    new apigw.RestApi(this, 'Api', {
      deployOptions: {
        accessLogDestination: new apigw.LogGroupLogDestination(logGroup),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
      },
    });

Python:

    from aws_cdk import aws_apigateway as apigw, aws_logs as logs

    log_group = logs.LogGroup(self, "ApiLogs")
    apigw.RestApi(self, "Api",
        deploy_options=apigw.StageOptions(
            access_log_destination=apigw.LogGroupLogDestination(log_group),
            access_log_format=apigw.AccessLogFormat.json_with_standard_fields(),
        ),
    )"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_api_gateway_stage" "prod" {
      rest_api_id   = aws_api_gateway_rest_api.this.id
      deployment_id = aws_api_gateway_deployment.this.id
      stage_name    = "prod"
      access_log_settings {
        destination_arn = aws_cloudwatch_log_group.api.arn
        format          = jsonencode({ requestId = "$context.requestId", ip = "$context.identity.sourceIp", status = "$context.status" })
      }
    }

For HTTP APIs, use access_log_settings on aws_apigatewayv2_stage."#,
            fix_cli: r#"    aws apigateway update-stage --rest-api-id API-ID --stage-name prod --patch-operations \
      op=replace,path=/accessLogSettings/destinationArn,value=arn:aws:logs:REGION:ACCOUNT:log-group:api-logs \
      'op=replace,path=/accessLogSettings/format,value={"requestId":"$context.requestId","status":"$context.status"}'

    aws apigatewayv2 update-stage --api-id API-ID --stage-name '$default' \
      --access-log-settings DestinationArn=arn:aws:logs:REGION:ACCOUNT:log-group:api-logs,Format='$context.requestId $context.status'"#,
        },
        options: &[],
    },
    check,
};

const STAGE: &str = "AWS::ApiGateway::Stage";
const STAGE_V2: &str = "AWS::ApiGatewayV2::Stage";
const SAM_API: &str = "AWS::Serverless::Api";
const SAM_HTTP_API: &str = "AWS::Serverless::HttpApi";

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let key = if res.is(STAGE) || res.is(SAM_API) {
        "AccessLogSetting"
    } else {
        "AccessLogSettings"
    };
    let path = format!("Properties.{key}.DestinationArn");
    let absent = format!("access logging is not enabled (no {key} with a DestinationArn)");
    // A destination that is present counts, even when its value is unknown (an imported log group).
    for leaf in res.props.at(&[key, "DestinationArn"]).leaves() {
        if let LeafVal::Absent = leaf.val {
            ctx.report(Report {
                resource: res,
                span: leaf.span,
                path: path.clone(),
                condition: leaf.condition(),
                detail: None,
                message: absent.clone(),
            });
        }
    }
}
