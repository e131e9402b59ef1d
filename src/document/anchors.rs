//! Every anchor a Markdown text defines, for `#anchor` links: GitHub's heading slugs (from the
//! model) plus what the slugs miss: heading attributes, tags before a heading's text, and HTML
//! `id`/`name` anchors.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use super::Document;

/// `## Title {#custom-id}`: heading attributes (MkDocs, Pandoc, kramdown) set the anchor.
static HEADING_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^\s{0,3}#{1,6}\s.*\{[^}]*#([^\s}]+)[^}]*\}\s*$").expect("heading id regex")
});

/// `## <a name="x"></a> Title`: GitHub slugs the text after the tag without trimming, so the
/// anchor starts with a hyphen.
static HEADING_AFTER_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^\s{0,3}#{1,6}\s+(?:<[^>]*>)+(\s.*)$").expect("heading tag regex")
});

static HTML_ANCHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<a\s[^>]*\b(?:name|id)\s*=\s*["']([^"']+)["']|\bid\s*=\s*["']([^"']+)["']"#)
        .expect("anchor regex")
});

impl Document {
    /// Every anchor `text` (this document's source) defines.
    pub fn link_anchors(&self, text: &str) -> BTreeSet<String> {
        let mut anchors: BTreeSet<String> = self.anchors().map(String::from).collect();
        for found in HEADING_ID.captures_iter(text) {
            anchors.insert(found[1].to_string());
        }
        for found in HEADING_AFTER_TAG.captures_iter(text) {
            anchors.insert(format!("-{}", super::slug(&found[1])));
        }
        for found in HTML_ANCHOR.captures_iter(text) {
            if let Some(name) = found.get(1).or_else(|| found.get(2)) {
                anchors.insert(name.as_str().to_string());
            }
        }
        anchors
    }
}
