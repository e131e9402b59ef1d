//! One pass over pulldown-cmark's offset iterator builds the [`Document`].

use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};
use regex::Regex;

use super::anchors::{self, GithubSlugger};
use super::commands;
use super::steps::{self, StepKind};
use super::*;

const MARKDOWN_OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_YAML_STYLE_METADATA_BLOCKS)
    .union(Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_FOOTNOTES);

/// A list item's marker and task box: `- `, `12. `, `* [ ] `.
static LIST_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?").expect("list marker regex")
});

static COMMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<!--(.*?)-->").expect("comment regex"));

/// Blocks that hold inline content, innermost last on the stack.
#[derive(Debug)]
enum Container {
    Paragraph,
    Heading,
    Item(ItemState),
    List,
    BlockQuote,
    TableHead,
    TableCell,
    Other,
}

#[derive(Debug, Default)]
struct ItemState {
    /// `(checked, marker span)` once a task marker was seen.
    task: Option<(bool, Span)>,
    /// True once the item's first text run was recorded.
    has_text: bool,
}

/// Inline content gathered until the block holding it starts another block or ends.
#[derive(Debug, Default)]
struct Run {
    span: Option<Span>,
    text: String,
    code_spans: Vec<Span>,
}

impl Run {
    fn extend(&mut self, range: Span) {
        self.span = Some(match self.span {
            Some(span) => Span::new(span.start.min(range.start), span.end.max(range.end)),
            None => range,
        });
    }
}

struct Extractor<'a> {
    source: &'a str,
    options: &'a ParseOptions,
    doc: Document,
    stack: Vec<Container>,
    run: Run,
    section: SectionId,
    heading: Option<(u8, Span)>,
    /// The current heading's text as renderers slug it (see [`Section::slug_text`]).
    heading_text: Option<String>,
    /// Images being read: their alt text is not part of a heading's anchor.
    image_depth: usize,
    /// The HTML block being read, parsed for anchors at its end.
    html_block: Option<String>,
    slugger: GithubSlugger,
    code: Option<CodeBlock>,
    partial_line: Option<CodeLine>,
    table: Option<Table>,
    row: Vec<Cell>,
    in_metadata: bool,
    /// Open links: their index in `doc.links`, the end of their span, and where their text
    /// starts in the run.
    link_stack: Vec<(usize, usize, usize)>,
    /// Regions whose commands are not steps: warning callouts, "Don't" list items, the block
    /// after a "Don't:" label, code lines after a `# Don't` comment.
    warned: Vec<Span>,
    /// True after a paragraph that is only a prohibition label ("**Don't:**"): the next block
    /// is what not to do.
    label_pending: bool,
}

pub(super) fn extract(source: &str, options: &ParseOptions) -> Document {
    let mut extractor = Extractor {
        source,
        options,
        doc: Document::default(),
        stack: Vec::new(),
        run: Run::default(),
        section: 0,
        heading: None,
        heading_text: None,
        image_depth: 0,
        html_block: None,
        slugger: GithubSlugger::default(),
        code: None,
        partial_line: None,
        table: None,
        row: Vec::new(),
        in_metadata: false,
        link_stack: Vec::new(),
        warned: Vec::new(),
        label_pending: false,
    };
    extractor.doc.sections.push(Section {
        level: 0,
        title: String::new(),
        anchor: String::new(),
        slug_text: String::new(),
        attribute: None,
        parent: None,
        span: Span::new(0, 0),
        own_context: None,
        context: EnvContext::Unknown,
    });
    for (event, range) in Parser::new_ext(source, MARKDOWN_OPTIONS).into_offset_iter() {
        extractor.event(event, Span::from(range));
    }
    extractor.flush_run();
    extractor.finish()
}

impl Extractor<'_> {
    fn event(&mut self, event: Event<'_>, span: Span) {
        if self.in_metadata {
            if let Event::End(TagEnd::MetadataBlock(_)) = event {
                self.in_metadata = false;
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag, span),
            Event::End(tag) => self.end(tag, span),
            Event::Text(text) => {
                if self.code.is_some() {
                    self.code_text(&text, span);
                } else {
                    self.run.text.push_str(&text);
                    self.run.extend(span);
                    if let (Some(heading), 0) = (&mut self.heading_text, self.image_depth) {
                        heading.push_str(&text);
                    }
                }
            }
            Event::Code(text) => {
                if let (Some(heading), 0) = (&mut self.heading_text, self.image_depth) {
                    heading.push_str(&text);
                }
                self.inline_code(&text, span)
            }
            Event::Html(html) => {
                if let Some(block) = self.html_block.as_mut() {
                    block.push_str(&html);
                } else {
                    anchors::html_anchors(&html, &mut self.doc.html_anchors);
                }
                self.comments(span);
            }
            Event::InlineHtml(html) => {
                self.run.extend(span);
                anchors::html_anchors(&html, &mut self.doc.html_anchors);
                self.comments(span);
            }
            Event::SoftBreak | Event::HardBreak => {
                if self.run.span.is_some() {
                    self.run.text.push(' ');
                }
                if let Some(heading) = self.heading_text.as_mut() {
                    heading.push('\n');
                }
            }
            Event::TaskListMarker(checked) => {
                if let Some(Container::Item(item)) = self.stack.last_mut() {
                    item.task = Some((checked, span));
                }
            }
            Event::FootnoteReference(_) | Event::InlineMath(_) | Event::DisplayMath(_) => {
                self.run.extend(span)
            }
            Event::Rule => self.flush_run(),
        }
    }

    fn start(&mut self, tag: Tag<'_>, span: Span) {
        let is_image = matches!(tag, Tag::Image { .. });
        self.note_prohibitions(&tag, span);
        match tag {
            Tag::MetadataBlock(_) => {
                self.in_metadata = true;
                self.doc.front_matter = Some(span);
            }
            Tag::Paragraph => {
                self.flush_run();
                self.stack.push(Container::Paragraph);
            }
            Tag::Heading { level, .. } => {
                self.flush_run();
                self.heading = Some((level as u8, span));
                self.heading_text = Some(String::new());
                self.stack.push(Container::Heading);
            }
            Tag::Item => {
                self.flush_run();
                self.stack.push(Container::Item(ItemState::default()));
            }
            Tag::List(_) => {
                self.flush_run();
                self.stack.push(Container::List);
            }
            Tag::BlockQuote(_) => {
                self.flush_run();
                self.stack.push(Container::BlockQuote);
            }
            Tag::CodeBlock(kind) => {
                self.flush_run();
                let (info, indented) = match kind {
                    CodeBlockKind::Fenced(info) => (info.trim().to_string(), false),
                    CodeBlockKind::Indented => (String::new(), true),
                };
                let lang = info
                    .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                self.code = Some(CodeBlock {
                    info,
                    lang,
                    indented,
                    span,
                    lines: Vec::new(),
                    section: self.section,
                    is_shell: false,
                });
            }
            Tag::Table(_) => {
                self.flush_run();
                self.table = Some(Table {
                    header: Vec::new(),
                    rows: Vec::new(),
                    span,
                    section: self.section,
                });
            }
            Tag::TableHead => self.stack.push(Container::TableHead),
            Tag::TableRow => self.row.clear(),
            Tag::TableCell => {
                self.flush_run();
                self.stack.push(Container::TableCell);
            }
            Tag::Link {
                link_type,
                dest_url,
                ..
            }
            | Tag::Image {
                link_type,
                dest_url,
                ..
            } => {
                let image = is_image;
                // A link inside an image's description is alt text: never rendered as a link.
                let in_alt_text = self.image_depth > 0;
                if image {
                    self.image_depth += 1;
                }
                let kind = match link_type {
                    LinkType::Inline | LinkType::WikiLink { .. } => LinkKind::Inline,
                    LinkType::Reference
                    | LinkType::Collapsed
                    | LinkType::Shortcut
                    | LinkType::ReferenceUnknown
                    | LinkType::CollapsedUnknown
                    | LinkType::ShortcutUnknown => LinkKind::Reference,
                    LinkType::Autolink => LinkKind::Autolink,
                    LinkType::Email => LinkKind::Email,
                };
                let index = if in_alt_text {
                    usize::MAX
                } else {
                    self.doc.links.len()
                };
                self.link_stack.push((index, span.end, self.run.text.len()));
                self.run.extend(span);
                if in_alt_text {
                    return;
                }
                self.doc.links.push(Link {
                    dest: dest_url.to_string(),
                    image,
                    reference: kind == LinkKind::Reference,
                    kind,
                    text: String::new(),
                    span,
                    section: self.section,
                });
            }
            Tag::HtmlBlock => {
                self.flush_run();
                self.html_block = Some(String::new());
            }
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition => {
                self.flush_run();
                self.stack.push(Container::Other);
            }
            Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript => self.run.extend(span),
        }
    }

    fn end(&mut self, tag: TagEnd, span: Span) {
        if matches!(tag, TagEnd::Paragraph) {
            // A paragraph that is only "Don't:" or "❌ Bad:" labels the block after it.
            let text = self.run.text.trim();
            if !text.is_empty() && text.len() < 80 && steps::is_prohibition_label(text) {
                self.label_pending = true;
            }
        }
        match tag {
            TagEnd::Paragraph
            | TagEnd::BlockQuote(_)
            | TagEnd::List(_)
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition => {
                self.flush_run();
                self.stack.pop();
            }
            TagEnd::Heading(_) => {
                let title = self.run.text.trim().to_string();
                let slug_text = self.heading_text.take().unwrap_or_default();
                self.flush_run();
                self.stack.pop();
                self.push_section(title, slug_text);
            }
            TagEnd::Item => {
                self.flush_run();
                if let Some(Container::Item(item)) = self.stack.pop() {
                    if let (Some((checked, marker)), false) = (item.task, item.has_text) {
                        self.doc.checklist.push(ChecklistItem {
                            checked,
                            text: String::new(),
                            span: marker,
                            marker,
                            depth: self.list_depth(),
                            section: self.section,
                        });
                    }
                }
            }
            TagEnd::CodeBlock => {
                if let Some(line) = self.partial_line.take() {
                    if let Some(code) = self.code.as_mut() {
                        code.lines.push(line);
                    }
                }
                if let Some(mut code) = self.code.take() {
                    let context = self.doc.context_hint(&code);
                    code.is_shell = commands::is_shell_block(&code);
                    if code.is_shell {
                        let block_index = self.doc.code_blocks.len();
                        commands::from_code_block(
                            &code,
                            block_index,
                            context,
                            &mut self.doc.commands,
                        );
                    }
                    self.doc.code_blocks.push(code);
                }
            }
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    self.doc.tables.push(table);
                }
            }
            TagEnd::TableHead => {
                self.stack.pop();
                if let Some(table) = self.table.as_mut() {
                    table.header = std::mem::take(&mut self.row);
                }
            }
            TagEnd::TableRow => {
                if let Some(table) = self.table.as_mut() {
                    table.rows.push(std::mem::take(&mut self.row));
                }
            }
            TagEnd::TableCell => {
                let text = self.run.text.trim().to_string();
                // Underline the cell's content, or the whole cell when it is empty.
                let content = self.run.span.unwrap_or(span);
                self.flush_run();
                self.stack.pop();
                self.row.push(Cell {
                    text,
                    span: content,
                });
            }
            TagEnd::Link | TagEnd::Image => {
                if matches!(tag, TagEnd::Image) {
                    self.image_depth = self.image_depth.saturating_sub(1);
                }
                if let Some((index, end, text_start)) = self.link_stack.pop() {
                    if let (Some(link), Some(text)) = (
                        self.doc.links.get_mut(index),
                        self.run.text.get(text_start..),
                    ) {
                        link.text = text.trim().to_string();
                    }
                    // The destination part of `[text](dest)` is not prose.
                    let text_end = self.run.span.map(|s| s.end).unwrap_or(span.start);
                    if end > text_end {
                        self.run
                            .code_spans
                            .push(Span::new(text_end.max(span.start), end));
                    }
                }
                self.run.extend(span);
            }
            TagEnd::HtmlBlock => {
                if let Some(html) = self.html_block.take() {
                    anchors::html_anchors(&html, &mut self.doc.html_anchors);
                }
            }
            TagEnd::MetadataBlock(_)
            | TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript => {}
        }
    }

    /// Records the regions a block start puts out of the steps: a warning callout, a list
    /// item labelled "Don't" or "❌", the block right after a "Don't:" paragraph.
    fn note_prohibitions(&mut self, tag: &Tag<'_>, span: Span) {
        let is_block = matches!(
            tag,
            Tag::Paragraph
                | Tag::CodeBlock(_)
                | Tag::List(_)
                | Tag::BlockQuote(_)
                | Tag::Table(_)
                | Tag::HtmlBlock
                | Tag::Heading { .. }
                | Tag::Item
        );
        if !is_block {
            return;
        }
        let labelled = std::mem::take(&mut self.label_pending);
        if labelled && !matches!(tag, Tag::Heading { .. } | Tag::Item) {
            self.warned.push(span);
        }
        let raw = self.source.get(span.range()).unwrap_or("");
        match tag {
            Tag::BlockQuote(_) if steps::is_warning_callout(raw) => self.warned.push(span),
            Tag::Item => {
                // The item's own words before its first code span or line break.
                let body = LIST_MARKER
                    .find(raw)
                    .map(|m| &raw[m.end()..])
                    .unwrap_or(raw);
                let label = body.split(['`', '\n']).next().unwrap_or("");
                if !label.trim().is_empty() && steps::is_prohibition_label(label) {
                    self.warned.push(span);
                }
            }
            _ => {}
        }
    }

    fn list_depth(&self) -> usize {
        self.stack
            .iter()
            .filter(|c| matches!(c, Container::List))
            .count()
    }

    fn push_section(&mut self, title: String, slug_text: String) {
        let Some((level, span)) = self.heading.take() else {
            return;
        };
        let mut parent = self.section;
        while parent != 0 && self.doc.sections[parent].level >= level {
            parent = self.doc.sections[parent].parent.unwrap_or(0);
        }
        let anchor = self.slugger.slug(&slug_text);
        let attribute = anchors::heading_attribute(&slug_text);
        let own_context = self.options.context_words.classify(&title);
        self.doc.sections.push(Section {
            level,
            title,
            anchor,
            slug_text,
            attribute,
            parent: Some(parent),
            span,
            own_context,
            context: EnvContext::Unknown,
        });
        self.section = self.doc.sections.len() - 1;
    }

    fn code_text(&mut self, text: &str, span: Span) {
        let exact = self.source.get(span.range()) == Some(text);
        let mut offset = span.start;
        let mut rest = text;
        // pulldown-cmark drops a lone `\r` line ending between two text events: end the line.
        if let Some(line) = &self.partial_line {
            let end = line.offset + line.text.len();
            let gap = self.source.get(end..span.start).unwrap_or("");
            if line.exact && !gap.is_empty() && gap.bytes().all(|b| b == b'\r') {
                let line = self.partial_line.take().expect("checked above");
                if let Some(code) = self.code.as_mut() {
                    code.lines.push(line);
                }
            }
        }
        while !rest.is_empty() {
            // A line ends at `\n`, `\r\n` or a lone `\r` (CommonMark's line endings).
            let (body, taken, ended) = match rest.find(['\n', '\r']) {
                Some(i) => {
                    let ending = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
                    (&rest[..i], i + ending, true)
                }
                None => (rest, rest.len(), false),
            };
            let line = self.partial_line.get_or_insert_with(|| CodeLine {
                text: String::new(),
                offset,
                exact,
            });
            // pulldown-cmark may leave a gap between two text events of one line (a dropped
            // `\r`): text appended after a gap is no longer the file's bytes at the offset.
            if !body.is_empty() && line.offset + line.text.len() != offset {
                line.exact = false;
            }
            line.text.push_str(body);
            line.exact &= exact;
            if ended {
                let line = self.partial_line.take().expect("line just inserted");
                if let Some(code) = self.code.as_mut() {
                    code.lines.push(line);
                }
            }
            if exact {
                offset += taken;
            }
            rest = &rest[taken..];
        }
    }

    fn inline_code(&mut self, text: &str, span: Span) {
        let text_offset = self
            .source
            .get(span.range())
            .and_then(|raw| raw.find(text))
            .map(|i| span.start + i);
        self.doc.inline_code.push(InlineCode {
            text: text.to_string(),
            span,
            text_offset,
            section: self.section,
            block: self.block_kind(),
        });
        self.run.text.push_str(text);
        self.run.code_spans.push(span);
        self.run.extend(span);
    }

    fn comments(&mut self, span: Span) {
        let Some(raw) = self.source.get(span.range()) else {
            return;
        };
        for found in COMMENT.captures_iter(raw) {
            let whole = found.get(0).expect("group 0");
            self.doc.html_comments.push(HtmlComment {
                body: found[1].trim().to_string(),
                span: Span::new(span.start + whole.start(), span.start + whole.end()),
                section: self.section,
            });
        }
    }

    /// Kind of the block the current inline content belongs to.
    fn block_kind(&self) -> BlockKind {
        let mut in_paragraph = false;
        for container in self.stack.iter().rev() {
            match container {
                Container::Heading => return BlockKind::Heading,
                Container::TableCell => {
                    let in_head = self.stack.iter().any(|c| matches!(c, Container::TableHead));
                    return if in_head {
                        BlockKind::TableHeader
                    } else {
                        BlockKind::TableCell
                    };
                }
                Container::Paragraph => in_paragraph = true,
                Container::Item(item) => {
                    return if item.task.is_some() && !item.has_text {
                        BlockKind::ChecklistItem
                    } else {
                        BlockKind::ListItem
                    };
                }
                Container::BlockQuote | Container::Other => {
                    return if in_paragraph {
                        BlockKind::Paragraph
                    } else {
                        BlockKind::Other
                    };
                }
                Container::List | Container::TableHead => {}
            }
        }
        if in_paragraph {
            BlockKind::Paragraph
        } else {
            BlockKind::Other
        }
    }

    fn flush_run(&mut self) {
        let run = std::mem::take(&mut self.run);
        let Some(span) = run.span else {
            return;
        };
        let kind = self.block_kind();
        let quoted = self
            .stack
            .iter()
            .any(|c| matches!(c, Container::BlockQuote));
        if kind == BlockKind::ChecklistItem {
            let depth = self.list_depth();
            if let Some(Container::Item(item)) = self
                .stack
                .iter_mut()
                .rev()
                .find(|c| matches!(c, Container::Item(_)))
            {
                if let Some((checked, marker)) = item.task {
                    item.has_text = true;
                    self.doc.checklist.push(ChecklistItem {
                        checked,
                        text: run.text.trim().to_string(),
                        span,
                        marker,
                        depth,
                        section: self.section,
                    });
                }
            }
        } else if let Some(Container::Item(item)) = self
            .stack
            .iter_mut()
            .rev()
            .find(|c| matches!(c, Container::Item(_)))
        {
            item.has_text = true;
        }
        self.doc.text_blocks.push(TextBlock {
            kind,
            span,
            text: run.text,
            section: self.section,
            code_spans: run.code_spans,
            quoted,
        });
    }

    fn finish(mut self) -> Document {
        self.apply_context_markers();
        for id in 1..self.doc.sections.len() {
            let inherited = self.doc.sections[id]
                .parent
                .map(|p| self.doc.sections[p].context)
                .unwrap_or(EnvContext::Unknown);
            let section = &mut self.doc.sections[id];
            section.context = section.own_context.unwrap_or(inherited);
        }
        let sections = &self.doc.sections;
        for command in &mut self.doc.commands {
            if command.context == EnvContext::Unknown {
                command.context = sections
                    .get(command.section)
                    .map(|s| s.context)
                    .unwrap_or(EnvContext::Unknown);
            }
        }
        // Which commands are steps: a region or section that warns, a `# Don't` comment
        // line, a warning comment on the line; for inline code, the sentence around it.
        let mut warned = std::mem::take(&mut self.warned);
        for block in self.doc.code_blocks.iter().filter(|b| b.is_shell) {
            labelled_code_lines(block, &mut warned);
        }
        warned.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        let in_warned = |span: Span| {
            let after = warned.partition_point(|w| w.start <= span.start);
            warned[..after].iter().rev().any(|w| w.contains(span))
        };
        let mut prohibited_section = vec![false; sections.len()];
        for (id, section) in sections.iter().enumerate() {
            let inherited = section
                .parent
                .filter(|&p| p < id)
                .is_some_and(|p| prohibited_section[p]);
            prohibited_section[id] =
                inherited || (section.level > 0 && steps::is_prohibition_heading(&section.title));
        }
        let warned_at = |span: Span, section: SectionId| {
            in_warned(span) || prohibited_section.get(section).copied().unwrap_or(false)
        };
        for command in &mut self.doc.commands {
            if warned_at(command.span, command.section) || steps::has_warning_comment(&command.line)
            {
                command.kind = StepKind::Prohibited;
            }
        }
        let mut more = Vec::new();
        for code in &self.doc.inline_code {
            let context = sections[code.section].context;
            let doc = &self.doc;
            let source = self.source;
            let kind = |single_path: bool| {
                if warned_at(code.span, code.section) {
                    StepKind::Prohibited
                } else {
                    steps::inline_kind(doc, source, code, single_path)
                }
            };
            commands::from_inline_code(code, context, kind, &mut more);
        }
        for (lines, section) in steps::plain_command_lines(&self.doc, self.source) {
            let context = sections[section].context;
            let start = more.len();
            commands::from_plain_lines(&lines, section, context, &mut more);
            for command in &mut more[start..] {
                if warned_at(command.span, section) {
                    command.kind = StepKind::Prohibited;
                }
            }
        }
        self.doc.commands.extend(more);
        // A step under headings that name no environment takes the one its command targets:
        // `heroku run -a shop-production`, `kubectl --context prod`, `RAILS_ENV=production`.
        let words = &self.options.context_words;
        for command in &mut self.doc.commands {
            if command.context == EnvContext::Unknown {
                if let Some(target) = target_context(words, &command.shell) {
                    command.context = target;
                }
            }
        }
        let (steps, not_steps): (Vec<Command>, Vec<Command>) =
            std::mem::take(&mut self.doc.commands)
                .into_iter()
                .partition(|c| c.kind == StepKind::Step);
        self.doc.commands = steps;
        self.doc.not_steps = not_steps;
        self.doc
            .commands
            .sort_by_key(|c| (c.span.start, c.span.end));
        // Spans of approximate code lines (tab expansion, dropped CRs) are estimates: keep
        // them inside the text and on character boundaries so no consumer can slice badly.
        let source = self.source;
        for command in self.doc.commands.iter_mut().chain(&mut self.doc.not_steps) {
            let command = &mut command.shell;
            command.span = on_char_boundaries(source, command.span);
            for word in command
                .words
                .iter_mut()
                .chain(&mut command.assignments)
                .chain(&mut command.wrappers)
                .chain(&mut command.redirects)
                .chain(&mut command.inputs)
            {
                word.span = on_char_boundaries(source, word.span);
            }
            command.understand();
        }
        self.doc
    }

    /// `<!-- runbook-lint env=production -->` sets the context of the section it is in.
    fn apply_context_markers(&mut self) {
        let mut sections_with_marker = Vec::new();
        for comment in &self.doc.html_comments {
            if let Some(rest) = comment.body.strip_prefix("runbook-lint") {
                let rest = rest.trim_start();
                if let Some(value) = rest.strip_prefix("env=") {
                    if let Some(context) = EnvContext::parse(value.trim()) {
                        sections_with_marker.push((comment.section, context));
                    }
                }
            }
        }
        for (section, context) in sections_with_marker {
            self.doc.sections[section].own_context = Some(context);
        }
    }
}

/// The environment a command names as its target (`-n production`, `-a shop-staging`), if any;
/// a rollback word in a name says nothing about the environment.
fn target_context(words: &ContextWords, command: &crate::command::Command) -> Option<EnvContext> {
    command
        .environment_names()
        .into_iter()
        .filter_map(|name| words.classify(&name.replace(['_', '.', '@', '/', ':'], "-")))
        .find(|context| *context != EnvContext::Rollback)
}

/// The lines of a shell block after a comment that labels them as what not to do (`# Don't:`,
/// `# ❌ wrong`), up to the next comment or blank line.
fn labelled_code_lines(block: &CodeBlock, warned: &mut Vec<Span>) {
    let mut labelled = false;
    for line in &block.lines {
        let text = line.text.trim();
        if text.is_empty() {
            labelled = false;
        } else if let Some(comment) = text.strip_prefix('#') {
            labelled = steps::is_prohibition_label(comment.trim_start_matches('#'));
        } else if labelled {
            warned.push(line.span_of(0, line.text.len()));
        }
    }
}

/// `span` clamped to `text`, its start moved back and its end forward to char boundaries.
fn on_char_boundaries(text: &str, span: Span) -> Span {
    let mut start = span.start.min(text.len());
    let mut end = span.end.min(text.len()).max(start);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    Span::new(start, end)
}

impl Document {
    /// A context named in a fence's info string after the language (```` ```bash prod ````),
    /// or `Unknown` to use the section's.
    fn context_hint(&self, code: &CodeBlock) -> EnvContext {
        code.info
            .split(|c: char| c.is_whitespace() || c == ',' || c == '=' || c == '"')
            .skip(1)
            .find_map(EnvContext::parse)
            .unwrap_or(EnvContext::Unknown)
    }
}
