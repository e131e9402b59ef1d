//! `insecure-connection`: a production connection that turns TLS off.

use std::sync::LazyLock;

use regex::Regex;

use super::Cx;
use crate::document::{EnvContext, EnvRefKind};
use crate::span::Span;

declare_rule! {
    /// ## What it does
    /// Finds connection settings that turn TLS off in a production step: `sslmode=disable`
    /// in a Postgres URL or connection string (and `PGSSLMODE=disable`), MySQL's
    /// `ssl-mode=DISABLED` and `useSSL=false`, `ssl=false`, `tls=false`, SQL Server's
    /// `encrypt=false`, and `NODE_TLS_REJECT_UNAUTHORIZED=0`, which makes Node accept any
    /// certificate. It looks at commands (`psql "...?sslmode=disable"`,
    /// `DATABASE_URL=... cmd`) and at the value or example a production checklist, table or
    /// env file gives a variable.
    ///
    /// A connection to `localhost` or a Unix socket, or to a host with no dot in its name (a
    /// compose service on the host's own network, `@db:5432`), stays on one machine or one
    /// private network and is not reported. Only sections whose heading says production count.
    ///
    /// ## Why is this bad?
    /// A production database or cache reached without TLS sends its password and every row in
    /// clear text over the network; a copied development URL is the usual cause.
    ///
    /// ## Example
    /// ```markdown
    /// ## Production configuration
    ///
    /// - [ ] `DATABASE_URL` (e.g., `postgres://app@db.internal.example.com/app?sslmode=disable`)
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// - [ ] `DATABASE_URL` (e.g., `postgres://app@db.internal.example.com/app?sslmode=require`)
    /// ```
    pub struct InsecureConnection {
        id: "insecure-connection",
        severity: Warning,
        summary: "a production connection string or setting that turns TLS off",
    }
}

/// Settings that turn TLS off, as `name=value` (case-insensitive, `&`, `?`, `;`, space or
/// the start before them).
static INSECURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:^|[?&;\s\x22'])(?P<setting>(?:pg)?sslmode=disable|ssl-?mode=disabled|usessl=false|ssl=(?:false|0)|tls=(?:false|0)|encrypt=false|node_tls_reject_unauthorized=0)\b",
    )
    .expect("insecure setting regex")
});

/// The host of a connection URL (`scheme://user:pw@host:port/...`) or key-value string
/// (`host=x port=5432`).
static HOST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)://(?:[^/@\s]*@)?(?P<url>\[[^\]]*\]|[^/:?#\s\x22']*)|\bhost=(?P<kv>[^\s&;\x22']+)")
        .expect("host regex")
});

/// True when the connection stays on one machine or one host's private network.
fn stays_local(text: &str) -> bool {
    let Some(found) = HOST.captures(text) else {
        return false;
    };
    let host = found
        .name("url")
        .or_else(|| found.name("kv"))
        .map(|m| m.as_str().to_ascii_lowercase())
        .unwrap_or_default();
    host.is_empty()
        || host.starts_with('/')
        || host.starts_with("%2f")
        || matches!(host.as_str(), "localhost" | "127.0.0.1" | "[::1]" | "::1")
        || !host.contains('.')
}

/// The insecure setting in `text`, as a byte range, unless the connection stays local.
fn find(text: &str) -> Option<(usize, usize, &str)> {
    let found = INSECURE.captures(text)?;
    let setting = found.name("setting")?;
    // NODE_TLS_REJECT_UNAUTHORIZED names no host: it affects every connection.
    let everywhere = setting.as_str().to_ascii_lowercase().starts_with("node_tls");
    if !everywhere && stays_local(text) {
        return None;
    }
    Some((setting.start(), setting.end(), setting.as_str()))
}

impl InsecureConnection {
    fn run(&self, cx: &mut Cx<'_, '_>) {
        let doc = cx.doc;
        let mut reported: Vec<Span> = Vec::new();
        let report = |cx: &mut Cx<'_, '_>, reported: &mut Vec<Span>, span: Span, setting: &str| {
            if reported.iter().any(|r| r.overlaps(span)) {
                return;
            }
            reported.push(span);
            cx.report(span, format!("`{setting}` turns TLS off for a production connection"))
                .help("require TLS (`sslmode=require`, or `verify-full` with the server's CA): outside one host's private network the password and the data travel in clear text");
        };
        for command in &doc.commands {
            if command.context != EnvContext::Production {
                continue;
            }
            for word in command.assignments.iter().chain(&command.words) {
                let text = word.text.as_str();
                // `PGSSLMODE=disable` is the setting itself, with no host in the word.
                let found = find(text).or_else(|| {
                    text.to_ascii_lowercase()
                        .starts_with("pgsslmode=disable")
                        .then_some((0, text.len(), text))
                });
                if let Some((start, end, setting)) = found {
                    let span = if cx.text(word.span) == text {
                        Span::new(word.span.start + start, word.span.start + end)
                    } else {
                        word.span
                    };
                    report(cx, &mut reported, span, setting);
                }
            }
        }
        for reference in &doc.env_refs {
            let Some((value, at)) = &reference.value else {
                continue;
            };
            if reference.context != EnvContext::Production || reference.kind == EnvRefKind::Expansion {
                continue;
            }
            let assigned = format!("{}={value}", reference.name);
            let Some((start, end, setting)) = find(value).or_else(|| {
                // `PGSSLMODE=disable`, `NODE_TLS_REJECT_UNAUTHORIZED=0`: the variable is the
                // setting.
                find(&assigned)
                    .filter(|(start, _, _)| *start == 0)
                    .map(|(_, _, s)| (0, value.len(), s))
            }) else {
                continue;
            };
            let span = if cx.text(*at) == value.as_str() {
                Span::new(at.start + start, at.start + end)
            } else {
                *at
            };
            let setting = setting.to_string();
            report(cx, &mut reported, span, &setting);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, project};

    #[test]
    fn tls_off_in_production_connections() {
        let markdown = "# Production deploy\n\n```bash\npsql \"postgres://app@db.prod.example.com/app?sslmode=disable\" -c 'select 1'\nDATABASE_URL=postgres://app@db:5432/app?sslmode=disable pnpm migrate\nPGSSLMODE=disable psql -h db.prod.example.com\n```\n\n- [ ] `REDIS_URL` (e.g., `redis://cache.example.com:6379?ssl=false`)\n- [ ] `NODE_TLS_REJECT_UNAUTHORIZED` - `0`\n\n```env\nNODE_TLS_REJECT_UNAUTHORIZED=0\nMYSQL_URL=mysql://app@mysql.example.com/app?ssl-mode=DISABLED\n```\n\n# Local development\n\n```bash\npsql \"postgres://app@db.example.com/app?sslmode=disable\"\n```\n";
        let mut found = check(&InsecureConnection, markdown, &project(&[], &[]));
        found.sort();
        let lines: Vec<usize> = found.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![4, 6, 9, 10, 13, 14], "{found:?}");
        assert_eq!(
            found[0].1,
            "`sslmode=disable` turns TLS off for a production connection"
        );
    }
}
