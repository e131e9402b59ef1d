//! Task runners: Makefile targets (with `.PHONY` and included makefiles), justfile recipes and
//! Taskfile tasks.

use std::collections::BTreeSet;

use super::yaml::{self, Node};
use super::{Catalog, ManifestReader};
use crate::manifests::Kind;

pub use crate::command::tools::Runner;

/// One Makefile, justfile or Taskfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFile {
    /// The runner.
    pub runner: Runner,
    /// Path relative to the project root.
    pub path: String,
    /// Its directory.
    pub dir: String,
    /// Target, recipe or task names.
    pub targets: BTreeSet<String>,
    /// Pattern targets (`%.o`) as prefix/suffix pairs.
    pub patterns: Vec<(String, String)>,
    /// True when names are computed (`$(TARGETS):`), includes could not be followed, or the
    /// file imports others: an unknown name may still exist.
    pub open: bool,
}

impl TaskFile {
    /// True when `name` is a target of this file (or may be one).
    pub fn has(&self, name: &str) -> bool {
        self.open
            || self.targets.contains(name)
            || self
                .patterns
                .iter()
                .any(|(pre, suf)| name.starts_with(pre.as_str()) && name.ends_with(suf.as_str()))
            || (self.runner == Runner::Task
                && self
                    .targets
                    .iter()
                    .any(|t| t.ends_with(":*") && name.starts_with(t.trim_end_matches('*'))))
    }
}

/// The task files of a project.
#[derive(Debug, Clone, Default)]
pub struct TaskFacts {
    /// Every file read.
    pub files: Vec<TaskFile>,
}

impl TaskFacts {
    /// Reads the project's Makefiles, justfiles and Taskfiles.
    pub fn load(reader: &mut ManifestReader, catalog: &Catalog<'_>) -> TaskFacts {
        let mut facts = TaskFacts::default();
        let files = catalog.files;
        let kinds = [Kind::Makefile, Kind::Justfile, Kind::Taskfile];
        for (path, kind) in catalog.entries(&kinds) {
            let dir = path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
            let runner = match kind {
                Kind::Makefile => Runner::Make,
                Kind::Justfile => Runner::Just,
                _ => Runner::Task,
            };
            let Some(text) = reader.read(path) else {
                continue;
            };
            let mut file = TaskFile {
                runner,
                path: path.to_string(),
                dir: dir.to_string(),
                targets: BTreeSet::new(),
                patterns: Vec::new(),
                open: false,
            };
            match runner {
                Runner::Make => {
                    let mut seen = BTreeSet::from([path.to_string()]);
                    make_targets(reader, files, dir, &text, &mut file, &mut seen);
                }
                Runner::Just => just_recipes(&text, &mut file),
                Runner::Task => match yaml::parse(path, &text) {
                    Ok(Some(root)) => taskfile_tasks(&root, &mut file),
                    Ok(None) => {}
                    Err(problem) => {
                        reader.problem(problem);
                        file.open = true;
                    }
                },
            }
            facts.files.push(file);
        }
        facts
    }

    /// The file `runner` uses in `dir`: exactly that directory (make and just do not search
    /// upwards for our purposes; `task` does).
    pub fn file_in(&self, runner: Runner, dir: &str) -> Option<&TaskFile> {
        let mut found: Vec<&TaskFile> = self
            .files
            .iter()
            .filter(|f| f.runner == runner && f.dir == dir)
            .collect();
        // GNU make prefers GNUmakefile, then makefile, then Makefile: the registry's order.
        let makefiles = crate::manifests::MANIFESTS
            .iter()
            .find(|m| m.kind == Kind::Makefile)
            .map(|m| m.names)
            .unwrap_or_default();
        found.sort_by_key(|f| {
            makefiles
                .iter()
                .position(|m| f.path.ends_with(m))
                .unwrap_or(0)
        });
        found.first().copied()
    }
}

/// Collects explicit targets, `.PHONY` names and pattern targets, following `include`.
fn make_targets(
    reader: &mut ManifestReader,
    files: &BTreeSet<String>,
    dir: &str,
    text: &str,
    file: &mut TaskFile,
    seen: &mut BTreeSet<String>,
) {
    let mut logical = String::new();
    for raw in text.lines() {
        if let Some(stripped) = raw.strip_suffix('\\') {
            logical.push_str(stripped);
            logical.push(' ');
            continue;
        }
        logical.push_str(raw);
        let line = std::mem::take(&mut logical);
        if line.starts_with('\t') {
            continue; // a recipe line
        }
        let line = line.split('#').next().unwrap_or("");
        let trimmed = line.trim();
        for keyword in ["include ", "-include ", "sinclude "] {
            if let Some(rest) = trimmed.strip_prefix(keyword) {
                for included in rest.split_whitespace() {
                    if included.contains(['$', '*', '?']) {
                        file.open = true;
                        continue;
                    }
                    match crate::paths::join(dir, included) {
                        Some(path) if files.contains(&path) => {
                            if seen.insert(path.clone()) {
                                if let Some(text) = reader.read(&path) {
                                    make_targets(reader, files, dir, &text, file, seen);
                                }
                            }
                        }
                        _ => file.open = true,
                    }
                }
            }
        }
        let Some(colon) = line.find(':') else {
            continue;
        };
        let after = &line[colon + 1..];
        // `X := y`, `X ::= y` are assignments; `a:: b` is a double-colon rule.
        if after.starts_with('=') || after.starts_with(":=") || line[..colon].contains('=') {
            continue;
        }
        let names = &line[..colon];
        let head = names.trim_start();
        if head.starts_with('.') && !head.starts_with(".PHONY") {
            continue; // special targets such as .SILENT
        }
        if names.trim_start().starts_with(".PHONY") {
            for name in after.split_whitespace() {
                add_make_name(name, file);
            }
            continue;
        }
        if line.starts_with(' ') && !names.trim().is_empty() && names.trim().contains(' ') {
            continue; // indented prose or a recipe written with spaces
        }
        for name in names.split_whitespace() {
            add_make_name(name, file);
        }
    }
}

fn add_make_name(name: &str, file: &mut TaskFile) {
    if name.contains('$') {
        file.open = true;
    } else if let Some((pre, suf)) = name.split_once('%') {
        file.patterns.push((pre.to_string(), suf.to_string()));
    } else {
        file.targets.insert(name.to_string());
    }
}

/// Recipes (`name arg='x':`, `@name:`) and aliases of a justfile.
fn just_recipes(text: &str, file: &mut TaskFile) {
    for line in text.lines() {
        if line.starts_with([' ', '\t', '#']) {
            continue;
        }
        let trimmed = line.trim();
        if trimmed.starts_with("import ") || trimmed.starts_with("mod ") {
            file.open = true;
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("alias ") {
            if let Some((name, _)) = rest.split_once(":=") {
                file.targets.insert(name.trim().to_string());
            }
            continue;
        }
        if trimmed.starts_with('[') {
            continue; // attributes
        }
        let Some(colon) = trimmed.find(':') else {
            continue;
        };
        if trimmed[colon..].starts_with(":=") {
            continue;
        }
        let head = trimmed[..colon].trim_start_matches('@');
        let name = head.split_whitespace().next().unwrap_or("");
        if !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            && !head.contains(":=")
        {
            file.targets.insert(name.to_string());
        }
    }
}

/// Tasks of a Taskfile; included Taskfiles become `namespace:*`.
fn taskfile_tasks(root: &Node, file: &mut TaskFile) {
    for (key, _) in root
        .get("tasks")
        .map(|t| t.entries().collect::<Vec<_>>())
        .unwrap_or_default()
    {
        if let Some(name) = key.as_str() {
            file.targets.insert(name.to_string());
        }
    }
    for (key, _) in root
        .get("includes")
        .map(|t| t.entries().collect::<Vec<_>>())
        .unwrap_or_default()
    {
        if let Some(name) = key.as_str() {
            file.targets.insert(format!("{name}:*"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn make(text: &str) -> TaskFile {
        let mut file = TaskFile {
            runner: Runner::Make,
            path: "Makefile".into(),
            dir: String::new(),
            targets: BTreeSet::new(),
            patterns: Vec::new(),
            open: false,
        };
        let dir = tempfile::tempdir().unwrap();
        let mut reader = ManifestReader::new(dir.path());
        make_targets(
            &mut reader,
            &BTreeSet::new(),
            "",
            text,
            &mut file,
            &mut BTreeSet::new(),
        );
        file
    }

    #[test]
    fn make_targets_phony_patterns_and_assignments() {
        let file = make(".PHONY: deploy test\nVERSION := 1\nCC = gcc\ndeploy: build\n\t@echo x: y\nbuild migrate-db: \n%.o: %.c\n.SILENT:\n");
        for name in ["deploy", "test", "build", "migrate-db", "main.o"] {
            assert!(file.has(name), "{name}");
        }
        for name in ["VERSION", "CC", "echo x", ".SILENT", "deploy-prod"] {
            assert!(!file.has(name), "{name}");
        }
        assert!(make("$(TARGETS): x\n").has("anything"));
    }

    #[test]
    fn just_recipes_and_aliases() {
        let mut file = TaskFile {
            runner: Runner::Just,
            path: "justfile".into(),
            dir: String::new(),
            targets: BTreeSet::new(),
            patterns: Vec::new(),
            open: false,
        };
        just_recipes("set shell := [\"bash\"]\nversion := \"1\"\n@deploy env='staging':\n    echo\nalias d := deploy\n[private]\ntest:\n", &mut file);
        let names: Vec<&str> = file.targets.iter().map(String::as_str).collect();
        assert_eq!(names, vec!["d", "deploy", "test"]);
    }
}

#[cfg(test)]
mod taskfile_tests {
    use super::*;

    #[test]
    fn taskfile_tasks_and_included_namespaces() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("Taskfile.yml"),
            "version: '3'\nincludes:\n  docker: ./docker/Taskfile.yml\ntasks:\n  build:\n    cmds: [go build]\n  deploy:\n    cmds: [echo]\n",
        )
        .unwrap();
        let files: BTreeSet<String> = ["Taskfile.yml".to_string()].into();
        let mut reader = ManifestReader::new(dir.path());
        let facts = TaskFacts::load(&mut reader, &Catalog::new(&files));
        let file = facts.file_in(Runner::Task, "").unwrap();
        assert!(file.has("build") && file.has("deploy") && file.has("docker:up"));
        assert!(!file.has("release"));
    }
}
