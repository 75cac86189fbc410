//! Synthetic findings for the renderers' tests: two rules, a suppressed finding, a conditional one, a CDK one.

use crate::{LoadErrorEntry, Scan};
use incloud_model::*;
use std::path::PathBuf;

const DOCS: Docs = Docs {
    description: "Checks that the bucket blocks public access.",
    why: "A public bucket can be read by anyone.",
    unknown: "Unknown values count as not blocking.",
    fix_cloudformation: "Set PublicAccessBlockConfiguration:\n\n    BlockPublicAcls: true",
    fix_cdk: "blockPublicAccess: BlockPublicAccess.BLOCK_ALL",
    fix_terraform: "",
    fix_cli: "aws s3api put-public-access-block ...",
};

pub(crate) static PUBLIC: RuleMeta = RuleMeta {
    code: "IN-S3-001",
    name: "s3-bucket-public-access-block",
    severity: Severity::High,
    area: Area::DataAtRest,
    title: "S3 buckets block public access",
    resource_types: &["AWS::S3::Bucket"],
    controls: Controls {
        security_hub: &["S3.8"],
        aws_config: &["s3-bucket-level-public-access-prohibited"],
        cis: &["CIS AWS Foundations v3.0.0 2.1.4"],
        nist_800_53: &["AC-3", "SC-7"],
        pci_dss: &[],
        hipaa: &["164.312(a)(1)"],
        cdk_nag: &["AwsSolutions-S2"],
        cfn_nag: &[],
        checkov: &["CKV_AWS_53"],
    },
    docs: DOCS,
    options: &[],
};

pub(crate) static TLS: RuleMeta = RuleMeta {
    code: "IN-S3-002",
    name: "s3-bucket-tls-only",
    severity: Severity::Medium,
    area: Area::DataInTransit,
    title: "S3 bucket policies deny requests that do not use TLS",
    resource_types: &["AWS::S3::Bucket"],
    controls: Controls::NONE,
    docs: Docs {
        description: "Checks for a deny on aws:SecureTransport = false.",
        ..DOCS
    },
    options: &[],
};

pub(crate) static RULES: [&RuleMeta; 2] = [&PUBLIC, &TLS];

pub(crate) struct Fixture {
    pub files: Vec<SourceFile>,
    pub findings: Vec<Finding>,
    pub errors: Vec<LoadErrorEntry>,
}

impl Fixture {
    pub fn scan(&self) -> Scan<'_> {
        Scan {
            tool_version: "0.1.0",
            files: &self.files,
            findings: &self.findings,
            errors: &self.errors,
            warnings: &[],
            stacks: 2,
            scanned_files: 2,
            resources: 5,
        }
    }
}

pub(crate) fn finding(
    rule: &'static RuleMeta,
    file: u32,
    line: u32,
    id: &str,
    message: &str,
) -> Finding {
    Finding {
        rule,
        severity: rule.severity,
        message: message.to_string(),
        resource: FindingResource {
            id: id.to_string(),
            rtype: "AWS::S3::Bucket".to_string(),
            stack: None,
            cdk_path: None,
            cdk_internal: false,
        },
        location: Span::new(FileId(file), line, 7),
        path: "Properties".to_string(),
        condition: None,
        detail: None,
        fingerprint: format!("{}-{id}-{line}", rule.code),
        suppression: None,
    }
}

/// Four findings over two files: a plain one, a conditional one, a suppressed one, and one from a CDK stack.
pub(crate) fn fixture() -> Fixture {
    let files = vec![
        SourceFile {
            id: FileId(0),
            path: PathBuf::from("templates/app.yaml"),
        },
        SourceFile {
            id: FileId(1),
            path: PathBuf::from("cdk.out/Prod.template.json"),
        },
    ];
    let plain = finding(
        &PUBLIC,
        0,
        4,
        "DataBucket",
        "PublicAccessBlockConfiguration is absent",
    );
    let mut conditional = finding(
        &TLS,
        0,
        12,
        "LogsBucket",
        "no bucket policy denies aws:SecureTransport = \"false\"",
    );
    conditional.condition = Some("IsProd && !UseKms".to_string());
    let mut suppressed = finding(
        &TLS,
        0,
        4,
        "DataBucket",
        "no bucket policy denies plain HTTP",
    );
    suppressed.suppression = Some(Suppression {
        source: "template metadata".to_string(),
        reason: "Served only through CloudFront, <internal> & \"audited\"".to_string(),
    });
    let mut cdk = finding(&PUBLIC, 1, 30, "Assets1234", "BlockPublicAcls is false");
    cdk.resource.stack = Some("Prod".to_string());
    cdk.resource.cdk_path = Some("Prod/Assets/Resource".to_string());
    cdk.severity = Severity::Critical;
    Fixture {
        files,
        findings: vec![plain, conditional, suppressed, cdk],
        errors: vec![LoadErrorEntry {
            file: "templates/broken.yaml".to_string(),
            line: Some(3),
            col: Some(1),
            message: "mapping values are not allowed here".to_string(),
        }],
    }
}
