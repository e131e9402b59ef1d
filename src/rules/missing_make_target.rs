use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::command::shell::Word;
use crate::diagnostic::{did_you_mean_text, Diagnostic, Severity};
use crate::document::WorkDir;
use crate::facts::tasks::{Runner, TaskFile};

declare_rule! {
    /// ## What it does
    /// Checks that `make X`, `just X` and `task X` name a target, recipe or task that the
    /// Makefile, justfile or Taskfile they would use defines. The file is the one in the
    /// command's directory (after `cd`, `make -C dir`, or `-f file`); a runbook's commands
    /// without `cd` run from its own directory or, failing that, the repository root. Makefile
    /// `.PHONY` names, pattern rules and included makefiles count; a Makefile with computed
    /// target names is not checked.
    ///
    /// ## Why is this bad?
    /// Targets get renamed (`deploy-prod` becomes `deploy/production`) and runbooks do not
    /// follow: `make: *** No rule to make target 'deploy-prod'` in the middle of a release.
    ///
    /// ## Example
    /// ```markdown
    /// 3. Run `make deploy-prod`
    /// ```
    ///
    /// Use instead (the target the Makefile defines):
    /// ```markdown
    /// 3. Run `make deploy`
    /// ```
    pub struct MissingMakeTarget {
        id: "missing-make-target",
        severity: Error,
        summary: "a make target, just recipe or task the runbook runs is not defined",
    }
}

impl Rule for MissingMakeTarget {
    fn meta(&self) -> RuleMeta<'_> {
        Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let tasks = &cx.project.tasks;
        if tasks.files.is_empty() {
            return;
        }
        for command in &cx.doc.commands {
            let runner = match command.program() {
                Some("make" | "gmake") => Runner::Make,
                Some("just") => Runner::Just,
                Some("task") => Runner::Task,
                _ => continue,
            };
            let Some(cwd) = cx.command_dir(command) else {
                continue;
            };
            let Some(call) = parse_call(runner, command.args()) else {
                continue;
            };
            let dir = match &call.dir {
                Some(d) => match crate::paths::join(&cwd, d) {
                    Some(d) => d,
                    None => continue,
                },
                None => cwd.clone(),
            };
            let file = match &call.file {
                Some(f) => match crate::paths::join(&dir, f) {
                    Some(path) => tasks.files.iter().find(|t| t.path == path),
                    None => continue,
                },
                None => find_file(
                    cx,
                    runner,
                    &dir,
                    command.cwd == WorkDir::Default && call.dir.is_none(),
                ),
            };
            let Some(file) = file else {
                continue;
            };
            for word in call.targets {
                if word.text.contains(['$', '<', '{', '*', '[', '(']) || file.has(&word.text) {
                    continue;
                }
                out.push(diagnostic(runner, file, word));
            }
        }
    }
}

fn diagnostic(runner: Runner, file: &TaskFile, word: &Word) -> Diagnostic {
    let what = match runner {
        Runner::Make => "target",
        Runner::Just => "recipe",
        Runner::Task => "task",
    };
    let names: Vec<&str> = file.targets.iter().map(String::as_str).collect();
    let available = if names.is_empty() {
        format!("it defines no {what}s")
    } else if names.len() > 8 {
        format!("{} {what}s defined", names.len())
    } else {
        format!(
            "available: {}",
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let help = match did_you_mean_text(&word.text, names.iter().copied()) {
        Some(hint) => format!("{hint} ({available})"),
        None => format!(
            "add the {what} to {} or fix the name ({available})",
            file.path
        ),
    };
    Diagnostic::new(
        MissingMakeTarget::META.id,
        Severity::Error,
        word.span,
        format!("{what} `{}` not found in {}", word.text, file.path),
    )
    .with_label(format!("`{}` has no such {what}", runner.program()))
    .with_help(help)
}

/// The task file for `runner` in `dir`; `just` and `task` look upwards like the tools do, and
/// a command with no `cd` may also mean the repository root.
fn find_file<'a>(
    cx: &'a RuleContext<'_>,
    runner: Runner,
    dir: &str,
    default_dir: bool,
) -> Option<&'a TaskFile> {
    let tasks = &cx.project.tasks;
    if let Some(file) = tasks.file_in(runner, dir) {
        return Some(file);
    }
    if runner != Runner::Make || default_dir {
        let mut current = dir;
        while let Some((parent, _)) = current.rsplit_once('/') {
            if let Some(file) = tasks.file_in(runner, parent) {
                return Some(file);
            }
            current = parent;
        }
        return tasks.file_in(runner, "");
    }
    None
}

struct Call<'a> {
    dir: Option<String>,
    file: Option<String>,
    targets: Vec<&'a Word>,
}

/// Targets and directory/file options of a `make`, `just` or `task` command line.
fn parse_call(runner: Runner, args: &[Word]) -> Option<Call<'_>> {
    let mut call = Call {
        dir: None,
        file: None,
        targets: Vec::new(),
    };
    let (dir_flags, file_flags, valued): (&[&str], &[&str], &[&str]) = match runner {
        Runner::Make => (
            &["-C", "--directory"],
            &["-f", "--file", "--makefile"],
            &[
                "-I",
                "--include-dir",
                "-o",
                "--old-file",
                "-W",
                "--what-if",
                "--assume-new",
                "--jobserver-style",
                "-O",
            ],
        ),
        Runner::Just => (
            &["-d", "--working-directory"],
            &["-f", "--justfile"],
            &[
                "--set",
                "--shell",
                "--shell-arg",
                "--dotenv-filename",
                "--dotenv-path",
                "--color",
                "--list-heading",
            ],
        ),
        Runner::Task => (
            &["-d", "--dir"],
            &["-t", "--taskfile"],
            &[
                "-o",
                "--output",
                "-c",
                "--concurrency",
                "--interval",
                "--sort",
            ],
        ),
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
            if dir_flags.contains(&flag) {
                call.dir = Some(value.to_string());
            } else if file_flags.contains(&flag) {
                call.file = Some(value.to_string());
            }
            continue;
        }
        if dir_flags.contains(&text) || file_flags.contains(&text) || valued.contains(&text) {
            let value = args.get(i).map(|w| w.text.clone());
            i += 1;
            if dir_flags.contains(&text) {
                call.dir = value;
            } else if file_flags.contains(&text) {
                call.file = value;
            } else if text == "--set" {
                i += 1; // `--set NAME VALUE`
            }
            continue;
        }
        if runner == Runner::Make && text.starts_with("-C") && text.len() > 2 {
            call.dir = Some(text[2..].to_string());
            continue;
        }
        if matches!(text, "-j" | "--jobs" | "-l" | "--load-average") {
            if args.get(i).is_some_and(|w| w.text.parse::<f64>().is_ok()) {
                i += 1;
            }
            continue;
        }
        if text.starts_with('-') {
            // Listing and help modes run no target.
            if matches!(
                text,
                "--list"
                    | "-l"
                    | "--summary"
                    | "--help"
                    | "-h"
                    | "--version"
                    | "--init"
                    | "--list-all"
                    | "-a"
                    | "--choose"
                    | "--evaluate"
                    | "--show"
                    | "-s"
                    | "--dump"
            ) && runner != Runner::Make
            {
                return None;
            }
            continue;
        }
        if text.contains('=') {
            continue; // `make deploy ENV=prod`, `task x VAR=1`
        }
        call.targets.push(word);
        if runner == Runner::Just {
            break; // the rest are the recipe's arguments
        }
    }
    Some(call)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::tasks::TaskFacts;
    use crate::rules::testing::check;

    fn facts() -> crate::facts::ProjectFacts {
        let mut file = TaskFile {
            runner: Runner::Make,
            path: "Makefile".into(),
            dir: String::new(),
            targets: ["deploy".to_string(), "test".to_string()].into(),
            patterns: Vec::new(),
            open: false,
        };
        let mut facts = crate::facts::ProjectFacts {
            tasks: TaskFacts {
                files: vec![file.clone()],
            },
            ..Default::default()
        };
        file.runner = Runner::Just;
        file.path = "justfile".into();
        facts.tasks.files.push(file);
        facts
    }

    #[test]
    fn reports_missing_targets_and_recipes() {
        let md = "```bash\nmake deploy ENV=prod -j 4\nmake deploy-prod\nmake -C /srv x\njust deploy staging\njust release\ntask build\n```\n";
        let found = check(&MissingMakeTarget, md, &facts());
        assert_eq!(
            found,
            vec![
                (3, "target `deploy-prod` not found in Makefile".to_string()),
                (6, "recipe `release` not found in justfile".to_string()),
            ]
        );
    }
}
