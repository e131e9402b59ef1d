//! Which files to lint and which project each belongs to.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILES;

/// Files whose presence makes a directory a project (or part of one). Renaming a script in
/// package.json breaks runbooks that did not change, so these are also what pre-commit passes.
pub const MANIFEST_FILES: &[&str] = &[
    "package.json",
    "pnpm-workspace.yaml",
    "render.yaml",
    "docker-compose.yml",
    "docker-compose.yaml",
    "compose.yml",
    "compose.yaml",
    ".env.example",
    ".env.sample",
    ".env.template",
    "Makefile",
    "makefile",
    "GNUmakefile",
    "justfile",
    "Taskfile.yml",
    "pyproject.toml",
    "fly.toml",
    "app.json",
    "Procfile",
    "vercel.json",
    "alembic.ini",
    "manage.py",
];

/// Markdown extensions linted when walking directories.
const MARKDOWN_EXTENSIONS: &[&str] = &["md", "markdown", "mdown", "mkd"];

/// Build output folders: their Markdown is generated, not written.
const BUILD_DIRS: &[&str] = &["dist", "build"];

/// True for a Markdown file name.
pub fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| MARKDOWN_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// True for a manifest file name (`docker-compose.prod.yml` included).
pub fn is_manifest(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    MANIFEST_FILES.contains(&name)
        || (name.starts_with("docker-compose.")
            && (name.ends_with(".yml") || name.ends_with(".yaml")))
        || (name.starts_with(".env.") && name != ".env")
}

/// Markdown files under `dir`, .gitignore respected, hidden and build folders skipped, sorted.
pub fn walk_markdown(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = crate::paths::walk_files(dir, false, BUILD_DIRS)
        .filter(|entry| is_markdown(entry.path()))
        .map(|entry| entry.into_path())
        .collect();
    files.sort();
    files
}

/// Finds project roots, caching what it learns about each directory.
#[derive(Default)]
pub struct RootFinder {
    cache: HashMap<PathBuf, PathBuf>,
}

impl RootFinder {
    /// The project root for a file in `dir` (an absolute directory).
    ///
    /// The root is the nearest ancestor holding a config file; otherwise the outermost
    /// ancestor holding a manifest, up to and including the repository root (`.git`). So a
    /// runbook in `apps/api/docs/` of a monorepo is checked from the repository root (where
    /// the workspace and compose files are), while a fixture repository nested in another
    /// repository without manifests at its top is its own project.
    pub fn root_for(&mut self, dir: &Path) -> PathBuf {
        if let Some(root) = self.cache.get(dir) {
            return root.clone();
        }
        let mut outermost_manifest_dir: Option<&Path> = None;
        let mut root = None;
        for ancestor in dir.ancestors() {
            if CONFIG_FILES
                .iter()
                .any(|name| ancestor.join(name).is_file())
            {
                root = Some(ancestor.to_path_buf());
                break;
            }
            if MANIFEST_FILES
                .iter()
                .any(|name| ancestor.join(name).is_file())
            {
                outermost_manifest_dir = Some(ancestor);
            }
            if ancestor.join(".git").exists() {
                root = Some(outermost_manifest_dir.unwrap_or(ancestor).to_path_buf());
                break;
            }
        }
        let root = root
            .or_else(|| outermost_manifest_dir.map(Path::to_path_buf))
            .unwrap_or_else(|| dir.to_path_buf());
        self.cache.insert(dir.to_path_buf(), root.clone());
        root
    }
}
