//! Task runners: Makefile targets (with `.PHONY` and included makefiles), justfile recipes,
//! Taskfile tasks, turbo.json tasks, composer.json scripts and Rake tasks (a Rakefile and the
//! `*.rake` files under its directory).

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
            // `turbo run web#build` runs the `build` task of the package `web`.
            || (self.runner == Runner::Turbo
                && name
                    .split_once('#')
                    .is_some_and(|(_, task)| self.targets.contains(task)))
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
        let kinds = [
            Kind::Makefile,
            Kind::Justfile,
            Kind::Taskfile,
            Kind::TurboJson,
            Kind::ComposerJson,
            Kind::Rakefile,
        ];
        // Rails defines dozens of tasks (db:migrate, assets:precompile) no Rakefile names.
        let rails = files
            .iter()
            .any(|f| f == "config/application.rb" || f.ends_with("/config/application.rb"));
        for (path, kind) in catalog.entries(&kinds) {
            let dir = path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
            let runner = match kind {
                Kind::Makefile => Runner::Make,
                Kind::Justfile => Runner::Just,
                Kind::TurboJson => Runner::Turbo,
                Kind::ComposerJson => Runner::Composer,
                Kind::Rakefile => Runner::Rake,
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
                Runner::Turbo | Runner::Composer => json_tasks(runner, &text, &mut file),
                Runner::Rake | Runner::Uv | Runner::Poetry => {
                    rake_tasks(&text, &mut file);
                    file.open |= rails;
                }
            }
            facts.files.push(file);
        }
        facts.merge_parts();
        facts
    }

    /// Folds the parts of one runner's definition into the file the runner reads: package
    /// turbo.json files into the shallowest turbo.json, `*.rake` files into the Rakefile of a
    /// directory above them.
    fn merge_parts(&mut self) {
        let turbo_root = self
            .files
            .iter()
            .filter(|f| f.runner == Runner::Turbo)
            .map(|f| f.dir.len())
            .min();
        let is_part = |f: &TaskFile| {
            (f.runner == Runner::Rake && f.path.ends_with(".rake"))
                || (f.runner == Runner::Turbo && Some(f.dir.len()) != turbo_root)
        };
        let (parts, mut files): (Vec<TaskFile>, Vec<TaskFile>) =
            self.files.drain(..).partition(|f| is_part(f));
        for part in parts {
            let above = |f: &TaskFile| {
                f.dir.is_empty()
                    || part.dir == f.dir
                    || part.dir.starts_with(&format!("{}/", f.dir))
            };
            for file in files
                .iter_mut()
                .filter(|f| f.runner == part.runner && (part.runner == Runner::Turbo || above(f)))
            {
                file.targets.extend(part.targets.iter().cloned());
                file.open |= part.open;
            }
        }
        self.files = files;
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

/// Task names of a turbo.json (`tasks`, or v1's `pipeline`; `web#build` also counts as
/// `build` for did-you-mean) or script names of a composer.json. turbo.json may have comments;
/// a file that does not parse (or is empty) is left open rather than reported.
fn json_tasks(runner: Runner, text: &str, file: &mut TaskFile) {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&strip_json_comments(text)) else {
        file.open = true;
        return;
    };
    let keys = |field: &str| -> Vec<String> {
        json.get(field)
            .and_then(serde_json::Value::as_object)
            .map(|map| map.keys().cloned().collect())
            .unwrap_or_default()
    };
    if runner == Runner::Composer {
        file.targets.extend(keys("scripts"));
        // Composer 2.5's `scripts-aliases`: `{"phpstan": ["stan", "analyze"]}`.
        if let Some(aliases) = json.get("scripts-aliases").and_then(|a| a.as_object()) {
            for alias in aliases.values().filter_map(|v| v.as_array()).flatten() {
                if let Some(alias) = alias.as_str() {
                    file.targets.insert(alias.to_string());
                }
            }
        }
        return;
    }
    for key in keys("tasks").into_iter().chain(keys("pipeline")) {
        if let Some((_, task)) = key.split_once('#') {
            file.targets.insert(task.to_string());
        }
        file.targets.insert(key);
    }
}

/// `text` without `//` and `/* */` comments outside strings (JSONC, as turbo.json allows).
fn strip_json_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if c == '\\' {
                out.extend(chars.next());
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match (c, chars.peek()) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            ('/', Some('/')) => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            ('/', Some('*')) => {
                chars.next();
                let mut previous = ' ';
                for c in chars.by_ref() {
                    if previous == '*' && c == '/' {
                        break;
                    }
                    previous = c;
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Tasks of a Rakefile: `task :name`, `task name: deps`, `task "name"`, `multitask`, inside
/// `namespace :db do ... end` blocks (closed by the `end` at the block's indentation);
/// `Rake::TestTask.new(:name)`-style tasks by name. Files that load others (`import`, `load`,
/// `require_relative`), or a task library with a default name, leave the file open.
fn rake_tasks(text: &str, file: &mut TaskFile) {
    let mut namespaces: Vec<(usize, String)> = Vec::new();
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if trimmed.starts_with('#') {
            continue;
        }
        if trimmed == "end" || trimmed.starts_with("end ") {
            if namespaces.last().is_some_and(|(at, _)| *at == indent) {
                namespaces.pop();
            }
            continue;
        }
        if ["import ", "load ", "require_relative", "Dir.glob", "Dir["]
            .iter()
            .any(|k| trimmed.starts_with(k))
        {
            file.open = true;
            continue;
        }
        if trimmed.contains("Task.new") || trimmed.contains("install_tasks") {
            match trimmed
                .split_once("Task.new")
                .and_then(|(_, rest)| rake_name(rest.trim_start_matches(['(', ' '])))
            {
                Some(name) => {
                    file.targets.insert(qualified(&namespaces, &name));
                }
                None => file.open = true,
            }
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("namespace") {
            if let Some(name) = rake_name(rest.trim_start_matches(['(', ' '])) {
                namespaces.push((indent, name));
            }
            continue;
        }
        for keyword in ["task", "multitask"] {
            let Some(rest) = trimmed.strip_prefix(keyword) else {
                continue;
            };
            if !rest.starts_with([' ', '(']) {
                continue;
            }
            if let Some(name) = rake_name(rest.trim_start_matches(['(', ' '])) {
                file.targets.insert(qualified(&namespaces, &name));
            }
        }
    }
}

/// The task name at the start of `rest`: `:name`, `name:` (keyword), `"name"`, `'name'`.
fn rake_name(rest: &str) -> Option<String> {
    let is_name = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':' | '.');
    let (name, _) = if let Some(symbol) = rest.strip_prefix(':') {
        let end = symbol
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(symbol.len());
        (&symbol[..end], ())
    } else if let Some(quoted) = rest.strip_prefix(['"', '\'']) {
        let end = quoted.find(['"', '\'']).unwrap_or(0);
        let name = &quoted[..end];
        if !name.chars().all(is_name) {
            return None;
        }
        (name, ())
    } else {
        let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))?;
        if !rest[end..].starts_with(':') || rest[end..].starts_with("::") {
            return None;
        }
        (&rest[..end], ())
    };
    (!name.is_empty()).then(|| name.to_string())
}

fn qualified(namespaces: &[(usize, String)], name: &str) -> String {
    let mut parts: Vec<&str> = namespaces.iter().map(|(_, n)| n.as_str()).collect();
    parts.push(name);
    parts.join(":")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rake_tasks_in_namespaces() {
        let mut file = TaskFile {
            runner: Runner::Rake,
            path: "Rakefile".into(),
            dir: String::new(),
            targets: BTreeSet::new(),
            patterns: Vec::new(),
            open: false,
        };
        rake_tasks("desc 'x'\ntask :build do\nend\nnamespace :db do\n  task migrate: :environment do\n    puts 1\n  end\n  task \"seed\"\nend\ntask(:test)\nRSpec::Core::RakeTask.new(:spec)\n", &mut file);
        let names: Vec<&str> = file.targets.iter().map(String::as_str).collect();
        assert_eq!(
            names,
            vec!["build", "db:migrate", "db:seed", "spec", "test"]
        );
        assert!(!file.open);
        rake_tasks("Rake::TestTask.new do |t|\nend\n", &mut file);
        assert!(file.open);
    }

    #[test]
    fn turbo_and_composer_json() {
        let mut file = TaskFile {
            runner: Runner::Turbo,
            path: "turbo.json".into(),
            dir: String::new(),
            targets: BTreeSet::new(),
            patterns: Vec::new(),
            open: false,
        };
        json_tasks(
            Runner::Turbo,
            "{\n  // v2\n  \"tasks\": {\"build\": {}, \"web#deploy\": {\"dependsOn\": [\"//#x\"]}}\n}",
            &mut file,
        );
        assert!(
            file.has("build")
                && file.has("web#deploy")
                && file.has("deploy")
                && file.has("api#build")
        );
        assert!(!file.has("lint") && !file.open);
        json_tasks(Runner::Composer, "", &mut file);
        assert!(file.open);
    }

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
