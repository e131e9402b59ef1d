//! `--format concise`: `path:line:col: severity[rule] message`, one line per finding, for
//! editors' problem matchers and grep. Messages only: never source text.

use crate::engine::CheckResult;

/// One line per finding.
pub fn render(result: &CheckResult) -> String {
    let mut out = String::new();
    for file in &result.files {
        for f in &file.findings {
            out.push_str(&format!(
                "{}:{}:{}: {}[{}] {}\n",
                file.path,
                f.location.line,
                f.location.column,
                f.severity.name(),
                f.rule,
                one_line(&f.message)
            ));
        }
    }
    out
}

/// A message on one line, so one finding stays one line.
fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}
