use std::sync::LazyLock;

use regex::Regex;

use super::{Cx, RuleOptions};
use crate::document::BlockKind;
use crate::date::{find_date, Date, FoundDate};
use crate::span::Span;

declare_rule! {
    /// ## What it does
    /// Reads the review fields of a runbook ("Last Updated", "Last Reviewed", "Updated:",
    /// "Next Review", "Review by", "Target Date", in prose, lists, tables or front matter) and
    /// the latest date of a revision history, written as a table or as a list under a history
    /// heading (`- 2024-03-02: added the rollback`). Reports a "last" date older than the review window
    /// (option `review-window-days`, default 180) and a review or target date already past.
    ///
    /// Dates are read as people write them: `2025-10-29`, `November 20, 2025`, `Feb 5, 2026`,
    /// `2025-10`. `29/10/2025` is skipped: day and month order cannot be known. Runs are made
    /// reproducible with `--today YYYY-MM-DD` or the config key `today`.
    ///
    /// ## Why is this bad?
    /// A runbook nobody has reviewed for half a year describes a system that has changed since;
    /// a missed review date is a promise the team did not keep.
    ///
    /// ## Example
    /// ```markdown
    /// **Last Reviewed:** 2024-01-15
    /// **Next Review:** 2024-07-15
    /// ```
    ///
    /// Use instead: review the runbook and update both dates.
    pub struct StaleReviewDate {
        id: "stale-review-date",
        severity: Warning,
        summary: "a review date older than the review window, or a review deadline already past",
        options: StaleReviewDateOptions,
    }
}

/// Options of `stale-review-date`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct StaleReviewDateOptions {
    /// A "last reviewed" date older than this many days is stale.
    pub review_window_days: i64,
}

impl Default for StaleReviewDateOptions {
    fn default() -> Self {
        StaleReviewDateOptions {
            review_window_days: 180,
        }
    }
}

impl RuleOptions for StaleReviewDateOptions {
    const DOCS: &'static str = "- `review-window-days` (default 180): a \"last\" date older than this many days is stale. Also read as a top-level key of the config.";

    fn validate(&self) -> Result<(), String> {
        if self.review_window_days < 1 {
            return Err("review-window-days: must be at least 1".to_string());
        }
        Ok(())
    }
}

/// What to do about a stale date.
const HELP: &str = "review the runbook against the system as it is today, then update the date";

/// A field label followed by its date. `deadline` labels are dates to meet, the others dates
/// something happened.
static FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?im)(?:^|[\s*_|>\x22'(-])(?P<label>last[\s_-]+(?:updated|reviewed|review|modified|revised|verified|edited|checked)|updated[\s_-]+on|next[\s_-]+review(?:[\s_-]+date)?|review[\s_-]+(?:by|due|date)|target[\s_-]+date|reviewed[\s_-]+on|date[\s_-]+reviewed|(?:updated|reviewed)(?:[*_]*:))\b?[\s*_:|\-–—]*",
    )
    .expect("field regex")
});

/// A word every [`FIELD`] label starts with, in the same case folding: a text without one has
/// no field, and one search for these literals is far cheaper than the field pattern.
static FIELD_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)last|updated|next|review|target").expect("field word regex")
});

static HISTORY_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(revision|change|document|version|review)\s+(history|log)\b|\bchangelog\b")
        .expect("history regex")
});

/// The history section a block is in: its own heading says revision history, change log,
/// document history (not a template or an example of one).
fn history_section(cx: &super::RuleContext<'_>, section: usize) -> Option<usize> {
    let heading = cx.doc.sections.get(section)?;
    let title = heading.title.to_ascii_lowercase();
    (section > 0
        && HISTORY_HEADING.is_match(&heading.title)
        && !title.contains("template")
        && !title.contains("example")
        && !title.contains("sample"))
    .then_some(section)
}

fn is_deadline(label: &str) -> bool {
    let label = label.to_ascii_lowercase();
    label.starts_with("next")
        || (label.starts_with("review") && !label.starts_with("reviewed"))
        || label.starts_with("target")
}

impl StaleReviewDate {
    fn run(&self, cx: &mut Cx<'_, '_>) {
        let today = cx.settings.today.unwrap_or_else(Date::today);
        let window = self.options.review_window_days;
        let source = cx.source;
        let fields = FIELD_WORD
            .is_match(source)
            .then(|| FIELD.captures_iter(source))
            .into_iter()
            .flatten();
        for caps in fields {
            let (Some(label), Some(whole)) = (caps.name("label"), caps.get(0)) else {
                continue;
            };
            // The 60 bytes after the label, cut before a character that would not fit (a
            // `→ José` at byte 60 once crashed the run), and at the end of the line; never a
            // search to the end of a long line.
            let after = crate::text::prefix(&source[whole.end()..], 60);
            let after = &after[..after.find('\n').unwrap_or(after.len())];
            // `_Updated: 2025-01-10_`: emphasis marks are not part of the date.
            let after = after.replace(['_', '*'], " ");
            let Some(found) = find_date(&after) else {
                continue;
            };
            // The date must follow the label, not sit somewhere later in the sentence.
            if found.start > 2 {
                continue;
            }
            let span = Span::new(whole.end() + found.start, whole.end() + found.end);
            let in_front_matter = cx.doc.front_matter.is_some_and(|f| f.contains(span));
            if cx.doc.in_code(span) && !in_front_matter {
                continue;
            }
            let label = label
                .as_str()
                .trim_end_matches([':', '*', '_'])
                .replace(['_', '-'], " ");
            if let Some(message) = judge(&label, &found, today, window, is_deadline(&label)) {
                cx.report(span, message).help(HELP);
            }
        }
        // Revision histories written as lists (`- 2024-03-02: added the rollback`): the latest
        // entry under a history heading says when the document last changed.
        let mut latest_by_section: std::collections::BTreeMap<usize, (FoundDate, Span)> =
            std::collections::BTreeMap::new();
        for block in &cx.doc.text_blocks {
            if !matches!(block.kind, BlockKind::ListItem | BlockKind::ChecklistItem) {
                continue;
            }
            let Some(history) = history_section(cx, block.section) else {
                continue;
            };
            let text = cx.text(block.span);
            // The date leads the entry (`2024-03-02: ...`, `v1.2 (2024-03-02) ...`).
            let head = crate::text::prefix(text, 40);
            let Some(found) = find_date(head) else {
                continue;
            };
            let span = Span::new(block.span.start + found.start, block.span.start + found.end);
            let entry = latest_by_section.entry(history).or_insert((found, span));
            if found.latest() > entry.0.latest() {
                *entry = (found, span);
            }
        }
        for (found, span) in latest_by_section.into_values() {
            if let Some(message) = judge("latest revision", &found, today, window, false) {
                cx.report(span, message).help(HELP);
            }
        }
        // Revision-history tables: the latest entry says when the document last changed.
        for table in &cx.doc.tables {
            // A "Change Log Template" holds example rows, not history.
            if cx.doc.ancestry(table.section).take(1).any(|s| {
                let t = s.title.to_ascii_lowercase();
                t.contains("template") || t.contains("example") || t.contains("sample")
            }) {
                continue;
            }
            let titled = cx
                .doc
                .ancestry(table.section)
                .take(1)
                .any(|s| HISTORY_HEADING.is_match(&s.title));
            let headed = table
                .header
                .iter()
                .any(|c| c.text.eq_ignore_ascii_case("date"))
                && table.header.iter().any(|c| {
                    let t = c.text.to_ascii_lowercase();
                    t.contains("version") || t.contains("revision") || t.contains("change")
                });
            if !titled && !headed {
                continue;
            }
            let mut latest: Option<(FoundDate, Span)> = None;
            for cell in table.rows.iter().flatten() {
                let text = cx.text(cell.span);
                if let Some(found) = find_date(text) {
                    let span =
                        Span::new(cell.span.start + found.start, cell.span.start + found.end);
                    if latest.is_none_or(|(l, _)| found.latest() > l.latest()) {
                        latest = Some((found, span));
                    }
                }
            }
            if let Some((found, span)) = latest {
                if let Some(message) = judge("latest revision", &found, today, window, false) {
                    cx.report(span, message).help(HELP);
                }
            }
        }
    }
}

fn judge(
    label: &str,
    found: &FoundDate,
    today: Date,
    window: i64,
    deadline: bool,
) -> Option<String> {
    let age = today.days() - found.latest().days();
    let written = found.date;
    let shown = if found.month_only {
        format!("{:04}-{:02}", written.year, written.month)
    } else {
        written.to_string()
    };
    let label = capitalise(label);
    if deadline {
        (age > 0).then(|| format!("{label} {shown} has passed ({age} days ago)"))
    } else {
        (age > window)
            .then(|| format!("{label} {shown} is {age} days old (review window: {window} days)"))
    }
}

fn capitalise(label: &str) -> String {
    let words: Vec<String> = label
        .split_whitespace()
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| {
                    f.to_uppercase()
                        .chain(c.flat_map(|x| x.to_lowercase()))
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();
    format!("`{}`", words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;
    use crate::document::{Document, ParseOptions};

    fn run(markdown: &str) -> Vec<(usize, String)> {
        let settings = Settings {
            today: Date::new(2026, 1, 31),
            ..Settings::default()
        };
        let doc = Document::parse(markdown, &ParseOptions::default());
        let project = crate::facts::ProjectFacts::default();
        let cx = crate::rules::RuleContext {
            doc: &doc,
            source: markdown,
            path: "r.md",
            project: &project,
            settings: &settings,
        };
        let mut out = Vec::new();
        let rule = StaleReviewDate::default();
        crate::rules::Rule::check(
            &rule,
            &mut crate::rules::Cx::new(&cx, StaleReviewDate::META, &mut out),
        );
        let index = crate::span::LineIndex::new(markdown);
        out.into_iter()
            .map(|d| (index.position(markdown, d.span.start).0, d.message))
            .collect()
    }

    #[test]
    fn a_multibyte_character_at_the_window_edge() {
        // `é` straddles byte 60 after the label.
        let found = run(
            "# R\n\nLast Reviewed: 2025-06-02 by Platform Engineering and the SRE crew → José\n",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        for pad in 0..8 {
            let line = format!(
                "Last Updated: 2020-01-01 {}{}",
                "x".repeat(40 + pad),
                "é→ü".repeat(4)
            );
            assert_eq!(run(&line).len(), 1, "{line}");
        }
    }

    #[test]
    fn history_lists_and_short_labels() {
        let markdown = "# Runbook\n\n_Updated: 2025-01-10_\n\n## Revision history\n\n- 2024-01-02: first\n- v1.1 (2024-03-04): second\n\n## Change log template\n\n- 2024-01-13: example\n\n## Steps\n\n- 2019-01-01 is when the service launched\n";
        let found = run(markdown);
        let lines: Vec<usize> = found.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![3, 8], "{found:?}");
        assert!(found[0].1.starts_with("`Updated` 2025-01-10"), "{}", found[0].1);
        assert!(found[1].1.starts_with("`Latest Revision` 2024-03-04"), "{}", found[1].1);
    }

    #[test]
    fn stale_and_past_dates() {
        let markdown = "# Runbook\n\n**Last Updated:** 2025-06-01\n**Last Reviewed:** November 20, 2025\n**Next Review:** Jan 5, 2026\n- Target Date: 2026-03-01\n- Review by: 29/10/2025\n\n| Field | Value |\n|---|---|\n| Last Reviewed | 2025-01 |\n\n`Last Updated: 2020-01-01`\n\n## Revision history\n\n| Version | Date | Change |\n|---|---|---|\n| 1.0 | 2024-01-02 | first |\n| 1.1 | 2024-03-04 | second |\n\n## Change log template\n\n| Date | Change |\n|---|---|\n| 2024-01-13 | example |\n";
        let found = run(markdown);
        let lines: Vec<usize> = found.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![3, 5, 11, 20], "{found:?}");
        assert!(found[0].1.contains("244 days old"), "{}", found[0].1);
        assert!(found[1].1.contains("has passed"), "{}", found[1].1);
    }
}
