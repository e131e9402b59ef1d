use super::{placeholders, Cx};
use crate::document::{BlockKind, TextBlock};
use crate::span::Span;

declare_rule! {
    /// ## What it does
    /// In a contacts, escalation, on-call or owners section, reports a table cell or list item
    /// that is empty, `TBD`-like or a bracketed placeholder such as `[Name]`.
    ///
    /// A value copied from a template is as unreachable as `TBD`: addresses at `example.com`,
    /// `company.com` or `yourdomain.com`, `555` and zero-filled phone numbers, `John Doe`,
    /// `Your Name`, `@username`.
    ///
    /// Empty cells in note or comment columns are fine, and so is a section that shows the
    /// format (its heading says template, example, sample or format).
    ///
    /// ## Why is this bad?
    /// The escalation table is what an engineer reads when the runbook did not work. A `TBD`
    /// there means nobody to call.
    ///
    /// ## Example
    /// ```markdown
    /// ## Escalation
    /// | Role     | Contact |
    /// |----------|---------|
    /// | On-call  | [TBD]   |
    /// ```
    ///
    /// ```markdown
    /// ## On-call
    /// - Primary: John Doe, devops@company.com, +1-555-0100
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// | On-call  | @payments-oncall in PagerDuty |
    /// ```
    pub struct PlaceholderContact {
        id: "placeholder-contact",
        severity: Error,
        summary: "an empty or placeholder entry in a contacts, escalation or on-call section",
    }
}

/// Columns that may be left empty.
const OPTIONAL_COLUMNS: &[&str] = &[
    "note",
    "notes",
    "comment",
    "comments",
    "remarks",
    "description",
    "optional",
    "details",
];

impl PlaceholderContact {
    fn run(&self, cx: &mut Cx<'_, '_>) {
        let doc = cx.doc;
        let contact = placeholders::contact_sections(doc);
        let is_contact = |section: usize| {
            contact.get(section).copied().unwrap_or(false)
                && !placeholders::is_example_section(doc, section)
        };
        for table in &doc.tables {
            if !is_contact(table.section) {
                continue;
            }
            for row in &table.rows {
                let row_label = row.first().map(|c| c.text.as_str()).unwrap_or("");
                for (column, cell) in row.iter().enumerate() {
                    let header = table
                        .header
                        .get(column)
                        .map(|h| h.text.to_lowercase())
                        .unwrap_or_default();
                    let optional = OPTIONAL_COLUMNS
                        .iter()
                        .any(|w| header.split_whitespace().any(|h| h == *w));
                    let shows_format = EXAMPLE_COLUMNS
                        .iter()
                        .any(|w| header.split_whitespace().any(|h| h == *w));
                    let what = if header.is_empty() {
                        "entry".to_string()
                    } else {
                        format!("`{}`", table.header[column].text)
                    };
                    let row_text = if row_label.is_empty() || column == 0 {
                        String::new()
                    } else {
                        format!(" for `{row_label}`")
                    };
                    if cell.text.is_empty() {
                        if !optional {
                            cx.report(
                                cell.span,
                                format!("empty {what}{row_text} in contacts table"),
                            )
                            .help("fill in a reachable person, rota or channel, or remove the row");
                        }
                    } else if placeholders::is_only_placeholder(&cell.text)
                        || cell_block(doc, cell.span).is_some_and(|block| {
                            !placeholders::in_block(doc, cx.source, block).is_empty()
                        })
                    {
                        cx.report(cell.span, format!("placeholder {what}{row_text} in contacts table: `{}`", cell.text)).help("replace it with a reachable person, rota or channel before this runbook is needed");
                    } else if !shows_format {
                        if let Some((span, value)) = template_contact(cx.source, cell.span) {
                            cx.report(span, format!("template {what}{row_text} in contacts table: `{value}`"))
                                .help(TEMPLATE_HELP);
                        }
                    }
                }
            }
        }
        for block in &doc.text_blocks {
            if !matches!(block.kind, BlockKind::ListItem | BlockKind::ChecklistItem)
                || !is_contact(block.section)
            {
                continue;
            }
            let found = placeholders::in_block(doc, cx.source, block);
            if let Some((span, text)) = found.first() {
                cx.report(*span, format!("placeholder contact `{text}`")).help("replace it with a reachable person, rota or channel before this runbook is needed");
            } else if let Some((span, value)) = template_contact(cx.source, block.span) {
                cx.report(span, format!("template contact `{value}`"))
                    .help(TEMPLATE_HELP);
            } else if let Some((label, value)) = block.text.split_once(':') {
                // `- Primary on-call:` with nothing after the colon.
                if value.trim().is_empty()
                    && !label.trim().is_empty()
                    && label.len() < 40
                    && !has_nested_items(cx.source, block.span.end)
                {
                    cx.report(block.span, format!("empty contact `{}`", label.trim()))
                        .help("fill in a reachable person, rota or channel");
                }
            }
        }
    }
}

/// Columns that show what an entry looks like.
const EXAMPLE_COLUMNS: &[&str] = &["example", "examples", "format", "sample"];

const TEMPLATE_HELP: &str =
    "this value was copied from a template; replace it with a reachable person, rota or channel";

/// The first template value (`devops@company.com`, `+1-555-0100`, `John Doe`) written in the
/// source at `span`, with its own span.
fn template_contact(source: &str, span: Span) -> Option<(Span, String)> {
    let text = source.get(span.start..span.end)?;
    let range = placeholders::template_contacts(text).into_iter().next()?;
    Some((
        Span::new(span.start + range.start, span.start + range.end),
        text[range].to_string(),
    ))
}

/// The text block of a table cell (same span), whose code spans and links are known: a
/// placeholder inside code or a resolved link is not an unfilled contact, a cell that is
/// nothing but a placeholder (`[TBD]`, in code or not) is.
fn cell_block(doc: &crate::document::Document, span: crate::span::Span) -> Option<&TextBlock> {
    let at = doc
        .text_blocks
        .partition_point(|b| b.span.start < span.start);
    doc.text_blocks
        .get(at)
        .filter(|b| b.span == span && b.kind == BlockKind::TableCell)
}

/// True when the lines after `offset` continue the list item with deeper-indented content
/// (`- Escalation:` followed by nested items is a heading, not an empty value).
fn has_nested_items(source: &str, offset: usize) -> bool {
    let offset = crate::text::floor_boundary(source, offset);
    let line_start = source[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let indent = |line: &str| line.len() - line.trim_start().len();
    let own_indent = indent(&source[line_start..]);
    source[offset..]
        .lines()
        .skip(1)
        .find(|line| !line.trim().is_empty())
        .is_some_and(|next| indent(next) > own_indent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, project};

    #[test]
    fn finds_placeholders_and_empty_values_in_contact_sections() {
        let markdown = "## Escalation\n\n| Role | Contact | Notes |\n|---|---|---|\n| Lead | [TBD] | |\n| DBA | Sam | |\n\n- Primary on-call:\n- Secondary: [Name]\n- Escalation path:\n  - Sam\n\n## Other\n\n| A | B |\n|---|---|\n| x | |\n";
        let found: Vec<usize> = check(&PlaceholderContact, markdown, &project(&[], &[]))
            .into_iter()
            .map(|(line, _)| line)
            .collect();
        assert_eq!(found, vec![5, 8, 9]);
    }

    #[test]
    fn resolved_links_and_code_in_contact_tables_are_filled_in() {
        let markdown = "## Contacts\n\n| Role | Contact |\n|---|---|\n| Primary | [On-call rota][rota] |\n| Secondary | [on-call rotation] |\n| Field | see `[Name]` in the form |\n| Code | `[TBD]` |\n\n- Lead: [Team lead][lead]\n\n[rota]: https://pagerduty.example.com\n[on-call rotation]: https://pagerduty.example.com/r\n[lead]: https://example.com/lead\n";
        let found = check(&PlaceholderContact, markdown, &project(&[], &[]));
        assert_eq!(
            found,
            vec![(
                8,
                "placeholder `Contact` for `Code` in contacts table: `[TBD]`".to_string()
            )]
        );
    }
}
