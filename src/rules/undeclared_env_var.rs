use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::LazyLock;

use super::{Cx, RuleContext};
use crate::command::EnvStore;
use crate::document::{EnvContext, EnvRef, EnvRefKind};
use crate::facts::env::{EnvDecl, EnvFacts, Role};
use crate::fix::{did_you_mean_fix, replacement_fix, Applicability, Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Checks that every environment variable a runbook names is declared where the service
    /// reads its environment: `render.yaml` (`envVars`, `envVarGroups`), Docker Compose
    /// (`environment`, `env_file`, `${VAR}` interpolation), every committed env template
    /// (`.env.example`, `sample.env`, `.env.template`, also when `.gitignore` hides it: the
    /// git index says what is committed), `fly.toml` `[env]`, `app.json`, `vercel.json`,
    /// Kubernetes manifests (a container's `env` and `envFrom`, Secret and ConfigMap keys),
    /// Helm `values*.yaml` (`env`, `extraEnv`, `extraEnvVars` maps and lists), GitHub Actions
    /// workflows (`env:` keys, `secrets.X`, `vars.X`), Terraform `variable "x"` (for
    /// `TF_VAR_x`), dev containers and Dockerfile `ENV`/`ARG`.
    ///
    /// A runbook names variables in many shapes, and each is read:
    /// - tables whose header names a variable column (`Variable`, `Name`, `Key`, `Env var`,
    ///   `Secret`), under any heading; a row whose `Required` column says no, whose
    ///   `Optional` column says yes, or that gives a default value is optional and silent;
    /// - backticked names in the checklists, lists and tables of sections about environment,
    ///   secrets or configuration, and list items that start with a backticked name;
    /// - `KEY=value` lines of env-file blocks (```` ```env ````, ```` ```dotenv ````,
    ///   ```` ```ini ````, or a block of such lines after "create `.env`" or "set these
    ///   variables");
    /// - variables that secret-setting commands store: `fly secrets set NAME=value`,
    ///   `heroku config:set`, `render env set`, `vercel env add`,
    ///   `kubectl create secret ... --from-literal=K=V` (checked against the manifests);
    ///   `gh secret set` (checked against the workflows' `secrets.NAME`); `railway variables
    ///   set`, `doppler secrets set`, `aws ssm put-parameter --name .../X` (these platforms
    ///   have no manifest: the runbook declares the variable there);
    /// - `$KEY` read by a command in a production step that nothing sets: not the runbook
    ///   (an earlier `export`, assignment, `read`, secret-setting command, or a mention in its
    ///   text) and not a manifest;
    /// - elsewhere, `$KEY`, `KEY=value cmd`, `export KEY=` and `KEY=value` in inline code are
    ///   usually the operator's own shell variables: they are reported under headings about
    ///   environment variables, secrets or configuration, or when one edit from a declared
    ///   name (a typo or a rename).
    ///
    /// Not reported: variables the platform injects (`PORT`, `RENDER_*`, `FLY_*`, `VERCEL_*`,
    /// `DYNO`, `K_SERVICE`...), CI variables (`CI`, `GITHUB_*`, `RUNNER_*`...), shell
    /// variables (`HOME`, `PATH`...), variables tools read themselves (`PGPASSWORD`,
    /// `AWS_PROFILE`, `DOCKER_HOST`, `KUBECONFIG`, `NODE_ENV`...), placeholder names
    /// (`YOUR_*`, `FOO`); the lists are in `rules/env-builtins.toml`. Names listed under
    /// `allow-env` in the config (globs such as `STRIPE_*` allowed) or in a comment of the
    /// runbook, `<!-- runbook-lint allow-env FEATURE_* LEGACY_TOKEN -->`, are not reported
    /// either. The rule is silent in a project with no application env manifest (a CI
    /// workflow or a Dockerfile alone does not list what the application reads).
    ///
    /// The message names where the variable was expected (the production service's
    /// manifests first), and the help the declared name it most likely means: one edit away,
    /// the same name with a prefix or suffix (`PAYMENTS_KEY` / `ACME_PAYMENTS_KEY`,
    /// `API_URL` / `NEXT_PUBLIC_API_URL`), or another spelling of a word (`URI` / `URL`,
    /// `DB` / `DATABASE`, `ORG` / `ORGANIZATION`), with the manifest that declares it.
    ///
    /// ## Why is this bad?
    /// A variable the checklist requires but no manifest declares is never set on the
    /// platform: the deploy goes out with it missing, or the runbook is asking for a variable
    /// that was renamed long ago. A production step reading a variable nobody sets runs with
    /// an empty value.
    ///
    /// ## Example
    /// ```markdown
    /// - [ ] `AUTH0_JWKS_URI` is set in the dashboard
    /// ```
    ///
    /// with a render.yaml that declares `AUTH0_JWKS_URL`. Use instead: fix the name to the
    /// one the manifests use, or declare it (in render.yaml, with `sync: false` for a secret):
    /// ```yaml
    /// envVars:
    ///   - key: AUTH0_JWKS_URI
    ///     sync: false
    /// ```
    pub struct UndeclaredEnvVar {
        id: "undeclared-env-var",
        severity: Warning,
        summary: "an env var the runbook refers to is declared by no env manifest",
        options: UndeclaredEnvVarOptions,
    }
}

/// Options of `undeclared-env-var`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct UndeclaredEnvVarOptions {
    /// Variables that need no declaration (globs allowed).
    #[serde(default)]
    pub allow_env: Vec<String>,
}

impl super::RuleOptions for UndeclaredEnvVarOptions {
    const DOCS: &'static str = "- `allow-env` (default none): env var names that need no declaration, such as those the platform or a secret manager sets; `*` matches any run of characters (`[\"RENDER_EXTERNAL_URL\", \"STRIPE_*\"]`). Also read as a top-level key of the config. A runbook may add its own with `<!-- runbook-lint allow-env NAME OTHER_* -->`.";
}

/// One table of `rules/env-builtins.toml`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct BuiltinGroup {
    why: String,
    names: Vec<String>,
    prefixes: Vec<String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Builtins {
    shell: BuiltinGroup,
    ci: BuiltinGroup,
    platform: BuiltinGroup,
    tool: BuiltinGroup,
    placeholder: BuiltinGroup,
}

impl Builtins {
    fn groups(&self) -> [&BuiltinGroup; 5] {
        [
            &self.shell,
            &self.ci,
            &self.platform,
            &self.tool,
            &self.placeholder,
        ]
    }
}

static BUILTINS: LazyLock<Builtins> = LazyLock::new(|| {
    toml::from_str(include_str!("../../rules/env-builtins.toml"))
        .expect("rules/env-builtins.toml is valid (unit-tested)")
});

/// Why a variable needs no declaration, when the shell, CI, the platform or a tool sets or
/// reads it itself (`None`: it is the application's).
pub fn builtin_reason(name: &str) -> Option<&'static str> {
    BUILTINS
        .groups()
        .into_iter()
        .find(|g| {
            g.names.iter().any(|n| n == name) || g.prefixes.iter().any(|p| name.starts_with(p.as_str()))
        })
        .map(|g| g.why.as_str())
}

/// True for a variable the shell, CI, the platform or a well-known tool sets or reads itself.
pub fn is_builtin(name: &str) -> bool {
    builtin_reason(name).is_some()
}

/// True when `name` matches `pattern`, where `*` is any run of characters and `?` one.
fn glob_match(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    // Iterative wildcard matching with one backtrack point: linear in practice.
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < n.len() {
        if i < p.len() && (p[i] == '?' || p[i] == n[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some((i, j));
            i += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    p[i..].iter().all(|c| *c == '*')
}

/// Names a runbook allows with `<!-- runbook-lint allow-env NAME OTHER_* -->`.
fn inline_allowed(doc: &crate::document::Document) -> Vec<String> {
    doc.html_comments
        .iter()
        .filter_map(|c| {
            let rest = c.body.strip_prefix("runbook-lint")?.trim_start();
            let rest = rest.strip_prefix(':').unwrap_or(rest).trim_start();
            rest.strip_prefix("allow-env")
        })
        .flat_map(|list| {
            list.split(|c: char| c.is_whitespace() || c == ',')
                .filter(|n| !n.is_empty())
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Headings under which a command's variables are the application's configuration: narrower
/// than the words for listed names, since "Production environment" heads ordinary deploy steps.
const VARIABLE_SECTION_WORDS: &[&str] = &[
    "environment variables",
    "environment variable",
    "env vars",
    "env var",
    "variables",
    "secrets",
    "configuration",
];

/// Prefixes frameworks require for variables exposed to the browser.
const FRAMEWORK_PREFIXES: &[&str] = &[
    "NEXT_PUBLIC_",
    "VITE_",
    "REACT_APP_",
    "NUXT_PUBLIC_",
    "EXPO_PUBLIC_",
    "PUBLIC_",
    "GATSBY_",
];

/// Words that are spelt more than one way in variable names: one spelling stands for the
/// others when names are compared.
const SPELLINGS: &[&[&str]] = &[
    &["URL", "URI"],
    &["DB", "DATABASE"],
    &["PASSWORD", "PASS", "PASSWD", "PWD"],
    &["ORG", "ORGANIZATION", "ORGANISATION"],
    &["ENV", "ENVIRONMENT"],
    &["CONN", "CONNECTION"],
    &["ADDR", "ADDRESS"],
    &["CONFIG", "CONF", "CFG"],
    &["SECRET", "SECRETS"],
    &["KEY", "KEYS"],
    &["TOKEN", "TOKENS"],
    &["HOSTNAME", "HOST"],
    &["USERNAME", "USER"],
    &["APIKEY", "API_KEY"],
];

/// A name with each word in one spelling and the underscores dropped: `AUTH0_JWKS_URI` and
/// `AUTH0_JWKS_URL` are both `AUTH0JWKSURL`.
fn normalized(name: &str) -> String {
    name.split('_')
        .map(|word| {
            SPELLINGS
                .iter()
                .find(|group| group.contains(&word))
                .map_or(word, |group| group[0])
        })
        .collect::<Vec<_>>()
        .join("")
        .replace('_', "")
}

/// Why a declared name is offered for another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Likeness {
    /// One or two edits apart (`DATABSE_URL`).
    Typo,
    /// The same words, spelt another way (`URI` / `URL`, `ORG_ID` / `ORGANIZATION_ID`).
    Spelling,
    /// The same name with words added before or after (`API_URL` / `NEXT_PUBLIC_API_URL`,
    /// `AAI_DEFAULT_OPENAI_API_KEY` / `OPENAI_API_KEY`).
    Affix,
}

/// How `declared` resembles `name`, if it does.
fn likeness(name: &str, declared: &str, name_norm: &str) -> Option<Likeness> {
    if name == declared {
        return None;
    }
    let chars = name.chars().count();
    let allowed = if chars >= 10 { 2 } else { 1 };
    if chars >= 6
        && declared.chars().count().abs_diff(chars) <= allowed
        && strsim::osa_distance(name, declared) <= allowed
    {
        return Some(Likeness::Typo);
    }
    if normalized(declared) == name_norm {
        return Some(Likeness::Spelling);
    }
    let (short, long) = if name.len() < declared.len() {
        (name, declared)
    } else {
        (declared, name)
    };
    // The shorter name must say something on its own: two words at least (`API_URL`, not
    // `URL`).
    let affixed = short.contains('_')
        && short.len() >= 7
        && (long
            .strip_suffix(short)
            .is_some_and(|head| head.ends_with('_'))
            || long
                .strip_prefix(short)
                .is_some_and(|tail| tail.starts_with('_')));
    affixed.then_some(Likeness::Affix)
}

/// The declared names `name` most likely means, best first (at most three). Each declared
/// name compared counts against the file's did-you-mean budget.
fn near_names<'e>(name: &str, env: &'e EnvFacts) -> Vec<(&'e str, Likeness)> {
    let name_norm = normalized(name);
    let mut found: Vec<(&str, Likeness)> = Vec::new();
    for declared in env.vars.keys() {
        if !crate::suggest::spend_suggestion_budget() {
            break;
        }
        if let Some(how) = likeness(name, declared, &name_norm) {
            found.push((declared.as_str(), how));
        }
    }
    found.sort_by_key(|(declared, how)| (*how, declared.len().abs_diff(name.len()), *declared));
    found.truncate(3);
    found
}

/// True when a declared name is a likely intended spelling of `name`: at most two edits
/// away, or the same name with a framework prefix (`SUPABASE_URL` / `NEXT_PUBLIC_SUPABASE_URL`).
/// Decides whether an operator's shell variable is worth reporting, so narrower than
/// [`near_names`].
fn near_declared(name: &str, env: &EnvFacts) -> bool {
    if FRAMEWORK_PREFIXES
        .iter()
        .any(|p| env.is_declared(&format!("{p}{name}")))
    {
        return true;
    }
    if name.len() < 6 {
        return false;
    }
    let allowed = if name.len() >= 10 { 2 } else { 1 };
    let chars = name.chars().count();
    for declared in env.vars.keys() {
        if !crate::suggest::spend_suggestion_budget() {
            return false;
        }
        // The distance is at least the difference in length.
        if declared.chars().count().abs_diff(chars) <= allowed
            && strsim::levenshtein(name, declared) <= allowed
        {
            return true;
        }
    }
    false
}

/// Stores with no manifest of their own: a variable the runbook sets there is declared there.
fn store_without_manifest(store: &EnvStore) -> bool {
    matches!(store, EnvStore::Railway | EnvStore::Doppler | EnvStore::AwsSsm)
}

/// How to write where a variable is declared: `render.yaml service `api``,
/// `k8s/api.yaml `Deployment/api``, `.github/workflows/deploy.yml (`secrets.X`)`.
fn describe(decl: &EnvDecl, name: &str) -> String {
    use crate::manifests::Kind;
    let owner = decl.owner.as_deref().filter(|o| !o.is_empty());
    match (crate::manifests::kind_of(&decl.file), owner) {
        (Some(Kind::GithubWorkflow), Some(context @ ("secrets" | "vars"))) => {
            format!("{} (`{context}.{name}`)", decl.file)
        }
        (Some(Kind::RenderBlueprint | Kind::Compose), Some(owner)) => {
            format!("{} service `{owner}`", decl.file)
        }
        (Some(Kind::KubernetesYaml), Some(owner)) if owner.contains('/') => {
            format!("{} `{owner}`", decl.file)
        }
        _ => decl.file.clone(),
    }
}

/// The application's env manifests (the ones that make the rule speak), production ones
/// first, each as a reader names it; and every env manifest checked.
struct Checked {
    /// `render.yaml service `api``, `.env.example`, ... in order.
    shown: Vec<String>,
    /// True when one of them is where the production service reads its environment.
    production: bool,
    /// Where a declaration would go, for the help: (sentence, file).
    place: (String, String),
}

impl Checked {
    fn new(cx: &RuleContext<'_>) -> Option<Checked> {
        let env = &cx.project.env;
        let mut app: Vec<(Role, &str)> = env
            .manifests
            .iter()
            .map(|m| (Role::of(m), m.as_str()))
            .filter(|(role, _)| role.activates())
            .collect();
        if app.is_empty() {
            return None;
        }
        app.sort();
        let render = cx.project.render.main_service();
        let render_file = cx.project.render.files.first().map(String::as_str);
        // Each manifest by name, or, for a role with many (a chart's templates, a monorepo's
        // templates), how many there are.
        let mut shown = Vec::new();
        let mut index = 0;
        while index < app.len() {
            let role = app[index].0;
            let count = app[index..].iter().take_while(|(r, _)| *r == role).count();
            if count > 2 {
                shown.push(format!("{count} {}", role.plural()));
            } else {
                for (_, file) in &app[index..index + count] {
                    shown.push(match (render, render_file) {
                        (Some(service), Some(first)) if first == *file => {
                            format!("{file} service `{}`", service.name)
                        }
                        _ => file.to_string(),
                    });
                }
            }
            index += count;
        }
        let template = app.iter().find(|(role, _)| *role == Role::Template);
        let place = match (render, render_file) {
            (Some(service), Some(file)) => (
                format!(
                    "add it to the `envVars` of service `{}` in {file} (`sync: false` for a secret)",
                    service.name
                ),
                file.to_string(),
            ),
            _ => match template {
                Some((_, file)) => (format!("add it to {file}"), file.to_string()),
                None => (format!("declare it in {}", app[0].1), app[0].1.to_string()),
            },
        };
        Some(Checked {
            shown,
            production: app.iter().any(|(role, _)| role.is_production()),
            place,
        })
    }

    /// The manifests, at most five, and how many more were checked.
    fn list(&self) -> String {
        let first: Vec<&str> = self.shown.iter().take(5).map(String::as_str).collect();
        let more = self.shown.len() - first.len();
        if more > 0 {
            format!("{} and {more} more", first.join(", "))
        } else {
            first.join(", ")
        }
    }
}

/// What the runbook does with a variable it is reported for.
enum Finding {
    /// Named as the application's configuration (a list, a table, an env file, a platform
    /// secret, or a shell variable where the runbook is about configuration).
    Undeclared,
    /// Read by a production step, set by nothing.
    ReadUnset,
    /// Stored as a GitHub Actions secret no workflow reads.
    UnreadCiSecret,
}

impl UndeclaredEnvVar {
    fn run(&self, cx: &mut Cx<'_, '_>) {
        let file = cx.file();
        let doc = file.doc;
        let env = &file.project.env;
        let Some(checked) = Checked::new(file) else {
            return;
        };
        let mut allowed = self.options.allow_env.clone();
        allowed.extend(inline_allowed(doc));
        let terraform = env.has_role(Role::Terraform);
        // Every reference of each name, in document order.
        let mut by_name: BTreeMap<&str, Vec<&EnvRef>> = BTreeMap::new();
        let mut order: Vec<&str> = Vec::new();
        for reference in &doc.env_refs {
            let list = by_name.entry(reference.name.as_str()).or_default();
            if list.is_empty() {
                order.push(reference.name.as_str());
            }
            list.push(reference);
        }
        // Words of the runbook's prose, lists and tables: a variable the text talks about is
        // one the runbook says where to get.
        let documented: std::cell::OnceCell<HashSet<&str>> = std::cell::OnceCell::new();
        let names = std::cell::OnceCell::new();
        let mut reported: BTreeSet<&str> = BTreeSet::new();
        for name in order {
            let refs = &by_name[name];
            if env.is_declared(name) || allowed.iter().any(|a| glob_match(a, name)) {
                continue;
            }
            // A name the shell, CI, the platform or a tool sets needs no declaration; as a
            // GitHub Actions secret it is still one a workflow must read.
            let builtin = is_builtin(name) && !(terraform && name.starts_with("TF_VAR_"));
            // Set on a platform that has no manifest: the runbook declares it there.
            if refs
                .iter()
                .any(|r| r.store.as_ref().is_some_and(store_without_manifest))
            {
                continue;
            }
            let configured = refs.iter().any(|r| r.kind != EnvRefKind::Expansion);
            let mut near = None;
            let mut found = None;
            for reference in refs {
                if builtin && reference.store != Some(EnvStore::GithubActions) {
                    continue;
                }
                let kind = match reference.kind {
                    EnvRefKind::Stored => match reference.store.as_ref() {
                        Some(EnvStore::GithubActions) => {
                            if file.project.workflows.files.is_empty()
                                || file.project.workflows.reads(name)
                            {
                                continue;
                            }
                            Finding::UnreadCiSecret
                        }
                        _ => Finding::Undeclared,
                    },
                    kind if kind.is_configuration() => {
                        if reference.optional || reference.provided {
                            continue;
                        }
                        Finding::Undeclared
                    }
                    kind => {
                        // `$TAG` or `BACKUP_FILE=...` in a command is usually the operator's
                        // own shell variable. Report it where the runbook is about
                        // configuration, or when it is one edit away from a declared name (a
                        // typo or a rename), or when a production step reads it and nothing
                        // sets it.
                        let is_near = *near.get_or_insert_with(|| near_declared(name, env));
                        // Under "Environment variables", `export X=...` configures the
                        // application; `$X` there only reads the operator's value.
                        let about_config = kind != EnvRefKind::Expansion
                            && doc.section_mentions(reference.section, VARIABLE_SECTION_WORDS);
                        if is_near || about_config {
                            Finding::Undeclared
                        } else if kind == EnvRefKind::Expansion
                            && reference.context == EnvContext::Production
                            && !configured
                            && !documented
                                .get_or_init(|| prose_words(doc))
                                .contains(name)
                        {
                            Finding::ReadUnset
                        } else {
                            continue;
                        }
                    }
                };
                found = Some((*reference, kind));
                break;
            }
            let Some((reference, finding)) = found else {
                continue;
            };
            if !reported.insert(name) {
                continue;
            }
            let names = names.get_or_init(|| Names::new(file));
            self.report(cx, &checked, reference, finding, names);
        }
    }

    fn report(
        &self,
        cx: &mut Cx<'_, '_>,
        checked: &Checked,
        reference: &EnvRef,
        finding: Finding,
        names: &Names<'_>,
    ) {
        let file = cx.file();
        let env = &file.project.env;
        let name = reference.name.as_str();
        let near = near_names(name, env);
        let hint = match near.as_slice() {
            [] => None,
            candidates => {
                let listed: Vec<String> = candidates
                    .iter()
                    .map(|(candidate, _)| {
                        let place = env
                            .vars
                            .get(*candidate)
                            .and_then(|d| d.first())
                            .map(|d| describe(d, candidate))
                            .unwrap_or_default();
                        format!("`{candidate}` ({place})")
                    })
                    .collect();
                Some(format!("did you mean {}?", listed.join(" or ")))
            }
        };
        let fix = rename_fix(file, names, name, &near);
        let (place, place_file) = &checked.place;
        let (message, label, help) = match finding {
            Finding::Undeclared => {
                let message = if checked.production && reference.context != EnvContext::Development {
                    format!(
                        "`{name}` is set nowhere the production service reads its environment ({})",
                        checked.list()
                    )
                } else {
                    format!("`{name}` is declared in no env manifest ({})", checked.list())
                };
                let label = match &reference.store {
                    Some(store) => format!("stored in {} here, declared by no manifest", store.name()),
                    None => "declared by no env manifest".to_string(),
                };
                let help = match hint {
                    Some(hint) => format!("{hint} Otherwise {place}"),
                    None => format!("{place}, or list it under `allow-env` in runbook-lint.toml if the platform sets it"),
                };
                (message, label, help)
            }
            Finding::ReadUnset => (
                format!(
                    "`${name}` is read by a production step but set nowhere: not by this runbook, not by an env manifest ({})",
                    checked.list()
                ),
                "set by nothing before this step".to_string(),
                match hint {
                    Some(hint) => format!("{hint} Otherwise set it in an earlier step (`export {name}=...`) or say where its value comes from"),
                    None => format!("set it in an earlier step (`export {name}=...`), say where its value comes from, or {place}"),
                },
            ),
            Finding::UnreadCiSecret => {
                let workflows = &file.project.workflows;
                let shown: Vec<&str> = workflows.files.iter().take(4).map(String::as_str).collect();
                let more = workflows.files.len().saturating_sub(shown.len());
                let list = if more > 0 {
                    format!("{} and {more} more", shown.join(", "))
                } else {
                    shown.join(", ")
                };
                let name_norm = normalized(name);
                let near: Vec<String> = workflows
                    .secrets
                    .keys()
                    .take_while(|_| crate::suggest::spend_suggestion_budget())
                    .filter(|secret| likeness(name, secret, &name_norm).is_some())
                    .take(3)
                    .map(|secret| format!("`{secret}`"))
                    .collect();
                let hint = (!near.is_empty()).then(|| format!("did you mean {}?", near.join(" or ")));
                (
                    format!("secret `{name}` is set for GitHub Actions but no workflow reads `secrets.{name}` ({list})"),
                    "no workflow reads it".to_string(),
                    match hint {
                        Some(hint) => format!("{hint} (the name a workflow reads)"),
                        None => "check the name against the workflows' `secrets.` references, or remove the step".to_string(),
                    },
                )
            }
        };
        cx.report(reference.span, message)
            .label(label)
            .help(help)
            .fix(fix)
            .checked(place_file.clone());
    }
}

impl Role {
    /// How a message counts several manifests of the role.
    fn plural(self) -> &'static str {
        match self {
            Role::Platform => "platform manifests",
            Role::Kubernetes => "Kubernetes manifests",
            Role::Helm => "Helm values files",
            Role::ProductionCompose => "production compose files",
            Role::Template => "env templates",
            Role::Compose => "compose files",
            Role::Ci => "CI workflows",
            Role::Image => "Dockerfiles",
            Role::DevContainer => "dev container files",
            Role::Terraform => "Terraform files",
        }
    }

    /// True for a manifest that lists what the application reads, so the rule can speak: a CI
    /// workflow, a Dockerfile, a dev container or Terraform alone does not.
    fn activates(self) -> bool {
        !matches!(
            self,
            Role::Ci | Role::Image | Role::DevContainer | Role::Terraform
        )
    }
}

/// Upper-case words of the runbook's prose, lists and tables (inline code included).
fn prose_words(doc: &crate::document::Document) -> HashSet<&str> {
    doc.text_blocks
        .iter()
        .flat_map(|b| b.text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')))
        .filter(|w| crate::document::env_refs::is_env_name(w))
        .collect()
}

/// The declared names, and the runbook's references by name.
struct Names<'a> {
    declared: Vec<&'a str>,
    refs: std::collections::HashMap<&'a str, Vec<&'a EnvRef>>,
}

impl<'a> Names<'a> {
    fn new(cx: &RuleContext<'a>) -> Self {
        let mut refs: std::collections::HashMap<&str, Vec<&EnvRef>> =
            std::collections::HashMap::new();
        for reference in &cx.doc.env_refs {
            refs.entry(reference.name.as_str())
                .or_default()
                .push(reference);
        }
        Names {
            declared: cx.project.env.vars.keys().map(String::as_str).collect(),
            refs,
        }
    }
}

/// Renames every mention of `name` in the runbook to the declared name it most likely means:
/// the one a typo away (safe when it is the only one, as [`did_you_mean_fix`] decides), else
/// the only name that is the same with words added or spelt another way (unsafe: it may be
/// another variable, meant for the browser or another service).
fn rename_fix(
    cx: &RuleContext<'_>,
    names: &Names<'_>,
    name: &str,
    near: &[(&str, Likeness)],
) -> Option<Fix> {
    let mentions = names.refs.get(name)?;
    let first = mentions.first()?;
    let one = match near {
        [(_, Likeness::Typo), ..] => did_you_mean_fix(cx.source, first.span, name, &names.declared)?,
        [(only, _)] => replacement_fix(cx.source, first.span, name, only, Applicability::Unsafe)?,
        _ => return None,
    };
    let replacement = one.edits[0].replacement.clone();
    // The runbook names both: two variables, not a typo of one.
    if names.refs.contains_key(replacement.as_str()) {
        return None;
    }
    let edits = mentions
        .iter()
        .filter(|r| cx.source.get(r.span.range()) == Some(name))
        .map(|r| Edit::replace(r.span, replacement.clone()))
        .collect::<BTreeSet<_>>();
    Some(Fix {
        description: format!("rename `{name}` to `{replacement}`"),
        edits: edits.into_iter().collect(),
        ..one
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::check;
    use crate::span::Span;

    fn env(names: &[&str]) -> EnvFacts {
        let mut env = EnvFacts::default();
        for name in names {
            env.declare(name, ".env.example", Span::default(), None);
        }
        env
    }

    #[test]
    fn near_names_across_naming_conventions() {
        let env = env(&[
            "AUTH0_JWKS_URL",
            "AUTH0_ORG_ID",
            "OPENAI_API_KEY",
            "ACME_PAYMENTS_KEY",
            "NEXT_PUBLIC_API_URL",
            "DATABASE_URL",
            "REDIS_URL",
        ]);
        let first = |name: &str| near_names(name, &env).first().map(|(n, how)| (n.to_string(), *how));
        assert_eq!(first("AUTH0_JWKS_URI"), Some(("AUTH0_JWKS_URL".into(), Likeness::Typo)));
        assert_eq!(first("AUTH0_ORGANIZATION_ID"), Some(("AUTH0_ORG_ID".into(), Likeness::Spelling)));
        assert_eq!(first("AAI_DEFAULT_OPENAI_API_KEY"), Some(("OPENAI_API_KEY".into(), Likeness::Affix)));
        assert_eq!(first("PAYMENTS_KEY"), Some(("ACME_PAYMENTS_KEY".into(), Likeness::Affix)));
        assert_eq!(first("API_URL"), Some(("NEXT_PUBLIC_API_URL".into(), Likeness::Affix)));
        assert_eq!(first("REDIS_URI"), Some(("REDIS_URL".into(), Likeness::Typo)));
        assert_eq!(first("DB_URL"), Some(("DATABASE_URL".into(), Likeness::Spelling)));
        assert_eq!(first("URL"), None);
        assert_eq!(first("STRIPE_WEBHOOK_SECRET"), None);
    }

    #[test]
    fn near_names_are_typos_or_framework_prefixes() {
        let env = env(&["DATABASE_URL", "NEXT_PUBLIC_SUPABASE_URL", "ANTHROPIC_API_KEY", "DB_PORT"]);
        assert!(near_declared("DATABSE_URL", &env));
        assert!(near_declared("SUPABASE_URL", &env));
        assert!(!near_declared("API_KEY", &env));
        assert!(!near_declared("DB_HOST", &env));
    }

    #[test]
    fn globs() {
        assert!(glob_match("STRIPE_*", "STRIPE_KEY") && glob_match("*_URL", "REDIS_URL"));
        assert!(glob_match("A?C", "ABC") && glob_match("*", "X") && glob_match("X", "X"));
        assert!(!glob_match("STRIPE_*", "STRIPEKEY") && !glob_match("A?C", "AC"));
        assert!(glob_match("*_*_*", "A_B_C") && !glob_match("*_*_*", "A_B"));
    }

    #[test]
    fn operator_variables_in_commands_are_not_reported() {
        let mut facts = crate::facts::ProjectFacts::default();
        facts
            .env
            .declare("DATABASE_URL", ".env.example", Span::default(), None);
        let md = "## Deploy\n\n```bash\nkubectl set image deploy/api api=x:$PROD_TAG\npsql $DATABSE_URL\n```\n\n## Environment variables\n\n```bash\nexport STRIPE_KEY=sk\n```\n";
        let found = check(&UndeclaredEnvVar::default(), md, &facts);
        assert_eq!(
            found,
            vec![
                (5, "`DATABSE_URL` is declared in no env manifest (.env.example)".to_string()),
                (11, "`STRIPE_KEY` is declared in no env manifest (.env.example)".to_string()),
            ]
        );
    }

    #[test]
    fn production_reads_of_unset_variables() {
        let mut facts = crate::facts::ProjectFacts::default();
        facts
            .env
            .declare("DATABASE_URL", ".env.example", Span::default(), None);
        let md = "## Production deploy\n\n```bash\nexport TAG=v1\ndocker push app:$TAG\ncurl -H \"Authorization: $DEPLOY_TOKEN\" $HEALTH_URL\nawk '{print $NF}' x\n```\n\nGet `HEALTH_URL` from the dashboard.\n";
        let found = check(&UndeclaredEnvVar::default(), md, &facts);
        assert_eq!(
            found,
            vec![(
                6,
                "`$DEPLOY_TOKEN` is read by a production step but set nowhere: not by this runbook, not by an env manifest (.env.example)".to_string()
            )]
        );
    }

    #[test]
    fn optional_table_rows_are_not_reported() {
        let mut facts = crate::facts::ProjectFacts::default();
        facts
            .env
            .declare("DATABASE_URL", ".env.example", Span::default(), None);
        let md = "## Configuration\n\n| Variable | Required | Default |\n|---|---|---|\n| `LOG_LEVEL` | No | `info` |\n| `API_TOKEN` | Yes | - |\n| `SMTP_HOST` | optional relay | - |\n\n- `CACHE_TTL_MS`: cache lifetime. Default: `500`\n";
        let found = check(&UndeclaredEnvVar::default(), md, &facts);
        assert_eq!(
            found,
            vec![(6, "`API_TOKEN` is declared in no env manifest (.env.example)".to_string())]
        );
    }

    #[test]
    fn builtins_data_parses() {
        assert!(is_builtin("HOME") && is_builtin("GITHUB_SHA") && !is_builtin("STRIPE_KEY"));
        assert_eq!(
            builtin_reason("RENDER_EXTERNAL_URL"),
            Some("the hosting platform injects them into the running service")
        );
        assert_eq!(builtin_reason("PGPASSWORD"), Some("a tool the runbook runs reads them itself"));
    }

    #[test]
    fn allowed_in_config_or_in_the_runbook() {
        let mut facts = crate::facts::ProjectFacts::default();
        facts.env.declare("API_KEY", ".env.example", Span::default(), None);
        let md = "<!-- runbook-lint allow-env LEGACY_* -->\n\n## Environment\n\n- [ ] `LEGACY_TOKEN`\n- [ ] `STRIPE_KEY`\n- [ ] `SENTRY_DSN`\n";
        let rule = UndeclaredEnvVar {
            options: UndeclaredEnvVarOptions {
                allow_env: vec!["STRIPE_*".into()],
            },
        };
        let found = check(&rule, md, &facts);
        assert_eq!(
            found,
            vec![(7, "`SENTRY_DSN` is declared in no env manifest (.env.example)".to_string())]
        );
    }

    #[test]
    fn reports_undeclared_once_and_only_with_manifests() {
        let mut facts = crate::facts::ProjectFacts::default();
        let md = "## Environment\n\n- [ ] `API_KEY`\n- [ ] `STRIPE_KEY`\n\n```bash\necho $STRIPE_KEY $HOME\n```\n";
        assert!(check(&UndeclaredEnvVar::default(), md, &facts).is_empty());
        facts
            .env
            .declare("DEPLOY_HOOK", ".github/workflows/ci.yml", Span::default(), Some("secrets"));
        assert!(
            check(&UndeclaredEnvVar::default(), md, &facts).is_empty(),
            "a workflow alone does not list what the application reads"
        );
        facts
            .env
            .declare("API_KEY", ".env.example", Span::default(), None);
        let found = check(&UndeclaredEnvVar::default(), md, &facts);
        assert_eq!(
            found,
            vec![(
                4,
                "`STRIPE_KEY` is declared in no env manifest (.env.example)".to_string()
            )]
        );
    }
}
