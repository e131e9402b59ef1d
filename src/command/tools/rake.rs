//! Rake: `rake [-f Rakefile] [-C dir] task... VAR=value` (usually under `bundle exec`).

use super::task_runner::{self, Options, Runner, TaskRun};
use crate::command::shell::Word;

const OPTIONS: Options = Options {
    runner: Runner::Rake,
    dir: &["-C", "--directory"],
    file: &["-f", "--rakefile"],
    valued: &[
        "-I",
        "--libdir",
        "-r",
        "--require",
        "-R",
        "--rakelibdir",
        "--backtrace",
        "--suppress-backtrace",
    ],
    listing: &[
        "-T",
        "--tasks",
        "-D",
        "--describe",
        "-P",
        "--prereqs",
        "-W",
        "--where",
        "-AT",
        "-e",
        "--execute",
        "-p",
        "--execute-print",
        "-E",
        "--execute-continue",
        "-h",
        "--help",
        "-V",
        "--version",
    ],
    first_only: false,
};

/// The tasks `rake` runs.
pub(super) fn task_run(words: &[Word]) -> Option<TaskRun> {
    task_runner::task_run(&OPTIONS, words)
}

#[cfg(test)]
mod tests {
    use crate::command::parse;

    #[test]
    fn tasks_under_bundle_exec() {
        let command = parse("bundle exec rake db:migrate assets:precompile RAILS_ENV=production");
        let run = command.invocation().unwrap().tasks.clone().unwrap();
        let names: Vec<&str> = run.targets.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(names, vec!["db:migrate", "assets:precompile"]);
        assert!(parse("rake -T").invocation().unwrap().tasks.is_none());
    }
}
