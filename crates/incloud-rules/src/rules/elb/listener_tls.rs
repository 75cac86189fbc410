//! `elb-listener-tls`: load balancer listeners encrypt with TLS 1.2 or later, or redirect HTTP to HTTPS.

use crate::rules::{and, expect, Expect};
use crate::{Ctx, Report, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-ELB-001",
        name: "elb-listener-tls",
        severity: Severity::Medium,
        area: Area::DataInTransit,
        title: "Load balancer listeners use TLS 1.2 or later, and HTTP listeners redirect to HTTPS",
        resource_types: &[LISTENER, CLASSIC],
        controls: Controls {
            security_hub: &["ELB.1", "ELB.3", "ELB.8", "ELB.17"],
            aws_config: &[
                "alb-http-to-https-redirection-check",
                "elbv2-predefined-security-policy-ssl-check",
                "elb-predefined-security-policy-ssl-check",
                "elb-tls-https-listeners-only",
            ],
            nist_800_53: &[
                "AC-17(2)", "AC-4", "IA-5(1)", "SC-12(3)", "SC-13", "SC-23", "SC-23(3)", "SC-7(4)",
                "SC-8", "SC-8(1)", "SC-8(2)", "SI-7(6)",
            ],
            pci_dss: &[
                "PCI DSS v3.2.1 2.3",
                "PCI DSS v3.2.1 4.1",
                "PCI DSS v4.0.1 4.2.1",
            ],
            hipaa: &[
                "164.312(a)(2)(iv)",
                "164.312(e)(1)",
                "164.312(e)(2)(i)",
                "164.312(e)(2)(ii)",
            ],
            cdk_nag: &[
                "AwsSolutions-ELB5",
                "NIST.800.53.R5-ALBHttpToHttpsRedirection",
                "HIPAA.Security-ALBHttpToHttpsRedirection",
                "PCI.DSS.321-ALBHttpToHttpsRedirection",
                "NIST.800.53.R5-ELBTlsHttpsListenersOnly",
                "HIPAA.Security-ELBTlsHttpsListenersOnly",
                "PCI.DSS.321-ELBTlsHttpsListenersOnly",
            ],
            cfn_nag: &["W55", "W78"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks Application and Network Load Balancer listeners (AWS::ElasticLoadBalancingV2::Listener) and Classic Load Balancer listeners (AWS::ElasticLoadBalancing::LoadBalancer). An HTTP listener must have a default action that redirects to HTTPS; an HTTPS, TLS or SSL listener must use a security policy whose lowest protocol is TLS 1.2. Policies that still allow TLS 1.0 or 1.1 (ELBSecurityPolicy-2016-08, ELBSecurityPolicy-TLS-1-1-2017-01, ELBSecurityPolicy-TLS13-1-0-2021-06, ...) are reported, with the lowest version they accept. Classic HTTP listeners cannot redirect and are reported."#,
            why: r#"AWS terminates TLS on the load balancer with the protocols and ciphers you choose; which ones is your side of the shared responsibility model. An HTTP listener that forwards to targets sends requests, cookies and tokens in cleartext across the internet. TLS 1.0 and 1.1 are deprecated (RFC 8996): they rely on weak hash constructions and cipher suites, and PCI DSS has disallowed them since 2018. Clients that can do TLS 1.2 are the norm, so keeping older versions open mostly helps downgrade attacks."#,
            unknown: r#"A protocol or SslPolicy that cannot be known (a parameter without a value, an import) is reported at severity info. A policy name that is not an AWS predefined policy is reported at info, since its protocols cannot be read from the template. A listener without SslPolicy is reported at low: the template leaves the policy to the service default."#,
            fix_cloudformation: r#"Redirect HTTP and pin a TLS 1.2+ policy on the HTTPS listener:

    HttpListener:
      Type: AWS::ElasticLoadBalancingV2::Listener
      Properties:
        LoadBalancerArn: !Ref LoadBalancer
        Port: 80
        Protocol: HTTP
        DefaultActions:
          - Type: redirect
            RedirectConfig:
              Protocol: HTTPS
              Port: '443'
              StatusCode: HTTP_301
    HttpsListener:
      Type: AWS::ElasticLoadBalancingV2::Listener
      Properties:
        LoadBalancerArn: !Ref LoadBalancer
        Port: 443
        Protocol: HTTPS
        SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
        Certificates:
          - CertificateArn: !Ref CertificateArn
        DefaultActions:
          - Type: forward
            TargetGroupArn: !Ref TargetGroup

For a Classic Load Balancer, attach an SSLNegotiationPolicyType policy with Reference-Security-Policy ELBSecurityPolicy-TLS-1-2-2017-01 to its HTTPS listeners, or better, move to an Application Load Balancer."#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';

    lb.addListener('Https', {
      port: 443,
      certificates: [certificate],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      defaultTargetGroups: [targetGroup],
    });
    lb.addRedirect();   // HTTP 80 -> HTTPS 443

Python:

    from aws_cdk import aws_elasticloadbalancingv2 as elbv2

    lb.add_listener("Https",
        port=443,
        certificates=[certificate],
        ssl_policy=elbv2.SslPolicy.RECOMMENDED_TLS,
        default_target_groups=[target_group],
    )
    lb.add_redirect()"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_lb_listener" "https" {
      load_balancer_arn = aws_lb.this.arn
      port              = 443
      protocol          = "HTTPS"
      ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
      certificate_arn   = aws_acm_certificate.this.arn
      default_action {
        type             = "forward"
        target_group_arn = aws_lb_target_group.this.arn
      }
    }

    resource "aws_lb_listener" "http" {
      load_balancer_arn = aws_lb.this.arn
      port              = 80
      protocol          = "HTTP"
      default_action {
        type = "redirect"
        redirect {
          port        = "443"
          protocol    = "HTTPS"
          status_code = "HTTP_301"
        }
      }
    }"#,
            fix_cli: r#"Change the policy of an HTTPS listener, and turn an HTTP listener into a redirect:

    aws elbv2 modify-listener --listener-arn LISTENER-ARN \
      --ssl-policy ELBSecurityPolicy-TLS13-1-2-2021-06

    aws elbv2 modify-listener --listener-arn HTTP-LISTENER-ARN \
      --default-actions 'Type=redirect,RedirectConfig={Protocol=HTTPS,Port=443,StatusCode=HTTP_301}'"#,
        },
        options: &[],
    },
    check,
};

const LISTENER: &str = "AWS::ElasticLoadBalancingV2::Listener";
const CLASSIC: &str = "AWS::ElasticLoadBalancing::LoadBalancer";

/// AWS's predefined ELB security policies that accept protocols below TLS 1.2, with the lowest one.
/// Application, Network and Classic Load Balancers share these names.
const WEAK_POLICIES: &[(&str, &str)] = &[
    ("ELBSecurityPolicy-2016-08", "TLS 1.0"),
    ("ELBSecurityPolicy-2015-05", "TLS 1.0"),
    ("ELBSecurityPolicy-2015-03", "TLS 1.0"),
    ("ELBSecurityPolicy-2015-02", "SSL 3.0"),
    ("ELBSecurityPolicy-2014-10", "SSL 3.0"),
    ("ELBSecurityPolicy-2014-01", "SSL 3.0"),
    ("ELBSecurityPolicy-2011-08", "SSL 3.0"),
    ("ELBSecurityPolicy-TLS-1-0-2015-04", "TLS 1.0"),
    ("ELBSecurityPolicy-TLS-1-1-2017-01", "TLS 1.1"),
    ("ELBSecurityPolicy-FS-2018-06", "TLS 1.0"),
    ("ELBSecurityPolicy-FS-1-1-2019-08", "TLS 1.1"),
    ("ELBSecurityPolicy-TLS13-1-0-2021-06", "TLS 1.0"),
    ("ELBSecurityPolicy-TLS13-1-1-2021-06", "TLS 1.1"),
    ("ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04", "TLS 1.0"),
    ("ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04", "TLS 1.1"),
    ("ELBSecurityPolicy-TLS13-1-0-PQ-2025-09", "TLS 1.0"),
    ("ELBSecurityPolicy-TLS13-1-1-PQ-2025-09", "TLS 1.1"),
    ("ELBSample-ELBDefaultCipherPolicy", "SSL 3.0"),
    ("ELBSample-OpenSSLDefaultCipherPolicy", "SSL 3.0"),
];

/// The predefined policies whose lowest protocol is TLS 1.2 or 1.3, by the prefixes of their names.
const STRONG_PREFIXES: &[&str] = &[
    "ELBSecurityPolicy-TLS-1-2-",
    "ELBSecurityPolicy-FS-1-2-",
    "ELBSecurityPolicy-TLS13-1-2-",
    "ELBSecurityPolicy-TLS13-1-3-",
];

enum PolicyJudgement {
    Strong,
    Weak(&'static str),
    NotPredefined,
}

fn judge_policy(name: &str) -> PolicyJudgement {
    if let Some((_, min)) = WEAK_POLICIES.iter().find(|(p, _)| *p == name) {
        PolicyJudgement::Weak(min)
    } else if STRONG_PREFIXES.iter().any(|p| name.starts_with(p)) {
        PolicyJudgement::Strong
    } else {
        PolicyJudgement::NotPredefined
    }
}

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    if res.is(CLASSIC) {
        check_classic(ctx, res);
        return;
    }
    for leaf in res.props.at(&["Protocol"]).leaves() {
        let LeafVal::Known(protocol) = leaf.val else {
            if let LeafVal::Unknown(why) = leaf.val {
                let r = Report {
                    resource: res,
                    span: leaf.span,
                    path: "Properties.Protocol".into(),
                    condition: leaf.condition(),
                    detail: None,
                    message: "Listener protocol".into(),
                };
                ctx.unknown(r, why);
            }
            continue;
        };
        match protocol.as_str() {
            Some("HTTP") => check_redirect(ctx, res, leaf.condition()),
            Some("HTTPS") | Some("TLS") => {
                let e = Expect {
                    absent: (
                        "no SslPolicy: the template leaves the TLS policy to the ELB default instead of pinning one that requires TLS 1.2",
                        Some(Severity::Low),
                    ),
                    condition: leaf.condition(),
                    ..Expect::new("Properties.SslPolicy", "SSL policy", "")
                };
                let policy = res.props.at(&["SslPolicy"]);
                expect(ctx, res, &policy, &e, policy_message);
                for p in policy.leaves() {
                    if let LeafVal::Known(n) = p.val {
                        if let Some(name) = n.as_str() {
                            if let PolicyJudgement::NotPredefined = judge_policy(name) {
                                let r = Report {
                                    resource: res,
                                    span: p.span,
                                    path: "Properties.SslPolicy".into(),
                                    condition: and(leaf.condition().as_deref(), p.condition()),
                                    detail: None,
                                    message: format!("SslPolicy {name}"),
                                };
                                ctx.unknown(
                                    r,
                                    "not a predefined ELB security policy known to incloud",
                                );
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn policy_message(n: &Node) -> Option<String> {
    let Some(name) = n.as_str() else {
        return Some(format!(
            "SslPolicy is {}, not a policy name",
            n.val.describe()
        ));
    };
    match judge_policy(name) {
        PolicyJudgement::Strong => None,
        PolicyJudgement::Weak(min) => Some(format!(
            "SslPolicy {name} accepts {min}; use a policy that requires TLS 1.2 (ELBSecurityPolicy-TLS13-1-2-2021-06)"
        )),
        // Not a failure that can be shown: judged at info below.
        PolicyJudgement::NotPredefined => None,
    }
}

/// An HTTP listener passes when its default actions redirect to HTTPS.
fn check_redirect(ctx: &mut Ctx<'_>, res: &Resource, outer: Option<String>) {
    let actions = res.props.at(&["DefaultActions"]);
    for leaf in actions.leaves() {
        let report = |message: String| Report {
            resource: res,
            span: leaf.span,
            path: "Properties.DefaultActions".into(),
            condition: and(outer.as_deref(), leaf.condition()),
            detail: None,
            message,
        };
        match leaf.val {
            LeafVal::Unknown(why) => ctx.unknown(report("Default action".into()), why),
            LeafVal::Absent => ctx.report(report(
                "HTTP listener without a default action that redirects to HTTPS".into(),
            )),
            LeafVal::Known(list) => {
                let mut unknown = None;
                let mut redirects = false;
                let mut kinds = Vec::new();
                for action in list.items() {
                    let kind = action.get("Type").and_then(|t| t.scalar_string());
                    let proto = action.at(&["RedirectConfig", "Protocol"]);
                    match proto.known().and_then(|p| p.as_str()) {
                        Some(p) if p.eq_ignore_ascii_case("HTTPS") => redirects = true,
                        _ => {}
                    }
                    if let V::Unknown(why, _) = &proto {
                        unknown = Some(why.clone());
                    }
                    kinds.push(kind.unwrap_or_else(|| "unknown".into()));
                }
                match (redirects, unknown) {
                    (true, _) => {}
                    (false, Some(why)) => ctx.unknown(report("Redirect protocol".into()), &why),
                    (false, None) => ctx.report(report(format!(
                        "HTTP listener serves plaintext: its default action is {} rather than a redirect to HTTPS",
                        if kinds.is_empty() { "empty".to_string() } else { kinds.join(", ") }
                    ))),
                }
            }
        }
    }
}

fn check_classic(ctx: &mut Ctx<'_>, res: &Resource) {
    let listeners = res.props.at(&["Listeners"]);
    for leaf in listeners.leaves() {
        let LeafVal::Known(list) = leaf.val else {
            if let LeafVal::Unknown(why) = leaf.val {
                let r = Report {
                    resource: res,
                    span: leaf.span,
                    path: "Properties.Listeners".into(),
                    condition: leaf.condition(),
                    detail: None,
                    message: "Listeners".into(),
                };
                ctx.unknown(r, why);
            }
            continue;
        };
        for listener in list.items() {
            let proto = listener.get("Protocol").and_then(|p| p.scalar_string());
            let port = listener
                .get("LoadBalancerPort")
                .and_then(|p| p.scalar_string())
                .unwrap_or_else(|| "?".into());
            let span = listener
                .get("Protocol")
                .map(|p| p.span)
                .unwrap_or(listener.span);
            let report = |message: String| Report {
                resource: res,
                span,
                path: "Properties.Listeners.Protocol".into(),
                condition: leaf.condition(),
                detail: Some(port.clone()),
                message,
            };
            match proto.as_deref().map(str::to_ascii_uppercase).as_deref() {
                Some("HTTP") => ctx.report(report(format!(
                    "Classic Load Balancer listener on port {port} serves HTTP in plaintext (Classic Load Balancers cannot redirect to HTTPS)"
                ))),
                Some("HTTPS") | Some("SSL") => {
                    match classic_policy(res, listener) {
                        ClassicPolicy::Named(name) => {
                            if let PolicyJudgement::Weak(min) = judge_policy(&name) {
                                ctx.report(report(format!(
                                    "listener on port {port} uses {name}, which accepts {min}"
                                )));
                            }
                        }
                        ClassicPolicy::OldProtocol(p) => ctx.report(report(format!(
                            "listener on port {port} has a custom policy that enables {p}"
                        ))),
                        ClassicPolicy::Custom => {}
                        ClassicPolicy::Default => ctx.report(report(format!(
                            "listener on port {port} has no SSL negotiation policy: Classic Load Balancers then use ELBSecurityPolicy-2016-08, which accepts TLS 1.0"
                        ))),
                    }
                }
                _ => {}
            }
        }
    }
}

enum ClassicPolicy {
    Named(String),
    OldProtocol(String),
    Custom,
    Default,
}

/// The SSL negotiation policy of a classic listener: one of the load balancer's `Policies` named in the
/// listener's `PolicyNames`, read through `Reference-Security-Policy` or its `Protocol-*` attributes.
fn classic_policy(res: &Resource, listener: &Node) -> ClassicPolicy {
    let names: Vec<String> = listener
        .get("PolicyNames")
        .map(|p| p.items().iter().filter_map(|n| n.scalar_string()).collect())
        .unwrap_or_default();
    let policies = res
        .props
        .get("Policies")
        .map(|p| p.items())
        .unwrap_or_default();
    for policy in policies {
        let named = policy
            .get("PolicyName")
            .and_then(|n| n.scalar_string())
            .is_some_and(|n| names.contains(&n));
        let negotiation = policy
            .get("PolicyType")
            .and_then(|t| t.as_str())
            .is_some_and(|t| t == "SSLNegotiationPolicyType");
        if !(named && negotiation) {
            continue;
        }
        let attrs = policy
            .get("Attributes")
            .map(|a| a.items())
            .unwrap_or_default();
        let attr = |name: &str| {
            attrs
                .iter()
                .find(|a| a.get("Name").and_then(|n| n.as_str()) == Some(name))
                .and_then(|a| a.get("Value"))
                .and_then(|v| v.scalar_string())
        };
        if let Some(reference) = attr("Reference-Security-Policy") {
            return ClassicPolicy::Named(reference);
        }
        for old in ["Protocol-SSLv3", "Protocol-TLSv1", "Protocol-TLSv1.1"] {
            if attr(old).is_some_and(|v| v.eq_ignore_ascii_case("true")) {
                return ClassicPolicy::OldProtocol(old.trim_start_matches("Protocol-").into());
            }
        }
        return ClassicPolicy::Custom;
    }
    if names.is_empty() {
        ClassicPolicy::Default
    } else {
        // A policy named here but defined elsewhere (AWS::ElasticLoadBalancing::... or the console).
        ClassicPolicy::Custom
    }
}
