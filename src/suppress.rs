//! Inline suppressions written as HTML comments:
//! `<!-- runbook-lint-disable-next-line RULE -->`, `<!-- runbook-lint-disable-line RULE -->`,
//! `<!-- runbook-lint-disable RULE -->` ... `<!-- runbook-lint-enable RULE -->`. Without a rule
//! list they apply to every rule.
//!
//! Each suppression remembers whether it suppressed a finding, so the engine can report the
//! ones that suppress nothing (`unused-suppression`), and a comment naming an unknown rule or
//! directive is a problem of its own (`invalid-suppression`): a typo must not silently leave a
//! finding unsuppressed.

use std::collections::HashMap;

use crate::document::Document;
use crate::span::{LineIndex, Span};

/// The directives after `runbook-lint-`.
pub const DIRECTIVES: &[&str] = &["disable-next-line", "disable-line", "disable", "enable"];

/// How far back a finding looks for the suppression that covers it among overlapping ones of
/// the same rule (the innermost usually starts last): bounded, so a file of thousands of
/// nested ranges stays linear. Past it the finding is still suppressed, only not credited.
const CLAIM_LOOKBACK: usize = 1024;

/// One rule switched off over a range of lines by one comment.
#[derive(Debug, Clone)]
struct Entry {
    /// The rule, `None` for every rule.
    rule: Option<String>,
    first: usize,
    last: usize,
    /// The comment that wrote it.
    comment: Span,
    /// The rule id's span in the comment (the comment itself for every rule).
    at: Span,
    /// True once a finding was suppressed by it.
    used: bool,
}

/// A suppression comment that is wrong: an unknown rule or directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What is wrong (the rule id or directive).
    pub span: Span,
    /// The message.
    pub message: String,
    /// A did-you-mean, or the list of what is known.
    pub help: String,
}

/// A suppression that suppressed nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unused {
    /// The rule it names, `None` for a comment without a rule list.
    pub rule: Option<String>,
    /// Where to point: the rule id in the comment, or the comment.
    pub span: Span,
    /// The whole comment.
    pub comment: Span,
    /// True when the comment suppresses nothing else: removing it is the fix.
    pub whole_comment: bool,
}

/// Line ranges where rules are switched off in one file.
#[derive(Debug, Default)]
pub struct Suppressions {
    entries: Vec<Entry>,
    /// Per rule (`None`: every rule), `(first line, reach, entry)` sorted by first line, reach
    /// the largest last line of it and the ranges before it: "is line L inside one?" is a
    /// binary search, not a scan of every range per finding (quadratic in a file of
    /// suppressions).
    ranges: HashMap<Option<String>, Vec<(usize, usize, usize)>>,
    /// Unknown rules and directives.
    pub problems: Vec<Problem>,
}

impl Suppressions {
    /// Reads the suppression comments of a document; `known` (sorted) tells a rule id apart
    /// from a typo (`None`: every id is accepted), and offers the did-you-mean candidates.
    pub fn from_document(
        doc: &Document,
        source: &str,
        index: &LineIndex,
        known: Option<&[String]>,
    ) -> Suppressions {
        let mut entries: Vec<Entry> = Vec::new();
        let mut problems = Vec::new();
        // Open `disable` ranges per rule: (first line, comment, id span).
        type Open = Vec<(usize, Span, Span)>;
        let mut open: HashMap<Option<String>, Open> = HashMap::new();
        let mut next_line = NextNonBlank::default();
        for comment in &doc.html_comments {
            let Some(rest) = comment.body.strip_prefix("runbook-lint-") else {
                continue;
            };
            let text = source.get(comment.span.range()).unwrap_or("");
            // Where a word of the body is in the source (for pointing at it).
            let locate = |word: &str, from: usize| -> Span {
                match text.get(from..).and_then(|t| t.find(word)) {
                    Some(at) => Span::new(
                        comment.span.start + from + at,
                        comment.span.start + from + at + word.len(),
                    ),
                    None => comment.span,
                }
            };
            let (directive, list) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            let directive_span = locate(directive, 0);
            if !DIRECTIVES.contains(&directive) {
                let help =
                    crate::diagnostic::did_you_mean_text(directive, DIRECTIVES.iter().copied())
                        .unwrap_or_else(|| {
                            format!("the directives are `{}`", DIRECTIVES.join("`, `"))
                        });
                problems.push(Problem {
                    span: directive_span,
                    message: format!(
                        "unknown suppression directive `runbook-lint-{}`",
                        crate::redact::shown(directive)
                    ),
                    help,
                });
                continue;
            }
            let mut rules: Vec<(Option<String>, Span)> = Vec::new();
            let mut from = directive_span.end.saturating_sub(comment.span.start);
            for id in list
                .split(|c: char| c.is_whitespace() || c == ',')
                .filter(|r| !r.is_empty())
            {
                let span = locate(id, from);
                from = span.end.saturating_sub(comment.span.start);
                if let Some(known) =
                    known.filter(|k| k.binary_search_by(|k| k.as_str().cmp(id)).is_err())
                {
                    let help =
                        crate::diagnostic::did_you_mean_text(id, known.iter().map(String::as_str))
                            .unwrap_or_else(|| "`runbook-lint rules` lists every rule".to_string());
                    problems.push(Problem {
                        span,
                        message: format!(
                            "unknown rule `{}` in a suppression comment",
                            crate::redact::shown(id)
                        ),
                        help,
                    });
                    continue;
                }
                rules.push((Some(id.to_string()), span));
            }
            if rules.is_empty() {
                if !list.trim().is_empty() {
                    // Only unknown rules: suppress nothing rather than everything.
                    continue;
                }
                rules.push((None, comment.span));
            }
            let (line, _) = index.position(source, comment.span.start);
            let (end_line, _) = index.position(source, comment.span.end);
            let mut push =
                |rule: Option<String>, first: usize, last: usize, at: Span, comment: Span| {
                    entries.push(Entry {
                        rule,
                        first,
                        last,
                        comment,
                        at,
                        used: false,
                    })
                };
            match directive {
                "disable-next-line" => {
                    let target = next_line.after(source, index, end_line + 1);
                    for (rule, at) in rules {
                        push(rule, target, target, at, comment.span);
                    }
                }
                "disable-line" => {
                    for (rule, at) in rules {
                        push(rule, line, end_line, at, comment.span);
                    }
                }
                "disable" => {
                    for (rule, at) in rules {
                        open.entry(rule).or_default().push((line, comment.span, at));
                    }
                }
                _ => {
                    for (rule, _) in rules {
                        // `enable` with no rule closes every open range; with one, its own.
                        let closed: Vec<(Option<String>, Open)> = match rule {
                            None => open.drain().collect(),
                            Some(_) => open.remove_entry(&rule).into_iter().collect(),
                        };
                        for (r, starts) in closed {
                            for (start, comment, at) in starts {
                                push(r.clone(), start, line, at, comment);
                            }
                        }
                    }
                }
            }
        }
        let mut still_open: Vec<_> = open.into_iter().collect();
        still_open.sort_by(|a, b| a.0.cmp(&b.0));
        for (rule, starts) in still_open {
            for (start, comment, at) in starts {
                entries.push(Entry {
                    rule: rule.clone(),
                    first: start,
                    last: usize::MAX,
                    comment,
                    at,
                    used: false,
                });
            }
        }
        let mut ranges: HashMap<Option<String>, Vec<(usize, usize, usize)>> = HashMap::new();
        for (i, entry) in entries.iter().enumerate() {
            ranges
                .entry(entry.rule.clone())
                .or_default()
                .push((entry.first, entry.last, i));
        }
        for list in ranges.values_mut() {
            list.sort_unstable();
            let mut reach = 0;
            for (_, last, _) in list.iter_mut() {
                reach = reach.max(*last);
                *last = reach;
            }
        }
        Suppressions {
            entries,
            ranges,
            problems,
        }
    }

    /// True when `rule` is switched off on `line`.
    pub fn suppressed(&self, rule: &str, line: usize) -> bool {
        self.covering(&None, line).is_some() || self.suppressed_by_name(rule, line)
    }

    /// True when a comment naming `rule` switches it off on `line` (a blanket one does not
    /// count): how findings about suppression comments are suppressed, so that a blanket
    /// `disable` never hides the report that it is unused.
    pub fn suppressed_by_name(&self, rule: &str, line: usize) -> bool {
        self.covering(&Some(rule.to_string()), line).is_some()
    }

    /// Like [`Suppressions::suppressed`], and credits the suppression that covers the line
    /// (the one that starts last; a rule's own before a blanket one on the same line).
    pub fn claim(&mut self, rule: &str, line: usize) -> bool {
        let own = self.covering(&Some(rule.to_string()), line);
        let every = self.covering(&None, line);
        let pick: Option<Option<usize>> = match (own, every) {
            (Some((_, own)), Some((_, every))) => Some(match (own, every) {
                (Some(own), Some(every)) => {
                    Some(if self.entries[every].first > self.entries[own].first {
                        every
                    } else {
                        own
                    })
                }
                (own, every) => own.or(every),
            }),
            (Some((_, entry)), None) | (None, Some((_, entry))) => Some(entry),
            (None, None) => None,
        };
        match pick {
            Some(Some(entry)) => {
                self.entries[entry].used = true;
                true
            }
            Some(None) => true,
            None => false,
        }
    }

    /// Whether a range of `key` covers `line`: `Some` with the covering entry, when found
    /// within [`CLAIM_LOOKBACK`] ranges.
    fn covering(&self, key: &Option<String>, line: usize) -> Option<(usize, Option<usize>)> {
        let list = self.ranges.get(key)?;
        let before = list.partition_point(|(first, _, _)| *first <= line);
        if before == 0 || list[before - 1].1 < line {
            return None;
        }
        let entry = list[..before]
            .iter()
            .rev()
            .take(CLAIM_LOOKBACK)
            .find(|(_, _, entry)| self.entries[*entry].last >= line)
            .map(|(_, _, entry)| *entry);
        Some((before, entry))
    }

    /// The suppressions that suppressed nothing, in file order; `ran` says which rules ran
    /// (a suppression of a rule that is off or not selected is not reported).
    pub fn unused(&self, ran: impl Fn(&str) -> bool) -> Vec<Unused> {
        // How many of each comment's entries are unused, to know whether removing the
        // comment is the fix.
        let mut per_comment: HashMap<(usize, usize), (usize, usize)> = HashMap::new();
        for entry in &self.entries {
            let counts = per_comment
                .entry((entry.comment.start, entry.comment.end))
                .or_default();
            counts.0 += 1;
            counts.1 += usize::from(!entry.used);
        }
        let mut unused: Vec<Unused> = self
            .entries
            .iter()
            .filter(|e| !e.used && e.rule.as_deref().is_none_or(&ran))
            .map(|e| {
                let (all, unused) = per_comment[&(e.comment.start, e.comment.end)];
                Unused {
                    rule: e.rule.clone(),
                    span: e.at,
                    comment: e.comment,
                    whole_comment: all == unused,
                }
            })
            .collect();
        unused.sort_by_key(|u| (u.span.start, u.span.end));
        unused.dedup();
        unused
    }
}

/// The first non-blank line at or after a line, remembering the last answer: comments come
/// in document order, and a run of them before one long blank stretch must not rescan it.
#[derive(Default)]
struct NextNonBlank {
    /// `(from, answer)` of the last question, `answer` `None` when only blank lines followed.
    last: Option<(usize, Option<usize>)>,
}

impl NextNonBlank {
    /// The first non-blank line at or after `from`, or `from` when there is none.
    fn after(&mut self, source: &str, index: &LineIndex, from: usize) -> usize {
        if let Some((asked, answer)) = self.last {
            // Every line from `asked` up to the answer (or the end) is blank.
            if from >= asked && answer.is_none_or(|found| from <= found) {
                return answer.unwrap_or(from);
            }
        }
        let mut answer = None;
        let mut line = from;
        while line <= index.line_count() {
            let Some(start) = index.line_start(line) else {
                break;
            };
            let text = source[start..].lines().next().unwrap_or("");
            if !text.trim().is_empty() {
                answer = Some(line);
                break;
            }
            line += 1;
        }
        self.last = Some((from, answer));
        answer.unwrap_or(from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::ParseOptions;

    fn suppressions(text: &str) -> Suppressions {
        let doc = Document::parse(text, &ParseOptions::default());
        Suppressions::from_document(&doc, text, &LineIndex::new(text), None)
    }

    fn checked(text: &str) -> Suppressions {
        let doc = Document::parse(text, &ParseOptions::default());
        let known = ["missing-script".to_string(), "unsafe-migration".to_string()];
        Suppressions::from_document(&doc, text, &LineIndex::new(text), Some(&known))
    }

    #[test]
    fn unknown_rules_and_directives_are_problems_with_a_did_you_mean() {
        let text = "<!-- runbook-lint-disable-next-line missing-scirpt, unsafe-migration -->\nx\n<!-- runbook-lint-disable-nextline missing-script -->\ny\n";
        let s = checked(text);
        let problems: Vec<(&str, &str, &str)> = s
            .problems
            .iter()
            .map(|p| (&text[p.span.range()], p.message.as_str(), p.help.as_str()))
            .collect();
        assert_eq!(
            problems,
            vec![
                (
                    "missing-scirpt",
                    "unknown rule `missing-scirpt` in a suppression comment",
                    "did you mean `missing-script`?"
                ),
                (
                    "disable-nextline",
                    "unknown suppression directive `runbook-lint-disable-nextline`",
                    "did you mean `disable-next-line`?"
                ),
            ]
        );
        // The known rule of the first comment still applies; the bad directive does nothing.
        assert!(s.suppressed("unsafe-migration", 2));
        assert!(!s.suppressed("missing-scirpt", 2));
        assert!(!s.suppressed("missing-script", 4));
        // A comment of only unknown rules suppresses nothing, not everything.
        let s = checked("<!-- runbook-lint-disable-next-line nope -->\nx\n");
        assert!(!s.suppressed("missing-script", 2));
    }

    #[test]
    fn unused_suppressions_are_those_that_claimed_nothing() {
        let text = "<!-- runbook-lint-disable-next-line missing-script unsafe-migration -->\nx\n<!-- runbook-lint-disable -->\ny\n<!-- runbook-lint-enable -->\n<!-- runbook-lint-disable-line missing-script -->\n";
        let mut s = checked(text);
        assert!(s.claim("missing-script", 2));
        assert!(!s.claim("missing-script", 8));
        let unused = s.unused(|_| true);
        let shown: Vec<(Option<&str>, &str, bool)> = unused
            .iter()
            .map(|u| (u.rule.as_deref(), &text[u.span.range()], u.whole_comment))
            .collect();
        assert_eq!(
            shown,
            vec![
                (Some("unsafe-migration"), "unsafe-migration", false),
                (None, "<!-- runbook-lint-disable -->", true),
                (Some("missing-script"), "missing-script", true),
            ]
        );
        // Rules that did not run are not judged.
        assert_eq!(s.unused(|rule| rule != "unsafe-migration").len(), 2);
    }

    #[test]
    fn the_innermost_suppression_is_credited() {
        let text = "<!-- runbook-lint-disable missing-script -->\n<!-- runbook-lint-disable-next-line missing-script -->\nx\n<!-- runbook-lint-enable missing-script -->\n";
        let mut s = checked(text);
        assert!(s.claim("missing-script", 3));
        let unused = s.unused(|_| true);
        assert_eq!(unused.len(), 1);
        assert_eq!(
            unused[0].comment.start, 0,
            "the outer range suppressed nothing"
        );
    }

    #[test]
    fn next_line_skips_blank_lines() {
        let s = suppressions(
            "<!-- runbook-lint-disable-next-line missing-script -->\n\n`pnpm x`\n`pnpm y`\n",
        );
        assert!(s.suppressed("missing-script", 3));
        assert!(!s.suppressed("missing-script", 4));
        assert!(!s.suppressed("unsafe-migration", 3));
    }

    #[test]
    fn overlapping_and_unclosed_ranges() {
        let s = suppressions(
            "<!-- runbook-lint-disable a -->\n1\n<!-- runbook-lint-disable-line a -->\n<!-- runbook-lint-enable a -->\n5\n<!-- runbook-lint-disable-next-line a -->\n\n\n<!-- runbook-lint-disable-next-line b -->\n\nx\n<!-- runbook-lint-disable b -->\n",
        );
        assert!(s.suppressed("a", 2) && s.suppressed("a", 4));
        assert!(!s.suppressed("a", 5));
        // Both next-line directives reach over the blank lines to the same line.
        assert!(s.suppressed("a", 9));
        assert!(s.suppressed("b", 11));
        assert!(!s.suppressed("b", 10));
        assert!(s.suppressed("b", 13) && s.suppressed("b", 999));
    }

    #[test]
    fn ranges_and_all_rules() {
        let s = suppressions("a\n<!-- runbook-lint-disable -->\nb\n<!-- runbook-lint-enable -->\nc\n<!-- runbook-lint-disable a, b -->\nd\n");
        assert!(s.suppressed("anything", 3));
        assert!(!s.suppressed("anything", 5));
        assert!(s.suppressed("b", 7));
        assert!(!s.suppressed("c", 7));
    }
}
