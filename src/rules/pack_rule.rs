//! A rule driven by a pack: every entry of a [`Pack`] is checked against the runbook's commands
//! (program, subcommand words, flags) and, for free-text entries, against the statements of SQL
//! code blocks. Built-in packs (`destructive-command`) and user packs share this code.

use super::{Cx, Rule, RuleContext, RuleMeta};
use crate::config::pack::{Entry, Pack};
use crate::diagnostic::Severity;
use crate::document::{CodeBlock, Command, EnvContext};
use crate::span::Span;

/// A rule whose findings come from a pack's entries.
#[derive(Debug, Clone)]
pub struct PackRule {
    pack: Pack,
    docs: String,
}

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
}

/// Reports a finding of `entry` at `span`, with the entry's level in `context`.
fn report(cx: &mut Cx<'_, '_>, entry: &Entry, context: EnvContext, span: Span) {
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
    let diagnostic = cx
        .report(span, entry.message.clone())
        .severity(severity)
        .label(format!("in a {} step", context.name()))
        .entry(&entry.id);
    if !help.is_empty() {
        diagnostic.help(help);
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
            options: "",
        }
    }

    fn pack(&self) -> Option<&Pack> {
        Some(&self.pack)
    }

    fn check(&self, cx: &mut Cx<'_, '_>) {
        check(&self.pack, cx);
    }
}

/// Checks every command and SQL block of the runbook against `pack`'s entries.
pub fn check(pack: &Pack, cx: &mut Cx<'_, '_>) {
    let doc = cx.doc;
    for command in &doc.commands {
        if command.is_rehearsal() {
            continue;
        }
        let Some(invocation) = command.invocation() else {
            continue;
        };
        // `psql -c "DROP TABLE x"`: SQL given to a client on the command line.
        let entry = pack
            .find(invocation)
            .or_else(|| invocation.sql.iter().find_map(|w| pack.find_text(&w.text)));
        if let Some(entry) = entry {
            let context = target_context(command).unwrap_or(command.context);
            report(cx, entry, context, command.span);
        }
    }
    for block in &doc.code_blocks {
        if !crate::command::sql::is_sql_language(&block.lang) {
            continue;
        }
        let context = block_context(cx, block);
        for (statement, span) in block.sql_statements() {
            if let Some(entry) = pack.find_text(&statement) {
                report(cx, entry, context, span);
            }
        }
    }
}

/// A lower context a command names itself, which beats its section's: `kubectl -n staging`,
/// `--context dev-cluster`.
fn target_context(command: &Command) -> Option<EnvContext> {
    let words = crate::document::ContextWords::default();
    command.environment_names().into_iter().find_map(|value| {
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
