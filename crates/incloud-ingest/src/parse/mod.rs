//! Documents into position-keeping trees: YAML (with CloudFormation's short-form tags) and JSON.

mod json;
mod yaml;

pub(crate) use json::parse_json;
pub(crate) use yaml::parse_yaml;

use crate::error::DocError;
use crate::limits::Limits;
use incloud_model::{FileId, Node};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Syntax {
    Json,
    Yaml,
}

/// JSON when the first meaningful character opens an object or a list; YAML otherwise (JSON is YAML too,
/// but the JSON parser is faster and its errors are clearer).
pub(crate) fn sniff(text: &str) -> Syntax {
    match text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .next()
    {
        Some('{') | Some('[') => Syntax::Json,
        _ => Syntax::Yaml,
    }
}

pub(crate) fn parse(text: &str, file: FileId, limits: &Limits) -> Result<Node, DocError> {
    match sniff(text) {
        Syntax::Json => parse_json(text, file, limits),
        Syntax::Yaml => parse_yaml(text, file, limits),
    }
}

/// Checks a map's keys for duplicates; CloudFormation rejects templates that repeat a key.
pub(crate) fn check_duplicates(
    entries: &[(String, Node)],
    key_lines: &[(u32, u32)],
) -> Result<(), DocError> {
    if entries.len() < 16 {
        for (i, (k, _)) in entries.iter().enumerate() {
            if let Some(j) = entries[..i].iter().position(|(k2, _)| k2 == k) {
                return Err(duplicate(k, key_lines, i, j));
            }
        }
    } else {
        let mut seen = std::collections::HashMap::with_capacity(entries.len());
        for (i, (k, _)) in entries.iter().enumerate() {
            if let Some(&j) = seen.get(k.as_str()) {
                return Err(duplicate(k, key_lines, i, j));
            }
            seen.insert(k.as_str(), i);
        }
    }
    Ok(())
}

fn duplicate(key: &str, key_lines: &[(u32, u32)], at: usize, first: usize) -> DocError {
    let (line, col) = key_lines.get(at).copied().unwrap_or((0, 0));
    let first_line = key_lines.get(first).map(|p| p.0).unwrap_or(0);
    DocError::new(
        line,
        col,
        format!("duplicate key '{key}' (first written on line {first_line})"),
    )
}
