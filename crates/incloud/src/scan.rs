use crate::params;
use anyhow::{bail, Result};
use clap::{Args, ValueEnum};
use incloud_ingest::{Inputs, Limits, LoadOptions};
use incloud_model::Severity;
use incloud_report::{LoadErrorEntry, Scan, TextOptions};
use incloud_rules::{Dispatch, Selection};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Args)]
pub struct ScanArgs {
    /// Templates, directories (searched recursively) and CDK cloud assemblies.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short, value_enum, default_value = "text")]
    format: Format,
    /// Write the report to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// A parameter value, KEY=VALUE (repeatable; wins over --parameters).
    #[arg(long = "parameter", short = 'p', value_name = "KEY=VALUE")]
    parameter: Vec<String>,
    /// A parameters file: the AWS CLI's [{"ParameterKey", "ParameterValue"}] or {"Parameters": {...}}.
    #[arg(long = "parameters", value_name = "FILE")]
    parameters: Vec<PathBuf>,
    /// The region the templates deploy to (AWS::Region, AWS::Partition).
    #[arg(long)]
    region: Option<String>,
    /// The account the templates deploy to (AWS::AccountId).
    #[arg(long)]
    account: Option<String>,
    /// Exit 1 when a finding has this severity or higher.
    #[arg(long, default_value = "low", value_parser = parse_severity)]
    fail_on: Severity,
    /// Skip paths matching this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Run only these rules, by name or code (repeatable).
    #[arg(long = "rule", value_name = "RULE")]
    rule: Vec<String>,
    /// Do not run these rules, by name or code (repeatable).
    #[arg(long = "skip-rule", value_name = "RULE")]
    skip_rule: Vec<String>,
    /// Largest template read, in bytes.
    #[arg(long, default_value_t = 50 * 1024 * 1024)]
    max_file_size: u64,
    /// Colour: auto (on a terminal), always, never.
    #[arg(long, value_enum, default_value = "auto")]
    color: Color,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s)
        .ok_or_else(|| format!("unknown severity {s:?} (critical, high, medium, low, info)"))
}

pub fn run(args: ScanArgs) -> Result<u8> {
    for r in args.rule.iter().chain(&args.skip_rule) {
        if incloud_rules::find(r).is_none() {
            bail!("unknown rule {r:?} (see `incloud rules`)");
        }
    }
    let mut parameters = std::collections::BTreeMap::new();
    for file in &args.parameters {
        parameters.extend(params::read_file(file)?);
    }
    for pair in &args.parameter {
        let (k, v) = params::parse_pair(pair)?;
        parameters.insert(k, v);
    }
    let options = LoadOptions {
        inputs: Inputs {
            parameters,
            region: args.region.clone(),
            account: args.account.clone(),
            stack_name: None,
        },
        limits: Limits {
            max_file_size: args.max_file_size,
            ..Limits::default()
        },
        excludes: args.exclude.clone(),
    };
    let selection = Selection {
        only: args.rule.clone(),
        skip: args.skip_rule.clone(),
    };
    let dispatch = Dispatch::new(&selection);
    let loaded = incloud_ingest::load(&args.paths, &options, |stack, path| {
        let source = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let findings = incloud_rules::check_stack(stack, &dispatch, &source);
        (stack.file, stack.resources.len(), findings)
    });
    let mut findings = Vec::new();
    let mut resources = 0;
    let mut files = std::collections::BTreeSet::new();
    let paths: std::collections::HashMap<_, _> =
        loaded.files.iter().map(|f| (f.id, &f.path)).collect();
    for (file, n, f) in loaded.results.iter().cloned() {
        resources += n;
        if let Some(p) = paths.get(&file) {
            files.insert((*p).clone());
        }
        findings.extend(f);
    }
    let errors: Vec<LoadErrorEntry> = loaded
        .errors
        .iter()
        .map(|e| LoadErrorEntry {
            file: e.file.to_string_lossy().replace('\\', "/"),
            line: e.line,
            col: e.col,
            message: e.message.clone(),
        })
        .collect();
    let scan = Scan {
        tool_version: env!("CARGO_PKG_VERSION"),
        files: &loaded.files,
        findings: &findings,
        errors: &errors,
        stacks: loaded.results.len(),
        scanned_files: files.len(),
        resources,
    };
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let rendered = match args.format {
        Format::Text => incloud_report::render_text(&scan, TextOptions { color }),
        Format::Json => incloud_report::render_json(&scan),
    };
    match &args.output {
        Some(path) => std::fs::write(path, rendered)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth a message.
            let _ = out.write_all(rendered.as_bytes());
        }
    }
    if !errors.is_empty() {
        return Ok(2);
    }
    let failing = findings
        .iter()
        .any(|f| f.suppression.is_none() && f.severity >= args.fail_on);
    Ok(u8::from(failing))
}
