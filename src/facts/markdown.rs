//! The repository's Markdown as pages: which documentation site (MkDocs, Zensical, Docusaurus)
//! renders which folder, and the anchors of each linked Markdown file. Files are read and
//! parsed on first use and cached for the whole run.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};

use regex::Regex;

use crate::document::{AnchorStyle, Anchors, Document, ParseOptions};

/// Anchors per Markdown file, computed lazily.
#[derive(Debug, Default)]
pub struct AnchorCache {
    root: PathBuf,
    cache: Mutex<HashMap<String, Option<Arc<Linked>>>>,
}

/// What is kept of a linked file: its anchors, and its secrets (a did-you-mean that offers
/// one of its headings must not print a secret of that file).
#[derive(Debug)]
struct Linked {
    anchors: Arc<Anchors>,
    masker: crate::redact::Masker,
}

impl AnchorCache {
    /// A cache for files under `root`.
    pub fn new(root: &Path) -> Self {
        AnchorCache {
            root: root.to_path_buf(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Anchors of the Markdown file at `relative` as `style` renders it (headings and HTML
    /// `id`/`name` anchors); `None` when it cannot be read. A file is rendered one way in a
    /// run, so the cache is keyed by path alone.
    pub fn anchors(&self, relative: &str, style: AnchorStyle) -> Option<Arc<Anchors>> {
        self.linked(relative, style)
            .map(|linked| linked.anchors.clone())
    }

    /// `text` (built from the anchors of the file at `relative`, already read) with that
    /// file's secrets masked.
    pub fn mask(&self, relative: &str, text: &str) -> String {
        let cached = self
            .cache
            .lock()
            .ok()
            .and_then(|cache| cache.get(relative).cloned().flatten());
        match cached {
            Some(linked) => linked.masker.mask(text).into_owned(),
            None => crate::redact::redact(text).into_owned(),
        }
    }

    fn linked(&self, relative: &str, style: AnchorStyle) -> Option<Arc<Linked>> {
        if let Some(found) = self.cache.lock().ok()?.get(relative) {
            return found.clone();
        }
        let computed = self.read(relative).map(|text| {
            Arc::new(Linked {
                anchors: Arc::new(anchors_of(&text, style)),
                masker: crate::redact::Masker::new(&text),
            })
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
            crate::robust::DEFAULT_MAX_FILE_BYTES,
        ) {
            crate::robust::Read::Text(text) => Some(text.text),
            _ => None,
        }
    }
}

/// Every anchor a Markdown text defines when `style` renders it.
pub fn anchors_of(text: &str, style: AnchorStyle) -> Anchors {
    Document::parse(text, &ParseOptions::default()).anchors(style)
}

/// A documentation site generator whose config file is in the repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteKind {
    /// `mkdocs.yml` or `zensical.toml` (Python-Markdown: `toc` slugs, `attr_list` ids).
    MkDocs {
        /// The config sets a Unicode `toc` slugify.
        unicode: bool,
    },
    /// `docusaurus.config.{js,ts,mjs,cjs}`.
    Docusaurus,
}

impl SiteKind {
    /// How the site writes heading anchors.
    pub fn anchor_style(self) -> AnchorStyle {
        match self {
            SiteKind::MkDocs { unicode } => AnchorStyle::MkDocs { unicode },
            SiteKind::Docusaurus => AnchorStyle::Docusaurus,
        }
    }
}

/// One documentation site: what renders the Markdown under its content folders, and where its
/// site-rooted links (`/guide/setup`) point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocSite {
    /// The generator.
    pub kind: SiteKind,
    /// The config file, relative to the project root.
    pub config: String,
    /// Folders whose Markdown the site renders (MkDocs: `docs_dir`; Docusaurus: the docs
    /// path, `blog`, `src/pages`, `versioned_docs`, `i18n`).
    pub content_dirs: Vec<String>,
    /// Where `/x` links are looked up, in order, each with the URL prefix it serves
    /// (Docusaurus: `docs/` → the docs path, `""` → `static/` and `src/pages/`).
    pub routes: Vec<(String, String)>,
}

/// The documentation sites of a project.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocSites {
    sites: Vec<DocSite>,
}

/// Site config file names and the generator each belongs to.
const SITE_CONFIGS: &[(&str, bool)] = &[
    ("mkdocs.yml", true),
    ("mkdocs.yaml", true),
    ("zensical.toml", true),
    ("docusaurus.config.js", false),
    ("docusaurus.config.ts", false),
    ("docusaurus.config.mjs", false),
    ("docusaurus.config.cjs", false),
];

/// `docs_dir: site-docs` (mkdocs.yml) or `docs_dir = "site-docs"` (zensical.toml).
static DOCS_DIR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?m)^\s*docs_dir\s*[:=]\s*["']?([^"'#\s]+)"#).expect("docs_dir regex")
});

/// `docs: { path: 'guides', routeBasePath: '/' }` in a Docusaurus preset or plugin config.
static DOCUSAURUS_DOCS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?s)\bdocs\s*:\s*\{([^{}]*)\}"#).expect("docusaurus docs regex")
});
static JS_PATH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\bpath\s*:\s*["'`]([^"'`]+)["'`]"#).expect("docusaurus path regex")
});
static JS_ROUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\brouteBasePath\s*:\s*["'`]([^"'`]*)["'`]"#).expect("docusaurus route regex")
});

impl DocSites {
    /// The sites whose config files are among `files` (relative to `root`). A config that
    /// cannot be read still marks a site, with the generator's default folders.
    pub fn detect(root: &Path, files: &BTreeSet<String>) -> DocSites {
        let mut sites = Vec::new();
        // Site configs are project files: read only inside the root, like manifests.
        let contained = crate::fsio::Root::new(root).ok();
        for file in files {
            let (dir, name) = match file.rsplit_once('/') {
                Some((dir, name)) => (dir, name),
                None => ("", file.as_str()),
            };
            let Some((_, mkdocs)) = SITE_CONFIGS.iter().find(|(n, _)| *n == name) else {
                continue;
            };
            let text = match contained.as_ref().map(|contained| {
                crate::robust::read_runbook(&root.join(file), contained, 1024 * 1024)
            }) {
                Some(crate::robust::Read::Text(text)) => text.text,
                _ => String::new(),
            };
            let under = |relative: &str| {
                crate::paths::join(dir, relative.trim_matches('/')).unwrap_or_default()
            };
            let site = if *mkdocs {
                let docs = DOCS_DIR
                    .captures(&text)
                    .map(|c| c[1].to_string())
                    .unwrap_or_else(|| "docs".to_string());
                let docs = under(&docs);
                // `slugify_unicode` (Python-Markdown) or pymdownx's slugs keep Unicode letters.
                let unicode = text.contains("slugify_unicode") || text.contains("pymdownx.slugs");
                DocSite {
                    kind: SiteKind::MkDocs { unicode },
                    config: file.clone(),
                    content_dirs: vec![docs.clone()],
                    routes: vec![(String::new(), docs)],
                }
            } else {
                let docs_config = DOCUSAURUS_DOCS.captures(&text).map(|c| c[1].to_string());
                let docs_path = docs_config
                    .as_deref()
                    .and_then(|c| JS_PATH.captures(c))
                    .map(|c| c[1].to_string())
                    .unwrap_or_else(|| "docs".to_string());
                let route = docs_config
                    .as_deref()
                    .and_then(|c| JS_ROUTE.captures(c))
                    .map(|c| c[1].trim_matches('/').to_string())
                    .unwrap_or_else(|| "docs".to_string());
                let docs = under(&docs_path);
                let mut content_dirs = vec![docs.clone()];
                content_dirs.extend(
                    ["blog", "src/pages", "versioned_docs", "i18n"]
                        .iter()
                        .map(|d| under(d)),
                );
                DocSite {
                    kind: SiteKind::Docusaurus,
                    config: file.clone(),
                    content_dirs,
                    routes: vec![
                        (route, docs),
                        ("blog".to_string(), under("blog")),
                        (String::new(), under("static")),
                        (String::new(), under("src/pages")),
                    ],
                }
            };
            sites.push(site);
        }
        DocSites { sites }
    }

    /// The site that renders the Markdown file at `path`: the one with the deepest content
    /// folder holding it.
    pub fn site_of(&self, path: &str) -> Option<&DocSite> {
        self.sites
            .iter()
            .flat_map(|site| site.content_dirs.iter().map(move |dir| (site, dir)))
            .filter(|(_, dir)| is_under(path, dir))
            .max_by_key(|(_, dir)| dir.len())
            .map(|(site, _)| site)
    }

    /// True when no site config was found.
    pub fn is_empty(&self) -> bool {
        self.sites.is_empty()
    }
}

/// True when `path` is `dir` or inside it (`""` holds everything).
fn is_under(path: &str, dir: &str) -> bool {
    dir.is_empty()
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_and_html_anchors() {
        let anchors =
            anchors_of("# Rollback Procedures\n## Steps\n## Steps\n<a name=\"manual\"></a>\n### Exporter {#exporter}\n## <a name=\"x\"></a> Known Gotchas\n", AnchorStyle::GitHub);
        for a in [
            "rollback-procedures",
            "steps",
            "steps-1",
            "manual",
            "exporter-exporter",
            "x",
            "-known-gotchas",
        ] {
            assert!(anchors.contains(a), "{a}: {anchors:?}");
        }
        assert!(!anchors.contains("exporter"));
        let mkdocs = anchors_of(
            "### Exporter {#exporter}\n",
            AnchorStyle::MkDocs { unicode: false },
        );
        assert!(mkdocs.contains("exporter"));
    }

    #[test]
    fn sites_are_found_by_config_and_own_their_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("mkdocs.yml"), "site_name: x\ndocs_dir: 'handbook'\nmarkdown_extensions:\n  - toc:\n      slugify: !!python/object/apply:pymdownx.slugs.slugify\n").unwrap();
        std::fs::create_dir_all(root.join("website")).unwrap();
        std::fs::write(
            root.join("website/docusaurus.config.ts"),
            "export default { presets: [['classic', { docs: { path: 'guides', routeBasePath: '/' } }]] };",
        )
        .unwrap();
        let files: BTreeSet<String> = ["mkdocs.yml", "website/docusaurus.config.ts", "README.md"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let sites = DocSites::detect(root, &files);
        let mkdocs = sites.site_of("handbook/setup.md").unwrap();
        assert_eq!(mkdocs.kind, SiteKind::MkDocs { unicode: true });
        assert_eq!(mkdocs.routes, vec![(String::new(), "handbook".to_string())]);
        let docusaurus = sites.site_of("website/guides/intro.md").unwrap();
        assert_eq!(docusaurus.kind, SiteKind::Docusaurus);
        assert_eq!(
            docusaurus.routes[0],
            (String::new(), "website/guides".to_string())
        );
        assert!(sites.site_of("website/blog/2024.md").is_some());
        assert!(sites.site_of("README.md").is_none());
        assert!(sites.site_of("handbookish/x.md").is_none());
    }
}
