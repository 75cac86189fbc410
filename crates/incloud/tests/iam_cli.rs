//! End-to-end: `incloud iam eval` and `incloud iam analyze` as a user runs them.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/iam")
}

fn incloud(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_incloud"))
        .args(args)
        .current_dir(dir())
        .output()
        .expect("run incloud")
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

const ROLE: &str = "arn:aws:iam::111122223333:role/app";

#[test]
fn eval_allows_with_the_statement_that_applied() {
    let out = incloud(&[
        "iam",
        "eval",
        "--identity-policy",
        "role.json",
        "--principal",
        ROLE,
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::reports/q1.csv",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v = json_of(&out);
    assert_eq!(v["decision"], "allowed");
    assert_eq!(v["matched"][0]["sid"], "ReadReports");
    assert_eq!(v["matched"][0]["effect"], "Allow");
    assert_eq!(v["matched"][0]["policy"], "identity:role.json");
}

#[test]
fn eval_explicit_and_implicit_denies_exit_zero() {
    let out = incloud(&[
        "iam",
        "eval",
        "--identity-policy",
        "role.json",
        "--principal",
        ROLE,
        "--action",
        "s3:DeleteObject",
        "--resource",
        "arn:aws:s3:::reports/q1.csv",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v = json_of(&out);
    assert_eq!(v["decision"], "explicitly-denied");
    assert_eq!(v["matched"][0]["sid"], "NoDeletes");

    let out = incloud(&[
        "iam",
        "eval",
        "--identity-policy",
        "role.json",
        "--principal",
        ROLE,
        "--action",
        "s3:PutObject",
        "--resource",
        "arn:aws:s3:::reports/q1.csv",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("implicitly-denied"), "{text}");
}

#[test]
fn eval_scp_levels_and_context() {
    let base = [
        "iam",
        "eval",
        "--identity-policy",
        "role.json",
        "--scp",
        "scp-root.json",
        "--scp",
        "scp-ou.json",
        "--principal",
        ROLE,
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::reports/q1.csv",
        "--format",
        "json",
    ];
    let mut outside = base.to_vec();
    outside.extend(["--context", "aws:RequestedRegion=us-east-1"]);
    let v = json_of(&incloud(&outside));
    assert_eq!(v["decision"], "explicitly-denied");
    assert_eq!(v["matched"][0]["sid"], "OnlyEu");
    assert_eq!(v["matched"][0]["layer"], "scp");

    let mut inside = base.to_vec();
    inside.extend(["--context", "aws:RequestedRegion=eu-west-1"]);
    assert_eq!(json_of(&incloud(&inside))["decision"], "allowed");
}

#[test]
fn eval_cross_account_needs_both_sides() {
    let partner = "arn:aws:iam::444455556666:role/partner";
    // The bucket policy alone does not let another account in: the partner's own policies must allow too.
    let v = json_of(&incloud(&[
        "iam",
        "eval",
        "--resource-policy",
        "bucket.json",
        "--principal",
        partner,
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::reports/q1.csv",
        "--resource-account",
        "111122223333",
        "--format",
        "json",
    ]));
    assert_eq!(v["decision"], "implicitly-denied");
    assert!(v["missing_allow"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l == "identity"));
}

#[test]
fn eval_request_file() {
    let out = incloud(&[
        "iam",
        "eval",
        "--request",
        "request.json",
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json_of(&out);
    assert_eq!(v["decision"], "allowed");
    let layers: Vec<&str> = v["matched"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["layer"].as_str())
        .collect();
    assert!(
        layers.contains(&"resource") && layers.contains(&"identity"),
        "{layers:?}"
    );
}

#[test]
fn eval_wrong_input_exits_two() {
    let out = incloud(&[
        "iam",
        "eval",
        "--identity-policy",
        "missing.json",
        "--principal",
        ROLE,
        "--action",
        "s3:GetObject",
        "--resource",
        "*",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.json"));
    let out = incloud(&[
        "iam",
        "eval",
        "--identity-policy",
        "role.json",
        "--principal",
        ROLE,
        "--action",
        "GetObject",
        "--resource",
        "*",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = incloud(&[
        "iam",
        "eval",
        "--identity-policy",
        "request.json",
        "--principal",
        ROLE,
        "--action",
        "s3:GetObject",
        "--resource",
        "*",
    ]);
    assert_eq!(out.status.code(), Some(2), "a request file is not a policy");
}

#[test]
fn analyze_reports_what_the_template_rules_report() {
    let out = incloud(&["iam", "analyze", "admin.json", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json_of(&out);
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules.contains(&"iam-admin-access"), "{rules:?}");
    assert!(rules.contains(&"iam-wildcard-permission"), "{rules:?}");
    let admin = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "iam-admin-access")
        .unwrap();
    assert_eq!(admin["line"], 4, "line numbers are the file's own");

    let out = incloud(&["iam", "analyze", "scoped.json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let out = incloud(&[
        "iam",
        "analyze",
        "public-queue.json",
        "--kind",
        "resource",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v = json_of(&out);
    assert_eq!(v["findings"][0]["rule"], "sqs-queue-policy-public");

    let out = incloud(&["iam", "analyze", "bucket.json", "--kind", "resource"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// AWS managed policies by ARN: ReadOnlyAccess allows reading an object and not deleting it; a name AWS does
/// not have is an input error naming it.
#[test]
fn eval_takes_aws_managed_policies_by_arn() {
    let eval = |action: &str, policy: &str| {
        incloud(&[
            "iam",
            "eval",
            "--identity-policy",
            policy,
            "--principal",
            ROLE,
            "--action",
            action,
            "--resource",
            "arn:aws:s3:::reports/q1.csv",
            "--format",
            "json",
        ])
    };
    let read_only = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    let out = eval("s3:GetObject", read_only);
    assert_eq!(out.status.code(), Some(0));
    let v = json_of(&out);
    assert_eq!(v["decision"], "allowed");
    assert_eq!(v["matched"][0]["policy"], format!("identity:{read_only}"));
    assert_eq!(
        json_of(&eval("s3:DeleteObject", read_only))["decision"],
        "implicitly-denied"
    );
    let missing = eval("s3:GetObject", "arn:aws:iam::aws:policy/NoSuchPolicy");
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("NoSuchPolicy"));

    // In a request file: AdministratorAccess bounded by PowerUserAccess cannot create IAM users.
    let out = incloud(&[
        "iam",
        "eval",
        "--request",
        "managed-boundary-request.json",
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json_of(&out)["decision"], "implicitly-denied");
}
