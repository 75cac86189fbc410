//! Parameter values from the command line and from parameter files.

use anyhow::{bail, Context, Result};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// `KEY=VALUE`.
pub fn parse_pair(s: &str) -> Result<(String, String)> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => bail!("--parameter takes KEY=VALUE, got {s:?}"),
    }
}

/// A parameters file in either common form: the AWS CLI's `[{"ParameterKey": .., "ParameterValue": ..}]`,
/// or `{"Parameters": {"Key": "Value"}}` (CodePipeline's template configuration).
pub fn read_file(path: &Path) -> Result<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read parameters file {}", path.display()))?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "{}:{}:{}: invalid JSON: {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    let scalar = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(|i| i.as_str())
                .collect::<Vec<_>>()
                .join(","),
        ),
        _ => None,
    };
    let mut out = BTreeMap::new();
    match &doc {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let key = item.get("ParameterKey").and_then(|k| k.as_str());
                let value = item.get("ParameterValue").and_then(scalar);
                match (key, value) {
                    (Some(k), Some(v)) => {
                        out.insert(k.to_string(), v);
                    }
                    _ => bail!("{}: entry {} needs ParameterKey and ParameterValue", path.display(), i + 1),
                }
            }
        }
        Value::Object(o) => {
            let Some(Value::Object(params)) = o.get("Parameters") else {
                bail!("{}: expected a list of {{ParameterKey, ParameterValue}} or {{\"Parameters\": {{...}}}}", path.display());
            };
            for (k, v) in params {
                match scalar(v) {
                    Some(v) => {
                        out.insert(k.clone(), v);
                    }
                    None => bail!("{}: parameter {k} must be a string, number or boolean", path.display()),
                }
            }
        }
        _ => bail!("{}: expected a list of {{ParameterKey, ParameterValue}} or {{\"Parameters\": {{...}}}}", path.display()),
    }
    Ok(out)
}
