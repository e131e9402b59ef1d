//! The runbook model: a Markdown file parsed once into sections, checklists, code blocks,
//! tables, links, inline code, HTML comments, text blocks and shell commands.
//!
//! This module knows Markdown and shell; it knows nothing of manifests or rules. Every item
//! carries its byte [`Span`] in the original text and the [`SectionId`] of the heading it is
//! under, so a rule can ask "which heading is this under, and is that production?".

pub mod anchors;
mod commands;
pub mod context;
pub mod env_refs;
mod extract;
mod sniff;
pub mod steps;

pub use crate::command::{is_known_program, WorkDir};
pub use anchors::{AnchorMatch, AnchorStyle, Anchors};
pub use commands::{Command, CommandOrigin};
pub use context::{ContextWords, EnvContext};
pub use env_refs::{EnvRef, EnvRefKind};
pub use sniff::looks_like_markdown;
pub use steps::StepKind;

use crate::span::Span;

/// Index of a section in [`Document::sections`]. Section 0 is the text before the first
/// heading.
pub type SectionId = usize;

/// Options that shape parsing.
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    /// Heading words that decide each section's environment context.
    pub context_words: ContextWords,
}

/// A parsed runbook.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Headings as a tree (by `parent`), in document order. Index 0 is the preamble.
    pub sections: Vec<Section>,
    /// `- [ ]` and `- [x]` items, nested ones included.
    pub checklist: Vec<ChecklistItem>,
    /// Fenced and indented code blocks.
    pub code_blocks: Vec<CodeBlock>,
    /// Tables with their cells.
    pub tables: Vec<Table>,
    /// Inline and reference links and images.
    pub links: Vec<Link>,
    /// Inline code spans.
    pub inline_code: Vec<InlineCode>,
    /// HTML comments, block or inline.
    pub html_comments: Vec<HtmlComment>,
    /// Runs of inline content (prose) with the block that holds them.
    pub text_blocks: Vec<TextBlock>,
    /// The steps: simple shell commands a reader would run, from shell code blocks,
    /// command-like inline code and plain command lines.
    pub commands: Vec<Command>,
    /// Commands named but not to be run: in a warning or a prohibition, or in passing
    /// ([`StepKind`]). No rule checks them.
    pub not_steps: Vec<Command>,
    /// Span of YAML/TOML front matter, if any; nothing inside it is extracted.
    pub front_matter: Option<Span>,
    /// Each section's heading words, computed on first use: rules ask "is this a contacts
    /// section?" for every text block, and re-splitting the headings each time was a third
    /// of the lint time on large trees.
    heading_words: std::sync::OnceLock<Vec<context::HeadingWords>>,
    /// Which headings and links form a table of contents, computed on first use.
    toc: std::sync::OnceLock<anchors::TableOfContents>,
    /// Env-var references, in document order.
    pub env_refs: Vec<EnvRef>,
    /// Spans of code (inline and blocks), sorted, nested ones merged: built on first use so
    /// "is this in code?" is a binary search, not a scan per question.
    code_spans: std::sync::OnceLock<Vec<Span>>,
    /// Spans of HTML comments, sorted, for the same reason.
    comment_spans: std::sync::OnceLock<Vec<Span>>,
    /// `id` and `name` attribute values of the HTML blocks and inline HTML, in order.
    pub html_anchors: Vec<String>,
    /// Credential-shaped values of the text, found on first use: `hardcoded-secret` reports
    /// them and the engine masks them, from one scan of the file instead of one each.
    secrets: std::sync::OnceLock<Vec<crate::redact::FoundSecret>>,
}

/// `spans` sorted by start, each one that lies inside the previous dropped (code spans nest,
/// never partly overlap).
fn sorted_outer(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let mut outer: Vec<Span> = Vec::with_capacity(spans.len());
    for span in spans {
        match outer.last() {
            Some(last) if last.contains(span) => {}
            _ => outer.push(span),
        }
    }
    outer
}

/// A heading and the part of the document below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// 1 to 6 for headings, 0 for the preamble.
    pub level: u8,
    /// Heading text without markup.
    pub title: String,
    /// GitHub's anchor, unique within the document (`-1`, `-2` suffixes).
    pub anchor: String,
    /// The heading's text as a renderer slugs it: not trimmed, image alt text and HTML left
    /// out, line breaks as `\n` (GitHub's `&#x20;Title` is `-title`).
    pub slug_text: String,
    /// A trailing `{#id}` / `{: #id .class}` attribute list in the heading's text.
    pub attribute: Option<anchors::HeadingAttribute>,
    /// The enclosing section.
    pub parent: Option<SectionId>,
    /// The heading line.
    pub span: Span,
    /// Context from this heading's words or an `env=` marker, before inheritance.
    pub own_context: Option<EnvContext>,
    /// Effective context: own, else the nearest ancestor's, else unknown.
    pub context: EnvContext,
}

/// A task-list item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistItem {
    /// `[x]` or `[X]`.
    pub checked: bool,
    /// The item's own text (not its nested items), without markup.
    pub text: String,
    /// The item's own text, or the `[ ]` marker when it has none.
    pub span: Span,
    /// The `[ ]` marker.
    pub marker: Span,
    /// List nesting depth, 1 for a top-level list.
    pub depth: usize,
    /// Section the item is in.
    pub section: SectionId,
}

/// A fenced or indented code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock {
    /// Full info string of a fenced block (`bash title="x"`), empty otherwise.
    pub info: String,
    /// First word of the info string, lower-cased (`bash`), empty when none.
    pub lang: String,
    /// True for indented code.
    pub indented: bool,
    /// The whole block including fences.
    pub span: Span,
    /// Content lines: text without the trailing newline, and the offset of its first byte.
    pub lines: Vec<CodeLine>,
    /// Section the block is in.
    pub section: SectionId,
    /// True when the block's commands were extracted as shell.
    pub is_shell: bool,
}

/// One line of a code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeLine {
    /// The line's text, container indentation removed, no newline.
    pub text: String,
    /// Offset of the first byte of `text` in the file.
    pub offset: usize,
    /// True when `text` is exactly the file's bytes at `offset` (false after tab expansion).
    pub exact: bool,
}

impl CodeBlock {
    /// The block's lines as the command layer reads them.
    pub fn source_lines(&self) -> Vec<crate::command::SourceLine<'_>> {
        commands::source_lines(self)
    }

    /// The SQL statements of the block, `(text, span)`, comments removed, split at `;`.
    pub fn sql_statements(&self) -> Vec<(String, Span)> {
        crate::command::sql::statements(&self.source_lines(), self.span.start)
    }
}

impl CodeLine {
    /// File span of bytes `start..end` of this line's text (approximate when not `exact`).
    pub fn span_of(&self, start: usize, end: usize) -> Span {
        if self.exact {
            Span::new(self.offset + start, self.offset + end)
        } else {
            Span::new(self.offset, self.offset + self.text.len())
        }
    }
}

/// A table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Header cells.
    pub header: Vec<Cell>,
    /// Body rows.
    pub rows: Vec<Vec<Cell>>,
    /// The whole table.
    pub span: Span,
    /// Section the table is in.
    pub section: SectionId,
}

/// A table cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// Cell text without markup, trimmed.
    pub text: String,
    /// The cell between its pipes.
    pub span: Span,
}

/// A link or image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Destination as written (after reference resolution).
    pub dest: String,
    /// True for `![...](...)`.
    pub image: bool,
    /// True for reference-style links (`[text][ref]`, `[ref]`).
    pub reference: bool,
    /// How the link is written: inline, reference, `<autolink>` or `<email@autolink>`.
    pub kind: LinkKind,
    /// The link's text (an image's alt text), markup removed.
    pub text: String,
    /// The whole link.
    pub span: Span,
    /// Section the link is in.
    pub section: SectionId,
}

/// How a link is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `[text](dest)`.
    Inline,
    /// `[text][ref]`, `[ref][]`, `[ref]`, resolved by a definition.
    Reference,
    /// `<https://example.com>`.
    Autolink,
    /// `<ops@example.com>`: the destination is the address, without `mailto:`.
    Email,
}

/// An inline code span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineCode {
    /// The code, without backticks.
    pub text: String,
    /// The span including backticks.
    pub span: Span,
    /// Offset of the first byte of `text`, when it could be located exactly.
    pub text_offset: Option<usize>,
    /// Section the code is in.
    pub section: SectionId,
    /// The kind of block holding it.
    pub block: BlockKind,
}

/// An HTML comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlComment {
    /// Text between `<!--` and `-->`, trimmed.
    pub body: String,
    /// The whole comment.
    pub span: Span,
    /// Section the comment is in.
    pub section: SectionId,
}

/// What kind of block a run of inline content sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockKind {
    /// A paragraph outside lists and tables.
    Paragraph,
    /// A heading.
    Heading,
    /// A list item's own text (tight or loose).
    ListItem,
    /// A task-list item's own text.
    ChecklistItem,
    /// A table header cell.
    TableHeader,
    /// A table body cell.
    TableCell,
    /// Anything else (block quotes hold paragraphs, so this is rare).
    Other,
}

/// A run of inline content: one paragraph, heading, cell or list item text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextBlock {
    /// The block kind.
    pub kind: BlockKind,
    /// From the first to the last inline element.
    pub span: Span,
    /// Plain text: text and code content, markup removed.
    pub text: String,
    /// Section the block is in.
    pub section: SectionId,
    /// Spans of inline code and link destinations inside the block, which are not prose.
    pub code_spans: Vec<Span>,
    /// True inside a block quote.
    pub quoted: bool,
}

impl Document {
    /// Parses Markdown text. Never fails: anything pulldown-cmark accepts (everything) yields a
    /// model.
    pub fn parse(text: &str, options: &ParseOptions) -> Document {
        let mut doc = extract::extract(text, options);
        doc.env_refs = env_refs::extract(&doc, text);
        doc
    }

    /// The secrets of `source`, the text this document was parsed from (see
    /// [`crate::redact::find_secrets`]), scanned once.
    pub fn secrets(&self, source: &str) -> &[crate::redact::FoundSecret] {
        self.secrets
            .get_or_init(|| crate::redact::find_secrets(source))
    }

    /// The section and its ancestors, innermost first.
    pub fn ancestry(&self, id: SectionId) -> impl Iterator<Item = &Section> {
        let mut next = Some(id);
        std::iter::from_fn(move || {
            let section = self.sections.get(next?)?;
            next = section.parent;
            Some(section)
        })
    }

    /// Effective environment context of a section.
    pub fn context(&self, id: SectionId) -> EnvContext {
        self.sections
            .get(id)
            .map(|s| s.context)
            .unwrap_or(EnvContext::Unknown)
    }

    /// True when the section's own heading or any ancestor heading contains one of `words`
    /// (whole words or phrases, case-insensitive).
    pub fn section_mentions(&self, id: SectionId, words: &[&str]) -> bool {
        let mut next = Some(id);
        while let Some(section) = next {
            let heading = self.words_of_heading(section);
            if words.iter().any(|w| heading.contains(w)) {
                return true;
            }
            next = self.sections.get(section).and_then(|s| s.parent);
        }
        false
    }

    /// Lower-cased words of a section's heading (empty for an unknown id).
    fn words_of_heading(&self, id: SectionId) -> &context::HeadingWords {
        static NONE: std::sync::LazyLock<context::HeadingWords> =
            std::sync::LazyLock::new(context::HeadingWords::default);
        let all = self.heading_words.get_or_init(|| {
            self.sections
                .iter()
                .map(|s| context::HeadingWords::new(&s.title))
                .collect()
        });
        all.get(id).unwrap_or(&NONE)
    }

    /// The table of contents: headings an entry names and links that are entries.
    pub fn table_of_contents(&self) -> &anchors::TableOfContents {
        self.toc.get_or_init(|| anchors::TableOfContents::of(self))
    }

    /// The section whose heading line is `span` (a heading's text block), if any.
    pub fn section_of_heading(&self, span: Span) -> Option<SectionId> {
        let after = self
            .sections
            .partition_point(|s| s.span.start <= span.start);
        let id = after.checked_sub(1)?;
        (id > 0 && self.sections[id].span.contains(span)).then_some(id)
    }

    /// Indexes of the links whose span starts inside `span`, by binary search (links are in
    /// document order).
    pub fn links_in(&self, span: Span) -> std::ops::Range<usize> {
        let start = self.links.partition_point(|l| l.span.start < span.start);
        let end = self.links.partition_point(|l| l.span.start < span.end);
        start..end.max(start)
    }

    /// True when the section's *own* heading contains one of `words`.
    pub fn heading_mentions(&self, id: SectionId, words: &[&str]) -> bool {
        id < self.sections.len() && {
            let heading = self.words_of_heading(id);
            words.iter().any(|w| heading.contains(w))
        }
    }

    /// True when `span` lies inside inline code or a code block.
    pub fn in_code(&self, span: Span) -> bool {
        let spans = self.code_spans.get_or_init(|| {
            sorted_outer(
                self.inline_code
                    .iter()
                    .map(|c| c.span)
                    .chain(self.code_blocks.iter().map(|c| c.span))
                    .collect(),
            )
        });
        // The last outer span starting at or before `span` is the only one that can hold it.
        let after = spans.partition_point(|s| s.start <= span.start);
        after > 0 && spans[after - 1].contains(span)
    }

    /// True when `span` lies inside a code block (blocks are in document order and never
    /// nest).
    pub fn in_code_block(&self, span: Span) -> bool {
        let after = self
            .code_blocks
            .partition_point(|b| b.span.start <= span.start);
        after > 0 && self.code_blocks[after - 1].span.contains(span)
    }

    /// True when `span` shares a byte with an HTML comment.
    pub fn overlaps_comment(&self, span: Span) -> bool {
        let spans = self
            .comment_spans
            .get_or_init(|| sorted_outer(self.html_comments.iter().map(|c| c.span).collect()));
        // Comments do not overlap each other: only the first one ending after `span` starts
        // can overlap it.
        let first = spans.partition_point(|s| s.end <= span.start);
        spans.get(first).is_some_and(|s| s.overlaps(span))
    }

    /// The section holding byte `offset`: the last heading at or before it (0, the
    /// preamble, before the first heading).
    pub fn section_at(&self, offset: usize) -> SectionId {
        // Sections are in document order, so their starts are sorted.
        self.sections
            .partition_point(|s| s.span.start <= offset)
            .saturating_sub(1)
    }
}

#[cfg(test)]
mod tests;
