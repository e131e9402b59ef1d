//! From lines of shell text to simple commands: prompts stripped (and, in a transcript, output
//! lines skipped), continuation lines joined, heredoc bodies skipped, wrappers (`sudo -E`,
//! `env FOO=1`, `time`) set aside, and `cd DIR` carried to the commands after it.
//!
//! The same steps serve a runbook's code blocks, its command-looking inline code and the
//! bodies of package scripts, so each is understood the same way.

use std::sync::LazyLock;

use regex::Regex;

use super::shell::{self, Word};
use super::{Command, WorkDir};
use crate::span::Span;

/// One line of shell text and where it sits in the caller's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceLine<'a> {
    /// The line, without its newline.
    pub text: &'a str,
    /// Offset of its first byte in the caller's text.
    pub offset: usize,
    /// True when `text` is exactly the caller's bytes at `offset` (false after tab expansion:
    /// then every byte maps to the line's start).
    pub exact: bool,
}

impl SourceLine<'_> {
    /// Caller span of bytes `start..end` of this line (the whole line when not `exact`).
    pub fn span_of(&self, start: usize, end: usize) -> Span {
        if self.exact {
            Span::new(self.offset + start, self.offset + end)
        } else {
            Span::new(self.offset, self.offset + self.text.len())
        }
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
    listed(&PROGRAMS.known, word)
        || word.starts_with("./")
        || crate::paths::has_extension(word, &["sh"])
}

/// True for a fence language whose content is shell (`bash`, `console`, ...).
pub fn is_shell_language(lang: &str) -> bool {
    listed(&PROGRAMS.shell_languages, lang)
}

/// True when most non-comment lines start with a known program, an assignment or a prompt:
/// an unlabelled block of commands rather than output or configuration.
pub fn looks_like_commands<'a>(lines: impl IntoIterator<Item = &'a str>) -> bool {
    let mut looked = 0usize;
    let mut commands = 0usize;
    for line in lines {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        looked += 1;
        let body = PROMPT
            .find(line)
            .map(|m| &line[m.end()..])
            .unwrap_or(trimmed);
        let first = body.split_whitespace().next().unwrap_or("");
        if PROMPT.is_match(line) || is_known_program(first) || shell::is_assignment(first) {
            commands += 1;
        }
    }
    looked > 0 && commands * 2 > looked
}

/// One logical line: text with continuations joined, and a byte → caller offset map.
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
    fn append(&mut self, line: &SourceLine<'_>, start: usize) -> bool {
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

/// Programs run where containers are managed, never inside one.
const ORCHESTRATORS: &[&str] = &[
    "docker",
    "docker-compose",
    "podman",
    "podman-compose",
    "kubectl",
    "oc",
    "helm",
    "ssh",
    "fly",
    "flyctl",
    "heroku",
    "cf",
    "gcloud",
    "aws",
    "az",
    "minikube",
    "kind",
];

/// Lines a quoted string may span before the quote is taken as a stray apostrophe.
const MAX_QUOTED_LINES: usize = 30;

/// Bytes a quoted string may span, for the same decision: re-splitting ever longer joined
/// text must stay cheap on long lines.
const MAX_QUOTED_BYTES: usize = 64 * 1024;

/// The simple commands of a shell block, in order. `cd` is carried from line to line.
/// Invocations are not computed yet: the caller may still adjust spans, then calls
/// [`Command::understand`].
pub fn block_commands(lines: &[SourceLine<'_>]) -> Vec<Command> {
    let mut out = Vec::new();
    let has_prompts = lines.iter().any(|l| PROMPT.is_match(l.text));
    let mut cwd = WorkDir::Default;
    // Open interactive sessions, innermost last, each with the directory outside it.
    let mut sessions: Vec<(super::ExecLocation, WorkDir)> = Vec::new();
    let mut heredoc: Option<String> = None;
    let mut next = 0usize;
    while next < lines.len() {
        let line = &lines[next];
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
                if !quote_closes_within(&lines[next..], &logical.text) {
                    split = Some(attempt);
                    break;
                }
            }
            let Some(following) = lines.get(next) else {
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
        // Nobody runs `docker` or `kubectl` inside a container: a block that lists
        // `docker compose exec web bash` next to other local commands never entered it.
        let orchestrates = split.commands.first().is_some_and(|c| {
            c.words
                .iter()
                .map(|w| w.text.as_str())
                .find(|w| !listed(&PROGRAMS.wrappers, w) && !w.starts_with('-'))
                .is_some_and(|p| ORCHESTRATORS.contains(&super::argv::program_name(p)))
        });
        if orchestrates
            && matches!(
                sessions.last(),
                Some((super::ExecLocation::Container { .. }, _))
            )
        {
            if let Some((_, outside)) = sessions.pop() {
                cwd = outside;
            }
        }
        let first = out.len();
        push_commands(split.commands, &logical.text, &mut cwd, &mut out);
        // The line runs in the session open before it; what it opens or closes counts from
        // the next line on.
        let session = sessions.last().map(|(location, _)| location.clone());
        let mut opened = None;
        let mut closed = false;
        for command in &mut out[first..] {
            command.session = session.clone();
            match command.program() {
                Some("exit" | "logout") => closed = true,
                _ => opened = command.opens_session().or(opened),
            }
        }
        if closed {
            if let Some((_, outside)) = sessions.pop() {
                cwd = outside;
            }
        } else if let Some(location) = opened {
            // Paths there are the other machine's: a `cd` there says nothing about this tree.
            sessions.push((location, std::mem::replace(&mut cwd, WorkDir::Unknown)));
        }
    }
    out
}

/// Where the command text of a line starts after its prompt; `None` for an output line of a
/// transcript (a block with prompts, and this line has none).
fn command_start(line: &SourceLine<'_>, has_prompts: bool) -> Option<usize> {
    match PROMPT.find(line.text) {
        Some(prompt) => Some(prompt.end()),
        None if has_prompts => None,
        None => Some(0),
    }
}

/// Where a continuation line's text starts: after a `> ` continuation prompt in a transcript.
fn continuation_start(line: &SourceLine<'_>, has_prompts: bool) -> usize {
    match CONTINUATION_PROMPT.find(line.text) {
        Some(prompt) if has_prompts => prompt.end(),
        _ => 0,
    }
}

/// True when one of the next few lines closes the quote left open in `text`: a multi-line
/// `psql -c "..."` rather than a stray apostrophe.
fn quote_closes_within(lines: &[SourceLine<'_>], text: &str) -> bool {
    let mut joined = text.to_string();
    for line in lines.iter().take(MAX_QUOTED_LINES) {
        if joined.len() + line.text.len() > MAX_QUOTED_BYTES {
            return false;
        }
        joined.push(' ');
        joined.push_str(line.text);
        if !shell::split(&joined).unterminated_quote {
            return true;
        }
    }
    false
}

/// True when inline code reads as a command rather than a name: a known program with an
/// argument (`pnpm test:auth`, not `docker`), `./script`, a script path with or without
/// arguments (`scripts/rotate.py --all`, `bin/setup`), or `NAME=value cmd`.
pub fn inline_is_command(text: &str) -> bool {
    let text = text.trim();
    let first = text.split_whitespace().next().unwrap_or("");
    let word_count = text.split_whitespace().count();
    // `./deploy.sh: No such file or directory` is output, not a command.
    if first.ends_with(':') {
        return false;
    }
    (listed(&PROGRAMS.inline, first) && word_count >= 2)
        || (first.starts_with("./") && first.len() > 2)
        || is_script_path(first)
        || (shell::is_assignment(first) && word_count >= 2)
}

/// True for a relative path to a script: `scripts/rotate.py`, `bin/setup`, `deploy/run.sh`.
pub fn is_script_path(word: &str) -> bool {
    let path = word.strip_prefix("./").unwrap_or(word);
    let name = path.rsplit('/').next().unwrap_or(path);
    path.contains('/')
        && !name.is_empty()
        && !path.starts_with(['/', '~', '.', '$', '<', '-'])
        && !path.contains("://")
        && !path.contains([
            '*', '?', '<', '>', '{', '}', '[', ']', '$', '=', ':', '@', '#',
        ])
        && (crate::paths::has_extension(name, SCRIPT_EXTENSIONS)
            || path.starts_with("bin/")
            || path.contains("/bin/"))
}

/// Extensions of scripts a runbook runs by path.
const SCRIPT_EXTENSIONS: &[&str] = &[
    "sh", "bash", "py", "rb", "js", "mjs", "cjs", "ts", "pl", "ps1",
];

/// True when `word` is a program whose inline mention with an argument is a command
/// (`rules/programs.toml`, `inline`).
pub fn is_inline_program(word: &str) -> bool {
    listed(&PROGRAMS.inline, word)
}

/// The commands of one inline code span (see [`inline_is_command`]); `offset_of` maps a byte
/// of `text` to the caller's offset.
pub fn inline_commands(text: &str, offset_of: &dyn Fn(usize) -> usize) -> Vec<Command> {
    let mut out = Vec::new();
    let split = shell::split_line(text, offset_of);
    let mut cwd = WorkDir::Default;
    push_commands(split.commands, text, &mut cwd, &mut out);
    out
}

/// The commands of a package script body (`"db:reset": "prisma migrate reset --force"`),
/// understood; offsets are the body's own.
pub fn script_commands(body: &str) -> Vec<Command> {
    let mut out = Vec::new();
    let mut cwd = WorkDir::Default;
    push_commands(shell::split(body).commands, body, &mut cwd, &mut out);
    for command in &mut out {
        command.understand();
    }
    out
}

fn push_commands(
    commands: Vec<shell::SimpleCommand>,
    line: &str,
    cwd: &mut WorkDir,
    out: &mut Vec<Command>,
) {
    let line: std::sync::Arc<str> = std::sync::Arc::from(line.trim());
    // The directory outside each open `( ... )`: a `cd` inside a subshell ends with it.
    let mut outside: Vec<WorkDir> = Vec::new();
    for simple in commands {
        while outside.len() > simple.subshell {
            *cwd = outside.pop().unwrap_or(WorkDir::Default);
        }
        while outside.len() < simple.subshell {
            outside.push(cwd.clone());
        }
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
        let mut wrappers: Vec<Word> = Vec::new();
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
                    let takes_value = sudo && super::argv::sudo_flag_takes_value(&next.text);
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
            stdin_redirected: simple.stdin_redirected,
            inputs: simple.inputs,
            joint: simple.joint,
            cwd: cwd.clone(),
            session: None,
            span: simple.span,
            line: line.clone(),
            invocations: Vec::new(),
        });
    }
    // The line ends every subshell it opened.
    if let Some(before) = outside.into_iter().next() {
        *cwd = before;
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
    // `1.` is a list number and `...` an elision; `.` alone is the shell's `source`.
    let digits = word.trim_end_matches('.');
    let numbered = word.ends_with('.') && word != "." && digits.chars().all(|c| c.is_ascii_digit());
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
        // Deeper than any repository: a runbook of `cd a` lines would otherwise give every
        // command a copy of an ever longer path (quadratic memory: 14 GB for 40 000 lines).
        Some(dir) if dir.len() > MAX_WORKDIR_BYTES => WorkDir::Unknown,
        Some(dir) if dir.is_empty() => WorkDir::Default,
        Some(dir) => WorkDir::Relative(dir),
        None => WorkDir::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Block lines at offset 0, as a fence with no source positions gives them.
    fn source_lines<'a>(lines: &[&'a str]) -> Vec<SourceLine<'a>> {
        lines
            .iter()
            .map(|text| SourceLine {
                text,
                offset: 0,
                exact: false,
            })
            .collect()
    }

    #[test]
    fn program_lists_parse() {
        assert!(is_known_program("pnpm") && is_known_program("./deploy.sh"));
        assert!(is_shell_language("console") && !is_shell_language("yaml"));
    }

    #[test]
    fn cd_in_a_subshell_ends_with_it() {
        let lines = [
            "(cd ops && make lint)",
            "make deploy",
            "cd app; (cd sub; make a); make b",
        ];
        let lines = source_lines(&lines);
        let dirs: Vec<WorkDir> = block_commands(&lines).into_iter().map(|c| c.cwd).collect();
        assert_eq!(
            dirs,
            vec![
                WorkDir::Relative("ops".into()),
                WorkDir::Relative("ops".into()),
                WorkDir::Default,
                WorkDir::Relative("app".into()),
                WorkDir::Relative("app/sub".into()),
                WorkDir::Relative("app/sub".into()),
                WorkDir::Relative("app".into()),
            ]
        );
    }

    #[test]
    fn commands_after_a_session_opener_run_there_until_exit() {
        use crate::command::{ExecLocation, Platform, Runtime};
        let lines = [
            "ssh deploy@web1",
            "cd /srv/app && npm run cache:warm",
            "exit",
            "kubectl exec -it deploy/web -n prod -- /bin/sh",
            "rails db:migrate",
            "docker compose exec db bash -l",
            "psql -c 'select 1'",
            "exit",
            "exit",
            "ssh -L 5432:localhost:5432 bastion",
            "psql -h localhost",
            "fly ssh console -a shop",
            "heroku run bash -a shop",
            "cf ssh shop",
            "./local.sh",
        ];
        let lines = source_lines(&lines);
        let mut commands = block_commands(&lines);
        for command in &mut commands {
            command.understand();
        }
        let at = |text: &str| {
            commands
                .iter()
                .find(|c| c.text() == text)
                .and_then(|c| c.invocation())
                .map(|i| i.location.clone())
                .unwrap()
        };
        let ssh = ExecLocation::Remote {
            platform: Platform::Ssh,
            host: "deploy@web1".into(),
        };
        assert_eq!(at("ssh deploy@web1"), ExecLocation::Local);
        assert_eq!(at("npm run cache:warm"), ssh);
        assert_eq!(
            at("rails db:migrate"),
            ExecLocation::Container {
                runtime: Runtime::Kubernetes,
                name: "deploy/web".into()
            }
        );
        assert_eq!(
            at("psql -c select 1"),
            ExecLocation::Container {
                runtime: Runtime::Compose,
                name: "db".into()
            }
        );
        // A tunnel is not a session: its psql runs here.
        assert_eq!(at("psql -h localhost"), ExecLocation::Local);
        // Nested sessions: fly, then heroku inside it (as written), then cf inside that.
        assert!(matches!(
            at("./local.sh"),
            ExecLocation::Remote {
                platform: Platform::CloudFoundry,
                ..
            }
        ));
        // The `cd` on the remote host says nothing about this tree, and ends with the session.
        assert_eq!(commands[1].cwd, WorkDir::Unknown);
        assert_eq!(commands[4].cwd, WorkDir::Default);
    }

    #[test]
    fn a_local_orchestrator_line_ends_a_container_session() {
        let lines = [
            "docker compose exec web bash",
            "docker compose logs web",
            "ls",
        ];
        let lines = source_lines(&lines);
        let sessions: Vec<bool> = block_commands(&lines)
            .iter()
            .map(|c| c.session.is_some())
            .collect();
        assert_eq!(sessions, vec![false, false, false]);
    }

    #[test]
    fn script_bodies_drop_wrappers_and_compound_keywords() {
        let commands = script_commands("if [ -n \"$CI\" ]; then sudo -E prisma migrate deploy; fi");
        let argv: Vec<String> = commands.iter().map(|c| c.text()).collect();
        assert_eq!(argv, vec!["[ -n $CI ]", "prisma migrate deploy"]);
    }
}
