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

/// Renders a result in `format`; `rules` is the documentation of every rule, for the formats
/// that describe them (SARIF).
pub fn render(result: &CheckResult, format: Format, color: bool, rules: &[RuleDoc]) -> String {
    match format {
        Format::Human => human::render(result, color),
        Format::Json => json::render(result),
        Format::Concise => concise::render(result),
        Format::Github => github::render(result),
        Format::Sarif => sarif::render(result, rules),
        Format::Junit => junit::render(result),
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
