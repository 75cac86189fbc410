//! The one fixture driver: every rule runs on its pass and fail fixtures. Pass fixtures must give no finding
//! of the rule; fail fixtures at least one above severity info; the rendered findings are snapshotted.
//!
//! A fixture is one template file, or a directory holding a CDK cloud assembly (`manifest.json` and its
//! templates), for rules that read what only the manifest says (termination protection).

use incloud_ingest::{load, load_str, Inputs, Limits, LoadOptions};
use incloud_model::{FileId, Finding, Severity};
use incloud_rules::{check_stack, Dispatch, Selection};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// The scan date fixtures are checked on.
const FIXTURE_DATE: &str = "2025-06-01";

fn fixture_dirs() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let mut out = Vec::new();
    for service in std::fs::read_dir(&root).expect("rules dir") {
        let fixtures = service.expect("entry").path().join("fixtures");
        let Ok(rules) = std::fs::read_dir(&fixtures) else {
            continue;
        };
        for rule in rules {
            let path = rule.expect("entry").path();
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            out.push((name, path));
        }
    }
    out.sort();
    out
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn every_rule_has_fixtures_and_they_hold() {
    let dirs = fixture_dirs();
    for rule in incloud_rules::all() {
        assert!(
            dirs.iter().any(|(n, _)| n == rule.meta.name),
            "rule {} has no fixtures directory",
            rule.meta.name
        );
    }
    for (name, dir) in dirs {
        let rule = incloud_rules::find(&name)
            .unwrap_or_else(|| panic!("fixtures for unknown rule {name}"));
        let mut dispatch = Dispatch::new(&Selection {
            only: vec![rule.meta.name.to_string()],
            skip: vec![],
        });
        // A fixed scan date keeps date-dependent rules (runtime end of support) reproducible.
        dispatch.set_today(FIXTURE_DATE);
        let mut snapshot = String::new();
        for (kind, must_fail) in [("pass", false), ("fail", true)] {
            let fixtures = files(&dir.join(kind));
            assert!(
                fixtures.len() >= 2,
                "{name}: fewer than two {kind} fixtures"
            );
            for file in fixtures {
                let findings = run(&file, &dispatch);
                let shown = format!(
                    "{kind}/{}",
                    file.file_name().expect("name").to_string_lossy()
                );
                if must_fail {
                    assert!(
                        findings.iter().any(|f| f.severity > Severity::Info),
                        "{name}: fail fixture {shown} gave no finding"
                    );
                } else {
                    assert!(
                        findings.is_empty(),
                        "{name}: pass fixture {shown} gave findings: {:#?}",
                        findings.iter().map(|f| &f.message).collect::<Vec<_>>()
                    );
                }
                let _ = writeln!(snapshot, "{shown}");
                for f in &findings {
                    let _ = write!(
                        snapshot,
                        "  {}:{} {} {} [{}]: {}",
                        f.location.line,
                        f.location.col,
                        f.severity,
                        f.resource.id,
                        f.path,
                        f.message
                    );
                    if let Some(c) = &f.condition {
                        let _ = write!(snapshot, " (when {c})");
                    }
                    snapshot.push('\n');
                }
            }
        }
        insta::assert_snapshot!(name, snapshot);
    }
}

/// The findings of the selected rules on one fixture: a template, or a cloud assembly directory.
fn run(path: &Path, dispatch: &Dispatch) -> Vec<Finding> {
    if path.is_dir() {
        let loaded = load(
            &[path.to_path_buf()],
            &LoadOptions::default(),
            |stack, _| check_stack(stack, dispatch, "fixture"),
        );
        assert!(
            loaded.errors.is_empty() && !loaded.results.is_empty(),
            "{}: {:?}",
            path.display(),
            loaded.errors
        );
        return loaded.results.into_iter().flatten().collect();
    }
    let text = std::fs::read_to_string(path).expect("read fixture");
    let stack = load_str(&text, FileId(0), &Inputs::default(), &Limits::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    check_stack(&stack, dispatch, "fixture")
}
