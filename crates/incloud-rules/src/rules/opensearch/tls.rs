//! `opensearch-tls`: OpenSearch domains require HTTPS with TLS 1.2 and encrypt traffic between nodes.

use crate::rules::{expect, Expect};
use crate::{Ctx, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-OS-001",
        name: "opensearch-tls",
        severity: Severity::Medium,
        area: Area::DataInTransit,
        title: "OpenSearch domains require HTTPS with TLS 1.2 and encrypt node-to-node traffic",
        resource_types: &[DOMAIN, ES_DOMAIN],
        controls: Controls {
            security_hub: &["Opensearch.3", "Opensearch.8"],
            aws_config: &[
                "opensearch-https-required",
                "opensearch-node-to-node-encryption-check",
            ],
            nist_800_53: &[
                "AC-17(2)", "AC-4", "IA-5(1)", "SC-12(3)", "SC-13", "SC-23", "SC-23(3)", "SC-7(4)",
                "SC-8", "SC-8(1)", "SC-8(2)", "SI-7(6)",
            ],
            hipaa: &[
                "164.312(a)(2)(iv)",
                "164.312(e)(1)",
                "164.312(e)(2)(i)",
                "164.312(e)(2)(ii)",
            ],
            cdk_nag: &[
                "AwsSolutions-OS2",
                "NIST.800.53.R5-OpenSearchNodeToNodeEncryption",
                "HIPAA.Security-OpenSearchNodeToNodeEncryption",
                "PCI.DSS.321-OpenSearchNodeToNodeEncryption",
            ],
            cfn_nag: &["W85"],
            ..Controls::NONE
        },
        docs: Docs {
            description: r#"Checks Amazon OpenSearch Service domains (AWS::OpenSearchService::Domain and the older AWS::Elasticsearch::Domain) for three settings, each reported on its own: DomainEndpointOptions.EnforceHTTPS true; DomainEndpointOptions.TLSSecurityPolicy one of the Policy-Min-TLS-1-2 policies (Policy-Min-TLS-1-0-2019-07 is reported); and NodeToNodeEncryptionOptions.Enabled true."#,
            why: r#"OpenSearch clusters hold logs, search indexes and often personal data, and AWS runs them with the transport settings you choose. Without EnforceHTTPS the domain endpoint answers plain HTTP, so queries, documents and signed requests travel in cleartext. Policy-Min-TLS-1-0-2019-07 accepts TLS 1.0 and 1.1. Without node-to-node encryption, shard replication and queries between the nodes in your VPC are unencrypted. Node-to-node encryption is also a prerequisite for fine-grained access control."#,
            unknown: r#"A setting that cannot be known (a parameter without a value) is reported at severity info. A TLSSecurityPolicy that is left out is reported at low: the template leaves the floor to the service default instead of pinning TLS 1.2."#,
            fix_cloudformation: r#"    SearchDomain:
      Type: AWS::OpenSearchService::Domain
      Properties:
        EngineVersion: OpenSearch_2.13
        DomainEndpointOptions:
          EnforceHTTPS: true
          TLSSecurityPolicy: Policy-Min-TLS-1-2-PFS-2023-10
        NodeToNodeEncryptionOptions:
          Enabled: true
        EncryptionAtRestOptions:
          Enabled: true

Turning on node-to-node encryption on an existing domain requires OpenSearch or Elasticsearch 6.7 or later and triggers a blue/green deployment."#,
            fix_cdk: r#"TypeScript (aws-cdk-lib v2):

    import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';

    new opensearch.Domain(this, 'Search', {
      version: opensearch.EngineVersion.OPENSEARCH_2_13,
      enforceHttps: true,
      tlsSecurityPolicy: opensearch.TLSSecurityPolicy.TLS_1_2_PFS,
      nodeToNodeEncryption: true,
      encryptionAtRest: { enabled: true },
    });

Python:

    from aws_cdk import aws_opensearchservice as opensearch

    opensearch.Domain(self, "Search",
        version=opensearch.EngineVersion.OPENSEARCH_2_13,
        enforce_https=True,
        tls_security_policy=opensearch.TLSSecurityPolicy.TLS_1_2_PFS,
        node_to_node_encryption=True,
        encryption_at_rest=opensearch.EncryptionAtRestOptions(enabled=True),
    )"#,
            fix_terraform: r#"With AWS provider v5:

    resource "aws_opensearch_domain" "this" {
      domain_name    = "search"
      engine_version = "OpenSearch_2.13"
      domain_endpoint_options {
        enforce_https       = true
        tls_security_policy = "Policy-Min-TLS-1-2-PFS-2023-10"
      }
      node_to_node_encryption {
        enabled = true
      }
    }"#,
            fix_cli: r#"    aws opensearch update-domain-config --domain-name search \
      --domain-endpoint-options EnforceHTTPS=true,TLSSecurityPolicy=Policy-Min-TLS-1-2-PFS-2023-10 \
      --node-to-node-encryption-options Enabled=true"#,
        },
        options: &[],
    },
    check,
};

const DOMAIN: &str = "AWS::OpenSearchService::Domain";
const ES_DOMAIN: &str = "AWS::Elasticsearch::Domain";

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let https = Expect {
        detail: Some("EnforceHTTPS"),
        ..Expect::new(
            "Properties.DomainEndpointOptions.EnforceHTTPS",
            "EnforceHTTPS",
            "EnforceHTTPS is not set, so the domain endpoint also accepts plain HTTP",
        )
    };
    let value = res.props.at(&["DomainEndpointOptions", "EnforceHTTPS"]);
    expect(ctx, res, &value, &https, |n| match n.bool_value() {
        V::Known(true, _) => None,
        _ => Some(format!(
            "EnforceHTTPS is {}: the domain endpoint accepts plain HTTP",
            n.val.describe()
        )),
    });

    let policy = Expect {
        detail: Some("TLSSecurityPolicy"),
        absent: (
            "no TLSSecurityPolicy: the template does not pin a policy that requires TLS 1.2 (the older default, Policy-Min-TLS-1-0-2019-07, accepts TLS 1.0)",
            Some(Severity::Low),
        ),
        ..Expect::new(
            "Properties.DomainEndpointOptions.TLSSecurityPolicy",
            "TLS security policy",
            "",
        )
    };
    let value = res
        .props
        .at(&["DomainEndpointOptions", "TLSSecurityPolicy"]);
    expect(ctx, res, &value, &policy, |n| match n.as_str() {
        Some(p) if p.starts_with("Policy-Min-TLS-1-2") => None,
        Some(p) => Some(format!(
            "TLSSecurityPolicy is {p}, which accepts TLS 1.0 and 1.1"
        )),
        None => Some(format!("TLSSecurityPolicy is {}", n.val.describe())),
    });

    let node = Expect {
        detail: Some("NodeToNodeEncryption"),
        ..Expect::new(
            "Properties.NodeToNodeEncryptionOptions.Enabled",
            "Node-to-node encryption",
            "node-to-node encryption is not enabled (no NodeToNodeEncryptionOptions.Enabled)",
        )
    };
    let value = res.props.at(&["NodeToNodeEncryptionOptions", "Enabled"]);
    expect(ctx, res, &value, &node, |n| match n.bool_value() {
        V::Known(true, _) => None,
        _ => Some(format!(
            "NodeToNodeEncryptionOptions.Enabled is {}: traffic between nodes is not encrypted",
            n.val.describe()
        )),
    });
}
