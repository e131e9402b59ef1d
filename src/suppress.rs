//! Inline suppressions written as HTML comments:
//! `<!-- runbook-lint-disable-next-line RULE -->`, `<!-- runbook-lint-disable RULE -->` ...
//! `<!-- runbook-lint-enable RULE -->`. Without a rule list they apply to every rule.

use std::collections::HashMap;

use crate::document::Document;
use crate::span::LineIndex;

/// Line ranges where rules are switched off in one file.
#[derive(Debug, Default)]
pub struct Suppressions {
    /// Per rule (`None`: every rule), the ranges sorted by first line, each with the largest
    /// last line of it and the ranges before it: "is line L inside one?" is then a binary
    /// search, not a scan of every range per finding (quadratic in a file of suppressions).
    ranges: HashMap<Option<String>, Vec<(usize, usize)>>,
}

impl Suppressions {
    /// Reads the suppression comments of a document.
    pub fn from_document(doc: &Document, source: &str, index: &LineIndex) -> Suppressions {
        // `(rule or None for all, first line, last line)`, inclusive.
        let mut ranges: Vec<(Option<String>, usize, usize)> = Vec::new();
        // Open `disable` ranges per rule: first lines.
        let mut open: HashMap<Option<String>, Vec<usize>> = HashMap::new();
        let mut next_line = NextNonBlank::default();
        for comment in &doc.html_comments {
            let Some(rest) = comment.body.strip_prefix("runbook-lint-") else {
                continue;
            };
            let (directive, rules) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            let rules: Vec<Option<String>> = {
                let listed: Vec<Option<String>> = rules
                    .split(|c: char| c.is_whitespace() || c == ',')
                    .filter(|r| !r.is_empty())
                    .map(|r| Some(r.to_string()))
                    .collect();
                if listed.is_empty() {
                    vec![None]
                } else {
                    listed
                }
            };
            let (line, _) = index.position(source, comment.span.start);
            let (end_line, _) = index.position(source, comment.span.end);
            match directive {
                "disable-next-line" => {
                    let target = next_line.after(source, index, end_line + 1);
                    for rule in rules {
                        ranges.push((rule, target, target));
                    }
                }
                "disable-line" => {
                    for rule in rules {
                        ranges.push((rule, line, end_line));
                    }
                }
                "disable" => {
                    for rule in rules {
                        open.entry(rule).or_default().push(line);
                    }
                }
                "enable" => {
                    for rule in rules {
                        // `enable` with no rule closes every open range; with one, its own.
                        let closed: Vec<(Option<String>, Vec<usize>)> = match rule {
                            None => open.drain().collect(),
                            Some(_) => open.remove_entry(&rule).into_iter().collect(),
                        };
                        for (r, starts) in closed {
                            ranges.extend(starts.into_iter().map(|start| (r.clone(), start, line)));
                        }
                    }
                }
                _ => {}
            }
        }
        for (rule, starts) in open {
            ranges.extend(
                starts
                    .into_iter()
                    .map(|start| (rule.clone(), start, usize::MAX)),
            );
        }
        let mut by_rule: HashMap<Option<String>, Vec<(usize, usize)>> = HashMap::new();
        for (rule, first, last) in ranges {
            by_rule.entry(rule).or_default().push((first, last));
        }
        for list in by_rule.values_mut() {
            list.sort_unstable();
            let mut reach = 0;
            for (_, last) in list.iter_mut() {
                reach = reach.max(*last);
                *last = reach;
            }
        }
        Suppressions { ranges: by_rule }
    }

    /// True when `rule` is switched off on `line`.
    pub fn suppressed(&self, rule: &str, line: usize) -> bool {
        let covers = |key: &Option<String>| {
            self.ranges.get(key).is_some_and(|list| {
                let before = list.partition_point(|(first, _)| *first <= line);
                before > 0 && list[before - 1].1 >= line
            })
        };
        covers(&None) || covers(&Some(rule.to_string()))
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
        Suppressions::from_document(&doc, text, &LineIndex::new(text))
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
