//! Heroku CLI: `heroku run [-a APP] COMMAND...` runs COMMAND in a one-off dyno;
//! `heroku config:set NAME=value...` sets config vars of the app.

use super::Carrier;
use crate::command::invocation::{EnvStore, ExecLocation, Invocation, Platform};

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

/// The config vars `heroku config:set` (or its alias `config:add`) sets.
pub(super) fn understand(invocation: &mut Invocation) {
    let args = invocation.args();
    if args
        .first()
        .is_some_and(|a| matches!(a.text.as_str(), "config:set" | "config:add"))
    {
        invocation.env_stored = super::secrets::assignments(&args[1..], &EnvStore::Heroku);
    }
}
