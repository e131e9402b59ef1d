use std::sync::LazyLock;

use regex::Regex;

use super::Cx;
use crate::document::{EnvContext, EnvRefKind};
use crate::span::Span;

declare_rule! {
    /// ## What it does
    /// Finds `localhost`, `127.0.0.1` and `0.0.0.0` URLs and hosts in the commands and
    /// environment values of a production section (`DATABASE_URL=postgres://...@localhost`,
    /// `psql -h localhost`, `curl http://0.0.0.0:3000`), including the value or example a
    /// production checklist, table or env file gives a variable ("`REDIS_URL` - Redis
    /// connection URL (e.g., `redis://localhost:6379`)").
    ///
    /// Bind addresses (`--host 0.0.0.0`, `HOST=0.0.0.0`), SSH and `kubectl port-forward`
    /// tunnels, and sections whose prose says they run locally are not reported. Only sections
    /// whose heading says production count (not unknown ones).
    ///
    /// ## Why is this bad?
    /// A production step pointing at localhost was copied from a development guide: it talks to
    /// the operator's laptop, or to nothing, and the real system is never touched.
    ///
    /// ## Example
    /// ~~~markdown
    /// ## Production deploy
    /// ```bash
    /// DATABASE_URL=postgres://app@localhost:5432/app npx prisma migrate deploy
    /// ```
    /// ~~~
    ///
    /// Use instead:
    /// ~~~markdown
    /// ```bash
    /// DATABASE_URL="$PROD_DATABASE_URL" npx prisma migrate deploy
    /// ```
    /// ~~~
    pub struct LocalhostInProduction {
        id: "localhost-in-production",
        severity: Warning,
        summary: "a localhost URL or host in a production step",
    }
}

static LOCAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[/@=:\s\x22'])(?P<host>localhost|127\.0\.0\.1)(?:[:/\s\x22'?]|$)|(?:://|@)(?P<any>0\.0\.0\.0)\b")
        .expect("localhost regex")
});

/// Programs that tunnel or bind, where localhost is the point.
/// Probes and output: `curl localhost:9091/metrics` on the production host itself checks that
/// host, and `echo "open http://localhost:3000"` after a port-forward is a hint, not a target.
const PROBES: &[&str] = &[
    "curl", "wget", "http", "https", "nc", "telnet", "grpcurl", "echo", "printf", "open",
    "xdg-open",
];

const TUNNELS: &[&str] = &[
    "ssh",
    "autossh",
    "cloud-sql-proxy",
    "cloud_sql_proxy",
    "sshuttle",
    "ngrok",
];

/// Prose that says the section runs on the operator's machine.
static LOCAL_PROSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(locally|local machine|your machine|your laptop|on localhost|dev server|local (?:dev|stack|environment|copy|instance))\b")
        .expect("local prose regex")
});

fn find_local(text: &str) -> Option<(usize, usize, &str)> {
    let caps = LOCAL.captures(text)?;
    let m = caps.name("host").or_else(|| caps.name("any"))?;
    Some((m.start(), m.end(), m.as_str()))
}

impl LocalhostInProduction {
    fn run(&self, cx: &mut Cx<'_, '_>) {
        let doc = cx.doc;
        let says_local = |section: usize| {
            doc.text_blocks
                .iter()
                .any(|t| t.section == section && LOCAL_PROSE.is_match(&t.text))
        };
        let mut reported: Vec<Span> = Vec::new();
        let mut report = |cx: &mut Cx<'_, '_>, span: Span, host: &str| {
            reported.push(span);
            cx.report(span, format!("`{host}` in a production step"))
                .help("use the production host, or a variable holding it (`$DATABASE_URL`)");
        };
        for command in &doc.commands {
            if command.context != EnvContext::Production {
                continue;
            }
            let program = command.program_name().unwrap_or("");
            // Inside `kubectl exec ... --` or `docker exec`, localhost is the container itself.
            if command.runs_elsewhere()
                || PROBES.contains(&program)
                || TUNNELS.contains(&program)
                || (program == "kubectl" && command.args().iter().any(|w| w.text == "port-forward"))
            {
                continue;
            }
            let mut previous = "";
            for word in command.assignments.iter().chain(&command.words) {
                let text = word.text.as_str();
                let is_bind = crate::command::tools::is_bind_address(previous, text);
                previous = text;
                if is_bind {
                    continue;
                }
                if let Some((start, end, host)) = find_local(text) {
                    if says_local(command.section) {
                        break;
                    }
                    let span = if cx.text(word.span) == text {
                        Span::new(word.span.start + start, word.span.start + end)
                    } else {
                        word.span
                    };
                    report(cx, span, host);
                    break;
                }
            }
        }
        // `.env`-style blocks in production sections.
        for block in &doc.code_blocks {
            if !matches!(block.lang.as_str(), "env" | "dotenv" | "ini" | "properties") {
                continue;
            }
            if doc.context(block.section) != EnvContext::Production || says_local(block.section) {
                continue;
            }
            for line in &block.lines {
                let text = line.text.trim_start();
                if text.starts_with('#')
                    || !text.contains('=')
                    || text.to_ascii_uppercase().starts_with("HOST=")
                {
                    continue;
                }
                let value_at = line.text.find('=').map_or(0, |i| i + 1);
                if let Some((start, end, host)) = find_local(&line.text[value_at..]) {
                    report(cx, line.span_of(value_at + start, value_at + end), host);
                }
            }
        }
        // The value or example a production checklist, table or env file gives a variable:
        // "`REDIS_URL` - Redis connection URL (e.g., `redis://localhost:6379`)".
        for reference in &doc.env_refs {
            let Some((value, at)) = &reference.value else {
                continue;
            };
            let written_as_is = cx.text(*at) == value.as_str();
            if reference.context != EnvContext::Production
                || matches!(reference.kind, EnvRefKind::Assignment | EnvRefKind::Stored)
                || reference.name.to_ascii_uppercase().ends_with("HOST")
                || reported.iter().any(|r| r.overlaps(*at))
                || says_local(reference.section)
            {
                continue;
            }
            let Some((start, end, host)) = find_local(value) else {
                continue;
            };
            let span = if written_as_is {
                Span::new(at.start + start, at.start + end)
            } else {
                *at
            };
            cx.report(
                span,
                format!("`{host}` in the value of `{}` in a production step", reference.name),
            )
            .help("give the production value, or say where it comes from (a secret manager, the platform's dashboard)");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, project};

    #[test]
    fn finds_localhost_in_production_only() {
        let markdown = "# Production deploy\n\n```bash\nDATABASE_URL=postgres://app@localhost:5432/app npx prisma migrate deploy\nnpx next start --host 0.0.0.0\nssh -L 5432:localhost:5432 bastion\npsql -h 0.0.0.0 -c x\npsql postgres://app@0.0.0.0/app\ncurl http://localhost:9091/metrics\nkubectl exec -n prod deploy/api -- psql -h localhost\n```\n\n```env\nREDIS_URL=redis://127.0.0.1:6379\n```\n\n# Local development\n\n```bash\ncurl http://localhost:3000\n```\n\n# Live drill\n\nRun this locally first.\n\n```bash\ncurl http://localhost:3000\n```\n";
        let found = check(&LocalhostInProduction, markdown, &project(&[], &[]));
        let lines: Vec<usize> = found.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![4, 8, 14], "{found:?}");
    }

    #[test]
    fn values_of_production_checklists_and_tables() {
        let markdown = "# Production environment checklist\n\n- [ ] `REDIS_URL` - Redis connection URL (e.g., `redis://localhost:6379`)\n- [ ] `API_HOST` - bind address (e.g., `0.0.0.0`)\n\n| Variable | Value |\n|---|---|\n| `DATABASE_URL` | `postgres://app@127.0.0.1/app` |\n\n```env\nCACHE_URL=redis://localhost:6379\n```\n\n# Local setup\n\n- [ ] `REDIS_URL` (e.g., `redis://localhost:6379`)\n";
        let mut found = check(&LocalhostInProduction, markdown, &project(&[], &[]));
        found.sort();
        assert_eq!(
            found,
            vec![
                (3, "`localhost` in the value of `REDIS_URL` in a production step".to_string()),
                (8, "`127.0.0.1` in the value of `DATABASE_URL` in a production step".to_string()),
                (11, "`localhost` in a production step".to_string()),
            ]
        );
    }
}
