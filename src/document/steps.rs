//! Which commands are steps: a command a reader would run, as opposed to one named in a
//! warning or a prohibition ("Never run `terraform destroy` against production", a
//! `> [!WARNING]` callout, a "Don't" heading or list label) or in passing ("the deploy job runs
//! `pnpm build`", "commands such as `docker compose down -v`"). Decided once, here, so every
//! rule sees only steps. Also finds steps written outside code: plain paragraph lines that are
//! whole commands of a known program (documents converted from other formats).

use std::sync::LazyLock;

use regex::Regex;

use super::{BlockKind, Document, InlineCode, TextBlock};
use crate::command::SourceLine;
use crate::span::Span;

/// Whether a command is one a reader of the runbook would run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StepKind {
    /// An instruction: a code block line, a checklist item, "run `x`", "Deploy: `x`".
    #[default]
    Step,
    /// Named in a warning or a prohibition: "never run `x`", "`x` would wipe the data", a
    /// warning callout, a "Don't" section, list item or label.
    Prohibited,
    /// Named in passing or as an example: "the job runs `x`", "whose script is `x`",
    /// "commands such as `x`, `y`, `z`".
    Mentioned,
}

/// A label that introduces what not to do, and nothing else: "Don't:", "Avoid", "❌ Bad:",
/// "Never run these in production:". "Never deploy without a backup" is an instruction.
static PROHIBITION_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    let label = r"(?:don['’]?t|do\s+not|never|avoid|bad|wrong|incorrect|dangerous|unsafe|not\s+recommended|anti-?patterns?)";
    let filler = r"(?:do|this|that|run|use|execute|these|those|commands?|the|following|in|on|against|production|prod|examples?|practice|approach|way|ever|it|like|here)";
    let mark = r"(?:❌|✗|✘|🚫|⛔|:x:|:no_entry:|:no_entry_sign:)";
    Regex::new(&format!(
        r"(?i)^[\s*_>#]*(?:{mark}[\s*_]*(?:{label}\b)?|{label}\b)(?:[\s*_]+{filler}\b)*[\s*_]*:?[\s*_]*$"
    ))
    .expect("prohibition label regex")
});

/// Headings of sections that list what not to do: "Don'ts", "Avoid", "Do not run these",
/// "Anti-patterns", "What not to do". "Never deploy on Fridays" is advice, not a list.
static PROHIBITION_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^[\W_]*(?:(?:don['’]?ts?|do\s+not|never|avoid)(?:\s+(?:do|run|use|execute)\b.*)?[\W_]*$|anti-?patterns?\b|what\s+not\s+to\s+do\b|things\s+(?:not\s+)?to\s+avoid\b|(?:forbidden|prohibited|dangerous)\s+commands\b)",
    )
    .expect("prohibition heading regex")
});

/// A GitHub warning or caution callout, or a block quote that opens with such a word.
static WARNING_CALLOUT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^[ \t]*>[ \t]*(?:\[!(?:warning|caution|danger)\]|[*_]*(?:⚠️?\s*)?(?:warning|caution|danger)\b[*_]*\s*[:!*_])",
    )
    .expect("warning callout regex")
});

/// A trailing shell comment that warns against the command on its line.
static WARNING_COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:^|\s)#+\s*(?:❌|⚠️?|:x:)?\s*(?:never\b|don['’]?t\b|do\s+not\b|danger|dangerous\b|destructive\b|not\s+in\s+production\b|wipes\b|destroys\b|deletes\s+(?:all|every)\b)",
    )
    .expect("warning comment regex")
});

/// True for a heading whose section lists what not to do ("Don't", "Avoid", "Anti-patterns").
pub fn is_prohibition_heading(title: &str) -> bool {
    PROHIBITION_HEADING.is_match(title)
}

/// True for text that is only a prohibition label ("Don't:", "❌ Bad:", "Avoid").
pub fn is_prohibition_label(text: &str) -> bool {
    PROHIBITION_LABEL.is_match(text.trim())
}

/// True for a block quote (its raw text) that is a warning or caution callout.
pub fn is_warning_callout(raw: &str) -> bool {
    WARNING_CALLOUT.is_match(raw)
}

/// True for a shell line whose trailing comment warns against it (`git push -f  # never`).
pub fn has_warning_comment(line: &str) -> bool {
    WARNING_COMMENT.is_match(line)
}

/// A piece of a text block: a code span, a word (lower-cased) or a punctuation mark.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Code(Span),
    Word(String),
    Punct(char),
}

/// Words that may stand between a negation and the command it forbids: "never *ever run
/// the* `x`", "do not *use* `x` *or* `y`".
const BRIDGE_WORDS: &[&str] = &[
    "run",
    "use",
    "execute",
    "exec",
    "type",
    "call",
    "invoke",
    "issue",
    "do",
    "try",
    "ever",
    "even",
    "accidentally",
    "just",
    "simply",
    "directly",
    "manually",
    "again",
    "also",
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "following",
    "command",
    "commands",
    "or",
    "and",
    "rerun",
    "re-run",
    "blindly",
    "casually",
    "yourself",
    "anything",
    "like",
];

/// Words that forbid what follows them (a bridge away).
const NEGATIONS: &[&str] = &[
    "never",
    "not",
    "don't",
    "dont",
    "avoid",
    "mustn't",
    "shouldn't",
    "cannot",
    "can't",
    "without",
    "nor",
];

/// Words that introduce an instruction right before the command: "run `x`", "then `x`",
/// "empty the table with `x`".
const INSTRUCTION_WORDS: &[&str] = &[
    "run",
    "rerun",
    "re-run",
    "execute",
    "exec",
    "type",
    "enter",
    "invoke",
    "call",
    "issue",
    "use",
    "using",
    "with",
    "via",
    "then",
    "try",
    "do",
    "start",
    "launch",
    "trigger",
    "paste",
    "copy",
    "apply",
    "perform",
    "restart",
    "deploy",
    "first",
    "next",
    "finally",
    "afterwards",
];

/// Words right before a command that make it a description: "the job runs `x`", "it finds
/// `x`", "reached through `x`".
const DESCRIPTIVE_WORDS: &[&str] = &[
    "runs", "calls", "executes", "invokes", "uses", "does", "performs", "triggers", "wraps",
    "becomes", "means", "ran", "called", "named", "finds", "reports", "flags", "catches",
    "matches", "detects", "written", "reached", "whose", "vs", "versus",
];

/// Words right before a command that make it an example unless the sentence says to run it:
/// "whose script is `x`", "commands such as `x`", "e.g. `x`" (but "run a migration, e.g. `x`").
const EXAMPLE_WORDS: &[&str] = &[
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "as",
    "like",
    "e.g",
    "eg",
    "i.e",
    "ie",
    "including",
    "includes",
    "include",
    "example",
    "examples",
];

/// Words after which an instruction verb is an instruction: "then run", "you can run".
const LEAD_INS: &[&str] = &[
    "to", "then", "and", "please", "can", "should", "must", "may", "now", "first", "also", "just",
    "simply", "you", "we", "next", "finally", "always", "or", "manually", "again",
];

/// Third-person verbs that open a sentence describing what something does ("Finds commands
/// that ...: `x`, `y`", "Runs `x` on every push"): the commands in it are examples.
const DESCRIBING_VERBS: &[&str] = &[
    "finds",
    "checks",
    "reports",
    "flags",
    "detects",
    "matches",
    "catches",
    "runs",
    "calls",
    "executes",
    "invokes",
    "uses",
    "reads",
    "lists",
    "shows",
    "describes",
    "explains",
    "covers",
    "handles",
    "validates",
    "verifies",
    "ensures",
    "looks",
    "warns",
    "recognises",
    "recognizes",
    "understands",
    "accepts",
    "skips",
    "ignores",
];

/// Verbs of destruction after a command: "`x` would *wipe* the data", "`x` *drops* it".
const DESTROY_VERBS: &[&str] = &[
    "wipe",
    "wipes",
    "destroy",
    "destroys",
    "delete",
    "deletes",
    "drop",
    "drops",
    "erase",
    "erases",
    "reset",
    "resets",
    "remove",
    "removes",
    "truncate",
    "truncates",
    "nuke",
    "nukes",
    "overwrite",
    "overwrites",
    "purge",
    "purges",
    "flush",
    "flushes",
    "lose",
    "loses",
    "break",
    "breaks",
    "corrupt",
    "corrupts",
    "discard",
    "discards",
    "clobber",
    "clobbers",
];

/// Adjectives that call a command dangerous: "`x` is *destructive*".
const DANGER_WORDS: &[&str] = &[
    "dangerous",
    "destructive",
    "unsafe",
    "irreversible",
    "forbidden",
    "prohibited",
    "never",
    "not",
    "risky",
    "deprecated",
    "development-only",
    "dev-only",
];

const MODALS: &[&str] = &[
    "would", "will", "could", "can", "may", "might", "must", "should",
];

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '\'' | '’' | '-')
}

/// The tokens of a text block's raw text: `codes` are its inline code spans (file offsets),
/// `skipped` the link destinations and other spans that are not prose.
fn tokens(raw: &str, base: usize, codes: &[Span], skipped: &[Span]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<Token>| {
        if !word.is_empty() {
            let w = word
                .trim_matches(|c| c == '\'' || c == '’' || c == '-')
                .replace('’', "'")
                .to_lowercase();
            if !w.is_empty() {
                out.push(Token::Word(w));
            }
            word.clear();
        }
    };
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let at = base + i;
        if let Some(code) = codes.iter().find(|s| s.start == at) {
            flush(&mut word, &mut out);
            out.push(Token::Code(*code));
            while chars.peek().is_some_and(|(j, _)| base + j < code.end) {
                chars.next();
            }
            continue;
        }
        if let Some(skip) = skipped.iter().find(|s| s.start == at) {
            flush(&mut word, &mut out);
            while chars.peek().is_some_and(|(j, _)| base + j < skip.end) {
                chars.next();
            }
            continue;
        }
        if is_word(c) {
            word.push(c);
            continue;
        }
        // `e.g.`, `i.e.`: the dots are part of the word, not a sentence end.
        if c == '.' && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric()) {
            word.push(c);
            continue;
        }
        flush(&mut word, &mut out);
        if matches!(c, '.' | '!' | '?' | ';' | ':' | ',' | '(' | ')') {
            out.push(Token::Punct(c));
        }
    }
    flush(&mut word, &mut out);
    out
}

fn word(token: Option<&Token>) -> Option<&str> {
    match token {
        Some(Token::Word(w)) => Some(w.trim_end_matches('.')),
        _ => None,
    }
}

fn ends_sentence(token: &Token) -> bool {
    matches!(token, Token::Punct('.' | '!' | '?' | ';'))
}

/// How an inline code span that reads as a command is used in its block: a step, a
/// prohibition or a mention. `single_path` is a lone path without `./` (`scripts/rotate.py`),
/// a step only where the prose says to run it.
pub(super) fn inline_kind(
    doc: &Document,
    source: &str,
    code: &InlineCode,
    single_path: bool,
) -> StepKind {
    let Some(block) = block_of(doc, code.span) else {
        return StepKind::Step;
    };
    let Some(raw) = source.get(block.span.range()) else {
        return StepKind::Step;
    };
    let codes: Vec<Span> = block
        .code_spans
        .iter()
        .copied()
        .filter(|s| is_inline_code(doc, *s))
        .collect();
    let skipped: Vec<Span> = block
        .code_spans
        .iter()
        .copied()
        .filter(|s| !codes.contains(s))
        .collect();
    let tokens = tokens(raw, block.span.start, &codes, &skipped);
    let Some(at) = tokens.iter().position(|t| *t == Token::Code(code.span)) else {
        return StepKind::Step;
    };
    classify(&tokens, at, block.kind, single_path)
}

fn classify(tokens: &[Token], at: usize, block: BlockKind, single_path: bool) -> StepKind {
    let start = tokens[..at]
        .iter()
        .rposition(ends_sentence)
        .map(|i| i + 1)
        .unwrap_or(0);
    let end = tokens[at..]
        .iter()
        .position(ends_sentence)
        .map(|i| at + i)
        .unwrap_or(tokens.len());
    let before = &tokens[start..at];
    let after = &tokens[at + 1..end];

    // Governed by a negation a few bridge words back: "never run `x`", "don't use `a` or `b`",
    // "use `a` instead of `b`", "rather than `x`".
    let mut bridged = 0;
    for (i, token) in before.iter().enumerate().rev() {
        match token {
            Token::Code(_) | Token::Punct(',') => continue,
            Token::Word(w) => {
                if NEGATIONS.contains(&w.as_str()) {
                    return StepKind::Prohibited;
                }
                if w == "of"
                    && word(i.checked_sub(1).and_then(|p| before.get(p))) == Some("instead")
                {
                    return StepKind::Prohibited;
                }
                if w == "than"
                    && word(i.checked_sub(1).and_then(|p| before.get(p))) == Some("rather")
                {
                    return StepKind::Prohibited;
                }
                if !BRIDGE_WORDS.contains(&w.as_str()) || bridged >= 5 {
                    break;
                }
                bridged += 1;
            }
            Token::Punct(_) => break,
        }
    }

    // A consequence after it: "`x` would wipe the data", "`x` drops every table", "`x` is
    // destructive", "`x` must never be run".
    let mut rest = after
        .iter()
        .skip_while(|t| matches!(t, Token::Code(_) | Token::Punct(',')))
        .filter_map(|t| word(Some(t)));
    if let Some(first) = rest.next() {
        let second = rest.next();
        let third = rest.next();
        let destroys = |w: Option<&str>| w.is_some_and(|w| DESTROY_VERBS.contains(&w));
        let danger = |w: Option<&str>| w.is_some_and(|w| DANGER_WORDS.contains(&w));
        let warned = destroys(Some(first))
            || (MODALS.contains(&first)
                && (destroys(second)
                    || (matches!(second, Some("not" | "never" | "also" | "permanently"))
                        && (destroys(third) || matches!(first, "must" | "should")))))
            || (matches!(first, "is" | "are") && (danger(second) || danger(third)));
        if warned {
            return StepKind::Prohibited;
        }
    }

    // The whole block is commands (and connectives): a list item, a checklist item, a cell.
    let connective = |t: &Token| match t {
        Token::Code(_) | Token::Punct(_) => true,
        Token::Word(w) => matches!(
            w.as_str(),
            "and" | "or" | "then" | "run" | "and/or" | "optional" | "optionally" | "e.g"
        ),
    };
    if tokens.iter().all(connective) && !single_path {
        return StepKind::Step;
    }

    // A sentence that describes what something does: "Finds commands that delete data:
    // `x`, `y`", "Checks that the files a command reads exist: `./x.sh`".
    let describes = matches!(
        (before.first(), before.get(1)),
        (Some(Token::Word(first)), Some(Token::Word(_))) if DESCRIBING_VERBS.contains(&first.as_str())
    );
    if describes {
        return StepKind::Mentioned;
    }

    // A label: "Verify the build: `pnpm test`".
    let previous = before
        .iter()
        .rev()
        .find(|t| !matches!(t, Token::Code(_) | Token::Punct(',')));
    if matches!(previous, Some(Token::Punct(':'))) && !single_path {
        return StepKind::Step;
    }

    // The nearest word before it (over other commands of a series and articles).
    let mut series = false;
    let mut nearest = None;
    for token in before.iter().rev() {
        match token {
            Token::Code(_) | Token::Punct(',') => series = true,
            Token::Punct('(') => {}
            Token::Word(w) if matches!(w.as_str(), "the" | "a" | "an" | "or" | "and") => {}
            Token::Word(w) => {
                nearest = Some(w.as_str());
                break;
            }
            Token::Punct(_) => break,
        }
    }
    // An instruction verb where a sentence says to do something: first in its clause
    // ("Apply the migrations (`x`)"), or after "to", "then", "please", "you can" ...
    // ("A command run in a container" is a participle, not an instruction).
    let instructed = (0..before.len()).rev().take(8).any(|i| {
        word(before.get(i)).is_some_and(|w| INSTRUCTION_WORDS.contains(&w))
            && match i.checked_sub(1).map(|p| &before[p]) {
                None | Some(Token::Punct(_)) => true,
                Some(Token::Word(previous)) => LEAD_INS.contains(&previous.as_str()),
                Some(Token::Code(_)) => false,
            }
    });
    if let Some(w) = nearest {
        if INSTRUCTION_WORDS.contains(&w) {
            return StepKind::Step;
        }
        if DESCRIPTIVE_WORDS.contains(&w) || (EXAMPLE_WORDS.contains(&w) && !instructed) {
            return StepKind::Mentioned;
        }
    }
    // A series of commands in a sentence that says nothing about running them: examples.
    let in_series = series
        || after
            .iter()
            .take_while(|t| matches!(t, Token::Code(_) | Token::Punct(',') | Token::Word(_)))
            .take(2)
            .any(|t| matches!(t, Token::Code(_)));
    if in_series && !instructed && block != BlockKind::Heading {
        let codes = tokens[start..end]
            .iter()
            .filter(|t| matches!(t, Token::Code(_)))
            .count();
        if codes >= 3 {
            return StepKind::Mentioned;
        }
    }
    if single_path && !instructed {
        return StepKind::Mentioned;
    }
    StepKind::Step
}

/// True when `span` is an inline code span (not a link destination).
fn is_inline_code(doc: &Document, span: Span) -> bool {
    let at = doc
        .inline_code
        .partition_point(|c| c.span.start < span.start);
    doc.inline_code.get(at).is_some_and(|c| c.span == span)
}

/// The text block holding `span`.
fn block_of(doc: &Document, span: Span) -> Option<&TextBlock> {
    // Text blocks are pushed when they end, so nearly sorted; the holder is among the
    // blocks starting at or before the span, and the nearest one that contains it wins.
    doc.text_blocks
        .iter()
        .filter(|b| b.span.contains(span))
        .min_by_key(|b| b.span.len())
}

/// Words after a program that show a line is prose, not a command: "git is required".
const PROSE_WORDS: &[&str] = &[
    "the",
    "a",
    "an",
    "is",
    "are",
    "was",
    "were",
    "will",
    "to",
    "for",
    "of",
    "with",
    "and",
    "that",
    "this",
    "it",
    "you",
    "your",
    "we",
    "our",
    "which",
    "should",
    "can",
    "must",
    "be",
    "by",
    "on",
    "from",
    "when",
    "if",
    "has",
    "have",
    "cli",
    "command",
    "commands",
    "installed",
    "required",
    "version",
    "needs",
    "need",
    "does",
    "not",
    "or",
    "as",
    "its",
    "their",
];

/// The lines of plain paragraphs that are whole commands of a known program (`pnpm seed`,
/// `docker-compose up -d`): each run of such lines, with the paragraph's section. Every line
/// of the paragraph must be one, so prose that starts with a program name stays prose.
pub(super) fn plain_command_lines<'s>(
    doc: &Document,
    source: &'s str,
) -> Vec<(Vec<SourceLine<'s>>, usize)> {
    let mut out = Vec::new();
    for block in &doc.text_blocks {
        if block.kind != BlockKind::Paragraph || block.quoted || !block.code_spans.is_empty() {
            continue;
        }
        let Some(raw) = source.get(block.span.range()) else {
            continue;
        };
        let mut lines = Vec::new();
        let mut offset = block.span.start;
        for text in raw.split('\n') {
            let trimmed_start = text.len() - text.trim_start().len();
            let body = text.trim().trim_end_matches('\r');
            if !body.is_empty() {
                lines.push(SourceLine {
                    text: body,
                    offset: offset + trimmed_start,
                    exact: true,
                });
            }
            offset += text.len() + 1;
        }
        if !lines.is_empty() && lines.iter().all(|l| is_plain_command(l.text)) {
            out.push((lines, block.section));
        }
    }
    out
}

/// True for a line that is a whole command of a known program: `pnpm seed`, `make deploy`.
fn is_plain_command(line: &str) -> bool {
    if line.ends_with(['.', ':', ',', '?', '!'])
        || line.contains(['`', '*', '[', ']', '|'])
        || line.contains("  ")
    {
        return false;
    }
    let mut words = line.split_whitespace();
    let (Some(program), Some(second)) = (words.next(), words.next()) else {
        return false;
    };
    crate::command::is_inline_program(program)
        && line.split_whitespace().count() <= 12
        && ![second].into_iter().chain(words).any(|w| {
            let w = w.to_lowercase();
            PROSE_WORDS.contains(&w.trim_matches(|c: char| !c.is_alphanumeric()))
        })
        && second
            .chars()
            .next()
            .is_some_and(|c| !c.is_uppercase() || second.len() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Document, ParseOptions};

    /// The kind of the first inline command in `markdown`, by its text.
    fn kinds(markdown: &str) -> Vec<(String, StepKind)> {
        let doc = Document::parse(markdown, &ParseOptions::default());
        doc.commands
            .iter()
            .map(|c| (c.text(), StepKind::Step))
            .chain(doc.not_steps.iter().map(|c| (c.text(), c.kind)))
            .collect()
    }

    fn kind_of(markdown: &str, command: &str) -> Option<StepKind> {
        kinds(markdown)
            .into_iter()
            .find(|(text, _)| text == command)
            .map(|(_, k)| k)
    }

    #[test]
    fn prohibitions_are_not_steps() {
        use StepKind::*;
        let cases = [
            (
                "Never run `terraform destroy` against production.",
                "terraform destroy",
                Prohibited,
            ),
            (
                "Do not use `git push --force`.",
                "git push --force",
                Prohibited,
            ),
            (
                "Don't ever run the `redis-cli FLUSHALL` command.",
                "redis-cli FLUSHALL",
                Prohibited,
            ),
            (
                "`prisma migrate reset` would wipe the data.",
                "prisma migrate reset",
                Prohibited,
            ),
            (
                "`dropdb app` deletes the database.",
                "dropdb app",
                Prohibited,
            ),
            (
                "`rails db:reset` is destructive.",
                "rails db:reset",
                Prohibited,
            ),
            (
                "Use `git push --force-with-lease` instead of `git push --force`.",
                "git push --force",
                Prohibited,
            ),
            (
                "Use `git push --force-with-lease` instead of `git push --force`.",
                "git push --force-with-lease",
                Step,
            ),
            (
                "Avoid `docker compose down -v` here.",
                "docker compose down -v",
                Prohibited,
            ),
            (
                "Never run `a b`, `rm -rf /` or `dropdb x`.",
                "dropdb x",
                Prohibited,
            ),
            (
                "Don't forget to run `pnpm db:deploy`.",
                "pnpm db:deploy",
                Step,
            ),
            (
                "If the import does not finish, run `pnpm db:seed`.",
                "pnpm db:seed",
                Step,
            ),
            (
                "If the import fails, empty the table with `python manage.py flush` and retry.",
                "python manage.py flush",
                Step,
            ),
            (
                "- [ ] run `scripts/rotate.py --all`",
                "scripts/rotate.py --all",
                Step,
            ),
            ("Verify the build: `pnpm test:auth`", "pnpm test:auth", Step),
            ("- `pnpm install`", "pnpm install", Step),
            (
                "The job runs `pnpm db:migrate`, whose script is `prisma migrate dev`.",
                "prisma migrate dev",
                Mentioned,
            ),
            (
                "The job runs `pnpm db:migrate`, whose script is `prisma migrate dev`.",
                "pnpm db:migrate",
                Mentioned,
            ),
            (
                "Apply the migrations (`pnpm db:deploy`).",
                "pnpm db:deploy",
                Step,
            ),
            (
                "See `scripts/rotate.py` for the details.",
                "scripts/rotate.py",
                Mentioned,
            ),
            ("Run `scripts/rotate.py` now.", "scripts/rotate.py", Step),
            (
                "It finds `npm run x`, `pnpm x`, `yarn workspace a x` where no script exists.",
                "pnpm x",
                Mentioned,
            ),
            ("Run `pnpm a`, `pnpm b` and `pnpm c`.", "pnpm b", Step),
        ];
        for (markdown, command, expected) in cases {
            assert_eq!(kind_of(markdown, command), Some(expected), "{markdown}");
        }
    }

    #[test]
    fn warning_contexts_are_not_steps() {
        let callout = "> [!WARNING]\n> `prisma migrate reset` drops everything.\n> ```bash\n> dropdb app\n> ```\n\nRun `pnpm db:deploy`.\n";
        assert_eq!(kind_of(callout, "dropdb app"), Some(StepKind::Prohibited));
        assert_eq!(kind_of(callout, "pnpm db:deploy"), Some(StepKind::Step));
        let heading = "## Don'ts\n\n```bash\ngit push --force\n```\n\n## Deploy\n\n```bash\nfly deploy\n```\n";
        assert_eq!(
            kind_of(heading, "git push --force"),
            Some(StepKind::Prohibited)
        );
        assert_eq!(kind_of(heading, "fly deploy"), Some(StepKind::Step));
        let label = "**Don't:**\n\n```bash\ngit push -f\n```\n\n**Do:**\n\n```bash\ngit push --force-with-lease\n```\n";
        assert_eq!(kind_of(label, "git push -f"), Some(StepKind::Prohibited));
        assert_eq!(
            kind_of(label, "git push --force-with-lease"),
            Some(StepKind::Step)
        );
        let items =
            "- ❌ `git push --force`\n- ✅ `git push --force-with-lease`\n- Avoid: `rm -rf $DIR`\n";
        assert_eq!(
            kind_of(items, "git push --force"),
            Some(StepKind::Prohibited)
        );
        assert_eq!(
            kind_of(items, "git push --force-with-lease"),
            Some(StepKind::Step)
        );
        assert_eq!(kind_of(items, "rm -rf $DIR"), Some(StepKind::Prohibited));
        let comments = "```bash\n# Don't:\ngit push --force\n\n# Do:\ngit push --force-with-lease\nredis-cli FLUSHALL  # never in production\n```\n";
        assert_eq!(
            kind_of(comments, "git push --force"),
            Some(StepKind::Prohibited)
        );
        assert_eq!(
            kind_of(comments, "git push --force-with-lease"),
            Some(StepKind::Step)
        );
        assert_eq!(
            kind_of(comments, "redis-cli FLUSHALL"),
            Some(StepKind::Prohibited)
        );
    }

    #[test]
    fn plain_lines_that_are_commands() {
        let markdown = "Set up:\n\npnpm install\npnpm seed\ndocker-compose up -d\n\ngit is required for this step\n\nmake is a build tool\n";
        let found: Vec<String> = Document::parse(markdown, &ParseOptions::default())
            .commands
            .iter()
            .map(|c| c.text())
            .collect();
        assert_eq!(
            found,
            vec!["pnpm install", "pnpm seed", "docker-compose up -d"]
        );
    }
}
