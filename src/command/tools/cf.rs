//! Cloud Foundry CLI: `cf ssh APP -c "COMMAND"` runs COMMAND in the app's container.

use super::Carrier;
use crate::command::invocation::{ExecLocation, Platform};

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
