use crate::config::{self, CdkInternal, Config, FormatName};
use crate::{baseline, params};
use anyhow::{bail, Result};
use clap::{Args, ValueEnum};
use incloud_ingest::{Inputs, Limits, LoadOptions};
use incloud_model::{FileId, Severity, Span};
use incloud_report::{AsffOptions, HtmlOptions, LoadErrorEntry, Scan, TextOptions};
use incloud_rules::suppress::{self, Policy};
use incloud_rules::{Dispatch, Selection};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    /// Findings grouped by file, for people.
    Text,
    /// One line per finding: file:line:col: severity rule message.
    Compact,
    /// The JSON report (a versioned contract).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// JUnit XML, for CI test tabs.
    Junit,
    /// One row per finding.
    Csv,
    /// A self-contained HTML report.
    Html,
    /// OCSF Compliance Findings, one JSON object per line.
    Ocsf,
    /// AWS Security Finding Format for Security Hub (batches of at most 100).
    Asff,
    /// SECURITY.md for the scanned project (what `incloud doc` writes).
    Markdown,
}

#[derive(Args)]
pub struct ScanArgs {
    /// Templates, directories (searched recursively) and CDK cloud assemblies.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output format (default text, or the configuration file's `format`). Repeat with --output to write
    /// several reports in one run: the n-th --format goes to the n-th --output; one may go to standard output.
    #[arg(long, short, value_enum)]
    format: Vec<Format>,
    /// Write the report to this file instead of standard output (pairs with --format, in order).
    #[arg(long, short)]
    output: Vec<PathBuf>,
    /// Print no report on standard output and no progress (reports given --output are still written).
    #[arg(long, short)]
    quiet: bool,
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
    /// Exit 1 when a finding has this severity or higher (default low, or the configuration file's).
    #[arg(long, value_parser = parse_severity)]
    fail_on: Option<Severity>,
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
    /// The configuration file (default: incloud.toml in the first scanned directory or its parents).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Ignore any incloud.toml.
    #[arg(long, conflicts_with = "config")]
    no_config: bool,
    /// Mark findings already in this baseline (a baseline file or an earlier JSON report) as accepted.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Write the findings of this scan to a baseline file.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Report suppressions that matched no finding.
    #[arg(long)]
    report_unused_suppressions: bool,
    /// Colour: auto (on a terminal), always, never.
    #[arg(long, value_enum, default_value = "auto")]
    color: Color,
    /// Scan as of this date (YYYY-MM-DD) instead of today (UTC): the date that runtime end-of-support and
    /// suppression expiry are judged against, so that a report can be reproduced later.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    today: Option<String>,
}

fn parse_date(s: &str) -> Result<String, String> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && digits(0..4)
        && digits(5..7)
        && digits(8..10);
    let (m, d) = if ok {
        (
            s[5..7].parse::<u32>().unwrap_or(0),
            s[8..10].parse::<u32>().unwrap_or(0),
        )
    } else {
        (0, 0)
    };
    if (1..=12).contains(&m) && (1..=31).contains(&d) {
        Ok(s.to_string())
    } else {
        Err(format!("{s:?} is not a date in the form YYYY-MM-DD"))
    }
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

/// Today's date as YYYY-MM-DD (UTC), for suppression expiry.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    // Howard Hinnant's days-to-civil algorithm.
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn entry(
    files: &std::collections::HashMap<FileId, String>,
    span: Option<Span>,
    message: String,
) -> LoadErrorEntry {
    LoadErrorEntry {
        file: span
            .and_then(|s| files.get(&s.file).cloned())
            .unwrap_or_default(),
        line: span.map(|s| s.line),
        col: span.map(|s| s.col),
        message,
    }
}

/// `incloud doc`: the project's SECURITY.md from its infrastructure. Findings do not fail it; files that
/// cannot be loaded do (exit 2), since the document would be incomplete.
pub fn doc(mut args: ScanArgs) -> Result<u8> {
    args.format = vec![Format::Markdown];
    args.output.truncate(1);
    let code = run(args)?;
    Ok(if code == 2 { 2 } else { 0 })
}

pub fn run(args: ScanArgs) -> Result<u8> {
    if args.output.len() > args.format.len().max(1) {
        bail!("each --output needs its own --format (formats and outputs pair up in order)");
    }
    if args.format.len() > args.output.len() + 1 {
        bail!("only one --format can go to standard output; give the others an --output");
    }
    for r in args.rule.iter().chain(&args.skip_rule) {
        if !config::selector_known(r) {
            bail!("unknown rule {r:?} (see `incloud rules`)");
        }
    }
    let config_path = match (&args.config, args.no_config) {
        (Some(p), _) => Some(p.clone()),
        (None, true) => None,
        (None, false) => args.paths.first().and_then(|p| config::discover(p)),
    };
    let (cfg, cfg_text, cfg_origin) = match &config_path {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", p.display()))?;
            (
                config::parse(&text, &p.display().to_string())?,
                text,
                p.display().to_string(),
            )
        }
        None => (Config::default(), String::new(), String::new()),
    };
    let mut parameters = cfg.parameters.clone();
    for file in &args.parameters {
        parameters.extend(params::read_file(file)?);
    }
    for pair in &args.parameter {
        let (k, v) = params::parse_pair(pair)?;
        parameters.insert(k, v);
    }
    let mut excludes = cfg.exclude.clone();
    excludes.extend(args.exclude.iter().cloned());
    let options = LoadOptions {
        inputs: Inputs {
            parameters,
            region: args.region.clone().or(cfg.region.clone()),
            account: args.account.clone().or(cfg.account.clone()),
            stack_name: None,
        },
        limits: Limits {
            max_file_size: args.max_file_size,
            ..Limits::default()
        },
        excludes,
    };
    let selection = Selection {
        only: if args.rule.is_empty() {
            cfg.rules.select.clone()
        } else {
            args.rule.clone()
        },
        skip: cfg
            .rules
            .ignore
            .iter()
            .chain(&args.skip_rule)
            .cloned()
            .collect(),
    };
    let overrides: Vec<(&'static incloud_model::RuleMeta, Severity)> = cfg
        .rules
        .severity
        .iter()
        .filter_map(|(name, sev)| {
            incloud_rules::find(name).map(|r| (&r.meta, Severity::from(*sev)))
        })
        .collect();
    let cdk_internal = cfg.cdk_internal.unwrap_or_default();
    let policy = Policy {
        central: cfg.central(&cfg_origin, &cfg_text),
        inline: cfg.inline_suppressions.unwrap_or(true),
        today: args.today.clone().unwrap_or_else(today),
        report_unused: args.report_unused_suppressions
            || cfg.report_unused_suppressions.unwrap_or(false),
    };
    let mut dispatch = Dispatch::new(&selection);
    dispatch.set_today(&policy.today);
    for (rule, name, value) in cfg.rule_options() {
        dispatch.set_option(rule, name, value);
    }
    let progress = Progress::start(!args.quiet && std::io::stderr().is_terminal());
    let loaded = incloud_ingest::load(&args.paths, &options, |stack, path| {
        progress.tick();
        let source = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut findings = incloud_rules::check_stack(stack, &dispatch, &source);
        for f in findings.iter_mut() {
            if let Some((_, sev)) = overrides.iter().find(|(m, _)| std::ptr::eq(*m, f.rule)) {
                if f.severity != Severity::Info {
                    f.severity = *sev;
                }
            }
            if f.resource.cdk_internal && cdk_internal == CdkInternal::Downgrade {
                f.severity = Severity::Info;
            }
        }
        if cdk_internal == CdkInternal::Ignore {
            findings.retain(|f| !f.resource.cdk_internal);
        }
        let shown = path.to_string_lossy().replace('\\', "/");
        let outcome = suppress::apply(&mut findings, stack, &shown, &policy);
        let mut types: std::collections::BTreeMap<String, usize> =
            std::collections::BTreeMap::new();
        for r in &stack.resources {
            *types.entry(r.rtype.clone()).or_default() += 1;
        }
        (stack.file, types, findings, outcome)
    });
    progress.finish();
    let file_names: std::collections::HashMap<FileId, String> = loaded
        .files
        .iter()
        .map(|f| (f.id, f.path.to_string_lossy().replace('\\', "/")))
        .collect();
    let mut findings = Vec::new();
    let mut resources = 0;
    let mut scanned = std::collections::BTreeSet::new();
    let stacks = loaded.results.len();
    let mut warnings = Vec::new();
    let mut central_used = std::collections::BTreeSet::new();
    // One warning per repeated fact (an id that maps to no rule), at its first place, with a count.
    let mut keyed: std::collections::BTreeMap<String, (LoadErrorEntry, usize)> =
        std::collections::BTreeMap::new();
    let mut by_type: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for (file, types, f, outcome) in loaded.results {
        for (t, n) in types {
            resources += n;
            *by_type.entry(t).or_default() += n;
        }
        if let Some(p) = file_names.get(&file) {
            scanned.insert(p.clone());
        }
        findings.extend(f);
        for notice in outcome.notices {
            let e = entry(&file_names, notice.span, notice.message);
            match notice.key {
                Some(k) => {
                    let slot = keyed.entry(k).or_insert_with(|| (e.clone(), 0));
                    if e < slot.0 {
                        slot.0 = e;
                    }
                    slot.1 += 1;
                }
                None => warnings.push(e),
            }
        }
        central_used.extend(outcome.central_used);
    }
    for (i, c) in policy.central.iter().enumerate() {
        let expired = c.expires.as_deref().filter(|e| policy.today.as_str() >= *e);
        if let (Some(e), true) = (expired, central_used.contains(&i)) {
            warnings.push(entry(
                &file_names,
                None,
                format!(
                    "{}: suppression of {} expired on {e}; it no longer applies",
                    c.origin, c.rule
                ),
            ));
        } else if policy.report_unused && !central_used.contains(&i) {
            warnings.push(entry(
                &file_names,
                None,
                format!("{}: unused suppression of {}", c.origin, c.rule),
            ));
        }
    }
    for (_, (mut e, n)) in keyed {
        if n > 1 {
            e.message.push_str(&format!(" (and {} more places)", n - 1));
        }
        warnings.push(e);
    }
    warnings.sort();
    warnings.dedup();
    if let Some(b) = &args.baseline {
        let known = baseline::read(b)?;
        baseline::apply(&mut findings, &known, b);
    }
    if let Some(b) = &args.write_baseline {
        baseline::write(b, &findings, &|f| {
            file_names
                .get(&f.location.file)
                .cloned()
                .unwrap_or_default()
        })?;
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
        warnings: &warnings,
        stacks,
        scanned_files: scanned.len(),
        resources,
    };
    let mut formats = args.format.clone();
    if formats.is_empty() {
        formats.push(match cfg.format {
            Some(FormatName::Json) => Format::Json,
            _ => Format::Text,
        });
    }
    // The rules that ran, for formats that describe them.
    let ran: Vec<&'static incloud_model::RuleMeta> = incloud_rules::all()
        .iter()
        .map(|r| &r.meta)
        .filter(|m| selection.includes(m))
        .collect();
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    for (i, format) in formats.iter().enumerate() {
        let target = args.output.get(i);
        let color = match args.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                target.is_none()
                    && std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none()
            }
        };
        let rendered = match format {
            Format::Text => incloud_report::render_text(&scan, TextOptions { color }),
            Format::Compact => incloud_report::render_compact(&scan),
            Format::Json => incloud_report::render_json(&scan),
            Format::Sarif => incloud_report::render_sarif(&scan, &ran),
            Format::Junit => incloud_report::render_junit(&scan),
            Format::Csv => incloud_report::render_csv(&scan),
            Format::Html => incloud_report::render_html(
                &scan,
                HtmlOptions {
                    time_ms: Some(now_ms),
                },
            ),
            Format::Ocsf => incloud_report::render_ocsf(&scan, now_ms),
            Format::Asff => incloud_report::render_asff(
                &scan,
                &AsffOptions {
                    account: options.inputs.account.as_deref(),
                    region: options.inputs.region.as_deref(),
                    time_ms: now_ms,
                },
            ),
            Format::Markdown => incloud_report::render_security_md(&scan, &ran, &by_type),
        };
        match target {
            Some(path) => std::fs::write(path, rendered)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?,
            None if args.quiet => {}
            None => {
                // A closed pipe (`| head`) is not an error worth a message.
                let _ = std::io::stdout().lock().write_all(rendered.as_bytes());
            }
        }
    }
    if !errors.is_empty() {
        return Ok(2);
    }
    let fail_on = args
        .fail_on
        .or(cfg.fail_on.map(Severity::from))
        .unwrap_or(Severity::Low);
    let failing = findings
        .iter()
        .any(|f| f.suppression.is_none() && f.severity >= fail_on);
    Ok(u8::from(failing))
}

/// A count of scanned templates on standard error, for long scans on a terminal; nothing when piped.
struct Progress {
    count: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: std::sync::Mutex<Option<std::thread::JoinHandle<()>>>,
}

impl Progress {
    fn start(enabled: bool) -> Progress {
        use std::sync::atomic::Ordering;
        let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let thread = enabled.then(|| {
            let (count, done) = (count.clone(), done.clone());
            std::thread::spawn(move || {
                let started = std::time::Instant::now();
                let mut shown = false;
                while !done.load(Ordering::Relaxed) {
                    std::thread::sleep(std::time::Duration::from_millis(100));
                    // Only scans that take a while get a progress line.
                    if started.elapsed().as_millis() > 500 {
                        eprint!(
                            "\rincloud: {} templates scanned",
                            count.load(Ordering::Relaxed)
                        );
                        shown = true;
                    }
                }
                if shown {
                    eprint!("\r\x1b[K");
                }
            })
        });
        Progress {
            count,
            done,
            thread: std::sync::Mutex::new(thread),
        }
    }

    fn tick(&self) {
        self.count
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    fn finish(&self) {
        self.done.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = self.thread.lock().ok().and_then(|mut t| t.take()) {
            let _ = t.join();
        }
    }
}
