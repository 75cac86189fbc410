//! `cloudfront-tls`: CloudFront distributions require HTTPS from viewers, with TLS 1.2 or later.

use crate::rules::{and, expect, Expect};
use crate::{Ctx, Report, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-CF-001",
        name: "cloudfront-tls",
        severity: Severity::Medium,
        area: Area::DataInTransit,
        title: "CloudFront distributions require HTTPS from viewers, with TLS 1.2 or later",
        resource_types: &[DISTRIBUTION],
        controls: Controls {
            security_hub: &["CloudFront.3"],
            nist_800_53: &[
                "AC-17(2)", "AC-4", "IA-5(1)", "SC-12(3)", "SC-13", "SC-23", "SC-23(3)", "SC-7(4)",
                "SC-8", "SC-8(1)", "SC-8(2)", "SI-7(6)",
            ],
            pci_dss: &["PCI DSS v4.0.1 4.2.1"],
            cdk_nag: &["AwsSolutions-CFR4"],
            cfn_nag: &["W70"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks every cache behavior of a CloudFront distribution (the default one and each in CacheBehaviors): ViewerProtocolPolicy allow-all is reported. Also checks the viewer certificate: a MinimumProtocolVersion below TLSv1.2_2021 is reported, as is the default *.cloudfront.net certificate, with which CloudFront accepts TLS 1.0 (reported at low, since only a custom domain can raise it)."#,
            why: r#"CloudFront terminates viewer connections at the edge with the protocols you allow. With allow-all, browsers and API clients that start with http:// talk to your distribution in cleartext: cookies, tokens and the content itself can be read or altered by anyone on the path. TLS 1.0 and 1.1 are deprecated (RFC 8996); the TLSv1.2_2021 security policy drops them and the weak ciphers that came with them."#,
            unknown: r#"A viewer protocol policy or minimum protocol version that cannot be known (a parameter without a value, an import) is reported at severity info."#,
            fix_cloudformation: r#"Redirect HTTP to HTTPS in every behavior and use a custom certificate with TLSv1.2_2021:

    Distribution:
      Type: AWS::CloudFront::Distribution
      Properties:
        DistributionConfig:
          Enabled: true
          Aliases: [www.example.com]
          DefaultCacheBehavior:
            TargetOriginId: site
            ViewerProtocolPolicy: redirect-to-https
            CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6   # CachingOptimized
          ViewerCertificate:
            AcmCertificateArn: !Ref CertificateArn   # in us-east-1
            SslSupportMethod: sni-only
            MinimumProtocolVersion: TLSv1.2_2021
          Origins: [...]"#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';

    new cloudfront.Distribution(this, 'Site', {
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      },
      domainNames: ['www.example.com'],
      certificate,   // an ACM certificate in us-east-1
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
    });

Python:

    from aws_cdk import aws_cloudfront as cloudfront

    cloudfront.Distribution(self, "Site",
        default_behavior=cloudfront.BehaviorOptions(
            origin=origin,
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        ),
        domain_names=["www.example.com"],
        certificate=certificate,
        minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
    )"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_cloudfront_distribution" "this" {
      # ...
      default_cache_behavior {
        viewer_protocol_policy = "redirect-to-https"
        # ...
      }
      viewer_certificate {
        acm_certificate_arn      = aws_acm_certificate.site.arn
        ssl_support_method       = "sni-only"
        minimum_protocol_version = "TLSv1.2_2021"
      }
    }"#,
            fix_cli: r#"Fetch the configuration, edit ViewerProtocolPolicy and ViewerCertificate.MinimumProtocolVersion, and send it back with the ETag:

    aws cloudfront get-distribution-config --id DIST-ID > dist.json
    # edit DistributionConfig in dist.json
    aws cloudfront update-distribution --id DIST-ID --if-match ETAG \
      --distribution-config file://config.json"#,
        },
        options: &[],
    },
    check,
};

pub(crate) const DISTRIBUTION: &str = "AWS::CloudFront::Distribution";

/// Viewer security policies, oldest first; everything before `TLSv1.2_2021` accepts ciphers or protocol
/// versions that the 2021 policy removed.
const WEAK_VERSIONS: &[&str] = &[
    "SSLv3",
    "TLSv1",
    "TLSv1_2016",
    "TLSv1.1_2016",
    "TLSv1.2_2018",
    "TLSv1.2_2019",
];
const STRONG_VERSIONS: &[&str] = &["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"];

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    for config in res.props.at(&["DistributionConfig"]).leaves() {
        let LeafVal::Known(cfg) = config.val else {
            continue;
        };
        let outer = config.condition();
        for (path, behavior, detail) in behaviors(cfg) {
            let e = Expect {
                detail: Some(&detail),
                condition: outer.clone(),
                ..Expect::new(
                    &path,
                    "Viewer protocol policy",
                    "no ViewerProtocolPolicy set",
                )
            };
            expect(ctx, res, &behavior.at(&["ViewerProtocolPolicy"]), &e, |n| {
                match n.as_str() {
                    Some("redirect-to-https") | Some("https-only") => None,
                    Some("allow-all") => Some(format!(
                        "{detail} behavior has ViewerProtocolPolicy allow-all: viewers may use plain HTTP"
                    )),
                    _ => Some(format!("ViewerProtocolPolicy is {}", n.val.describe())),
                }
            });
        }
        check_certificate(ctx, res, cfg, outer.as_deref());
    }
}

/// The default cache behavior and every entry of `CacheBehaviors`, with their paths and a name for each
/// (the path pattern).
pub(crate) fn behaviors(cfg: &Node) -> Vec<(String, &Node, String)> {
    let mut out = Vec::new();
    if let Some(d) = cfg.get("DefaultCacheBehavior") {
        out.push((
            "Properties.DistributionConfig.DefaultCacheBehavior.ViewerProtocolPolicy".to_string(),
            d,
            "default".to_string(),
        ));
    }
    if let Some(list) = cfg.get("CacheBehaviors") {
        for b in list.items() {
            let pattern = b
                .get("PathPattern")
                .and_then(|p| p.scalar_string())
                .unwrap_or_else(|| "?".into());
            out.push((
                "Properties.DistributionConfig.CacheBehaviors.ViewerProtocolPolicy".to_string(),
                b,
                pattern,
            ));
        }
    }
    out
}

fn check_certificate(ctx: &mut Ctx<'_>, res: &Resource, cfg: &Node, outer: Option<&str>) {
    let path = "Properties.DistributionConfig.ViewerCertificate";
    for cert in cfg.at(&["ViewerCertificate"]).leaves() {
        let condition = and(outer, cert.condition());
        let report = |span: Span, path: &str, message: String| Report {
            resource: res,
            span,
            path: path.to_string(),
            condition: condition.clone(),
            detail: Some("certificate".into()),
            message,
        };
        let default_message = "the distribution uses the default *.cloudfront.net certificate, with which CloudFront accepts TLS 1.0; use a custom domain certificate with MinimumProtocolVersion TLSv1.2_2021";
        match cert.val {
            LeafVal::Absent => ctx.report_at(
                Severity::Low,
                report(cert.span, path, default_message.into()),
            ),
            LeafVal::Unknown(why) => {
                ctx.unknown(report(cert.span, path, "Viewer certificate".into()), why)
            }
            LeafVal::Known(c) => {
                let custom =
                    c.get("AcmCertificateArn").is_some() || c.get("IamCertificateId").is_some();
                if !custom {
                    ctx.report_at(
                        Severity::Low,
                        report(cert.span, path, default_message.into()),
                    );
                    continue;
                }
                let e = Expect {
                    detail: Some("certificate"),
                    condition: condition.clone(),
                    ..Expect::new(
                        "Properties.DistributionConfig.ViewerCertificate.MinimumProtocolVersion",
                        "Minimum protocol version",
                        "no MinimumProtocolVersion set: CloudFront then accepts TLSv1",
                    )
                };
                let version = c.at(&["MinimumProtocolVersion"]);
                expect(ctx, res, &version, &e, |n| match n.as_str() {
                    Some(v) if WEAK_VERSIONS.contains(&v) => {
                        Some(format!("MinimumProtocolVersion is {v}, below TLSv1.2_2021"))
                    }
                    Some(_) => None,
                    None => Some(format!("MinimumProtocolVersion is {}", n.val.describe())),
                });
                for leaf in version.leaves() {
                    if let LeafVal::Known(n) = leaf.val {
                        if let Some(v) = n.as_str() {
                            if !WEAK_VERSIONS.contains(&v) && !STRONG_VERSIONS.contains(&v) {
                                let mut r = report(
                                    leaf.span,
                                    "Properties.DistributionConfig.ViewerCertificate.MinimumProtocolVersion",
                                    format!("MinimumProtocolVersion {v}"),
                                );
                                r.condition = and(condition.as_deref(), leaf.condition());
                                ctx.unknown(r, "not a CloudFront security policy known to incloud");
                            }
                        }
                    }
                }
            }
        }
    }
}
