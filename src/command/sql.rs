//! SQL statements of a SQL code block: comments removed, split at `;`, each with the span of
//! the lines it covers.

use std::sync::LazyLock;

use regex::Regex;

use super::SourceLine;
use crate::span::Span;

/// Fence languages whose content is SQL.
const SQL_LANGUAGES: &[&str] = &[
    "sql",
    "psql",
    "pgsql",
    "postgres",
    "postgresql",
    "mysql",
    "plpgsql",
    "sqlite",
];

/// True for a fence language whose content is SQL.
pub fn is_sql_language(lang: &str) -> bool {
    SQL_LANGUAGES.contains(&lang)
}

/// The statements of `lines` as `(text, span)`; `start` is where the block starts (the span of
/// an empty block).
pub fn statements(lines: &[SourceLine<'_>], start: usize) -> Vec<(String, Span)> {
    static COMMENT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"--.*$").expect("comment regex"));
    let mut statements = Vec::new();
    let mut text = String::new();
    let mut first: Option<Span> = None;
    let mut end = Span::new(start, start);
    for line in lines {
        let cleaned = COMMENT.replace(line.text, "");
        for (i, part) in cleaned.split(';').enumerate() {
            if i > 0 {
                if let Some(opened) = first.take() {
                    statements.push((std::mem::take(&mut text), Span::new(opened.start, end.end)));
                }
                text.clear();
            }
            if !part.trim().is_empty() {
                if first.is_none() {
                    first = Some(line.span_of(0, line.text.len()));
                }
                end = line.span_of(0, line.text.len());
                text.push_str(part.trim());
                text.push(' ');
            }
        }
    }
    if let Some(opened) = first {
        statements.push((text, Span::new(opened.start, end.end)));
    }
    statements
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_span_their_lines() {
        let text = "DELETE FROM a; -- all\nUPDATE b\nSET c = 1;\n";
        let mut lines = Vec::new();
        let mut offset = 0;
        for line in text.lines() {
            lines.push(SourceLine {
                text: line,
                offset,
                exact: true,
            });
            offset += line.len() + 1;
        }
        let found = statements(&lines, 0);
        let texts: Vec<&str> = found.iter().map(|(t, _)| t.trim()).collect();
        assert_eq!(texts, vec!["DELETE FROM a", "UPDATE b SET c = 1"]);
        assert_eq!(&text[found[1].1.range()], "UPDATE b\nSET c = 1;");
        assert!(is_sql_language("psql"));
    }
}
