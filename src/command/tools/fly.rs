//! Fly.io CLI: `fly ssh console [-a APP] -C "COMMAND"` runs COMMAND on a machine of the app;
//! `fly secrets set NAME=value...` stores secrets for the app.

use super::Carrier;
use crate::command::invocation::{
    EnvStore, ExecLocation, FileArg, FileRole, Invocation, Platform, PlatformRun,
};

/// `fly ssh console [-a APP]` without `-C` opens a shell on a machine of the app.
pub(super) fn session(argv: &[&str]) -> Option<ExecLocation> {
    if argv.get(1) != Some(&"ssh") || argv.get(2) != Some(&"console") {
        return None;
    }
    let rest = &argv[3..];
    if rest.iter().any(|w| matches!(*w, "-C" | "--command")) {
        return None;
    }
    let app = rest
        .windows(2)
        .find(|pair| matches!(pair[0], "-a" | "--app"))
        .map(|pair| pair[1].to_string())
        .unwrap_or_default();
    Some(ExecLocation::Remote {
        platform: Platform::Fly,
        host: app,
    })
}

/// The `-C`/`--command` of `fly ssh console`.
pub(super) fn carrier(argv: &[&str], i: usize) -> Option<Carrier> {
    if argv.get(i + 1) != Some(&"ssh") || argv.get(i + 2) != Some(&"console") {
        return None;
    }
    let rest = &argv[i + 3..];
    let app = rest
        .windows(2)
        .find(|pair| matches!(pair[0], "-a" | "--app"))
        .map(|pair| pair[1].to_string())
        .unwrap_or_default();
    let command = rest
        .iter()
        .position(|w| matches!(*w, "-C" | "--command"))
        .map(|p| i + 3 + p + 1)
        .filter(|&c| c < argv.len())?;
    Some(Carrier {
        inner: command..command + 1,
        location: ExecLocation::Remote {
            platform: Platform::Fly,
            host: app,
        },
    })
}

/// The secrets `fly secrets set` stores.
pub(super) fn understand(invocation: &mut Invocation) {
    let args = invocation.args().to_vec();
    let args = args.as_slice();
    if args.len() > 2 && args[0].text == "secrets" && args[1].text == "set" {
        invocation.env_stored = super::secrets::assignments(&args[2..], &EnvStore::Fly);
    }
    // `fly deploy -c fly.staging.toml`: the config file it reads.
    if let Some((word, path)) = super::secrets::flag_value(args, &["-c", "--config"]) {
        let mut word = word.clone();
        word.text = path.to_string();
        invocation.files_read.push(FileArg {
            word,
            role: FileRole::Reads,
        });
    }
    // `fly apps create NAME`, `fly launch --name NAME` make the app; `-a` of the others
    // names an existing one.
    let creates = args.first().is_some_and(|a| a.text == "launch")
        || (args.len() > 1 && args[0].text == "apps" && args[1].text == "create");
    if creates {
        return;
    }
    if let Some((word, app)) = super::secrets::flag_value(args, &["-a", "--app"]) {
        let mut word = word.clone();
        word.text = app.to_string();
        invocation.platform = Some(PlatformRun {
            platform: Platform::Fly,
            app: Some(word),
            processes: Vec::new(),
        });
    }
}
