//! Heroku CLI: `heroku run [-a APP] COMMAND...` runs COMMAND in a one-off dyno.

use super::Carrier;
use crate::command::invocation::{ExecLocation, Platform};

/// Options of `heroku run` that take a value.
const VALUED: &[&str] = &[
    "-a", "--app", "-r", "--remote", "-s", "--size", "-e", "--env", "--type",
];

/// The command of `heroku run` / `heroku run:detached`.
pub(super) fn carrier(argv: &[&str], i: usize) -> Option<Carrier> {
    if !matches!(argv.get(i + 1), Some(&"run" | &"run:detached")) {
        return None;
    }
    let mut app = String::new();
    let mut j = i + 2;
    while j < argv.len() && argv[j].starts_with('-') {
        if VALUED.contains(&argv[j]) {
            if matches!(argv[j], "-a" | "--app") {
                app = argv.get(j + 1).map(|a| a.to_string()).unwrap_or_default();
            }
            j += 1;
        }
        j += 1;
    }
    (j < argv.len()).then_some(Carrier {
        inner: j..argv.len(),
        location: ExecLocation::Remote {
            platform: Platform::Heroku,
            host: app,
        },
    })
}
