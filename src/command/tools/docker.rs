//! Docker and Podman: `docker exec CONTAINER COMMAND` runs COMMAND in the container;
//! `docker build -f Dockerfile` and `docker run --env-file x` read files; `docker compose ...`
//! is `compose.rs`.

use super::{compose, flag_values, Carrier};
use crate::command::invocation::{
    ContainerRef, ExecLocation, FileArg, FileRole, Invocation, Runtime,
};

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

/// Options of `docker logs|restart|stop|start|kill` that take a value.
const CONTAINER_VALUED: &[&str] = &[
    "--tail",
    "-n",
    "--since",
    "--until",
    "-t",
    "--time",
    "-s",
    "--signal",
    "--detach-keys",
];

/// Subcommands whose first positional is an existing container.
const NAMES_CONTAINER: &[&str] = &["exec", "logs", "restart", "stop", "start", "kill"];

/// The container `docker SUBCOMMAND [options] NAME` names, or `docker run|create --name NAME`
/// creates.
fn container(words: &[crate::command::Word]) -> Option<ContainerRef> {
    let subcommand = words.get(1)?.text.as_str();
    if matches!(subcommand, "run" | "create") {
        let word = words
            .windows(2)
            .find_map(|pair| match pair[0].text.as_str() {
                "--name" => Some(pair[1].clone()),
                _ => pair[1]
                    .text
                    .strip_prefix("--name=")
                    .map(|name| crate::command::Word {
                        text: name.to_string(),
                        ..pair[1].clone()
                    }),
            })?;
        return Some(ContainerRef {
            word,
            creates: true,
        });
    }
    if !NAMES_CONTAINER.contains(&subcommand) {
        return None;
    }
    let valued = if subcommand == "exec" {
        EXEC_VALUED
    } else {
        CONTAINER_VALUED
    };
    let mut i = 2;
    while let Some(word) = words.get(i) {
        if !word.text.starts_with('-') {
            return Some(ContainerRef {
                word: word.clone(),
                creates: false,
            });
        }
        i += if valued.contains(&word.text.as_str()) {
            2
        } else {
            1
        };
    }
    None
}

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
    invocation.container = container(&invocation.words);
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

#[cfg(test)]
mod tests {
    use crate::command::parse;

    #[test]
    fn containers_named_and_created() {
        let named = |line: &str| {
            parse(line)
                .outer()
                .and_then(|i| i.container.clone())
                .map(|c| (c.word.text, c.creates))
        };
        assert_eq!(
            named("docker exec -it -u root shop-db-1 psql"),
            Some(("shop-db-1".into(), false))
        );
        assert_eq!(
            named("docker logs --tail 100 -f web"),
            Some(("web".into(), false))
        );
        assert_eq!(
            named("docker run --rm --name=pg -p 5432:5432 postgres"),
            Some(("pg".into(), true))
        );
        assert_eq!(named("docker run --rm postgres"), None);
        assert_eq!(named("docker ps"), None);
    }
}
