//! Inline suppressions written as HTML comments:
//! `<!-- runbook-lint-disable-next-line RULE -->`, `<!-- runbook-lint-disable RULE -->` ...
//! `<!-- runbook-lint-enable RULE -->`. Without a rule list they apply to every rule.

use crate::document::Document;
use crate::span::LineIndex;

/// Line ranges where rules are switched off in one file.
#[derive(Debug, Default)]
pub struct Suppressions {
    /// `(rule or None for all, first line, last line)`, inclusive.
    ranges: Vec<(Option<String>, usize, usize)>,
}

impl Suppressions {
    /// Reads the suppression comments of a document.
    pub fn from_document(doc: &Document, source: &str, index: &LineIndex) -> Suppressions {
        let mut suppressions = Suppressions::default();
        // Open `disable` ranges: (rule, first line).
        let mut open: Vec<(Option<String>, usize)> = Vec::new();
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
                    let target = next_non_blank_line(source, index, end_line + 1);
                    for rule in rules {
                        suppressions.ranges.push((rule, target, target));
                    }
                }
                "disable-line" => {
                    for rule in rules {
                        suppressions.ranges.push((rule, line, end_line));
                    }
                }
                "disable" => open.extend(rules.into_iter().map(|r| (r, line))),
                "enable" => {
                    for rule in rules {
                        let closing: Vec<usize> = open
                            .iter()
                            .enumerate()
                            .filter(|(_, (r, _))| rule.is_none() || *r == rule)
                            .map(|(i, _)| i)
                            .collect();
                        for i in closing.into_iter().rev() {
                            let (r, start) = open.remove(i);
                            suppressions.ranges.push((r, start, line));
                        }
                    }
                }
                _ => {}
            }
        }
        for (rule, start) in open {
            suppressions.ranges.push((rule, start, usize::MAX));
        }
        suppressions
    }

    /// True when `rule` is switched off on `line`.
    pub fn suppressed(&self, rule: &str, line: usize) -> bool {
        self.ranges.iter().any(|(r, first, last)| {
            r.as_deref().is_none_or(|r| r == rule) && (*first..=*last).contains(&line)
        })
    }
}

fn next_non_blank_line(source: &str, index: &LineIndex, from: usize) -> usize {
    let mut line = from;
    while line <= index.line_count() {
        let Some(start) = index.line_start(line) else {
            break;
        };
        let text = source[start..].lines().next().unwrap_or("");
        if !text.trim().is_empty() {
            return line;
        }
        line += 1;
    }
    from
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
    fn ranges_and_all_rules() {
        let s = suppressions("a\n<!-- runbook-lint-disable -->\nb\n<!-- runbook-lint-enable -->\nc\n<!-- runbook-lint-disable a, b -->\nd\n");
        assert!(s.suppressed("anything", 3));
        assert!(!s.suppressed("anything", 5));
        assert!(s.suppressed("b", 7));
        assert!(!s.suppressed("c", 7));
    }
}
