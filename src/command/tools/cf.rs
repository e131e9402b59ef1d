//! Cloud Foundry CLI: `cf ssh APP -c "COMMAND"` runs COMMAND in the app's container.

use super::Carrier;
use crate::command::invocation::{
    ExecLocation, FileArg, FileRole, Invocation, Platform, PlatformRun,
};

/// `cf ssh APP` without `-c` opens a shell in the app's container.
pub(super) fn session(argv: &[&str]) -> Option<ExecLocation> {
    if argv.get(1) != Some(&"ssh")
        || argv
            .iter()
            .any(|w| matches!(*w, "-c" | "--command" | "-N" | "-L"))
    {
        return None;
    }
    let app = argv.get(2).filter(|a| !a.starts_with('-'))?;
    Some(ExecLocation::Remote {
        platform: Platform::CloudFoundry,
        host: app.to_string(),
    })
}

/// The `-c`/`--command` of `cf ssh APP`.
pub(super) fn carrier(argv: &[&str], i: usize) -> Option<Carrier> {
    if argv.get(i + 1) != Some(&"ssh") {
        return None;
    }
    let app = argv
        .get(i + 2)
        .filter(|a| !a.starts_with('-'))
        .map(|a| a.to_string())
        .unwrap_or_default();
    let command = argv[i + 2..]
        .iter()
        .position(|w| matches!(*w, "-c" | "--command"))
        .map(|p| i + 2 + p + 1)
        .filter(|&c| c < argv.len())?;
    Some(Carrier {
        inner: command..command + 1,
        location: ExecLocation::Remote {
            platform: Platform::CloudFoundry,
            host: app,
        },
    })
}

/// Subcommands whose first argument is an app name.
const APP_COMMANDS: &[&str] = &[
    "push",
    "app",
    "restart",
    "restage",
    "start",
    "stop",
    "logs",
    "scale",
    "env",
    "set-env",
    "unset-env",
    "ssh",
    "events",
    "restart-app-instance",
    "delete",
];

/// Options of those subcommands that take a value.
const VALUED: &[&str] = &[
    "-f",
    "-p",
    "-b",
    "-m",
    "-k",
    "-i",
    "-c",
    "-s",
    "-o",
    "-t",
    "-u",
    "--var",
    "--vars-file",
    "--strategy",
    "--docker-image",
    "--docker-username",
    "--endpoint",
    "--stack",
    "--path",
    "--buildpack",
    "--manifest",
    "--process",
    "--instances",
    "--disk",
    "--memory",
];

/// The app a `cf push|restart|logs|scale|... APP` names, and the manifest `cf push -f x`
/// reads.
pub(super) fn understand(invocation: &mut Invocation) {
    let args = invocation.args().to_vec();
    let args = args.as_slice();
    let Some(sub) = args.first() else {
        return;
    };
    if sub.text == "push" {
        if let Some((word, path)) = super::secrets::flag_value(args, &["-f", "--manifest"]) {
            let mut word = word.clone();
            word.text = path.to_string();
            invocation.files_read.push(FileArg {
                word,
                role: FileRole::Reads,
            });
        }
    }
    if !APP_COMMANDS.contains(&sub.text.as_str()) {
        return;
    }
    let app = super::secrets::positionals(&args[1..], VALUED)
        .first()
        .map(|w| (*w).clone());
    if let Some(app) = app {
        invocation.platform = Some(PlatformRun {
            platform: Platform::CloudFoundry,
            app: Some(app),
            processes: Vec::new(),
        });
    }
}
