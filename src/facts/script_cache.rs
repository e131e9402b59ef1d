//! Script expansions, computed once per project and shared by every runbook under it: the
//! same `pnpm db:migrate` is expanded for each command and each finding's help, and
//! re-splitting the script bodies each time was a tenth of the lint time on large trees.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::{Package, ProjectFacts, ScriptStep};

/// `(package dir, script)` → steps, with the first chain entry left empty.
type StepMap = HashMap<(String, String), Arc<Vec<ScriptStep>>>;
/// Prefix words → `(package index, script name)`.
type RunningMap = HashMap<Vec<String>, Arc<Vec<(usize, String)>>>;

/// Memoised [`super::NodeFacts::expand`] and [`super::NodeFacts::scripts_running`].
#[derive(Debug, Default)]
pub struct ScriptCache {
    steps: Mutex<StepMap>,
    running: Mutex<RunningMap>,
}

impl ProjectFacts {
    /// [`super::NodeFacts::expand`], cached per project.
    pub fn expand_script(&self, package: &Package, script: &str, label: &str) -> Vec<ScriptStep> {
        self.cached_steps(package, script)
            .iter()
            .map(|step| {
                let mut step = step.clone();
                if let Some(first) = step.chain.first_mut() {
                    *first = label.to_string();
                }
                step
            })
            .collect()
    }

    /// `f` over the cached expansion, without copying it (the first chain entry is empty):
    /// for callers that only look at the steps' argv, once per command of every file.
    pub fn with_script_steps<R>(
        &self,
        package: &Package,
        script: &str,
        f: impl FnOnce(&[ScriptStep]) -> R,
    ) -> R {
        f(&self.cached_steps(package, script))
    }

    fn cached_steps(&self, package: &Package, script: &str) -> Arc<Vec<ScriptStep>> {
        let key = (package.dir.clone(), script.to_string());
        let cached = self
            .scripts
            .steps
            .lock()
            .ok()
            .and_then(|m| m.get(&key).cloned());
        let steps = match cached {
            Some(steps) => steps,
            None => {
                let steps = Arc::new(self.node.expand(package, script, ""));
                if let Ok(mut map) = self.scripts.steps.lock() {
                    map.insert(key, steps.clone());
                }
                steps
            }
        };
        steps
    }

    /// [`super::NodeFacts::scripts_running`], cached per project.
    pub fn scripts_running(&self, prefix: &[&str]) -> Vec<(&Package, &str)> {
        let key: Vec<String> = prefix.iter().map(|w| w.to_string()).collect();
        let cached = self
            .scripts
            .running
            .lock()
            .ok()
            .and_then(|m| m.get(&key).cloned());
        let found = match cached {
            Some(found) => found,
            None => {
                let found: Vec<(usize, String)> = self
                    .node
                    .scripts_running(prefix)
                    .into_iter()
                    .filter_map(|(package, name)| {
                        let index = self
                            .node
                            .packages
                            .iter()
                            .position(|p| std::ptr::eq(p, package))?;
                        Some((index, name.to_string()))
                    })
                    .collect();
                let found = Arc::new(found);
                if let Ok(mut map) = self.scripts.running.lock() {
                    map.insert(key, found.clone());
                }
                found
            }
        };
        found
            .iter()
            .filter_map(|(index, name)| {
                let package = self.node.packages.get(*index)?;
                let (name, _) = package.scripts.get_key_value(name)?;
                Some((package, name.as_str()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing;

    #[test]
    fn cached_expansions_equal_fresh_ones() {
        let project = testing::project(
            &[
                ("db:migrate", "pnpm run prisma:dev"),
                ("prisma:dev", "prisma migrate dev"),
                ("db:deploy", "prisma migrate deploy"),
            ],
            &["prisma"],
        );
        let package = &project.node.packages[0];
        for _ in 0..2 {
            assert_eq!(
                project.expand_script(package, "db:migrate", "pnpm db:migrate"),
                project
                    .node
                    .expand(package, "db:migrate", "pnpm db:migrate")
            );
            let fresh = project.node.expand(package, "db:migrate", "");
            project.with_script_steps(package, "db:migrate", |steps| assert_eq!(steps, fresh));
            assert_eq!(
                project.scripts_running(&["prisma", "migrate", "deploy"]),
                project
                    .node
                    .scripts_running(&["prisma", "migrate", "deploy"])
            );
        }
    }
}
