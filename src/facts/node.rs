//! Node projects: package.json files, workspaces (package.json `workspaces` and
//! pnpm-workspace.yaml), scripts, and what a package-manager command line runs.

use std::collections::{BTreeMap, BTreeSet};

use globset::{Glob, GlobSetBuilder};
use serde_json::Value as Json;

use super::{yaml, Catalog, ManifestProblem, ManifestReader};
use crate::command::tools::{is_well_known_binary, PackageTarget, ScriptRun};
use crate::command::{Invocation, WorkDir};
use crate::manifests::Kind;

pub use crate::command::tools::PackageManager;

/// One package.json.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Package {
    /// The `name` field.
    pub name: Option<String>,
    /// Directory relative to the project root, `""` for the root.
    pub dir: String,
    /// Path of the package.json relative to the project root.
    pub manifest: String,
    /// Scripts by name.
    pub scripts: BTreeMap<String, String>,
    /// Names of dependencies of every kind (their binaries can be run by `pnpm x`).
    pub dependencies: BTreeSet<String>,
}

/// All Node packages of a project.
#[derive(Debug, Clone, Default)]
pub struct NodeFacts {
    /// Root package first (when there is one), then workspace packages by directory.
    pub packages: Vec<Package>,
    /// The manager the project declares (`packageManager`) or whose lockfile it has.
    pub manager: Option<PackageManager>,
    /// package.json files outside the workspace, by directory: their scripts run from their
    /// own directory (`cd app && npm run x`) but no filter selects them.
    pub others: Vec<Package>,
}

/// Which package a script call runs in, resolved against the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The package in this directory (relative to the root; `""` is the root).
    Dir(String),
    /// A package by name (`--filter`, `-w`, `yarn workspace`).
    Named(String),
    /// Every workspace package (`-r`, `--workspaces`): fine if any has it.
    All,
}

/// The outcome of looking up a script call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup<'a> {
    /// Defined in this package.
    Found(&'a Package),
    /// Not defined; these packages were checked.
    Missing(Vec<&'a Package>),
    /// The word is a dependency's binary, not a script.
    Binary,
    /// The target package is not in the project (or the project has no package.json there).
    NoPackage,
}

/// One command a script runs, after expanding nested script calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptStep {
    /// What it runs.
    pub invocation: Invocation,
    /// How it was reached: `["pnpm db:migrate", "prisma migrate dev"]`.
    pub chain: Vec<String>,
}

impl ScriptStep {
    /// The command's words (launchers peeled).
    pub fn argv(&self) -> Vec<&str> {
        self.invocation.argv()
    }
}

impl NodeFacts {
    /// Loads every package.json the project has: the root's, and workspace members'.
    pub fn load(reader: &mut ManifestReader, catalog: &Catalog<'_>) -> NodeFacts {
        let mut facts = NodeFacts::default();
        let mut workspace_globs: Vec<String> = Vec::new();
        if catalog.contains("package.json") {
            if let Some((package, globs, manager)) = read_package(reader, "package.json") {
                workspace_globs.extend(globs);
                facts.manager = manager;
                facts.packages.push(package);
            }
        }
        if catalog.contains("pnpm-workspace.yaml") {
            if let Some(text) = reader.read("pnpm-workspace.yaml") {
                match yaml::parse("pnpm-workspace.yaml", &text) {
                    Ok(Some(root)) => workspace_globs.extend(
                        root.get("packages")
                            .map(|p| p.items())
                            .unwrap_or_default()
                            .iter()
                            .filter_map(|n| n.as_str().map(String::from)),
                    ),
                    Ok(None) => {}
                    Err(problem) => reader.problem(problem),
                }
            }
            facts.manager.get_or_insert(PackageManager::Pnpm);
        }
        if facts.manager.is_none() {
            // The root's lockfile names the manager.
            let lockfiles: Vec<&str> = catalog.of(&[Kind::NodeLockfile]).collect();
            let has = |name: &str| lockfiles.contains(&name);
            facts.manager = if has("pnpm-lock.yaml") {
                Some(PackageManager::Pnpm)
            } else if has("yarn.lock") {
                Some(PackageManager::Yarn)
            } else if has("bun.lockb") || has("bun.lock") {
                Some(PackageManager::Bun)
            } else if has("package-lock.json") {
                Some(PackageManager::Npm)
            } else {
                None
            };
        }
        let manifests: Vec<&str> = catalog.of(&[Kind::PackageJson]).collect();
        let members = member_manifests(&workspace_globs, &manifests);
        for manifest in &members {
            if let Some((package, _, _)) = read_package(reader, manifest) {
                facts.packages.push(package);
            }
        }
        // Packages outside the workspace (`app/` and `api/` of a repository without one) run
        // their own scripts: `cd app && yarn x`, `npm --prefix app run x`. Read them for
        // their directories only; one that cannot be read is skipped without a finding, as it
        // was never part of the workspace (it may be a test fixture).
        let mut quiet = ManifestReader::new(&reader.root);
        for manifest in manifests.iter().filter(|f| f.contains('/')) {
            if members.iter().any(|m| m == manifest) {
                continue;
            }
            if let Some((package, _, _)) = read_package(&mut quiet, manifest) {
                facts.others.push(package);
            }
        }
        facts
    }

    /// The root package, if the project has a root package.json.
    pub fn root(&self) -> Option<&Package> {
        self.packages.iter().find(|p| p.dir.is_empty())
    }

    /// The package in exactly this directory.
    pub fn package_in(&self, dir: &str) -> Option<&Package> {
        self.packages.iter().find(|p| p.dir == dir)
    }

    /// The innermost package whose directory contains `dir`, in the workspace or not.
    pub fn nearest_package(&self, dir: &str) -> Option<&Package> {
        self.packages
            .iter()
            .chain(&self.others)
            .filter(|p| p.dir.is_empty() || dir == p.dir || dir.starts_with(&format!("{}/", p.dir)))
            .max_by_key(|p| p.dir.len())
    }

    /// The package with this name (or, failing that, this directory or directory name).
    pub fn package_named(&self, selector: &str) -> Option<&Package> {
        let selector = selector.trim_start_matches("./").trim_end_matches('/');
        let selector = selector.trim_end_matches("...").trim_start_matches("...");
        self.packages
            .iter()
            .find(|p| p.name.as_deref() == Some(selector))
            .or_else(|| self.packages.iter().find(|p| p.dir == selector))
            .or_else(|| {
                // `--filter api` matching `@acme/api` is common shorthand.
                self.packages.iter().find(|p| {
                    p.name
                        .as_deref()
                        .and_then(|n| n.rsplit('/').next())
                        .is_some_and(|n| n == selector)
                })
            })
    }

    /// The package a script call runs in, when its command runs in `cwd` (relative to the
    /// root); `None` when a directory option leaves the repository.
    pub fn target(run: &ScriptRun, cwd: &str) -> Option<Target> {
        Some(match &run.target {
            PackageTarget::Here => Target::Dir(cwd.to_string()),
            PackageTarget::Dir(dir) => Target::Dir(crate::paths::join(cwd, dir)?),
            PackageTarget::Root => Target::Dir(String::new()),
            PackageTarget::Named(name) => Target::Named(name.clone()),
            PackageTarget::All => Target::All,
        })
    }

    /// Looks up a script call running in `target`. `fallback_dirs` are further packages to
    /// accept the script from (the runbook's nearest package, the root), in order.
    pub fn lookup(&self, call: &ScriptRun, target: &Target, fallback_dirs: &[&str]) -> Lookup<'_> {
        let mut candidates: Vec<&Package> = Vec::new();
        match target {
            Target::All => candidates.extend(self.packages.iter()),
            Target::Named(name) => match self.package_named(name) {
                Some(p) => candidates.push(p),
                None => return Lookup::NoPackage,
            },
            Target::Dir(dir) => {
                if let Some(p) = self.nearest_package(dir) {
                    candidates.push(p);
                }
                for dir in fallback_dirs {
                    if let Some(p) = self.nearest_package(dir) {
                        if !candidates.iter().any(|c| std::ptr::eq(*c, p)) {
                            candidates.push(p);
                        }
                    }
                }
            }
        }
        if candidates.is_empty() {
            return Lookup::NoPackage;
        }
        if let Some(found) = candidates
            .iter()
            .find(|p| p.scripts.contains_key(&call.script))
        {
            return Lookup::Found(found);
        }
        if call.may_be_binary && !call.script.contains(':') && self.is_binary(&call.script) {
            return Lookup::Binary;
        }
        Lookup::Missing(candidates)
    }

    /// True when `name` is plausibly a binary of some dependency in the project.
    fn is_binary(&self, name: &str) -> bool {
        is_well_known_binary(name)
            || self.packages.iter().any(|p| {
                p.dependencies.iter().any(|dep| {
                    dep == name
                        || dep.rsplit('/').next() == Some(name)
                        || dep
                            .strip_suffix("-cli")
                            .is_some_and(|d| d.rsplit('/').next() == Some(name))
                })
            })
    }

    /// Every command `script` of `package` runs, nested script calls expanded, each with the
    /// chain of calls that reached it. `label` is how the first call was written.
    pub fn expand(&self, package: &Package, script: &str, label: &str) -> Vec<ScriptStep> {
        let mut steps = Vec::new();
        let mut seen = Vec::new();
        self.expand_into(
            package,
            script,
            vec![label.to_string()],
            &mut seen,
            &mut steps,
        );
        steps
    }

    fn expand_into(
        &self,
        package: &Package,
        script: &str,
        chain: Vec<String>,
        seen: &mut Vec<(String, String)>,
        steps: &mut Vec<ScriptStep>,
    ) {
        let key = (package.dir.clone(), script.to_string());
        if seen.contains(&key) || chain.len() > 8 {
            return;
        }
        seen.push(key);
        let Some(body) = package.scripts.get(script) else {
            return;
        };
        for command in crate::command::script_commands(body) {
            let Some(invocation) = command.invocation() else {
                continue;
            };
            if invocation.words.is_empty() {
                continue;
            }
            let mut next_chain = chain.clone();
            next_chain.push(invocation.text());
            if let Some(run) = &invocation.script {
                // A `cd` earlier in the script body moves where the next call runs.
                let cwd = match &command.cwd {
                    WorkDir::Relative(dir) => crate::paths::join(&package.dir, dir),
                    _ => Some(package.dir.clone()),
                };
                let target = cwd.and_then(|cwd| Self::target(run, &cwd));
                if let Some(target) = target {
                    if let Lookup::Found(next) = self.lookup(run, &target, &[&package.dir]) {
                        self.expand_into(next, &run.script, next_chain, seen, steps);
                        continue;
                    }
                }
            }
            steps.push(ScriptStep {
                invocation: invocation.clone(),
                chain: next_chain,
            });
        }
    }

    /// Scripts (of any package) whose expansion runs a command starting with `prefix` words,
    /// as `(package, script name)`.
    pub fn scripts_running(&self, prefix: &[&str]) -> Vec<(&Package, &str)> {
        let mut found = Vec::new();
        for package in &self.packages {
            for name in package.scripts.keys() {
                let runs = self.expand(package, name, name).iter().any(|step| {
                    let argv = step.argv();
                    argv.len() >= prefix.len() && argv.iter().zip(prefix).all(|(a, p)| a == p)
                });
                if runs {
                    found.push((package, name.as_str()));
                }
            }
        }
        found
    }
}

/// Reads one package.json: the package, its workspace globs and its declared manager.
fn read_package(
    reader: &mut ManifestReader,
    manifest: &str,
) -> Option<(Package, Vec<String>, Option<PackageManager>)> {
    let text = reader.read(manifest)?;
    let json: Json = match serde_json::from_str(&text) {
        Ok(json) => json,
        Err(error) => {
            let message = format!("invalid JSON: {}", strip_position(&error.to_string()));
            reader.problem(ManifestProblem::at(
                manifest,
                &text,
                error.line(),
                error.column(),
                message,
            ));
            return None;
        }
    };
    let dir = manifest
        .rsplit_once('/')
        .map(|(d, _)| d.to_string())
        .unwrap_or_default();
    let strings = |value: Option<&Json>| -> BTreeMap<String, String> {
        value
            .and_then(Json::as_object)
            .map(|map| {
                map.iter()
                    .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut dependencies = BTreeSet::new();
    for field in [
        "dependencies",
        "devDependencies",
        "optionalDependencies",
        "peerDependencies",
    ] {
        if let Some(map) = json.get(field).and_then(Json::as_object) {
            dependencies.extend(map.keys().cloned());
        }
    }
    let globs: Vec<String> = match json.get("workspaces") {
        Some(Json::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect(),
        Some(Json::Object(map)) => map
            .get("packages")
            .and_then(Json::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let manager = json
        .get("packageManager")
        .and_then(Json::as_str)
        .and_then(|spec| PackageManager::from_program(spec.split('@').next().unwrap_or("")));
    Some((
        Package {
            name: json.get("name").and_then(Json::as_str).map(String::from),
            dir,
            manifest: manifest.to_string(),
            scripts: strings(json.get("scripts")),
            dependencies,
        },
        globs,
        manager,
    ))
}

/// serde_json appends " at line L column C"; the diagnostic shows the position already.
fn strip_position(message: &str) -> &str {
    message.split(" at line ").next().unwrap_or(message)
}

/// package.json files (of `manifests`) of workspace members matched by `globs` (negations
/// with `!`).
fn member_manifests(globs: &[String], manifests: &[&str]) -> Vec<String> {
    if globs.is_empty() {
        return Vec::new();
    }
    let mut include = GlobSetBuilder::new();
    let mut exclude = GlobSetBuilder::new();
    for pattern in globs {
        let (set, pattern) = match pattern.strip_prefix('!') {
            Some(p) => (&mut exclude, p),
            None => (&mut include, pattern.as_str()),
        };
        let pattern = pattern.trim_start_matches("./").trim_end_matches('/');
        if let Ok(glob) = Glob::new(pattern) {
            set.add(glob);
        }
    }
    let (Ok(include), Ok(exclude)) = (include.build(), exclude.build()) else {
        return Vec::new();
    };
    manifests
        .iter()
        .filter_map(|file| {
            let dir = file.strip_suffix("/package.json")?;
            (include.is_match(dir) && !exclude.is_match(dir)).then(|| file.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests;
