//! Human output: one miette diagnostic per finding, with the source line underlined.

use std::fmt;
use std::sync::Arc;

use miette::{Diagnostic as MietteDiagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan};

use super::window::WindowedSource;

use crate::diagnostic::Severity;
use crate::findings::{CheckResult, Finding};

/// A finding dressed for miette.
struct Rendered<'a> {
    finding: &'a Finding,
    source: Arc<WindowedSource>,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl MietteDiagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.finding.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.finding
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&*self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.finding.span;
        let label = LabeledSpan::new_primary_with_span(
            self.finding.label.clone(),
            (span.start, span.len()),
        );
        Some(Box::new(std::iter::once(label)))
    }
}

/// Renders every finding; the summary line is printed separately (to stderr).
pub fn render(result: &CheckResult, color: bool) -> String {
    let handler = handler(color);
    // Files render independently (in parallel), then join in path order: the output does
    // not depend on the thread count.
    // Chunks bound the memory held by rendered-but-not-yet-joined parts.
    use rayon::prelude::*;
    let mut out = String::new();
    for chunk in result.files.chunks(256) {
        let parts: Vec<String> = chunk
            .par_iter()
            .map(|file| render_isolated(&handler, file))
            .collect();
        for part in parts {
            out.push_str(&part);
        }
    }
    out
}

/// One file's part of the report, as [`render`] writes it: for reports written while the
/// rest is still being linted.
pub fn render_one(file: &crate::findings::FileFindings, color: bool) -> String {
    render_isolated(&handler(color), file)
}

fn handler(color: bool) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false)
        .with_context_lines(1)
}

/// A bug in rendering one file's excerpts costs its excerpts, not the report.
fn render_isolated(
    handler: &GraphicalReportHandler,
    file: &crate::findings::FileFindings,
) -> String {
    crate::robust::isolated(|| render_file(handler, file)).unwrap_or_else(|_| {
        file.findings
            .iter()
            .map(|f| super::concise::line(&file.path, f))
            .collect()
    })
}

fn render_file(handler: &GraphicalReportHandler, file: &crate::findings::FileFindings) -> String {
    let mut out = String::new();
    let source = Arc::new(WindowedSource::new(&file.path, file.source.clone()));
    for finding in &file.findings {
        let rendered = Rendered {
            finding,
            source: source.clone(),
        };
        if handler.render_report(&mut out, &rendered).is_err() {
            // Rendering can only fail on a formatter error; fall back to one line.
            out.push_str(&super::concise::line(&file.path, finding));
        }
        out.push('\n');
    }
    out
}

/// "3 errors, 2 warnings in 14 files" / "no problems in 14 files".
pub fn summary(result: &CheckResult) -> String {
    let (errors, warnings, infos) = result.counts();
    let files = super::plural(result.files_checked, "file");
    // A path that could not be read is not a clean run: say so rather than "no problems".
    let unreadable = if result.errors.is_empty() {
        String::new()
    } else {
        format!(
            "; {} not checked",
            super::plural(result.errors.len(), "path")
        )
    };
    if errors + warnings + infos == 0 {
        if !unreadable.is_empty() {
            return format!("no findings in {files}{unreadable}");
        }
        return format!("no problems found in {files}");
    }
    let mut parts = vec![
        super::plural(errors, "error"),
        super::plural(warnings, "warning"),
    ];
    if infos > 0 {
        parts.push(super::plural(infos, "info"));
    }
    format!("{} in {files}{unreadable}", parts.join(", "))
}
