//! Documents into position-keeping trees: YAML (with CloudFormation's short-form tags) and JSON.

mod json;
mod relax;
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

/// Repeated keys: the last one wins, as in the parsers CloudFormation and the AWS CLI use (many published
/// templates repeat a key and deploy). The earlier entries are dropped so lookups see the value that counts.
pub(crate) fn dedup_keys(entries: &mut Vec<(String, Node)>) {
    if entries.len() < 2 {
        return;
    }
    let has_dup = if entries.len() < 16 {
        entries
            .iter()
            .enumerate()
            .any(|(i, (k, _))| entries[..i].iter().any(|(k2, _)| k2 == k))
    } else {
        let mut seen = std::collections::HashSet::with_capacity(entries.len());
        !entries.iter().all(|(k, _)| seen.insert(k.as_str()))
    };
    if !has_dup {
        return;
    }
    let mut last = std::collections::HashMap::new();
    for (i, (k, _)) in entries.iter().enumerate() {
        last.insert(k.clone(), i);
    }
    let mut i = 0;
    entries.retain(|(k, _)| {
        let keep = last.get(k) == Some(&i);
        i += 1;
        keep
    });
}
