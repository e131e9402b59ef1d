//! Repository-relative path arithmetic and the one repository walker, shared by discovery
//! (which runbooks to lint), the project facts (which files exist) and rule-pack globs.

use std::path::{Path, PathBuf};
use std::rc::Rc;

use ignore::gitignore::{Gitignore, GitignoreBuilder};

/// Directories never walked: dependencies, build output and VCS internals.
pub const SKIPPED_DIRS: &[&str] = &["node_modules", ".git", "target", "vendor", ".venv", "venv"];

/// `base` joined with `relative`, normalised, `/`-separated; `None` when the result would
/// leave the repository (`..` past the root) or `relative` is absolute.
pub fn join(base: &str, relative: &str) -> Option<String> {
    if relative.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = base
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// True when `name`'s extension is one of `extensions` (written lower-case), in any case:
/// `GUIDE.MD` is Markdown, `DEPLOY.SH` a shell script.
pub fn has_extension(name: &str, extensions: &[&str]) -> bool {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| extensions.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// What to walk.
#[derive(Debug, Clone, Copy, Default)]
pub struct WalkOptions {
    /// Include dot-files and dot-directories.
    pub hidden: bool,
    /// Directory names skipped besides [`SKIPPED_DIRS`].
    pub extra_skipped: &'static [&'static str],
}

/// Something a walk could not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkProblem {
    /// The directory or ignore file.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
    /// True when files may be missing from the walk (an unreadable directory): the run must
    /// not pass as clean. False for an ignore file that was not read (more files are walked,
    /// none are lost).
    pub fatal: bool,
}

/// The files a walk found and the problems it met.
#[derive(Debug, Default)]
pub struct Walk {
    /// Every non-directory entry (symbolic links included, never followed), in no order.
    pub files: Vec<PathBuf>,
    /// Unreadable directories and ignore files.
    pub problems: Vec<WalkProblem>,
}

/// The ignore files of one directory, and those of the directories above it.
struct Level {
    parent: Option<Rc<Level>>,
    /// `.ignore`: wins over `.gitignore`, like ripgrep.
    ignore: Option<Gitignore>,
    /// `.gitignore`.
    gitignore: Option<Gitignore>,
}

impl Level {
    /// True to skip `path`: the deepest `.ignore` rule that matches decides, else the deepest
    /// `.gitignore` rule; `None` when no rule matches.
    fn ignores(self: &Rc<Self>, path: &Path, is_dir: bool) -> Option<bool> {
        let pick = |matcher: fn(&Level) -> Option<&Gitignore>| {
            let mut level = Some(self);
            while let Some(current) = level {
                if let Some(m) = matcher(current) {
                    match m.matched(path, is_dir) {
                        ignore::Match::Ignore(_) => return Some(true),
                        ignore::Match::Whitelist(_) => return Some(false),
                        ignore::Match::None => {}
                    }
                }
                level = current.parent.as_ref();
            }
            None
        };
        pick(|l| l.ignore.as_ref()).or_else(|| pick(|l| l.gitignore.as_ref()))
    }
}

/// `path` with `.` components dropped and `..` taken back lexically (symbolic links are not
/// resolved: this is about how paths are written, for display and keys).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `path` relative to the directory `dir` (both absolute and normalised), `/`-separated, with
/// `..` where `path` is not under `dir`; `path` itself when they share no root (another drive).
pub fn relative_path(dir: &Path, path: &Path) -> String {
    let dir_parts: Vec<_> = dir.components().collect();
    let path_parts: Vec<_> = path.components().collect();
    let common = dir_parts
        .iter()
        .zip(&path_parts)
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return path.to_string_lossy().replace('\\', "/");
    }
    let mut parts: Vec<String> = vec!["..".to_string(); dir_parts.len() - common];
    parts.extend(
        path_parts[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// The top of the git repository holding `dir`: the nearest ancestor with a `.git`.
pub fn repository_top(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|a| a.join(".git").exists())
        .map(Path::to_path_buf)
}

/// Where ignore files stop being honoured for a walk of `dir` in the project at `root`: the
/// repository's top (the nearest directory holding `.git`), else the project root. An
/// `.ignore` with `*.md` in a parent of the repository must not make a run lint nothing.
pub fn ignore_boundary(dir: &Path, root: &Path) -> PathBuf {
    if let Some(top) = repository_top(dir) {
        return top;
    }
    if dir.starts_with(root) {
        root.to_path_buf()
    } else {
        dir.to_path_buf()
    }
}

/// Files under `dir`: symbolic links are listed, never followed; `.gitignore` and `.ignore`
/// files from `boundary` (an ancestor of `dir`, or `dir`) down are honoured, none above it;
/// [`SKIPPED_DIRS`] and `extra_skipped` are left out. Ignore files are read through
/// [`crate::fsio`] (regular files inside `boundary` only); unreadable directories are
/// reported, never skipped silently.
#[allow(clippy::disallowed_methods)] // the one walker lists directories
pub fn walk(dir: &Path, boundary: &Path, options: WalkOptions) -> Walk {
    let mut walk = Walk::default();
    let root = crate::fsio::Root::new(boundary).ok();
    let mut level = Rc::new(Level {
        parent: None,
        ignore: None,
        gitignore: None,
    });
    // The ignore files of the directories between the boundary and `dir`.
    if let Ok(below) = dir.strip_prefix(boundary) {
        let mut ancestor = boundary.to_path_buf();
        let mut chain = vec![ancestor.clone()];
        for part in below.parent().map(|p| p.components()).into_iter().flatten() {
            ancestor.push(part);
            chain.push(ancestor.clone());
        }
        if below.as_os_str().is_empty() {
            chain.clear();
        }
        for ancestor in chain {
            level = enter(&ancestor, level, root.as_ref(), &mut walk.problems);
        }
    }
    let mut pending: Vec<(PathBuf, Rc<Level>)> = vec![(dir.to_path_buf(), level)];
    while let Some((current, parent)) = pending.pop() {
        let level = enter(&current, parent, root.as_ref(), &mut walk.problems);
        let entries = match std::fs::read_dir(&current) {
            Ok(entries) => entries,
            Err(error) => {
                walk.problems.push(WalkProblem {
                    path: current,
                    message: format!("cannot read directory: {}", crate::fsio::io_message(&error)),
                    fatal: true,
                });
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    walk.problems.push(WalkProblem {
                        path: current.clone(),
                        message: format!(
                            "cannot read directory: {}",
                            crate::fsio::io_message(&error)
                        ),
                        fatal: true,
                    });
                    continue;
                }
            };
            let path = entry.path();
            let Ok(file_type) = entry.file_type() else {
                walk.problems.push(WalkProblem {
                    path,
                    message: "cannot read its file type".to_string(),
                    fatal: true,
                });
                continue;
            };
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let is_dir = file_type.is_dir();
            if is_dir
                && (SKIPPED_DIRS.contains(&name.as_ref())
                    || options.extra_skipped.contains(&name.as_ref()))
            {
                continue;
            }
            match level.ignores(&path, is_dir) {
                Some(true) => continue,
                // A hidden file that an ignore file whitelists is walked, as ripgrep does.
                None if !options.hidden && name.starts_with('.') => continue,
                _ => {}
            }
            if is_dir {
                pending.push((path, level.clone()));
            } else {
                walk.files.push(path);
            }
        }
    }
    walk
}

/// The level of `dir`: its own `.ignore` and `.gitignore` over `parent`'s.
fn enter(
    dir: &Path,
    parent: Rc<Level>,
    root: Option<&crate::fsio::Root>,
    problems: &mut Vec<WalkProblem>,
) -> Rc<Level> {
    let ignore = ignore_file(dir, ".ignore", root, problems);
    let gitignore = ignore_file(dir, ".gitignore", root, problems);
    if ignore.is_none() && gitignore.is_none() {
        return parent;
    }
    Rc::new(Level {
        parent: Some(parent),
        ignore,
        gitignore,
    })
}

/// `dir/name` as a matcher, when there is such a file. One that cannot be read (a FIFO, a
/// link out of the boundary, over the size limit) is reported and not honoured.
fn ignore_file(
    dir: &Path,
    name: &str,
    root: Option<&crate::fsio::Root>,
    problems: &mut Vec<WalkProblem>,
) -> Option<Gitignore> {
    let path = dir.join(name);
    // Most directories have neither file: one `lstat` decides.
    std::fs::symlink_metadata(&path).ok()?;
    let root = root?;
    let bytes = match crate::fsio::read(&path, Some(root), crate::fsio::MAX_PROJECT_FILE_BYTES) {
        Ok(bytes) => bytes,
        Err(error) => {
            problems.push(WalkProblem {
                path,
                message: format!("ignore file not honoured: {error}"),
                fatal: false,
            });
            return None;
        }
    };
    let mut builder = GitignoreBuilder::new(dir);
    for line in String::from_utf8_lossy(&bytes).lines() {
        // A bad glob is skipped, as git does.
        let _ = builder.add_line(Some(path.clone()), line);
    }
    builder.build().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn relative_paths_between_directories() {
        let rel = |dir: &str, path: &str| relative_path(Path::new(dir), Path::new(path));
        assert_eq!(rel("/repo", "/repo/docs/a.md"), "docs/a.md");
        assert_eq!(rel("/repo/ci", "/repo/docs/a.md"), "../docs/a.md");
        assert_eq!(rel("/repo/docs", "/repo/docs"), ".");
        assert_eq!(
            normalize(Path::new("/repo/ci/../docs/./a.md")),
            PathBuf::from("/repo/docs/a.md")
        );
    }

    #[test]
    fn joins_and_normalises() {
        assert_eq!(
            join("apps/api", "../web/./src").as_deref(),
            Some("apps/web/src")
        );
        assert_eq!(join("", "docs").as_deref(), Some("docs"));
        assert_eq!(join("docs", "..").as_deref(), Some(""));
        assert_eq!(join("docs", "../.."), None);
        assert_eq!(join("docs", "/etc"), None);
    }

    #[test]
    fn extensions_in_any_case() {
        assert!(has_extension("docs/GUIDE.MD", &["md"]));
        assert!(has_extension("x.Markdown", &["md", "markdown"]));
        assert!(!has_extension(".md", &["md"]) && !has_extension("md", &["md"]));
    }

    fn touch(root: &Path, relative: &str, text: &str) {
        let path = root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn found(walk: &Walk, root: &Path) -> Vec<String> {
        let mut names: Vec<String> = walk
            .files
            .iter()
            .map(|p| {
                p.strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        names.sort();
        names
    }

    #[test]
    fn ignore_files_above_the_boundary_are_not_honoured() {
        let outer = tempfile::tempdir().unwrap();
        touch(outer.path(), ".ignore", "*.md\n");
        touch(outer.path(), ".gitignore", "*.md\n");
        let repo = outer.path().join("repo");
        touch(&repo, "docs/a.md", "");
        touch(&repo, "docs/gen/b.md", "");
        touch(&repo, "docs/.gitignore", "gen/\n");
        touch(&repo, ".hidden/c.md", "");
        let walk = walk(&repo, &repo, WalkOptions::default());
        assert_eq!(found(&walk, &repo), vec!["docs/a.md"]);
        assert!(walk.problems.is_empty(), "{:?}", walk.problems);
        // Walking a subdirectory still honours the ignore files between it and the boundary.
        touch(&repo, ".gitignore", "*.tmp\n!keep.tmp\n");
        touch(&repo, "docs/x.tmp", "");
        touch(&repo, "docs/keep.tmp", "");
        let docs = repo.join("docs");
        let walk = super::walk(&docs, &repo, WalkOptions::default());
        assert_eq!(
            found(&walk, &docs),
            vec!["a.md", "keep.tmp"],
            "{:?}",
            walk.files
        );
    }

    #[test]
    fn dot_ignore_wins_over_gitignore_and_hidden_files_are_optional() {
        let repo = tempfile::tempdir().unwrap();
        touch(repo.path(), ".gitignore", "*.log\n");
        touch(repo.path(), ".ignore", "!keep.log\n");
        touch(repo.path(), "a.log", "");
        touch(repo.path(), "keep.log", "");
        touch(repo.path(), ".env.example", "");
        let walk = walk(repo.path(), repo.path(), WalkOptions::default());
        assert_eq!(found(&walk, repo.path()), vec!["keep.log"]);
        let options = WalkOptions {
            hidden: true,
            ..WalkOptions::default()
        };
        let walk = super::walk(repo.path(), repo.path(), options);
        assert_eq!(
            found(&walk, repo.path()),
            vec![".env.example", ".gitignore", ".ignore", "keep.log"]
        );
    }

    #[test]
    fn unreadable_directories_are_problems_not_silence() {
        let repo = tempfile::tempdir().unwrap();
        let missing = repo.path().join("gone");
        let walk = walk(&missing, repo.path(), WalkOptions::default());
        assert_eq!(walk.problems.len(), 1);
        assert!(walk.problems[0].fatal);
        assert!(
            walk.problems[0].message.contains("cannot read directory"),
            "{:?}",
            walk.problems
        );
    }

    #[cfg(unix)]
    #[test]
    fn ignore_files_that_are_not_regular_or_escape_are_reported() {
        let outer = tempfile::tempdir().unwrap();
        touch(outer.path(), "outside", "*.md\n");
        let repo = outer.path().join("repo");
        touch(&repo, "a.md", "");
        std::os::unix::fs::symlink(outer.path().join("outside"), repo.join(".gitignore")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", repo.join(".ignore")).unwrap();
        let walk = walk(&repo, &repo, WalkOptions::default());
        assert_eq!(found(&walk, &repo), vec!["a.md"]);
        let messages: Vec<&str> = walk.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(walk.problems.len(), 2, "{messages:?}");
        assert!(walk.problems.iter().all(|p| !p.fatal));
        assert!(messages
            .iter()
            .any(|m| m.contains("outside the project root")));
    }
}
