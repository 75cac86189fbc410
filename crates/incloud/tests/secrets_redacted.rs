//! Secrets found in templates never reach a report: every format of `incloud scan`, with every rule, over
//! the secret rules' failing fixtures is searched for the raw values (messages, details, fingerprints,
//! embedded JSON).

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const FIXTURES: &[&str] = &[
    "crates/incloud-rules/src/rules/cfn/fixtures/cfn-plaintext-secret/fail",
    "crates/incloud-rules/src/rules/lambda/fixtures/lambda-environment-secret/fail",
];

/// The raw secrets written in those fixtures (and one given on the command line).
const SECRETS: &[&str] = &[
    "Tr0ub4dor-and-3",
    "Aur0ra-Rep0rting-2024",
    "0ps-Br0ker-Passw0rd",
    "Search-Adm1n-Passw0rd!",
    "ghp_EXAMPLE00000000000000000000000000000",
    "3f9c2d7e1b5a4c8d9e0f1a2b3c4d5e6f",
    "pArtn3r-s3cr3t-v4lue-9f8e7d",
    "D3ployer-Initial-Pass",
    "0rders-Db-Passw0rd-2025",
    "pay_live_9d8c7b6a5f4e3d2c1b0a",
    "Exp0rt-Reader-2025!",
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "sk_live_EXAMPLE0000notARealKey00000",
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQEXAMPLEONLY",
    "n0t-so-s3cret-jwt-signing-key",
    "whk-7c1e9a3f5b2d4e6a8c0f",
    "a1b2c3d4e5f60718293a4b5c6d7e8f90",
    "AIzaSyEXAMPLE-0000000000000000000000000",
    "Wareh0use-Given-At-Deploy",
];

/// A secret as a report could carry it: as written, JSON-escaped (`/` as `\/`), HTML- or XML-escaped.
fn forms(secret: &str) -> Vec<String> {
    vec![
        secret.to_string(),
        secret.replace('/', "\\/"),
        secret.replace('!', "&#33;"),
        secret.replace('&', "&amp;"),
    ]
}

#[test]
fn no_report_format_contains_a_raw_secret() {
    let mut written = String::new();
    for dir in FIXTURES {
        for entry in std::fs::read_dir(repo().join(dir)).expect("fixture dir") {
            written.push_str(&std::fs::read_to_string(entry.expect("entry").path()).expect("read"));
        }
    }
    for s in SECRETS.iter().filter(|s| !s.starts_with("Wareh0use")) {
        assert!(
            written.contains(s),
            "fixture no longer holds {s}: update SECRETS"
        );
    }
    for format in [
        "text", "compact", "json", "sarif", "junit", "csv", "html", "ocsf", "asff", "markdown",
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_incloud"))
            .args([
                "scan",
                "--format",
                format,
                "--region",
                "eu-west-1",
                "--account",
                "111122223333",
            ])
            .args(["-p", "WarehousePassword=Wareh0use-Given-At-Deploy"])
            .args(FIXTURES)
            .current_dir(repo())
            .output()
            .expect("run incloud");
        assert_eq!(
            out.status.code(),
            Some(1),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            report.contains("cfn-plaintext-secret") || report.contains("IN-SECRET-001"),
            "{format}: no finding of the rule in\n{report}"
        );
        for secret in SECRETS {
            for form in forms(secret) {
                assert!(
                    !report.contains(&form),
                    "{format} report shows the secret {secret}"
                );
            }
        }
    }
}
