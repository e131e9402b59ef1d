use super::{placeholders, Cx};
use crate::document::{BlockKind, EnvContext};
use crate::span::Span;

declare_rule! {
    /// ## What it does
    /// Finds text nobody filled in: `TBD`, `TBA`, `TODO`, `FIXME`, `XXX`, "to be determined",
    /// and bracketed placeholders such as `[Contact info and SLA]`, in prose, headings, list
    /// and checklist items and table cells.
    ///
    /// Code is data, so inline code and code blocks are not searched for these words
    /// (`grep -E '(TODO|CHANGEME)' .env` is fine), nor are `<angle-bracket>` parameters of
    /// commands. Contact tables and lists are left to `placeholder-contact`.
    ///
    /// In a production, staging or rollback step, a host, URL or name copied from a template
    /// is unresolved too:
    /// `api.yourdomain.com`, `https://example.com`, `production-url`, `<your-app>`,
    /// `my-project-id`, in a command's arguments, its environment assignments or an `.env`
    /// block. A shell variable is how a runbook leaves the value to the reader, and a
    /// section that shows the format (its heading says template, example, sample or format) is
    /// not a step. A link to such a host (`[Status page](https://status.example.com)`) is
    /// reported wherever it stands, outside sections that show a format.
    ///
    /// ## Why is this bad?
    /// A runbook is read under pressure. A step that says "TBD" or "[link to dashboard]" is a
    /// step nobody can follow at 3 a.m.
    ///
    /// ## Example
    /// ```markdown
    /// 3. Verify the deploy on [dashboard link].
    /// ```
    ///
    /// ~~~markdown
    /// ## Production deploy
    /// ```bash
    /// gcloud run deploy api --project my-project-id
    /// curl -f https://api.yourdomain.com/health
    /// ```
    /// ~~~
    ///
    /// Use instead:
    /// ```markdown
    /// 3. Verify the deploy on <https://grafana.acme.io/d/deploys>.
    /// ```
    pub struct UnresolvedPlaceholder {
        id: "unresolved-placeholder",
        severity: Warning,
        summary: "TBD, TODO or a bracketed placeholder left in the runbook's text",
    }
}

impl UnresolvedPlaceholder {
    fn run(&self, cx: &mut Cx<'_, '_>) {
        let contact = placeholders::contact_sections(cx.doc);
        for block in &cx.doc.text_blocks {
            let contact_item = matches!(
                block.kind,
                BlockKind::TableCell | BlockKind::ListItem | BlockKind::ChecklistItem
            ) && contact.get(block.section).copied().unwrap_or(false);
            if contact_item {
                continue;
            }
            for (span, text) in placeholders::in_block(cx.doc, cx.source, block) {
                cx.report(span, format!("unresolved placeholder `{text}`"))
                    .help("replace it with the real value, or remove the step until it is known");
            }
        }
        self.template_values_in_production(cx);
        self.template_links(cx);
    }

    /// Links to a documentation domain or a `your-...` host: a dashboard or status page the
    /// template named and nobody replaced. The reader who follows it under pressure reaches
    /// nothing, in whatever section it stands.
    fn template_links(&self, cx: &mut Cx<'_, '_>) {
        let doc = cx.doc;
        for link in &doc.links {
            let dest = link.dest.as_str();
            let web = dest.starts_with("https://") || dest.starts_with("http://");
            if link.image || !web || placeholders::is_example_section(doc, link.section) {
                continue;
            }
            if let Some(range) = placeholders::template_value(dest) {
                let host = &dest[range];
                cx.report(link.span, format!("link to the template host `{host}`"))
                    .help("link the real dashboard or page, or remove the link until it exists");
            }
        }
    }

    /// Template hosts and names in the commands and `.env` blocks of live systems.
    fn template_values_in_production(&self, cx: &mut Cx<'_, '_>) {
        let doc = cx.doc;
        let report = |cx: &mut Cx<'_, '_>, span: Span, value: &str, context: EnvContext| {
            cx.report(
                span,
                format!("template value `{value}` in a {} step", context.name()),
            )
                .help("replace it with the real host or name, or a variable holding it (`$API_URL`)");
        };
        for command in &doc.commands {
            if !is_live(command.context)
                || placeholders::is_example_section(doc, command.section)
                || matches!(command.program_name(), Some("echo" | "printf"))
            {
                continue;
            }
            for word in command.assignments.iter().chain(&command.words) {
                let text = word.text.as_str();
                if names_a_secret(text) {
                    continue;
                }
                if let Some(range) = placeholders::template_value(text) {
                    // The word's own span where the source spells it as read; else all of it.
                    let span = if cx.text(word.span) == text {
                        Span::new(word.span.start + range.start, word.span.start + range.end)
                    } else {
                        word.span
                    };
                    report(cx, span, &text[range], command.context);
                    break;
                }
            }
        }
        for block in &doc.code_blocks {
            if !matches!(block.lang.as_str(), "env" | "dotenv" | "ini" | "properties")
                || !is_live(doc.context(block.section))
                || placeholders::is_example_section(doc, block.section)
            {
                continue;
            }
            for line in &block.lines {
                let text = line.text.trim_start();
                let Some(equals) = line.text.find('=') else {
                    continue;
                };
                if text.starts_with('#') || names_a_secret(text) {
                    continue;
                }
                let value = &line.text[equals + 1..];
                if let Some(range) = placeholders::template_value(value) {
                    let start = equals + 1 + range.start;
                    let end = equals + 1 + range.end;
                    let context = doc.context(block.section);
                    report(cx, line.span_of(start, end), &line.text[start..end], context);
                }
            }
        }
    }
}

/// Contexts that run against a live system: a template host there reaches nothing (an
/// unknown section may be documentation of a tool, whose `example.com` is on purpose).
fn is_live(context: EnvContext) -> bool {
    matches!(
        context,
        EnvContext::Production | EnvContext::Staging | EnvContext::Rollback
    )
}

/// True for `NAME=value` where the name holds a secret (`SERVICE_ROLE_KEY=your-key`): a
/// secret is left to the reader on purpose, and hardcoded-secret judges real ones.
fn names_a_secret(assignment: &str) -> bool {
    let Some((name, _)) = assignment.split_once('=') else {
        return false;
    };
    let name = name.trim_start_matches('-').to_ascii_uppercase();
    ["KEY", "TOKEN", "SECRET", "PASSWORD", "PASS", "PASSWD", "PWD", "CREDENTIALS"]
        .iter()
        .any(|suffix| name.ends_with(suffix))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, project};

    #[test]
    fn prose_is_checked_code_is_not() {
        let markdown = "# Deploy TBD\n\nVerify on [dashboard link].\n\n`grep -E '(TODO)' .env`\n\n```bash\necho TODO\n```\n\n- [ ] FIXME: add smoke test\n";
        let found: Vec<usize> = check(&UnresolvedPlaceholder, markdown, &project(&[], &[]))
            .into_iter()
            .map(|(line, _)| line)
            .collect();
        assert_eq!(found, vec![1, 3, 11]);
    }

    #[test]
    fn resolved_links_tasks_footnotes_alerts_and_tocs_are_not_placeholders() {
        let markdown = "# Monitoring\n\n## Contents\n\n- [TODO (optional)](#todo-optional)\n- [Open items: TBD](#open-items-tbd)\n\nPage the [on-call rotation] and check the [Grafana dashboard][dashboard] and the [status page][].\n\n- [x] done\n- [ ] dashboard checked\n\nSee the note[^1].\n\n> [!NOTE]\n> Read the [dashboard link] first.\n\n| Step | Where |\n|---|---|\n| 1 | [dashboard] |\n| 2 | [Contact info and SLA] |\n\n## TODO (optional)\n\n## Open items: TBD\n\n[on-call rotation]: https://acme.pagerduty.com\n[dashboard]: https://grafana.acme.io\n[status page]: https://status.acme.io\n[^1]: A TBD footnote.\n";
        let found = check(&UnresolvedPlaceholder, markdown, &project(&[], &[]));
        assert_eq!(
            found,
            vec![
                (16, "unresolved placeholder `[dashboard link]`".to_string()),
                (
                    21,
                    "unresolved placeholder `[Contact info and SLA]`".to_string()
                ),
                (30, "unresolved placeholder `TBD`".to_string()),
            ]
        );
    }

    #[test]
    fn template_hosts_in_production_steps_but_not_secrets_or_test_data() {
        let markdown = "# Production deploy\n\n```bash\nrailway variables set API_URL=https://your-domain.com SERVICE_ROLE_KEY=your-service-role-key\ncurl -d '{\"email\":\"test@example.com\"}' https://api.shop.io/leads\n```\n\n```env\nSUPABASE_SERVICE_ROLE_KEY=your-service-role-key\nPUBLIC_URL=https://YOUR_PROJECT.supabase.co\n```\n\n## Local development\n\n```bash\ncurl https://api.yourdomain.com\n```\n";
        let found = check(&UnresolvedPlaceholder, markdown, &project(&[], &[]));
        assert_eq!(
            found,
            vec![
                (
                    4,
                    "template value `your-domain.com` in a production step".to_string()
                ),
                (
                    10,
                    "template value `YOUR_PROJECT.supabase.co` in a production step".to_string()
                ),
            ]
        );
    }

    #[test]
    fn contact_sections_are_left_to_placeholder_contact() {
        let markdown = "## Contacts\n\n- On-call: TBD\n\nThe list is TBD.\n";
        let found = check(&UnresolvedPlaceholder, markdown, &project(&[], &[]));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 5);
    }
}
