//! `--format json`: typed structs, so the contract cannot drift by accident.

use serde::Serialize;

use crate::findings::CheckResult;

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

/// Every finding of a result as [`JsonDiagnostic`]s, made one at a time as they are written
/// rather than collected first (80 000 findings made 12 MB of them).
#[derive(Debug)]
pub struct Diagnostics<'a>(&'a CheckResult);

impl Serialize for Diagnostics<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.files.iter().flat_map(|file| {
            file.findings.iter().map(move |f| JsonDiagnostic {
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
            })
        }))
    }
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
