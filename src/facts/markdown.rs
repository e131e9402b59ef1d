//! Heading anchors of the repository's Markdown files, for `#anchor` link checks. Files are
//! read and parsed on first use and cached for the whole run.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, LazyLock, Mutex};

use regex::Regex;

use crate::document::{Document, ParseOptions};

/// Anchors per Markdown file, computed lazily.
#[derive(Debug, Default)]
pub struct AnchorCache {
    root: PathBuf,
    cache: Mutex<HashMap<String, Option<Arc<BTreeSet<String>>>>>,
}

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

impl AnchorCache {
    /// A cache for files under `root`.
    pub fn new(root: &std::path::Path) -> Self {
        AnchorCache {
            root: root.to_path_buf(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Anchors of the Markdown file at `relative` (headings with GitHub's `-1` suffixes, and
    /// HTML `id`/`name` anchors); `None` when it cannot be read.
    pub fn anchors(&self, relative: &str) -> Option<Arc<BTreeSet<String>>> {
        if let Some(found) = self.cache.lock().ok()?.get(relative) {
            return found.clone();
        }
        let computed = std::fs::read(self.root.join(relative)).ok().map(|bytes| {
            let text = String::from_utf8_lossy(&bytes);
            Arc::new(anchors_of(&text))
        });
        self.cache
            .lock()
            .ok()?
            .insert(relative.to_string(), computed.clone());
        computed
    }
}

/// Every anchor a Markdown text defines.
pub fn anchors_of(text: &str) -> BTreeSet<String> {
    let doc = Document::parse(text, &ParseOptions::default());
    let mut anchors: BTreeSet<String> = doc.anchors().map(String::from).collect();
    for found in HEADING_ID.captures_iter(text) {
        anchors.insert(found[1].to_string());
    }
    for found in HEADING_AFTER_TAG.captures_iter(text) {
        anchors.insert(format!("-{}", crate::document::slug(&found[1])));
    }
    for found in HTML_ANCHOR.captures_iter(text) {
        if let Some(name) = found.get(1).or_else(|| found.get(2)) {
            anchors.insert(name.as_str().to_string());
        }
    }
    anchors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_and_html_anchors() {
        let anchors =
            anchors_of("# Rollback Procedures\n## Steps\n## Steps\n<a name=\"manual\"></a>\n### Exporter {#exporter}\n## <a name=\"x\"></a> Known Gotchas\n");
        for a in [
            "rollback-procedures",
            "steps",
            "steps-1",
            "manual",
            "exporter",
            "-known-gotchas",
        ] {
            assert!(anchors.contains(a), "{a}: {anchors:?}");
        }
    }
}
