//! Renderers over one scan's findings. None of them re-runs rules or reads templates: each turns the same
//! [`Scan`] into bytes.

mod json;
mod text;

use incloud_model::{FileId, Finding, Severity, SourceFile};
use std::collections::HashMap;

pub use json::render_json;
pub use text::{render_compact, render_text, TextOptions};

/// A file that could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LoadErrorEntry {
    pub file: String,
    pub line: Option<u32>,
    pub col: Option<u32>,
    pub message: String,
}

/// Everything a report shows.
pub struct Scan<'a> {
    pub tool_version: &'a str,
    pub files: &'a [SourceFile],
    pub findings: &'a [Finding],
    pub errors: &'a [LoadErrorEntry],
    /// Things about the scan itself the user should know (suppressions without reasons, unknown ids, unused or
    /// expired suppressions).
    pub warnings: &'a [LoadErrorEntry],
    /// Templates (stacks) scanned.
    pub stacks: usize,
    /// Distinct files that held a scanned template.
    pub scanned_files: usize,
    pub resources: usize,
}

impl Scan<'_> {
    /// File paths by id, as shown to users (forward slashes on every platform).
    pub fn paths(&self) -> HashMap<FileId, String> {
        self.files
            .iter()
            .map(|f| (f.id, f.path.to_string_lossy().replace('\\', "/")))
            .collect()
    }

    /// Findings that count (not suppressed) by severity, most severe first.
    pub fn by_severity(&self) -> Vec<(Severity, usize)> {
        Severity::ALL
            .iter()
            .map(|&s| {
                (
                    s,
                    self.findings
                        .iter()
                        .filter(|f| f.severity == s && f.suppression.is_none())
                        .count(),
                )
            })
            .collect()
    }
}
