//! `--format json`: typed structs, so the contract cannot drift by accident.

use serde::Serialize;

use crate::findings::{CheckResult, FileFindings, Finding};

/// The whole report.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    /// Contract version.
    pub version: u32,
    /// Markdown files linted.
    pub files_checked: usize,
    /// Findings sorted by path, line, column, rule.
    pub diagnostics: Diagnostics<'a>,
    /// Counts by severity.
    pub summary: JsonSummary,
}

/// One finding.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    /// Rule id.
    pub rule: &'a str,
    /// `error`, `warning` or `info`.
    pub severity: &'a str,
    /// Path relative to the working directory, `/`-separated.
    pub path: &'a str,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// 1-based end line.
    pub end_line: usize,
    /// 1-based end column (exclusive), in characters.
    pub end_column: usize,
    /// What is wrong.
    pub message: &'a str,
    /// How to fix it, or null.
    pub help: Option<&'a str>,
    /// Edits that fix it; absent when the rule offers none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<JsonFix<'a>>,
}

/// A finding's fix: its edits apply together.
#[derive(Debug, Serialize)]
pub struct JsonFix<'a> {
    /// `safe` (`check --fix` applies it) or `unsafe` (only with `--unsafe-fixes`).
    pub applicability: &'a str,
    /// What it does.
    pub description: &'a str,
    /// The edits, in the text as it was linted.
    pub edits: Vec<JsonEdit<'a>>,
}

/// Replace the text from (line, column) to (end_line, end_column) with `content`.
#[derive(Debug, Serialize)]
pub struct JsonEdit<'a> {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// 1-based end line.
    pub end_line: usize,
    /// 1-based end column (exclusive), in characters.
    pub end_column: usize,
    /// The new text.
    pub content: &'a str,
}

/// Counts by severity.
#[derive(Debug, Serialize)]
pub struct JsonSummary {
    /// Error findings.
    pub errors: usize,
    /// Warning findings.
    pub warnings: usize,
    /// Info findings.
    pub infos: usize,
}

/// One finding as its report entry.
fn diagnostic<'a>(file: &'a FileFindings, f: &'a Finding) -> JsonDiagnostic<'a> {
    JsonDiagnostic {
        rule: &f.rule,
        severity: f.severity.name(),
        path: &file.path,
        line: f.location.line,
        column: f.location.column,
        end_line: f.location.end_line,
        end_column: f.location.end_column,
        message: &f.message,
        help: f.help.as_deref(),
        fix: f.fix.as_ref().map(|fix| JsonFix {
            applicability: fix.applicability.name(),
            description: &fix.description,
            edits: fix
                .edits
                .iter()
                .zip(&f.fix_locations)
                .map(|(edit, at)| JsonEdit {
                    line: at.line,
                    column: at.column,
                    end_line: at.end_line,
                    end_column: at.end_column,
                    content: &edit.replacement,
                })
                .collect(),
        }),
    }
}

/// Every finding of a result as [`JsonDiagnostic`]s, made one at a time as they are written
/// rather than collected first (80 000 findings made 12 MB of them).
#[derive(Debug)]
pub struct Diagnostics<'a>(&'a CheckResult);

impl Serialize for Diagnostics<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.0
                .files
                .iter()
                .flat_map(|file| file.findings.iter().map(move |f| diagnostic(file, f))),
        )
    }
}

/// One file's entries of the report's `diagnostics` array exactly as [`render`] prints them
/// (pretty, indented for their depth, separated by `,\n`), for a report whose entries are
/// spooled as the files are linted ([`write_around`]); empty for a file without findings.
pub fn file_entries(file: &FileFindings) -> String {
    let mut out = String::new();
    for (i, f) in file.findings.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        let entry = serde_json::to_string_pretty(&diagnostic(file, f)).expect("serialises");
        // JSON strings hold no raw line break, so every line break is the formatter's.
        for (n, line) in entry.split('\n').enumerate() {
            if n > 0 {
                out.push('\n');
            }
            out.push_str("    ");
            out.push_str(line);
        }
    }
    out
}

/// Writes [`render`]'s report for `result` (its totals; its findings are not read) around
/// the `diagnostics` entries in `entries`: every file's [`file_entries`], in order, joined
/// by `,\n`.
pub fn write_around(
    result: &CheckResult,
    entries: &mut dyn std::io::Read,
    any: bool,
    sink: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let (errors, warnings, infos) = result.counts();
    let frame = JsonReport {
        version: 1,
        files_checked: result.files_checked,
        diagnostics: Diagnostics(&CheckResult::default()),
        summary: JsonSummary {
            errors,
            warnings,
            infos,
        },
    };
    let frame = serde_json::to_string_pretty(&frame).map_err(std::io::Error::other)?;
    let empty = "\"diagnostics\": []";
    let at = frame
        .find(empty)
        .expect("the frame has an empty diagnostics array")
        + empty.len()
        - 1;
    let (head, tail) = frame.split_at(at);
    sink.write_all(head.as_bytes())?;
    if any {
        sink.write_all(b"\n")?;
        std::io::copy(entries, sink)?;
        sink.write_all(b"\n  ")?;
    }
    sink.write_all(tail.as_bytes())?;
    sink.write_all(b"\n")
}

/// The JSON report as a string, with a trailing newline.
pub fn render(result: &CheckResult) -> String {
    let mut out = Vec::new();
    write(result, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// Writes [`render`]'s report to `sink` as it is serialised, never whole in memory.
pub fn write(result: &CheckResult, sink: &mut dyn std::io::Write) -> std::io::Result<()> {
    let (errors, warnings, infos) = result.counts();
    let report = JsonReport {
        version: 1,
        files_checked: result.files_checked,
        diagnostics: Diagnostics(result),
        summary: JsonSummary {
            errors,
            warnings,
            infos,
        },
    };
    serde_json::to_writer_pretty(&mut *sink, &report)?;
    sink.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::span::{Location, Span};

    fn file(path: &str, findings: usize) -> FileFindings {
        let finding = |n: usize| Finding {
            rule: "missing-script".to_string(),
            severity: Severity::Error,
            span: Span::new(0, 1),
            location: Location {
                line: n + 1,
                column: 1,
                end_line: n + 1,
                end_column: 2,
            },
            message: format!("script `x{n}` \"quoted\"\tnot found"),
            label: None,
            help: n.is_multiple_of(2).then(|| "add it\nor fix it".to_string()),
            fix: None,
            fix_locations: Vec::new(),
            checked: None,
        };
        FileFindings {
            path: path.to_string(),
            source: std::sync::Arc::from(""),
            findings: (0..findings).map(finding).collect(),
            fixed: None,
        }
    }

    #[test]
    fn spooled_entries_make_the_same_report() {
        for files in [
            vec![],
            vec![file("a.md", 1)],
            vec![file("a.md", 3), file("b/c.md", 2)],
        ] {
            let result = CheckResult {
                files,
                files_checked: 7,
                ..CheckResult::default()
            };
            let entries: Vec<String> = result.files.iter().map(file_entries).collect();
            let joined = entries.join(",\n");
            let mut out = Vec::new();
            write_around(
                &result,
                &mut joined.as_bytes(),
                !joined.is_empty(),
                &mut out,
            )
            .unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), render(&result));
        }
    }
}
