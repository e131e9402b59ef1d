//! Env-var references of a runbook, in every shape runbooks write them, each with the context
//! it is in and the value it is given:
//!
//! - `$VAR` / `${VAR}` read by shell code, and `VAR=value cmd` / `export VAR=value` set by it
//!   (from the command layer's invocations: `env_set`, `env_read`);
//! - `KEY=value` lines of env-file blocks (```` ```env ````, ```` ```dotenv ````, ```` ```ini ````,
//!   ```` ```properties ````, or a block after "create `.env`" / "set these variables");
//! - `KEY=value` in inline code in prose;
//! - backticked `UPPER_SNAKE` names in the checklists, lists and tables of sections about
//!   environment, secrets or configuration, and list items that start with one;
//! - names in the variable column of a table (`Variable`, `Name`, `Key`, `Env var`, `Secret`)
//!   under any heading, optional when a `Required`/`Optional` column or a default says so;
//! - variables secret-setting commands store (`fly secrets set A=1`, `gh secret set X`,
//!   `kubectl create secret ... --from-literal=K=V`: the invocation's `env_stored`).
//!
//! A name set earlier in the runbook (`VAR=x`, `export VAR=x`, `read VAR`, `for VAR in`, a
//! secret-setting command) is the operator's shell variable afterwards: its later expansions
//! are not references. Built-ins and configured names are left to the rule.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::{BlockKind, CodeBlock, CommandOrigin, Document, EnvContext, SectionId, Table};
use crate::command::shell::{expanded_name, is_var_name, VARIABLE_EXPANSION};
use crate::command::EnvStore;
use crate::span::Span;

/// How a variable was referenced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvRefKind {
    /// `$VAR`, `${VAR}`, `${VAR:-default}` read by shell code.
    Expansion,
    /// `VAR=value cmd`, `env VAR=value cmd` or `export VAR=value` in shell code.
    Assignment,
    /// `KEY=value` in an env-file block: the application's configuration.
    EnvFile,
    /// `KEY=value` in inline code in prose, not said to be configuration.
    InlineAssignment,
    /// A backticked name or `KEY=value` naming configuration: in a checklist, list item or
    /// table cell of a section about configuration, leading a list item, next to `.env`, or
    /// after "set" ("set `PROD_DB_URL` to ...").
    Mention,
    /// A name in the variable column of a table.
    TableRow,
    /// Stored on a platform by a secret-setting command (see [`EnvRef::store`]).
    Stored,
}

impl EnvRefKind {
    /// True for a reference that names the application's configuration (a list, a table, an
    /// env file, a platform secret), as opposed to the operator's shell.
    pub fn is_configuration(self) -> bool {
        matches!(
            self,
            EnvRefKind::EnvFile | EnvRefKind::Mention | EnvRefKind::TableRow | EnvRefKind::Stored
        )
    }
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
    /// The environment it is meant for: the code block's (fence hint) or the section's.
    pub context: EnvContext,
    /// The value or example the runbook gives it, and where (`redis://localhost:6379` of
    /// "`REDIS_URL` (e.g., `redis://localhost:6379`)"; the value of `KEY=value`).
    pub value: Option<(String, Span)>,
    /// True when the runbook says it is optional: a `Required: no` cell, a default value,
    /// "optional" or "defaults to" next to it.
    pub optional: bool,
    /// True when the runbook says the variable is given to the reader (a table after "your
    /// script receives the following variables"), not set by them.
    pub provided: bool,
    /// For [`EnvRefKind::Stored`]: where it is stored.
    pub store: Option<EnvStore>,
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

/// Fence languages of env files.
const ENV_FILE_LANGUAGES: &[&str] = &[
    "env",
    "dotenv",
    ".env",
    "envfile",
    "ini",
    "properties",
    "conf",
];

static LOOP_OR_READ: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bfor\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\b|\bread\s+(?:-[a-zA-Z]+\s+(?:\S+\s+)?)*([A-Za-z_][A-Za-z0-9_]*)")
        .expect("loop regex")
});
static UPPER_SNAKE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$").expect("upper snake regex"));

/// Prose before a code block that makes it an env file ("create `.env`", "set these
/// variables", "add the following environment variables").
static ENV_FILE_CUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\.env\b|\benv(?:ironment)?[ -]?file\b|\b(?:these|following)\s+(?:\w+\s+)?(?:env(?:ironment)?\s+)?variables\b|\bset (?:these|the following)\b")
        .expect("env file cue regex")
});

/// Prose that makes what follows an example or an optional feature ("for example, to disable
/// logging, set:", "to also listen on IPv6"), not the configuration every deploy needs.
static OPTIONAL_CUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:for example|for instance|as an example|e\.g\.|to (?:\(re-?\)\s*|re-?)?(?:enable|disable|also|adjust|change|turn|use|customi[sz]e|override)|if you (?:want|need|wish|prefer)|optional(?:ly)?|you (?:can|may)|can be (?:set|used)|by default|only (?:after|if|when|once))\b")
        .expect("optional cue regex")
});

/// Words right before a backticked name that say the reader sets it ("set `X`", "export
/// `X`", "configure ... via `X`").
static SET_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:set|sets|setting|export|exporting|configure|define|add|provide|supply|via)(?:\s+(?:the|a|an|your))?(?:\s+env(?:ironment)?\s+var(?:iable)?s?)?[\s*_]*$")
        .expect("set-before regex")
});

/// Words before a name that say it is going away ("remove any `X` variable"): not one to
/// declare.
static REMOVED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:remove|removed|unset|delete|drop|deprecated|obsolete|no longer|instead of|replaces?|renamed)\b")
        .expect("removed-before regex")
});

/// Words right after a backticked name that say it is a variable ("`X` environment variable").
static VARIABLE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[*_]*\s*(?:env(?:ironment)?\s+var(?:iable)?|variable|secret)\b")
        .expect("variable-after regex")
});

/// Prose about env files around inline `KEY=value` ("set `HOST_PORT=8010` in `.env`").
static ENV_FILE_PROSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\.env\b|\benv(?:ironment)?[ -]?(?:file|var(?:iable)?s?)\b|\bconfig(?:uration)?\b",
    )
    .expect("env file prose regex")
});

/// Prose before a table of variables the reader is given, not asked to set ("your script
/// receives the following environment variables").
static PROVIDED_CUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:receives?|can (?:access|read|use)|(?:are|is) (?:available|provided|exposed|passed|injected)\b|provides?|exposes?|injects?)\b")
        .expect("provided cue regex")
});

/// A heredoc's delimiter (`<<EOF`, `<<-'EOF'`).
static HEREDOC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)['"]?"#).expect("heredoc regex")
});

/// The file a command line writes: `> .env`, `>> .env`, `tee -a .env`.
static WRITE_TARGET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:>>?|\btee\s+(?:-a\s+)?)\s*['"]?([^\s'"<>;|&]+)"#).expect("write target regex")
});

/// `KEY=value` / `export KEY=value` of an env-file line.
static ENV_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$").expect("env line regex")
});

/// True for a name that looks like an environment variable rather than a local shell
/// variable: upper case, digits and underscores.
pub fn is_env_name(name: &str) -> bool {
    name.len() >= 2
        && name.starts_with(|c: char| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Column titles of a table's variable column. `Name` and `Key` are generic: their cells
/// count only when written as code or in `UPPER_SNAKE`.
const VARIABLE_COLUMNS: &[&str] = &[
    "variable",
    "variables",
    "var",
    "env var",
    "env vars",
    "env variable",
    "environment variable",
    "environment variables",
    "env",
    "secret",
    "secrets",
    "secret name",
    "name",
    "key",
];

/// The references of a parsed document.
pub(super) fn extract(doc: &Document, source: &str) -> Vec<EnvRef> {
    let mut out = Refs {
        doc,
        source,
        refs: Vec::new(),
    };
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
    let defined = out.definitions();
    for (index, block) in doc.code_blocks.iter().enumerate() {
        if is_env_file_block(doc, index) {
            out.env_file(index);
        } else if block.is_shell {
            out.shell_block(block, &block_commands[index], &defined);
        }
    }
    out.stored();
    out.tables();
    out.inline(&defined);
    let mut refs = out.refs;
    // One reference per place: a table's variable cell is also a backticked name in a table.
    refs.sort_by_key(|r| (r.span.start, r.span.end, kind_rank(r.kind)));
    refs.dedup_by(|later, earlier| later.span == earlier.span && later.name == earlier.name);
    refs
}

/// Which reference of one place to keep: the one that knows most about it.
fn kind_rank(kind: EnvRefKind) -> u8 {
    match kind {
        EnvRefKind::TableRow => 0,
        EnvRefKind::Stored => 1,
        EnvRefKind::EnvFile => 2,
        EnvRefKind::Mention => 3,
        EnvRefKind::InlineAssignment => 4,
        EnvRefKind::Assignment => 5,
        EnvRefKind::Expansion => 6,
    }
}

/// True for a code block that is an env file: by its fence (```` ```env ````, a `.env` title),
/// or a block of nothing but `KEY=value` lines after prose about env files or variables.
fn is_env_file_block(doc: &Document, index: usize) -> bool {
    let block = &doc.code_blocks[index];
    if ENV_FILE_LANGUAGES.contains(&block.lang.as_str())
        || block
            .info
            .split(['"', '\'', ' ', '='])
            .any(|w| w == ".env" || w.ends_with("/.env"))
    {
        return true;
    }
    let plain = block.is_shell || matches!(block.lang.as_str(), "" | "text" | "txt" | "plaintext");
    let mut lines = block
        .lines
        .iter()
        .map(|l| l.text.trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .peekable();
    if !plain || lines.peek().is_none() {
        return false;
    }
    let all_env = lines.all(|l| {
        ENV_LINE
            .captures(l)
            .is_some_and(|c| is_env_name(&c[1]) && !c[2].trim_start().starts_with('('))
    });
    all_env && prose_before(doc, index).is_some_and(|text| ENV_FILE_CUE.is_match(text))
}

/// The text of the paragraph or list item right before a code block, in its section, with no
/// other code block between them.
fn prose_before(doc: &Document, index: usize) -> Option<&str> {
    let block = &doc.code_blocks[index];
    prose_before_span(doc, block.span, block.section)
}

/// The text of the paragraph or list item right before `span` in `section`, with no code
/// block between them.
fn prose_before_span(doc: &Document, span: Span, section: SectionId) -> Option<&str> {
    let after = doc
        .text_blocks
        .partition_point(|t| t.span.end <= span.start);
    let previous = doc.text_blocks.get(after.checked_sub(1)?)?;
    let blocks_before = doc
        .code_blocks
        .partition_point(|c| c.span.start < span.start);
    let code_between = blocks_before
        .checked_sub(1)
        .and_then(|i| doc.code_blocks.get(i))
        .is_some_and(|c| c.span.start >= previous.span.end);
    (!code_between
        && previous.section == section
        && matches!(
            previous.kind,
            BlockKind::Paragraph | BlockKind::ListItem | BlockKind::ChecklistItem
        ))
    .then_some(previous.text.as_str())
}

/// The context a code block's fence names (```` ```env production ````), else its section's.
fn block_context(doc: &Document, block: &CodeBlock) -> EnvContext {
    block
        .info
        .split(|c: char| c.is_whitespace() || c == ',' || c == '=' || c == '"')
        .skip(1)
        .find_map(EnvContext::parse)
        .unwrap_or_else(|| doc.context(block.section))
}

struct Refs<'d> {
    doc: &'d Document,
    source: &'d str,
    refs: Vec<EnvRef>,
}

impl Refs<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        name: &str,
        span: Span,
        kind: EnvRefKind,
        section: SectionId,
        context: EnvContext,
        value: Option<(String, Span)>,
        optional: bool,
    ) {
        self.refs.push(EnvRef {
            name: name.to_string(),
            span,
            kind,
            section,
            context,
            value,
            optional,
            provided: false,
            store: None,
        });
    }

    /// Where `name` is written inside `within` (a word's span), or `within` itself.
    fn name_span(&self, within: Span, name: &str) -> Span {
        match self.source.get(within.range()).and_then(|t| t.find(name)) {
            Some(at) => Span::new(within.start + at, within.start + at + name.len()),
            None => within,
        }
    }

    /// Names the runbook sets, by the offset of the first setting: shell assignments (bare
    /// ones too: the operator's shell keeps them from block to block), `read`, `for`, and
    /// secret-setting commands.
    fn definitions(&self) -> HashMap<String, usize> {
        let mut defined: HashMap<String, usize> = HashMap::new();
        let mut define = |name: &str, at: usize| {
            let first = defined.entry(name.to_string()).or_insert(at);
            *first = (*first).min(at);
        };
        for command in &self.doc.commands {
            for invocation in &command.invocations {
                for set in &invocation.env_set {
                    define(&set.name, set.span.start);
                }
                for stored in &invocation.env_stored {
                    define(&stored.name, stored.word.span.start);
                }
            }
            for word in &command.assignments {
                if let Some((name, _)) = word.text.split_once('=') {
                    if is_var_name(name) {
                        define(name, word.span.start);
                    }
                }
            }
        }
        for block in self.doc.code_blocks.iter().filter(|b| b.is_shell) {
            for line in &block.lines {
                for found in LOOP_OR_READ.captures_iter(&line.text) {
                    if let Some(name) = found.get(1).or_else(|| found.get(2)) {
                        define(name.as_str(), line.offset + name.start());
                    }
                }
            }
        }
        defined
    }

    fn env_file(&mut self, index: usize) {
        let block = &self.doc.code_blocks[index];
        let context = block_context(self.doc, block);
        let optional = prose_before(self.doc, index).is_some_and(|t| OPTIONAL_CUE.is_match(t));
        self.env_lines(block, block.lines.iter(), context, optional);
    }

    /// `KEY=value` lines as env-file references.
    fn env_lines<'l>(
        &mut self,
        block: &CodeBlock,
        lines: impl Iterator<Item = &'l super::CodeLine>,
        context: EnvContext,
        optional: bool,
    ) {
        for line in lines {
            let Some(found) = ENV_LINE.captures(&line.text) else {
                continue;
            };
            let name = found.get(1).expect("group 1");
            if !is_env_name(name.as_str()) {
                continue;
            }
            let value = found.get(2).expect("group 2");
            // `KEY=value   # note`: the note is not part of the value.
            let raw = value.as_str();
            let raw = match raw.find(" #") {
                Some(at) if !raw.trim_start().starts_with(['"', '\'']) => &raw[..at],
                _ => raw,
            };
            let text = raw.trim();
            let text = text
                .strip_prefix('"')
                .and_then(|t| t.strip_suffix('"'))
                .or_else(|| text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')))
                .unwrap_or(text);
            self.push(
                name.as_str(),
                line.span_of(name.start(), name.end()),
                EnvRefKind::EnvFile,
                block.section,
                context,
                Some((
                    text.to_string(),
                    line.span_of(value.start(), value.start() + raw.len()),
                )),
                optional,
            );
        }
    }

    fn shell_block(
        &mut self,
        block: &CodeBlock,
        commands: &[&super::Command],
        defined: &HashMap<String, usize>,
    ) {
        let context = commands
            .first()
            .map(|c| c.context)
            .unwrap_or_else(|| block_context(self.doc, block));
        for command in commands {
            for invocation in &command.invocations {
                // `VAR=x cmd` and `export VAR=x` hand VAR on; a bare `VAR=x` only sets a
                // shell variable.
                let handed_on = invocation.program().is_some();
                for set in &invocation.env_set {
                    if !(handed_on || set.exported) || !is_env_name(&set.name) {
                        continue;
                    }
                    let span = self.name_span(set.span, &set.name);
                    let value_span =
                        Span::new(span.end.saturating_add(1).min(set.span.end), set.span.end);
                    self.push(
                        &set.name,
                        span,
                        EnvRefKind::Assignment,
                        block.section,
                        command.context,
                        Some((set.value.clone(), value_span)),
                        false,
                    );
                }
            }
        }
        // A heredoc's body is text for a file, not commands: `KEY=value` lines of one written
        // to `.env` are env-file lines, anything else is left alone.
        let mut heredoc: Option<(&str, bool)> = None;
        let mut env_body: Vec<&super::CodeLine> = Vec::new();
        for line in &block.lines {
            let text = &line.text;
            if let Some((delimiter, to_env)) = heredoc {
                if text.trim() == delimiter {
                    heredoc = None;
                } else if to_env {
                    env_body.push(line);
                }
                continue;
            }
            if text.trim_start().starts_with('#') {
                continue;
            }
            if let Some(found) = HEREDOC.captures(text) {
                let delimiter = found.get(2).expect("group 2").as_str();
                let to_env = WRITE_TARGET.captures_iter(text).any(|t| {
                    let name = t[1].rsplit('/').next().unwrap_or("");
                    name.starts_with(".env") || name.ends_with(".env")
                });
                heredoc = Some((delimiter, to_env));
            }
            for found in VARIABLE_EXPANSION.captures_iter(text) {
                let whole = found.get(0).expect("match");
                if text[..whole.start()].ends_with(['$', '\\']) {
                    continue; // `$$` (pid) or an escaped dollar
                }
                let name = expanded_name(&found);
                let span = line.span_of(name.start(), name.end());
                let local = defined
                    .get(name.as_str())
                    .is_some_and(|at| *at < span.start);
                if !local && is_env_name(name.as_str()) {
                    self.push(
                        name.as_str(),
                        span,
                        EnvRefKind::Expansion,
                        block.section,
                        context,
                        None,
                        false,
                    );
                }
            }
        }
        self.env_lines(block, env_body.into_iter(), context, false);
    }

    /// Variables of secret-setting commands.
    fn stored(&mut self) {
        for command in &self.doc.commands {
            for invocation in &command.invocations {
                for stored in &invocation.env_stored {
                    let span = self.name_span(stored.word.span, &stored.name);
                    let value = stored.value.as_ref().map(|v| {
                        let at = self
                            .source
                            .get(stored.word.span.range())
                            .and_then(|t| t.find(v.as_str()))
                            .map(|i| {
                                Span::new(
                                    stored.word.span.start + i,
                                    stored.word.span.start + i + v.len(),
                                )
                            })
                            .unwrap_or(stored.word.span);
                        (v.clone(), at)
                    });
                    self.refs.push(EnvRef {
                        name: stored.name.clone(),
                        span,
                        kind: EnvRefKind::Stored,
                        section: command.section,
                        context: command.context,
                        value,
                        optional: false,
                        provided: false,
                        store: Some(stored.store.clone()),
                    });
                }
            }
        }
    }

    /// Names in the variable column of tables, under any heading.
    fn tables(&mut self) {
        for table in &self.doc.tables {
            let Some(column) = variable_column(table) else {
                continue;
            };
            let generic = matches!(header_text(table, column).as_str(), "name" | "key" | "env");
            let context = self.doc.context(table.section);
            let provided = prose_before_span(self.doc, table.span, table.section)
                .is_some_and(|t| PROVIDED_CUE.is_match(t));
            let first_ref = self.refs.len();
            for row in &table.rows {
                let Some(cell) = row.get(column) else {
                    continue;
                };
                let (optional, value) = row_facts(self.doc, table, row);
                let codes = self.codes_in(cell.span);
                let names: Vec<(String, Span)> = if codes.is_empty() {
                    // A bare name in the cell: `DATABASE_URL` written without backticks.
                    let text = cell.text.trim();
                    if !generic && is_env_name(text) && text.contains('_') {
                        let span = self.name_span(cell.span, text);
                        vec![(text.to_string(), span)]
                    } else {
                        Vec::new()
                    }
                } else {
                    codes
                        .into_iter()
                        .filter(|(text, _)| {
                            is_env_name(text) && (!generic || UPPER_SNAKE.is_match(text))
                        })
                        .collect()
                };
                for (name, span) in names {
                    self.push(
                        &name,
                        span,
                        EnvRefKind::TableRow,
                        table.section,
                        context,
                        value.clone(),
                        optional,
                    );
                }
            }
            for reference in &mut self.refs[first_ref..] {
                reference.provided = provided;
            }
        }
    }

    /// Inline code spans inside `span`, as (text, exact span of the text).
    fn codes_in(&self, span: Span) -> Vec<(String, Span)> {
        let codes = &self.doc.inline_code;
        let first = codes.partition_point(|c| c.span.start < span.start);
        codes[first..]
            .iter()
            .take_while(|c| c.span.start < span.end)
            .filter(|c| span.contains(c.span))
            .map(|c| {
                let text = c.text.trim();
                let lead = c.text.len() - c.text.trim_start().len();
                let at = c
                    .text_offset
                    .map_or(c.span, |o| Span::new(o + lead, o + lead + text.len()));
                (text.to_string(), at)
            })
            .collect()
    }

    fn inline(&mut self, defined: &HashMap<String, usize>) {
        let doc = self.doc;
        // Inline commands: what their invocations set and read.
        for command in doc
            .commands
            .iter()
            .filter(|c| c.origin == CommandOrigin::InlineCode)
        {
            for invocation in &command.invocations {
                for set in &invocation.env_set {
                    if is_env_name(&set.name) && (invocation.program().is_some() || set.exported) {
                        let span = self.name_span(set.span, &set.name);
                        self.push(
                            &set.name,
                            span,
                            EnvRefKind::Assignment,
                            command.section,
                            command.context,
                            Some((set.value.clone(), set.span)),
                            false,
                        );
                    }
                }
                for (name, word) in &invocation.env_read {
                    let span = self.name_span(*word, name);
                    let local = defined.get(name).is_some_and(|at| *at < span.start);
                    if is_env_name(name) && !local {
                        self.push(
                            name,
                            span,
                            EnvRefKind::Expansion,
                            command.section,
                            command.context,
                            None,
                            false,
                        );
                    }
                }
            }
        }
        let mut optional_blocks: HashMap<usize, bool> = HashMap::new();
        for (index, code) in doc.inline_code.iter().enumerate() {
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
            let context = doc.context(code.section);
            if crate::command::inline_is_command(text) {
                continue; // its invocations were read above
            }
            let assigned = text
                .split_once('=')
                .map(|(name, _)| name.strip_prefix("export ").unwrap_or(name).trim())
                .filter(|name| is_env_name(name) && !name.contains(' '));
            if assigned.is_none() && !text.starts_with('$') && !UPPER_SNAKE.is_match(text) {
                continue;
            }
            let block = block_holding(doc, code.span);
            let in_item = matches!(code.block, BlockKind::ChecklistItem | BlockKind::ListItem);
            // A list item led by the code is about it; a table cell is not (a "removed
            // settings" table starts its cells with names too).
            let leads = in_item && block.is_some_and(|b| b.span.start == code.span.start);
            let in_list = in_item || code.block == BlockKind::TableCell;
            let env_section = doc.section_mentions(code.section, ENV_SECTION_WORDS);
            // The sentence holding the code says whether it is optional; a list item's
            // introduction ("To enable SSL:") too, worked out once per item.
            let optional = block.is_some_and(|b| {
                // A list item is short: all of it speaks of its variable.
                let sentence = if in_item {
                    b.text.as_str()
                } else {
                    sentence_around(self.source, b.span, code.span)
                };
                mentions_optional(&sentence.to_lowercase())
                    || OPTIONAL_CUE.is_match(sentence)
                    || (in_item
                        && *optional_blocks.entry(b.span.start).or_insert_with(|| {
                            list_intro(doc, b).is_some_and(|t| OPTIONAL_CUE.is_match(&t))
                        }))
            });
            // "set `PROD_DB_URL` to ...", "the `SENTRY_DSN` environment variable".
            let said_set = block.is_some_and(|b| {
                let before = self.source.get(b.span.start..code.span.start).unwrap_or("");
                let mut from = before.len().saturating_sub(80);
                while !before.is_char_boundary(from) {
                    from += 1;
                }
                let before = before[from..].trim_end_matches('`');
                let after = self.source.get(code.span.end..b.span.end).unwrap_or("");
                let mut to = after.len().min(40);
                while !after.is_char_boundary(to) {
                    to -= 1;
                }
                let sentence = before.rsplit(['.', '!', '?', ':']).next().unwrap_or(before);
                (SET_BEFORE.is_match(before) || VARIABLE_AFTER.is_match(&after[..to]))
                    && !REMOVED_BEFORE.is_match(sentence)
            });
            // Prose that says to set a name is about the application outside development; in
            // a development section it is as likely the developer's own shell.
            let said_set = said_set && context != EnvContext::Development;
            if let (Some(name), Some((_, value))) = (assigned, text.split_once('=')) {
                {
                    let start = text.find(name).unwrap_or(0);
                    let value = value.split_whitespace().next().unwrap_or("");
                    let value_at = text.find('=').map_or(0, |i| i + 1);
                    // `BANKING_ENABLED=0` alone in a list item, or next to `.env`, is a
                    // setting of the application; elsewhere it may be the operator's.
                    let configuration = (in_list && (leads || env_section))
                        || said_set
                        || block.is_some_and(|b| ENV_FILE_PROSE.is_match(&b.text));
                    let kind = if configuration {
                        EnvRefKind::Mention
                    } else {
                        EnvRefKind::InlineAssignment
                    };
                    self.push(
                        name,
                        at(start, start + name.len()),
                        kind,
                        code.section,
                        context,
                        Some((value.to_string(), at(value_at, value_at + value.len()))),
                        configuration && optional,
                    );
                    continue;
                }
            }
            if text.starts_with('$') {
                if let Some(found) = VARIABLE_EXPANSION.captures(text) {
                    let name = expanded_name(&found);
                    if found.get(0).is_some_and(|m| m.start() == 0) && is_env_name(name.as_str()) {
                        self.push(
                            name.as_str(),
                            at(name.start(), name.end()),
                            EnvRefKind::Expansion,
                            code.section,
                            context,
                            None,
                            false,
                        );
                    }
                }
                continue;
            }
            if !UPPER_SNAKE.is_match(text) {
                continue;
            }
            let span = at(0, text.len());
            match code.block {
                BlockKind::ChecklistItem | BlockKind::ListItem | BlockKind::Paragraph
                    if said_set || (in_item && (leads || env_section)) =>
                {
                    let value = block.and_then(|b| self.item_value(b.span, index));
                    self.push(
                        text,
                        span,
                        EnvRefKind::Mention,
                        code.section,
                        context,
                        value,
                        optional,
                    );
                }
                BlockKind::TableCell if env_section || said_set => {
                    let (optional, value) = row_at(doc, code.span)
                        .map(|(table, row)| row_facts(doc, table, row))
                        .unwrap_or((false, None));
                    self.push(
                        text,
                        span,
                        EnvRefKind::Mention,
                        code.section,
                        context,
                        value,
                        optional,
                    );
                }
                _ => {}
            }
        }
    }

    /// The example a list item gives for its variable: the first inline code after it that is
    /// not a name (`redis://localhost:6379` in "`REDIS_URL` (e.g., `redis://localhost:6379`)").
    fn item_value(&self, item: Span, name_index: usize) -> Option<(String, Span)> {
        self.doc.inline_code[name_index + 1..]
            .iter()
            .take_while(|c| c.span.start < item.end)
            .filter(|c| item.contains(c.span))
            .find(|c| !UPPER_SNAKE.is_match(c.text.trim()) && !c.text.trim().is_empty())
            .map(|c| {
                let text = c.text.trim();
                let at = c.text_offset.map_or(c.span, |o| {
                    let lead = c.text.len() - c.text.trim_start().len();
                    Span::new(o + lead, o + lead + text.len())
                });
                (text.to_string(), at)
            })
    }
}

/// The table and body row holding `span`, by binary search (tables and rows are in document
/// order; a scan per name was quadratic on a long table of variables).
fn row_at(doc: &Document, span: Span) -> Option<(&Table, &[super::Cell])> {
    let after = doc.tables.partition_point(|t| t.span.start <= span.start);
    let table = doc.tables.get(after.checked_sub(1)?)?;
    if !table.span.contains(span) {
        return None;
    }
    let after = table
        .rows
        .partition_point(|row| row.first().is_none_or(|c| c.span.start <= span.start));
    let row = table.rows.get(after.checked_sub(1)?)?;
    row.iter()
        .any(|cell| cell.span.contains(span))
        .then_some((table, row.as_slice()))
}

/// The paragraphs that introduce the list an item is in ("To enable SSL support:", "For new
/// installations:"): up to two paragraphs right before the item's list, in its section.
fn list_intro(doc: &Document, item: &super::TextBlock) -> Option<String> {
    let at = doc
        .text_blocks
        .partition_point(|b| b.span.start < item.span.start);
    // Lists are short; a bound keeps a list of thousands of items linear.
    let intro: Vec<&str> = doc.text_blocks[..at]
        .iter()
        .rev()
        .take(50)
        .skip_while(|b| matches!(b.kind, BlockKind::ListItem | BlockKind::ChecklistItem))
        .take(2)
        // An introduction ends with a colon ("For new installations:").
        .take_while(|b| {
            b.kind == BlockKind::Paragraph
                && b.section == item.section
                && b.text.trim_end().ends_with(':')
        })
        .map(|b| b.text.as_str())
        .collect();
    (!intro.is_empty()).then(|| intro.join(" "))
}

/// The sentence of `block` (a span of `source`) that holds `code`: from the end of the
/// previous sentence to the end of this one, at most 300 bytes either side.
fn sentence_around(source: &str, block: Span, code: Span) -> &str {
    let floor = |mut at: usize| {
        while !source.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let start = floor(code.start.saturating_sub(300).max(block.start));
    let end = floor(
        code.end
            .saturating_add(300)
            .min(block.end)
            .min(source.len()),
    );
    let (Some(before), Some(after)) = (source.get(start..code.start), source.get(code.end..end))
    else {
        return "";
    };
    // A sentence ends at `.`, `!` or `?` followed by white space.
    let ends = |text: &str| -> Vec<usize> {
        let bytes = text.as_bytes();
        (0..bytes.len().saturating_sub(1))
            .filter(|&i| {
                matches!(bytes[i], b'.' | b'!' | b'?') && bytes[i + 1].is_ascii_whitespace()
            })
            .collect()
    };
    let from = ends(before).last().map_or(start, |i| start + i + 1);
    let to = ends(after).first().map_or(end, |i| code.end + i + 1);
    source.get(from..to).unwrap_or("")
}

/// The text block (paragraph, list item, table cell) holding `span`.
fn block_holding(doc: &Document, span: Span) -> Option<&super::TextBlock> {
    let after = doc
        .text_blocks
        .partition_point(|b| b.span.start <= span.start);
    let block = doc.text_blocks.get(after.checked_sub(1)?)?;
    block.span.contains(span).then_some(block)
}

fn mentions_optional(text: &str) -> bool {
    text.contains("optional") || text.contains("default:") || text.contains("defaults to")
}

/// The lower-cased title of a header cell.
fn header_text(table: &Table, column: usize) -> String {
    table
        .header
        .get(column)
        .map(|c| c.text.trim().trim_matches('*').trim().to_lowercase())
        .unwrap_or_default()
}

/// The index of a table's variable column, if it has one.
fn variable_column(table: &Table) -> Option<usize> {
    (0..table.header.len()).find(|&i| VARIABLE_COLUMNS.contains(&header_text(table, i).as_str()))
}

/// What a table row says of its variable: optional (a `Required: no`, an `Optional: yes`, a
/// default value, "optional" in a cell), and its value or example (a `Value` or `Example`
/// column).
fn row_facts(doc: &Document, table: &Table, row: &[super::Cell]) -> (bool, Option<(String, Span)>) {
    let mut optional = row
        .iter()
        .any(|cell| mentions_optional(&cell.text.to_lowercase()));
    let mut value = None;
    for (index, _) in table.header.iter().enumerate() {
        let title = header_text(table, index);
        let Some(cell) = row.get(index) else {
            continue;
        };
        let text = cell.text.trim().trim_end_matches('.').to_lowercase();
        let empty = matches!(text.as_str(), "" | "-" | "—" | "none" | "n/a" | "unset");
        if title.contains("default") && !empty {
            optional = true;
        }
        if (title.contains("required") || title.contains("mandatory"))
            && (text.starts_with("no")
                || text == "optional"
                || text == "false"
                || text.contains('❌'))
        {
            optional = true;
        }
        if title == "optional"
            && (text.starts_with("yes")
                || text == "true"
                || text.contains('✅')
                || text.contains('✓'))
        {
            optional = true;
        }
        let is_value = matches!(
            title.as_str(),
            "value"
                | "values"
                | "example"
                | "examples"
                | "example value"
                | "production value"
                | "prod value"
        );
        if is_value && !empty && value.is_none() {
            let first = doc
                .inline_code
                .partition_point(|c| c.span.start < cell.span.start);
            let code = doc.inline_code[first..]
                .iter()
                .take_while(|c| c.span.start < cell.span.end)
                .find(|c| cell.span.contains(c.span) && c.text_offset.is_some());
            value = Some(match code {
                Some(c) => {
                    let text = c.text.trim();
                    let lead = c.text.len() - c.text.trim_start().len();
                    let o = c.text_offset.unwrap_or(c.span.start) + lead;
                    (text.to_string(), Span::new(o, o + text.len()))
                }
                None => (cell.text.trim().to_string(), cell.span),
            });
        }
    }
    (optional, value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::ParseOptions;

    fn refs(markdown: &str) -> Vec<EnvRef> {
        Document::parse(markdown, &ParseOptions::default()).env_refs
    }

    fn names(markdown: &str) -> Vec<(String, EnvRefKind)> {
        refs(markdown)
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
        let found = refs(md);
        assert_eq!(found[0].value.as_ref().unwrap().0, "https://x");
    }

    #[test]
    fn shell_variables_stay_set_from_block_to_block() {
        let md = "```bash\nTAG=v1.2.3\nread -r REGION\n```\n\nThen:\n\n```bash\ndocker push app:$TAG $REGION $LATER\nLATER=1\n```\n";
        assert_eq!(names(md), vec![("LATER".into(), EnvRefKind::Expansion)]);
    }

    #[test]
    fn backticked_names_only_in_env_sections() {
        let md = "## Environment variables\n\n- [ ] `STRIPE_SECRET_KEY` set\n- `SENTRY_DSN`\n\n| Var | Use |\n|---|---|\n| `REDIS_URL` | cache |\n\nProse `NOT_LISTED`.\n\n## Deploy\n\n- [ ] `BUILD_ID` noted\n- [ ] set the flag `FEATURE_X` off\n";
        let found: Vec<String> = names(md).into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            found,
            vec!["STRIPE_SECRET_KEY", "SENTRY_DSN", "REDIS_URL", "BUILD_ID"]
        );
    }

    #[test]
    fn inline_assignments_and_expansions() {
        let md = "Run it with `NODE_OPTIONS=--max-old-space-size=4096` and check `$SESSION_SECRET`.\n\nSet `LOG_LEVEL=debug` for more.\n";
        let found = refs(md);
        let kinds: Vec<(&str, EnvRefKind)> =
            found.iter().map(|r| (r.name.as_str(), r.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                ("NODE_OPTIONS", EnvRefKind::InlineAssignment),
                ("SESSION_SECRET", EnvRefKind::Expansion),
                ("LOG_LEVEL", EnvRefKind::Mention),
            ]
        );
        assert_eq!(
            found[0].value.as_ref().unwrap().0,
            "--max-old-space-size=4096"
        );
    }

    #[test]
    fn env_file_blocks_by_fence_or_by_the_prose_before_them() {
        let md = "## Production\n\n```env\nDATABASE_URL=postgres://db\n# OPTIONAL_X=1\nexport REDIS_URL=\"redis://r\"\n```\n\nCreate `.env` with:\n\n```\nAUTH0_DOMAIN=x.auth0.com\nAUTH0_AUDIENCE=https://api\n```\n\n```bash\nAPP_ONLY=1\n```\n";
        let found = refs(md);
        let kinds: Vec<(&str, EnvRefKind)> =
            found.iter().map(|r| (r.name.as_str(), r.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                ("DATABASE_URL", EnvRefKind::EnvFile),
                ("REDIS_URL", EnvRefKind::EnvFile),
                ("AUTH0_DOMAIN", EnvRefKind::EnvFile),
                ("AUTH0_AUDIENCE", EnvRefKind::EnvFile),
            ]
        );
        assert_eq!(found[1].value.as_ref().unwrap().0, "redis://r");
        assert_eq!(found[0].context, EnvContext::Production);
    }

    #[test]
    fn variable_tables_under_any_heading_with_optional_rows_and_values() {
        let md = "## Reference\n\n| Variable | Required | Default | Example |\n|---|---|---|---|\n| `LOG_LEVEL` | No | `info` | |\n| `API_TOKEN` | Yes | - | `tok` |\n| DATABASE_URL | yes | | `postgres://db` |\n\n| Name | Role |\n|---|---|\n| Dana | lead |\n| `ON_CALL_PHONE` | pager |\n";
        let found = refs(md);
        let rows: Vec<(&str, bool, Option<&str>)> = found
            .iter()
            .map(|r| {
                (
                    r.name.as_str(),
                    r.optional,
                    r.value.as_ref().map(|v| v.0.as_str()),
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                ("LOG_LEVEL", true, None),
                ("API_TOKEN", false, Some("tok")),
                ("DATABASE_URL", false, Some("postgres://db")),
                ("ON_CALL_PHONE", false, None),
            ]
        );
        assert!(found.iter().all(|r| r.kind == EnvRefKind::TableRow));
    }

    #[test]
    fn list_items_led_by_a_name_with_their_example() {
        let md = "## Production checklist\n\n- [ ] `REDIS_URL` - Redis connection URL (e.g., `redis://localhost:6379`)\n- [ ] `CACHE_TTL` (optional, default: `60`)\n";
        let found = refs(md);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].kind, EnvRefKind::Mention);
        assert_eq!(found[0].value.as_ref().unwrap().0, "redis://localhost:6379");
        assert_eq!(found[0].context, EnvContext::Production);
        assert!(found[1].optional && !found[0].optional);
    }

    #[test]
    fn secret_setting_commands_store_and_define() {
        let md = "## Production\n\n```bash\nfly secrets set AUTH0_DOMAIN=x.auth0.com \\\n  AUTH0_AUDIENCE=https://api\necho $AUTH0_DOMAIN\n```\n\nRun `gh secret set DEPLOY_HOOK`.\n";
        let found = refs(md);
        let kinds: Vec<(&str, EnvRefKind, Option<&str>)> = found
            .iter()
            .map(|r| (r.name.as_str(), r.kind, r.store.as_ref().map(|s| s.name())))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("AUTH0_DOMAIN", EnvRefKind::Stored, Some("Fly")),
                ("AUTH0_AUDIENCE", EnvRefKind::Stored, Some("Fly")),
                ("DEPLOY_HOOK", EnvRefKind::Stored, Some("GitHub Actions")),
            ]
        );
        assert_eq!(&md[found[1].span.range()], "AUTH0_AUDIENCE");
        assert_eq!(found[0].value.as_ref().unwrap().0, "x.auth0.com");
    }

    #[test]
    fn heredoc_bodies_are_files_not_commands() {
        let md = "## Production\n\n```bash\ncat > .env <<EOF\nAPP_SECRET=$GENERATED\nEOF\ncat > record.md <<'EOF'\nLead: $DEPLOYMENT_LEAD\nEOF\necho $AFTER_IT\n```\n";
        let found: Vec<(String, EnvRefKind)> = names(md);
        assert_eq!(
            found,
            vec![
                ("APP_SECRET".into(), EnvRefKind::EnvFile),
                ("AFTER_IT".into(), EnvRefKind::Expansion),
            ]
        );
    }

    #[test]
    fn tables_of_variables_the_reader_is_given_and_example_blocks() {
        let md = "## Hooks\n\nYour script receives the following environment variables:\n\n| Environment Variable | Description |\n|---|---|\n| `DOCUMENT_ID` | key |\n\nFor example, to disable logging, set these variables in `.env`:\n\n```\nUWSGI_DISABLE_LOGGING=1\n```\n";
        let found = refs(md);
        assert_eq!(found.len(), 2);
        assert!(found[0].provided && !found[0].optional);
        assert!(found[1].optional && found[1].kind == EnvRefKind::EnvFile);
    }

    #[test]
    fn env_file_values_without_trailing_notes() {
        let md = "```env\nSERVICE_KEY=abc   # production only\nQUOTED=\"a # b\"\n```\n";
        let values: Vec<String> = refs(md).into_iter().map(|r| r.value.unwrap().0).collect();
        assert_eq!(values, vec!["abc", "a # b"]);
    }

    #[test]
    fn settings_the_prose_asks_for_and_optional_ones() {
        let md = "## SSL\n\nSSL is off by default. To enable it:\n\nFor new installations:\n- Add the environment variable `APP_SSL=true`\n\n## Deploy\n\nSet `PROD_DB_URL` to the primary. A deployment sets `TRUST_PROXY=1` only after its proxy does. Remove any `OLD_FLAG` variable.\n\n- `BANKING_ENABLED=0`\n";
        let found: Vec<(String, EnvRefKind, bool)> = refs(md)
            .into_iter()
            .map(|r| (r.name, r.kind, r.optional))
            .collect();
        assert_eq!(
            found,
            vec![
                ("APP_SSL".into(), EnvRefKind::Mention, true),
                ("PROD_DB_URL".into(), EnvRefKind::Mention, false),
                ("TRUST_PROXY".into(), EnvRefKind::Mention, true),
                ("BANKING_ENABLED".into(), EnvRefKind::Mention, false),
            ]
        );
    }
}
