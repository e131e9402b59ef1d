//! Declarative rule packs, parsed and validated with the config: TOML files whose entries match commands by program, subcommand
//! words and flags. The built-in catalogues live in the top-level `rules/` folder and are
//! embedded with `include_str!`; users add their own packs in the same format.
//!
//! ```toml
//! rule = "unsafe-migration"          # the rule id findings are reported under
//! summary = "..."
//! [severity]                         # per context; unknown follows the config
//! production = "error"
//! staging = "warning"
//! development = "off"
//! rollback = "warning"
//!
//! [[entry]]
//! id = "prisma-migrate-dev"
//! tool = "Prisma"
//! program = ["prisma"]               # after launchers (npx, pnpm exec, bundle exec ...)
//! args = ["migrate", "dev"]          # consecutive non-flag words; "*" matches any word
//! flags-any = []                     # at least one of these flags must be present
//! flags-none = ["--dry-run"]         # none of these may be present
//! elsewhere = false                  # true: only where it runs in a container or on another
//!                                    # host (`git reset --hard` on a server checkout)
//! message = "`prisma migrate dev` is a development-only command"
//! why = "..."
//! safe = "prisma migrate deploy"     # the safe alternative, as a command
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::command::{Command, Invocation};
use crate::diagnostic::Level;
use crate::document::EnvContext;

/// Severity of a context-dependent rule in each context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContextLevels {
    /// In production sections.
    pub production: Level,
    /// In staging sections.
    pub staging: Level,
    /// In development or local sections.
    pub development: Level,
    /// In rollback, recovery and troubleshooting sections.
    pub rollback: Level,
}

impl ContextLevels {
    /// The level for an effective context (unknown must already be resolved).
    pub fn for_context(&self, context: EnvContext) -> Level {
        match context {
            EnvContext::Production | EnvContext::Unknown => self.production,
            EnvContext::Staging => self.staging,
            EnvContext::Development => self.development,
            EnvContext::Rollback => self.rollback,
        }
    }
}

/// A parsed pack.
#[derive(Debug, Clone)]
pub struct Pack {
    /// Rule id its findings are reported under.
    pub rule: String,
    /// One-line summary.
    pub summary: String,
    /// Where it came from (`rules/unsafe-migration.toml` or a user path).
    pub origin: String,
    /// Default severities per context.
    pub levels: ContextLevels,
    /// The entries, in file order.
    pub entries: Vec<Entry>,
}

/// One catalogue entry.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Entry id, unique in the pack.
    pub id: String,
    /// The tool it is about ("Prisma").
    pub tool: String,
    /// Programs (file names) it applies to.
    pub programs: Vec<String>,
    /// Consecutive non-flag words to find.
    pub args: Vec<String>,
    /// At least one must be present (empty: no requirement).
    pub flags_any: Vec<String>,
    /// None may be present.
    pub flags_none: Vec<String>,
    /// The finding's message.
    pub message: String,
    /// Why it is dangerous.
    pub why: String,
    /// The safe alternative command, if there is one.
    pub safe: Option<String>,
    /// Severities per context for this entry.
    pub levels: ContextLevels,
    /// At least one non-flag argument must match (`rm -rf` on `/`, `~`, `*` or a variable).
    pub arg_regex: Option<regex::Regex>,
    /// Free-text pattern: over the command line, or over SQL statements when `programs` is
    /// empty.
    pub regex: Option<regex::Regex>,
    /// The text must NOT match this (`DELETE FROM` without `WHERE`).
    pub unless: Option<regex::Regex>,
    /// Matches only an invocation run in a container or on another host.
    pub elsewhere: bool,
}

/// A pack that could not be loaded: file, line, column and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}:{line}:{column}: {message}")]
pub struct PackError {
    /// The pack's path.
    pub origin: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong, naming the key.
    pub message: String,
}

impl PackError {
    /// An error at byte `offset` of `text`, the file named `origin`.
    /// The message may quote the file (a value, a pattern): it is masked, escaped and cut
    /// short like every echoed value.
    fn at(origin: &str, text: &str, offset: usize, message: String) -> PackError {
        let (line, column) = crate::span::LineIndex::new(text).position(text, offset);
        PackError {
            origin: origin.to_string(),
            line,
            column,
            message: crate::redact::shown_message(&message),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PackFile {
    rule: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    severity: BTreeMap<String, String>,
    #[serde(default)]
    entry: Vec<toml::Spanned<EntryFile>>,
}

/// One entry as written: a pack's `[[entry]]` or the config's inline `[[rule]]` (whose id is
/// also the rule id, and which may carry a `summary`). `severity` is one level for every
/// context or a per-context table over the pack's (or an inline rule's) defaults.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EntryFile {
    id: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    tool: String,
    program: Option<OneOrMany>,
    #[serde(default)]
    args: Vec<String>,
    arg_regex: Option<String>,
    regex: Option<String>,
    unless: Option<String>,
    #[serde(default)]
    flags_any: Vec<String>,
    #[serde(default)]
    flags_none: Vec<String>,
    #[serde(default)]
    elsewhere: bool,
    message: String,
    #[serde(default)]
    why: String,
    safe: Option<String>,
    severity: Option<SeverityFile>,
}

/// A single rule written inline in the config (`[[rule]]`).
pub type InlineRuleFile = EntryFile;

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum SeverityFile {
    All(String),
    Table(BTreeMap<String, String>),
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl Pack {
    /// Parses a pack from TOML text; `origin` names it in errors.
    pub fn parse(origin: &str, text: &str) -> Result<Pack, PackError> {
        let error_at =
            |offset: usize, message: String| PackError::at(origin, text, offset, message);
        let file: PackFile = toml::from_str(text).map_err(|error| {
            let offset = error.span().map(|s| s.start).unwrap_or(0);
            error_at(offset, error.message().trim().to_string())
        })?;
        let base = ContextLevels {
            production: Level::On(crate::diagnostic::Severity::Error),
            staging: Level::On(crate::diagnostic::Severity::Warning),
            development: Level::Off,
            rollback: Level::On(crate::diagnostic::Severity::Warning),
        };
        let levels = apply_levels(base, &file.severity).map_err(|m| error_at(0, m))?;
        let mut entries = Vec::new();
        let mut ids = std::collections::HashSet::new();
        for spanned in file.entry {
            let start = spanned.span().start;
            let entry = spanned.into_inner();
            if ids.contains(&entry.id) {
                return Err(error_at(
                    start,
                    format!("duplicate entry id `{}`", entry.id),
                ));
            }
            if !entry.summary.is_empty() {
                return Err(error_at(
                    start,
                    format!(
                        "entry `{}`: `summary` belongs to the pack, not to an entry",
                        entry.id
                    ),
                ));
            }
            ids.insert(entry.id.clone());
            let entry_levels = entry_levels(levels, &entry.severity)
                .map_err(|m| error_at(start, format!("entry `{}`: {m}", entry.id)))?;
            let built = build_entry(entry, entry_levels).map_err(|m| error_at(start, m))?;
            entries.push(built);
        }
        Ok(Pack {
            rule: file.rule,
            summary: file.summary,
            origin: origin.to_string(),
            levels,
            entries,
        })
    }

    /// The first entry matching an invocation.
    pub fn find(&self, invocation: &Invocation) -> Option<&Entry> {
        // The program is the same for every entry: find it once and only try the entries
        // about it (this runs for every command of every file, against every pack).
        let program = invocation.name();
        if program.is_empty() {
            return None;
        }
        self.entries
            .iter()
            .filter(|entry| entry.programs.iter().any(|p| p == program))
            .find(|entry| entry.matches(invocation))
    }

    /// The first entry matching what a command runs (its innermost invocation).
    pub fn find_in(&self, command: &Command) -> Option<&Entry> {
        self.find(command.invocation()?)
    }

    /// The first program-less (free-text) entry matching a SQL statement or text.
    pub fn find_text(&self, text: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|entry| entry.programs.is_empty() && entry.matches_text(text))
    }

    /// A one-entry pack from an inline `[[rule]]` of the config; `offset` is where it starts
    /// in `text` (the config), for error positions.
    pub fn from_inline(
        origin: &str,
        text: &str,
        offset: usize,
        rule: InlineRuleFile,
    ) -> Result<Pack, PackError> {
        let error_at = |message: String| PackError::at(origin, text, offset, message);
        let warning = Level::On(crate::diagnostic::Severity::Warning);
        let defaults = ContextLevels {
            production: warning,
            staging: warning,
            development: Level::Off,
            rollback: warning,
        };
        let levels = entry_levels(defaults, &rule.severity)
            .map_err(|m| error_at(format!("rule `{}`: {m}", rule.id)))?;
        if !rule
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(error_at(format!(
                "rule `{}`: `id` must be kebab-case",
                rule.id
            )));
        }
        let summary = if rule.summary.is_empty() {
            rule.message.clone()
        } else {
            rule.summary.clone()
        };
        let id = rule.id.clone();
        let entry = build_entry(rule, levels).map_err(error_at)?;
        Ok(Pack {
            rule: id,
            summary,
            origin: origin.to_string(),
            levels,
            entries: vec![entry],
        })
    }
}

fn build_entry(entry: EntryFile, levels: ContextLevels) -> Result<Entry, String> {
    let programs = match entry.program {
        Some(OneOrMany::One(p)) => vec![p],
        Some(OneOrMany::Many(p)) => p,
        None => Vec::new(),
    };
    let compile = |key: &str, pattern: Option<String>| -> Result<Option<regex::Regex>, String> {
        pattern
            .map(|p| compile_pattern(&p).map_err(|e| format!("entry `{}`: `{key}` {e}", entry.id)))
            .transpose()
    };
    let regex = compile("regex", entry.regex)?;
    if programs.is_empty() && regex.is_none() {
        return Err(format!(
            "entry `{}`: `program` is empty and there is no `regex`",
            entry.id
        ));
    }
    Ok(Entry {
        arg_regex: compile("arg-regex", entry.arg_regex)?,
        unless: compile("unless", entry.unless)?,
        regex,
        id: entry.id,
        tool: entry.tool,
        programs,
        args: entry.args,
        flags_any: entry.flags_any,
        flags_none: entry.flags_none,
        elsewhere: entry.elsewhere,
        message: entry.message,
        why: entry.why,
        safe: entry.safe,
        levels,
    })
}

/// Compiled size one pack pattern may take. A pack is user input: 400 entries of `\w{150}x`
/// took 3.5 GB with the regex crate's defaults (10 MB each, plus their DFA caches). Every
/// built-in pattern needs a few kilobytes.
pub const PATTERN_SIZE_LIMIT: usize = 256 * 1024;

/// Cache the lazy DFA of one pack pattern may grow to (per thread).
pub const PATTERN_DFA_SIZE_LIMIT: usize = 256 * 1024;

/// Compiles a pack pattern within [`PATTERN_SIZE_LIMIT`]; the error completes "`regex` ...".
fn compile_pattern(pattern: &str) -> Result<regex::Regex, String> {
    regex::RegexBuilder::new(pattern)
        .size_limit(PATTERN_SIZE_LIMIT)
        .dfa_size_limit(PATTERN_DFA_SIZE_LIMIT)
        .build()
        .map_err(|error| match error {
            regex::Error::CompiledTooBig(limit) => format!(
                "is too large: it compiles to over {limit} bytes (simplify it, e.g. `\\w+` for `\\w{{150}}`)"
            ),
            // The parser's message draws the pattern with a caret over several lines: its
            // last line says what is wrong.
            regex::Error::Syntax(message) => format!(
                "is not a valid regex: {}",
                message
                    .lines()
                    .last()
                    .unwrap_or("")
                    .trim()
                    .trim_start_matches("error: ")
            ),
            other => format!("is not a valid regex: {other}"),
        })
}

/// An entry's levels: its `severity` (one level, or a per-context table) over `defaults`.
fn entry_levels(
    defaults: ContextLevels,
    severity: &Option<SeverityFile>,
) -> Result<ContextLevels, String> {
    match severity {
        None => Ok(defaults),
        Some(SeverityFile::All(value)) => {
            let level = Level::parse(value).ok_or_else(|| {
                format!("severity `{value}` is not one of error, warning, info, off")
            })?;
            Ok(ContextLevels {
                production: level,
                staging: level,
                development: level,
                rollback: level,
            })
        }
        Some(SeverityFile::Table(table)) => apply_levels(defaults, table),
    }
}

fn apply_levels(
    mut levels: ContextLevels,
    table: &BTreeMap<String, String>,
) -> Result<ContextLevels, String> {
    for (context, value) in table {
        let level = Level::parse(value).ok_or_else(|| {
            format!("severity.{context}: `{value}` is not one of error, warning, info, off")
        })?;
        match context.as_str() {
            "production" => levels.production = level,
            "staging" => levels.staging = level,
            "development" => levels.development = level,
            "rollback" => levels.rollback = level,
            other => {
                return Err(format!(
                    "unknown key `severity.{other}`; expected production, staging, development or rollback"
                ))
            }
        }
    }
    Ok(levels)
}

impl Entry {
    /// True when the invocation (launchers peeled) is what this entry describes.
    pub fn matches(&self, invocation: &Invocation) -> bool {
        let program = invocation.name();
        if !self.programs.iter().any(|p| p == program) {
            return false;
        }
        if self.elsewhere && invocation.is_local() {
            return false;
        }
        let rest: Vec<&str> = invocation.args().iter().map(|w| w.text.as_str()).collect();
        let positionals = invocation.positionals();
        // Index of the positional after the matched `args` window (0 when there are no args).
        let mut after = 0;
        if !self.args.is_empty() {
            let n = self.args.len();
            let found = positionals.windows(n).position(|window| {
                window
                    .iter()
                    .zip(&self.args)
                    .all(|(word, pattern)| pattern == "*" || word.eq_ignore_ascii_case(pattern))
            });
            match found {
                Some(index) => after = index + n,
                None => return false,
            }
        }
        let has_flag = |spec: &str| rest.iter().any(|word| flag_matches(spec, word));
        if !self.flags_any.is_empty() && !self.flags_any.iter().any(|f| has_flag(f)) {
            return false;
        }
        if self.flags_none.iter().any(|f| has_flag(f)) {
            return false;
        }
        if let Some(pattern) = &self.arg_regex {
            // With `args`, the word right after them (`kubectl delete ns`); else any argument.
            let matched = if self.args.is_empty() {
                positionals.iter().any(|w| pattern.is_match(w))
            } else {
                positionals.get(after).is_some_and(|w| pattern.is_match(w))
            };
            if !matched {
                return false;
            }
        }
        match &self.regex {
            Some(_) => self.matches_text(&rest.join(" ")),
            None => true,
        }
    }

    /// True when the free-text pattern matches `text` and `unless` does not.
    pub fn matches_text(&self, text: &str) -> bool {
        self.regex.as_ref().is_some_and(|r| r.is_match(text))
            && !self.unless.as_ref().is_some_and(|u| u.is_match(text))
    }

    /// The entry's command as written in docs: program and args.
    pub fn command_text(&self) -> String {
        let Some(program) = self.programs.first() else {
            return self.id.clone();
        };
        let mut words = vec![program.clone()];
        words.extend(self.args.iter().cloned());
        words.join(" ")
    }
}

/// `--force` matches `--force` and `--force=x`; `-r` also matches combined short flags (`-rf`).
/// A spec ending in `!` (`-c!`) matches only that exact word, not combined short flags.
fn flag_matches(spec: &str, word: &str) -> bool {
    if let Some(exact) = spec.strip_suffix('!') {
        return word == exact;
    }
    if word == spec {
        return true;
    }
    if let Some(rest) = word.strip_prefix(spec) {
        if rest.starts_with('=') {
            return true;
        }
    }
    let short = spec.len() == 2 && spec.starts_with('-') && !spec.starts_with("--");
    short
        && word.starts_with('-')
        && !word.starts_with("--")
        && word[1..].chars().all(|c| c.is_ascii_alphabetic())
        && word[1..].contains(&spec[1..])
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACK: &str = r#"
rule = "team-rules"
summary = "team"
[severity]
staging = "error"

[[entry]]
id = "rm-rf"
program = "rm"
flags-any = ["-r", "--recursive"]
message = "recursive delete"

[[entry]]
id = "django-zero"
program = ["manage.py", "django-admin"]
args = ["migrate", "*", "zero"]
flags-none = ["--plan"]
message = "unapplies every migration"
[entry.severity]
rollback = "off"
"#;

    #[test]
    fn matches_by_program_words_and_flags() {
        let pack = Pack::parse("team.toml", PACK).unwrap();
        let find = |line: &str| {
            pack.find_in(&crate::command::parse(line))
                .map(|e| e.id.as_str())
        };
        assert_eq!(find("sudo rm -rf /var/x"), Some("rm-rf"));
        assert_eq!(find("rm -fr build"), Some("rm-rf"));
        assert_eq!(find("rm file"), None);
        assert_eq!(
            find("python manage.py migrate billing zero"),
            Some("django-zero")
        );
        assert_eq!(find("python manage.py migrate billing zero --plan"), None);
        assert_eq!(find("python manage.py migrate billing 0003"), None);
        assert_eq!(
            pack.levels.staging,
            Level::On(crate::diagnostic::Severity::Error)
        );
        assert_eq!(pack.entries[1].levels.rollback, Level::Off);
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let error = Pack::parse(
            "ops/x.toml",
            "rule = \"x\"\n[[entry]]\nid = \"a\"\nprogram = \"rm\"\nmessage = \"m\"\nflags = []\n",
        )
        .unwrap_err();
        assert_eq!(error.origin, "ops/x.toml");
        assert!(
            error.message.contains("unknown field `flags`"),
            "{}",
            error.message
        );
        assert!(error.line >= 2);
        let error = Pack::parse(
            "x.toml",
            "rule = \"x\"\n[severity]\nproduction = \"loud\"\n",
        )
        .unwrap_err();
        assert!(error.message.contains("loud"));
        let error = Pack::parse(
            "x.toml",
            "rule = \"x\"\n[[entry]]\nid = \"a\"\nsummary = \"s\"\nprogram = \"rm\"\nmessage = \"m\"\n",
        )
        .unwrap_err();
        assert!(
            error.message.contains("`summary` belongs to the pack"),
            "{}",
            error.message
        );
        assert_eq!(error.line, 2);
    }

    #[test]
    fn oversized_and_invalid_patterns_name_the_entry() {
        let pack = |pattern: &str| {
            Pack::parse(
                "x.toml",
                &format!(
                    "rule = \"x\"\n[[entry]]\nid = \"big\"\nregex = '{pattern}'\nmessage = \"m\"\n"
                ),
            )
        };
        let error = pack(r"\w{150}x").unwrap_err();
        assert_eq!(error.line, 2);
        assert!(
            error
                .message
                .starts_with("entry `big`: `regex` is too large"),
            "{}",
            error.message
        );
        let error = pack(r"(unclosed").unwrap_err();
        assert_eq!(
            error.message,
            "entry `big`: `regex` is not a valid regex: unclosed group"
        );
        assert!(pack(r"(?i)\bDROP\s+\w+").is_ok());
    }

    #[test]
    fn an_entry_severity_may_be_one_level_for_every_context() {
        let pack = Pack::parse(
            "x.toml",
            "rule = \"x\"\n[[entry]]\nid = \"a\"\nprogram = \"rm\"\nmessage = \"m\"\nseverity = \"info\"\n",
        )
        .unwrap();
        let info = Level::On(crate::diagnostic::Severity::Info);
        let levels = pack.entries[0].levels;
        assert_eq!(
            [
                levels.production,
                levels.staging,
                levels.development,
                levels.rollback
            ],
            [info; 4]
        );
    }
}
