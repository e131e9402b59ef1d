//! `--format github`: GitHub Actions workflow commands, which become annotations on the PR diff.
//!
//! `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=rule::message`. GitHub's
//! escaping: in the message `%`, `\r` and `\n`; in property values also `:` and `,`, which
//! would otherwise end the value.

use crate::diagnostic::Severity;
use crate::findings::{CheckResult, FileFindings};

/// One workflow command per finding.
pub fn render(result: &CheckResult) -> String {
    result.files.iter().map(render_file).collect()
}

/// One file's workflow commands.
pub fn render_file(file: &FileFindings) -> String {
    let mut out = String::new();
    for f in &file.findings {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = f.message.clone();
        if let Some(help) = &f.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            escape_property(&file.path),
            f.location.line,
            f.location.column,
            f.location.end_line,
            f.location.end_column,
            escape_property(&f.rule),
            escape_data(&message)
        ));
    }
    out
}

/// Escapes a message (the part after `::`).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`).
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_github_requires() {
        assert_eq!(escape_data("100% done\r\nnext"), "100%25 done%0D%0Anext");
        // `:` and `,` are fine in data but end a property value.
        assert_eq!(escape_data("a: b, c"), "a: b, c");
        assert_eq!(
            escape_property("docs/a:b,c%.md\n"),
            "docs/a%3Ab%2Cc%25.md%0A"
        );
        // `%` first, so the escapes themselves are not escaped twice.
        assert_eq!(escape_property("%3A"), "%253A");
    }
}
