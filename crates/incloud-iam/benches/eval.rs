//! Evaluations per second on realistic policies, and analysis time for a 10 KB policy.
//!
//! `CARGO_TARGET_DIR=... cargo bench -p incloud-iam --bench eval`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use incloud_iam::{
    access, escalation_paths, evaluate, grants, parse_policy, validate, wildcards, Context,
    NamedPolicy, Policy, PolicyKind, PolicySet, Principal, Request,
};
use serde_json::{json, Value};

fn parse(v: Value) -> Policy {
    parse_policy(&v).unwrap_or_else(|e| panic!("{e}"))
}

/// An application role's policy as CDK grants write it, and a bucket policy with the usual TLS and VPC
/// endpoint guards.
fn realistic_set() -> PolicySet {
    let identity = parse(json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": "arn:aws:logs:us-east-1:111111111111:log-group:/aws/lambda/app:*"},
        {"Effect": "Allow", "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], "Resource": "*"},
        {"Effect": "Allow", "Action": ["dynamodb:BatchGetItem", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
            "dynamodb:Query", "dynamodb:GetItem", "dynamodb:Scan", "dynamodb:ConditionCheckItem",
            "dynamodb:BatchWriteItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
         "Resource": ["arn:aws:dynamodb:us-east-1:111111111111:table/Orders",
                      "arn:aws:dynamodb:us-east-1:111111111111:table/Orders/index/*"]},
        {"Effect": "Allow", "Action": ["s3:GetObject*", "s3:GetBucket*", "s3:List*"],
         "Resource": ["arn:aws:s3:::app-assets", "arn:aws:s3:::app-assets/*"]},
        {"Effect": "Allow", "Action": ["s3:PutObject", "s3:PutObjectLegalHold", "s3:PutObjectRetention",
            "s3:PutObjectTagging", "s3:PutObjectVersionTagging", "s3:Abort*", "s3:DeleteObject*"],
         "Resource": "arn:aws:s3:::app-uploads/${aws:username}/*"},
        {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
         "Resource": "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
         "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}},
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111111111111:jobs"},
        {"Effect": "Deny", "Action": "s3:*", "Resource": "*",
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
    ]}));
    let bucket = parse(json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "TLS", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": ["arn:aws:s3:::app-assets", "arn:aws:s3:::app-assets/*"],
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        {"Sid": "Vpce", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
         "Resource": "arn:aws:s3:::app-assets/*",
         "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}},
        {"Sid": "Cdn", "Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"},
         "Action": "s3:GetObject", "Resource": "arn:aws:s3:::app-assets/*",
         "Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:cloudfront::111111111111:distribution/E1"}}},
        {"Sid": "Partner", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::222222222222:root"},
         "Action": ["s3:GetObject", "s3:ListBucket"],
         "Resource": ["arn:aws:s3:::app-assets", "arn:aws:s3:::app-assets/*"]}
    ]}));
    PolicySet {
        identity: vec![NamedPolicy {
            label: "app".into(),
            policy: identity,
        }],
        resource: Some(NamedPolicy {
            label: "bucket".into(),
            policy: bucket,
        }),
        ..PolicySet::default()
    }
}

fn request(action: &str, resource: &str) -> Request {
    let mut context = Context::new();
    context.push("aws:SecureTransport", "true");
    context.push("aws:SourceVpce", "vpce-1a2b3c4d");
    context.push("aws:username", "alice");
    context.push("aws:PrincipalAccount", "111111111111");
    Request {
        principal: Principal::aws("arn:aws:sts::111111111111:assumed-role/app/alice"),
        action: action.into(),
        resource: resource.into(),
        resource_account: None,
        context,
    }
}

/// About 10 KB of JSON: the shape of a large generated policy (many services, per-resource statements).
fn policy_10kb() -> (Value, Policy) {
    let mut statements = Vec::new();
    let services = [
        "s3",
        "dynamodb",
        "sqs",
        "sns",
        "lambda",
        "logs",
        "kms",
        "ssm",
        "secretsmanager",
        "ec2",
    ];
    let mut i = 0;
    while serde_json::to_string(&json!({"Version": "2012-10-17", "Statement": statements}))
        .map_or(0, |s| s.len())
        < 10_000
    {
        let svc = services[i % services.len()];
        statements.push(json!({
            "Sid": format!("S{i}"),
            "Effect": if i % 7 == 6 { "Deny" } else { "Allow" },
            "Principal": if i % 3 == 0 { json!("*") } else { json!({"AWS": format!("arn:aws:iam::{:012}:root", 200 + i)}) },
            "Action": [format!("{svc}:Get*"), format!("{svc}:List*"), format!("{svc}:Describe*"), format!("{svc}:Put*")],
            "Resource": [format!("arn:aws:{svc}:us-east-1:111111111111:thing-{i}/*"), "*".to_string()],
            "Condition": if i % 2 == 0 {
                json!({"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}, "Bool": {"aws:SecureTransport": "true"}})
            } else {
                json!({"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "52.95.0.0/16"]}})
            }
        }));
        i += 1;
    }
    let doc = json!({"Version": "2012-10-17", "Statement": statements});
    let policy = parse(doc.clone());
    (doc, policy)
}

fn identity_10kb(resource_policy: &Value) -> Policy {
    // The same statements without Principal: an identity policy of the same size.
    let mut doc = resource_policy.clone();
    if let Some(Value::Array(stmts)) = doc.get_mut("Statement") {
        for s in stmts {
            if let Value::Object(o) = s {
                o.remove("Principal");
            }
        }
    }
    parse(doc)
}

fn bench(c: &mut Criterion) {
    let set = realistic_set();
    let requests = [
        request("s3:GetObject", "arn:aws:s3:::app-assets/index.html"),
        request(
            "dynamodb:Query",
            "arn:aws:dynamodb:us-east-1:111111111111:table/Orders/index/byCustomer",
        ),
        request("s3:PutObject", "arn:aws:s3:::app-uploads/alice/photo.jpg"),
        request("iam:CreateUser", "arn:aws:iam::111111111111:user/mallory"),
    ];
    let mut group = c.benchmark_group("evaluate");
    group.throughput(Throughput::Elements(requests.len() as u64));
    group.bench_function("realistic", |b| {
        b.iter(|| {
            for r in &requests {
                black_box(evaluate(black_box(&set), black_box(r)));
            }
        })
    });
    group.finish();

    let (doc, resource_policy) = policy_10kb();
    let identity = identity_10kb(&doc);
    let size = serde_json::to_string(&doc).map_or(0, |s| s.len());
    let mut group = c.benchmark_group(format!("analyse_{}_bytes", size));
    // Load the catalog outside the measurement: it is parsed once per process.
    black_box(incloud_iam::catalog());
    group.bench_function("parse", |b| b.iter(|| parse_policy(black_box(&doc))));
    group.bench_function("access", |b| {
        b.iter(|| access(black_box(&resource_policy), "111111111111"))
    });
    group.bench_function("wildcards", |b| b.iter(|| wildcards(black_box(&identity))));
    group.bench_function("validate", |b| {
        b.iter(|| validate(black_box(&identity), PolicyKind::Identity))
    });
    group.bench_function("escalation_paths", |b| {
        b.iter(|| escalation_paths(std::slice::from_ref(black_box(&identity))))
    });
    group.bench_function("grants", |b| b.iter(|| grants(black_box(&identity))));
    group.finish();

    c.bench_function("catalog_parse_once", |b| {
        b.iter(|| black_box(incloud_iam::catalog().actions().len()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
