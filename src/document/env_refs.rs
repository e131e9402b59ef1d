//! Env-var references of a runbook: `$VAR` / `${VAR}` / `${VAR:-x}` and `VAR=value` /
//! `export VAR=` in shell code, and backticked `UPPER_SNAKE` names in the checklists, lists and
//! tables of sections about environment, secrets or configuration.
//!
//! A name assigned earlier in the same code block (`VAR=x`, `export VAR=x`, `read VAR`,
//! `for VAR in`) is a shell variable there, not a reference. Built-ins and configured names are
//! left to the rule.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use super::{BlockKind, CommandOrigin, Document, SectionId};
use crate::command::shell::{expanded_name, VARIABLE_EXPANSION};
use crate::span::Span;

/// How a variable was referenced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvRefKind {
    /// `$VAR`, `${VAR}`, `${VAR:-default}` in shell code.
    Expansion,
    /// `VAR=value` before a command, or `export VAR=value`.
    Assignment,
    /// A backticked name in a checklist, list item or table cell about configuration.
    Mention,
}

/// One reference to an environment variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvRef {
    /// The variable name.
    pub name: String,
    /// Where the name is written.
    pub span: Span,
    /// How it was referenced.
    pub kind: EnvRefKind,
    /// Section it is in.
    pub section: SectionId,
}

/// Heading words of sections whose backticked names are env vars.
const ENV_SECTION_WORDS: &[&str] = &[
    "environment",
    "env",
    "envs",
    "secrets",
    "secret",
    "configuration",
    "config",
    "variables",
    "variable",
    "vars",
    "credentials",
];

static LOOP_OR_READ: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bfor\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\b|\bread\s+(?:-[a-zA-Z]+\s+(?:\S+\s+)?)*([A-Za-z_][A-Za-z0-9_]*)")
        .expect("loop regex")
});
static UPPER_SNAKE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$").expect("upper snake regex"));

/// True for a name that looks like an environment variable rather than a local shell
/// variable: upper case, digits and underscores.
pub fn is_env_name(name: &str) -> bool {
    name.len() >= 2
        && name.starts_with(|c: char| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// The references of a parsed document.
pub(super) fn extract(doc: &Document, source: &str) -> Vec<EnvRef> {
    let mut refs = Vec::new();
    // Each block's commands, grouped in one pass (a filter of every command per block was
    // quadratic in a runbook of many small blocks).
    let mut block_commands: Vec<Vec<&super::Command>> = vec![Vec::new(); doc.code_blocks.len()];
    for command in &doc.commands {
        if let CommandOrigin::CodeBlock(index) = command.origin {
            if let Some(list) = block_commands.get_mut(index) {
                list.push(command);
            }
        }
    }
    for (index, block) in doc.code_blocks.iter().enumerate() {
        if block.is_shell {
            from_shell_block(doc, index, &block_commands[index], &mut refs);
        }
    }
    for code in &doc.inline_code {
        // Headings define variables (`### `MAX_WORKERS=<n>``), they do not refer to them.
        if code.block == BlockKind::Heading || doc.in_code_block(code.span) {
            continue;
        }
        let Some(base) = code.text_offset else {
            continue;
        };
        let text = code.text.trim();
        let lead = code.text.len() - code.text.trim_start().len();
        let at = |start: usize, end: usize| Span::new(base + lead + start, base + lead + end);
        if let Some((name, _)) = text.split_once('=') {
            let name = name.strip_prefix("export ").unwrap_or(name).trim();
            if is_env_name(name) && !name.contains(' ') {
                let start = text.find(name).unwrap_or(0);
                refs.push(EnvRef {
                    name: name.to_string(),
                    span: at(start, start + name.len()),
                    kind: EnvRefKind::Assignment,
                    section: code.section,
                });
                continue;
            }
        }
        if text.starts_with('$') {
            if let Some(found) = VARIABLE_EXPANSION.captures(text) {
                let name = expanded_name(&found);
                if found.get(0).is_some_and(|m| m.start() == 0) && is_env_name(name.as_str()) {
                    refs.push(EnvRef {
                        name: name.as_str().to_string(),
                        span: at(name.start(), name.end()),
                        kind: EnvRefKind::Expansion,
                        section: code.section,
                    });
                }
            }
            continue;
        }
        let listed = matches!(
            code.block,
            BlockKind::ChecklistItem | BlockKind::ListItem | BlockKind::TableCell
        );
        if listed
            && UPPER_SNAKE.is_match(text)
            && doc.section_mentions(code.section, ENV_SECTION_WORDS)
        {
            refs.push(EnvRef {
                name: text.to_string(),
                span: at(0, text.len()),
                kind: EnvRefKind::Mention,
                section: code.section,
            });
        }
    }
    let _ = source;
    refs.sort_by_key(|r| r.span.start);
    refs
}

fn from_shell_block(
    doc: &Document,
    index: usize,
    commands: &[&super::Command],
    refs: &mut Vec<EnvRef>,
) {
    let block = &doc.code_blocks[index];
    // The first assignment of each name in this block, by offset: a later expansion of the
    // same name is local.
    let mut assigned: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut assign = |at: usize, name: &str| {
        let first = assigned.entry(name.to_string()).or_insert(at);
        *first = (*first).min(at);
    };
    for command in commands {
        let exported = matches!(
            command.program(),
            Some("export" | "declare" | "local" | "readonly" | "typeset")
        );
        let mut words: Vec<&crate::command::shell::Word> = command.assignments.iter().collect();
        if exported {
            words.extend(command.args().iter().filter(|w| !w.text.starts_with('-')));
        }
        for word in words {
            let name = word.text.split('=').next().unwrap_or("");
            if !crate::command::shell::is_var_name(name) {
                continue;
            }
            assign(word.span.start, name);
            // `VAR=x cmd` hands VAR to cmd; a bare `VAR=x` only sets a shell variable.
            let handed_on = exported || !command.words.is_empty();
            if handed_on && is_env_name(name) && word.text.contains('=') {
                refs.push(EnvRef {
                    name: name.to_string(),
                    span: Span::new(word.span.start, word.span.start + name.len()),
                    kind: EnvRefKind::Assignment,
                    section: block.section,
                });
            }
        }
    }
    for line in &block.lines {
        for found in LOOP_OR_READ.captures_iter(&line.text) {
            if let Some(name) = found.get(1).or_else(|| found.get(2)) {
                assign(line.offset + name.start(), name.as_str());
            }
        }
    }
    let mut seen_local: BTreeSet<String> = BTreeSet::new();
    for line in &block.lines {
        let text = &line.text;
        if text.trim_start().starts_with('#') {
            continue;
        }
        for found in VARIABLE_EXPANSION.captures_iter(text) {
            let whole = found.get(0).expect("match");
            if text[..whole.start()].ends_with(['$', '\\']) {
                continue; // `$$` (pid) or an escaped dollar
            }
            let name = expanded_name(&found);
            let span = line.span_of(name.start(), name.end());
            let local = assigned
                .get(name.as_str())
                .is_some_and(|at| *at < span.start);
            if local {
                seen_local.insert(name.as_str().to_string());
                continue;
            }
            if is_env_name(name.as_str()) {
                refs.push(EnvRef {
                    name: name.as_str().to_string(),
                    span,
                    kind: EnvRefKind::Expansion,
                    section: block.section,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::ParseOptions;

    fn names(markdown: &str) -> Vec<(String, EnvRefKind)> {
        Document::parse(markdown, &ParseOptions::default())
            .env_refs
            .into_iter()
            .map(|r| (r.name, r.kind))
            .collect()
    }

    #[test]
    fn shell_expansions_and_assignments() {
        let md = "```bash\nexport API_URL=https://x\nTAG=v1\necho $TAG ${API_URL} ${REDIS_URL:-redis://}\nDATABASE_URL=$PROD_DB pnpm migrate\nfor HOST in a b; do ssh $HOST; done\necho $lower $$\n```\n";
        use EnvRefKind::*;
        assert_eq!(
            names(md),
            vec![
                ("API_URL".into(), Assignment),
                ("REDIS_URL".into(), Expansion),
                ("DATABASE_URL".into(), Assignment),
                ("PROD_DB".into(), Expansion),
            ]
        );
    }

    #[test]
    fn backticked_names_only_in_env_sections() {
        let md = "## Environment variables\n\n- [ ] `STRIPE_SECRET_KEY` set\n- `SENTRY_DSN`\n\n| Var | Use |\n|---|---|\n| `REDIS_URL` | cache |\n\nProse `NOT_LISTED`.\n\n## Deploy\n\n- [ ] `BUILD_ID` noted\n";
        let found: Vec<String> = names(md).into_iter().map(|(n, _)| n).collect();
        assert_eq!(found, vec!["STRIPE_SECRET_KEY", "SENTRY_DSN", "REDIS_URL"]);
    }

    #[test]
    fn inline_assignments_and_expansions() {
        let md = "Set `NODE_OPTIONS=--max-old-space-size=4096` and check `$SESSION_SECRET`.\n";
        let found: Vec<String> = names(md).into_iter().map(|(n, _)| n).collect();
        assert_eq!(found, vec!["NODE_OPTIONS", "SESSION_SECRET"]);
    }
}
