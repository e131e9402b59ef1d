//! Reporters turn findings into bytes. They know rule ids and metadata, nothing else of rules.

pub mod human;
pub mod json;
pub mod window;

pub mod concise;
pub mod fingerprint;
pub mod github;
pub mod junit;
pub mod sarif;
pub mod statistics;

use crate::findings::CheckResult;
use crate::ruledocs::RuleDoc;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Diagnostics with the source line underlined (default).
    Human,
    /// The stable JSON contract (`version: 1`).
    Json,
    /// `path:line:col: severity[rule] message`, one line each (editors, grep).
    Concise,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// JUnit XML for CI dashboards.
    Junit,
}

/// What a report needs besides the findings.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Colour the human report.
    pub color: bool,
    /// The run's wall time (JUnit's `time`).
    pub elapsed: std::time::Duration,
    /// The directory the findings' paths are shown relative to (the working directory).
    pub base: std::path::PathBuf,
    /// The directory SARIF URIs are relative to: the repository's top (`.git`), else `base`.
    pub source_root: std::path::PathBuf,
    /// The documentation of every built-in rule, for the formats that describe them (SARIF);
    /// the projects' pack rules come with the result ([`CheckResult::pack_rules`]).
    pub rules: Vec<RuleDoc>,
}

impl RenderOptions {
    /// Options for a run in the directory `base`: SARIF URIs relative to its repository.
    pub fn for_base(base: &std::path::Path) -> RenderOptions {
        RenderOptions {
            base: base.to_path_buf(),
            source_root: crate::paths::repository_top(base).unwrap_or_else(|| base.to_path_buf()),
            ..RenderOptions::default()
        }
    }
}

/// Renders a result in `format`.
pub fn render(result: &CheckResult, format: Format, options: &RenderOptions) -> String {
    match format {
        Format::Human => human::render(result, options.color),
        Format::Json => json::render(result),
        Format::Concise => concise::render(result),
        Format::Github => github::render(result),
        Format::Sarif => sarif::render(result, options),
        Format::Junit => junit::render(result, options.elapsed),
    }
}

/// Writes a result in `format` to `sink` as [`render`] would make it, without the whole report
/// in memory. `prints`: SARIF's fingerprints per file, when computed while the texts were at
/// hand (see [`sarif::write`]).
pub fn write(
    result: &CheckResult,
    format: Format,
    options: &RenderOptions,
    prints: Option<&[Vec<String>]>,
    sink: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => json::write(result, sink),
        Format::Sarif => sarif::write(result, options, prints, sink),
        Format::Junit => junit::write(result, options.elapsed, sink),
        Format::Human | Format::Concise | Format::Github => {
            sink.write_all(render(result, format, options).as_bytes())
        }
    }
}

/// One file's part of a report whose parts are the files' in path order (human, concise,
/// GitHub): written while the rest is still being linted. `None` for the other formats.
pub fn render_file(
    file: &crate::findings::FileFindings,
    format: Format,
    color: bool,
) -> Option<String> {
    match format {
        Format::Human => Some(human::render_one(file, color)),
        Format::Concise => Some(concise::render_file(file)),
        Format::Github => Some(github::render_file(file)),
        Format::Json | Format::Sarif | Format::Junit => None,
    }
}

/// "1 error", "2 warnings".
pub fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("{count} {word}")
    } else {
        format!("{count} {word}s")
    }
}
