//! Which files to lint and which project each belongs to.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILES;
use crate::paths::{WalkOptions, WalkProblem};

/// Build output folders: their Markdown is generated, not written.
const BUILD_DIRS: &[&str] = &["dist", "build"];

/// True for a Markdown file name (`.md`, `.markdown`, ... in any case).
pub fn is_markdown(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(crate::manifests::is_markdown)
}

/// True for a manifest (any name in [`crate::manifests::MANIFESTS`]; the directories count
/// for the entries that name them, such as `.github/workflows/`).
pub fn is_manifest(path: &Path) -> bool {
    crate::manifests::is_manifest(&path.to_string_lossy())
}

/// Extension-less names that are never runbooks (licence texts hold `[yyyy] [name of
/// copyright owner]`-style blanks on purpose).
const NOT_RUNBOOKS: &[&str] = &[
    "LICENSE",
    "LICENCE",
    "COPYING",
    "NOTICE",
    "AUTHORS",
    "CODEOWNERS",
];

/// True for a file name that is surely not Markdown: an extension other than a Markdown one
/// (`notes.txt`, `diagram.png`), a dot-file (`.gitignore`), or a licence text. An
/// extension-less name (`RUNBOOK`, `Jenkinsfile`) is decided by its text instead.
pub fn is_not_markdown(path: &Path) -> bool {
    if is_markdown(path) {
        return false;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    path.extension().is_some()
        || name.starts_with('.')
        || NOT_RUNBOOKS.contains(&name.to_ascii_uppercase().as_str())
}

/// Markdown files under `dir`, sorted: `.gitignore` and `.ignore` from `boundary` down
/// respected (see [`crate::paths::ignore_boundary`]), hidden and build folders skipped; and what
/// could not be read on the way.
pub fn walk_markdown(dir: &Path, boundary: &Path) -> (Vec<PathBuf>, Vec<WalkProblem>) {
    let options = WalkOptions {
        hidden: false,
        extra_skipped: BUILD_DIRS,
    };
    let walk = crate::paths::walk(dir, boundary, options);
    let mut files: Vec<PathBuf> = walk.files.into_iter().filter(|p| is_markdown(p)).collect();
    files.sort();
    (files, walk.problems)
}

/// Finds project roots, caching what it learns about each directory.
#[derive(Default)]
pub struct RootFinder {
    cache: HashMap<PathBuf, PathBuf>,
    /// What each ancestor directory holds: sibling folders share their ancestors, and each
    /// answer costs a `stat` per config and manifest name.
    dirs: HashMap<PathBuf, DirKind>,
}

/// What a directory holds, as far as root discovery cares (the config file wins).
#[derive(Clone, Copy)]
enum DirKind {
    Config,
    Other { manifest: bool, git: bool },
}

fn dir_kind(dir: &Path) -> DirKind {
    if CONFIG_FILES.iter().any(|name| dir.join(name).is_file())
        || crate::config::pyproject_configures(dir)
    {
        return DirKind::Config;
    }
    DirKind::Other {
        manifest: crate::manifests::MANIFESTS
            .iter()
            .filter(|m| m.marks_project)
            .flat_map(|m| m.names)
            .any(|name| dir.join(name).is_file()),
        git: dir.join(".git").exists(),
    }
}

impl RootFinder {
    /// The project root for a file in `dir` (an absolute directory).
    ///
    /// The root is the nearest ancestor holding a config file; otherwise, inside a repository,
    /// the outermost ancestor holding a manifest up to and including the repository root
    /// (`.git`); outside any repository, the nearest ancestor holding a manifest; otherwise
    /// `dir`. So a runbook in `apps/api/docs/` of a monorepo is checked from the repository
    /// root (where the workspace and compose files are), a fixture repository nested in
    /// another repository without manifests at its top is its own project, and a stray
    /// `package.json` in a parent of an unversioned project (a home directory) never becomes
    /// its root.
    pub fn root_for(&mut self, dir: &Path) -> PathBuf {
        if let Some(root) = self.cache.get(dir) {
            return root.clone();
        }
        let mut nearest_manifest_dir: Option<&Path> = None;
        let mut outermost_manifest_dir: Option<&Path> = None;
        let mut root = None;
        for ancestor in dir.ancestors() {
            let kind = match self.dirs.get(ancestor) {
                Some(kind) => *kind,
                None => {
                    let kind = dir_kind(ancestor);
                    self.dirs.insert(ancestor.to_path_buf(), kind);
                    kind
                }
            };
            let DirKind::Other { manifest, git } = kind else {
                root = Some(ancestor.to_path_buf());
                break;
            };
            if manifest {
                outermost_manifest_dir = Some(ancestor);
                nearest_manifest_dir = nearest_manifest_dir.or(Some(ancestor));
            }
            if git {
                root = Some(outermost_manifest_dir.unwrap_or(ancestor).to_path_buf());
                break;
            }
        }
        let root = root
            .or_else(|| nearest_manifest_dir.map(Path::to_path_buf))
            .unwrap_or_else(|| dir.to_path_buf());
        self.cache.insert(dir.to_path_buf(), root.clone());
        root
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(root: &Path, relative: &str) {
        let path = root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "{}").unwrap();
    }

    #[test]
    fn monorepo_runbooks_belong_to_the_repository_root() {
        let repo = tempfile::tempdir().unwrap();
        std::fs::create_dir(repo.path().join(".git")).unwrap();
        touch(repo.path(), "package.json");
        touch(repo.path(), "apps/api/package.json");
        touch(repo.path(), "apps/api/docs/runbook.md");
        let mut finder = RootFinder::default();
        assert_eq!(
            finder.root_for(&repo.path().join("apps/api/docs")),
            repo.path()
        );
    }

    #[test]
    fn a_fixture_repo_inside_a_repo_without_manifests_is_its_own_root() {
        let repo = tempfile::tempdir().unwrap();
        std::fs::create_dir(repo.path().join(".git")).unwrap();
        touch(repo.path(), "Cargo.toml");
        touch(repo.path(), "fixtures/demo/package.json");
        touch(repo.path(), "fixtures/demo/docs/deploy.md");
        let mut finder = RootFinder::default();
        assert_eq!(
            finder.root_for(&repo.path().join("fixtures/demo/docs")),
            repo.path().join("fixtures/demo")
        );
    }

    #[test]
    fn a_config_file_marks_the_root() {
        let repo = tempfile::tempdir().unwrap();
        touch(repo.path(), "package.json");
        touch(repo.path(), "ops/runbook-lint.toml");
        touch(repo.path(), "ops/docs/x.md");
        let mut finder = RootFinder::default();
        assert_eq!(
            finder.root_for(&repo.path().join("ops/docs")),
            repo.path().join("ops")
        );
    }

    #[test]
    fn a_stray_manifest_above_an_unversioned_project_is_not_its_root() {
        let home = tempfile::tempdir().unwrap();
        touch(home.path(), "package.json");
        touch(home.path(), "work/shop/package.json");
        touch(home.path(), "work/shop/docs/deploy.md");
        let mut finder = RootFinder::default();
        assert_eq!(
            finder.root_for(&home.path().join("work/shop/docs")),
            home.path().join("work/shop")
        );
        // With no manifest at all, the file's own directory.
        touch(home.path(), "notes/todo.md");
        std::fs::remove_file(home.path().join("package.json")).unwrap();
        assert_eq!(
            RootFinder::default().root_for(&home.path().join("notes")),
            home.path().join("notes")
        );
    }

    #[test]
    fn walking_skips_dependencies_and_ignored_files() {
        let repo = tempfile::tempdir().unwrap();
        touch(repo.path(), "docs/a.md");
        touch(repo.path(), "node_modules/pkg/README.md");
        touch(repo.path(), "docs/generated/b.md");
        std::fs::write(repo.path().join(".gitignore"), "docs/generated/\n").unwrap();
        let found: Vec<PathBuf> = walk_markdown(repo.path(), repo.path())
            .0
            .into_iter()
            .map(|p| p.strip_prefix(repo.path()).unwrap().to_path_buf())
            .collect();
        assert_eq!(found, vec![PathBuf::from("docs/a.md")]);
    }
}
