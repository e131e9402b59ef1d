//! Shell commands of a runbook: from shell code blocks line by line, and from inline code spans
//! that start with a known program. What a command means is the command layer's
//! ([`crate::command`]); this file places each command in the document.

use super::{CodeBlock, EnvContext, InlineCode, SectionId};
use crate::command::{self, SourceLine};

/// Where a command was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandOrigin {
    /// Index into [`super::Document::code_blocks`].
    CodeBlock(usize),
    /// An inline code span.
    InlineCode,
    /// A plain paragraph line that is a whole command (`pnpm seed`).
    PlainLine,
}

/// One simple shell command of the runbook: the command as understood (its words,
/// directory and [`command::Invocation`]s, through `Deref`), and where it is in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// The command and what it means.
    pub shell: command::Command,
    /// Where it was written.
    pub origin: CommandOrigin,
    /// Section it is in.
    pub section: SectionId,
    /// Effective environment context (fence hint, else the section's).
    pub context: EnvContext,
    /// Whether a reader would run it; [`super::Document::commands`] holds only steps.
    pub kind: super::StepKind,
}

impl std::ops::Deref for Command {
    type Target = command::Command;

    fn deref(&self) -> &command::Command {
        &self.shell
    }
}

impl std::ops::DerefMut for Command {
    fn deref_mut(&mut self) -> &mut command::Command {
        &mut self.shell
    }
}

/// The lines of a code block, as the command layer reads them.
pub(super) fn source_lines(code: &CodeBlock) -> Vec<SourceLine<'_>> {
    code.lines
        .iter()
        .map(|line| SourceLine {
            text: &line.text,
            offset: line.offset,
            exact: line.exact,
        })
        .collect()
}

/// Decides whether a code block's commands are extracted: shell fences always; unlabelled
/// blocks when most of their lines start with a known program or a prompt.
pub(super) fn is_shell_block(code: &CodeBlock) -> bool {
    if command::is_shell_language(&code.lang) {
        return true;
    }
    if !code.lang.is_empty() && code.lang != "text" && code.lang != "txt" {
        return false;
    }
    command::looks_like_commands(code.lines.iter().map(|l| l.text.as_str()))
}

pub(super) fn from_code_block(
    code: &CodeBlock,
    block_index: usize,
    context: EnvContext,
    out: &mut Vec<Command>,
) {
    let lines = source_lines(code);
    out.extend(
        command::block_commands(&lines)
            .into_iter()
            .map(|shell| Command {
                shell,
                origin: CommandOrigin::CodeBlock(block_index),
                section: code.section,
                context,
                kind: super::StepKind::Step,
            }),
    );
}

pub(super) fn from_inline_code(
    code: &InlineCode,
    context: EnvContext,
    kind: impl Fn(bool) -> super::StepKind,
    out: &mut Vec<Command>,
) {
    if !command::inline_is_command(&code.text) {
        return;
    }
    // A lone path (`scripts/rotate.py`) is a step only where the prose says to run it.
    let text = code.text.trim();
    let single_path = !text.contains(char::is_whitespace)
        && !text.starts_with("./")
        && command::is_script_path(text);
    let kind = kind(single_path);
    let base = code.text_offset;
    let offset_of = |i: usize| match base {
        Some(base) => base + i,
        None => code.span.start,
    };
    out.extend(
        command::inline_commands(&code.text, &offset_of)
            .into_iter()
            .map(|shell| Command {
                shell,
                origin: CommandOrigin::InlineCode,
                section: code.section,
                context,
                kind,
            }),
    );
}

/// The commands of plain paragraph lines that are whole commands.
pub(super) fn from_plain_lines(
    lines: &[SourceLine<'_>],
    section: super::SectionId,
    context: EnvContext,
    out: &mut Vec<Command>,
) {
    out.extend(
        command::block_commands(lines)
            .into_iter()
            .map(|shell| Command {
                shell,
                origin: CommandOrigin::PlainLine,
                section,
                context,
                kind: super::StepKind::Step,
            }),
    );
}
