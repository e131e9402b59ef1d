//! Heading anchors of the repository's Markdown files, for `#anchor` link checks. Files are
//! read and parsed on first use and cached for the whole run.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::document::{Document, ParseOptions};

/// Anchors per Markdown file, computed lazily.
#[derive(Debug, Default)]
pub struct AnchorCache {
    root: PathBuf,
    cache: Mutex<HashMap<String, Option<Linked>>>,
}

/// What is kept of a linked file: its anchors, and its secrets (a did-you-mean that offers
/// one of its headings must not print a secret of that file).
#[derive(Debug, Clone)]
struct Linked {
    anchors: Arc<BTreeSet<String>>,
    masker: Arc<crate::rules::Masker>,
}

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
        self.linked(relative).map(|linked| linked.anchors)
    }

    /// `text` (built from the anchors of the file at `relative`) with that file's secrets
    /// masked.
    pub fn mask(&self, relative: &str, text: &str) -> String {
        match self.linked(relative) {
            Some(linked) => linked.masker.mask(text).into_owned(),
            None => crate::rules::redact(text).into_owned(),
        }
    }

    fn linked(&self, relative: &str) -> Option<Linked> {
        if let Some(found) = self.cache.lock().ok()?.get(relative) {
            return found.clone();
        }
        let computed = self.read(relative).map(|text| Linked {
            anchors: Arc::new(anchors_of(&text)),
            masker: Arc::new(crate::rules::Masker::new(&text)),
        });
        self.cache
            .lock()
            .ok()?
            .insert(relative.to_string(), computed.clone());
        computed
    }
}

impl AnchorCache {
    /// A linked Markdown file's text, read like a runbook (size limit; FIFOs, binaries and
    /// broken symlinks skipped) and only when it resolves inside the root: a symlink to a file
    /// outside the repository is never read.
    fn read(&self, relative: &str) -> Option<String> {
        let root = crate::fsio::Root::new(&self.root).ok()?;
        match crate::robust::read_runbook(
            &self.root.join(relative),
            &root,
            crate::engine::DEFAULT_MAX_FILE_BYTES,
        ) {
            crate::robust::Read::Text(text) => Some(text.text),
            _ => None,
        }
    }
}

/// Every anchor a Markdown text defines.
pub fn anchors_of(text: &str) -> BTreeSet<String> {
    Document::parse(text, &ParseOptions::default()).link_anchors(text)
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
