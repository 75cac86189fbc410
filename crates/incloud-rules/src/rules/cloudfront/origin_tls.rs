//! `cloudfront-origin-tls`: CloudFront connects to custom origins over HTTPS with TLS 1.2.

use crate::rules::cloudfront::tls::{behaviors, DISTRIBUTION};
use crate::{Ctx, Report, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-CF-002",
        name: "cloudfront-origin-tls",
        severity: Severity::Medium,
        area: Area::DataInTransit,
        title: "CloudFront connects to custom origins over HTTPS with TLS 1.2",
        resource_types: &[DISTRIBUTION],
        controls: Controls {
            security_hub: &["CloudFront.9", "CloudFront.10"],
            aws_config: &[
                "cloudfront-traffic-to-origin-encrypted",
                "cloudfront-no-deprecated-ssl-protocols",
            ],
            nist_800_53: &[
                "AC-17(2)", "AC-4", "IA-5(1)", "SC-12(3)", "SC-13", "SC-23", "SC-23(3)", "SC-7(4)",
                "SC-8", "SC-8(1)", "SC-8(2)", "SI-7(6)",
            ],
            pci_dss: &["PCI DSS v4.0.1 4.2.1"],
            cdk_nag: &["AwsSolutions-CFR5"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks every custom origin (an origin with CustomOriginConfig: a load balancer, API, web server or S3 website endpoint) of a CloudFront distribution. OriginProtocolPolicy http-only is reported, and so is match-viewer when a cache behavior that targets the origin allows HTTP viewers (allow-all). OriginSSLProtocols that include SSLv3, TLSv1 or TLSv1.1 are reported, one finding per protocol."#,
            why: r#"HTTPS between viewer and edge is only half of the path: CloudFront fetches from your origin over the public internet with the protocol you choose. With http-only (or match-viewer behind an HTTP viewer), everything CloudFront forwards, including authorization headers and cookies, crosses the internet in cleartext. Allowing SSLv3, TLS 1.0 or 1.1 towards the origin lets a network attacker downgrade the connection."#,
            unknown: r#"An origin protocol policy or protocol list that cannot be known is reported at severity info. OriginSSLProtocols left out is not reported: the template then takes CloudFront's default."#,
            fix_cloudformation: r#"    Origins:
      - Id: api
        DomainName: api.example.com
        CustomOriginConfig:
          OriginProtocolPolicy: https-only
          OriginSSLProtocols: [TLSv1.2]"#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2). HttpOrigin defaults to HTTPS_ONLY with TLS 1.2; do not lower them:

    import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
    import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';

    const origin = new origins.HttpOrigin('api.example.com', {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
    });

Python:

    from aws_cdk import aws_cloudfront as cloudfront, aws_cloudfront_origins as origins

    origin = origins.HttpOrigin("api.example.com",
        protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        origin_ssl_protocols=[cloudfront.OriginSslPolicy.TLS_V1_2],
    )"#,
            fix_terraform: r#"With AWS provider v5:

    origin {
      domain_name = "api.example.com"
      origin_id   = "api"
      custom_origin_config {
        http_port              = 80
        https_port             = 443
        origin_protocol_policy = "https-only"
        origin_ssl_protocols   = ["TLSv1.2"]
      }
    }"#,
            fix_cli: r#"Edit Origins.Items[].CustomOriginConfig in the distribution configuration:

    aws cloudfront get-distribution-config --id DIST-ID > dist.json
    # set OriginProtocolPolicy to https-only and OriginSslProtocols to {"Quantity":1,"Items":["TLSv1.2"]}
    aws cloudfront update-distribution --id DIST-ID --if-match ETAG --distribution-config file://config.json"#,
        },
        options: &[],
    },
    check,
};

const OLD_PROTOCOLS: [&str; 3] = ["SSLv3", "TLSv1", "TLSv1.1"];

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    for config in res.props.at(&["DistributionConfig"]).leaves() {
        let LeafVal::Known(cfg) = config.val else {
            continue;
        };
        let Some(origins) = cfg.get("Origins") else {
            continue;
        };
        let behaviors = behaviors(cfg);
        for origin in origins.items() {
            let Some(custom) = origin.get("CustomOriginConfig") else {
                continue;
            };
            let id_node = origin.get("Id");
            let id = id_node
                .map(|i| i.scalar_string().unwrap_or_else(|| i.val.describe()))
                .unwrap_or_else(|| "?".into());
            let report = |span: Span, path: &str, detail: String, message: String| Report {
                resource: res,
                span,
                path: path.to_string(),
                condition: config.condition(),
                detail: Some(detail),
                message,
            };
            let policy_path =
                "Properties.DistributionConfig.Origins.CustomOriginConfig.OriginProtocolPolicy";
            match custom.get("OriginProtocolPolicy") {
                Some(p) => match &p.val {
                    Val::Str(s) if s == "http-only" => ctx.report(report(
                        p.span,
                        policy_path,
                        id.clone(),
                        format!("origin {id} has OriginProtocolPolicy http-only: CloudFront fetches from it in cleartext"),
                    )),
                    Val::Str(s) if s == "match-viewer" => {
                        let http_viewers = behaviors.iter().any(|(_, b, _)| {
                            // An origin or behavior whose id cannot be compared counts as a match.
                            let targets = match (b.get("TargetOriginId"), id_node) {
                                (Some(t), Some(i)) => t.val == i.val,
                                _ => true,
                            };
                            targets
                                && b.get("ViewerProtocolPolicy").and_then(|v| v.as_str())
                                    == Some("allow-all")
                        });
                        if http_viewers {
                            ctx.report(report(
                                p.span,
                                policy_path,
                                id.clone(),
                                format!("origin {id} has OriginProtocolPolicy match-viewer behind a behavior that allows HTTP viewers, so CloudFront fetches over HTTP"),
                            ));
                        }
                    }
                    Val::Str(_) => {}
                    other => {
                        let why = match other {
                            Val::Unknown(w) => w.clone(),
                            v => v.describe(),
                        };
                        ctx.unknown(
                            report(p.span, policy_path, id.clone(), format!("OriginProtocolPolicy of origin {id}")),
                            &why,
                        );
                    }
                },
                None => ctx.report(report(
                    custom.span,
                    policy_path,
                    id.clone(),
                    format!("origin {id} has no OriginProtocolPolicy"),
                )),
            }
            let Some(protocols) = custom.get("OriginSSLProtocols") else {
                continue;
            };
            let protocol_path =
                "Properties.DistributionConfig.Origins.CustomOriginConfig.OriginSSLProtocols";
            if let Val::Unknown(why) = &protocols.val {
                ctx.unknown(
                    report(
                        protocols.span,
                        protocol_path,
                        id.clone(),
                        format!("OriginSSLProtocols of origin {id}"),
                    ),
                    why,
                );
                continue;
            }
            for p in protocols.items() {
                if let Some(name) = p.as_str() {
                    if OLD_PROTOCOLS.contains(&name) {
                        ctx.report(report(
                            p.span,
                            protocol_path,
                            format!("{id}/{name}"),
                            format!("origin {id} allows {name} in OriginSSLProtocols; allow only TLSv1.2"),
                        ));
                    }
                }
            }
        }
    }
}
