//! Findings as rules produce them: a rule id, a severity, a byte span, a message and a help.

use serde::{Deserialize, Serialize};

pub use crate::suggest::{did_you_mean, did_you_mean_text};

use crate::fix::Fix;
use crate::span::Span;

/// How serious a finding is. Ordered from least to most serious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails a run.
    Info,
    /// Probably wrong; does not fail a run.
    Warning,
    /// Wrong; fails the run (exit 1).
    Error,
}

impl Severity {
    /// The lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// Parses `error`, `warning`/`warn` or `info`.
    pub fn parse(text: &str) -> Option<Severity> {
        Some(match text {
            "error" => Severity::Error,
            "warning" | "warn" => Severity::Warning,
            "info" => Severity::Info,
            _ => return None,
        })
    }
}

/// Severity or `off`, as written in configs and packs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    /// Report with this severity.
    On(Severity),
    /// Do not report.
    Off,
}

impl Level {
    /// Parses `error`, `warning`, `info` or `off`.
    pub fn parse(text: &str) -> Option<Level> {
        if text == "off" {
            Some(Level::Off)
        } else {
            Severity::parse(text).map(Level::On)
        }
    }

    /// The severity, if on.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::On(severity) => Some(severity),
            Level::Off => None,
        }
    }
}

/// One finding in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable kebab-case rule id.
    pub rule: String,
    /// Severity after context (the engine may still override it from config).
    pub severity: Severity,
    /// What is wrong, in the file being linted.
    pub span: Span,
    /// What is wrong: lower-case start, no trailing period, names the thing.
    pub message: String,
    /// Short text under the underline, if different from the message.
    pub label: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
    /// Edits that fix it, when the rule knows them.
    pub fix: Option<Fix>,
    /// The manifest (or other file) it was checked against, relative to the project root:
    /// editors offer to open it.
    pub checked: Option<String>,
    /// The pack entry that matched (`git-push-force` of `destructive-command`), for a rule
    /// driven by a pack: `[rules]`, `--select`/`--ignore` and suppressions may name it.
    pub entry: Option<String>,
}

impl Diagnostic {
    /// A finding of `rule` at `span`.
    pub fn new(
        rule: impl Into<String>,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            rule: rule.into(),
            severity,
            span,
            message: message.into(),
            label: None,
            help: None,
            fix: None,
            checked: None,
            entry: None,
        }
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Attaches a fix (none: unchanged).
    pub fn with_fix(mut self, fix: impl Into<Option<Fix>>) -> Self {
        self.fix = fix.into();
        self
    }

    /// Names the file the finding was checked against.
    pub fn with_checked(mut self, path: impl Into<String>) -> Self {
        self.checked = Some(path.into());
        self
    }

    /// Adds a label under the underline.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Sets the severity: a context-dependent rule's, instead of its default.
    pub fn severity(&mut self, severity: Severity) -> &mut Self {
        self.severity = severity;
        self
    }

    /// Sets the help line.
    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the label under the underline.
    pub fn label(&mut self, label: impl Into<String>) -> &mut Self {
        self.label = Some(label.into());
        self
    }

    /// Attaches the edits that fix it, when the rule knows them (`None` leaves it without).
    pub fn fix(&mut self, fix: impl Into<Option<Fix>>) -> &mut Self {
        if let Some(fix) = fix.into() {
            self.fix = Some(fix);
        }
        self
    }

    /// Names the pack entry that matched.
    pub fn entry(&mut self, id: impl Into<String>) -> &mut Self {
        self.entry = Some(id.into());
        self
    }

    /// Names the manifest (or other file) it was checked against, for editors to open.
    pub fn checked(&mut self, path: impl Into<String>) -> &mut Self {
        self.checked = Some(path.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_order_and_parse() {
        assert!(Severity::Error > Severity::Warning);
        assert_eq!(Level::parse("off"), Some(Level::Off));
        assert_eq!(Level::parse("warn"), Some(Level::On(Severity::Warning)));
        assert_eq!(Level::parse("loud"), None);
    }
}
