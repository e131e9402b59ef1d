//! go-task: `task [-d dir] [-t Taskfile] task... [-- args]`.

use super::task_runner::{self, Options, Runner, TaskRun};
use crate::command::shell::Word;

const OPTIONS: Options = Options {
    runner: Runner::Task,
    dir: &["-d", "--dir"],
    file: &["-t", "--taskfile"],
    valued: &[
        "-o",
        "--output",
        "-c",
        "--concurrency",
        "--interval",
        "--sort",
    ],
    listing: super::just::LISTING,
    first_only: false,
};

/// The tasks `task` runs.
pub(super) fn task_run(words: &[Word]) -> Option<TaskRun> {
    task_runner::task_run(&OPTIONS, words)
}
