use std::collections::BTreeSet;

use super::Cx;
use crate::command::Word;
use crate::diagnostic::did_you_mean_text;
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
    ///
    /// Likewise `docker compose --profile worker up` when the profile is `workers`, and
    /// `docker exec shop-api-1` when the service is `web` (`shop-web-1`).
    pub struct UnknownService {
        id: "unknown-service",
        severity: Error,
        summary: "a docker compose command names a service, profile or container the compose files do not define",
    }
}

impl UnknownService {
    fn run(&self, cx: &mut Cx<'_, '_>) {
        let compose = &cx.project.compose;
        if compose.files.is_empty() {
            return;
        }
        // What each distinct set of compose files offers, worked out once: per command, the
        // names of every service (and per finding, their listing) made a runbook of `docker
        // compose exec` lines against a large compose file quadratic in time and output.
        let mut offers: std::collections::HashMap<Vec<&str>, Offer<'_>> =
            std::collections::HashMap::new();
        for command in &cx.doc.commands {
            let Some(call) = command
                .invocations
                .iter()
                .filter(|i| i.is_local())
                .find_map(|i| i.compose.as_ref())
            else {
                continue;
            };
            if call.services.is_empty() && call.profiles.is_empty() {
                continue;
            }
            let Some(cwd) = cx.command_dir(command) else {
                continue;
            };
            let files: Vec<&ComposeFile> =
                if let (true, Some(project)) = (call.files.is_empty(), &call.project_directory) {
                    // `--project-directory dir`: the compose files of that directory only.
                    match cx.command_subdir(command, &project.text) {
                        Some(dir) => compose.files.iter().filter(|f| f.dir == dir).collect(),
                        None => continue,
                    }
                } else if call.files.is_empty() {
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
            // An empty or unreadable compose file (or one that includes others) declares
            // nothing we can judge by.
            if files.is_empty()
                || files.iter().any(|f| f.partial)
                || files.iter().all(|f| f.services.is_empty())
            {
                continue;
            }
            check_profiles(cx, &call.profiles, &files);
            let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
            let offer = offers.entry(paths).or_insert_with(|| Offer::new(&files));
            for word in &call.services {
                let name = word.text.as_str();
                if offer.names.contains(name)
                    || name.contains(['$', '<', '{', '[', '*'])
                    || name.chars().all(|c| c.is_ascii_digit())
                {
                    continue;
                }
                // `worker` for `celery-worker`: a whole part of a longer name is a good guess.
                let part_of = offer.parts.get(name).map(Vec::as_slice).unwrap_or_default();
                let hint = did_you_mean_text(name, offer.names.iter().copied()).or_else(|| {
                    (part_of.len() == 1).then(|| format!("did you mean `{}`?", part_of[0]))
                });
                let help = match hint {
                    Some(hint) => format!("{hint} ({})", offer.available),
                    None => offer.available.clone(),
                };
                let fix = service_fix(cx.source, word, &offer.sorted, part_of);
                cx.report(
                    word.span,
                    format!("service `{name}` is not defined in {}", offer.paths),
                )
                .label("no such compose service")
                .help(help)
                .fix(fix)
                .checked(offer.first_path);
            }
        }
        check_containers(cx);
    }
}

/// `--profile NAME` must be a profile some service of the files lists.
fn check_profiles(cx: &mut Cx<'_, '_>, profiles: &[Word], files: &[&ComposeFile]) {
    let known: BTreeSet<&str> = files
        .iter()
        .flat_map(|f| f.profiles.iter().map(String::as_str))
        .collect();
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for word in profiles {
        let name = word.text.as_str();
        // `--profile "*"` enables every profile.
        if known.contains(name) || name == "*" || name.contains(['$', '<', '{', '[']) {
            continue;
        }
        let listed: Vec<String> = known.iter().map(|p| format!("`{p}`")).collect();
        let available = if listed.is_empty() {
            "no service lists a profile: every service without one starts anyway".to_string()
        } else {
            format!("profiles: {}", listed.join(", "))
        };
        let help = match did_you_mean_text(name, known.iter().copied()) {
            Some(hint) => format!("{hint} ({available})"),
            None => available,
        };
        let names: Vec<&str> = known.iter().copied().collect();
        let fix = crate::fix::did_you_mean_fix(cx.source, word.span, name, &names);
        cx.report(
            word.span,
            format!("profile `{name}` is not used by any service in {}", paths.join(" or ")),
        )
        .label("no such compose profile")
        .help(help)
        .fix(fix)
        .checked(paths[0]);
    }
}

/// `docker exec NAME` (and `logs`, `restart`...): NAME must be a `container_name` of the
/// compose files, or the `<project>-<service>-<n>` name Compose gives a service's container.
/// Judged only where the name is plainly meant as a compose container: compose-style
/// (`-1` at the end) or one letter off a `container_name`.
fn check_containers(cx: &mut Cx<'_, '_>) {
    let compose = &cx.project.compose;
    if compose.files.is_empty()
        || compose.files.iter().any(|f| f.partial)
        || compose.files.iter().all(|f| f.services.is_empty())
    {
        return;
    }
    let created: BTreeSet<&str> = cx
        .doc
        .commands
        .iter()
        .flat_map(|c| &c.invocations)
        .filter_map(|i| i.container.as_ref())
        .filter(|c| c.creates)
        .map(|c| c.word.text.as_str())
        .collect();
    let services: BTreeSet<&str> = compose
        .files
        .iter()
        .flat_map(|f| f.services.iter().map(|(n, _)| n.as_str()))
        .collect();
    let containers: BTreeSet<&str> = compose
        .files
        .iter()
        .flat_map(|f| f.container_names.iter().map(String::as_str))
        .collect();
    let paths: Vec<&str> = compose.files.iter().map(|f| f.path.as_str()).collect();
    let mut findings = Vec::new();
    for command in &cx.doc.commands {
        let Some(container) = command
            .invocations
            .iter()
            .filter(|i| i.is_local())
            .find_map(|i| i.container.as_ref())
        else {
            continue;
        };
        let name = container.word.text.as_str();
        if container.creates
            || created.contains(name)
            || containers.contains(name)
            || name.contains(['$', '<', '{', '[', '*', '(', '`'])
        {
            continue;
        }
        let replica = compose_replica(name);
        if let Some((stem, _, _)) = replica {
            if services.iter().any(|s| {
                stem.strip_suffix(s)
                    .is_some_and(|p| p.ends_with(['-', '_']) && p.len() > 1)
            }) {
                continue;
            }
        }
        let suggestion = match replica {
            Some((stem, separator, number)) => {
                let project = stem.rsplit_once(separator).map(|(p, _)| p).unwrap_or(stem);
                let candidates: Vec<String> = services
                    .iter()
                    .map(|s| format!("{project}{separator}{s}{separator}{number}"))
                    .chain(containers.iter().map(|c| c.to_string()))
                    .collect();
                crate::fix::closest(name, &candidates).map(|(c, _)| c.to_string())
            }
            None => match crate::fix::closest(name, &containers.iter().copied().collect::<Vec<_>>()) {
                Some((close, _)) => Some(close.to_string()),
                None => continue,
            },
        };
        findings.push((container.word.clone(), suggestion));
    }
    let listed: Vec<String> = services.iter().take(LISTED_SERVICES).map(|s| format!("`{s}`")).collect();
    for (word, suggestion) in findings {
        let name = word.text.as_str();
        let mut help = format!(
            "Compose names a service's container `<project>-<service>-<n>` unless it sets `container_name`; services: {}",
            listed.join(", ")
        );
        if !containers.is_empty() {
            let named: Vec<String> = containers.iter().map(|c| format!("`{c}`")).collect();
            help.push_str(&format!("; container names: {}", named.join(", ")));
        }
        let fix = suggestion.as_ref().and_then(|s| {
            crate::fix::replacement_fix(cx.source, word.span, name, s, crate::fix::Applicability::Unsafe)
        });
        if let Some(s) = &suggestion {
            help = format!("did you mean `{s}`? ({help})");
        }
        cx.report(
            word.span,
            format!("container `{name}` is not a container of {}", paths.join(" or ")),
        )
        .label("no such compose container")
        .help(help)
        .fix(fix)
        .checked(paths[0]);
    }
}

/// `shop-db-1` → (`shop-db`, '-', "1"); `shop_db_1` (Compose v1) → (`shop_db`, '_', "1").
fn compose_replica(name: &str) -> Option<(&str, char, &str)> {
    let (stem, number) = name.rsplit_once(['-', '_'])?;
    let separator = name[stem.len()..].chars().next()?;
    (!number.is_empty() && number.chars().all(|c| c.is_ascii_digit()) && stem.contains(separator))
        .then_some((stem, separator, number))
}

/// The services a set of compose files defines, for checking and for help texts.
struct Offer<'a> {
    names: BTreeSet<&'a str>,
    /// The same names, in order, for the fixes.
    sorted: Vec<&'a str>,
    /// The first compose file, the one a finding is checked against.
    first_path: &'a str,
    /// Each `-`/`_` part of a name → the names holding it.
    parts: std::collections::HashMap<&'a str, Vec<&'a str>>,
    /// `services: `a`, `b` and 3 more`.
    available: String,
    /// `compose.yaml or compose.override.yaml`.
    paths: String,
}

/// Services listed by name in a help; the rest are counted.
const LISTED_SERVICES: usize = 20;

impl<'a> Offer<'a> {
    fn new(files: &[&'a ComposeFile]) -> Self {
        let names: BTreeSet<&str> = files
            .iter()
            .flat_map(|f| f.services.iter().map(|(n, _)| n.as_str()))
            .collect();
        let mut parts: std::collections::HashMap<&str, Vec<&str>> =
            std::collections::HashMap::new();
        for name in &names {
            let mut seen: Vec<&str> = Vec::new();
            for part in name.split(['-', '_']) {
                if !seen.contains(&part) {
                    seen.push(part);
                    parts.entry(part).or_default().push(name);
                }
            }
        }
        let listed: Vec<String> = names
            .iter()
            .take(LISTED_SERVICES)
            .map(|n| format!("`{n}`"))
            .collect();
        let more = names.len().saturating_sub(LISTED_SERVICES);
        let available = if more > 0 {
            format!("services: {} and {more} more", listed.join(", "))
        } else {
            format!("services: {}", listed.join(", "))
        };
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        Offer {
            sorted: names.iter().copied().collect(),
            first_path: paths.first().copied().unwrap_or(""),
            names,
            parts,
            available,
            paths: paths.join(" or "),
        }
    }
}

/// The did-you-mean as an edit; else the one service the name is a whole part of (unsafe).
fn service_fix(
    source: &str,
    word: &Word,
    names: &[&str],
    part_of: &[&str],
) -> Option<crate::fix::Fix> {
    match part_of {
        [one] if crate::fix::closest(&word.text, names).is_none() => crate::fix::replacement_fix(
            source,
            word.span,
            &word.text,
            one,
            crate::fix::Applicability::Unsafe,
        ),
        _ => crate::fix::did_you_mean_fix(source, word.span, &word.text, names),
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
                    services: vec![
                        ("web".into(), Span::default()),
                        ("celery-worker".into(), Span::default()),
                    ],
                    ..ComposeFile::new("compose.yaml")
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
