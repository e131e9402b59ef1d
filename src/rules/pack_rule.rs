//! A rule driven by a pack: every entry of a [`Pack`] is checked against the runbook's commands
//! (program, subcommand words, flags) and, for free-text entries, against the statements of SQL
//! code blocks. Built-in packs (`destructive-command`) and user packs share this code.

use std::sync::LazyLock;

use regex::Regex;

use super::pack::{Entry, Pack};
use super::{Rule, RuleContext, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{CodeBlock, Command, EnvContext};
use crate::span::Span;

/// A rule whose findings come from a pack's entries.
#[derive(Debug, Clone)]
pub struct PackRule {
    pack: Pack,
    docs: String,
}

/// Languages whose code blocks are read as SQL statements.
const SQL_LANGS: &[&str] = &[
    "sql",
    "psql",
    "pgsql",
    "postgres",
    "postgresql",
    "mysql",
    "plpgsql",
    "sqlite",
];

/// Flags that make a command a rehearsal, never destructive: `--dry-run`, Alembic's offline
/// `--sql`, `--plan`, PowerShell-style `--what-if`.
const REHEARSAL_FLAGS: &[&str] = &[
    "--dry-run",
    "--dryrun",
    "--sql",
    "--plan",
    "--what-if",
    "--server-dry-run",
];

impl PackRule {
    /// The rule for a parsed pack; `docs` is its `explain` text (generated when empty).
    pub fn new(pack: Pack, docs: &str) -> Self {
        let docs = if docs.is_empty() {
            generated_docs(&pack)
        } else {
            docs.to_string()
        };
        PackRule { pack, docs }
    }

    /// The pack.
    pub fn pack(&self) -> &Pack {
        &self.pack
    }

    fn report(
        &self,
        cx: &RuleContext<'_>,
        entry: &Entry,
        context: EnvContext,
        span: Span,
        out: &mut Vec<Diagnostic>,
    ) {
        let context = cx.effective_context(context);
        let Some(severity) = entry.levels.for_context(context).severity() else {
            return;
        };
        let mut help = entry.why.clone();
        if let Some(safe) = &entry.safe {
            if !help.is_empty() {
                help.push_str("; ");
            }
            help.push_str(safe);
        }
        let mut diagnostic = Diagnostic::new(
            self.pack.rule.clone(),
            severity,
            span,
            entry.message.clone(),
        )
        .with_label(format!("in a {} step", context.name()));
        if !help.is_empty() {
            diagnostic = diagnostic.with_help(help);
        }
        out.push(diagnostic);
    }
}

fn generated_docs(pack: &Pack) -> String {
    let mut docs = format!(
        " ## What it does\n {}\n\n Defined by the rule pack `{}`.\n\n ## Why is this bad?\n",
        pack.summary, pack.origin
    );
    for entry in &pack.entries {
        let why = if entry.why.is_empty() {
            &entry.message
        } else {
            &entry.why
        };
        docs.push_str(&format!(" - `{}`: {}\n", entry.id, why));
    }
    docs.push_str("\n ## Example\n");
    for entry in &pack.entries {
        docs.push_str(&format!(" - {}\n", entry.message));
    }
    docs
}

/// True when the command is a rehearsal (`--dry-run`, `--sql`) or a `plan` variant.
pub fn is_rehearsal(command: &Command) -> bool {
    command.args().iter().any(|w| {
        let word = w.text.as_str();
        REHEARSAL_FLAGS
            .iter()
            .any(|f| word == *f || word.strip_prefix(f).is_some_and(|r| r.starts_with('=')))
    }) || command.args().first().is_some_and(|w| w.text == "plan")
}

/// SQL statements of a code block: `(text, span)`, comments removed, split at `;`.
pub fn sql_statements(block: &CodeBlock) -> Vec<(String, Span)> {
    static COMMENT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"--.*$").expect("comment regex"));
    let mut statements = Vec::new();
    let mut text = String::new();
    let mut start: Option<Span> = None;
    let mut end = Span::new(block.span.start, block.span.start);
    for line in &block.lines {
        let cleaned = COMMENT.replace(&line.text, "");
        for (i, part) in cleaned.split(';').enumerate() {
            if i > 0 {
                if let Some(first) = start.take() {
                    statements.push((std::mem::take(&mut text), Span::new(first.start, end.end)));
                }
                text.clear();
            }
            if !part.trim().is_empty() {
                if start.is_none() {
                    start = Some(line.span_of(0, line.text.len()));
                }
                end = line.span_of(0, line.text.len());
                text.push_str(part.trim());
                text.push(' ');
            }
        }
    }
    if let Some(first) = start {
        statements.push((text, Span::new(first.start, end.end)));
    }
    statements
}

impl Rule for PackRule {
    fn meta(&self) -> RuleMeta<'_> {
        let default_severity = self
            .pack
            .entries
            .iter()
            .filter_map(|e| e.levels.production.severity())
            .max()
            .unwrap_or(Severity::Warning);
        RuleMeta {
            id: &self.pack.rule,
            default_severity,
            summary: &self.pack.summary,
            docs: &self.docs,
        }
    }

    fn pack(&self) -> Option<&Pack> {
        Some(&self.pack)
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for command in &cx.doc.commands {
            if is_rehearsal(command) {
                continue;
            }
            let argv = command.argv();
            let entry = self.pack.find(&argv).or_else(|| {
                // `psql -c "DROP TABLE x"`: SQL given to a client on the command line.
                let start = crate::command::argv::effective_start(&argv);
                let program = crate::command::argv::program_name(argv.get(start)?);
                if !matches!(
                    program,
                    "psql" | "mysql" | "sqlite3" | "mariadb" | "cockroach"
                ) {
                    return None;
                }
                argv[start + 1..]
                    .iter()
                    .find_map(|w| self.pack.find_text(w))
            });
            if let Some(entry) = entry {
                let context = target_context(&argv).unwrap_or(command.context);
                self.report(cx, entry, context, command.span, out);
            }
        }
        for block in &cx.doc.code_blocks {
            if !SQL_LANGS.contains(&block.lang.as_str()) {
                continue;
            }
            let context = block_context(cx, block);
            for (statement, span) in sql_statements(block) {
                if let Some(entry) = self.pack.find_text(&statement) {
                    self.report(cx, entry, context, span, out);
                }
            }
        }
    }
}

/// A lower context a command names itself, which beats its section's: `kubectl -n staging`,
/// `--context dev-cluster`.
fn target_context(argv: &[&str]) -> Option<EnvContext> {
    let words = crate::document::ContextWords::default();
    argv.windows(2).find_map(|pair| {
        let value = match pair[0] {
            "-n" | "--namespace" | "--context" | "--kube-context" => pair[1],
            _ => pair[1]
                .strip_prefix("--namespace=")
                .or_else(|| pair[1].strip_prefix("--context="))?,
        };
        let value = value.to_ascii_lowercase();
        let parts: Vec<&str> = value.split(|c: char| !c.is_ascii_alphanumeric()).collect();
        let has = |list: &[String]| parts.iter().any(|p| list.iter().any(|w| w == p));
        if has(&words.staging) {
            Some(EnvContext::Staging)
        } else if has(&words.development) {
            Some(EnvContext::Development)
        } else {
            // `-n production` in a rollback section stays a rollback step.
            None
        }
    })
}

/// A code block's context: a context word in its info string, else its section's.
fn block_context(cx: &RuleContext<'_>, block: &CodeBlock) -> EnvContext {
    block
        .info
        .split_whitespace()
        .skip(1)
        .find_map(EnvContext::parse)
        .unwrap_or_else(|| cx.doc.context(block.section))
}
