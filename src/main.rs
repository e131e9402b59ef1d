//! The `runbook-lint` binary: parse arguments, run, exit with 0, 1 or 2.

use std::process::ExitCode;

use clap::Parser;

// Linting allocates many short-lived strings and vectors on every worker thread; mimalloc's
// thread-local free lists make that a fraction of glibc malloc's cost (see scripts/bench.sh).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match runbook_lint::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // Help and version go to stdout with status 0; usage errors exit 2.
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(runbook_lint::cli::exit::FAILURE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    runbook_lint::cli::run(cli)
}
