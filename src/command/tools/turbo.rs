//! Turborepo: `turbo run task... [--filter pkg]`, `turbo task...` (v2 runs a task named as
//! the command), `turbo watch task...`; `pkg#task` names one package's task.

use super::task_runner::{self, Options, Runner, TaskRun};
use crate::command::shell::Word;

const OPTIONS: Options = Options {
    runner: Runner::Turbo,
    dir: &["--cwd"],
    file: &[],
    valued: &[
        "--filter",
        "-F",
        "--scope",
        "--ignore",
        "--concurrency",
        "--cache-dir",
        "--output-logs",
        "--log-order",
        "--log-prefix",
        "--env-mode",
        "--token",
        "--team",
        "--api",
        "--login",
        "--heap",
        "--profile",
        "--ui",
        "--cache",
        "--global-deps",
    ],
    listing: &["--help", "-h", "--version", "-V"],
    first_only: false,
};

/// Commands of turbo that are not tasks.
const BUILTINS: &[&str] = &[
    "bin",
    "boundaries",
    "completion",
    "config",
    "daemon",
    "devtools",
    "docs",
    "gen",
    "generate",
    "info",
    "link",
    "login",
    "logout",
    "ls",
    "prune",
    "query",
    "scan",
    "telemetry",
    "unlink",
];

/// The tasks `turbo` runs.
pub(super) fn task_run(words: &[Word]) -> Option<TaskRun> {
    let mut run = task_runner::task_run(&OPTIONS, words)?;
    let first = run.targets.first()?.text.clone();
    if matches!(first.as_str(), "run" | "watch") {
        run.targets.remove(0);
    } else if BUILTINS.contains(&first.as_str()) {
        return None;
    }
    Some(run)
}

#[cfg(test)]
mod tests {
    use crate::command::parse;

    fn tasks(line: &str) -> Option<Vec<String>> {
        let command = parse(line);
        let run = command.invocation()?.tasks.clone()?;
        Some(run.targets.iter().map(|w| w.text.clone()).collect())
    }

    #[test]
    fn tasks_of_each_form() {
        assert_eq!(
            tasks("turbo run build test --filter web"),
            Some(vec!["build".into(), "test".into()])
        );
        assert_eq!(tasks("turbo lint"), Some(vec!["lint".into()]));
        assert_eq!(
            tasks("pnpm turbo web#build"),
            Some(vec!["web#build".into()])
        );
        assert_eq!(
            tasks("npx turbo run db:push -F=api"),
            Some(vec!["db:push".into()])
        );
        assert_eq!(tasks("turbo prune web --docker"), None);
        assert_eq!(tasks("turbo login"), None);
    }
}
