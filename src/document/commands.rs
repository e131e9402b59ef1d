//! Shell commands of a runbook: from shell code blocks line by line, and from inline code spans
//! that start with a known program.

use std::sync::LazyLock;

use regex::Regex;

use super::{CodeBlock, EnvContext, InlineCode, SectionId};
use crate::shell::{self, Joint, Word};
use crate::span::Span;

/// Where a command was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandOrigin {
    /// Index into [`super::Document::code_blocks`].
    CodeBlock(usize),
    /// An inline code span.
    InlineCode,
}

/// The directory a command runs in, relative to where the runbook's commands start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkDir {
    /// No `cd` before it.
    Default,
    /// After `cd DIR` with a relative, literal DIR (normalised, `/`-separated).
    Relative(String),
    /// After a `cd` whose target cannot be known statically (`cd $DIR`, `cd /srv/app`, `cd -`).
    Unknown,
}

/// One simple shell command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// Program and arguments, after wrappers such as `sudo` and `env` (kept in `wrappers`).
    pub words: Vec<Word>,
    /// `NAME=value` prefixes, including those given to `env`.
    pub assignments: Vec<Word>,
    /// Wrapper words before the program (`sudo -E`, `time`, `env`).
    pub wrappers: Vec<Word>,
    /// Redirection targets.
    pub redirects: Vec<Word>,
    /// How the command is joined to the previous one on its line.
    pub joint: Joint,
    /// The directory it runs in.
    pub cwd: WorkDir,
    /// From its first to its last word.
    pub span: Span,
    /// The whole logical line it came from (continuations joined), for context in messages;
    /// shared by every command of that line (a copy each made memory quadratic in line
    /// length: a 520 KB line of `pnpm x && ...` took 11.5 GB).
    pub line: std::sync::Arc<str>,
    /// Where it was written.
    pub origin: CommandOrigin,
    /// Section it is in.
    pub section: SectionId,
    /// Effective environment context (fence hint, else the section's).
    pub context: EnvContext,
}

impl Command {
    /// The program word, if any.
    pub fn program(&self) -> Option<&str> {
        self.words.first().map(|w| w.text.as_str())
    }

    /// Argument words after the program.
    pub fn args(&self) -> &[Word] {
        self.words.get(1..).unwrap_or(&[])
    }

    /// The words as text.
    pub fn argv(&self) -> Vec<&str> {
        self.words.iter().map(|w| w.text.as_str()).collect()
    }

    /// The command as a single line of text (words joined by spaces).
    pub fn text(&self) -> String {
        self.argv().join(" ")
    }

    /// Span of the `index`-th word, or the whole command.
    pub fn word_span(&self, index: usize) -> Span {
        self.words.get(index).map(|w| w.span).unwrap_or(self.span)
    }
}

/// The program lists of `rules/programs.toml`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Programs {
    shell_languages: Vec<String>,
    known: Vec<String>,
    inline: Vec<String>,
    wrappers: Vec<String>,
}

static PROGRAMS: LazyLock<Programs> = LazyLock::new(|| {
    toml::from_str(include_str!("../../rules/programs.toml"))
        .expect("rules/programs.toml is valid (unit-tested)")
});

fn listed(list: &[String], word: &str) -> bool {
    list.iter().any(|w| w == word)
}

static PROMPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:\([\w.-]+\)\s*)?(?:[\w.-]+@[\w.-]+(?::[^$#\s]*)?\s*)?[$%]\s+")
        .expect("prompt regex")
});
static CONTINUATION_PROMPT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*>\s").expect("continuation prompt regex"));

/// True when `word` (or its file name, for `./bin/x` and `bin/rails`) is a program runbooks run.
pub fn is_known_program(word: &str) -> bool {
    listed(&PROGRAMS.known, word) || word.starts_with("./") || word.ends_with(".sh")
}

/// Decides whether a code block's commands are extracted: shell fences always; unlabelled
/// blocks when most of their lines start with a known program or a prompt.
pub(super) fn is_shell_block(code: &CodeBlock) -> bool {
    if listed(&PROGRAMS.shell_languages, &code.lang) {
        return true;
    }
    if !code.lang.is_empty() && code.lang != "text" && code.lang != "txt" {
        return false;
    }
    let mut looked = 0usize;
    let mut commands = 0usize;
    for line in &code.lines {
        let trimmed = line.text.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        looked += 1;
        let body = PROMPT
            .find(&line.text)
            .map(|m| &line.text[m.end()..])
            .unwrap_or(trimmed);
        let first = body.split_whitespace().next().unwrap_or("");
        if PROMPT.is_match(&line.text) || is_known_program(first) || shell::is_assignment(first) {
            commands += 1;
        }
    }
    looked > 0 && commands * 2 > looked
}

/// One logical line: text with continuations joined, and a byte → file offset map.
struct LogicalLine {
    text: String,
    offsets: Vec<usize>,
}

impl LogicalLine {
    fn new() -> Self {
        LogicalLine {
            text: String::new(),
            offsets: Vec::new(),
        }
    }

    /// Appends `line` from byte `start`; returns true when it ends with a line continuation
    /// (`\\`, or a trailing `&&`, `||` or `|`), whose backslash is dropped.
    fn append(&mut self, line: &super::CodeLine, start: usize) -> bool {
        let body = line.text.get(start..).unwrap_or("");
        let trimmed = body.trim_end();
        let (piece, continues) = match trimmed.strip_suffix('\\') {
            Some(stripped) => (stripped, true),
            None => {
                let operator =
                    trimmed.ends_with("&&") || trimmed.ends_with("||") || trimmed.ends_with('|');
                (body, operator && !trimmed.trim_start().starts_with('#'))
            }
        };
        for i in 0..piece.len() {
            let offset = if line.exact {
                line.offset + start + i
            } else {
                line.offset
            };
            self.offsets.push(offset);
        }
        self.text.push_str(piece);
        continues
    }

    fn offset_of(&self, index: usize) -> usize {
        if let Some(&offset) = self.offsets.get(index) {
            offset
        } else {
            self.offsets.last().map(|&o| o + 1).unwrap_or(0)
        }
    }
}

/// Lines a quoted string may span before the quote is taken as a stray apostrophe.
const MAX_QUOTED_LINES: usize = 30;

/// Bytes a quoted string may span, for the same decision: re-splitting ever longer joined
/// text must stay cheap on long lines.
const MAX_QUOTED_BYTES: usize = 64 * 1024;

pub(super) fn from_code_block(
    code: &CodeBlock,
    block_index: usize,
    context: EnvContext,
    out: &mut Vec<Command>,
) {
    let has_prompts = code.lines.iter().any(|l| PROMPT.is_match(&l.text));
    let mut cwd = WorkDir::Default;
    let mut heredoc: Option<String> = None;
    let mut next = 0usize;
    while next < code.lines.len() {
        let line = &code.lines[next];
        next += 1;
        if let Some(delimiter) = &heredoc {
            if line.text.trim() == delimiter {
                heredoc = None;
            }
            continue;
        }
        let Some(start) = command_start(line, has_prompts) else {
            continue; // output in a session transcript
        };
        let mut logical = LogicalLine::new();
        let mut continues = logical.append(line, start);
        let mut split = None;
        loop {
            // `\`, a trailing `&&`/`|`, or a quote left open continue on the next line.
            if !continues {
                let attempt = shell::split_line(&logical.text, &|i| logical.offset_of(i));
                if !attempt.unterminated_quote {
                    split = Some(attempt);
                    break;
                }
                if !quote_closes_within(&code.lines[next..], &logical.text) {
                    split = Some(attempt);
                    break;
                }
            }
            let Some(following) = code.lines.get(next) else {
                break;
            };
            next += 1;
            let start = continuation_start(following, has_prompts);
            logical.text.push(' ');
            logical.offsets.push(following.offset);
            continues = logical.append(following, start);
        }
        let split =
            split.unwrap_or_else(|| shell::split_line(&logical.text, &|i| logical.offset_of(i)));
        if let Some(delimiter) = split.heredocs.first() {
            heredoc = Some(delimiter.clone());
        }
        push_commands(
            split.commands,
            &logical.text,
            &mut cwd,
            CommandOrigin::CodeBlock(block_index),
            code.section,
            context,
            out,
        );
    }
}

/// Where the command text of a line starts after its prompt; `None` for an output line of a
/// transcript (a block with prompts, and this line has none).
fn command_start(line: &super::CodeLine, has_prompts: bool) -> Option<usize> {
    match PROMPT.find(&line.text) {
        Some(prompt) => Some(prompt.end()),
        None if has_prompts => None,
        None => Some(0),
    }
}

/// Where a continuation line's text starts: after a `> ` continuation prompt in a transcript.
fn continuation_start(line: &super::CodeLine, has_prompts: bool) -> usize {
    match CONTINUATION_PROMPT.find(&line.text) {
        Some(prompt) if has_prompts => prompt.end(),
        _ => 0,
    }
}

/// True when one of the next few lines closes the quote left open in `text`: a multi-line
/// `psql -c "..."` rather than a stray apostrophe.
fn quote_closes_within(lines: &[super::CodeLine], text: &str) -> bool {
    let mut joined = text.to_string();
    for line in lines.iter().take(MAX_QUOTED_LINES) {
        if joined.len() + line.text.len() > MAX_QUOTED_BYTES {
            return false;
        }
        joined.push(' ');
        joined.push_str(&line.text);
        if !shell::split(&joined).unterminated_quote {
            return true;
        }
    }
    false
}

pub(super) fn from_inline_code(code: &InlineCode, context: EnvContext, out: &mut Vec<Command>) {
    let text = code.text.trim();
    let first = text.split_whitespace().next().unwrap_or("");
    let word_count = text.split_whitespace().count();
    let looks_like_command = (listed(&PROGRAMS.inline, first) && word_count >= 2)
        || (first.starts_with("./") && first.len() > 2)
        || (shell::is_assignment(first) && word_count >= 2);
    if !looks_like_command {
        return;
    }
    let base = code.text_offset;
    let split = shell::split_line(&code.text, &|i| match base {
        Some(base) => base + i,
        None => code.span.start,
    });
    let mut cwd = WorkDir::Default;
    push_commands(
        split.commands,
        &code.text,
        &mut cwd,
        CommandOrigin::InlineCode,
        code.section,
        context,
        out,
    );
}

fn push_commands(
    commands: Vec<shell::SimpleCommand>,
    line: &str,
    cwd: &mut WorkDir,
    origin: CommandOrigin,
    section: SectionId,
    context: EnvContext,
    out: &mut Vec<Command>,
) {
    let line: std::sync::Arc<str> = std::sync::Arc::from(line.trim());
    for simple in commands {
        let mut words = simple.words;
        // `if grep -q x file; then` runs `grep`; `fi`, `done`, `for x in ...` run nothing.
        while words
            .first()
            .is_some_and(|w| COMPOUND_OPENERS.contains(&w.text.as_str()))
        {
            words.remove(0);
        }
        if words.first().is_some_and(|w| !looks_like_program(&w.text))
            || (words.is_empty() && simple.assignments.is_empty())
        {
            continue;
        }
        let mut assignments = simple.assignments;
        let mut wrappers = Vec::new();
        // `sudo -E env FOO=1 time pnpm x` → program `pnpm`.
        while let Some(first) = words.first() {
            if !listed(&PROGRAMS.wrappers, &first.text) {
                break;
            }
            let sudo = first.text == "sudo";
            wrappers.push(words.remove(0));
            while let Some(next) = words.first() {
                if next.text.starts_with('-') && next.text.len() > 1 {
                    // `sudo -u postgres psql`: the user is the flag's value, not the program.
                    let takes_value = sudo && crate::argv::sudo_flag_takes_value(&next.text);
                    wrappers.push(words.remove(0));
                    if takes_value && !words.is_empty() {
                        wrappers.push(words.remove(0));
                    }
                } else if shell::is_assignment(&next.text) {
                    assignments.push(words.remove(0));
                } else {
                    break;
                }
            }
        }
        if words.first().is_some_and(|w| w.text == "cd") {
            *cwd = change_dir(cwd, words.get(1).map(|w| w.text.as_str()));
        }
        out.push(Command {
            words,
            assignments,
            wrappers,
            redirects: simple.redirects,
            joint: simple.joint,
            cwd: cwd.clone(),
            span: simple.span,
            line: line.clone(),
            origin,
            section,
            context,
        });
    }
}

/// Shell keywords that open a compound command whose body follows on the same line.
const COMPOUND_OPENERS: &[&str] = &[
    "if", "then", "else", "elif", "do", "while", "until", "!", "{", "time",
];

/// Words that end or frame a compound command and run nothing themselves.
const COMPOUND_FRAMES: &[&str] = &[
    "fi", "done", "esac", "}", ";;", "for", "case", "select", "function", "in",
];

/// False for words that cannot start a command: shell keywords that frame compound commands,
/// function definitions, and the prose or YAML that ends up in shell blocks (`- item`,
/// `* note`, `1.`, `key:`, `{`).
fn looks_like_program(word: &str) -> bool {
    if COMPOUND_FRAMES.contains(&word) || word.ends_with("()") {
        return false;
    }
    let Some(first) = word.chars().next() else {
        return false;
    };
    let numbered = word
        .trim_end_matches('.')
        .chars()
        .all(|c| c.is_ascii_digit())
        && word.ends_with('.');
    let yaml_key = word.ends_with(':') && !word.contains('/');
    let starts_well =
        first.is_alphanumeric() || matches!(first, '.' | '/' | '~' | '_' | '$' | '<' | '[');
    starts_well && !numbered && !yaml_key
}

/// Longest working directory followed; past it the directory is unknown.
const MAX_WORKDIR_BYTES: usize = 1024;

/// The directory after `cd target` from `from`.
fn change_dir(from: &WorkDir, target: Option<&str>) -> WorkDir {
    let Some(target) = target else {
        return WorkDir::Unknown;
    };
    if target.starts_with(['~', '$', '<']) || target == "-" {
        return WorkDir::Unknown;
    }
    let base = match from {
        WorkDir::Default => "",
        WorkDir::Relative(dir) => dir,
        WorkDir::Unknown => return WorkDir::Unknown,
    };
    match crate::paths::join(base, target) {
        Some(dir) if dir.is_empty() => WorkDir::Default,
        // Deeper than any repository: a runbook of `cd a` lines would otherwise give every
        // command a copy of an ever longer path (quadratic memory: 14 GB for 40 000 lines).
        Some(dir) if dir.len() > MAX_WORKDIR_BYTES => WorkDir::Unknown,
        Some(dir) => WorkDir::Relative(dir),
        None => WorkDir::Unknown,
    }
}
