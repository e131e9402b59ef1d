use std::collections::BTreeSet;

use super::{declare_rule, Rule, RuleContext, RuleMeta};
use crate::command::shell::Word;
use crate::diagnostic::{did_you_mean_text, Diagnostic, Severity};
use crate::facts::compose::ComposeFile;

declare_rule! {
    /// ## What it does
    /// Checks that `docker compose` and `docker-compose` commands (`exec`, `run`, `logs`,
    /// `restart`, `up`, `stop`, `start`, `rm`, `build`, `pull`, `ps`, `top`, `kill`) name
    /// services that the compose file(s) they use define. The files are those given with
    /// `-f`, else the compose files of the command's directory (or the nearest parent that has
    /// any). Files that `include` or `extends` others are not checked.
    ///
    /// ## Why is this bad?
    /// `docker compose exec worker` fails with `service "worker" is not running` or `no such
    /// service` when the service is called `celery-worker`; the on-call engineer loses minutes
    /// in an incident finding the real name.
    ///
    /// ## Example
    /// ```markdown
    /// docker compose exec worker celery inspect active
    /// ```
    ///
    /// Use instead (the service name compose.yaml defines):
    /// ```markdown
    /// docker compose exec celery-worker celery inspect active
    /// ```
    pub struct UnknownService {
        id: "unknown-service",
        severity: Error,
        summary: "a docker compose command names a service the compose file does not define",
    }
}

/// Subcommands whose positional words are all services.
const ALL_SERVICES: &[&str] = &[
    "logs", "restart", "up", "stop", "start", "rm", "build", "pull", "ps", "top", "kill", "create",
    "pause", "unpause", "push",
];
/// Subcommands whose first positional word is a service, the rest a command.
const FIRST_SERVICE: &[&str] = &["exec", "run"];

/// Options of compose subcommands that take a value (the value is not a service).
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

/// A parsed compose invocation.
pub(crate) struct ComposeCall<'a> {
    /// `-f` files, as written.
    pub files: Vec<&'a Word>,
    /// `--env-file` values.
    pub env_files: Vec<&'a Word>,
    /// The subcommand.
    pub subcommand: Option<&'a str>,
    /// Service words.
    pub services: Vec<&'a Word>,
}

/// Parses `docker compose ...` or `docker-compose ...`; `None` for other commands.
pub(crate) fn compose_call(words: &[Word]) -> Option<ComposeCall<'_>> {
    let start = match words.first()?.text.as_str() {
        "docker-compose" | "podman-compose" => 1,
        "docker" | "podman" if words.get(1)?.text == "compose" => 2,
        _ => return None,
    };
    let mut call = ComposeCall {
        files: Vec::new(),
        env_files: Vec::new(),
        subcommand: None,
        services: Vec::new(),
    };
    let mut i = start;
    while i < words.len() {
        let text = words[i].text.as_str();
        if let Some((flag, _)) = text.split_once('=').filter(|(f, _)| f.starts_with('-')) {
            let _ = flag;
            i += 1;
            continue;
        }
        if GLOBAL_VALUED.contains(&text) {
            if let Some(value) = words.get(i + 1) {
                match text {
                    "-f" | "--file" => call.files.push(value),
                    "--env-file" => call.env_files.push(value),
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
        call.subcommand = Some(text);
        i += 1;
        break;
    }
    let subcommand = call.subcommand?;
    let first_only = FIRST_SERVICE.contains(&subcommand);
    if !first_only && !ALL_SERVICES.contains(&subcommand) {
        return Some(call);
    }
    while i < words.len() {
        let text = words[i].text.as_str();
        i += 1;
        if text == "--env-file" {
            if let Some(value) = words.get(i) {
                call.env_files.push(value);
            }
            i += 1;
            continue;
        }
        if text.starts_with('-') {
            if VALUED.contains(&text) {
                i += 1;
            }
            continue;
        }
        call.services.push(&words[i - 1]);
        if first_only {
            break;
        }
    }
    Some(call)
}

impl Rule for UnknownService {
    fn meta(&self) -> RuleMeta<'_> {
        Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let compose = &cx.project.compose;
        if compose.files.is_empty() {
            return;
        }
        for command in &cx.doc.commands {
            let Some(call) = compose_call(&command.words) else {
                continue;
            };
            if call.services.is_empty() {
                continue;
            }
            let Some(cwd) = cx.command_dir(command) else {
                continue;
            };
            let files: Vec<&ComposeFile> = if call.files.is_empty() {
                compose.default_files(&cwd)
            } else {
                let mut selected = Vec::new();
                for word in &call.files {
                    let found = crate::paths::join(&cwd, &word.text)
                        .and_then(|p| compose.file(&p))
                        .or_else(|| {
                            crate::paths::join("", &word.text).and_then(|p| compose.file(&p))
                        });
                    match found {
                        Some(file) => selected.push(file),
                        None => {
                            selected.clear();
                            break; // a file we could not read: its services are unknown
                        }
                    }
                }
                selected
            };
            if files.is_empty() || files.iter().any(|f| f.partial) {
                continue;
            }
            let names: BTreeSet<&str> = files
                .iter()
                .flat_map(|f| f.services.iter().map(|(n, _)| n.as_str()))
                .collect();
            for word in &call.services {
                let name = word.text.as_str();
                if names.contains(name)
                    || name.contains(['$', '<', '{', '[', '*'])
                    || name.chars().all(|c| c.is_ascii_digit())
                {
                    continue;
                }
                let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
                let listed: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                let available = format!("services: {}", listed.join(", "));
                // `worker` for `celery-worker`: a whole part of a longer name is a good guess.
                let part_of: Vec<&str> = names
                    .iter()
                    .copied()
                    .filter(|n| n.split(['-', '_']).any(|part| part == name))
                    .collect();
                let hint = did_you_mean_text(name, names.iter().copied()).or_else(|| {
                    (part_of.len() == 1).then(|| format!("did you mean `{}`?", part_of[0]))
                });
                let help = match hint {
                    Some(hint) => format!("{hint} ({available})"),
                    None => available,
                };
                out.push(
                    Diagnostic::new(
                        Self::META.id,
                        Severity::Error,
                        word.span,
                        format!("service `{name}` is not defined in {}", paths.join(" or ")),
                    )
                    .with_label("no such compose service")
                    .with_help(help),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::compose::ComposeFacts;
    use crate::rules::testing::check;
    use crate::span::Span;

    #[test]
    fn reports_unknown_services_with_suggestion() {
        let facts = crate::facts::ProjectFacts {
            compose: ComposeFacts {
                files: vec![ComposeFile {
                    path: "compose.yaml".into(),
                    dir: String::new(),
                    services: vec![
                        ("web".into(), Span::default()),
                        ("celery-worker".into(), Span::default()),
                    ],
                    profiles: BTreeSet::new(),
                    partial: false,
                }],
            },
            ..Default::default()
        };
        let md = "```bash\ndocker compose exec -u root web bash\ndocker compose -f compose.yaml logs --tail 100 worker web\ndocker-compose restart celery-worker\ndocker compose -f other.yml up nothing\n```\n";
        let found = check(&UnknownService, md, &facts);
        assert_eq!(
            found,
            vec![(
                3,
                "service `worker` is not defined in compose.yaml".to_string()
            )]
        );
    }
}
