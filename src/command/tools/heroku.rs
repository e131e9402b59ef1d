//! Heroku CLI: `heroku run [-a APP] COMMAND...` runs COMMAND in a one-off dyno;
//! `heroku config:set NAME=value...` sets config vars of the app.

use super::Carrier;
use crate::command::invocation::{EnvStore, ExecLocation, Invocation, Platform, PlatformRun};
use crate::command::shell::Word;

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
    let args = invocation.args().to_vec();
    let args = args.as_slice();
    if args
        .first()
        .is_some_and(|a| matches!(a.text.as_str(), "config:set" | "config:add"))
    {
        invocation.env_stored = super::secrets::assignments(&args[1..], &EnvStore::Heroku);
    }
    let processes = process_types(args);
    if !processes.is_empty() {
        invocation.platform = Some(PlatformRun {
            platform: Platform::Heroku,
            app: None,
            processes,
        });
    }
}

/// Options of `heroku ps:*` that take a value.
const PS_VALUED: &[&str] = &["-a", "--app", "-r", "--remote"];

/// The process types `heroku ps:scale web=2 worker+1` scales and `ps:restart|ps:stop web`
/// (or the dyno `web.1`) restarts or stops; each word's text is the type. `heroku run TYPE`
/// is not one: it runs a command.
fn process_types(args: &[Word]) -> Vec<Word> {
    let Some(sub) = args.first() else {
        return Vec::new();
    };
    let scale = matches!(
        sub.text.as_str(),
        "ps:scale" | "scale" | "ps:resize" | "resize"
    );
    let restart = matches!(
        sub.text.as_str(),
        "ps:restart" | "restart" | "ps:stop" | "stop" | "ps:kill" | "kill"
    );
    if !scale && !restart {
        return Vec::new();
    }
    let mut out = Vec::new();
    for word in super::secrets::positionals(&args[1..], PS_VALUED) {
        let text = word.text.as_str();
        let name = if scale {
            match text.find(['=', '+']) {
                Some(at) if at > 0 => &text[..at],
                _ => continue,
            }
        } else {
            text.split('.').next().unwrap_or(text)
        };
        let mut word = word.clone();
        word.text = name.to_string();
        out.push(word);
    }
    out
}
