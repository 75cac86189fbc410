//! IAM evaluation: an identity policy and a resource policy from the input, and requests built from its
//! bytes. Evaluation must decide without panicking, and an explicit Deny added to the identity policy
//! must never turn a denial into an allow.
#![no_main]
use incloud_iam::{evaluate, parse_policy, Context, Decision, NamedPolicy, PolicySet, Principal, Request};
use libfuzzer_sys::fuzz_target;

const PRINCIPALS: &[&str] = &[
    "arn:aws:iam::111122223333:role/app",
    "arn:aws:sts::111122223333:assumed-role/app/session",
    "arn:aws:iam::444455556666:user/alice",
    "arn:aws:iam::111122223333:root",
];
const ACTIONS: &[&str] = &["s3:GetObject", "s3:PutObject", "kms:Decrypt", "iam:PassRole", "sqs:SendMessage"];
const RESOURCES: &[&str] = &["arn:aws:s3:::bucket/key", "arn:aws:kms:eu-west-1:111122223333:key/k", "*"];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, "\n===\n");
    let identity = parts.next().unwrap_or("");
    let resource = parts.next().unwrap_or("");
    let selector = parts.next().unwrap_or("").as_bytes();
    let parse = |s: &str, label: &str| {
        serde_json::from_str::<serde_json::Value>(s)
            .ok()
            .and_then(|v| parse_policy(&v).ok())
            .map(|policy| NamedPolicy { label: label.into(), policy })
    };
    let Some(id) = parse(identity, "identity") else { return };
    let set = PolicySet {
        identity: vec![id.clone()],
        resource: parse(resource, "resource"),
        ..PolicySet::default()
    };
    let pick = |i: usize, list: &[&str]| list[selector.get(i).copied().unwrap_or(0) as usize % list.len()].to_string();
    let mut context = Context::new();
    if selector.get(3).is_some_and(|b| b & 1 == 1) {
        context.push("aws:SecureTransport", "true");
    }
    if selector.get(3).is_some_and(|b| b & 2 == 2) {
        context.push("aws:SourceVpce", "vpce-1");
    }
    let request = Request {
        principal: if selector.get(4).is_some_and(|b| b % 7 == 0) { Principal::Anonymous } else { Principal::aws(&pick(0, PRINCIPALS)) },
        action: pick(1, ACTIONS),
        resource: pick(2, RESOURCES),
        resource_account: None,
        context,
    };
    let before = evaluate(&set, &request);
    // Adding a Deny of everything to the identity side can only deny more.
    let deny = serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]});
    let mut stricter = set.clone();
    stricter.identity.push(NamedPolicy { label: "deny".into(), policy: parse_policy(&deny).expect("valid") });
    let after = evaluate(&stricter, &request);
    if before.decision != Decision::Allowed {
        assert_ne!(after.decision, Decision::Allowed, "a Deny turned a denial into an allow");
    }
});
