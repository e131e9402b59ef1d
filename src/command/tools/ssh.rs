//! ssh: `ssh [options] HOST COMMAND...` runs COMMAND on HOST.

use super::Carrier;
use crate::command::invocation::{ExecLocation, Platform};

/// ssh options that take a value.
const VALUED: &[&str] = &[
    "-b", "-c", "-D", "-E", "-e", "-F", "-I", "-i", "-J", "-L", "-l", "-m", "-O", "-o", "-p", "-Q",
    "-R", "-S", "-W", "-w",
];

/// The command given to ssh after the host, if any (`ssh host` alone opens a session).
pub(super) fn carrier(argv: &[&str], i: usize) -> Option<Carrier> {
    let mut j = i + 1;
    while j < argv.len() && argv[j].starts_with('-') {
        if argv[j] == "-N" {
            return None; // no remote command: a tunnel
        }
        if VALUED.contains(&argv[j]) {
            j += 1;
        }
        j += 1;
    }
    let host = argv.get(j)?;
    (j + 1 < argv.len()).then(|| Carrier {
        inner: j + 1..argv.len(),
        location: ExecLocation::Remote {
            platform: Platform::Ssh,
            host: host.to_string(),
        },
    })
}
