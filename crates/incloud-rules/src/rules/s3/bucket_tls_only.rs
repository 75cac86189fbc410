//! `s3-bucket-tls-only`: S3 bucket policies deny requests that do not use TLS.

use crate::rules::policy_support::{render, tls_deny_statements};
use crate::{Ctx, Report, Rule};
use incloud_model::*;

pub(crate) static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IN-S3-002",
        name: "s3-bucket-tls-only",
        severity: Severity::Medium,
        area: Area::DataInTransit,
        title: "S3 bucket policies deny requests that do not use TLS",
        resource_types: &[s3::BUCKET],
        controls: Controls {
            security_hub: &["S3.5"],
            aws_config: &["s3-bucket-ssl-requests-only"],
            cis: &[
                "CIS AWS Foundations v5.0.0 2.1.1",
                "CIS AWS Foundations v3.0.0 2.1.1",
                "CIS AWS Foundations v1.4.0 2.1.2",
            ],
            nist_800_53: &[
                "AC-17(2)", "AC-4", "IA-5(1)", "SC-8", "SC-8(1)", "SC-13", "SC-23",
            ],
            pci_dss: &["PCI DSS v3.2.1 4.1", "PCI DSS v4.0.1 4.2.1"],
            hipaa: &[
                "164.312(a)(2)(iv)",
                "164.312(c)(2)",
                "164.312(e)(1)",
                "164.312(e)(2)(i)",
                "164.312(e)(2)(ii)",
            ],
            cdk_nag: &[
                "AwsSolutions-S10",
                "HIPAA.Security-S3BucketSSLRequestsOnly",
                "PCI.DSS.321-S3BucketSSLRequestsOnly",
                "NIST.800.53.R5-S3BucketSSLRequestsOnly",
            ],
            cfn_nag: &[],
            checkov: &[],
        },
        docs: Docs {
            description: r#"Checks that every S3 bucket has a bucket policy that denies requests not sent over TLS. The policy needs a Deny statement for all principals and s3:* that covers the bucket and its objects, with the condition aws:SecureTransport = false. A bucket without such a statement accepts plain-HTTP requests."#,
            why: r#"AWS offers HTTPS endpoints for S3, but S3 still answers plain HTTP. Refusing unencrypted requests is your configuration to make.

Without a deny on aws:SecureTransport, a misconfigured client, an SDK endpoint override or an old tool can send object data, object keys and presigned URLs in cleartext. Anyone on the network path can then read or alter them. Encryption at rest does not help, because it protects the stored bytes, not the connection. One deny statement makes S3 reject every non-TLS request from any identity."#,
            unknown: r#"A policy statement, resource or condition value that cannot be known does not count as denying plaintext requests; if only such statements could provide the denial, the finding says so."#,
            fix_cloudformation: r#"Add a deny statement to the bucket policy:

    MyBucketPolicy:
      Type: AWS::S3::BucketPolicy
      Properties:
        Bucket: !Ref MyBucket
        PolicyDocument:
          Version: '2012-10-17'
          Statement:
            - Sid: DenyInsecureTransport
              Effect: Deny
              Principal: '*'
              Action: 's3:*'
              Resource:
                - !GetAtt MyBucket.Arn
                - !Sub '${MyBucket.Arn}/*'
              Condition:
                Bool:
                  aws:SecureTransport: 'false'

A bucket has only one policy. If one already exists, add this statement to it rather than creating a second AWS::S3::BucketPolicy."#,
            fix_cdk: r#"enforceSSL adds the same deny statement to the bucket's policy.

TypeScript (aws-cdk-lib v2):

    import * as s3 from 'aws-cdk-lib/aws-s3';

    new s3.Bucket(this, 'MyBucket', {
      enforceSSL: true,
    });

Python:

    from aws_cdk import aws_s3 as s3

    s3.Bucket(self, "MyBucket", enforce_ssl=True)"#,
            fix_terraform: r#"With AWS provider v5:

    data "aws_iam_policy_document" "tls_only" {
      statement {
        sid       = "DenyInsecureTransport"
        effect    = "Deny"
        actions   = ["s3:*"]
        resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]
        principals {
          type        = "*"
          identifiers = ["*"]
        }
        condition {
          test     = "Bool"
          variable = "aws:SecureTransport"
          values   = ["false"]
        }
      }
    }

    resource "aws_s3_bucket_policy" "this" {
      bucket = aws_s3_bucket.this.id
      policy = data.aws_iam_policy_document.tls_only.json
    }

If the bucket already has a policy, merge the two with source_policy_documents. Only one aws_s3_bucket_policy may manage a bucket."#,
            fix_cli: r#"put-bucket-policy replaces the whole policy. Read the current policy first, add the statement, then write it back:

    aws s3api get-bucket-policy --bucket my-bucket --query Policy --output text > policy.json
    # add this statement to the "Statement" array in policy.json:
    #   {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*",
    #    "Action": "s3:*",
    #    "Resource": ["arn:aws:s3:::my-bucket", "arn:aws:s3:::my-bucket/*"],
    #    "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
    aws s3api put-bucket-policy --bucket my-bucket --policy file://policy.json"#,
        },
        options: &[],
    },
    check,
};

fn check(ctx: &mut Ctx<'_>, res: &Resource) {
    let bucket = s3::Bucket::of(ctx.stack, res);
    // The bucket's name when the template sets it, or a token that only a reference to this bucket produces.
    let token = res
        .props
        .get("BucketName")
        .and_then(|n| n.as_str())
        .unwrap_or("\u{1}bucket\u{1}");
    let mut notes = Vec::new();
    let mut conditional = Vec::new();
    for policy in &bucket.policies {
        let cover = policy
            .props
            .get("PolicyDocument")
            .map(|doc| coverage(doc, &res.id, token))
            .unwrap_or_default();
        match (cover.bucket, cover.objects) {
            (true, true) => match &policy.condition {
                None => return,
                Some(c) => conditional.push(c.clone()),
            },
            (true, false) => notes.push(format!(
                "{} denies plaintext requests to the bucket but not to its objects",
                policy.id
            )),
            (false, true) => notes.push(format!(
                "{} denies plaintext requests to the objects but not to the bucket itself",
                policy.id
            )),
            (false, false) => {}
        }
        if cover.unknown && !(cover.bucket && cover.objects) {
            notes.push(format!(
                "{} has statements with values that cannot be known",
                policy.id
            ));
        }
    }
    let message = if bucket.policies.is_empty() {
        "no bucket policy denies requests that do not use TLS (the bucket has no AWS::S3::BucketPolicy)".to_string()
    } else {
        let ids: Vec<&str> = bucket.policies.iter().map(|p| p.id.as_str()).collect();
        let mut m = format!(
            "bucket policy {} does not deny requests with aws:SecureTransport false for the bucket and all its objects",
            ids.join(", ")
        );
        if !notes.is_empty() {
            m.push_str(&format!(" ({})", notes.join("; ")));
        }
        m
    };
    let condition = if conditional.is_empty() {
        None
    } else {
        Some(
            conditional
                .iter()
                .map(|c| format!("!{c}"))
                .collect::<Vec<_>>()
                .join(" && "),
        )
    };
    let span = bucket.policies.first().map(|p| p.span).unwrap_or(res.span);
    ctx.report(Report {
        resource: res,
        span,
        path: "BucketPolicy.PolicyDocument.Statement".into(),
        condition,
        detail: None,
        message,
    });
}

#[derive(Default)]
struct Coverage {
    bucket: bool,
    objects: bool,
    unknown: bool,
}

/// Which parts of the bucket the document's TLS-enforcing deny statements cover.
fn coverage(doc: &Node, bucket_id: &str, token: &str) -> Coverage {
    let mut c = Coverage::default();
    let bucket_arn = format!("arn:aws:s3:::{token}");
    let objects_arn = format!("arn:aws:s3:::{token}/*");
    let (statements, unknown) = tls_deny_statements(doc, "s3:*", Some("s3:TlsVersion"));
    c.unknown = unknown;
    let link = |l: &Link| -> Option<String> {
        if l.target != bucket_id {
            return None;
        }
        match l.attr.as_deref() {
            None => Some(token.to_string()),
            Some("Arn") => Some(format!("arn:aws:s3:::{token}")),
            Some(_) => None,
        }
    };
    for st in statements {
        for r in st.get("Resource").map(|r| r.items()).unwrap_or_default() {
            match render(r, link) {
                Some(pattern) => {
                    c.bucket |= wildcard::matches(&pattern, &bucket_arn);
                    c.objects |= wildcard::matches(&pattern, &objects_arn);
                }
                None => c.unknown = true,
            }
        }
    }
    c
}
