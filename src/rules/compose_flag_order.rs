use super::Cx;
use crate::fix::{Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Checks that the global options of `docker compose` come before its subcommand:
    /// `--profile`, `-f`/`--file`, `-p`/`--project-name`, `--project-directory` and
    /// `--env-file` (which only `run` also takes). A `--profile jobs` written after `up` is
    /// rejected by Compose v2 (`unknown flag: --profile`). The fix moves the options in front
    /// of the subcommand. Where a subcommand has an option of the same short name (`logs -f`
    /// follows, `run -p` publishes a port), the word is left alone.
    ///
    /// ## Why is this bad?
    /// The command fails at once with `unknown flag`, or (Compose v1) silently runs against
    /// the default compose file and project: the step never does what the runbook says.
    ///
    /// ## Example
    /// ```markdown
    /// docker compose up -d --profile workers
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// docker compose --profile workers up -d
    /// ```
    pub struct ComposeFlagOrder {
        id: "compose-flag-order",
        severity: Error,
        summary: "a global docker compose option is written after the subcommand",
    }
}

impl ComposeFlagOrder {
    fn run(&self, cx: &mut Cx<'_, '_>) {
        let source = cx.source;
        for command in &cx.doc.commands {
            let Some((invocation, call)) = command
                .invocations
                .iter()
                .find_map(|i| i.compose.as_ref().map(|c| (i, c)))
            else {
                continue;
            };
            if call.misplaced.is_empty() {
                continue;
            }
            let words = &invocation.words;
            let Some(subcommand) = words.get(call.subcommand_index) else {
                continue;
            };
            let text_of = |w: &crate::command::Word| {
                source
                    .get(w.span.range())
                    .filter(|t| !t.is_empty())
                    .unwrap_or(&w.text)
                    .to_string()
            };
            // The corrected command: the misplaced options moved before the subcommand.
            let moved: Vec<crate::span::Span> = call
                .misplaced
                .iter()
                .flat_map(|m| m.words.clone())
                .filter_map(|i| words.get(i).map(|w| w.span))
                .collect();
            let mut corrected: Vec<String> = Vec::new();
            for word in &command.words {
                if word.span == subcommand.span {
                    corrected.extend(
                        words
                            .iter()
                            .filter(|w| moved.contains(&w.span))
                            .map(&text_of),
                    );
                }
                if !moved.contains(&word.span) {
                    corrected.push(text_of(word));
                }
            }
            let corrected = corrected.join(" ");
            let fix = fix(source, words, call, subcommand.span.start, &text_of);
            let first = &call.misplaced[0];
            let Some(option_word) = words.get(first.words.start) else {
                continue;
            };
            let options: Vec<String> = call
                .misplaced
                .iter()
                .map(|m| format!("`{}`", m.option))
                .collect();
            let message = if options.len() == 1 {
                format!(
                    "`{}` is a global docker compose option: it must come before `{}`",
                    first.option, call.subcommand
                )
            } else {
                format!(
                    "{} are global docker compose options: they must come before `{}`",
                    options.join(", "),
                    call.subcommand
                )
            };
            cx.report(option_word.span, message)
                .label(format!("after the `{}` subcommand", call.subcommand))
                .help(format!("write `{corrected}`"))
                .fix(fix);
        }
    }
}

/// Deletes each misplaced option (with the blank before it) and inserts them all before the
/// subcommand; `None` when an option spans lines (a `\` continuation is left to the author).
fn fix(
    source: &str,
    words: &[crate::command::Word],
    call: &crate::command::tools::ComposeRun,
    insert_at: usize,
    text_of: &dyn Fn(&crate::command::Word) -> String,
) -> Option<Fix> {
    let mut edits = Vec::new();
    let mut inserted = Vec::new();
    for misplaced in &call.misplaced {
        let first = words.get(misplaced.words.start)?;
        let last = words.get(misplaced.words.end.checked_sub(1)?)?;
        let before = words.get(misplaced.words.start.checked_sub(1)?)?;
        let removed = crate::span::Span::new(before.span.end, last.span.end);
        if source.get(removed.range())?.contains('\n') {
            return None;
        }
        edits.push(Edit::replace(removed, ""));
        inserted.push(
            misplaced
                .words
                .clone()
                .filter_map(|i| words.get(i))
                .map(text_of)
                .collect::<Vec<_>>()
                .join(" "),
        );
        let _ = first;
    }
    edits.insert(
        0,
        Edit::replace(
            crate::span::Span::new(insert_at, insert_at),
            format!("{} ", inserted.join(" ")),
        ),
    );
    Some(Fix {
        applicability: crate::fix::Applicability::Safe,
        description: "move the global options before the subcommand".to_string(),
        edits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::check;

    #[test]
    fn global_options_after_the_subcommand() {
        let facts = crate::facts::ProjectFacts::default();
        let md = "```bash\ndocker compose up -d --profile workers\ndocker compose --profile workers up -d\ndocker compose logs -f web\ndocker compose run -p 8080:80 web\ndocker compose exec -f compose.prod.yml web sh\ndocker compose -f compose.prod.yml exec web sh\ndocker-compose up --env-file .env.ci -p shop\ndocker compose run --env-file .env.ci web\n```\n";
        let found = check(&ComposeFlagOrder, md, &facts);
        assert_eq!(
            found,
            vec![
                (
                    2,
                    "`--profile` is a global docker compose option: it must come before `up`"
                        .to_string()
                ),
                (
                    6,
                    "`-f` is a global docker compose option: it must come before `exec`"
                        .to_string()
                ),
                (
                    8,
                    "`--env-file`, `-p` are global docker compose options: they must come before `up`"
                        .to_string()
                ),
            ]
        );
    }
}
