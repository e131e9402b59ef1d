//! GNU make: `make [-C dir] [-f file] target... VAR=value`.

use super::task_runner::{self, Options, Runner, TaskRun};
use crate::command::shell::Word;

const OPTIONS: Options = Options {
    runner: Runner::Make,
    dir: &["-C", "--directory"],
    file: &["-f", "--file", "--makefile"],
    valued: &[
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
    // `make -l N` is a load average, not a listing.
    listing: &[],
    first_only: false,
};

/// The targets `make` runs.
pub(super) fn task_run(words: &[Word]) -> Option<TaskRun> {
    task_runner::task_run(&OPTIONS, words)
}
