//! just: `just [-d dir] [-f justfile] recipe args...`; only the first positional is a recipe.

use super::task_runner::{self, Options, Runner, TaskRun};
use crate::command::shell::Word;

const OPTIONS: Options = Options {
    runner: Runner::Just,
    dir: &["-d", "--working-directory"],
    file: &["-f", "--justfile"],
    valued: &[
        "--set",
        "--shell",
        "--shell-arg",
        "--dotenv-filename",
        "--dotenv-path",
        "--color",
        "--list-heading",
    ],
    listing: LISTING,
    first_only: true,
};

/// Options of just and task that list, explain or edit instead of running a recipe.
pub(super) const LISTING: &[&str] = &[
    "--list",
    "-l",
    "--summary",
    "--help",
    "-h",
    "--version",
    "--init",
    "--list-all",
    "-a",
    "--choose",
    "--evaluate",
    "--show",
    "-s",
    "--dump",
];

/// The recipe `just` runs.
pub(super) fn task_run(words: &[Word]) -> Option<TaskRun> {
    task_runner::task_run(&OPTIONS, words)
}
