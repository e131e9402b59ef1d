//! Findings as rules produce them: a rule id, a severity, a byte span, a message and a help.

use serde::{Deserialize, Serialize};

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
        }
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
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
}

/// The closest candidates to `word` by edit distance, best first, for "did you mean".
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| {
            let mut score = strsim::jaro_winkler(word, c);
            // `test:auth` vs `test:e2e`: a shared prefix up to a separator is a strong hint.
            if let (Some((a, _)), Some((b, _))) = (word.split_once(':'), c.split_once(':')) {
                if a == b {
                    score += 0.1;
                }
            }
            (score, c)
        })
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    // A near-exact match (`missing-scripts` → `missing-script`) hides the merely similar ones.
    let best = scored.first().map(|s| s.0).unwrap_or(0.0);
    let floor = if best >= 0.97 { best - 0.03 } else { 0.0 };
    scored
        .into_iter()
        .filter(|(score, _)| *score >= floor)
        .take(3)
        .map(|(_, c)| c)
        .collect()
}

/// "did you mean `a`?" / "did you mean `a` or `b`?", or `None`.
pub fn did_you_mean_text<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let close = did_you_mean(word, candidates);
    match close.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean `{one}`?")),
        [first, rest @ ..] => Some(format!(
            "did you mean `{first}`{}?",
            rest.iter()
                .map(|c| format!(" or `{c}`"))
                .collect::<String>()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        let scripts = ["test", "test:e2e", "db:deploy", "build"];
        assert_eq!(did_you_mean("test:auth", scripts)[0], "test:e2e");
        assert_eq!(did_you_mean("biuld", scripts), vec!["build"]);
        assert!(did_you_mean("zzz", scripts).is_empty());
        assert_eq!(
            did_you_mean_text("db:deplyo", scripts).unwrap(),
            "did you mean `db:deploy`?"
        );
    }

    #[test]
    fn severities_order_and_parse() {
        assert!(Severity::Error > Severity::Warning);
        assert_eq!(Level::parse("off"), Some(Level::Off));
        assert_eq!(Level::parse("warn"), Some(Level::On(Severity::Warning)));
        assert_eq!(Level::parse("loud"), None);
    }
}
