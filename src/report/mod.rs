//! Reporters turn findings into bytes. They know rule ids and metadata, nothing else of rules.

pub mod human;
pub mod json;
pub mod window;

use crate::engine::CheckResult;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Diagnostics with the source line underlined (default).
    Human,
    /// The stable JSON contract (`version: 1`).
    Json,
}

/// Renders a result in `format`.
pub fn render(result: &CheckResult, format: Format, color: bool) -> String {
    match format {
        Format::Human => human::render(result, color),
        Format::Json => json::render(result),
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
