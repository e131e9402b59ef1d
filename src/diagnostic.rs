//! Findings as rules produce them: a rule id, a severity, a byte span, a message and a help.

use serde::{Deserialize, Serialize};

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
}

/// Longest word or candidate a did-you-mean compares (a similarity costs the product of
/// both lengths).
const SUGGESTION_MAX_BYTES: usize = 256;

/// Comparisons the did-you-means of one file may make in total: 20 000 broken anchors against
/// 5 000 headings took 56 s. A typical runbook uses a few hundred; past the budget, findings
/// keep their plain help.
pub const SUGGESTION_BUDGET_PER_FILE: usize = 250_000;

thread_local! {
    /// Comparisons left on this thread (unbounded outside [`with_suggestion_budget`]).
    static SUGGESTION_BUDGET: std::cell::Cell<usize> = const { std::cell::Cell::new(usize::MAX) };
}

/// Runs `work` (one file's rules) with `budget` did-you-mean comparisons; a file is linted on
/// one thread, so the budget is deterministic whatever the thread count.
pub fn with_suggestion_budget<T>(budget: usize, work: impl FnOnce() -> T) -> T {
    let previous = SUGGESTION_BUDGET.with(|b| b.replace(budget));
    let out = work();
    SUGGESTION_BUDGET.with(|b| b.set(previous));
    out
}

/// Comparisons left in this thread's budget.
pub fn suggestion_budget_left() -> usize {
    SUGGESTION_BUDGET.with(|budget| budget.get())
}

/// Takes one comparison from this thread's budget; false when it is spent.
pub fn spend_suggestion_budget() -> bool {
    SUGGESTION_BUDGET.with(|budget| {
        let left = budget.get();
        budget.set(left.saturating_sub(1));
        left > 0
    })
}

/// The closest candidates to `word` by edit distance, best first, for "did you mean".
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    if word.len() > SUGGESTION_MAX_BYTES {
        return Vec::new();
    }
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .filter(|c| *c != word && c.len() <= SUGGESTION_MAX_BYTES)
        .take_while(|_| spend_suggestion_budget())
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
    fn suggestions_stop_at_the_budget() {
        let scripts = ["test", "test:e2e", "build"];
        assert_eq!(
            with_suggestion_budget(3, || did_you_mean("biuld", scripts)),
            vec!["build"]
        );
        assert!(with_suggestion_budget(2, || did_you_mean("biuld", scripts)).is_empty());
        assert!(did_you_mean(&"x".repeat(300), scripts).is_empty());
        // Outside a budget, unbounded.
        assert_eq!(did_you_mean("biuld", scripts), vec!["build"]);
    }

    #[test]
    fn severities_order_and_parse() {
        assert!(Severity::Error > Severity::Warning);
        assert_eq!(Level::parse("off"), Some(Level::Off));
        assert_eq!(Level::parse("warn"), Some(Level::On(Severity::Warning)));
        assert_eq!(Level::parse("loud"), None);
    }
}
