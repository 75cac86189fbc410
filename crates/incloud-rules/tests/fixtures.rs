//! The one fixture driver: every rule runs on its pass and fail fixtures. Pass fixtures must give no finding
//! of the rule; fail fixtures at least one above severity info; the rendered findings are snapshotted.

use incloud_ingest::{load_str, Inputs, Limits};
use incloud_model::{FileId, Severity};
use incloud_rules::{check_stack, Dispatch, Selection};
use std::fmt::Write;
use std::path::{Path, PathBuf};

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
        let dispatch = Dispatch::new(&Selection {
            only: vec![rule.meta.name.to_string()],
            skip: vec![],
        });
        let mut snapshot = String::new();
        for (kind, must_fail) in [("pass", false), ("fail", true)] {
            let fixtures = files(&dir.join(kind));
            assert!(
                fixtures.len() >= 2,
                "{name}: fewer than two {kind} fixtures"
            );
            for file in fixtures {
                let text = std::fs::read_to_string(&file).expect("read fixture");
                let stack = load_str(&text, FileId(0), &Inputs::default(), &Limits::default())
                    .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
                let findings = check_stack(&stack, &dispatch, "fixture");
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
