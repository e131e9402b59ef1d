//! A tolerant splitter for the shell that people write in runbooks.
//!
//! Runbook commands are often not valid shell: `--org <prod-org>`, `[secure-32-char-key]`,
//! unbalanced quotes in a copied snippet. This module never fails: it splits a logical line
//! into simple commands at `&&`, `||`, `;`, `|`, `&` and parentheses, keeps quoting out of the
//! words, drops comments, recognises `NAME=value` prefixes and redirections, and reports the
//! delimiter of any heredoc so the caller can skip its body. It knows nothing of Markdown or of
//! manifests; both the document model and the project facts (script bodies) use it.

use std::sync::LazyLock;

use regex::{Captures, Match, Regex};

use crate::span::Span;

/// `$NAME` or `${NAME...}`: a variable expansion, in shell and in compose interpolation alike.
/// [`expanded_name`] gives the name of a match.
pub static VARIABLE_EXPANSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\$\{([A-Za-z_][A-Za-z0-9_]*)|\$([A-Za-z_][A-Za-z0-9_]*)")
        .expect("variable expansion regex")
});

/// The variable name of a [`VARIABLE_EXPANSION`] match.
pub fn expanded_name<'t>(found: &Captures<'t>) -> Match<'t> {
    found
        .get(1)
        .or_else(|| found.get(2))
        .expect("one of the two alternatives matched")
}

/// One shell word with quotes removed, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The word's value after quote removal.
    pub text: String,
    /// Where the word was written, in the caller's offsets.
    pub span: Span,
    /// True when any part of the word was quoted.
    pub quoted: bool,
}

/// How a simple command is joined to the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joint {
    /// First command of the line, or after `;`, `&`, `(`, `)`.
    Start,
    /// After `&&`.
    And,
    /// After `||`.
    Or,
    /// After `|` or `|&`: reads the previous command's output.
    Pipe,
}

/// One simple command: assignments, then program and arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleCommand {
    /// `NAME=value` words written before the program.
    pub assignments: Vec<Word>,
    /// Program and arguments.
    pub words: Vec<Word>,
    /// Targets of output redirections (`> out.log`), not arguments.
    pub redirects: Vec<Word>,
    /// True when its standard input comes from a file, a heredoc or a here-string
    /// (`< dump.sql`, `<<EOF`, `<<< "$x"`).
    pub stdin_redirected: bool,
    /// Sources of input redirections (`< in.sql`): files the shell reads for it.
    pub inputs: Vec<Word>,
    /// How this command is joined to the previous one.
    pub joint: Joint,
    /// How many `( ... )` subshells it runs in: a `cd` inside one ends at its `)`.
    pub subshell: usize,
    /// From the first to the last word, in the caller's offsets.
    pub span: Span,
}

/// A logical line split into commands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SplitLine {
    /// The simple commands, in order.
    pub commands: Vec<SimpleCommand>,
    /// Heredoc delimiters opened on this line (`<<EOF`, `<<-'SQL'`), in order.
    pub heredocs: Vec<String>,
    /// True when the line ends inside an unterminated quote.
    pub unterminated_quote: bool,
}

/// Splits one logical line. `offset_of` maps a byte index of `line` to the caller's offset
/// (for example a position in the Markdown file); it must accept `line.len()`.
pub fn split_line(line: &str, offset_of: &dyn Fn(usize) -> usize) -> SplitLine {
    Splitter {
        line,
        bytes: line.as_bytes(),
        pos: 0,
        offset_of,
        out: SplitLine::default(),
        current: Pending::new(Joint::Start),
        depth: 0,
    }
    .run()
}

/// Splits text whose offsets are its own byte indexes (script bodies, tests).
pub fn split(line: &str) -> SplitLine {
    split_line(line, &|i| i)
}

/// True for `NAME=value` where NAME is a valid shell variable name.
pub fn is_assignment(word: &str) -> bool {
    match word.split_once('=') {
        Some((name, _)) => is_var_name(name),
        None => false,
    }
}

/// True for a valid shell variable name.
pub fn is_var_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

struct Pending {
    joint: Joint,
    assignments: Vec<Word>,
    words: Vec<Word>,
    redirects: Vec<Word>,
    inputs: Vec<Word>,
    redirect_next: bool,
    stdin_redirected: bool,
    /// The pending redirection is `<`: its word is read, not written.
    redirect_input: bool,
}

impl Pending {
    fn new(joint: Joint) -> Self {
        Pending {
            joint,
            assignments: Vec::new(),
            words: Vec::new(),
            redirects: Vec::new(),
            inputs: Vec::new(),
            redirect_next: false,
            stdin_redirected: false,
            redirect_input: false,
        }
    }
}

struct Splitter<'a> {
    line: &'a str,
    bytes: &'a [u8],
    pos: usize,
    offset_of: &'a dyn Fn(usize) -> usize,
    out: SplitLine,
    current: Pending,
    /// Open `(` subshells at the cursor.
    depth: usize,
}

impl Splitter<'_> {
    fn run(mut self) -> SplitLine {
        while self.pos < self.bytes.len() {
            let b = self.bytes[self.pos];
            match b {
                b' ' | b'\t' | b'\r' | b'\n' => self.pos += 1,
                b'#' => break, // a comment runs to the end of the line
                b';' => {
                    self.pos += 1;
                    self.finish(Joint::Start);
                }
                b'(' => {
                    self.pos += 1;
                    self.finish(Joint::Start);
                    self.depth += 1;
                }
                b')' => {
                    self.pos += 1;
                    self.finish(Joint::Start);
                    self.depth = self.depth.saturating_sub(1);
                }
                b'&' => {
                    if self.peek(1) == Some(b'&') {
                        self.pos += 2;
                        self.finish(Joint::And);
                    } else if self.peek(1) == Some(b'>') {
                        // `&> file`: redirect both streams.
                        self.pos += 2;
                        if self.peek(0) == Some(b'>') {
                            self.pos += 1;
                        }
                        self.current.redirect_next = true;
                    } else {
                        self.pos += 1;
                        self.finish(Joint::Start);
                    }
                }
                b'|' => {
                    if self.peek(1) == Some(b'|') {
                        self.pos += 2;
                        self.finish(Joint::Or);
                    } else {
                        self.pos += if self.peek(1) == Some(b'&') { 2 } else { 1 };
                        self.finish(Joint::Pipe);
                    }
                }
                b'<' if self.placeholder_len().is_some() => self.word(),
                b'<' | b'>' => self.redirection(),
                _ => self.word(),
            }
        }
        self.finish(Joint::Start);
        self.out
    }

    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    /// Length of a `<placeholder>` at the cursor: `<` then a name-like character, then
    /// anything but operators up to `>`. Runbooks write these for values to fill in.
    fn placeholder_len(&self) -> Option<usize> {
        let rest = &self.bytes[self.pos..];
        if rest.len() < 3 || !(rest[1].is_ascii_alphanumeric() || rest[1] == b'_') {
            return None;
        }
        for (i, &c) in rest.iter().enumerate().skip(1) {
            match c {
                b'>' => return Some(i + 1),
                b'<' | b'|' | b';' | b'&' | b'\n' | b'$' | b'(' | b')' => return None,
                _ => {}
            }
        }
        None
    }

    fn redirection(&mut self) {
        let start = self.pos;
        if self.bytes[self.pos] == b'<' {
            self.current.stdin_redirected = true;
        }
        if self.bytes[self.pos] == b'<' && self.peek(1) == Some(b'<') {
            if self.peek(2) == Some(b'<') {
                // `<<< word`: a here-string, its word is data.
                self.pos += 3;
                self.current.redirect_next = true;
                self.current.redirect_input = false;
                return;
            }
            self.pos += 2;
            if self.peek(0) == Some(b'-') {
                self.pos += 1;
            }
            while self.peek(0) == Some(b' ') {
                self.pos += 1;
            }
            let delimiter_start = self.pos;
            if let Some(word) = self.read_word() {
                self.out.heredocs.push(word.text);
            } else {
                self.pos = delimiter_start;
            }
            return;
        }
        let input = self.bytes[self.pos] == b'<' && self.peek(1) != Some(b'(');
        self.pos += 1;
        // `>>`, `>&2`, `>|`
        while matches!(self.peek(0), Some(b'>') | Some(b'|')) {
            self.pos += 1;
        }
        if self.peek(0) == Some(b'&') {
            self.pos += 1;
            // `2>&1`: the target is a descriptor, not a file.
            while matches!(self.peek(0), Some(b'0'..=b'9') | Some(b'-')) {
                self.pos += 1;
            }
            let _ = start;
            return;
        }
        self.current.redirect_next = true;
        self.current.redirect_input = input;
    }

    fn word(&mut self) {
        let Some(word) = self.read_word() else {
            self.pos += 1;
            return;
        };
        // `2>file`: a numeric word glued to `>` is a descriptor.
        if matches!(self.peek(0), Some(b'>') | Some(b'<'))
            && !word.quoted
            && word.text.chars().all(|c| c.is_ascii_digit())
        {
            return;
        }
        let current = &mut self.current;
        if current.redirect_next {
            current.redirect_next = false;
            if std::mem::take(&mut current.redirect_input) {
                current.inputs.push(word);
            } else {
                current.redirects.push(word);
            }
        } else if current.words.is_empty() && !word.quoted && is_assignment(&word.text) {
            current.assignments.push(word);
        } else {
            current.words.push(word);
        }
    }

    /// Reads one word at the cursor, removing quotes and backslashes. Command substitutions
    /// `$(...)` and backticks stay inside the word.
    fn read_word(&mut self) -> Option<Word> {
        let start = self.pos;
        let mut text = String::new();
        let mut quoted = false;
        if self.pos >= self.bytes.len() {
            return None;
        }
        if self.bytes[self.pos] == b'<' {
            if let Some(len) = self.placeholder_len() {
                self.pos += len;
                text.push_str(&self.line[start..self.pos]);
            }
        }
        while self.pos < self.bytes.len() {
            let b = self.bytes[self.pos];
            match b {
                b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'>' => break,
                b'<' => {
                    if let Some(len) = self.placeholder_len() {
                        text.push_str(&self.line[self.pos..self.pos + len]);
                        self.pos += len;
                    } else {
                        break;
                    }
                }
                b'\'' => {
                    quoted = true;
                    self.pos += 1;
                    let end = self.line[self.pos..].find('\'').map(|i| self.pos + i);
                    let end = end.unwrap_or_else(|| {
                        self.out.unterminated_quote = true;
                        self.bytes.len()
                    });
                    text.push_str(&self.line[self.pos..end]);
                    self.pos = (end + 1).min(self.bytes.len());
                }
                b'"' => {
                    quoted = true;
                    self.pos += 1;
                    self.double_quoted(&mut text);
                }
                b'\\' => {
                    self.pos += 1;
                    if let Some(c) = self.line[self.pos..].chars().next() {
                        if c != '\n' {
                            text.push(c);
                        }
                        self.pos += c.len_utf8();
                    }
                }
                b'$' if self.peek(1) == Some(b'(') => {
                    let end = self.matching_paren(self.pos + 1);
                    text.push_str(&self.line[self.pos..end]);
                    self.pos = end;
                }
                b'`' => {
                    let end = self.line[self.pos + 1..]
                        .find('`')
                        .map(|i| self.pos + 1 + i + 1)
                        .unwrap_or(self.bytes.len());
                    text.push_str(&self.line[self.pos..end]);
                    self.pos = end;
                }
                _ => {
                    let c = self.line[self.pos..].chars().next().unwrap_or(' ');
                    text.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
        if self.pos == start {
            return None;
        }
        Some(Word {
            text,
            span: Span::new((self.offset_of)(start), (self.offset_of)(self.pos)),
            quoted,
        })
    }

    fn double_quoted(&mut self, text: &mut String) {
        while self.pos < self.bytes.len() {
            match self.bytes[self.pos] {
                b'"' => {
                    self.pos += 1;
                    return;
                }
                b'\\' if matches!(self.peek(1), Some(b'"' | b'\\' | b'$' | b'`')) => {
                    text.push(self.bytes[self.pos + 1] as char);
                    self.pos += 2;
                }
                b'$' if self.peek(1) == Some(b'(') => {
                    let end = self.matching_paren(self.pos + 1);
                    text.push_str(&self.line[self.pos..end]);
                    self.pos = end;
                }
                _ => {
                    let c = self.line[self.pos..].chars().next().unwrap_or(' ');
                    text.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
        self.out.unterminated_quote = true;
    }

    /// Index just past the `)` matching the `(` at `open`, or the end of the line.
    fn matching_paren(&self, open: usize) -> usize {
        let mut depth = 0usize;
        for (i, &b) in self.bytes.iter().enumerate().skip(open) {
            match b {
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                _ => {}
            }
        }
        self.bytes.len()
    }

    fn finish(&mut self, next_joint: Joint) {
        let pending = std::mem::replace(&mut self.current, Pending::new(next_joint));
        if pending.words.is_empty() && pending.assignments.is_empty() {
            // `cmd ; ; x` or a leading operator: keep the stronger joint for the next command.
            if pending.joint != Joint::Start && next_joint == Joint::Start {
                self.current.joint = pending.joint;
            }
            return;
        }
        let first = pending
            .assignments
            .first()
            .or(pending.words.first())
            .map(|w| w.span.start)
            .unwrap_or(0);
        let last = pending
            .words
            .iter()
            .chain(&pending.assignments)
            .chain(&pending.redirects)
            .chain(&pending.inputs)
            .map(|w| w.span.end)
            .max()
            .unwrap_or(first);
        self.out.commands.push(SimpleCommand {
            assignments: pending.assignments,
            words: pending.words,
            redirects: pending.redirects,
            stdin_redirected: pending.stdin_redirected,
            inputs: pending.inputs,
            joint: pending.joint,
            subshell: self.depth,
            span: Span::new(first, last),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<Vec<String>> {
        split(line)
            .commands
            .iter()
            .map(|c| c.words.iter().map(|w| w.text.clone()).collect())
            .collect()
    }

    #[test]
    fn splits_on_operators() {
        assert_eq!(
            words("cd apps/api && pnpm build || echo failed; make test | tee out"),
            vec![
                vec!["cd", "apps/api"],
                vec!["pnpm", "build"],
                vec!["echo", "failed"],
                vec!["make", "test"],
                vec!["tee", "out"],
            ]
        );
        let split = split("a && b | c");
        let joints: Vec<Joint> = split.commands.iter().map(|c| c.joint).collect();
        assert_eq!(joints, vec![Joint::Start, Joint::And, Joint::Pipe]);
    }

    #[test]
    fn removes_quotes_and_keeps_spans() {
        let line = r#"echo "hello world" 'a b' c\ d"#;
        let split = split(line);
        let words = &split.commands[0].words;
        assert_eq!(words[1].text, "hello world");
        assert!(words[1].quoted);
        assert_eq!(&line[words[1].span.range()], "\"hello world\"");
        assert_eq!(words[2].text, "a b");
        assert_eq!(words[3].text, "c d");
    }

    #[test]
    fn tolerates_placeholders() {
        assert_eq!(
            words("vercel deploy --org <prod-org> --token [secure-32-char-key]"),
            vec![vec![
                "vercel",
                "deploy",
                "--org",
                "<prod-org>",
                "--token",
                "[secure-32-char-key]"
            ]]
        );
        assert_eq!(
            words("psql <your db url>"),
            vec![vec!["psql", "<your db url>"]]
        );
    }

    #[test]
    fn assignments_and_redirections() {
        let split = split("NODE_ENV=production DEBUG= pnpm start > out.log 2>&1");
        let cmd = &split.commands[0];
        let names: Vec<&str> = cmd.assignments.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(names, vec!["NODE_ENV=production", "DEBUG="]);
        assert_eq!(cmd.words.len(), 2);
        assert_eq!(cmd.redirects[0].text, "out.log");
    }

    #[test]
    fn comments_and_heredocs() {
        assert_eq!(
            words("make deploy # then wait"),
            vec![vec!["make", "deploy"]]
        );
        assert_eq!(words("# pnpm db:reset"), Vec::<Vec<String>>::new());
        let split = split("cat <<-'EOF' > config.yml");
        assert_eq!(split.heredocs, vec!["EOF"]);
        assert_eq!(split.commands[0].redirects[0].text, "config.yml");
    }

    #[test]
    fn command_substitution_stays_in_the_word() {
        assert_eq!(
            words("export TOKEN=$(vault read -field=t secret/x | tr -d '\\n') && echo ok"),
            vec![
                vec![
                    "export",
                    "TOKEN=$(vault read -field=t secret/x | tr -d '\\n')"
                ],
                vec!["echo", "ok"]
            ]
        );
    }

    #[test]
    fn subshells_are_counted() {
        let depths: Vec<usize> = split("(cd app && make x); make y")
            .commands
            .iter()
            .map(|c| c.subshell)
            .collect();
        assert_eq!(depths, vec![1, 1, 0]);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for line in [
            "\"unterminated",
            "'x",
            "\\",
            "$(",
            "`",
            "<",
            "<<",
            "a >",
            "é|ü&&;",
            "<é>",
        ] {
            let _ = split(line);
        }
        assert!(split("echo \"open").unterminated_quote);
    }
}
