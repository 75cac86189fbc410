//! Baselines (accept today's findings, fail only on new ones) and diffs between two JSON reports.

use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, ValueEnum};
use incloud_model::{Finding, Suppression};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Write the findings that are not suppressed, by fingerprint.
pub fn write(path: &Path, findings: &[Finding], paths: &dyn Fn(&Finding) -> String) -> Result<()> {
    let mut entries: Vec<Value> = findings
        .iter()
        .filter(|f| f.suppression.is_none())
        .map(|f| {
            json!({
                "fingerprint": f.fingerprint,
                "rule": f.rule.name,
                "resource": f.resource.id,
                "stack": f.resource.stack,
                "file": paths(f),
                "message": f.message,
            })
        })
        .collect();
    entries.sort_by(|a, b| a["fingerprint"].as_str().cmp(&b["fingerprint"].as_str()));
    entries.dedup_by(|a, b| a["fingerprint"] == b["fingerprint"]);
    let doc = json!({"version": 1, "tool": "incloud", "findings": entries});
    std::fs::write(path, serde_json::to_string_pretty(&doc)? + "\n")
        .with_context(|| format!("cannot write baseline {}", path.display()))
}

fn read_json(path: &Path) -> Result<Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| {
        anyhow!(
            "{}:{}:{}: invalid JSON: {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })
}

/// Fingerprints in a baseline file (or in a JSON report: both have `findings[].fingerprint`).
pub fn read(path: &Path) -> Result<BTreeSet<String>> {
    let doc = read_json(path)?;
    let Some(list) = doc.get("findings").and_then(|f| f.as_array()) else {
        bail!(
            "{}: not an incloud baseline (no findings list)",
            path.display()
        );
    };
    Ok(list
        .iter()
        .filter_map(|f| {
            f.get("fingerprint")
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        })
        .collect())
}

/// Mark findings already in the baseline: reported, not failing.
pub fn apply(findings: &mut [Finding], baseline: &BTreeSet<String>, path: &Path) -> usize {
    let mut n = 0;
    for f in findings.iter_mut() {
        if f.suppression.is_none() && baseline.contains(&f.fingerprint) {
            f.suppression = Some(Suppression {
                source: format!("baseline {}", path.display()),
                reason: "accepted in the baseline".into(),
            });
            n += 1;
        }
    }
    n
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
}

#[derive(Args)]
pub struct DiffArgs {
    /// The earlier JSON report (`incloud scan --format json`).
    old: PathBuf,
    /// The later JSON report.
    new: PathBuf,
    #[arg(long, short, value_enum, default_value = "text")]
    format: DiffFormat,
}

fn active(path: &Path) -> Result<BTreeMap<String, Value>> {
    let doc = read_json(path)?;
    if doc.get("version") != Some(&json!(1)) || !doc.get("findings").is_some_and(|f| f.is_array()) {
        bail!("{}: not an incloud JSON report (version 1)", path.display());
    }
    let mut out = BTreeMap::new();
    for f in doc["findings"].as_array().into_iter().flatten() {
        if f.get("suppression").is_some_and(|s| !s.is_null()) {
            continue;
        }
        if let Some(fp) = f.get("fingerprint").and_then(|v| v.as_str()) {
            out.insert(fp.to_string(), f.clone());
        }
    }
    Ok(out)
}

fn line(f: &Value) -> String {
    format!(
        "  {}:{}  {:<8} {}  {}\n      {}\n",
        f["location"]["file"].as_str().unwrap_or(""),
        f["location"]["line"],
        f["severity"].as_str().unwrap_or(""),
        f["name"].as_str().unwrap_or(""),
        f["resource"]["id"].as_str().unwrap_or(""),
        f["message"].as_str().unwrap_or("")
    )
}

pub fn diff(args: DiffArgs) -> Result<u8> {
    let old = active(&args.old)?;
    let new = active(&args.new)?;
    let added: Vec<&Value> = new
        .iter()
        .filter(|(k, _)| !old.contains_key(*k))
        .map(|(_, v)| v)
        .collect();
    let fixed: Vec<&Value> = old
        .iter()
        .filter(|(k, _)| !new.contains_key(*k))
        .map(|(_, v)| v)
        .collect();
    let unchanged: Vec<&Value> = new
        .iter()
        .filter(|(k, _)| old.contains_key(*k))
        .map(|(_, v)| v)
        .collect();
    let out = match args.format {
        DiffFormat::Json => {
            serde_json::to_string_pretty(
                &json!({"new": added, "fixed": fixed, "unchanged": unchanged}),
            )? + "\n"
        }
        DiffFormat::Text => {
            let mut s = String::new();
            s.push_str(&format!("New ({}):\n", added.len()));
            added.iter().for_each(|f| s.push_str(&line(f)));
            s.push_str(&format!("Fixed ({}):\n", fixed.len()));
            fixed.iter().for_each(|f| s.push_str(&line(f)));
            s.push_str(&format!(
                "{} new, {} fixed, {} unchanged\n",
                added.len(),
                fixed.len(),
                unchanged.len()
            ));
            s
        }
    };
    print!("{out}");
    Ok(u8::from(!added.is_empty()))
}
