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
    cache: Mutex<HashMap<String, Option<Arc<BTreeSet<String>>>>>,
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
        if let Some(found) = self.cache.lock().ok()?.get(relative) {
            return found.clone();
        }
        let computed = self.read(relative).map(|text| Arc::new(anchors_of(&text)));
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
        let path = self.root.join(relative);
        let real = path.canonicalize().ok()?;
        let root = self.root.canonicalize().ok()?;
        if !real.starts_with(&root) {
            return None;
        }
        match crate::robust::read_runbook(&real, crate::robust::DEFAULT_MAX_FILE_BYTES) {
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
