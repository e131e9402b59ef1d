//! Composer: `composer run-script NAME [args]`, `composer run NAME`, and `composer NAME`, which
//! runs a script of composer.json when NAME is no built-in command (nor an abbreviation of
//! one: Composer accepts any unambiguous prefix, so that form is judged for typos only).

use super::task_runner::{self, Options, Runner, TaskRun};
use crate::command::shell::Word;

const OPTIONS: Options = Options {
    runner: Runner::Composer,
    dir: &["-d", "--working-dir"],
    file: &[],
    valued: &["--timeout"],
    listing: &["--list", "-l", "--help", "-h", "--version", "-V"],
    first_only: false,
};

/// Composer's own commands and their aliases.
const BUILTINS: &[&str] = &[
    "about",
    "archive",
    "audit",
    "browse",
    "home",
    "bump",
    "check-platform-reqs",
    "clear-cache",
    "clearcache",
    "cc",
    "config",
    "create-project",
    "depends",
    "why",
    "diagnose",
    "dump-autoload",
    "dumpautoload",
    "exec",
    "fund",
    "global",
    "help",
    "init",
    "install",
    "i",
    "licenses",
    "list",
    "outdated",
    "prohibits",
    "why-not",
    "reinstall",
    "remove",
    "rm",
    "uninstall",
    "repository",
    "repo",
    "require",
    "r",
    "run-script",
    "run",
    "search",
    "self-update",
    "selfupdate",
    "show",
    "info",
    "status",
    "suggests",
    "update",
    "u",
    "upgrade",
    "validate",
];

/// The script `composer` runs.
pub(super) fn task_run(words: &[Word]) -> Option<TaskRun> {
    let mut run = task_runner::task_run(&OPTIONS, words)?;
    let command = run.targets.first()?.text.clone();
    if matches!(command.as_str(), "run-script" | "run") {
        run.targets = run.targets.get(1..2)?.to_vec();
    } else if BUILTINS.iter().any(|b| b.starts_with(command.as_str())) {
        return None; // a built-in command, or an abbreviation of one
    } else {
        run.targets.truncate(1);
        run.typos_only = true;
    }
    Some(run)
}

#[cfg(test)]
mod tests {
    use crate::command::parse;

    fn script(line: &str) -> Option<(Vec<String>, bool)> {
        let command = parse(line);
        let run = command.invocation()?.tasks.clone()?;
        Some((
            run.targets.iter().map(|w| w.text.clone()).collect(),
            run.typos_only,
        ))
    }

    #[test]
    fn scripts_of_each_form() {
        assert_eq!(
            script("composer run-script test -- --filter x"),
            Some((vec!["test".into()], false))
        );
        assert_eq!(
            script("composer -d api run deploy prod"),
            Some((vec!["deploy".into()], false))
        );
        assert_eq!(script("composer lint"), Some((vec!["lint".into()], true)));
        assert_eq!(script("composer inst"), None);
        assert_eq!(script("composer install --no-dev"), None);
        assert_eq!(script("composer run-script --list"), None);
    }
}
