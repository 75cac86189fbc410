//! End-to-end: the binary as a user runs it, on the bundled examples and on broken inputs.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn incloud(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_incloud"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("run incloud")
}

fn json(args: &[&str]) -> (i32, Value) {
    let mut a = vec!["scan", "--format", "json"];
    a.extend_from_slice(args);
    let out = incloud(&a);
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap_or(-1), v)
}

fn findings<'a>(v: &'a Value, rule: &str, resource: &str) -> Vec<&'a Value> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["name"] == rule && f["resource"]["id"] == resource)
        .collect()
}

#[test]
fn scanning_the_examples_reports_findings_with_cdk_context() {
    let (code, v) = json(&["examples"]);
    assert_eq!(code, 1, "findings give exit code 1");
    assert_eq!(v["version"], 1);
    assert_eq!(v["tool"]["name"], "incloud");
    assert_eq!(
        v["errors"].as_array().map(Vec::len),
        Some(0),
        "{}",
        v["errors"]
    );
    // The hardened CDK bucket has no finding at all; the default one has one per S3 rule.
    let all = v["findings"].as_array().expect("findings");
    assert!(all
        .iter()
        .all(|f| f["resource"]["id"] != "DataBucketE3889A50"));
    let uploads: Vec<_> = all
        .iter()
        .filter(|f| f["resource"]["id"] == "UploadsBucket5E5E9B64")
        .collect();
    assert_eq!(uploads.len(), 6, "{uploads:#?}");
    let f = uploads[0];
    assert_eq!(f["resource"]["stack"], "OrdersStack");
    assert_eq!(
        f["resource"]["cdk_path"],
        "OrdersStack/UploadsBucket/Resource"
    );
    assert_eq!(f["resource"]["type"], "AWS::S3::Bucket");
    assert!(f["location"]["file"]
        .as_str()
        .unwrap()
        .ends_with("cdk.out/OrdersStack.template.json"));
    assert!(f["location"]["line"].as_u64().unwrap() > 1);
    assert_eq!(f["fingerprint"].as_str().unwrap().len(), 16);
    for key in [
        "rule",
        "name",
        "severity",
        "area",
        "title",
        "message",
        "path",
        "condition",
        "controls",
        "suppression",
    ] {
        assert!(f.get(key).is_some(), "finding has no {key}");
    }
    // The stage's stack is found through the nested assembly, under its deployed stack name.
    assert!(all
        .iter()
        .any(|f| f["resource"]["stack"] == "Prod-ArchiveStack"));
    // Asset folders and non-template JSON/YAML are not scanned.
    assert!(all
        .iter()
        .all(|f| !f["location"]["file"].as_str().unwrap().contains("asset.")));
    let s = &v["summary"];
    assert_eq!(s["findings"].as_u64(), Some(all.len() as u64));
    assert_eq!(s["errors"], 0);
    let by: u64 = s["by_severity"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(by, all.len() as u64);
}

#[test]
fn output_is_deterministic() {
    let a = incloud(&["scan", "--format", "json", "examples"]);
    let b = incloud(&["scan", "--format", "json", "examples"]);
    assert_eq!(a.stdout, b.stdout);
    let t1 = incloud(&["scan", "examples"]);
    let t2 = incloud(&["scan", "examples"]);
    assert_eq!(t1.stdout, t2.stdout);
}

#[test]
fn parameters_decide_conditions() {
    let site = "examples/templates/static-site.yaml";
    let (_, v) = json(&[site]);
    let f = findings(&v, "s3-bucket-versioning", "StaticSiteBucket");
    assert_eq!(f.len(), 1);
    assert!(f[0]["message"].as_str().unwrap().contains("Suspended"));
    // Environment=prod makes IsProduction true, and versioning Enabled.
    let (_, v) = json(&["--parameters", "examples/templates/params.json", site]);
    assert!(findings(&v, "s3-bucket-versioning", "StaticSiteBucket").is_empty());
    let (_, v) = json(&["--parameter", "Environment=prod", site]);
    assert!(findings(&v, "s3-bucket-versioning", "StaticSiteBucket").is_empty());
    // --parameter wins over --parameters.
    let (_, v) = json(&[
        "--parameters",
        "examples/templates/params.json",
        "--parameter",
        "Environment=dev",
        site,
    ]);
    assert_eq!(
        findings(&v, "s3-bucket-versioning", "StaticSiteBucket").len(),
        1
    );
}

#[test]
fn parameter_files_in_both_formats() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.json");
    std::fs::write(&p, r#"{"Parameters": {"Environment": "prod"}}"#).unwrap();
    let (_, v) = json(&[
        "--parameters",
        p.to_str().unwrap(),
        "examples/templates/static-site.yaml",
    ]);
    assert!(findings(&v, "s3-bucket-versioning", "StaticSiteBucket").is_empty());
    std::fs::write(&p, r#"{"Params": 1}"#).unwrap();
    let out = incloud(&["scan", "--parameters", p.to_str().unwrap(), "examples"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("p.json"));
}

#[test]
fn fail_on_sets_the_threshold() {
    let out = incloud(&["scan", "--fail-on", "critical", "examples"]);
    assert_eq!(out.status.code(), Some(0));
    let out = incloud(&["scan", "--fail-on", "high", "examples"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "static-site.yaml has high findings"
    );
}

#[test]
fn undecided_conditions_are_named_on_findings() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("t.yaml");
    std::fs::write(
        &t,
        "Parameters:\n  Env:\n    Type: String\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration:\n        Status: !If [IsProd, Enabled, Suspended]\n",
    )
    .unwrap();
    let (_, v) = json(&["--rule", "s3-bucket-versioning", t.to_str().unwrap()]);
    let f = findings(&v, "s3-bucket-versioning", "B");
    assert_eq!(f.len(), 1, "only the !IsProd branch fails");
    assert_eq!(f[0]["condition"], "!IsProd");
    assert_eq!(f[0]["location"]["line"], 11);
}

#[test]
fn rules_and_explain() {
    let out = incloud(&["rules", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = v.as_array().unwrap();
    assert!(rules.len() >= 6);
    assert!(rules
        .iter()
        .any(|r| r["name"] == "s3-bucket-tls-only" && r["controls"]["security-hub"][0] == "S3.5"));
    let by_name = incloud(&["explain", "s3-bucket-tls-only"]);
    let by_code = incloud(&["explain", "IN-S3-002"]);
    assert_eq!(by_name.stdout, by_code.stdout);
    let text = String::from_utf8_lossy(&by_name.stdout);
    assert!(text.contains("aws:SecureTransport") && text.contains("## Fix it"));
    let out = incloud(&["explain", "no-such-rule"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-rule"));
}

#[test]
fn generated_rule_docs_are_current() {
    let out = incloud(&["docs", "--check", "docs"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn bad_arguments_exit_2() {
    assert_eq!(incloud(&["scan"]).status.code(), Some(2));
    assert_eq!(
        incloud(&["scan", "--fail-on", "extreme", "examples"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        incloud(&["scan", "--rule", "nope", "examples"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(incloud(&["scan", "does/not/exist"]).status.code(), Some(2));
}

/// One file per class of bad input, plus a valid template: every bad file is reported with its line, the
/// valid one is still scanned, the exit code is 2, and nothing crashes.
#[test]
fn bad_inputs_are_reported_and_the_rest_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let w = |name: &str, body: &[u8]| std::fs::write(d.join(name), body).unwrap();
    w(
        "good.yaml",
        b"Resources:\n  Good:\n    Type: AWS::S3::Bucket\n",
    );
    w(
        "bad-yaml.yaml",
        b"AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: [unclosed\n",
    );
    w(
        "bad-json.json",
        b"{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Resources\": {,}\n}\n",
    );
    w(
        "not-utf8.yaml",
        b"AWSTemplateFormatVersion: '2010-09-09'\nDescription: caf\xe9\nResources: {}\n",
    );
    w("binary.template", b"AWSTemplateFormatVersion\0\x01\x02");
    w(
        "circular.yaml",
        b"Conditions:\n  A: !Condition B\n  B: !Not [!Condition A]\nResources:\n  X:\n    Type: AWS::S3::Bucket\n    Condition: A\n",
    );
    w("unknown-fn.yaml", b"Resources:\n  X:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: {\"Fn::Frobnicate\": x}\n");
    let mut bomb = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..10 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    bomb.push_str("Resources: {}\n");
    w("alias-bomb.yaml", bomb.as_bytes());
    let deep = format!(
        "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {}{}}}",
        "[".repeat(1000),
        "]".repeat(1000)
    );
    w("deep.json", deep.as_bytes());
    let big = format!(
        "AWSTemplateFormatVersion: '2010-09-09'\nDescription: '{}'\nResources: {{}}\n",
        "x".repeat(20_000)
    );
    w("big.yaml", big.as_bytes());
    let out = incloud(&[
        "scan",
        "--format",
        "json",
        "--max-file-size",
        "15000",
        d.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = v["errors"].as_array().unwrap();
    let find = |name: &str| {
        errors
            .iter()
            .find(|e| e["file"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("no error for {name}: {errors:#?}"))
    };
    let expect = [
        ("bad-yaml.yaml", Some(4), "flow sequence"),
        ("bad-json.json", Some(3), "invalid JSON"),
        ("not-utf8.yaml", Some(2), "UTF-8"),
        ("circular.yaml", None, "circular conditions"),
        (
            "unknown-fn.yaml",
            Some(5),
            "unknown intrinsic function Fn::Frobnicate",
        ),
        ("alias-bomb.yaml", None, "max_alias_nodes"),
        ("deep.json", Some(1), "max_depth"),
        ("big.yaml", None, "larger than the limit"),
    ];
    for (name, line, text) in expect {
        let e = find(name);
        if let Some(l) = line {
            assert_eq!(e["line"], l, "{name}: {e}");
        }
        assert!(e["message"].as_str().unwrap().contains(text), "{name}: {e}");
    }
    // Binary files found while walking a directory are not templates; named explicitly, they are errors.
    assert!(errors
        .iter()
        .all(|e| !e["file"].as_str().unwrap().ends_with("binary.template")));
    let out = incloud(&[
        "scan",
        "--format",
        "json",
        d.join("binary.template").to_str().unwrap(),
    ]);
    let v2: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v2["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("binary"));
    // The valid template was scanned.
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["resource"]["id"] == "Good"));
    assert_eq!(v["summary"]["files"], 1);
}

#[test]
fn non_templates_are_skipped_silently() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("package.json"),
        br#"{"name": "x", "scripts": {"build": "tsc"}}"#,
    )
    .unwrap();
    std::fs::create_dir_all(d.join(".github/workflows")).unwrap();
    std::fs::write(
        d.join(".github/workflows/ci.yml"),
        b"on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n",
    )
    .unwrap();
    std::fs::write(d.join("notes.yaml"), b"Resources: [\n").unwrap();
    let out = incloud(&["scan", "--format", "json", d.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn excludes_skip_paths() {
    let (_, all) = json(&["examples"]);
    let (_, some) = json(&["--exclude", "templates", "examples"]);
    let n = |v: &Value| v["findings"].as_array().unwrap().len();
    assert!(n(&some) < n(&all));
    assert!(some["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| !f["location"]["file"]
            .as_str()
            .unwrap()
            .contains("templates/")));
}

#[test]
fn nested_stacks_are_followed_with_the_parameters_their_parent_passes() {
    let (_, v) = json(&["examples/templates/platform.yaml"]);
    assert_eq!(v["summary"]["stacks"], 2);
    let nested: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["resource"]["stack"] == "platform/NetworkStack")
        .collect();
    assert!(!nested.is_empty());
    assert_eq!(
        nested[0]["location"]["file"],
        "examples/templates/nested/network.yaml"
    );
    // CDK: the top stack, its nested stack (through aws:asset:path) and the stage's stack.
    let (_, v) = json(&["examples/cdk-app/cdk.out"]);
    assert_eq!(v["summary"]["stacks"], 3);
}

#[test]
fn baselines_accept_todays_findings_and_diff_shows_new_ones() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let t = d.join("app.yaml");
    std::fs::write(&t, "Resources:\n  A:\n    Type: AWS::S3::Bucket\n").unwrap();
    let base = d.join("baseline.json");
    let old = d.join("old.json");
    let out = incloud(&[
        "scan",
        "--write-baseline",
        base.to_str().unwrap(),
        "-f",
        "json",
        "-o",
        old.to_str().unwrap(),
        t.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let out = incloud(&[
        "scan",
        "--baseline",
        base.to_str().unwrap(),
        t.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "baselined findings do not fail");
    // Moving the template keeps the fingerprints.
    std::fs::create_dir_all(d.join("moved")).unwrap();
    std::fs::copy(&t, d.join("moved/app.yaml")).unwrap();
    let out = incloud(&[
        "scan",
        "--baseline",
        base.to_str().unwrap(),
        d.join("moved/app.yaml").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    // A new bucket is new.
    std::fs::write(
        &t,
        "Resources:\n  A:\n    Type: AWS::S3::Bucket\n  B:\n    Type: AWS::S3::Bucket\n",
    )
    .unwrap();
    let (code, v) = json(&["--baseline", base.to_str().unwrap(), t.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| (f["resource"]["id"] == "A") == f["suppression"].is_object()));
    let new = d.join("new.json");
    incloud(&[
        "scan",
        "-f",
        "json",
        "-o",
        new.to_str().unwrap(),
        t.to_str().unwrap(),
    ]);
    let out = incloud(&[
        "diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!v["new"].as_array().unwrap().is_empty());
    assert!(v["new"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["resource"]["id"] == "B"));
    assert!(v["fixed"].as_array().unwrap().is_empty());
    let out = incloud(&["diff", new.to_str().unwrap(), old.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 new,"));
}

#[test]
fn config_file_selects_rules_overrides_severity_and_suppresses() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("app.yaml"),
        "Resources:\n  Logs:\n    Type: AWS::S3::Bucket\n",
    )
    .unwrap();
    std::fs::write(
        d.join("incloud.toml"),
        "fail_on = \"high\"\n[rules]\nignore = [\"s3-bucket-replication\"]\nseverity = { s3-bucket-versioning = \"critical\" }\n[[suppress]]\nrule = \"W35\"\nreason = \"log buckets are covered by the org trail\"\nresource = \"Log*\"\n",
    )
    .unwrap();
    let (code, v) = json(&[d.to_str().unwrap()]);
    assert_eq!(code, 1, "versioning is critical now, above fail_on high");
    let f = v["findings"].as_array().unwrap();
    assert!(f.iter().all(|f| f["name"] != "s3-bucket-replication"));
    assert!(f
        .iter()
        .any(|f| f["name"] == "s3-bucket-versioning" && f["severity"] == "critical"));
    let logging = f
        .iter()
        .find(|f| f["name"] == "s3-bucket-access-logging")
        .unwrap();
    assert!(
        logging["suppression"]["source"]
            .as_str()
            .unwrap()
            .ends_with("incloud.toml:7"),
        "{logging}"
    );
    let out = incloud(&["config", "show", d.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("fail_on = \"high\""));
    std::fs::write(d.join("incloud.toml"), "fail_on = \"high\"\nbogus = 1\n").unwrap();
    let out = incloud(&["scan", d.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("incloud.toml:2") && err.contains("bogus"),
        "{err}"
    );
    let out = incloud(&["scan", "--no-config", d.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn several_formats_in_one_run_and_compact_lines() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("r.json");
    let out = incloud(&[
        "scan",
        "-f",
        "json",
        "-o",
        j.to_str().unwrap(),
        "-f",
        "compact",
        "examples",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&std::fs::read(&j).unwrap()).unwrap();
    let lines = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        lines.lines().count(),
        v["findings"].as_array().unwrap().len()
    );
    let first = lines.lines().next().unwrap();
    let mut parts = first.splitn(4, ':');
    assert!(parts.next().unwrap().ends_with(".json"));
    assert!(parts.next().unwrap().parse::<u32>().is_ok());
    assert!(parts.next().unwrap().parse::<u32>().is_ok());
    let quiet = incloud(&["scan", "--quiet", "examples"]);
    assert!(quiet.stdout.is_empty());
    assert_eq!(quiet.status.code(), Some(1));
    let bad = incloud(&["scan", "-f", "json", "-f", "text", "examples"]);
    assert_eq!(bad.status.code(), Some(2));
}

/// The SECURITY.md `incloud doc` writes for the bundled examples, snapshotted: a user regenerating it in CI
/// and diffing it sees exactly what changed.
#[test]
fn security_md_of_the_examples() {
    // Pinned, so that runtime end-of-support dates passing do not change the snapshot.
    let out = incloud(&["doc", "--today", "2026-11-25", "examples"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.contains("## Shared responsibility"));
    assert_eq!(
        md,
        String::from_utf8(incloud(&["doc", "--today", "2026-11-25", "examples"]).stdout).unwrap(),
        "deterministic"
    );
    insta::assert_snapshot!("security_md_examples", md);
}

/// `--today` pins the date that date-dependent rules judge against: the examples' nodejs20.x function is
/// reported once Lambda has deprecated that runtime (2026-04-30), not before; a malformed date is refused.
#[test]
fn today_pins_the_scan_date() {
    let runtime_findings = |date: &str| {
        let (_, v) = json(&[
            "--today",
            date,
            "--rule",
            "lambda-runtime-deprecated",
            "examples",
        ]);
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["message"].as_str().unwrap_or("").contains("nodejs20.x"))
            .map(|f| f["severity"].as_str().unwrap_or("").to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(runtime_findings("2025-01-01"), Vec::<String>::new());
    assert_eq!(
        runtime_findings("2026-01-01"),
        vec!["info"],
        "within warn_days of 2026-04-30"
    );
    assert_eq!(runtime_findings("2026-05-01"), vec!["medium"]);
    let bad = incloud(&["scan", "--today", "2026-13-01", "examples"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("YYYY-MM-DD"));
}
