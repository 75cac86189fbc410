//! `apigateway-tls`: API Gateway custom domain names require TLS 1.2.

use crate::rules::{and, expect, Expect};
use crate::{Ctx, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-APIG-001",
        name: "apigateway-tls",
        severity: Severity::Medium,
        area: Area::DataInTransit,
        title: "API Gateway custom domain names require TLS 1.2 or later",
        resource_types: &[DOMAIN, DOMAIN_V2],
        controls: Controls {
            cfn_nag: &["W62"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks the SecurityPolicy of API Gateway custom domain names: AWS::ApiGateway::DomainName (REST APIs) and each DomainNameConfigurations entry of AWS::ApiGatewayV2::DomainName (HTTP and WebSocket APIs). TLS_1_0 is reported. A REST domain name without SecurityPolicy is reported too, since API Gateway then applies TLS_1_0; HTTP API domain names default to TLS_1_2."#,
            why: r#"API Gateway terminates TLS for your custom domain with the security policy you pick. TLS_1_0 keeps TLS 1.0 and 1.1 and their weak cipher suites available to any client, which allows protocol downgrade on hostile networks and fails PCI DSS. Clients that cannot do TLS 1.2 are rare; API Gateway's default *.execute-api endpoints already require it."#,
            unknown: r#"A SecurityPolicy that cannot be known is reported at severity info, as is a policy name incloud does not know."#,
            fix_cloudformation: r#"    ApiDomain:
      Type: AWS::ApiGateway::DomainName
      Properties:
        DomainName: api.example.com
        RegionalCertificateArn: !Ref CertificateArn
        EndpointConfiguration:
          Types: [REGIONAL]
        SecurityPolicy: TLS_1_2"#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    import * as apigw from 'aws-cdk-lib/aws-apigateway';

    new apigw.DomainName(this, 'ApiDomain', {
      domainName: 'api.example.com',
      certificate,
      securityPolicy: apigw.SecurityPolicy.TLS_1_2,
    });

Python:

    from aws_cdk import aws_apigateway as apigw

    apigw.DomainName(self, "ApiDomain",
        domain_name="api.example.com",
        certificate=certificate,
        security_policy=apigw.SecurityPolicy.TLS_1_2,
    )"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_api_gateway_domain_name" "this" {
      domain_name              = "api.example.com"
      regional_certificate_arn = aws_acm_certificate.api.arn
      security_policy          = "TLS_1_2"
      endpoint_configuration {
        types = ["REGIONAL"]
      }
    }"#,
            fix_cli: r#"    aws apigateway update-domain-name --domain-name api.example.com \
      --patch-operations op=replace,path=/securityPolicy,value=TLS_1_2"#,
        },
        options: &[],
    },
    check,
};

const DOMAIN: &str = "AWS::ApiGateway::DomainName";
const DOMAIN_V2: &str = "AWS::ApiGatewayV2::DomainName";

/// Policies that require TLS 1.2 or later: the classic TLS_1_2 and the enhanced `SecurityPolicy_*` ones
/// whose floor is 1.2 or 1.3.
fn strong(policy: &str) -> bool {
    policy == "TLS_1_2"
        || [
            "SecurityPolicy_TLS13_1_2",
            "SecurityPolicy_TLS13_1_3",
            "SecurityPolicy_TLS12",
        ]
        .iter()
        .any(|p| policy.starts_with(p))
}

fn judge(n: &Node) -> Option<String> {
    match n.as_str() {
        Some("TLS_1_0") => Some("SecurityPolicy is TLS_1_0, which accepts TLS 1.0 and 1.1".into()),
        Some(p) if strong(p) => None,
        // Judged at info by the caller.
        Some(_) => None,
        None => Some(format!("SecurityPolicy is {}", n.val.describe())),
    }
}

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    if res.is(DOMAIN) {
        let e = Expect::new(
            "Properties.SecurityPolicy",
            "Security policy",
            "no SecurityPolicy: API Gateway applies TLS_1_0 to REST API domain names",
        );
        let policy = res.props.at(&["SecurityPolicy"]);
        expect(ctx, res, &policy, &e, judge);
        unfamiliar(ctx, res, &policy, None);
        return;
    }
    for leaf in res.props.at(&["DomainNameConfigurations"]).leaves() {
        let LeafVal::Known(list) = leaf.val else {
            continue;
        };
        for config in list.items() {
            let policy = config.at(&["SecurityPolicy"]);
            if matches!(policy, V::Absent(_)) {
                continue; // HTTP API domain names default to TLS_1_2.
            }
            let e = Expect {
                condition: leaf.condition(),
                ..Expect::new(
                    "Properties.DomainNameConfigurations.SecurityPolicy",
                    "Security policy",
                    "",
                )
            };
            expect(ctx, res, &policy, &e, judge);
            unfamiliar(ctx, res, &policy, leaf.condition().as_deref());
        }
    }
}

fn unfamiliar(ctx: &mut Ctx<'_>, res: &Resource, policy: &V<&Node>, outer: Option<&str>) {
    for leaf in policy.leaves() {
        if let LeafVal::Known(n) = leaf.val {
            if let Some(p) = n.as_str() {
                if p != "TLS_1_0" && !strong(p) {
                    let r = crate::Report {
                        resource: res,
                        span: leaf.span,
                        path: "Properties.SecurityPolicy".into(),
                        condition: and(outer, leaf.condition()),
                        detail: None,
                        message: format!("SecurityPolicy {p}"),
                    };
                    ctx.unknown(r, "not an API Gateway security policy known to incloud");
                }
            }
        }
    }
}
