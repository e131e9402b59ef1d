//! Every anchor a rendered Markdown page has, for `#anchor` links, written the way the renderer
//! that shows the page writes it:
//!
//! - **GitHub**: heading ids from github-slugger's algorithm (lower-case; drop punctuation,
//!   symbols, other numbers, controls and separators by Unicode category, keep letters, marks,
//!   digits, `-`, `_`; spaces become `-`; repeats get `-1`, `-2`, ...). `{#id}` after a heading
//!   is heading text there, not an id.
//! - **MkDocs** (Python-Markdown `toc` and `attr_list`): `{#id}` / `{: #id }` set the id; other
//!   headings get `toc`'s `slugify` (NFKD, ASCII only, `_1`, `_2` for repeats), or its
//!   `slugify_unicode` when the site configures a Unicode slugify.
//! - **Docusaurus**: github-slugger, and `{#id}` sets the id.
//!
//! HTML `id` and `name` attributes (parsed from the HTML blocks and inline HTML of the model,
//! never from code or text) are anchors in every style.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

use super::{Document, Section};

/// How headings become anchors: the renderer that shows the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AnchorStyle {
    /// github.com (github-slugger); `{#id}` is text.
    #[default]
    GitHub,
    /// MkDocs / Zensical: `toc` slugs, `attr_list` ids.
    MkDocs {
        /// The site's `toc` slugify keeps Unicode letters (`slugify_unicode`,
        /// `pymdownx.slugs`) instead of folding to ASCII.
        unicode: bool,
    },
    /// Docusaurus: github-slugger slugs, `{#id}` ids.
    Docusaurus,
}

impl AnchorStyle {
    /// The renderer's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            AnchorStyle::GitHub => "GitHub",
            AnchorStyle::MkDocs { .. } => "MkDocs",
            AnchorStyle::Docusaurus => "Docusaurus",
        }
    }
}

/// Characters github-slugger removes: other numbers, punctuation except connectors (`_`, `‿`),
/// symbols, controls, private use, format characters, unassigned code points and separators,
/// except letters-like symbols (`Alphabetic`, such as `Ⓐ`), the space and `-`. (github-slugger
/// generates the same set from Unicode 13 data; this regex uses the `regex` crate's newer
/// Unicode tables, so a code point assigned since then is kept where github-slugger drops it.)
static GITHUB_REMOVED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[[\p{No}\p{Pe}\p{Pf}\p{Pi}\p{Ps}\p{Po}\p{Pd}\p{S}\p{Cc}\p{Co}\p{Cf}\p{Cn}\p{Z}]--[\p{Alphabetic} \-]]",
    )
    .expect("github-slugger class")
});

/// github-slugger's `slug`: GitHub's anchor for a heading's text, before repeats are numbered.
pub fn github_slug(text: &str) -> String {
    GITHUB_REMOVED
        .replace_all(&text.to_lowercase(), "")
        .replace(' ', "-")
}

/// Python-Markdown `toc`'s `slugify` (or `slugify_unicode`) with the default `-` separator:
/// NFKD and ASCII only (unless `unicode`), drop what is not a word character, space or `-`,
/// trim, lower-case, runs of spaces and `-` become one `-`.
pub fn mkdocs_slug(text: &str, unicode: bool) -> String {
    let folded: String = if unicode {
        text.to_string()
    } else {
        text.nfkd().filter(char::is_ascii).collect()
    };
    let kept: String = folded
        .chars()
        .filter(|&c| c.is_alphanumeric() || c == '_' || c == '-' || c.is_whitespace())
        .collect();
    let mut slug = String::with_capacity(kept.len());
    let mut in_separator = false;
    for c in kept.trim().to_lowercase().chars() {
        if c == '-' || c.is_whitespace() {
            if !in_separator {
                slug.push('-');
            }
            in_separator = true;
        } else {
            slug.push(c);
            in_separator = false;
        }
    }
    slug
}

/// Numbers repeated headings like github-slugger's `BananaSlug`: the first `x` stays `x`, the
/// next is `x-1`, and a suffix that collides with an existing slug counts on (`Setup`, `Setup`,
/// `Setup 1` → `setup`, `setup-1`, `setup-1-1`).
#[derive(Debug, Default)]
pub struct GithubSlugger {
    occurrences: HashMap<String, usize>,
}

impl GithubSlugger {
    /// The unique slug of the next heading with this text.
    pub fn slug(&mut self, text: &str) -> String {
        self.unique(github_slug(text))
    }

    /// `base` made unique among the slugs given out so far.
    pub fn unique(&mut self, base: String) -> String {
        let mut result = base.clone();
        while self.occurrences.contains_key(&result) {
            let count = self.occurrences.entry(base.clone()).or_insert(0);
            *count += 1;
            result = format!("{base}-{count}");
        }
        self.occurrences.insert(result.clone(), 0);
        result
    }
}

/// `toc`'s `unique`: an empty or taken id gets `_1`, and a taken `x_1` counts on to `x_2`.
/// Each stem keeps a next-free index (path-compressed), so repeats cost linear time where
/// `toc`'s own loop is quadratic.
#[derive(Debug, Default)]
struct MkdocsIds {
    used: HashSet<String>,
    /// Per stem: a count → a count at or above it that may be free.
    next_free: HashMap<String, HashMap<u64, u64>>,
}

/// `x_12` → (`x`, 12), as `toc`'s `^(.*)_([0-9]+)$`.
fn split_count(id: &str) -> Option<(&str, u64)> {
    let (stem, count) = id.rsplit_once('_')?;
    if count.is_empty() || !count.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((stem, count.parse().ok()?))
}

impl MkdocsIds {
    fn mark(&mut self, id: &str) {
        if let Some((stem, count)) = split_count(id) {
            self.next_free
                .entry(stem.to_string())
                .or_default()
                .insert(count, count.saturating_add(1));
        }
        self.used.insert(id.to_string());
    }

    /// The smallest count at or above `count` that `stem` has not used.
    fn free_count(&mut self, stem: &str, count: u64) -> u64 {
        let Some(next) = self.next_free.get_mut(stem) else {
            return count;
        };
        let mut found = count;
        let mut path = Vec::new();
        while let Some(&later) = next.get(&found) {
            path.push(found);
            found = later;
        }
        for step in path {
            next.insert(step, found);
        }
        found
    }

    fn unique(&mut self, mut id: String) -> String {
        while id.is_empty() || self.used.contains(&id) {
            let (stem, start) = match split_count(&id) {
                Some((stem, count)) => (stem.to_string(), count.saturating_add(1)),
                None => (id.clone(), 1),
            };
            let count = self.free_count(&stem, start);
            id = format!("{stem}_{count}");
        }
        self.mark(&id);
        id
    }
}

/// A heading's trailing attribute list: `## Title {#id}`, `## Title {: #id .class }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingAttribute {
    /// The `#id` in it, if any.
    pub id: Option<String>,
    /// Length of the heading text before the `{`.
    pub text_len: usize,
    /// True for exactly `{#id}`, the only form Docusaurus reads.
    pub plain_id: bool,
}

/// The attribute list ending `text`, if it has one (`{` at the start or after whitespace).
pub fn heading_attribute(text: &str) -> Option<HeadingAttribute> {
    let trimmed = text.trim_end();
    let body = trimmed.strip_suffix('}')?;
    let open = body.rfind('{')?;
    let before = &text[..open];
    if !(before.is_empty() || before.ends_with(char::is_whitespace)) {
        return None;
    }
    let inner = &body[open + 1..];
    if inner.contains('{') {
        return None;
    }
    let list = inner.strip_prefix(':').unwrap_or(inner).trim();
    if list.is_empty() {
        return None;
    }
    let id = list
        .split_whitespace()
        .find_map(|token| token.strip_prefix('#'))
        .filter(|id| !id.is_empty())
        .map(str::to_string);
    let plain_id = !inner.starts_with(':')
        && inner.starts_with('#')
        && !inner.contains(char::is_whitespace)
        && inner.len() > 1;
    Some(HeadingAttribute {
        id,
        text_len: before.trim_end().len(),
        plain_id,
    })
}

/// The anchors of one rendered page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Anchors {
    /// Every id and name on the page, as written.
    names: BTreeSet<String>,
    /// Lower-cased anchor → the first anchor with that spelling, for a case-insensitive match.
    lowercase: BTreeMap<String, String>,
    /// `{#id}` heading attributes the style does not read → the heading's real anchor.
    ignored_attributes: BTreeMap<String, String>,
}

/// What a page has for a wanted anchor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnchorMatch<'a> {
    /// Exactly this anchor.
    Found,
    /// An anchor that differs only in case.
    CaseDiffers(&'a str),
    /// A `{#id}` heading attribute the renderer shows as text; the heading's real anchor.
    IgnoredAttribute(&'a str),
    /// Nothing.
    Missing,
}

impl Anchors {
    fn insert(&mut self, anchor: String) {
        self.lowercase
            .entry(anchor.to_lowercase())
            .or_insert_with(|| anchor.clone());
        self.names.insert(anchor);
    }

    /// How the page answers a link to `#wanted` (already percent-decoded).
    pub fn find(&self, wanted: &str) -> AnchorMatch<'_> {
        if self.names.contains(wanted) {
            return AnchorMatch::Found;
        }
        if let Some(heading) = self.ignored_attributes.get(wanted) {
            return AnchorMatch::IgnoredAttribute(heading);
        }
        match self.lowercase.get(&wanted.to_lowercase()) {
            Some(anchor) => AnchorMatch::CaseDiffers(anchor),
            None => AnchorMatch::Missing,
        }
    }

    /// Every anchor, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }

    /// True when the page has this anchor exactly.
    pub fn contains(&self, anchor: &str) -> bool {
        self.names.contains(anchor)
    }
}

impl Section {
    /// The heading's text before a trailing attribute list the style reads.
    fn text_for(&self, style: AnchorStyle) -> (&str, Option<&str>) {
        match (&self.attribute, style) {
            (Some(attribute), AnchorStyle::MkDocs { .. }) => (
                &self.slug_text[..attribute.text_len],
                attribute.id.as_deref(),
            ),
            (Some(attribute), AnchorStyle::Docusaurus) if attribute.plain_id => (
                &self.slug_text[..attribute.text_len],
                attribute.id.as_deref(),
            ),
            _ => (&self.slug_text, None),
        }
    }
}

impl Document {
    /// Every anchor of this page as `style` renders it: headings and HTML `id`/`name`s.
    pub fn anchors(&self, style: AnchorStyle) -> Anchors {
        let mut anchors = Anchors::default();
        let headings = self.sections.iter().skip(1);
        match style {
            AnchorStyle::GitHub => {
                for section in headings {
                    anchors.insert(section.anchor.clone());
                    if let Some(id) = section.attribute.as_ref().and_then(|a| a.id.clone()) {
                        anchors
                            .ignored_attributes
                            .entry(id)
                            .or_insert_with(|| section.anchor.clone());
                    }
                }
            }
            AnchorStyle::Docusaurus => {
                let mut slugger = GithubSlugger::default();
                for section in headings {
                    let (text, id) = section.text_for(style);
                    let anchor = match id {
                        Some(id) => id.to_string(),
                        None => slugger.slug(text),
                    };
                    anchors.insert(anchor);
                }
            }
            AnchorStyle::MkDocs { unicode } => {
                // `toc` avoids the ids already in the page: the attribute ones.
                let mut ids = MkdocsIds::default();
                for id in headings.clone().filter_map(|s| s.text_for(style).1) {
                    ids.mark(id);
                }
                for section in headings {
                    let anchor = match section.text_for(style) {
                        (_, Some(id)) => id.to_string(),
                        (text, None) => ids.unique(mkdocs_slug(text, unicode)),
                    };
                    anchors.insert(anchor);
                }
            }
        }
        for name in &self.html_anchors {
            anchors.insert(name.clone());
        }
        anchors
    }
}

/// `id` and `name` attribute values of the start tags in an HTML fragment (an HTML block or
/// one inline tag), parsed by a WHATWG tokenizer: quoted or not, any element, entities
/// decoded; comments, `data-id` and the content of `<script>`/`<style>` are not anchors.
pub fn html_anchors(html: &str, out: &mut Vec<String>) {
    if !html.contains('<') {
        return;
    }
    use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
    let mut wanted = false;
    let mut emitter = CallbackEmitter::new(
        move |event: CallbackEvent<'_>, _span: html5gum::Span<()>| -> Option<String> {
            match event {
                CallbackEvent::AttributeName { name } => {
                    wanted = name == b"id" || name == b"name";
                    None
                }
                CallbackEvent::AttributeValue { value } if wanted => {
                    wanted = false;
                    let value = String::from_utf8_lossy(value).trim().to_string();
                    (!value.is_empty()).then_some(value)
                }
                _ => {
                    wanted = false;
                    None
                }
            }
        },
    );
    emitter.naively_switch_states(true);
    for token in html5gum::Tokenizer::new_with_emitter(html, emitter) {
        match token {
            Ok(anchor) => out.push(anchor),
            Err(never) => match never {},
        }
    }
}

/// `%20` and other percent escapes decoded once (`%2520` is `%20`; invalid escapes are kept
/// as written).
pub fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            let hex = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
            out.push(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Which headings a table of contents names, and which links are its entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableOfContents {
    /// Per section: an in-page link points at it or its title is a link's text.
    pub headings: Vec<bool>,
    /// Per link: its text names a heading (this page's, or the one its anchor points to).
    pub entries: Vec<bool>,
}

impl TableOfContents {
    /// Built in one pass over the links, with the headings looked up by anchor and title.
    pub(super) fn of(doc: &Document) -> TableOfContents {
        let mut by_anchor: HashMap<String, usize> = HashMap::new();
        let mut by_title: HashMap<String, usize> = HashMap::new();
        for (id, section) in doc.sections.iter().enumerate().skip(1) {
            by_anchor.entry(section.anchor.to_lowercase()).or_insert(id);
            by_title.entry(section.title.to_lowercase()).or_insert(id);
        }
        let mut toc = TableOfContents {
            headings: vec![false; doc.sections.len()],
            entries: vec![false; doc.links.len()],
        };
        for (index, link) in doc.links.iter().enumerate() {
            let Some((path, anchor)) = link.dest.split_once('#') else {
                continue;
            };
            let anchor = percent_decode(anchor).to_lowercase();
            let text = link.text.to_lowercase();
            let titled = by_title.get(&text).copied();
            let slugged = !text.is_empty() && github_slug(&text) == anchor;
            if titled.is_none() && !slugged {
                continue;
            }
            toc.entries[index] = true;
            if path.is_empty() {
                let target = by_anchor.get(&anchor).copied().filter(|_| slugged);
                for id in [titled, target].into_iter().flatten() {
                    toc.headings[id] = true;
                }
            }
        }
        toc
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::ParseOptions;

    fn anchors(text: &str, style: AnchorStyle) -> Vec<String> {
        Document::parse(text, &ParseOptions::default())
            .anchors(style)
            .names()
            .map(String::from)
            .collect()
    }

    #[test]
    fn github_slugs_by_unicode_category() {
        assert_eq!(github_slug("⚠️ Warning"), "\u{fe0f}-warning");
        assert_eq!(github_slug("x² ① ¼ y"), "x---y");
        assert_eq!(github_slug("a‿b＿c"), "a‿b＿c");
        assert_eq!(github_slug("İstanbul"), "i\u{307}stanbul");
        assert_eq!(github_slug("हिन्दी"), "हिन्दी");
        assert_eq!(github_slug("Ⓐ circled"), "ⓐ-circled");
    }

    #[test]
    fn repeats_count_on_past_collisions() {
        let mut slugger = GithubSlugger::default();
        let slugs: Vec<String> = ["Setup", "Setup", "Setup 1", "Setup-1", "Setup"]
            .iter()
            .map(|t| slugger.slug(t))
            .collect();
        assert_eq!(
            slugs,
            ["setup", "setup-1", "setup-1-1", "setup-1-2", "setup-2"]
        );
    }

    #[test]
    fn mkdocs_slugs_fold_to_ascii_and_number_with_underscores() {
        assert_eq!(
            mkdocs_slug("Über  die -- Brücke!", false),
            "uber-die-brucke"
        );
        assert_eq!(mkdocs_slug("Über die Brücke", true), "über-die-brücke");
        assert_eq!(mkdocs_slug("  Hello_World  ", false), "hello_world");
        let mut ids = MkdocsIds::default();
        let given: Vec<String> = ["a", "a", "a_1", "", "a_5", "a_4", "a_4", "a", "a"]
            .iter()
            .map(|s| ids.unique(s.to_string()))
            .collect();
        assert_eq!(
            given,
            ["a", "a_1", "a_2", "_1", "a_5", "a_4", "a_6", "a_3", "a_7"]
        );
        // Many repeats stay linear: each finds its count without walking the others.
        let mut ids = MkdocsIds::default();
        for _ in 0..20_000 {
            ids.unique("x".to_string());
        }
        assert_eq!(ids.unique("x".to_string()), "x_20000");
    }

    #[test]
    fn heading_attributes_per_style() {
        let text = "# Intro {#start}\n## Ünïcode Title\n## Ünïcode Title\n## Styled {: #styled .wide }\n## Class only {.note}\n## Not{#attr}\n";
        let github = anchors(text, AnchorStyle::GitHub);
        assert!(github.contains(&"intro-start".to_string()), "{github:?}");
        assert!(github.contains(&"ünïcode-title-1".to_string()));
        assert!(github.contains(&"class-only-note".to_string()));
        assert!(!github.contains(&"start".to_string()));
        let mkdocs = anchors(text, AnchorStyle::MkDocs { unicode: false });
        for id in [
            "start",
            "unicode-title",
            "unicode-title_1",
            "styled",
            "class-only",
            "notattr",
        ] {
            assert!(mkdocs.contains(&id.to_string()), "{id}: {mkdocs:?}");
        }
        let docusaurus = anchors(text, AnchorStyle::Docusaurus);
        for id in [
            "start",
            "ünïcode-title-1",
            "styled--styled-wide-",
            "class-only-note",
        ] {
            assert!(docusaurus.contains(&id.to_string()), "{id}: {docusaurus:?}");
        }
    }

    #[test]
    fn html_anchors_come_from_real_tags() {
        let mut found = Vec::new();
        html_anchors(
            "<a id = bare></a><a id=\"first\" name='second'/><p data-id=\"no\" ID=Upper>\n<!-- <a id=\"comment\"> --><script>if (a <b id=\"js\">) {}</script><span name=\"x&amp;y\">",
            &mut found,
        );
        assert_eq!(found, ["bare", "first", "second", "Upper", "x&y"]);
    }

    #[test]
    fn html_anchors_only_from_html_not_code_or_text() {
        let text = "<div id=\"block\">\n\nText with id=\"prose\" and `<a id=\"code\">`.\n\n```html\n<a id=\"fenced\"></a>\n```\n\nInline <span id=\"inline\">x</span>.\n";
        let found = anchors(text, AnchorStyle::GitHub);
        assert_eq!(found, ["block", "inline"]);
    }

    #[test]
    fn lookups_say_found_case_or_ignored_attribute() {
        let doc = Document::parse(
            "## Heading Name {#custom}\n<a id=\"MixedCase\"></a>\n",
            &ParseOptions::default(),
        );
        let anchors = doc.anchors(AnchorStyle::GitHub);
        assert_eq!(anchors.find("heading-name-custom"), AnchorMatch::Found);
        assert_eq!(
            anchors.find("custom"),
            AnchorMatch::IgnoredAttribute("heading-name-custom")
        );
        assert_eq!(
            anchors.find("mixedcase"),
            AnchorMatch::CaseDiffers("MixedCase")
        );
        assert_eq!(anchors.find("nothing"), AnchorMatch::Missing);
    }
}
