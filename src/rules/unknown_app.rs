use std::collections::{BTreeMap, BTreeSet};

use super::Cx;
use crate::command::{Platform, Word};
use crate::diagnostic::did_you_mean_text;

declare_rule! {
    /// ## What it does
    /// Checks the names platform CLIs take against the repository's platform manifests:
    /// the app of `fly ... -a NAME` (`--app`) against the `app` of `fly.toml` and every
    /// `fly.*.toml` (staging and production apps both count); the app of `cf push|restart|
    /// logs|scale|ssh|... APP` against the `applications` of Cloud Foundry `manifest.yml`
    /// files. An account holds apps no manifest here declares (a Fly Postgres app, another
    /// repository's service), so an app name is judged only when it is a near miss of a
    /// declared one, except for `cf push APP` against a manifest of several apps (cf
    /// refuses a name the manifest lacks). And the process types of `heroku ps:scale TYPE=N` and `heroku ps:restart|
    /// ps:stop TYPE` against the Procfile. `heroku run TYPE` is not checked: it runs a
    /// command (`heroku run rails console`), not a process type.
    ///
    /// It stays silent when a manifest of the platform is empty, unreadable, or names its
    /// app by a variable (what it declares is unknown), for placeholders (`$APP`, `<app>`),
    /// for apps the runbook creates (`fly apps create`, `fly launch`, `cf push NAME` when the
    /// manifest declares one app, which the name overrides), and without platform manifests.
    ///
    /// ## Why is this bad?
    /// `fly scale count 3 -a shop-prod` fails with `Could not find App "shop-prod"` when fly.toml
    /// says `app = "shop-production"`, and `heroku ps:scale worker=2` answers `Couldn't find
    /// that process type` when the Procfile calls it `jobs`: the scale-up meant to absorb an
    /// incident's load never happens.
    ///
    /// ## Example
    /// ```markdown
    /// fly scale count 3 -a shop-prod
    /// heroku ps:scale worker=2
    /// ```
    ///
    /// Use instead (the names fly.toml and the Procfile declare):
    /// ```markdown
    /// fly scale count 3 -a shop-production
    /// heroku ps:scale jobs=2
    /// ```
    pub struct UnknownApp {
        id: "unknown-app",
        severity: Error,
        summary: "a fly, heroku or cf command names an app or process type the platform manifests do not declare",
    }
}

impl UnknownApp {
    fn run(&self, cx: &mut Cx<'_, '_>) {
        let platform = &cx.project.platform;
        if platform.fly_apps.is_empty()
            && platform.cf_apps.is_empty()
            && platform.processes.is_empty()
        {
            return;
        }
        // Apps the runbook itself creates or pushes under a new name.
        let created: BTreeSet<String> = cx
            .doc
            .commands
            .iter()
            .flat_map(|c| &c.invocations)
            .flat_map(|i| created_apps(&i.words))
            .collect();
        for command in &cx.doc.commands {
            for invocation in command.invocations.iter().filter(|i| i.is_local()) {
                let Some(run) = &invocation.platform else {
                    continue;
                };
                let pushes = invocation.args().first().is_some_and(|a| a.text == "push");
                match run.platform {
                    Platform::Fly => {
                        if let Some(app) = &run.app {
                            if platform.fly_complete {
                                check_app(cx, app, &platform.fly_apps, "Fly app", &created, true);
                            }
                        }
                    }
                    Platform::CloudFoundry => {
                        // `cf push NAME` with a one-app manifest renames that app.
                        let renames = pushes && platform.cf_apps.len() < 2;
                        if let Some(app) = run.app.as_ref().filter(|_| !renames) {
                            if platform.cf_complete {
                                check_app(
                                    cx,
                                    app,
                                    &platform.cf_apps,
                                    "Cloud Foundry app",
                                    &created,
                                    !pushes,
                                );
                            }
                        }
                    }
                    Platform::Heroku => {
                        for process in &run.processes {
                            check_process(cx, process);
                        }
                    }
                    Platform::Ssh => {}
                }
            }
        }
    }
}

/// True for a word that is not a literal name: `$APP`, `<app>`, or `APP`/`TYPE` in capitals
/// (Fly app names and process types are lowercase by convention, Fly's by rule).
fn is_placeholder(text: &str) -> bool {
    text.is_empty()
        || text.contains(['$', '<', '>', '{', '[', '*', '`', '(', '%'])
        || text
            .chars()
            .all(|c| c.is_ascii_uppercase() || c == '_' || c == '-')
}

/// Apps `fly apps create NAME` / `fly launch --name NAME` / `cf push NAME` make.
fn created_apps(words: &[Word]) -> Vec<String> {
    let argv: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    match argv.as_slice() {
        [fly, "apps", "create", name, ..] if matches!(*fly, "fly" | "flyctl") => {
            vec![name.to_string()]
        }
        [fly, "launch", rest @ ..] if matches!(*fly, "fly" | "flyctl") => rest
            .windows(2)
            .filter(|pair| pair[0] == "--name")
            .map(|pair| pair[1].to_string())
            .collect(),
        _ => Vec::new(),
    }
}

fn check_app(
    cx: &mut Cx<'_, '_>,
    app: &Word,
    declared: &BTreeMap<String, String>,
    what: &str,
    created: &BTreeSet<String>,
    near_only: bool,
) {
    let name = app.text.as_str();
    if declared.is_empty()
        || declared.contains_key(name)
        || created.contains(name)
        || is_placeholder(name)
    {
        return;
    }
    let names: Vec<&str> = declared.keys().map(String::as_str).collect();
    // An account holds apps no manifest of this repository declares (a Fly Postgres app,
    // another repository's service): only a near miss of a declared name is judged.
    if near_only && crate::fix::closest(name, &names).is_none() {
        return;
    }
    let files: BTreeSet<&str> = declared.values().map(String::as_str).collect();
    let files: Vec<&str> = files.into_iter().collect();
    let listed: Vec<String> = declared
        .iter()
        .take(12)
        .map(|(app, file)| format!("`{app}` ({file})"))
        .collect();
    let available = format!("declared: {}", listed.join(", "));
    let help = match did_you_mean_text(name, names.iter().copied()) {
        Some(hint) => format!("{hint} ({available})"),
        None => available,
    };
    // `--app=NAME`: the name is the end of the word.
    let written = cx.source.get(app.span.start..app.span.end).unwrap_or("");
    let span = if written != name && written.ends_with(name) {
        crate::span::Span::new(app.span.end - name.len(), app.span.end)
    } else {
        app.span
    };
    let fix = crate::fix::did_you_mean_fix(cx.source, span, name, &names);
    let first = files.first().copied().unwrap_or("").to_string();
    cx.report(
        span,
        format!("{what} `{name}` is not declared in {}", files.join(", ")),
    )
    .label("no such app in the manifests")
    .help(help)
    .fix(fix)
    .checked(first);
}

fn check_process(cx: &mut Cx<'_, '_>, process: &Word) {
    let processes = &cx.project.platform.processes;
    let name = process.text.as_str();
    if processes.is_empty() || processes.contains(name) || is_placeholder(name) {
        return;
    }
    let names: Vec<&str> = processes.iter().map(String::as_str).collect();
    let listed: Vec<String> = names.iter().take(20).map(|n| format!("`{n}`")).collect();
    let available = format!("process types: {}", listed.join(", "));
    let help = match did_you_mean_text(name, names.iter().copied()) {
        Some(hint) => format!("{hint} ({available})"),
        None => available,
    };
    // The word is `worker=2`: the fix replaces the type only when the span is exactly it.
    let narrow = crate::span::Span::new(process.span.start, process.span.start + name.len());
    let (span, fix) = if cx.source.get(narrow.start..narrow.end) == Some(name) {
        let fix = crate::fix::did_you_mean_fix(cx.source, narrow, name, &names);
        (narrow, fix)
    } else {
        (process.span, None)
    };
    cx.report(
        span,
        format!("process type `{name}` is not in the Procfile"),
    )
    .label("no such process type")
    .help(help)
    .fix(fix)
    .checked("Procfile");
}
