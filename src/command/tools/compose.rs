//! Docker Compose (`docker compose`, `docker-compose`, `podman-compose`): the files and env
//! files it reads (`-f`, `--env-file`, `--project-directory`), its subcommand, the services it
//! names, and `exec`/`run`, which run a command in a service's container.

use super::Carrier;
use crate::command::invocation::{ExecLocation, Runtime};
use crate::command::shell::Word;

/// A `docker compose` command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeRun {
    /// `-f`/`--file` values, as written.
    pub files: Vec<Word>,
    /// `--env-file` values (global or of the subcommand).
    pub env_files: Vec<Word>,
    /// `--project-directory` value: where the default compose files are looked for.
    pub project_directory: Option<Word>,
    /// The subcommand (`up`, `exec`, `logs`, ...).
    pub subcommand: String,
    /// Service words: all positionals of `up`, `logs`, `restart`...; the first of `exec`/`run`.
    pub services: Vec<Word>,
    /// `--profile` values, before or (wrongly) after the subcommand.
    pub profiles: Vec<Word>,
    /// Index of the subcommand among the invocation's words.
    pub subcommand_index: usize,
    /// Global options written after the subcommand, which Compose v2 rejects
    /// (`docker compose up --profile jobs`).
    pub misplaced: Vec<MisplacedOption>,
    /// `exec`/`run` with `-T` (`--no-TTY`): no pseudo-terminal, so stdin may be a file.
    pub no_tty: bool,
}

/// A global option of `docker compose` written after the subcommand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MisplacedOption {
    /// The option as written (`--profile`, `-f`, `--env-file=.env.ci`).
    pub option: String,
    /// Indexes of its words among the invocation's words: the option, then its value when
    /// that is a separate word.
    pub words: std::ops::Range<usize>,
}

/// Global options only (no subcommand has them): misplaced wherever they follow one.
const GLOBAL_ONLY: &[&str] = &[
    "--profile",
    "--project-name",
    "--project-directory",
    "--file",
];

/// Subcommands where `-p` is not an option of their own (it is `run`'s `--publish`).
const P_IS_GLOBAL_AFTER: &[&str] = &[
    "up", "down", "exec", "logs", "restart", "stop", "start", "build", "pull", "ps", "config",
    "create", "kill", "pause", "unpause", "push", "top",
];

/// Subcommands where `-f` is not an option of their own (it is `logs --follow`,
/// `rm --force`...): there a `-f x.yml` is a misplaced compose file.
const F_IS_GLOBAL_AFTER: &[&str] = &[
    "up", "down", "exec", "run", "restart", "stop", "start", "build", "pull", "config", "create",
    "push",
];

/// The global option a word after `subcommand` is, when the subcommand has no option of that
/// name: `(option, takes_a_separate_value)`.
fn misplaced_option<'a>(
    subcommand: &str,
    word: &'a str,
    next: Option<&str>,
) -> Option<(&'a str, bool)> {
    let (flag, inline) = match word.split_once('=') {
        Some((flag, _)) if flag.starts_with('-') => (flag, true),
        _ => (word, false),
    };
    let misplaced = match flag {
        _ if GLOBAL_ONLY.contains(&flag) => true,
        // `docker compose run --env-file` is `run`'s own option.
        "--env-file" => subcommand != "run",
        "-p" => {
            P_IS_GLOBAL_AFTER.contains(&subcommand)
                && (inline || next.is_some_and(|v| !v.starts_with('-') && !v.contains(':')))
        }
        "-f" => {
            F_IS_GLOBAL_AFTER.contains(&subcommand)
                && (inline || next.is_some_and(|v| v.ends_with(".yml") || v.ends_with(".yaml")))
        }
        _ => false,
    };
    misplaced.then_some((flag, !inline))
}

/// Subcommands whose positional words are all services.
const ALL_SERVICES: &[&str] = &[
    "logs", "restart", "up", "stop", "start", "rm", "build", "pull", "ps", "top", "kill", "create",
    "pause", "unpause", "push",
];

/// Options of `exec` that take a value.
const EXEC_VALUED: &[&str] = &["-e", "--env", "-u", "--user", "-w", "--workdir", "--index"];

/// Options of `run` that take a value.
const RUN_VALUED: &[&str] = &[
    "-e",
    "--env",
    "-u",
    "--user",
    "-w",
    "--workdir",
    "--name",
    "--entrypoint",
    "-p",
    "--publish",
    "-v",
    "--volume",
    "-l",
    "--label",
    "--cap-add",
    "--cap-drop",
    "--env-from-file",
    "--pull",
];

/// Options of the other subcommands that take a value (the value is not a service).
const VALUED: &[&str] = &[
    "-e",
    "--env",
    "-u",
    "--user",
    "-w",
    "--workdir",
    "--name",
    "--entrypoint",
    "-p",
    "--publish",
    "-v",
    "--volume",
    "--index",
    "-l",
    "--label",
    "--tail",
    "-n",
    "-t",
    "--timeout",
    "--since",
    "--until",
    "--scale",
    "-s",
    "--signal",
    "--wait-timeout",
    "--pull",
    "--exit-code-from",
    "--attach",
    "--no-attach",
    "--build-arg",
    "--progress",
    "--cap-add",
    "--cap-drop",
    "--format",
    "--filter",
    "--ssh",
    "--builder",
    "-m",
    "--memory",
    "--status",
    "--env-from-file",
    "--policy",
    "--profile",
];

/// Global compose options that take a value.
const GLOBAL_VALUED: &[&str] = &[
    "-f",
    "--file",
    "-p",
    "--project-name",
    "--profile",
    "--env-file",
    "--project-directory",
    "--ansi",
    "--parallel",
    "--progress",
    "-c",
    "--context",
    "-H",
    "--host",
    "--log-level",
];

/// Index of the first word after the compose program (`docker compose` or `docker-compose`).
pub(super) fn start(argv: &[&str], i: usize) -> Option<usize> {
    match argv.get(i)? {
        &"docker-compose" | &"podman-compose" => Some(i + 1),
        &"docker" | &"podman" if argv.get(i + 1) == Some(&"compose") => Some(i + 2),
        _ => None,
    }
}

/// The parsed command line, and where the command of `exec`/`run` starts.
fn parse(words: &[Word], start: usize) -> Option<(ComposeRun, Option<usize>)> {
    let mut run = ComposeRun {
        files: Vec::new(),
        env_files: Vec::new(),
        project_directory: None,
        subcommand: String::new(),
        services: Vec::new(),
        profiles: Vec::new(),
        subcommand_index: 0,
        misplaced: Vec::new(),
        no_tty: false,
    };
    let mut i = start;
    let value_word = |word: &Word, value: &str| Word {
        text: value.to_string(),
        span: word.span,
        quoted: word.quoted,
    };
    while i < words.len() {
        let text = words[i].text.as_str();
        if let Some((flag, value)) = text.split_once('=').filter(|(f, _)| f.starts_with('-')) {
            match flag {
                "-f" | "--file" => run.files.push(value_word(&words[i], value)),
                "--env-file" => run.env_files.push(value_word(&words[i], value)),
                "--project-directory" => run.project_directory = Some(value_word(&words[i], value)),
                "--profile" => run.profiles.push(value_word(&words[i], value)),
                _ => {}
            }
            i += 1;
            continue;
        }
        if GLOBAL_VALUED.contains(&text) {
            if let Some(value) = words.get(i + 1) {
                match text {
                    "-f" | "--file" => run.files.push(value.clone()),
                    "--env-file" => run.env_files.push(value.clone()),
                    "--project-directory" => run.project_directory = Some(value.clone()),
                    "--profile" => run.profiles.push(value.clone()),
                    _ => {}
                }
            }
            i += 2;
            continue;
        }
        if text.starts_with('-') {
            i += 1;
            continue;
        }
        run.subcommand = text.to_string();
        run.subcommand_index = i;
        i += 1;
        break;
    }
    if run.subcommand.is_empty() {
        return None;
    }
    let (valued, first_only, names_services) = match run.subcommand.as_str() {
        "exec" => (EXEC_VALUED, true, true),
        "run" => (RUN_VALUED, true, true),
        other if ALL_SERVICES.contains(&other) => (VALUED, false, true),
        _ => (VALUED, false, false),
    };
    while i < words.len() {
        let text = words[i].text.as_str();
        let next = words.get(i + 1).map(|w| w.text.as_str());
        if let Some((option, separate)) = misplaced_option(&run.subcommand, text, next) {
            let end = if separate {
                (i + 2).min(words.len())
            } else {
                i + 1
            };
            // The value, as the author meant it, still counts (a file, a profile).
            let value = if separate {
                words.get(i + 1).cloned()
            } else {
                text.split_once('=').map(|(_, v)| value_word(&words[i], v))
            };
            if let Some(value) = value {
                match option {
                    "-f" | "--file" => run.files.push(value),
                    "--env-file" => run.env_files.push(value),
                    "--profile" => run.profiles.push(value),
                    _ => {}
                }
            }
            run.misplaced.push(MisplacedOption {
                option: option.to_string(),
                words: i..end,
            });
            i = end;
            continue;
        }
        i += 1;
        if text == "--env-file" {
            if let Some(value) = words.get(i) {
                run.env_files.push(value.clone());
            }
            i += 1;
            continue;
        }
        if text.starts_with('-') {
            if first_only && is_no_tty(text) {
                run.no_tty = true;
            }
            if valued.contains(&text) {
                i += 1;
            }
            continue;
        }
        if !names_services {
            continue;
        }
        run.services.push(words[i - 1].clone());
        if first_only {
            return Some((run, Some(i)));
        }
    }
    Some((run, None))
}

/// `-T`, `--no-TTY`, `--no-tty`, or short options bundled with `T` (`-iT`).
fn is_no_tty(word: &str) -> bool {
    matches!(word, "--no-TTY" | "--no-tty")
        || word.strip_prefix('-').is_some_and(|short| {
            !short.starts_with('-')
                && short.contains('T')
                && short.chars().all(|c| c.is_ascii_alphabetic())
        })
}

/// The compose command line of `words` (program first), if it is one.
pub(super) fn compose_run(words: &[Word]) -> Option<ComposeRun> {
    let argv: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    let start = start(&argv, 0)?;
    parse(words, start).map(|(run, _)| run)
}

/// `docker compose [options] exec|run [options] SERVICE COMMAND...` runs COMMAND in the
/// service's container.
pub(super) fn carrier(argv: &[&str], i: usize) -> Option<Carrier> {
    let start = start(argv, i)?;
    let words: Vec<Word> = argv
        .iter()
        .map(|text| Word {
            text: text.to_string(),
            span: Default::default(),
            quoted: false,
        })
        .collect();
    let (run, inner) = parse(&words, start)?;
    let inner = inner?;
    Some(Carrier {
        inner: inner..argv.len(),
        location: ExecLocation::Container {
            runtime: Runtime::Compose,
            name: run.services[0].text.clone(),
        },
    })
}

#[cfg(test)]
mod tests {
    use crate::command::parse;

    #[test]
    fn files_services_and_the_command_run_in_a_service() {
        let command = parse("docker compose -f a.yml --env-file=.env.ci --project-directory ops logs --tail 100 worker web");
        let run = command.invocation().unwrap().compose.clone().unwrap();
        let texts = |words: &[crate::command::Word]| -> Vec<String> {
            words.iter().map(|w| w.text.clone()).collect()
        };
        assert_eq!(texts(&run.files), vec!["a.yml"]);
        assert_eq!(texts(&run.env_files), vec![".env.ci"]);
        assert_eq!(run.project_directory.unwrap().text, "ops");
        assert_eq!(texts(&run.services), vec!["worker", "web"]);

        let command = parse("docker-compose run --rm -e X=1 web python manage.py flush");
        let outer = command.outer().unwrap().compose.clone().unwrap();
        assert_eq!(outer.subcommand, "run");
        assert_eq!(texts(&outer.services), vec!["web"]);
        assert_eq!(
            command.invocation().unwrap().argv(),
            vec!["manage.py", "flush"]
        );
        assert!(parse("docker compose -f x.yml").invocations[0]
            .compose
            .is_none());
    }
}
