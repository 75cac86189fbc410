//! Every source of suppression, the reason rules, granular `applies_to`, expiry — and fingerprint stability.

use incloud_ingest::{load_str, Inputs, Limits};
use incloud_model::{FileId, Finding};
use incloud_rules::suppress::{apply, Central, Outcome, Policy};
use incloud_rules::{check_stack, Dispatch, Selection};

fn policy() -> Policy {
    Policy {
        inline: true,
        today: "2026-11-25".into(),
        ..Policy::default()
    }
}

fn scan(text: &str, policy: &Policy) -> (Vec<Finding>, Outcome) {
    let stack = load_str(text, FileId(0), &Inputs::default(), &Limits::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut f = check_stack(&stack, &Dispatch::new(&Selection::default()), "t.yaml");
    let o = apply(&mut f, &stack, "infra/t.yaml", policy);
    (f, o)
}

fn suppressed<'a>(f: &'a [Finding], rule: &str, id: &str) -> Vec<&'a Finding> {
    f.iter()
        .filter(|f| f.rule.name == rule && f.resource.id == id && f.suppression.is_some())
        .collect()
}

fn open<'a>(f: &'a [Finding], rule: &str, id: &str) -> Vec<&'a Finding> {
    f.iter()
        .filter(|f| f.rule.name == rule && f.resource.id == id && f.suppression.is_none())
        .collect()
}

const BARE: &str = "Resources:\n  Logs:\n    Type: AWS::S3::Bucket\n";

fn with_meta(meta: &str) -> String {
    format!("Resources:\n  Logs:\n    Type: AWS::S3::Bucket\n    Metadata:\n{meta}")
}

#[test]
fn own_format_on_resource_and_template() {
    let t = with_meta("      incloud:\n        suppress:\n          - rule: s3-bucket-replication\n            reason: Access logs are not worth replicating\n          - rule: IN-S3-004\n            reason: Versioning doubles log storage for no gain\n");
    let (f, o) = scan(&t, &policy());
    assert_eq!(suppressed(&f, "s3-bucket-replication", "Logs").len(), 1);
    let s = suppressed(&f, "s3-bucket-versioning", "Logs");
    assert_eq!(
        s[0].suppression.as_ref().unwrap().source,
        "template metadata (incloud)"
    );
    assert_eq!(
        s[0].suppression.as_ref().unwrap().reason,
        "Versioning doubles log storage for no gain"
    );
    assert!(!open(&f, "s3-bucket-access-logging", "Logs").is_empty());
    assert!(o.notices.is_empty(), "{:?}", o.notices);
    let t = format!("Metadata:\n  incloud:\n    suppress:\n      - rule: s3-bucket-replication\n        reason: Nothing in this template is replicated\n{BARE}");
    let (f, _) = scan(&t, &policy());
    assert_eq!(suppressed(&f, "s3-bucket-replication", "Logs").len(), 1);
}

#[test]
fn cdk_nag_in_cdk_output_with_granular_ids() {
    let t = r#"{
 "Resources": {
  "SiteBucket397A1860": {
   "Type": "AWS::S3::Bucket",
   "Properties": {"PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "IgnorePublicAcls": true}},
   "Metadata": {
    "aws:cdk:path": "Web/SiteBucket/Resource",
    "cdk_nag": {"rules_to_suppress": [
      {"id": "AwsSolutions-S1", "reason": "Server access logs are collected by CloudFront instead"},
      {"id": "AwsSolutions-S2[BlockPublicPolicy]", "reason": "The site is public through a bucket policy"},
      {"id": "AwsSolutions-S10", "reason": "short"}
    ]}
   }
  }
 }
}"#;
    let (f, o) = scan(t, &policy());
    assert_eq!(
        suppressed(&f, "s3-bucket-access-logging", "SiteBucket397A1860").len(),
        1
    );
    // Only the flag named in the granular id is suppressed.
    let pab = suppressed(&f, "s3-bucket-public-access-block", "SiteBucket397A1860");
    assert_eq!(pab.len(), 1);
    assert_eq!(pab[0].detail.as_deref(), Some("BlockPublicPolicy"));
    assert_eq!(
        open(&f, "s3-bucket-public-access-block", "SiteBucket397A1860").len(),
        1
    );
    // A reason under ten characters does not suppress, and says so.
    assert_eq!(
        open(&f, "s3-bucket-tls-only", "SiteBucket397A1860").len(),
        1
    );
    assert!(
        o.notices
            .iter()
            .any(|n| n.message.contains("AwsSolutions-S10") && n.message.contains("no reason")),
        "{:?}",
        o.notices
    );
}

#[test]
fn cdk_nag_regex_applies_to() {
    let t = with_meta("      PublicAccessBlockConfiguration: {}\n");
    let _ = t;
    let t = "Resources:\n  Logs:\n    Type: AWS::S3::Bucket\n    Properties:\n      PublicAccessBlockConfiguration: {BlockPublicAcls: true}\n    Metadata:\n      cdk_nag:\n        rules_to_suppress:\n          - id: AwsSolutions-S2\n            reason: Public policies are reviewed by the platform team\n            applies_to:\n              - regex: '/^(BlockPublicPolicy|RestrictPublicBuckets)$/g'\n";
    let (f, _) = scan(t, &policy());
    let s: Vec<_> = suppressed(&f, "s3-bucket-public-access-block", "Logs")
        .iter()
        .map(|f| f.detail.clone().unwrap())
        .collect();
    assert_eq!(s, vec!["BlockPublicPolicy", "RestrictPublicBuckets"]);
    assert_eq!(
        open(&f, "s3-bucket-public-access-block", "Logs")[0]
            .detail
            .as_deref(),
        Some("IgnorePublicAcls")
    );
}

#[test]
fn cfn_nag_checkov_and_guard() {
    let t = with_meta("      cfn_nag:\n        rules_to_suppress:\n          - id: W35\n            reason: This is the access log bucket itself\n      checkov:\n        skip:\n          - id: CKV_AWS_21\n            comment: Log objects are written once and never changed\n      guard:\n        SuppressedRules:\n          - S3_BUCKET_REPLICATION_ENABLED\n");
    let (f, o) = scan(&t, &policy());
    assert_eq!(
        suppressed(&f, "s3-bucket-access-logging", "Logs")[0]
            .suppression
            .as_ref()
            .unwrap()
            .source,
        "template metadata (cfn_nag)"
    );
    assert_eq!(
        suppressed(&f, "s3-bucket-versioning", "Logs")[0]
            .suppression
            .as_ref()
            .unwrap()
            .source,
        "template metadata (checkov)"
    );
    // cfn-guard carries no reason: the suppression is recognised but does not suppress.
    assert_eq!(open(&f, "s3-bucket-replication", "Logs").len(), 1);
    assert!(o
        .notices
        .iter()
        .any(|n| n.message.contains("cfn-guard")
            && n.message.contains("S3_BUCKET_REPLICATION_ENABLED")));
}

#[test]
fn unknown_foreign_ids_and_unused_suppressions_are_reported() {
    let t = with_meta("      cfn_nag:\n        rules_to_suppress:\n          - id: W9999\n            reason: Not a rule anybody knows about\n      incloud:\n        suppress:\n          - rule: s3-bucket-tls-only\n            reason: There is a policy in another stack\n");
    let p = Policy {
        report_unused: true,
        ..policy()
    };
    let (f, o) = scan(&t, &p);
    assert!(o
        .notices
        .iter()
        .any(|n| n.message.contains("W9999") && n.message.contains("matches no incloud rule")));
    assert_eq!(suppressed(&f, "s3-bucket-tls-only", "Logs").len(), 1);
    let t = "Resources:\n  Logs:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration: {Status: Enabled}\n    Metadata:\n      incloud:\n        suppress:\n          - rule: s3-bucket-versioning\n            reason: Versioning is not wanted on log buckets\n";
    let (_, o) = scan(t, &p);
    assert!(
        o.notices
            .iter()
            .any(|n| n.message.contains("unused suppression") && n.span.map(|s| s.line) == Some(9)),
        "{:?}",
        o.notices
    );
}

#[test]
fn central_suppressions_globs_and_expiry() {
    let mut p = policy();
    p.central.push(Central {
        rule: "AwsSolutions-S1".into(),
        reason: "Log buckets are covered by the organization trail".into(),
        resource: Some("Lo*".into()),
        file: Some("infra/*".into()),
        origin: "incloud.toml:3".into(),
        ..Central::default()
    });
    p.central.push(Central {
        rule: "s3-bucket-replication".into(),
        reason: "Replication is being rolled out this quarter".into(),
        expires: Some("2026-11-01".into()),
        origin: "incloud.toml:9".into(),
        ..Central::default()
    });
    let (f, o) = scan(BARE, &p);
    let s = suppressed(&f, "s3-bucket-access-logging", "Logs");
    assert_eq!(s[0].suppression.as_ref().unwrap().source, "incloud.toml:3");
    assert_eq!(
        open(&f, "s3-bucket-replication", "Logs").len(),
        1,
        "expired suppressions no longer apply"
    );
    assert!(o.central_used.contains(&1));
    // In-template suppressions can be switched off centrally.
    let t = with_meta("      incloud:\n        suppress:\n          - rule: s3-bucket-replication\n            reason: Access logs are not worth replicating\n");
    let p = Policy {
        inline: false,
        ..policy()
    };
    let (f, _) = scan(&t, &p);
    assert_eq!(open(&f, "s3-bucket-replication", "Logs").len(), 1);
}

fn fingerprints(text: &str) -> Vec<(String, String)> {
    let stack = load_str(text, FileId(0), &Inputs::default(), &Limits::default()).unwrap();
    let mut v: Vec<_> = check_stack(&stack, &Dispatch::new(&Selection::default()), "site.yaml")
        .into_iter()
        .map(|f| {
            (
                format!(
                    "{} {} {}",
                    f.rule.name,
                    f.resource.id,
                    f.detail.unwrap_or_default()
                ),
                f.fingerprint,
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn fingerprints_survive_reformatting_reordering_and_unrelated_edits() {
    let yaml = "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration: {Status: Suspended}\n  B:\n    Type: AWS::S3::Bucket\n";
    let json = r#"{"Resources": {"B": {"Type": "AWS::S3::Bucket"},
        "A": {"Type": "AWS::S3::Bucket", "Properties": {"Tags": [{"Key": "team", "Value": "data"}],
              "VersioningConfiguration": {"Status": "Suspended"}}}}}"#;
    assert_eq!(fingerprints(yaml), fingerprints(json));
    // The substance changes: another resource, another rule outcome.
    let renamed = yaml.replace("  B:", "  C:");
    assert_ne!(fingerprints(yaml), fingerprints(&renamed));
}

#[test]
fn cdk_nag_granular_iam_suppressions_match_policy_findings() {
    let t = r#"{
 "Resources": {
  "Data": {"Type": "AWS::S3::Bucket"},
  "HandlerServiceRoleFCDC14AE": {
   "Type": "AWS::IAM::Role",
   "Properties": {
    "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}}]},
    "ManagedPolicyArns": [
     {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]]},
     "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"
    ]
   },
   "Metadata": {
    "aws:cdk:path": "App/Handler/ServiceRole/Resource",
    "cdk_nag": {"rules_to_suppress": [
     {"id": "AwsSolutions-IAM4", "reason": "Basic execution writes only this function's logs",
      "applies_to": ["Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]}
    ]}
   }
  },
  "HandlerServiceRoleDefaultPolicyCBD0CC91": {
   "Type": "AWS::IAM::Policy",
   "Properties": {
    "PolicyName": "HandlerServiceRoleDefaultPolicyCBD0CC91",
    "Roles": [{"Ref": "HandlerServiceRoleFCDC14AE"}],
    "PolicyDocument": {"Version": "2012-10-17", "Statement": [
     {"Action": ["s3:GetObject*", "s3:List*"], "Effect": "Allow",
      "Resource": [{"Fn::GetAtt": ["Data", "Arn"]}, {"Fn::Join": ["", [{"Fn::GetAtt": ["Data", "Arn"]}, "/*"]]}]}
    ]}
   },
   "Metadata": {
    "aws:cdk:path": "App/Handler/ServiceRole/DefaultPolicy/Resource",
    "cdk_nag": {"rules_to_suppress": [
     {"id": "AwsSolutions-IAM5[Action::s3:GetObject*]", "reason": "Reads every object version of the data bucket"}
    ]}
   }
  }
 }
}"#;
    let (f, o) = scan(t, &policy());
    let managed = suppressed(&f, "iam-aws-managed-policy", "HandlerServiceRoleFCDC14AE");
    assert_eq!(managed.len(), 1, "{:?}", o.notices);
    assert_eq!(
        managed[0].detail.as_deref(),
        Some(
            "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
        )
    );
    // A literal partition in the template matches a suppression written with <AWS::Partition> too, and the
    // X-Ray policy, not named, stays open.
    let open_managed = open(&f, "iam-aws-managed-policy", "HandlerServiceRoleFCDC14AE");
    assert_eq!(open_managed.len(), 1);
    assert!(open_managed[0]
        .detail
        .as_deref()
        .unwrap()
        .ends_with("AWSXrayWriteOnlyAccess"));
    let wild = suppressed(
        &f,
        "iam-wildcard-permission",
        "HandlerServiceRoleDefaultPolicyCBD0CC91",
    );
    assert_eq!(wild.len(), 1);
    assert_eq!(wild[0].detail.as_deref(), Some("Action::s3:GetObject*"));
    let still_open: Vec<_> = open(
        &f,
        "iam-wildcard-permission",
        "HandlerServiceRoleDefaultPolicyCBD0CC91",
    )
    .iter()
    .filter_map(|f| f.detail.clone())
    .collect();
    assert_eq!(still_open, vec!["Action::s3:List*".to_string()]);
}
