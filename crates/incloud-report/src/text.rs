//! The terminal report: findings grouped by file, most useful facts first, colour only when asked.

use crate::Scan;
use incloud_model::{Finding, Severity};
use std::fmt::Write;

#[derive(Clone, Copy, Debug, Default)]
pub struct TextOptions {
    pub color: bool,
}

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn severity(&self, sev: Severity) -> String {
        let code = match sev {
            Severity::Critical => "1;35",
            Severity::High => "1;31",
            Severity::Medium => "33",
            Severity::Low => "36",
            Severity::Info => "2",
        };
        self.wrap(code, &format!("{:<8}", sev.as_str()))
    }
}

pub fn render_text(scan: &Scan<'_>, opts: TextOptions) -> String {
    let p = Paint(opts.color);
    let paths = scan.paths();
    let mut out = String::new();
    let mut current: Option<&str> = None;
    let mut sorted: Vec<&Finding> = scan.findings.iter().collect();
    sorted.sort_by(|a, b| {
        let pa = paths
            .get(&a.location.file)
            .map(String::as_str)
            .unwrap_or("");
        let pb = paths
            .get(&b.location.file)
            .map(String::as_str)
            .unwrap_or("");
        (pa, a.location.line, a.location.col, a.rule.code).cmp(&(
            pb,
            b.location.line,
            b.location.col,
            b.rule.code,
        ))
    });
    for f in sorted {
        let file = paths
            .get(&f.location.file)
            .map(String::as_str)
            .unwrap_or("");
        if current != Some(file) {
            if current.is_some() {
                out.push('\n');
            }
            let _ = writeln!(out, "{}", p.wrap("1;4", file));
            current = Some(file);
        }
        let mut resource = f.resource.id.clone();
        if let Some(stack) = &f.resource.stack {
            resource = format!("{stack}/{resource}");
        }
        let _ = writeln!(
            out,
            "  {}:{}:{}  {} {}  {}",
            file,
            f.location.line,
            f.location.col,
            p.severity(f.severity),
            p.wrap("1", f.rule.name),
            resource
        );
        let _ = writeln!(out, "      {}", f.message);
        if let Some(path) = &f.resource.cdk_path {
            let internal = if f.resource.cdk_internal {
                " (added by the CDK itself)"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "      {} {}{}",
                p.wrap("2", "cdk path:"),
                path,
                internal
            );
        }
        if let Some(cond) = &f.condition {
            let _ = writeln!(out, "      {} {}", p.wrap("2", "when:"), cond);
        }
        if let Some(s) = &f.suppression {
            let _ = writeln!(
                out,
                "      {} {} ({})",
                p.wrap("2", "suppressed:"),
                s.reason,
                s.source
            );
        }
    }
    for (title, color, list) in [
        ("Could not load:", "1;31", scan.errors),
        ("Warnings:", "1;33", scan.warnings),
    ] {
        if list.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(out, "{}", p.wrap(color, title));
        for e in list {
            let mut loc = e.file.clone();
            if let Some(l) = e.line {
                let _ = write!(loc, ":{l}");
                if let Some(c) = e.col {
                    let _ = write!(loc, ":{c}");
                }
            }
            let _ = writeln!(out, "  {loc}: {}", e.message);
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    let counted: usize = scan.by_severity().iter().map(|(_, n)| n).sum();
    let parts: Vec<String> = scan
        .by_severity()
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{n} {s}"))
        .collect();
    let suppressed = scan.findings.len() - counted;
    let _ = write!(
        out,
        "{} {}{} in {} {} ({} {}, {} {})",
        counted,
        if counted == 1 { "finding" } else { "findings" },
        if parts.is_empty() {
            String::new()
        } else {
            format!(" ({})", parts.join(", "))
        },
        scan.scanned_files,
        if scan.scanned_files == 1 {
            "file"
        } else {
            "files"
        },
        scan.stacks,
        if scan.stacks == 1 { "stack" } else { "stacks" },
        scan.resources,
        if scan.resources == 1 {
            "resource"
        } else {
            "resources"
        },
    );
    if suppressed > 0 {
        let _ = write!(out, "; {suppressed} suppressed");
    }
    if !scan.errors.is_empty() {
        let _ = write!(
            out,
            "; {} {} could not be loaded",
            scan.errors.len(),
            if scan.errors.len() == 1 {
                "file"
            } else {
                "files"
            }
        );
    }
    out.push('\n');
    out
}

/// One line per finding, as editors and `grep` want it: `file:line:col: severity rule message`.
pub fn render_compact(scan: &Scan<'_>) -> String {
    let paths = scan.paths();
    let mut lines: Vec<(String, u32, u32, String)> = scan
        .findings
        .iter()
        .map(|f| {
            let file = paths.get(&f.location.file).cloned().unwrap_or_default();
            let mut l = format!(
                "{file}:{}:{}: {} {} {}: {}",
                f.location.line, f.location.col, f.severity, f.rule.name, f.resource.id, f.message
            );
            if let Some(c) = &f.condition {
                l.push_str(&format!(" [when {c}]"));
            }
            if f.suppression.is_some() {
                l.push_str(" [suppressed]");
            }
            (file, f.location.line, f.location.col, l)
        })
        .collect();
    lines.extend(scan.errors.iter().map(|e| {
        let (line, col) = (e.line.unwrap_or(0), e.col.unwrap_or(0));
        (
            e.file.clone(),
            line,
            col,
            format!("{}:{line}:{col}: error {}", e.file, e.message),
        )
    }));
    lines.sort();
    lines.into_iter().map(|(.., l)| l + "\n").collect()
}
