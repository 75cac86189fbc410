//! Loading templates and running a caller's function on each stack, in parallel across files.

use crate::cfn::{self, Inputs};
use crate::discover::{self, Unit};
use crate::error::LoadError;
use crate::limits::Limits;
use crate::parse;
use incloud_model::{FileId, SourceFile, Stack, StackKind};
use rayon::prelude::*;
use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// How to load.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    pub inputs: Inputs,
    pub limits: Limits,
    /// Glob patterns of paths not to scan.
    pub excludes: Vec<String>,
}

/// What a scan loaded: the files read, one result per stack, and the files that could not be loaded.
#[derive(Debug)]
pub struct Loaded<T> {
    pub files: Vec<SourceFile>,
    pub results: Vec<T>,
    pub errors: Vec<LoadError>,
}

enum Outcome {
    /// Not a template (found while walking a directory): ignored silently.
    Skipped,
    Stack(Box<Stack>, Vec<Unit>),
    /// Loaded and handed to the caller; the nested stacks it points at.
    Done(Vec<Unit>),
    Error(LoadError),
}

/// Discover and load every template under `paths`, calling `each` on every stack (with its file) as soon as it is loaded
/// (so that only the results, not the resolved templates, stay in memory). Files are processed in parallel;
/// results come back in a deterministic order.
pub fn load<T: Send>(
    paths: &[PathBuf],
    options: &LoadOptions,
    each: impl Fn(&Stack, &Path) -> T + Sync,
) -> Loaded<T> {
    let mut files = Vec::new();
    let mut results = Vec::new();
    let excludes = match discover::build_excludes(&options.excludes) {
        Ok(e) => e,
        Err(e) => {
            return Loaded {
                files,
                results,
                errors: vec![e],
            }
        }
    };
    let (mut units, mut errors) = discover::discover(paths, &excludes);
    units.sort_by(|a, b| a.path.cmp(&b.path));
    let mut seen: HashSet<PathBuf> = units.iter().map(|u| canonical(&u.path)).collect();
    let mut round = 0;
    while !units.is_empty() {
        let base = files.len() as u32;
        let outcomes: Vec<(Outcome, Option<T>)> = units
            .par_iter()
            .enumerate()
            .map(
                |(i, unit)| match load_unit(unit, FileId(base + i as u32), options) {
                    // The resolved template is dropped here, as soon as the caller is done with it: only the
                    // results stay in memory.
                    Outcome::Stack(stack, nested) => {
                        let result = each(&stack, &unit.path);
                        (Outcome::Done(nested), Some(result))
                    }
                    other => (other, None),
                },
            )
            .collect();
        let mut next = Vec::new();
        for (i, (unit, (outcome, result))) in units.iter().zip(outcomes).enumerate() {
            files.push(SourceFile {
                id: FileId(base + i as u32),
                path: unit.path.clone(),
            });
            match outcome {
                Outcome::Skipped => {}
                Outcome::Error(e) => errors.push(e),
                Outcome::Stack(_, nested) | Outcome::Done(nested) => {
                    for n in nested {
                        // A nested template already scanned on its own (found in the same directory) is not
                        // scanned twice.
                        if seen.insert(canonical(&n.path)) {
                            next.push(n);
                        }
                    }
                }
            }
            if let Some(r) = result {
                results.push(r);
            }
        }
        units = next;
        round += 1;
        if round > options.limits.max_nested_depth {
            break;
        }
    }
    errors.sort();
    errors.dedup();
    Loaded {
        files,
        results,
        errors,
    }
}

/// `a/./b/../c` as `a/c`, without touching the file system, so paths shown to users stay as they wrote them.
fn normalize(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Markers that make a file found while walking a directory worth parsing.
fn has_template_markers(text: &str) -> bool {
    text.contains("AWSTemplateFormatVersion")
        || (text.contains("Resources") && text.contains("Type"))
}

fn load_unit(unit: &Unit, file: FileId, options: &LoadOptions) -> Outcome {
    let path = &unit.path;
    let limits = &options.limits;
    let fail = |msg: String| Outcome::Error(LoadError::new(path, msg));
    let size = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) => return fail(format!("cannot read: {e}")),
    };
    if size > limits.max_file_size {
        if !unit.explicit {
            // Only report a large file found in a directory if it looks like a template.
            let mut head = vec![0u8; 64 * 1024];
            let n = std::fs::File::open(path)
                .and_then(|mut f| f.read(&mut head))
                .unwrap_or(0);
            if !has_template_markers(&String::from_utf8_lossy(&head[..n])) {
                return Outcome::Skipped;
            }
        }
        return fail(format!(
            "file is {size} bytes, larger than the limit of {} bytes (--max-file-size)",
            limits.max_file_size
        ));
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return fail(format!("cannot read: {e}")),
    };
    if bytes.contains(&0) {
        return if unit.explicit {
            fail("binary file (contains NUL bytes), not a template".into())
        } else {
            Outcome::Skipped
        };
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            if !unit.explicit && !has_template_markers(&String::from_utf8_lossy(e.as_bytes())) {
                return Outcome::Skipped;
            }
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
            let col = valid.iter().rev().take_while(|&&b| b != b'\n').count() as u32 + 1;
            return Outcome::Error(
                LoadError::new(path, "invalid UTF-8 (templates must be UTF-8 text)").at(line, col),
            );
        }
    };
    if !unit.explicit && !has_template_markers(&text) {
        return Outcome::Skipped;
    }
    let root = match parse::parse(&text, file, limits) {
        Ok(r) => r,
        Err(e) => return Outcome::Error(e.into_load_error(path)),
    };
    drop(text);
    if !cfn::looks_like_template(&root) {
        return if unit.explicit {
            fail("not a CloudFormation template: no AWSTemplateFormatVersion, and no Resources with a Type".into())
        } else {
            Outcome::Skipped
        };
    }
    let mut inputs = options.inputs.clone();
    if let Some(p) = &unit.parameters {
        inputs.parameters = p.clone();
    }
    inputs.stack_name = unit.stack_name.clone();
    let (mut stack, nested) = match cfn::build_stack(root, file, unit.kind, &inputs, limits) {
        Ok(s) => s,
        Err(e) => return Outcome::Error(e.into_load_error(path)),
    };
    stack.termination_protection = unit.termination_protection;
    let mut children = Vec::new();
    let dir = path.parent().unwrap_or(Path::new("."));
    for n in nested {
        let child = match (&n.asset_path, &n.local_url) {
            (Some(asset), _) => normalize(&unit.assembly_dir.as_deref().unwrap_or(dir).join(asset)),
            (None, Some(url)) => normalize(&dir.join(url)),
            (None, None) => continue,
        };
        if unit.nested_depth + 1 > limits.max_nested_depth {
            return Outcome::Error(
                LoadError::new(
                    path,
                    format!(
                        "nested stacks deeper than {} (limit max_nested_depth)",
                        limits.max_nested_depth
                    ),
                )
                .at(n.span.line, n.span.col),
            );
        }
        if !child.is_file() {
            return Outcome::Error(
                LoadError::new(
                    path,
                    format!(
                        "nested stack {}: template {} not found",
                        n.logical_id,
                        child.display()
                    ),
                )
                .at(n.span.line, n.span.col),
            );
        }
        let parent_name = unit.stack_name.clone().unwrap_or_else(|| {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
        children.push(Unit {
            path: child,
            kind: StackKind::Nested,
            stack_name: Some(format!("{parent_name}/{}", n.logical_id)),
            termination_protection: None,
            explicit: true,
            parameters: Some(n.parameters),
            nested_depth: unit.nested_depth + 1,
            assembly_dir: unit.assembly_dir.clone(),
        });
    }
    Outcome::Stack(Box::new(stack), children)
}
