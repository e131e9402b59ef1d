use super::{Cx, RuleContext};
use crate::command::{Word, WorkDir};
use crate::diagnostic::did_you_mean_text;
use crate::facts::tasks::{Runner, TaskFile};
use crate::fix::did_you_mean_fix;

declare_rule! {
    /// ## What it does
    /// Checks that `make X`, `just X` and `task X` name a target, recipe or task that the
    /// Makefile, justfile or Taskfile they would use defines. The file is the one in the
    /// command's directory (after `cd`, `make -C dir`, or `-f file`); a runbook's commands
    /// without `cd` run from its own directory or, failing that, the repository root. Makefile
    /// `.PHONY` names, pattern rules and included makefiles count; a Makefile with computed
    /// target names is not checked.
    ///
    /// `rake X` (also `bundle exec rake X`) is checked against the tasks of the Rakefile and
    /// the `*.rake` files below it (`task :name`, `task name: deps`, inside `namespace`
    /// blocks). Gems and Rails define many tasks no Rakefile names, so only a name one edit
    /// away from a defined task is reported, and a Rails app (`config/application.rb`) or a
    /// Rakefile that loads other files is not checked.
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

impl MissingMakeTarget {
    fn run(&self, cx: &mut Cx<'_, '_>) {
        check_task_runs(cx, false);
    }
}

/// Checks the names task-runner commands run against the file the runner reads: the runners
/// of package scripts (turbo, composer, `uv run`) when `scripts`, the others otherwise.
pub(super) fn check_task_runs(cx: &mut Cx<'_, '_>, scripts: bool) {
    let tasks = &cx.project.tasks;
    if tasks.files.is_empty() && (!scripts || cx.project.python.scripts.is_empty()) {
        return;
    }
    // Each task file's target names, listed once (per finding, a copy of every name was
    // quadratic in a runbook of many `make` lines against a large Makefile).
    let mut names_of: std::collections::HashMap<&str, Vec<&str>> =
        std::collections::HashMap::new();
    for command in &cx.doc.commands {
        let Some(call) = command
            .invocation()
            .filter(|i| i.is_local())
            .and_then(|i| i.tasks.as_ref())
            .filter(|t| t.runner.runs_scripts() == scripts)
        else {
            continue;
        };
        let runner = call.runner;
        if matches!(runner, Runner::Uv | Runner::Poetry) {
            check_project_scripts(cx, call);
            continue;
        }
        // Rake tasks also come from gems and Rails: only a near miss is judged.
        let typos_only = call.typos_only || runner == Runner::Rake;
        // `-C dir` is found from where the command runs (the runbook's directory or the
        // root, for a command with no `cd`), and `-f file` in that directory.
        let dir = match &call.dir {
            Some(dir) => cx.command_subdir(command, dir),
            None => cx.command_dir(command),
        };
        let Some(dir) = dir else {
            continue;
        };
        let find = |path: Option<String>| {
            path.and_then(|path| tasks.files.iter().find(|t| t.path == path))
        };
        let file = match &call.file {
            Some(file) if call.dir.is_none() => cx
                .command_bases(command)
                .iter()
                .find_map(|base| find(crate::paths::join(base, file))),
            Some(file) => find(crate::paths::join(&dir, file)),
            None => find_file(
                cx.file(),
                runner,
                &dir,
                command.cwd == WorkDir::Default && call.dir.is_none(),
            ),
        };
        let Some(file) = file else {
            continue;
        };
        for word in &call.targets {
            if word.text.contains(['$', '<', '{', '*', '[', '(']) || file.has(&word.text) {
                continue;
            }
            // "A task also defined as a package script counts" for turbo.
            if runner == Runner::Turbo && defined_as_package_script(cx, &word.text) {
                continue;
            }
            let names = names_of
                .entry(file.path.as_str())
                .or_insert_with(|| file.targets.iter().map(String::as_str).collect());
            if typos_only && !names.iter().any(|n| one_edit_away(&word.text, n)) {
                continue;
            }
            report(cx, runner, file, names, word);
        }
    }
}

/// `turbo run X` where a package script is named X (the task runs the scripts).
fn defined_as_package_script(cx: &Cx<'_, '_>, name: &str) -> bool {
    let task = name.split_once('#').map(|(_, t)| t).unwrap_or(name);
    let node = &cx.project.node;
    node.packages
        .iter()
        .chain(&node.others)
        .any(|p| p.scripts.contains_key(task))
}

/// `uv run NAME` / `poetry run NAME`: NAME may be any installed program, so only a name one
/// edit away from a console script pyproject.toml declares is reported.
fn check_project_scripts(cx: &mut Cx<'_, '_>, call: &crate::command::tools::TaskRun) {
    let scripts = &cx.project.python.scripts;
    let Some(word) = call.targets.first() else {
        return;
    };
    if scripts.is_empty() || scripts.contains(&word.text) {
        return;
    }
    let names: Vec<&str> = scripts.iter().map(String::as_str).collect();
    if !names.iter().any(|n| one_edit_away(&word.text, n)) {
        return;
    }
    let help = match did_you_mean_text(&word.text, names.iter().copied()) {
        Some(hint) => format!("{hint} (pyproject.toml declares {})", quoted(&names)),
        None => format!("pyproject.toml declares {}", quoted(&names)),
    };
    let fix = did_you_mean_fix(cx.source, word.span, &word.text, &names);
    cx.report(
        word.span,
        format!("script `{}` not declared in pyproject.toml", word.text),
    )
    .label(format!(
        "`{} run` finds no such script or program",
        call.runner.program()
    ))
    .help(help)
    .fix(fix)
    .checked("pyproject.toml");
}

fn quoted(names: &[&str]) -> String {
    let shown: Vec<String> = names.iter().take(8).map(|n| format!("`{n}`")).collect();
    if names.len() > 8 {
        format!("{} and {} more", shown.join(", "), names.len() - 8)
    } else {
        shown.join(", ")
    }
}

/// True when `a` becomes `b` by one insertion, deletion, substitution or transposition.
fn one_edit_away(a: &str, b: &str) -> bool {
    a != b && strsim::osa_distance(a, b) == 1
}

/// Reports a target `file` does not define, with a did-you-mean; `names` are its targets.
fn report(cx: &mut Cx<'_, '_>, runner: Runner, file: &TaskFile, names: &[&str], word: &Word) {
    let what = runner.noun();
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
    let fix = did_you_mean_fix(cx.source, word.span, &word.text, names);
    cx.report(
        word.span,
        format!("{what} `{}` not found in {}", word.text, file.path),
    )
    .label(format!("`{}` has no such {what}", runner.program()))
    .help(help)
    .fix(fix)
    .checked(&file.path);
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
    // turbo, composer and rake find their file in a directory above, as just and task do.
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
