use super::Cx;
use crate::command::Joint;
use crate::fix::{Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Checks that `docker compose exec` and `docker compose run` are given `-T` (no
    /// pseudo-terminal) when their standard input is a file, a heredoc, a here-string or a
    /// pipe: `docker compose exec db psql -U app < dump.sql`. The fix adds `-T` after the
    /// subcommand.
    ///
    /// ## Why is this bad?
    /// Compose allocates a TTY by default, and since Compose v2.2.3 it no longer turns that
    /// off when stdin is redirected: the command stops with `the input device is not a TTY`
    /// (in CI, over ssh, from a script) or the restore reads nothing. A restore step that
    /// fails in an incident is the worst time to learn the flag.
    ///
    /// ## Example
    /// ```markdown
    /// docker compose exec db psql -U app shop < backup.sql
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// docker compose exec -T db psql -U app shop < backup.sql
    /// ```
    pub struct ComposeExecTty {
        id: "compose-exec-tty",
        severity: Warning,
        summary: "docker compose exec or run reads stdin from a file or pipe without -T",
    }
}

impl ComposeExecTty {
    fn run(&self, cx: &mut Cx<'_, '_>) {
        for command in &cx.doc.commands {
            if !command.stdin_redirected && command.joint != Joint::Pipe {
                continue;
            }
            let Some((invocation, call)) = command
                .invocations
                .iter()
                .find_map(|i| i.compose.as_ref().map(|c| (i, c)))
            else {
                continue;
            };
            if !matches!(call.subcommand.as_str(), "exec" | "run") || call.no_tty {
                continue;
            }
            let Some(subcommand) = invocation.words.get(call.subcommand_index) else {
                continue;
            };
            let from = if command.stdin_redirected {
                "a redirect"
            } else {
                "a pipe"
            };
            let at = subcommand.span.end;
            let corrected = with_no_tty(cx.source, command, subcommand.span);
            let fix = Fix::safe(
                "add `-T`",
                Edit::replace(crate::span::Span::new(at, at), " -T"),
            );
            cx.report(
                subcommand.span,
                format!(
                    "`docker compose {}` reads stdin from {from} but allocates a TTY: add `-T`",
                    call.subcommand
                ),
            )
            .label("allocates a pseudo-terminal by default")
            .help(format!(
                "write `{}`; without `-T` it fails with `the input device is not a TTY`",
                corrected
            ))
            .fix(fix);
        }
    }
}

/// The command as written, with `-T` after the subcommand.
fn with_no_tty(source: &str, command: &crate::command::Command, at: crate::span::Span) -> String {
    let mut out: Vec<&str> = Vec::new();
    for word in &command.words {
        out.push(source.get(word.span.range()).unwrap_or(&word.text));
        if word.span == at {
            out.push("-T");
        }
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::check;

    #[test]
    fn stdin_from_a_file_or_pipe_needs_no_tty() {
        let facts = crate::facts::ProjectFacts::default();
        let md = "```bash\ndocker compose exec db psql -U app < dump.sql\ndocker compose exec -T db psql -U app < dump.sql\ngunzip -c x.gz | docker-compose exec db psql\ndocker compose exec db psql -c 'select 1' > out.txt\ndocker compose run --rm -T web python manage.py shell < fix.py\ndocker compose exec db sh <<EOF\nEOF\n```\n";
        let found: Vec<usize> = check(&ComposeExecTty, md, &facts)
            .into_iter()
            .map(|(line, _)| line)
            .collect();
        assert_eq!(found, vec![2, 4, 7]);
    }
}
