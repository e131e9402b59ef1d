//! Which paths the repository ignores (`.gitignore` at the root): a runbook path that is
//! ignored is generated or private (`dist/server.js`, `.env`), so its absence proves nothing.

use std::path::Path;

use ignore::gitignore::{Gitignore, GitignoreBuilder};

/// The root `.gitignore`, if any.
#[derive(Debug, Default)]
pub struct Ignored {
    matcher: Option<Gitignore>,
}

/// Top-level directories that hold build output or dependencies even without a .gitignore.
const GENERATED_DIRS: &[&str] = &[
    "dist",
    "build",
    "out",
    "target",
    ".next",
    ".nuxt",
    "node_modules",
    "coverage",
    ".venv",
    "venv",
    "__pycache__",
    ".turbo",
    "tmp",
    "log",
    "logs",
];

impl Ignored {
    /// Reads `root/.gitignore`.
    pub fn load(root: &Path) -> Ignored {
        let mut builder = GitignoreBuilder::new(root);
        if builder.add(root.join(".gitignore")).is_some() {
            return Ignored::default();
        }
        Ignored {
            matcher: builder.build().ok(),
        }
    }

    /// True when `relative` (a `/`-separated path from the root) is ignored or generated.
    pub fn is_ignored(&self, relative: &str) -> bool {
        if relative
            .split('/')
            .any(|part| GENERATED_DIRS.contains(&part))
        {
            return true;
        }
        self.matcher
            .as_ref()
            .is_some_and(|m| m.matched_path_or_any_parents(relative, false).is_ignore())
    }
}
