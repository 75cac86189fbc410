//! The analyses on the examples the IAM User Guide, Access Analyzer and cdk-nag documentation use.

use incloud_iam::{
    access, escalation_paths, grants, kms_key_policy, parse_policy, wildcards, Access, AccessLevel,
    Policy, WildcardKind,
};
use serde_json::json;

const ME: &str = "111111111111";

fn policy(v: serde_json::Value) -> Policy {
    match parse_policy(&v) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    }
}

fn bucket(statements: serde_json::Value) -> Policy {
    policy(json!({"Version": "2012-10-17", "Statement": statements}))
}

#[test]
fn public_and_pinned_bucket_policies() {
    let open = bucket(
        json!([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::b/*"}]),
    );
    assert!(access(&open, ME).is_public());

    // aws:SecureTransport does not narrow who can call.
    let tls = bucket(
        json!([{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::b/*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]),
    );
    assert!(access(&tls, ME).is_public());

    for (op, key, value) in [
        ("StringEquals", "aws:SourceVpce", "vpce-1a2b3c"),
        ("StringEquals", "aws:PrincipalOrgID", "o-abc123"),
        ("IpAddress", "aws:SourceIp", "10.0.0.0/8"),
        ("StringEquals", "aws:userid", "AROAEXAMPLE:alice"),
        (
            "StringEquals",
            "kms:ViaService",
            "s3.us-east-1.amazonaws.com",
        ),
    ] {
        let pinned = bucket(
            json!([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::b/*", "Condition": {op: {key: value}}}]),
        );
        let report = access(&pinned, ME);
        assert!(!report.is_public(), "{key}");
        assert_eq!(report.cross_account(), vec![format!("{key}={value}")]);
    }

    let public_ip = bucket(
        json!([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::b/*", "Condition": {"IpAddress": {"aws:SourceIp": "52.95.0.0/16"}}}]),
    );
    assert!(access(&public_ip, ME).is_public());

    let own = bucket(
        json!([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::b/*", "Condition": {"StringEquals": {"aws:PrincipalAccount": ME}}}]),
    );
    assert_eq!(access(&own, ME).widest(), Access::AccountOnly);

    let other = bucket(
        json!([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::b/*",
        "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::222222222222:role/*"}}}]),
    );
    assert_eq!(
        access(&other, ME).widest(),
        Access::CrossAccount(vec!["222222222222".into()])
    );
}

#[test]
fn denies_and_principals() {
    let denied = bucket(json!([
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
        {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*",
         "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c"}}}]));
    let report = access(&denied, ME);
    assert!(!report.is_public());
    assert_eq!(
        report.statements[0].limited_by,
        vec!["aws:SourceVpce=vpce-1a2b3c"]
    );

    let tls_deny = bucket(json!([
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
        {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]));
    assert!(access(&tls_deny, ME).is_public());

    let named = bucket(json!([{"Effect": "Allow",
        "Principal": {"AWS": ["arn:aws:iam::222222222222:root", ME], "Service": "cloudtrail.amazonaws.com"},
        "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"}]));
    let report = access(&named, ME);
    assert_eq!(
        report.statements[0].access,
        vec![
            Access::CrossAccount(vec!["222222222222".into()]),
            Access::Services(vec!["cloudtrail.amazonaws.com".into()]),
            Access::AccountOnly
        ]
    );

    let unknown = bucket(
        json!([{"Effect": "Allow", "Principal": {"AWS": {"Fn::GetAtt": ["Role", "Arn"]}},
        "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]),
    );
    // A resource the template creates is in the template's account.
    assert_eq!(access(&unknown, ME).widest(), Access::AccountOnly);
    // A nested stack's output may be anything.
    let output = bucket(
        json!([{"Effect": "Allow", "Principal": {"AWS": {"Fn::GetAtt": ["Nested", "Outputs.RoleArn"]}},
        "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]),
    );
    assert!(matches!(access(&output, ME).widest(), Access::Unknown(_)));

    let own_sub = bucket(json!([{"Effect": "Allow",
        "Principal": {"AWS": {"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:root"}},
        "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]));
    assert_eq!(access(&own_sub, ME).widest(), Access::AccountOnly);
}

#[test]
fn grants_and_admin() {
    let admin = bucket(json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]));
    let summary = grants(&admin);
    assert!(summary.is_admin_equivalent);
    assert!(summary.services.len() > 400);

    let reader =
        bucket(json!([{"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"}]));
    let summary = grants(&reader);
    assert!(!summary.is_admin_equivalent);
    let s3 = &summary.services[0];
    assert_eq!(s3.service, "s3");
    assert!(s3.levels.contains_key(&AccessLevel::Read));
    assert!(!s3.levels.contains_key(&AccessLevel::Write));

    let put_role = bucket(
        json!([{"Effect": "Allow", "Action": ["iam:PutRolePolicy", "iam:PassRole"], "Resource": "*"}]),
    );
    assert!(grants(&put_role).is_admin_equivalent);
    let narrow = bucket(json!([{"Effect": "Allow", "Action": "iam:PutRolePolicy",
        "Resource": "arn:aws:iam::111111111111:role/app"}]));
    assert!(!grants(&narrow).is_admin_equivalent);
}

#[test]
fn wildcard_findings_in_cdk_nag_form() {
    let p = bucket(json!([
        {"Effect": "Allow", "Action": ["s3:*", "xray:PutTraceSegments", "logs:DescribeLogGroups"], "Resource": "*"},
        {"Effect": "Allow", "Action": ["xray:PutTraceSegments", "logs:DescribeLogGroups"], "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": [
            "arn:aws:s3:::b/*",
            "arn:aws:logs:*:*:log-group:/aws/lambda/x:*",
            {"Fn::Join": ["", [{"Fn::GetAtt": ["Bucket", "Arn"]}, "/*"]]},
            "arn:aws:s3:::*",
            "arn:aws:dynamodb:us-east-1:111111111111:table/*",
            {"Fn::Sub": "arn:aws:lambda:us-east-1:111111111111:function:${AWS::StackName}-Worker-*"},
            "arn:aws:lambda:us-east-1:111111111111:function:app-*"]}]));
    let found: Vec<(usize, WildcardKind, String)> = wildcards(&p)
        .into_iter()
        .map(|f| (f.statement, f.kind, f.detail))
        .collect();
    assert_eq!(
        found,
        vec![
            (0, WildcardKind::AllServiceActions, "Action::s3:*".into()),
            (0, WildcardKind::AllResources, "Resource::*".into()),
            (
                2,
                WildcardKind::ResourcePattern,
                "Resource::arn:aws:s3:::*".into()
            ),
            (
                2,
                WildcardKind::ResourcePattern,
                "Resource::arn:aws:dynamodb:us-east-1:111111111111:table/*".into()
            ),
            (
                2,
                WildcardKind::ResourcePattern,
                "Resource::arn:aws:lambda:us-east-1:111111111111:function:app-*".into()
            ),
        ]
    );
}

#[test]
fn escalation_paths_follow_the_evaluator() {
    let ids = |p: &Policy| -> Vec<&'static str> {
        escalation_paths(std::slice::from_ref(p))
            .iter()
            .map(|e| e.method.id)
            .collect()
    };
    let admin = bucket(json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]));
    assert!(ids(&admin).len() >= 25);

    let lambda = bucket(json!([{"Effect": "Allow",
        "Action": ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"], "Resource": "*"}]));
    assert_eq!(ids(&lambda), vec!["passrole-lambda-invoke"]);

    let denied = bucket(json!([
        {"Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"], "Resource": "*"},
        {"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"}]));
    assert!(ids(&denied).is_empty());

    let narrow = bucket(
        json!([{"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"],
        "Resource": ["arn:aws:iam::111111111111:role/app", "*"]},
        ]),
    );
    assert_eq!(ids(&narrow), vec!["passrole-ec2-run-instances"]);
    let narrow = bucket(json!([
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111111111111:role/app"},
        {"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}]));
    assert!(ids(&narrow).is_empty());

    let paths = escalation_paths(std::slice::from_ref(&lambda));
    assert_eq!(paths[0].statements.len(), 3);

    // PassRole limited to the service the method passes the role to still opens the path (AWS sets
    // iam:PassedToService on the PassRole check); limited to another service, it does not.
    let scoped = |service: &str| {
        bucket(json!([
            {"Effect": "Allow", "Action": ["lambda:CreateFunction", "lambda:InvokeFunction", "ec2:RunInstances"],
             "Resource": "*"},
            {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*",
             "Condition": {"StringEquals": {"iam:PassedToService": service}}}]))
    };
    assert_eq!(
        ids(&scoped("lambda.amazonaws.com")),
        vec!["passrole-lambda-invoke"]
    );
    assert_eq!(
        ids(&scoped("ec2.amazonaws.com")),
        vec!["passrole-ec2-run-instances"]
    );
    assert!(ids(&scoped("states.amazonaws.com")).is_empty());
}

#[test]
fn key_policy_separation_of_duties() {
    let key = policy(json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
         "Action": "kms:*", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:role/admin"},
         "Action": ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:Put*", "kms:ScheduleKeyDeletion"],
         "Resource": "*"},
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:role/app"},
         "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*"},
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:role/ops"},
         "Action": ["kms:DisableKey", "kms:Decrypt"], "Resource": "*"}]}));
    let report = kms_key_policy(&key);
    assert_eq!(report.delegates_to_iam.map(|(i, _)| i), Some(0));
    let principals: Vec<&str> = report
        .separation_of_duties
        .iter()
        .map(|f| f.principal.as_str())
        .collect();
    assert_eq!(principals, vec!["arn:aws:iam::111111111111:role/ops"]);
}
