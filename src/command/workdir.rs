//! The one working-directory policy: where a runbook command runs, relative to the project
//! root.
//!
//! A runbook's commands start in a directory the text does not name: a reader runs them from
//! the runbook's own directory or from the repository root. So a command with no `cd` before it
//! is tried from the runbook's directory first, then from the root; after `cd DIR`, `DIR` is
//! tried from the root first (runbooks usually name paths from the root), then from the
//! runbook's directory. A tool's own directory option (`--prefix app`, `make -C ops`,
//! `--project-directory`) is taken from there.

/// The directory a command runs in, relative to where the runbook's commands start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkDir {
    /// No `cd` before it.
    Default,
    /// After `cd DIR` with a relative, literal DIR (normalised, `/`-separated).
    Relative(String),
    /// After a `cd` whose target cannot be known statically (`cd $DIR`, `cd /srv/app`, `cd -`).
    Unknown,
}

impl WorkDir {
    /// The directories, relative to the project root, the command may run in, most likely
    /// first; empty when unknowable. `runbook_dir` is the runbook's directory, `is_dir` tells
    /// which directories the project has.
    pub fn bases(&self, runbook_dir: &str, is_dir: &dyn Fn(&str) -> bool) -> Vec<String> {
        match self {
            WorkDir::Default if runbook_dir.is_empty() => vec![String::new()],
            WorkDir::Default => vec![runbook_dir.to_string(), String::new()],
            WorkDir::Relative(_) => self.resolve(runbook_dir, is_dir).into_iter().collect(),
            WorkDir::Unknown => Vec::new(),
        }
    }

    /// The directory the command runs in, relative to the project root; `None` when
    /// unknowable. A command with no `cd` runs in the runbook's directory; a `cd` target is
    /// taken from the root when that directory exists there, else from the runbook's
    /// directory.
    pub fn resolve(&self, runbook_dir: &str, is_dir: &dyn Fn(&str) -> bool) -> Option<String> {
        match self {
            WorkDir::Default => Some(runbook_dir.to_string()),
            WorkDir::Relative(dir) => {
                if is_dir(dir) {
                    Some(dir.clone())
                } else {
                    let joined = if runbook_dir.is_empty() {
                        dir.clone()
                    } else {
                        format!("{runbook_dir}/{dir}")
                    };
                    is_dir(&joined).then_some(joined)
                }
            }
            WorkDir::Unknown => None,
        }
    }

    /// The directory `sub` (a tool's directory option such as `--prefix app` or `make -C ops`)
    /// names from where the command runs: the first candidate base where it exists, else the
    /// most likely one. `None` when the base is unknowable or `sub` leaves the repository.
    pub fn resolve_sub(
        &self,
        runbook_dir: &str,
        sub: &str,
        is_dir: &dyn Fn(&str) -> bool,
    ) -> Option<String> {
        let candidates: Vec<String> = match self {
            WorkDir::Default => {
                let mut bases = vec![runbook_dir.to_string()];
                if !runbook_dir.is_empty() {
                    bases.push(String::new());
                }
                bases
            }
            _ => self.resolve(runbook_dir, is_dir).into_iter().collect(),
        };
        let joined: Vec<String> = candidates
            .iter()
            .filter_map(|base| crate::paths::join(base, sub))
            .collect();
        joined
            .iter()
            .find(|dir| is_dir(dir))
            .or(joined.first())
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_without_cd_try_the_runbook_directory_then_the_root() {
        let dirs = ["app", "docs", "ops"];
        let is_dir = |d: &str| d.is_empty() || dirs.contains(&d);
        let default = WorkDir::Default;
        assert_eq!(default.resolve("docs", &is_dir).as_deref(), Some("docs"));
        assert_eq!(default.bases("docs", &is_dir), vec!["docs", ""]);
        assert_eq!(
            default.resolve_sub("docs", "app", &is_dir).as_deref(),
            Some("app")
        );
        // Nowhere to be found: the runbook's directory is the best guess.
        assert_eq!(
            default.resolve_sub("docs", "nope", &is_dir).as_deref(),
            Some("docs/nope")
        );
        let cd = WorkDir::Relative("app".into());
        assert_eq!(cd.resolve("docs", &is_dir).as_deref(), Some("app"));
        assert_eq!(cd.resolve_sub("docs", "..", &is_dir).as_deref(), Some(""));
        assert_eq!(WorkDir::Relative("x".into()).resolve("docs", &is_dir), None);
        assert_eq!(WorkDir::Unknown.resolve_sub("", "app", &is_dir), None);
        assert_eq!(default.resolve_sub("", "../..", &is_dir), None);
    }
}
