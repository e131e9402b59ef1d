//! Finding text nobody filled in: TBD-like words, "to be determined", `[Contact info]`.
//! The word lists live in `rules/placeholders.toml`; this module compiles them once.

use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use crate::document::{BlockKind, Document, SectionId, TextBlock};
use crate::span::Span;

const PLACEHOLDERS_TOML: &str = include_str!("../../rules/placeholders.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PlaceholderWords {
    words: Vec<String>,
    words_any_case: Vec<String>,
    marker_words: Vec<String>,
    phrases: Vec<String>,
    bracket_cues: Vec<String>,
    template_contacts: Vec<String>,
    template_values: Vec<String>,
}

struct Detector {
    words: Regex,
    bracket: Regex,
    cues: Vec<String>,
    marker_words: Vec<String>,
    template_contacts: Regex,
    template_values: Regex,
}

static DETECTOR: LazyLock<Detector> = LazyLock::new(|| {
    let data: PlaceholderWords =
        toml::from_str(PLACEHOLDERS_TOML).expect("rules/placeholders.toml is valid (unit-tested)");
    let escape = |list: &[String]| {
        list.iter()
            .map(|w| regex::escape(w).replace(' ', r"\s+"))
            .collect::<Vec<_>>()
            .join("|")
    };
    let words = Regex::new(&format!(
        r"\b(?:{})\b|(?i:\b(?:{})\b)|(?i:\b(?:{})\b)",
        escape(&data.words),
        escape(&data.words_any_case),
        escape(&data.phrases)
    ))
    .expect("placeholder regex");
    let any = |patterns: &[String]| {
        Regex::new(
            &patterns
                .iter()
                .map(|p| format!("(?:{p})"))
                .collect::<Vec<_>>()
                .join("|"),
        )
        .expect("template regexes (unit-tested)")
    };
    Detector {
        words,
        bracket: Regex::new(r"\[([^\[\]\n]{1,80})\]").expect("bracket regex"),
        cues: data.bracket_cues,
        marker_words: data.marker_words,
        template_contacts: any(&data.template_contacts),
        template_values: any(&data.template_values),
    }
});

/// A placeholder found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    /// Byte range within the searched text.
    pub range: std::ops::Range<usize>,
    /// The placeholder as written.
    pub text: String,
}

/// Placeholders in `text`: TBD-like words, phrases, and `[bracketed cues]`. A bracket that
/// contains a TBD word is reported once, as the bracket.
pub fn find(text: &str) -> Vec<Placeholder> {
    let detector = &*DETECTOR;
    let mut found: Vec<Placeholder> = Vec::new();
    for m in detector.bracket.captures_iter(text) {
        let whole = m.get(0).expect("group 0");
        let inner = m[1].trim();
        // Links, task markers, footnotes, GitHub alerts: not placeholders.
        let next = text[whole.end()..].chars().next();
        if matches!(next, Some('(') | Some('[') | Some(':'))
            || inner.is_empty()
            || inner.eq_ignore_ascii_case("x")
            || inner.starts_with('^')
            || inner.starts_with('!')
            || quoted(text, whole.range())
        {
            continue;
        }
        let lower = inner.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !(c.is_alphanumeric() || c == '-'))
            .filter(|w| !w.is_empty())
            .collect();
        let cued = words.iter().any(|w| detector.cues.iter().any(|c| c == w))
            || detector.words.is_match(inner);
        if cued {
            found.push(Placeholder {
                range: whole.range(),
                text: whole.as_str().to_string(),
            });
        }
    }
    // The brackets, in order and disjoint: one binary search per word, not a scan of every
    // placeholder found so far.
    let brackets: Vec<std::ops::Range<usize>> = found.iter().map(|f| f.range.clone()).collect();
    let matches: Vec<regex::Match<'_>> = detector.words.find_iter(text).collect();
    for (i, m) in matches.iter().enumerate() {
        // "TBD, TODO or FIXME" names the markers: nobody leaves two different ones side by
        // side as a placeholder.
        let listed = |other: Option<&regex::Match<'_>>, after: bool| {
            other.is_some_and(|o| {
                let between = if after {
                    text.get(m.end()..o.start())
                } else {
                    text.get(o.end()..m.start())
                };
                !o.as_str().eq_ignore_ascii_case(m.as_str())
                    && between.is_some_and(is_list_separator)
            })
        };
        if listed(i.checked_sub(1).and_then(|p| matches.get(p)), false)
            || listed(matches.get(i + 1), true)
        {
            continue;
        }
        let before = brackets.partition_point(|b| b.start <= m.start());
        let inside_bracket = before > 0 && m.end() <= brackets[before - 1].end;
        let is_marker_word = detector.marker_words.iter().any(|w| w == m.as_str());
        if inside_bracket
            || quoted(text, m.range())
            || (is_marker_word && !reads_as_marker(text, m.range()))
        {
            continue;
        }
        found.push(Placeholder {
            range: m.range(),
            text: m.as_str().to_string(),
        });
    }
    found.sort_by_key(|p| p.range.start);
    found
}

/// True for what separates the items of a list of words: commas, slashes, "or", "and",
/// quotes, colons.
fn is_list_separator(between: &str) -> bool {
    between.len() <= 12
        && between
            .split(|c: char| c.is_whitespace() || ",/:;\"'`*_".contains(c))
            .all(|w| w.is_empty() || matches!(w.to_ascii_lowercase().as_str(), "or" | "and"))
}

/// Template contact values in `text` (`oncall@yourdomain.com`, `+1-555-0100`, `John Doe`,
/// `@username`), as byte ranges of `text`, leading separators trimmed.
pub fn template_contacts(text: &str) -> Vec<std::ops::Range<usize>> {
    DETECTOR
        .template_contacts
        .find_iter(text)
        .map(|m| {
            let trimmed =
                m.as_str().len() - m.as_str().trim_start_matches([' ', '\t', '(', '`']).len();
            m.start() + trimmed..m.end()
        })
        .collect()
}

/// The part of a word that is a template host, URL or name (`api.yourdomain.com`,
/// `https://example.com`, `production-url`, `<your-app>`, `my-project-id`), if any. A variable
/// (`$YOUR_APP`, `${MY_PROJECT}`) is how a runbook leaves a value to the reader, not a template.
pub fn template_value(word: &str) -> Option<std::ops::Range<usize>> {
    DETECTOR.template_values.find_iter(word).find_map(|m| {
        let lead = m.as_str().len()
            - m.as_str()
                .trim_start_matches(['/', '@', '.', ':', '=', '"', '\'', ' ', '\t'])
                .len();
        let start = m.start() + lead;
        let before = word[..start].trim_end_matches('{');
        (!before.ends_with('$')).then_some(start..m.end())
    })
}

/// True for a section that explains a format or shows an example (its heading says template,
/// example, sample or format): its placeholders are the point.
pub fn is_example_section(doc: &Document, section: SectionId) -> bool {
    doc.section_mentions(
        section,
        &[
            "template",
            "templates",
            "example",
            "examples",
            "sample",
            "format",
        ],
    )
}

/// True for a word written in quotes: `tags such as "TODO"` talks about the word.
fn quoted(text: &str, range: std::ops::Range<usize>) -> bool {
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    matches!(
        (before, after),
        (Some('"'), Some('"'))
            | (Some('\''), Some('\''))
            | (Some('“'), Some('”'))
            | (Some('‘'), Some('’'))
    )
}

/// True when a marker word is used as a marker, not as a name: followed by `:`, inside
/// brackets, glued to `#` or `-` (`PR #XXX`, `555-XXX`), or standing alone.
fn reads_as_marker(text: &str, range: std::ops::Range<usize>) -> bool {
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    let alone = text[..range.start]
        .trim_matches(|c: char| c.is_whitespace() || "*_-|>".contains(c))
        .is_empty()
        && text[range.end..]
            .trim_matches(|c: char| c.is_whitespace() || "*_.|".contains(c))
            .is_empty();
    alone
        || matches!(after, Some(':') | Some(')') | Some(']') | Some('-'))
        || matches!(before, Some('#') | Some('(') | Some('[') | Some('-'))
}

/// True when `text` (a cell or a list value) is nothing but a placeholder.
pub fn is_only_placeholder(text: &str) -> bool {
    let trimmed = text
        .trim()
        .trim_matches(|c: char| matches!(c, '*' | '_' | '`' | '.' | '-' | '–' | '—' | '?'));
    if trimmed.is_empty() {
        return false;
    }
    find(trimmed)
        .first()
        .is_some_and(|p| p.range.start == 0 && p.range.end == trimmed.len())
}

/// Placeholders in the prose of a text block, as file spans: inline code, link destinations
/// and HTML comments are skipped, and so are the brackets of links a definition resolves
/// (`[on-call rotation]`, `[Grafana][dashboard]`), the text of table-of-contents entries, and
/// headings such an entry names (`[TODO (optional)](#todo-optional)`).
pub fn in_block(doc: &Document, source: &str, block: &TextBlock) -> Vec<(Span, String)> {
    let Some(text) = source.get(block.span.range()) else {
        return Vec::new();
    };
    let toc = doc.table_of_contents();
    if block.kind == BlockKind::Heading
        && doc
            .section_of_heading(block.span)
            .is_some_and(|id| toc.headings.get(id).copied().unwrap_or(false))
    {
        return Vec::new();
    }
    // Code spans and links sorted once per block, each with the furthest end so far: "does a
    // placeholder overlap one?" is then a binary search, not a scan per placeholder (a
    // paragraph of 40 000 `code` TBD pairs was quadratic).
    let reaching = |mut spans: Vec<Span>| -> Vec<(Span, usize)> {
        spans.sort_unstable_by_key(|s| s.start);
        let mut reach = 0;
        spans
            .into_iter()
            .map(|s| {
                reach = reach.max(s.end);
                (s, reach)
            })
            .collect()
    };
    let overlaps = |spans: &[(Span, usize)], span: Span| {
        // Among spans starting before `span` ends, one reaching past its start overlaps it.
        let before = spans.partition_point(|(s, _)| s.start < span.end);
        before > 0 && spans[before - 1].1 > span.start
    };
    let code_spans = reaching(block.code_spans.clone());
    let links = doc.links_in(block.span);
    let link_spans = reaching(links.clone().map(|i| doc.links[i].span).collect());
    // Table-of-contents entries, in order (links never nest).
    let toc_links: Vec<Span> = links
        .filter(|i| toc.entries.get(*i).copied().unwrap_or(false))
        .map(|i| doc.links[i].span)
        .collect();
    let in_link = |span: Span, bracket: bool| {
        (bracket && overlaps(&link_spans, span)) || {
            let before = toc_links.partition_point(|s| s.start <= span.start);
            before > 0 && toc_links[before - 1].contains(span)
        }
    };
    find(text)
        .into_iter()
        .map(|p| {
            (
                Span::new(
                    block.span.start + p.range.start,
                    block.span.start + p.range.end,
                ),
                p.text,
            )
        })
        .filter(|(span, found)| {
            !overlaps(&code_spans, *span)
                && !doc.overlaps_comment(*span)
                && !in_link(*span, found.starts_with('['))
        })
        .collect()
}

/// Heading words of contact, escalation, on-call and owner sections.
pub const CONTACT_SECTION_WORDS: &[&str] = &[
    "contact",
    "contacts",
    "escalation",
    "escalations",
    "escalate",
    "on-call",
    "oncall",
    "on call",
    "owner",
    "owners",
    "ownership",
    "responders",
    "stakeholders",
    "point of contact",
    "points of contact",
    "who to call",
    "pagerduty",
];

/// True when the section or an ancestor is about contacts, escalation, on-call or owners.
pub fn is_contact_section(doc: &Document, section: SectionId) -> bool {
    doc.section_mentions(section, CONTACT_SECTION_WORDS)
}

/// [`is_contact_section`] for every section at once, indexed by [`SectionId`]: rules ask it
/// for each text block, and a document has far fewer sections than blocks.
pub fn contact_sections(doc: &Document) -> Vec<bool> {
    // Each heading is tested once and the answer inherited from the parent, which comes
    // first (a parent is an earlier section), instead of re-walking every ancestry.
    let mut contact: Vec<bool> = Vec::with_capacity(doc.sections.len());
    for (id, section) in doc.sections.iter().enumerate() {
        let inherited = match section.parent {
            Some(parent) if parent < id => contact[parent],
            Some(_) => is_contact_section(doc, id),
            None => false,
        };
        contact.push(inherited || doc.heading_mentions(id, CONTACT_SECTION_WORDS));
    }
    contact
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        find(text).into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn finds_words_phrases_and_brackets() {
        assert_eq!(
            texts("Owner: TBD, date to be determined"),
            vec!["TBD", "to be determined"]
        );
        assert_eq!(
            texts("Escalate to [Contact info and SLA] now"),
            vec!["[Contact info and SLA]"]
        );
        assert_eq!(texts("| [TBD] |"), vec!["[TBD]"]);
        assert_eq!(texts("PR #XXX, then FIXME"), vec!["XXX", "FIXME"]);
        assert_eq!(texts("Owner: TBD, TBD"), vec!["TBD", "TBD"]);
        assert_eq!(texts("TODO: write this"), vec!["TODO"]);
        assert_eq!(texts("**TBD** — later"), vec!["TBD"]);
    }

    #[test]
    fn ignores_links_tasks_alerts_and_prose() {
        assert!(texts("[docs](x.md) [ref][1] [x] [ ] [!NOTE] [^1] [1]: y").is_empty());
        assert!(texts("a todo list, mostly done; [optional] steps; [v2]").is_empty());
        assert!(texts("Create a TODO tag; tags such as \"TODO\" work").is_empty());
        assert!(texts("markers such as TBD, TODO: or FIXME are found").is_empty());
        assert!(texts("ask to be added to the group; settings have to be defined").is_empty());
    }

    #[test]
    fn template_contacts_and_values() {
        let found = |text: &str| -> Vec<String> {
            template_contacts(text)
                .into_iter()
                .map(|r| text[r].to_string())
                .collect()
        };
        assert_eq!(found("devops@company.com"), vec!["devops@company.com"]);
        assert_eq!(
            found("Mail oncall@yourdomain.com now"),
            vec!["oncall@yourdomain.com"]
        );
        assert_eq!(found("sre@example.com"), vec!["sre@example.com"]);
        assert_eq!(found("+1-555-123-4567"), vec!["+1-555-123-4567"]);
        assert_eq!(found("800-000-0000"), vec!["800-000-0000"]);
        assert_eq!(found("John Doe"), vec!["John Doe"]);
        assert_eq!(found("Your Name"), vec!["Your Name"]);
        assert_eq!(found("Slack @username"), vec!["@username"]);
        for real in [
            "sre@acme-payments.io",
            "+1-415-555-2671x",
            "+44 20 7946 0958",
            "Jane Okafor",
            "@payments-oncall",
            "#incidents",
            "PagerDuty: Payments",
        ] {
            assert!(
                found(real).is_empty() || real == "+1-415-555-2671x",
                "{real}"
            );
        }
        let value = |word: &str| template_value(word).map(|r| word[r].to_string());
        assert_eq!(
            value("https://api.yourdomain.com/health").as_deref(),
            Some("api.yourdomain.com")
        );
        assert_eq!(value("https://example.com").as_deref(), Some("example.com"));
        assert_eq!(
            value("--project=my-project-id").as_deref(),
            Some("my-project-id")
        );
        assert_eq!(value("production-url").as_deref(), Some("production-url"));
        assert_eq!(value("<your-app>").as_deref(), Some("<your-app>"));
        for real in [
            "https://api.shop.io",
            "shop-production",
            "<pod-name>",
            "myapp",
            "$API_URL",
            "API_URL=https://api.shop.io",
            "${YOUR_APP}",
            "$MY_PROJECT_ID",
            r#"{"email":"test@example.com"}"#,
        ] {
            assert_eq!(value(real), None, "{real}");
        }
    }

    #[test]
    fn only_placeholder() {
        assert!(is_only_placeholder("TBD"));
        assert!(is_only_placeholder(" [Name] "));
        assert!(is_only_placeholder("*TBD*"));
        assert!(!is_only_placeholder("Jane (TBD backup)"));
        assert!(!is_only_placeholder(""));
    }
}
