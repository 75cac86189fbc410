//! `incloud rules` and `incloud explain`: the catalog, read from each rule's own metadata.

use anyhow::{bail, Result};
use clap::{Args, ValueEnum};
use incloud_model::RuleMeta;
use serde_json::{json, Map, Value};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum CatalogFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Args)]
pub struct RulesArgs {
    #[arg(long, short, value_enum, default_value = "text")]
    format: CatalogFormat,
}

#[derive(Args)]
pub struct ExplainArgs {
    /// Rule name (s3-bucket-tls-only) or code (IN-S3-002).
    rule: String,
    #[arg(long, short, value_enum, default_value = "text")]
    format: CatalogFormat,
}

pub fn rules(args: RulesArgs) -> Result<u8> {
    let all = incloud_rules::all();
    let out = match args.format {
        CatalogFormat::Json => {
            let list: Vec<Value> = all.iter().map(|r| rule_json(&r.meta)).collect();
            serde_json::to_string_pretty(&list)? + "\n"
        }
        CatalogFormat::Text | CatalogFormat::Markdown => {
            let mut s = String::new();
            for r in all {
                let m = &r.meta;
                let sh = m.controls.security_hub.join(", ");
                s.push_str(&format!(
                    "{:<10} {:<32} {:<8} {:<22} {}{}\n",
                    m.code,
                    m.name,
                    m.severity.as_str(),
                    m.area.as_str(),
                    m.title,
                    if sh.is_empty() {
                        String::new()
                    } else {
                        format!(" [{sh}]")
                    }
                ));
            }
            s
        }
    };
    print!("{out}");
    Ok(0)
}

fn rule_json(m: &RuleMeta) -> Value {
    let mut controls = Map::new();
    for (k, ids) in m.controls.entries() {
        controls.insert(k.into(), json!(ids));
    }
    json!({
        "code": m.code,
        "name": m.name,
        "severity": m.severity.as_str(),
        "area": m.area.as_str(),
        "title": m.title,
        "resource_types": m.resource_types,
        "controls": controls,
    })
}

pub fn explain(args: ExplainArgs) -> Result<u8> {
    let Some(rule) = incloud_rules::find(&args.rule) else {
        bail!("unknown rule {:?} (see `incloud rules`)", args.rule);
    };
    let m = &rule.meta;
    let out = match args.format {
        CatalogFormat::Json => {
            let mut v = rule_json(m);
            v["docs"] = json!({
                "description": m.docs.description,
                "why": m.docs.why,
                "unknown": m.docs.unknown,
                "fix_cloudformation": m.docs.fix_cloudformation,
                "fix_cdk": m.docs.fix_cdk,
                "fix_terraform": m.docs.fix_terraform,
                "fix_cli": m.docs.fix_cli,
            });
            serde_json::to_string_pretty(&v)? + "\n"
        }
        CatalogFormat::Text | CatalogFormat::Markdown => incloud_rules::docs::markdown(m),
    };
    print!("{out}");
    Ok(0)
}

#[derive(Args)]
pub struct DocsArgs {
    /// The documentation directory: rule pages go to DIR/rules/, the config schema to DIR/incloud.schema.json.
    #[arg(default_value = "docs")]
    dir: std::path::PathBuf,
    /// Do not write: exit 1 when a page is missing or stale (for CI).
    #[arg(long)]
    check: bool,
}

/// The generated pages, by file name.
fn pages() -> Vec<(String, String)> {
    let mut pages = Vec::new();
    let mut index = String::from(
        "# Rules\n\nGenerated from the rules' own metadata by `incloud docs`; do not edit by hand.\n\n\
         | code | name | severity | area | title | Security Hub |\n|---|---|---|---|---|---|\n",
    );
    for r in incloud_rules::all() {
        let m = &r.meta;
        index.push_str(&format!(
            "| {} | [{}]({}.md) | {} | {} | {} | {} |\n",
            m.code,
            m.name,
            m.name,
            m.severity,
            m.area,
            m.title,
            m.controls.security_hub.join(", ")
        ));
        pages.push((
            format!("rules/{}.md", m.name),
            incloud_rules::docs::markdown(m),
        ));
    }
    pages.push(("rules/README.md".to_string(), index));
    pages.push(("incloud.schema.json".to_string(), crate::config::schema()));
    pages
}

pub fn docs(args: DocsArgs) -> Result<u8> {
    let pages = pages();
    if args.check {
        let mut stale = Vec::new();
        for (name, body) in &pages {
            let path = args.dir.join(name);
            if std::fs::read_to_string(&path).ok().as_deref() != Some(body.as_str()) {
                stale.push(path.display().to_string());
            }
        }
        if let Ok(entries) = std::fs::read_dir(args.dir.join("rules")) {
            for e in entries.flatten() {
                let name = format!("rules/{}", e.file_name().to_string_lossy());
                if name.ends_with(".md") && !pages.iter().any(|(n, _)| *n == name) {
                    stale.push(format!("{} (no such rule)", e.path().display()));
                }
            }
        }
        if stale.is_empty() {
            return Ok(0);
        }
        eprintln!(
            "incloud: generated docs are stale; run `cargo run -p incloud -- docs {}`:",
            args.dir.display()
        );
        for s in stale {
            eprintln!("  {s}");
        }
        return Ok(1);
    }
    std::fs::create_dir_all(args.dir.join("rules"))?;
    for (name, body) in &pages {
        std::fs::write(args.dir.join(name), body)?;
    }
    println!("wrote {} pages to {}", pages.len(), args.dir.display());
    Ok(0)
}
