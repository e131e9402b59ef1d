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
    /// Reads `root/.gitignore` (a regular file inside the root, like every project file).
    pub fn load(root: &Path) -> Ignored {
        let path = root.join(".gitignore");
        let Some(contained) = crate::fsio::Root::new(root).ok() else {
            return Ignored::default();
        };
        let Ok(bytes) =
            crate::fsio::read(&path, Some(&contained), crate::fsio::MAX_PROJECT_FILE_BYTES)
        else {
            return Ignored::default();
        };
        let mut builder = GitignoreBuilder::new(root);
        for line in String::from_utf8_lossy(&bytes).lines() {
            let _ = builder.add_line(Some(path.clone()), line);
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
        // A virtualenv's activation script, whatever the reader named the environment
        // (`env/bin/activate`, `.py311\Scripts\activate`): made by `python -m venv`.
        let file = relative.rsplit('/').next().unwrap_or(relative);
        let parent = relative.rsplit('/').nth(1).unwrap_or("");
        if file.starts_with("activate") && matches!(parent, "bin" | "Scripts") {
            return true;
        }
        // Terraform's local state and the `*.auto.tfvars` a run writes hold secrets: kept out
        // of every repository, whatever its .gitignore says.
        if file.ends_with(".auto.tfvars")
            || file.ends_with(".tfstate")
            || file.ends_with(".tfstate.backup")
        {
            return true;
        }
        self.matcher
            .as_ref()
            .is_some_and(|m| m.matched_path_or_any_parents(relative, false).is_ignore())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_output_and_virtualenvs_are_generated() {
        let none = Ignored::default();
        assert!(none.is_ignored("dist/server.js"));
        assert!(none.is_ignored("env/bin/activate"));
        assert!(none.is_ignored("py311/Scripts/activate.bat"));
        assert!(!none.is_ignored("scripts/activate-release.sh"));
        assert!(none.is_ignored("terraform/sandbox/secrets.auto.tfvars"));
        assert!(none.is_ignored("infra/terraform.tfstate"));
        assert!(!none.is_ignored("infra/production.tfvars"));
        assert!(!none.is_ignored("bin/deploy"));
    }
}
