//! Repository-relative path arithmetic and the one repository walker, shared by discovery
//! (which runbooks to lint) and the project facts (which files exist).

use std::path::Path;

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

/// Files under `root` (symlinks not followed, .gitignore honoured, [`SKIPPED_DIRS`] and
/// `extra_skipped` left out), in no particular order. `hidden` includes dot-files.
pub fn walk_files(
    root: &Path,
    hidden: bool,
    extra_skipped: &'static [&'static str],
) -> impl Iterator<Item = ignore::DirEntry> {
    ignore::WalkBuilder::new(root)
        .hidden(!hidden)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(false)
        .require_git(false)
        .follow_links(false)
        .filter_entry(move |entry| {
            let skipped =
                |name: &str| SKIPPED_DIRS.contains(&name) || extra_skipped.contains(&name);
            !(entry.depth() > 0
                && entry.file_type().is_some_and(|t| t.is_dir())
                && skipped(entry.file_name().to_string_lossy().as_ref()))
        })
        .build()
        .flatten()
        .filter(|entry| entry.file_type().is_some_and(|t| !t.is_dir()))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
