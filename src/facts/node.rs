//! Node projects: package.json files, workspaces (package.json `workspaces` and
//! pnpm-workspace.yaml), scripts, and what a package-manager command line runs.

use std::collections::{BTreeMap, BTreeSet};

use globset::{Glob, GlobSetBuilder};
use serde_json::Value as Json;

use super::{yaml, ManifestProblem, ManifestReader};
use crate::command::argv;
use crate::command::shell;

/// A package manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PackageManager {
    /// npm
    Npm,
    /// pnpm
    Pnpm,
    /// Yarn
    Yarn,
    /// Bun
    Bun,
}

impl PackageManager {
    /// The program name.
    pub fn program(self) -> &'static str {
        match self {
            PackageManager::Npm => "npm",
            PackageManager::Pnpm => "pnpm",
            PackageManager::Yarn => "yarn",
            PackageManager::Bun => "bun",
        }
    }

    /// How a user runs `script` with this manager (`npm run x`, `pnpm x`).
    pub fn run_command(self, script: &str) -> String {
        match self {
            PackageManager::Npm => format!("npm run {script}"),
            PackageManager::Bun => format!("bun run {script}"),
            PackageManager::Pnpm => format!("pnpm {script}"),
            PackageManager::Yarn => format!("yarn {script}"),
        }
    }

    fn from_program(word: &str) -> Option<Self> {
        Some(match word {
            "npm" => PackageManager::Npm,
            "pnpm" => PackageManager::Pnpm,
            "yarn" => PackageManager::Yarn,
            "bun" => PackageManager::Bun,
            _ => return None,
        })
    }
}

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
}

/// A package-manager command line that runs a package script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptCall {
    /// The manager used.
    pub manager: PackageManager,
    /// Script name.
    pub script: String,
    /// Index of the script-name word in the command's words.
    pub script_word: usize,
    /// Which package runs it.
    pub target: Target,
    /// `--if-present`: a missing script is not an error.
    pub if_present: bool,
    /// True when the word could also be a binary of a dependency (`pnpm x`, `yarn x`).
    pub may_be_binary: bool,
}

/// Which package a script call runs in.
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
    /// The command's words.
    pub argv: Vec<String>,
    /// How it was reached: `["pnpm db:migrate", "prisma migrate dev"]`.
    pub chain: Vec<String>,
}

/// npm lifecycle commands that run the script of the same name.
fn lifecycle(word: &str) -> Option<&'static str> {
    Some(match word {
        "test" | "t" | "tst" => "test",
        "start" => "start",
        "stop" => "stop",
        "restart" => "restart",
        _ => return None,
    })
}

/// The lists of `rules/package-managers.toml`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ManagerData {
    builtins: Vec<String>,
    well_known_binaries: Vec<String>,
}

static MANAGER_DATA: std::sync::LazyLock<ManagerData> = std::sync::LazyLock::new(|| {
    toml::from_str(include_str!("../../rules/package-managers.toml"))
        .expect("rules/package-managers.toml is valid (unit-tested)")
});

impl NodeFacts {
    /// Loads every package.json the project has: the root's, and workspace members'.
    pub fn load(reader: &mut ManifestReader, files: &BTreeSet<String>) -> NodeFacts {
        let mut facts = NodeFacts::default();
        let mut workspace_globs: Vec<String> = Vec::new();
        if files.contains("package.json") {
            if let Some((package, globs, manager)) = read_package(reader, "package.json") {
                workspace_globs.extend(globs);
                facts.manager = manager;
                facts.packages.push(package);
            }
        }
        if files.contains("pnpm-workspace.yaml") {
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
            facts.manager = if files.contains("pnpm-lock.yaml") {
                Some(PackageManager::Pnpm)
            } else if files.contains("yarn.lock") {
                Some(PackageManager::Yarn)
            } else if files.contains("bun.lockb") || files.contains("bun.lock") {
                Some(PackageManager::Bun)
            } else if files.contains("package-lock.json") {
                Some(PackageManager::Npm)
            } else {
                None
            };
        }
        let members = member_manifests(&workspace_globs, files);
        for manifest in members {
            if let Some((package, _, _)) = read_package(reader, &manifest) {
                facts.packages.push(package);
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

    /// The innermost package whose directory contains `dir`.
    pub fn nearest_package(&self, dir: &str) -> Option<&Package> {
        self.packages
            .iter()
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

    /// Interprets a command line as a script call, if it is one. `argv` are the command's
    /// words (program first); `cwd` is the directory the command runs in, relative to the root.
    pub fn script_call<S: AsRef<str>>(&self, argv: &[S], cwd: &str) -> Option<ScriptCall> {
        let word = |i: usize| argv.get(i).map(|w| w.as_ref()).unwrap_or("");
        let manager = PackageManager::from_program(word(0))?;
        let mut target = Target::Dir(cwd.to_string());
        let mut if_present = false;
        let mut i = 1;
        // Global options before the command.
        loop {
            let w = word(i);
            let (flag, inline_value) = match w.split_once('=') {
                Some((f, v)) if f.starts_with('-') => (f, Some(v)),
                _ => (w, None),
            };
            let value = |i: &mut usize| -> String {
                match inline_value {
                    Some(v) => v.to_string(),
                    None => {
                        *i += 1;
                        word(*i).to_string()
                    }
                }
            };
            match flag {
                "--filter" | "-F" => target = Target::Named(value(&mut i)),
                "-w" | "--workspace" if manager == PackageManager::Npm => {
                    target = Target::Named(value(&mut i))
                }
                "-w" | "--workspace-root" => target = Target::Dir(String::new()),
                "-C" | "--dir" | "--prefix" | "--cwd" => {
                    let dir = value(&mut i);
                    match crate::paths::join(cwd, &dir) {
                        Some(dir) => target = Target::Dir(dir),
                        None => return None, // outside the repository: nothing to check
                    }
                }
                "-r" | "--recursive" | "-ws" | "--workspaces" => target = Target::All,
                "--if-present" => if_present = true,
                f if f.starts_with('-') => {}
                _ => break,
            }
            i += 1;
            if i >= argv.len() {
                return None;
            }
        }
        let command = word(i);
        let (script_word, may_be_binary) = match (manager, command) {
            (_, "run" | "run-script" | "rum" | "urn") => (i + 1, false),
            (PackageManager::Yarn, "workspace") => {
                target = Target::Named(word(i + 1).to_string());
                let next = word(i + 2);
                if next == "run" {
                    (i + 3, false)
                } else {
                    (i + 2, true)
                }
            }
            (PackageManager::Npm | PackageManager::Pnpm | PackageManager::Yarn, c)
                if lifecycle(c).is_some() =>
            {
                let script = lifecycle(c).unwrap_or(c);
                return Some(ScriptCall {
                    manager,
                    script: script.to_string(),
                    script_word: i,
                    target,
                    // `npm start` falls back to `node server.js` when there is no script.
                    if_present: if_present || script == "start",
                    may_be_binary: false,
                });
            }
            (PackageManager::Npm | PackageManager::Bun, _) => return None,
            (_, c) if MANAGER_DATA.builtins.iter().any(|b| b == c) => return None,
            _ => (i, true),
        };
        // Options between `run` and the script name.
        let mut script_word = script_word;
        while word(script_word).starts_with('-') {
            if word(script_word) == "--if-present" {
                if_present = true;
            }
            script_word += 1;
        }
        let script = word(script_word);
        if script.is_empty() || !looks_like_script_name(script) {
            return None;
        }
        // npm reads its own flags after the script name too, up to `--`.
        if argv[script_word..]
            .iter()
            .map(|w| w.as_ref())
            .take_while(|w| *w != "--")
            .any(|w| w == "--if-present")
        {
            if_present = true;
        }
        Some(ScriptCall {
            manager,
            script: script.to_string(),
            script_word,
            target,
            if_present,
            may_be_binary,
        })
    }

    /// Looks up a script call. `fallback_dirs` are further packages to accept the script from
    /// (the runbook's nearest package, the root), in order.
    pub fn lookup(&self, call: &ScriptCall, fallback_dirs: &[&str]) -> Lookup<'_> {
        let mut candidates: Vec<&Package> = Vec::new();
        match &call.target {
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
        MANAGER_DATA.well_known_binaries.iter().any(|b| b == name)
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
        for command in shell::split(body).commands {
            let words: Vec<String> = command.words.iter().map(|w| w.text.clone()).collect();
            let start = argv::effective_start(&words);
            let effective = &words[start..];
            if effective.is_empty() {
                continue;
            }
            let text = effective.join(" ");
            let mut next_chain = chain.clone();
            next_chain.push(text);
            if let Some(call) = self.script_call(effective, &package.dir) {
                if let Lookup::Found(target) = self.lookup(&call, &[&package.dir]) {
                    self.expand_into(target, &call.script, next_chain, seen, steps);
                    continue;
                }
            }
            steps.push(ScriptStep {
                argv: effective.to_vec(),
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
                    step.argv.len() >= prefix.len()
                        && step.argv.iter().zip(prefix).all(|(a, p)| a == p)
                });
                if runs {
                    found.push((package, name.as_str()));
                }
            }
        }
        found
    }
}

/// Script names are words like `test:e2e` or `db:migrate`, not paths or placeholders.
fn looks_like_script_name(word: &str) -> bool {
    !word.contains('/')
        && !word.starts_with('<')
        && !word.starts_with('[')
        && !word.starts_with('$')
        && !word.starts_with('{')
        && !word.ends_with(".js")
        && !word.ends_with(".ts")
        && !word.ends_with(".mjs")
        && !word.ends_with(".cjs")
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

/// package.json files of workspace members matched by `globs` (negations with `!`).
fn member_manifests(globs: &[String], files: &BTreeSet<String>) -> Vec<String> {
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
    files
        .iter()
        .filter_map(|file| {
            let dir = file.strip_suffix("/package.json")?;
            (include.is_match(dir) && !exclude.is_match(dir)).then(|| file.clone())
        })
        .collect()
}

#[cfg(test)]
mod tests;
