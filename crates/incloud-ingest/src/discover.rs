//! Finding the templates to scan: files, directories, and CDK cloud assemblies.

use crate::error::LoadError;
use globset::{Glob, GlobSet, GlobSetBuilder};
use incloud_model::StackKind;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One template to load.
#[derive(Clone, Debug)]
pub(crate) struct Unit {
    pub path: PathBuf,
    pub kind: StackKind,
    pub stack_name: Option<String>,
    pub termination_protection: Option<bool>,
    /// Named by the user (or by a manifest or a parent stack): it must be a template.
    pub explicit: bool,
    /// Parameter values passed by a parent stack; `None` for a top-level template.
    pub parameters: Option<BTreeMap<String, String>>,
    pub nested_depth: usize,
    /// The cloud assembly directory, for CDK asset paths.
    pub assembly_dir: Option<PathBuf>,
}

impl Unit {
    fn file(path: PathBuf, explicit: bool) -> Unit {
        Unit {
            path,
            kind: StackKind::Template,
            stack_name: None,
            termination_protection: None,
            explicit,
            parameters: None,
            nested_depth: 0,
            assembly_dir: None,
        }
    }
}

const TEMPLATE_EXTENSIONS: &[&str] = &["json", "yaml", "yml", "template"];
const SKIPPED_DIRS: &[&str] = &[
    ".git",
    "node_modules",
    ".aws-sam",
    ".terraform",
    "__pycache__",
    ".venv",
    "target",
];

pub(crate) fn build_excludes(patterns: &[String]) -> Result<GlobSet, LoadError> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        let glob = Glob::new(p)
            .map_err(|e| LoadError::new(p, format!("invalid --exclude pattern: {e}")))?;
        b.add(glob);
        // `--exclude tests` should exclude the folder wherever it is, as users expect from other scanners.
        if !p.contains('/') {
            if let Ok(g) = Glob::new(&format!("**/{p}")) {
                b.add(g);
            }
        }
    }
    b.build()
        .map_err(|e| LoadError::new("--exclude", e.to_string()))
}

pub(crate) fn discover(paths: &[PathBuf], excludes: &GlobSet) -> (Vec<Unit>, Vec<LoadError>) {
    let mut units = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                errors.push(LoadError::new(root, format!("cannot read: {e}")));
                continue;
            }
        };
        if meta.is_file() {
            if root.file_name().is_some_and(|n| n == "manifest.json") {
                if let Some(dir) = root.parent() {
                    if is_assembly(dir) {
                        assembly(dir, 0, &mut units, &mut errors);
                        continue;
                    }
                }
            }
            units.push(Unit::file(root.clone(), true));
            continue;
        }
        if is_assembly(root) {
            assembly(root, 0, &mut units, &mut errors);
            continue;
        }
        let assemblies = std::cell::RefCell::new(Vec::new());
        let walker = walkdir::WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if e.depth() == 0 {
                    return true;
                }
                let name = e.file_name().to_string_lossy();
                let rel = e.path().strip_prefix(root).unwrap_or(e.path());
                if excludes.is_match(rel) || excludes.is_match(e.path()) {
                    return false;
                }
                if !e.file_type().is_dir() {
                    return true;
                }
                if SKIPPED_DIRS.contains(&name.as_ref()) || name.starts_with("asset.") {
                    return false;
                }
                if is_assembly(e.path()) {
                    // Read through its manifest, never file by file.
                    assemblies.borrow_mut().push(e.path().to_path_buf());
                    return false;
                }
                true
            });
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = e
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| root.clone());
                    errors.push(LoadError::new(path, format!("cannot read: {e}")));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let ext = entry
                .path()
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("");
            if TEMPLATE_EXTENSIONS
                .iter()
                .any(|t| t.eq_ignore_ascii_case(ext))
            {
                units.push(Unit::file(entry.into_path(), false));
            }
        }
        for dir in assemblies.into_inner() {
            assembly(&dir, 0, &mut units, &mut errors);
        }
    }
    (units, errors)
}

/// A directory is a cloud assembly when its `manifest.json` has an `artifacts` object or a `version` and the
/// directory has a `cdk.out` marker file.
fn is_assembly(dir: &Path) -> bool {
    let manifest = dir.join("manifest.json");
    if !manifest.is_file() {
        return false;
    }
    if dir.join("cdk.out").is_file() {
        return true;
    }
    match std::fs::read(&manifest) {
        Ok(bytes) if bytes.len() < 64 * 1024 * 1024 => {
            match serde_json::from_slice::<serde_json::Value>(&bytes) {
                Ok(v) => v.get("artifacts").is_some_and(|a| a.is_object()),
                Err(_) => false,
            }
        }
        _ => false,
    }
}

const MAX_ASSEMBLY_DEPTH: usize = 8;

fn assembly(dir: &Path, depth: usize, units: &mut Vec<Unit>, errors: &mut Vec<LoadError>) {
    let manifest_path = dir.join("manifest.json");
    if depth > MAX_ASSEMBLY_DEPTH {
        errors.push(LoadError::new(
            &manifest_path,
            "cloud assemblies nested too deeply",
        ));
        return;
    }
    let text = match std::fs::read_to_string(&manifest_path) {
        Ok(t) => t,
        Err(e) => {
            errors.push(LoadError::new(&manifest_path, format!("cannot read: {e}")));
            return;
        }
    };
    let manifest: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            errors.push(
                LoadError::new(
                    &manifest_path,
                    format!("invalid cloud assembly manifest: {e}"),
                )
                .at(e.line() as u32, e.column() as u32),
            );
            return;
        }
    };
    let Some(artifacts) = manifest.get("artifacts").and_then(|a| a.as_object()) else {
        return;
    };
    let mut names: Vec<&String> = artifacts.keys().collect();
    names.sort();
    for name in names {
        let artifact = &artifacts[name];
        let props = artifact.get("properties");
        let prop_str = |key: &str| props.and_then(|p| p.get(key)).and_then(|v| v.as_str());
        match artifact.get("type").and_then(|t| t.as_str()) {
            Some("aws:cloudformation:stack") => {
                let Some(template) = prop_str("templateFile") else {
                    errors.push(LoadError::new(
                        &manifest_path,
                        format!("stack artifact {name} has no templateFile"),
                    ));
                    continue;
                };
                let termination_protection = props
                    .and_then(|p| p.get("terminationProtection"))
                    .and_then(|v| v.as_bool())
                    .unwrap_or(false);
                units.push(Unit {
                    path: dir.join(template),
                    kind: StackKind::Cdk,
                    stack_name: Some(prop_str("stackName").unwrap_or(name).to_string()),
                    termination_protection: Some(termination_protection),
                    explicit: true,
                    parameters: None,
                    nested_depth: 0,
                    assembly_dir: Some(dir.to_path_buf()),
                });
            }
            Some("cdk:cloud-assembly") => {
                if let Some(sub) = prop_str("directoryName") {
                    assembly(&dir.join(sub), depth + 1, units, errors);
                }
            }
            _ => {}
        }
    }
}
