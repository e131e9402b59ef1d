//! `--format concise`: `path:line:col: severity[rule] message`, one line per finding, for
//! editors' problem matchers and grep. Messages only: never source text.

use crate::findings::{CheckResult, FileFindings, Finding};

/// One line per finding.
pub fn render(result: &CheckResult) -> String {
    result.files.iter().map(render_file).collect()
}

/// One file's lines.
pub fn render_file(file: &FileFindings) -> String {
    let mut out = String::new();
    for finding in &file.findings {
        out.push_str(&line(&file.path, finding));
    }
    out
}

/// `path:line:col: severity[rule] message` and a newline: also the human report's fallback.
pub(crate) fn line(path: &str, finding: &Finding) -> String {
    format!(
        "{}:{}:{}: {}[{}] {}\n",
        path,
        finding.location.line,
        finding.location.column,
        finding.severity.name(),
        finding.rule,
        one_line(&finding.message)
    )
}

/// A message on one line, so one finding stays one line.
fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}
