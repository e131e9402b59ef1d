//! What make, just, task, turbo, composer and rake command lines run: targets (recipes,
//! tasks, scripts), from which directory (`-C`, `-d`) and file (`-f`, `--justfile`,
//! `--taskfile`). Each runner's options are in its own file (`make.rs`, `just.rs`, `task.rs`,
//! `turbo.rs`, `composer.rs`, `rake.rs`); `uv run NAME` and `poetry run NAME` are in
//! `project_script.rs`.

use crate::command::shell::Word;

/// Which runner a task file belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runner {
    /// `make`.
    Make,
    /// `just`.
    Just,
    /// `task` (go-task).
    Task,
    /// `turbo run` (Turborepo): tasks of turbo.json.
    Turbo,
    /// `composer run-script`: scripts of composer.json.
    Composer,
    /// `rake`: tasks of a Rakefile and `*.rake` files.
    Rake,
    /// `uv run NAME`: a console script of pyproject.toml (or any installed program).
    Uv,
    /// `poetry run NAME`: likewise.
    Poetry,
}

impl Runner {
    /// The program that runs it.
    pub fn program(self) -> &'static str {
        match self {
            Runner::Make => "make",
            Runner::Just => "just",
            Runner::Task => "task",
            Runner::Turbo => "turbo",
            Runner::Composer => "composer",
            Runner::Rake => "rake",
            Runner::Uv => "uv",
            Runner::Poetry => "poetry",
        }
    }

    /// What it calls the things it runs: "target", "recipe", "task", "script".
    pub fn noun(self) -> &'static str {
        match self {
            Runner::Make => "target",
            Runner::Just => "recipe",
            Runner::Task | Runner::Turbo | Runner::Rake => "task",
            Runner::Composer | Runner::Uv | Runner::Poetry => "script",
        }
    }

    /// True for the runners of package scripts (reported by missing-script; the others by
    /// missing-make-target).
    pub fn runs_scripts(self) -> bool {
        matches!(
            self,
            Runner::Turbo | Runner::Composer | Runner::Uv | Runner::Poetry
        )
    }
}

/// A make/just/task command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRun {
    /// The runner.
    pub runner: Runner,
    /// Directory option (`make -C dir`, `just -d dir`, `task -d dir`), as written.
    pub dir: Option<String>,
    /// File option (`make -f file`, `just --justfile f`, `task -t f`), as written.
    pub file: Option<String>,
    /// The targets, recipes or tasks named.
    pub targets: Vec<Word>,
    /// True when a name may also be something other than a task of the file (`composer X`
    /// may abbreviate a built-in command, `uv run X` runs any installed program): only a
    /// name one edit away from a defined one is a mistake.
    pub typos_only: bool,
}

/// A runner's options.
pub(super) struct Options {
    pub runner: Runner,
    /// Options naming the directory to run in.
    pub dir: &'static [&'static str],
    /// Options naming the file to read.
    pub file: &'static [&'static str],
    /// Other options that take a value.
    pub valued: &'static [&'static str],
    /// Options that list or explain instead of running anything.
    pub listing: &'static [&'static str],
    /// Only the first positional is a target; the rest are its arguments (`just`).
    pub first_only: bool,
}

/// Targets and directory/file options of `words` (program first).
pub(super) fn task_run(options: &Options, words: &[Word]) -> Option<TaskRun> {
    let args = words.get(1..).unwrap_or(&[]);
    let mut run = TaskRun {
        runner: options.runner,
        dir: None,
        file: None,
        targets: Vec::new(),
        typos_only: false,
    };
    let mut i = 0;
    while i < args.len() {
        let word = &args[i];
        let text = word.text.as_str();
        i += 1;
        if text == "--" {
            break; // `task x -- args`: the rest goes to the task
        }
        if let Some((flag, value)) = text.split_once('=').filter(|(f, _)| f.starts_with("--")) {
            if options.dir.contains(&flag) {
                run.dir = Some(value.to_string());
            } else if options.file.contains(&flag) {
                run.file = Some(value.to_string());
            }
            continue;
        }
        if options.dir.contains(&text)
            || options.file.contains(&text)
            || options.valued.contains(&text)
        {
            let value = args.get(i).map(|w| w.text.clone());
            i += 1;
            if options.dir.contains(&text) {
                run.dir = value;
            } else if options.file.contains(&text) {
                run.file = value;
            } else if text == "--set" {
                i += 1; // `--set NAME VALUE`
            }
            continue;
        }
        if options.runner == Runner::Make && text.starts_with("-C") && text.len() > 2 {
            run.dir = Some(text[2..].to_string());
            continue;
        }
        if matches!(text, "-j" | "--jobs" | "-l" | "--load-average") {
            if args.get(i).is_some_and(|w| w.text.parse::<f64>().is_ok()) {
                i += 1;
            }
            continue;
        }
        if text.starts_with('-') {
            if options.listing.contains(&text) {
                return None;
            }
            continue;
        }
        if text.contains('=') {
            continue; // `make deploy ENV=prod`, `task x VAR=1`
        }
        run.targets.push(word.clone());
        if options.first_only {
            break; // the rest are the recipe's arguments
        }
    }
    Some(run)
}

#[cfg(test)]
mod tests {
    use crate::command::parse;

    fn run(line: &str) -> Option<(Option<String>, Option<String>, Vec<String>)> {
        let command = parse(line);
        let run = command.invocation()?.tasks.clone()?;
        Some((
            run.dir,
            run.file,
            run.targets.iter().map(|w| w.text.clone()).collect(),
        ))
    }

    #[test]
    fn directories_files_and_targets() {
        assert_eq!(
            run("make -C ops deploy ENV=prod -j 4 test"),
            Some((
                Some("ops".into()),
                None,
                vec!["deploy".into(), "test".into()]
            ))
        );
        assert_eq!(
            run("make --file=ops/Makefile deploy"),
            Some((None, Some("ops/Makefile".into()), vec!["deploy".into()]))
        );
        assert_eq!(
            run("make -Cops -f x.mk a"),
            Some((Some("ops".into()), Some("x.mk".into()), vec!["a".into()]))
        );
        assert_eq!(
            run("just -d ops --justfile ops/justfile deploy staging"),
            Some((
                Some("ops".into()),
                Some("ops/justfile".into()),
                vec!["deploy".into()]
            ))
        );
        assert_eq!(
            run("task -t ci/Taskfile.yaml build -- --verbose"),
            Some((None, Some("ci/Taskfile.yaml".into()), vec!["build".into()]))
        );
        assert_eq!(run("just --list"), None);
        assert_eq!(run("task --list"), None);
        assert!(run("make -l 2").is_some_and(|(_, _, t)| t.is_empty()));
    }
}
