//! Progress on long checks: files done out of files to lint, on stderr, once a run has taken
//! about a second. Only for a person at a terminal: never when stderr is not one (a pipe, a
//! file, a CI log), never in CI (`CI` set: some CI runners give jobs a terminal), never with
//! `--quiet` and never beside a machine format (JSON, SARIF, JUnit, GitHub annotations),
//! whose readers parse the run's output.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::report::Format;

/// How long a run goes before the bar appears: short runs stay quiet.
const DELAY: Duration = Duration::from_secs(1);

/// A progress bar that appears after [`DELAY`], if it is wanted at all.
pub struct Progress {
    /// `None`: not wanted.
    started: Option<Instant>,
    bar: Option<ProgressBar>,
}

impl Progress {
    /// Progress for a check that began at `started`, shown if [`wanted`] says so for this
    /// process's stderr and environment.
    pub fn start(format: Format, quiet: bool, started: Instant) -> Progress {
        let show = wanted(
            format,
            quiet,
            std::io::stderr().is_terminal(),
            std::env::var_os("CI").is_some_and(|ci| !ci.is_empty()),
        );
        Progress {
            started: show.then_some(started),
            bar: None,
        }
    }

    /// `done` of `total` files are linted.
    pub fn update(&mut self, done: usize, total: usize) {
        let Some(started) = self.started else { return };
        if let Some(bar) = &self.bar {
            bar.set_position(done as u64);
            return;
        }
        if done < total && started.elapsed() >= DELAY {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} linting {pos}/{len} files {wide_bar}")
                    .expect("progress template")
                    .progress_chars("=> "),
            );
            bar.set_position(done as u64);
            self.bar = Some(bar);
        }
    }
}

impl Drop for Progress {
    /// The bar leaves no trace: the report and the totals follow where it was.
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

/// Whether progress is shown: a report people read, at a terminal, outside CI, not `--quiet`.
pub fn wanted(format: Format, quiet: bool, stderr_is_terminal: bool, in_ci: bool) -> bool {
    let for_people = matches!(format, Format::Human | Format::Concise);
    for_people && !quiet && stderr_is_terminal && !in_ci
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_for_people_at_a_terminal() {
        assert!(wanted(Format::Human, false, true, false));
        assert!(wanted(Format::Concise, false, true, false));
        // stderr piped or redirected, as in every CI log and test.
        assert!(!wanted(Format::Human, false, false, false));
        assert!(!wanted(Format::Human, false, true, true));
        assert!(!wanted(Format::Human, true, true, false));
        for machine in [Format::Json, Format::Sarif, Format::Junit, Format::Github] {
            assert!(!wanted(machine, false, true, false));
        }
    }

    #[test]
    fn no_bar_before_the_delay_or_when_unwanted() {
        let mut progress = Progress {
            started: Some(Instant::now()),
            bar: None,
        };
        progress.update(1, 10);
        assert!(progress.bar.is_none());
        let mut unwanted = Progress {
            started: None,
            bar: None,
        };
        unwanted.update(1, 10);
        assert!(unwanted.bar.is_none());
    }
}
