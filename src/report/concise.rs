//! `--format concise`: `path:line:col: severity[rule] message`, one line per finding, for
//! editors' problem matchers and grep. Messages only: never source text.

use crate::findings::{CheckResult, Finding};

/// One line per finding.
pub fn render(result: &CheckResult) -> String {
    let mut out = String::new();
    for file in &result.files {
        for finding in &file.findings {
            out.push_str(&line(&file.path, finding));
        }
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
