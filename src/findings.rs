//! What a check produces: findings with their positions, per file, and the problems that
//! make a run fail. The engine builds a [`CheckResult`]; reports, baselines and the CLI read
//! it. Below both, so neither depends on the other.

use std::path::PathBuf;
use std::sync::Arc;

use crate::config::ConfigError;
use crate::diagnostic::Severity;
use crate::fix::Fix;
use crate::span::{Location, Span};

/// A finding with its resolved position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Rule id.
    pub rule: String,
    /// Final severity.
    pub severity: Severity,
    /// Byte span in the file.
    pub span: Span,
    /// Line and column.
    pub location: Location,
    /// Message.
    pub message: String,
    /// Label under the underline.
    pub label: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
    /// Edits that fix it, if the rule knows them.
    pub fix: Option<Fix>,
    /// Where each of the fix's edits is, in the same order (reports that keep no text).
    pub fix_locations: Vec<Location>,
    /// The manifest it was checked against, relative to the project root.
    pub checked: Option<String>,
}

/// A runbook that fixes changed.
#[derive(Debug, Clone)]
pub struct FixedText {
    /// The file on disk.
    pub file: PathBuf,
    /// Its text before.
    pub original: String,
    /// Its text after.
    pub fixed: String,
    /// Fixes applied, over every pass.
    pub applied: usize,
}

/// The findings of one file, with its text for rendering.
#[derive(Debug, Clone)]
pub struct FileFindings {
    /// Display path: relative to the base when under it, `/`-separated.
    pub path: String,
    /// The file's text (empty when it could not be read).
    pub source: Arc<str>,
    /// Sorted findings.
    pub findings: Vec<Finding>,
    /// The fixed text, when fixing changed the file (the findings are then of the fixed text).
    pub fixed: Option<FixedText>,
}

/// A problem that is not a finding: the run cannot be trusted (exit 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ToolError {
    /// A broken config.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A path that could not be read.
    #[error("{path}: {message}")]
    Io {
        /// The path.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// The command line asks for something that does not exist (an unknown rule id).
    #[error("{0}")]
    Usage(String),
    /// A bug met while linting one file or loading one project: that file (or the project's
    /// files) went unchecked, the others were still linted and reported.
    #[error(
        "internal error while {task} {path}: {message} (a bug in runbook-lint; please report it)"
    )]
    Internal {
        /// What was being done ("linting", "loading the project at").
        task: &'static str,
        /// The file or project root.
        path: String,
        /// The panic's message and where it happened.
        message: String,
    },
}

/// The outcome of a check.
#[derive(Debug, Default)]
pub struct CheckResult {
    /// Files with findings, sorted by path.
    pub files: Vec<FileFindings>,
    /// Number of Markdown files linted.
    pub files_checked: usize,
    /// Problems that make the run fail with exit 2; the other files were still linted.
    pub errors: Vec<ToolError>,
    /// Notes for the user that are not findings (skipped files).
    pub warnings: Vec<String>,
    /// The documentation of the projects' own pack rules (`packs`, inline `[[rule]]`), by id:
    /// reports that describe every rule they report (SARIF) need them beside the built-in ones.
    pub pack_rules: Vec<crate::ruledocs::RuleDoc>,
    /// What `--verbose` prints: each project's root, config and runbook count.
    pub details: Vec<String>,
}

impl CheckResult {
    /// Counts of `(errors, warnings, infos)`.
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut counts = (0, 0, 0);
        for finding in self.files.iter().flat_map(|f| &f.findings) {
            match finding.severity {
                Severity::Error => counts.0 += 1,
                Severity::Warning => counts.1 += 1,
                Severity::Info => counts.2 += 1,
            }
        }
        counts
    }
}
