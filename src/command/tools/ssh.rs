//! ssh: `ssh [options] HOST COMMAND...` runs COMMAND on HOST.

use super::Carrier;
use crate::command::invocation::{ExecLocation, Platform};

/// ssh options that take a value.
const VALUED: &[&str] = &[
    "-b", "-c", "-D", "-E", "-e", "-F", "-I", "-i", "-J", "-L", "-l", "-m", "-O", "-o", "-p", "-Q",
    "-R", "-S", "-W", "-w",
];

/// `ssh [options] HOST` with no command opens a shell on HOST; not a tunnel (`-N`, `-L`, `-R`,
/// `-D`, `-W`) nor a Git host check (`ssh -T git@github.com`).
pub(super) fn session(argv: &[&str]) -> Option<ExecLocation> {
    let mut j = 1;
    while j < argv.len() && argv[j].starts_with('-') {
        if ["-N", "-L", "-R", "-D", "-W", "-T", "-O"]
            .iter()
            .any(|f| argv[j].starts_with(f))
        {
            return None;
        }
        if VALUED.contains(&argv[j]) {
            j += 1;
        }
        j += 1;
    }
    let host = argv.get(j)?;
    (j + 1 == argv.len() && !host.starts_with("git@")).then(|| ExecLocation::Remote {
        platform: Platform::Ssh,
        host: host.to_string(),
    })
}

/// `gcloud compute ssh VM` and `vagrant ssh [NAME]` without a command open a shell there.
pub(super) fn vm_session(argv: &[&str]) -> Option<ExecLocation> {
    let rest = match argv {
        ["gcloud", "compute", "ssh", rest @ ..]
        | ["gcloud", "beta", "compute", "ssh", rest @ ..] => rest,
        ["vagrant", "ssh", rest @ ..] => rest,
        _ => return None,
    };
    if rest
        .iter()
        .any(|w| w.starts_with("--command") || *w == "-c" || *w == "--")
    {
        return None;
    }
    let host = rest
        .iter()
        .find(|w| !w.starts_with('-'))
        .copied()
        .unwrap_or("");
    Some(ExecLocation::Remote {
        platform: Platform::Ssh,
        host: host.to_string(),
    })
}

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
