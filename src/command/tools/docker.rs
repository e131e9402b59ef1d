//! Docker and Podman: `docker exec CONTAINER COMMAND` runs COMMAND in the container;
//! `docker build -f Dockerfile` and `docker run --env-file x` read files; `docker compose ...`
//! is `compose.rs`.

use super::{compose, flag_values, Carrier};
use crate::command::invocation::{ExecLocation, FileArg, FileRole, Invocation, Runtime};

/// Options that take a value (for positionals: `docker -H host compose ...`).
pub(super) const VALUE_FLAGS: &[&str] = &[
    "-f",
    "--file",
    "-p",
    "--project-name",
    "--context",
    "-H",
    "--host",
    "--profile",
    "--env-file",
];

/// Options of `docker exec` that take a value.
const EXEC_VALUED: &[&str] = &[
    "-e",
    "--env",
    "-u",
    "--user",
    "-w",
    "--workdir",
    "--index",
    "--env-file",
    "--detach-keys",
];

/// `docker exec [options] CONTAINER COMMAND`, or a compose `exec`/`run`.
pub(super) fn carrier(argv: &[&str], i: usize) -> Option<Carrier> {
    if compose::start(argv, i).is_some() {
        return compose::carrier(argv, i);
    }
    if !matches!(argv[i], "docker" | "podman") || argv.get(i + 1) != Some(&"exec") {
        return None;
    }
    let mut j = i + 2;
    while j < argv.len() && argv[j].starts_with('-') {
        if EXEC_VALUED.contains(&argv[j]) {
            j += 1;
        }
        j += 1;
    }
    let name = argv.get(j).map(|n| n.to_string()).unwrap_or_default();
    Some(Carrier {
        inner: (j + 1).min(argv.len())..argv.len(),
        location: ExecLocation::Container {
            runtime: Runtime::Docker,
            name,
        },
    })
}

/// Compose command lines, and the files `docker build` and `docker run` read.
pub(super) fn understand(invocation: &mut Invocation) {
    if let Some(run) = compose::compose_run(&invocation.words) {
        let files = run.files.iter().map(|w| FileArg {
            word: w.clone(),
            role: FileRole::ComposeFile,
        });
        let env_files = run.env_files.iter().map(|w| FileArg {
            word: w.clone(),
            role: FileRole::EnvFile,
        });
        invocation.files_read.extend(files.chain(env_files));
        invocation.compose = Some(run);
        return;
    }
    if invocation.name() == "docker-compose" || invocation.name() == "podman-compose" {
        return;
    }
    let args = invocation.args();
    let found: Vec<FileArg> = match args.first().map(|a| a.text.as_str()) {
        Some("build" | "buildx") => flag_values(args, &["-f", "--file"])
            .into_iter()
            .map(|w| FileArg {
                word: w.clone(),
                role: FileRole::Dockerfile,
            })
            .collect(),
        // Only docker's own option: words after the image belong to the container.
        Some("run") => flag_values(args, &["--env-file"])
            .into_iter()
            .map(|w| FileArg {
                word: w.clone(),
                role: FileRole::EnvFile,
            })
            .collect(),
        _ => Vec::new(),
    };
    invocation.files_read.extend(found);
}
