//! Findings as LSP diagnostics, hover text and code actions.

use std::collections::HashMap;
use std::path::Path;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Command, Hover,
    HoverContents, HoverParams, MarkupContent, MarkupKind, NumberOrString, TextEdit, Uri,
    WorkspaceEdit,
};

use super::convert::Lines;
use super::{Server, OPEN_COMMAND};
use crate::diagnostic::Severity;
use crate::document::{Document, ParseOptions};
use crate::engine::Finding;
use crate::fix::{Applicability, FixMode};
use crate::span::Span;

/// `source.fixAll.runbook-lint`: every safe fix of the document.
pub fn fix_all_kind() -> CodeActionKind {
    CodeActionKind::new("source.fixAll.runbook-lint")
}

/// A finding as an LSP diagnostic: the help under the message, the rule's page as
/// `codeDescription`, the manifest it was checked against as related information.
pub fn diagnostic(
    finding: &Finding,
    lines: &Lines<'_>,
    root: Option<&Path>,
) -> lsp_types::Diagnostic {
    let mut message = finding.message.clone();
    if let Some(help) = &finding.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let code_description = is_builtin(&finding.rule)
        .then(|| crate::ruledocs::url(&finding.rule))
        .flatten()
        .and_then(|url| url.parse().ok())
        .map(|href| lsp_types::CodeDescription { href });
    let related_information = manifest_uri(finding, root).map(|uri| {
        vec![lsp_types::DiagnosticRelatedInformation {
            location: lsp_types::Location {
                uri,
                range: lsp_types::Range::default(),
            },
            message: format!(
                "checked against {}",
                finding.checked.as_deref().unwrap_or_default()
            ),
        }]
    });
    lsp_types::Diagnostic {
        range: lines.range(finding.span),
        severity: Some(match finding.severity {
            Severity::Error => lsp_types::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp_types::DiagnosticSeverity::WARNING,
            Severity::Info => lsp_types::DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(finding.rule.clone())),
        code_description,
        source: Some("runbook-lint".to_string()),
        message,
        related_information,
        tags: None,
        data: None,
    }
}

fn is_builtin(rule: &str) -> bool {
    crate::rules::builtin_rules()
        .iter()
        .any(|r| r.meta().id == rule)
        || crate::rules::ENGINE_RULES.iter().any(|m| m.id == rule)
}

fn manifest_uri(finding: &Finding, root: Option<&Path>) -> Option<Uri> {
    super::convert::path_to_uri(&root?.join(finding.checked.as_deref()?))
}

impl Server {
    pub(super) fn hover(&mut self, params: HoverParams) -> Option<Hover> {
        let uri = params.text_document_position_params.text_document.uri;
        let findings = self.findings(&uri)?;
        let doc = self.documents.get(&uri)?;
        let project = self.project_of(doc)?;
        let lines = Lines::new(&doc.text, self.encoding);
        let offset = lines.offset(params.text_document_position_params.position);
        let here: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.span.start <= offset && offset <= f.span.end)
            .collect();
        let first = here.first()?;
        let mut text = String::new();
        for finding in &here {
            if !text.is_empty() {
                text.push_str("\n\n---\n\n");
            }
            text.push_str(&format!(
                "**{}** ({}): {}",
                finding.rule,
                finding.severity.name(),
                finding.message
            ));
            if let Some(help) = &finding.help {
                text.push_str(&format!("\n\nhelp: {help}"));
            }
            let docs = project
                .rules()
                .iter()
                .map(|r| r.meta())
                .chain(crate::rules::ENGINE_RULES.iter().copied())
                .find(|m| m.id == finding.rule)
                .map(|m| crate::rules::docs_text(m.docs));
            if let Some(docs) = docs.filter(|d| !d.is_empty()) {
                // Rule docs use `##` headings; inside a hover they read better a level down.
                text.push_str("\n\n");
                text.push_str(&docs.replace("\n## ", "\n#### ").replacen("## ", "#### ", 1));
            }
            if let Some(url) =
                crate::ruledocs::url(&finding.rule).filter(|_| is_builtin(&finding.rule))
            {
                text.push_str(&format!("\n\n[{} documentation]({url})", finding.rule));
            }
        }
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: text,
            }),
            range: Some(lines.range(first.span)),
        })
    }

    pub(super) fn code_actions(&mut self, params: CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = params.text_document.uri;
        let Some(findings) = self.findings(&uri) else {
            return Vec::new();
        };
        let Some(doc) = self.documents.get(&uri) else {
            return Vec::new();
        };
        let lines = Lines::new(&doc.text, self.encoding);
        let wanted = |kind: &CodeActionKind| {
            params.context.only.as_ref().is_none_or(|only| {
                only.iter().any(|o| {
                    kind.as_str() == o.as_str()
                        || kind.as_str().starts_with(&format!("{}.", o.as_str()))
                })
            })
        };
        let range = lines.span(params.range);
        let mut actions = Vec::new();
        if wanted(&CodeActionKind::QUICKFIX) {
            let model = Document::parse(&doc.text, &ParseOptions::default());
            for finding in findings
                .iter()
                .filter(|f| f.span.start <= range.end && range.start <= f.span.end)
            {
                let diagnostic = diagnostic(finding, &lines, doc.root.as_deref());
                if let Some(fix) = &finding.fix {
                    let edits = fix
                        .edits
                        .iter()
                        .map(|e| TextEdit::new(lines.range(e.span), e.replacement.clone()))
                        .collect();
                    let title = match fix.applicability {
                        Applicability::Safe => fix.description.clone(),
                        Applicability::Unsafe => {
                            format!("{} (unsafe fix: check it)", fix.description)
                        }
                    };
                    actions.push(action(
                        title,
                        &uri,
                        edits,
                        &diagnostic,
                        fix.applicability == Applicability::Safe,
                    ));
                }
                let edits = suppress_edits(&doc.text, &model, finding.span, &finding.rule)
                    .into_iter()
                    .map(|(at, text)| TextEdit::new(lines.range(Span::new(at, at)), text))
                    .collect();
                actions.push(action(
                    format!("Disable {} for this line", finding.rule),
                    &uri,
                    edits,
                    &diagnostic,
                    false,
                ));
                if let Some(manifest) = manifest_uri(finding, doc.root.as_deref()) {
                    let name = finding.checked.as_deref().unwrap_or_default();
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: format!("Open {name} (checked by {})", finding.rule),
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: Some(vec![diagnostic.clone()]),
                        command: Some(Command {
                            title: format!("Open {name}"),
                            command: OPEN_COMMAND.to_string(),
                            arguments: Some(vec![serde_json::Value::String(
                                manifest.as_str().to_string(),
                            )]),
                        }),
                        ..Default::default()
                    }));
                }
            }
        }
        let kind = fix_all_kind();
        let any_safe = findings.iter().any(|f| {
            f.fix
                .as_ref()
                .is_some_and(|x| x.applicability == Applicability::Safe)
        });
        if any_safe && wanted(&kind) {
            if let Some(project) = self.project_of(doc) {
                let fixed = project.fix(&doc.text, &super::relative_path(doc), FixMode::Safe);
                if fixed.applied > 0 {
                    let whole = lines.range(Span::new(0, doc.text.len()));
                    let mut changes = HashMap::new();
                    changes.insert(uri.clone(), vec![TextEdit::new(whole, fixed.text)]);
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: format!("Apply {} safe runbook-lint fixes", fixed.applied),
                        kind: Some(kind),
                        edit: Some(WorkspaceEdit::new(changes)),
                        ..Default::default()
                    }));
                }
            }
        }
        actions
    }
}

fn action(
    title: String,
    uri: &Uri,
    edits: Vec<TextEdit>,
    diagnostic: &lsp_types::Diagnostic,
    preferred: bool,
) -> CodeActionOrCommand {
    let mut changes = HashMap::new();
    changes.insert(uri.clone(), edits);
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        edit: Some(WorkspaceEdit::new(changes)),
        is_preferred: preferred.then_some(true),
        ..Default::default()
    })
}

/// Insertions (offset, text) that suppress `rule` at `span`: a
/// `disable-next-line` comment above the line, or, inside a code block or a table (where a
/// comment line would become code or break the table), `disable` / `enable` around it.
pub fn suppress_edits(text: &str, doc: &Document, span: Span, rule: &str) -> Vec<(usize, String)> {
    let block = doc
        .code_blocks
        .iter()
        .filter(|b| !b.indented)
        .map(|b| b.span)
        .chain(doc.tables.iter().map(|t| t.span))
        .find(|b| b.contains(span) || (b.start <= span.start && span.start < b.end));
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    match block {
        Some(block) => {
            let start = line_start(text, block.start);
            let prefix = line_prefix(text, start);
            // After the block's last line.
            let last = block.end.max(block.start + 1) - 1;
            let end = text[last..]
                .find('\n')
                .map(|i| last + i + 1)
                .unwrap_or(text.len());
            let close = if end == text.len() && !text.ends_with('\n') {
                format!("{newline}{prefix}<!-- runbook-lint-enable {rule} -->")
            } else {
                format!("{prefix}<!-- runbook-lint-enable {rule} -->{newline}")
            };
            vec![
                (
                    start,
                    format!("{prefix}<!-- runbook-lint-disable {rule} -->{newline}"),
                ),
                (end, close),
            ]
        }
        None => {
            let start = line_start(text, span.start);
            let prefix = line_prefix(text, start);
            vec![(
                start,
                format!("{prefix}<!-- runbook-lint-disable-next-line {rule} -->{newline}"),
            )]
        }
    }
}

fn line_start(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0)
}

/// The indentation and block-quote markers a line starts with: a comment placed before it
/// stays inside the same quote or list item.
fn line_prefix(text: &str, start: usize) -> &str {
    let line = &text[start..];
    let end = line
        .find(|c: char| !(c == ' ' || c == '\t' || c == '>'))
        .unwrap_or(line.len());
    &line[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, edits: &[(usize, String)]) -> String {
        let mut out = text.to_string();
        for (at, insert) in edits.iter().rev() {
            out.insert_str(*at, insert);
        }
        out
    }

    fn suppressed(text: &str, needle: &str) -> String {
        let doc = Document::parse(text, &ParseOptions::default());
        let start = text.find(needle).unwrap();
        let edits = suppress_edits(
            text,
            &doc,
            Span::new(start, start + needle.len()),
            "missing-script",
        );
        apply(text, &edits)
    }

    #[test]
    fn a_comment_above_the_line_keeps_its_indentation() {
        assert_eq!(
            suppressed("# Run\n\n- [ ] step\n  - [ ] `pnpm x`\n", "pnpm x"),
            "# Run\n\n- [ ] step\n  <!-- runbook-lint-disable-next-line missing-script -->\n  - [ ] `pnpm x`\n"
        );
        assert_eq!(
            suppressed("> Run `pnpm x`\r\n", "pnpm x"),
            "> <!-- runbook-lint-disable-next-line missing-script -->\r\n> Run `pnpm x`\r\n"
        );
    }

    #[test]
    fn code_blocks_are_wrapped_not_broken() {
        assert_eq!(
            suppressed("Steps:\n\n```bash\npnpm x\n```\nafter\n", "pnpm x"),
            "Steps:\n\n<!-- runbook-lint-disable missing-script -->\n```bash\npnpm x\n```\n<!-- runbook-lint-enable missing-script -->\nafter\n"
        );
        assert_eq!(
            suppressed("```bash\npnpm x\n```", "pnpm x"),
            "<!-- runbook-lint-disable missing-script -->\n```bash\npnpm x\n```\n<!-- runbook-lint-enable missing-script -->"
        );
    }
}
