//! `--format junit`: JUnit XML for CI dashboards, valid against the Jenkins xunit plugin's
//! JUnit schema (tested against it). One test suite per file with findings, one failed test
//! case per finding; problems that are not findings (an unreadable file, a broken config) are
//! test cases with an `<error>` in a suite of their own. A clean run is one passing case, so
//! dashboards show a run.

use std::time::Duration;

use crate::findings::{CheckResult, ToolError};

/// The JUnit XML document; `elapsed` is the run's wall time (the `time` attribute).
pub fn render(result: &CheckResult, elapsed: Duration) -> String {
    let mut out = Vec::new();
    write(result, elapsed, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("the report is UTF-8")
}

/// Writes [`render`]'s document to `sink` a file at a time, never whole in memory.
pub fn write(
    result: &CheckResult,
    elapsed: Duration,
    sink: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let failures: usize = result.files.iter().map(|f| f.findings.len()).sum();
    let errors = result.errors.len();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    // The schema's time: seconds with at most three decimals.
    out.push_str(&format!(
        "<testsuites name=\"runbook-lint\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{:.3}\">\n",
        (failures + errors).max(1),
        elapsed.as_secs_f64()
    ));
    if failures + errors == 0 {
        out.push_str(&format!(
            "  <testsuite name=\"runbook-lint\" tests=\"1\" failures=\"0\" errors=\"0\">\n    \
             <testcase name=\"{} checked\" classname=\"runbook-lint\"/>\n  </testsuite>\n",
            super::plural(result.files_checked, "file")
        ));
    }
    for file in &result.files {
        let path = escape(&file.path);
        out.push_str(&format!(
            "  <testsuite name=\"{path}\" tests=\"{n}\" failures=\"{n}\" errors=\"0\">\n",
            n = file.findings.len()
        ));
        for f in &file.findings {
            let message = escape(&f.message);
            out.push_str(&format!(
                "    <testcase name=\"{rule} at {line}:{col}\" classname=\"{path}\">\n      \
                 <failure message=\"{message}\" type=\"{severity}\">{path}:{line}:{col}: {severity}[{rule}] {message}",
                rule = escape(&f.rule),
                line = f.location.line,
                col = f.location.column,
                severity = f.severity.name(),
            ));
            if let Some(help) = &f.help {
                out.push_str(&format!("\nhelp: {}", escape(help)));
            }
            out.push_str("</failure>\n    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
        sink.write_all(out.as_bytes())?;
        out.clear();
    }
    if errors > 0 {
        out.push_str(&format!(
            "  <testsuite name=\"runbook-lint\" tests=\"{errors}\" failures=\"0\" errors=\"{errors}\">\n"
        ));
        for error in &result.errors {
            let (kind, subject) = describe(error);
            let message = escape(&error.to_string());
            out.push_str(&format!(
                "    <testcase name=\"{}\" classname=\"runbook-lint\">\n      \
                 <error message=\"{message}\" type=\"{kind}\">{message}</error>\n    </testcase>\n",
                escape(&subject)
            ));
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    sink.write_all(out.as_bytes())
}

/// The kind of a problem and what it is about (a path).
fn describe(error: &ToolError) -> (&'static str, String) {
    match error {
        ToolError::Config(config) => ("config", config.path.clone()),
        ToolError::Io { path, .. } => ("io", path.clone()),
        ToolError::Internal { path, .. } => ("internal", path.clone()),
        ToolError::Usage(_) => ("usage", "command line".to_string()),
    }
}

/// XML attribute and text escaping; control characters XML 1.0 cannot hold are dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<a href=\"x\">&'\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;"
        );
    }
}
