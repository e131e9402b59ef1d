//! `--changed-since REV`: the runbooks changed since a git revision, plus every runbook of a
//! project whose manifests changed (renaming a script breaks runbooks that did not change).
//!
//! This runs the `git` binary, the only external program runbook-lint ever runs. The revision
//! comes from the command line, maybe from a workflow input: it is never passed where git
//! could read it as an option (`--changed-since=--output=/path` once made `git diff` empty any
//! writable file). It is refused when it starts with `-`, resolved to a commit id with
//! `git rev-parse --verify --end-of-options REV^{commit}`, and only that hexadecimal id is
//! handed to `git diff`, after `--end-of-options`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::discover;

/// Paths to lint: changed Markdown files, and changed manifests (which the engine expands to
/// their project's runbooks). Only paths under one of `scope` (`base`, when empty, like a
/// plain `check`) are kept.
pub fn changed_paths(
    base: &Path,
    revision: &str,
    scope: &[PathBuf],
) -> Result<Vec<PathBuf>, String> {
    if revision.starts_with('-') || revision.is_empty() {
        return Err(format!(
            "--changed-since {}: not a revision (a revision never starts with `-`)",
            crate::redact::shown(revision)
        ));
    }
    let toplevel = git(base, &["rev-parse", "--show-toplevel"])
        .map_err(|e| format!("--changed-since needs a git repository: {e}"))?;
    let toplevel = PathBuf::from(toplevel.trim());
    let commit = git(
        base,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &format!("{revision}^{{commit}}"),
        ],
    )
    .ok()
    .map(|id| id.trim().to_string())
    .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_hexdigit()))
    .ok_or_else(|| {
        format!(
            "--changed-since {}: not a commit of this repository",
            crate::redact::shown(revision)
        )
    })?;
    // Committed, staged and unstaged changes since the revision, and new untracked files.
    let diff = git(
        base,
        &[
            "diff",
            "--name-only",
            "--no-renames",
            "--no-ext-diff",
            "--no-textconv",
            "-z",
            "--end-of-options",
            &commit,
            "--",
        ],
    )
    .map_err(|e| format!("--changed-since {}: {e}", crate::redact::shown(revision)))?;
    let untracked = git(
        base,
        &[
            "ls-files",
            "--others",
            "--exclude-standard",
            "-z",
            "--full-name",
        ],
    )
    .map_err(|e| format!("--changed-since: {e}"))?;
    let base_scope = [base.to_path_buf()];
    let scope = if scope.is_empty() {
        &base_scope[..]
    } else {
        scope
    };
    let scope: Vec<PathBuf> = scope
        .iter()
        .map(|p| {
            let p = if p.is_absolute() {
                p.clone()
            } else {
                base.join(p)
            };
            p.canonicalize().unwrap_or(p)
        })
        .collect();
    let toplevel = toplevel.canonicalize().unwrap_or(toplevel);
    let mut paths: Vec<PathBuf> = diff
        .split('\0')
        .chain(untracked.split('\0'))
        .filter(|name| !name.is_empty())
        .map(|name| toplevel.join(name))
        // Deleted files have nothing to lint; a deleted manifest leaves its runbooks unchecked.
        .filter(|path| path.is_file())
        .filter(|path| is_relevant(path))
        .filter(|path| scope.iter().any(|s| path.starts_with(s)))
        .collect();
    paths.sort();
    paths.dedup();
    Ok(paths)
}

/// True for a changed file that matters: a Markdown file, or a manifest of the registry
/// ([`crate::manifests::MANIFESTS`], the same list the pre-commit hook's `files` is built from).
pub fn is_relevant(path: &Path) -> bool {
    discover::is_markdown(path) || discover::is_manifest(path)
}

/// Runs git in `dir`; stdout on success, git's first stderr line otherwise. The repository's
/// own fsmonitor hook is switched off: listing changed files needs no program of its choosing.
fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    #[allow(clippy::disallowed_methods)] // the one place a program is run
    let mut command = Command::new("git");
    let output = command
        .args(["-c", "core.fsmonitor=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(stderr
            .lines()
            .next()
            .unwrap_or("git failed")
            .trim()
            .to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registry_manifest_and_markdown_is_relevant() {
        let hook = crate::manifests::hook_files_regex();
        let names = crate::manifests::MANIFESTS.iter().flat_map(|m| m.names);
        for name in names.chain(["docs/GUIDE.MD", "Procfile.web", "x/docker-compose.ci.yml"].iter())
        {
            let path = Path::new("repo/apps").join(name);
            assert!(is_relevant(&path), "{name}");
            // In step with the pre-commit hook: what one passes, the other passes.
            assert!(hook.is_match(&format!("apps/{name}")), "{name}");
        }
        for name in ["src/main.rs", ".env", "notes.txt"] {
            assert!(!is_relevant(Path::new(name)), "{name}");
            assert!(!hook.is_match(name), "{name}");
        }
    }
}
