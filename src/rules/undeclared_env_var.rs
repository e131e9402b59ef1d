use std::collections::BTreeSet;
use std::sync::LazyLock;

use super::{Cx, RuleContext};
use crate::diagnostic::did_you_mean_text;
use crate::document::{BlockKind, EnvRefKind};
use crate::fix::{did_you_mean_fix, replacement_fix, Applicability, Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Checks that every environment variable a runbook refers to is declared by one of the
    /// project's env manifests: `render.yaml` (`envVars`, `envVarGroups`), Docker Compose
    /// (`environment`, `env_file`, `${VAR}` interpolation), `.env.example` and other env
    /// templates, `fly.toml` `[env]`, `app.json` `env` or `vercel.json` `env`.
    ///
    /// References are `$VAR`, `${VAR}`, `${VAR:-x}`, `VAR=value cmd` and `export VAR=` in
    /// shell code, and backticked `UPPER_SNAKE` names in checklists, lists and tables under
    /// headings about environment, secrets, configuration or variables. A variable assigned
    /// earlier in the same code block, shell and CI built-ins (`HOME`, `PATH`, `GITHUB_*`...,
    /// listed in `rules/env-builtins.toml`) and names listed in the config's `allow-env` are
    /// not checked. The rule is silent in a project with no env manifest at all.
    ///
    /// ## Why is this bad?
    /// A variable the checklist requires but no manifest declares is never set on the
    /// platform: the deploy goes out with it missing, or the runbook is asking for a variable
    /// that was renamed long ago.
    ///
    /// ## Example
    /// ```markdown
    /// - [ ] `STRIPE_WEBHOOK_SECRET` is set in the dashboard
    /// ```
    ///
    /// Use instead: declare it (in render.yaml, with `sync: false` for a secret) or fix the
    /// name to the one the manifests use:
    /// ```yaml
    /// envVars:
    ///   - key: STRIPE_WEBHOOK_SECRET
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
    /// Variables the platform sets: no declaration needed.
    #[serde(default)]
    pub allow_env: Vec<String>,
}

impl super::RuleOptions for UndeclaredEnvVarOptions {
    const DOCS: &'static str = "- `allow-env` (default none): env var names that need no declaration, such as those the platform sets (`[\"RENDER_EXTERNAL_URL\"]`). Also read as a top-level key of the config.";
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Builtins {
    names: Vec<String>,
    prefixes: Vec<String>,
}

static BUILTINS: LazyLock<Builtins> = LazyLock::new(|| {
    toml::from_str(include_str!("../../rules/env-builtins.toml"))
        .expect("rules/env-builtins.toml is valid (unit-tested)")
});

/// True for a variable the shell, CI or a well-known tool sets or reads itself.
pub fn is_builtin(name: &str) -> bool {
    BUILTINS.names.iter().any(|n| n == name)
        || BUILTINS
            .prefixes
            .iter()
            .any(|p| name.starts_with(p.as_str()))
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

/// Tables and list-item texts of the runbook, sorted by start, so "which one holds this
/// name?" is a binary search (a scan per name was quadratic on a long list of variables).
struct Places<'a> {
    tables: Vec<(crate::span::Span, &'a crate::document::Table)>,
    items: Vec<(crate::span::Span, &'a crate::document::TextBlock)>,
}

impl<'a> Places<'a> {
    fn new(doc: &'a crate::document::Document) -> Self {
        let mut tables: Vec<_> = doc.tables.iter().map(|t| (t.span, t)).collect();
        let mut items: Vec<_> = doc
            .text_blocks
            .iter()
            .filter(|b| matches!(b.kind, BlockKind::ListItem | BlockKind::ChecklistItem))
            .map(|b| (b.span, b))
            .collect();
        tables.sort_by_key(|(span, _)| span.start);
        items.sort_by_key(|(span, _)| span.start);
        Places { tables, items }
    }

    /// The place holding `span`: the last one starting at or before it (places do not
    /// overlap).
    fn holding<T>(
        &self,
        places: &[(crate::span::Span, &'a T)],
        span: crate::span::Span,
    ) -> Option<&'a T> {
        let after = places.partition_point(|(s, _)| s.start <= span.start);
        let (place, found) = places.get(after.checked_sub(1)?)?;
        place.contains(span).then_some(*found)
    }
}

/// True when the name sits in a table row that gives it a default or marks it not required:
/// an optional knob the templates need not list.
fn optional_in_table(places: &Places<'_>, span: crate::span::Span) -> bool {
    let Some(table) = places.holding(&places.tables, span) else {
        return false;
    };
    // Rows are in document order: the last one starting at or before the name.
    let after = table
        .rows
        .partition_point(|row| row.first().is_none_or(|c| c.span.start <= span.start));
    let Some(row) = after
        .checked_sub(1)
        .and_then(|i| table.rows.get(i))
        .filter(|row| row.iter().any(|cell| cell.span.contains(span)))
    else {
        return false;
    };
    if row
        .iter()
        .any(|cell| mentions_optional(&cell.text.to_lowercase()))
    {
        return true;
    }
    for (index, header) in table.header.iter().enumerate() {
        let title = header.text.to_lowercase();
        let value = row
            .get(index)
            .map(|c| c.text.trim().trim_end_matches('.').to_lowercase())
            .unwrap_or_default();
        let empty = matches!(value.as_str(), "" | "-" | "—" | "none" | "n/a" | "unset");
        if title.contains("default") && !empty {
            return true;
        }
        if (title.contains("required") || title.contains("mandatory"))
            && (value.starts_with("no") || value == "optional")
        {
            return true;
        }
    }
    false
}

/// True when the list item holding the name says it is optional or has a default.
fn optional_in_list(places: &Places<'_>, span: crate::span::Span) -> bool {
    places
        .holding(&places.items, span)
        .is_some_and(|b| mentions_optional(&b.text.to_lowercase()))
}

fn mentions_optional(text: &str) -> bool {
    text.contains("optional") || text.contains("default:") || text.contains("defaults to")
}

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

/// True when a declared name is a likely intended spelling of `name`: at most two edits
/// away, or the same name with a framework prefix (`SUPABASE_URL` / `NEXT_PUBLIC_SUPABASE_URL`).
/// Each declared name compared counts against the file's did-you-mean budget: with
/// thousands of declared names and of references, the comparisons stop there.
fn near_declared(name: &str, env: &crate::facts::env::EnvFacts) -> bool {
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

impl UndeclaredEnvVar {
    fn run(&self, cx: &mut Cx<'_, '_>) {
        let env = &cx.project.env;
        if env.manifests.is_empty() {
            return;
        }
        let mut reported: BTreeSet<&str> = BTreeSet::new();
        let places = Places::new(cx.doc);
        // Built on the first finding, shared by the others (per finding, a copy of every
        // declared name and a scan of every reference was quadratic).
        let names = std::cell::OnceCell::new();
        // Each distinct name is compared with the declared ones once.
        let mut near: std::collections::HashMap<&str, bool> = std::collections::HashMap::new();
        for reference in &cx.doc.env_refs {
            let name = reference.name.as_str();
            if env.is_declared(name)
                || is_builtin(name)
                || self.options.allow_env.iter().any(|a| a == name)
            {
                continue;
            }
            // `$TAG` or `BACKUP_FILE=...` in a command is usually the operator's own shell
            // variable. Report it only where the runbook is about configuration, or when it
            // is one edit away from a declared name (a typo or a rename).
            if reference.kind != EnvRefKind::Mention
                && !*near.entry(name).or_insert_with(|| near_declared(name, env))
                && !cx
                    .doc
                    .section_mentions(reference.section, VARIABLE_SECTION_WORDS)
            {
                continue;
            }
            if reference.kind == EnvRefKind::Mention
                && (optional_in_table(&places, reference.span)
                    || optional_in_list(&places, reference.span))
            {
                continue;
            }
            // One finding per name: the first mention is where to fix it.
            if !reported.insert(name) {
                continue;
            }
            let suggestion = did_you_mean_text(name, env.vars.keys().map(String::as_str));
            let manifests: Vec<&str> = env.manifests.iter().map(String::as_str).collect();
            let shown = if manifests.len() > 4 {
                format!(
                    "{} and {} more",
                    manifests[..4].join(", "),
                    manifests.len() - 4
                )
            } else {
                manifests.join(", ")
            };
            // Where a declaration would go, for editors to open.
            let checked = match cx.project.render.main_service() {
                Some(_) => cx.project.render.files.first().cloned(),
                None => manifests
                    .iter()
                    .find(|m| crate::facts::env::is_env_template(m))
                    .map(|m| m.to_string()),
            }
            .unwrap_or_else(|| manifests[0].to_string());
            let place = match cx.project.render.main_service() {
                Some(service) => format!(
                    "add it to the `envVars` of service `{}` in {}",
                    service.name,
                    cx.project
                        .render
                        .files
                        .first()
                        .map(String::as_str)
                        .unwrap_or("render.yaml")
                ),
                None => match manifests
                    .iter()
                    .find(|m| crate::facts::env::is_env_template(m))
                {
                    Some(template) => format!("add it to {template}"),
                    None => format!("declare it in {}", manifests[0]),
                },
            };
            let prefixed = FRAMEWORK_PREFIXES
                .iter()
                .map(|p| format!("{p}{name}"))
                .find(|n| env.is_declared(n));
            let names = names.get_or_init(|| Names::new(cx));
            let fix = rename_fix(cx, names, name, prefixed.as_deref());
            let prefixed = prefixed.map(|n| format!("did you mean `{n}`?"));
            let help = match prefixed.or(suggestion) {
                Some(hint) => format!("{hint} (or {place})"),
                None => format!("{place}, or list it under `allow-env` in runbook-lint.toml if the platform sets it"),
            };
            cx.report(
                reference.span,
                format!("env var `{name}` is not declared in {shown}"),
            )
            .label("declared by no env manifest")
            .help(help)
            .fix(fix)
            .checked(checked);
        }
    }
}

/// The declared names, and the runbook's references by name.
struct Names<'a> {
    declared: Vec<&'a str>,
    refs: std::collections::HashMap<&'a str, Vec<&'a crate::document::EnvRef>>,
}

impl<'a> Names<'a> {
    fn new(cx: &RuleContext<'a>) -> Self {
        let mut refs: std::collections::HashMap<&str, Vec<&crate::document::EnvRef>> =
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
/// the framework-prefixed one (unsafe: the variable may be meant for the server), else the one
/// did-you-mean finds.
fn rename_fix(
    cx: &RuleContext<'_>,
    names: &Names<'_>,
    name: &str,
    prefixed: Option<&str>,
) -> Option<Fix> {
    let mentions = names.refs.get(name)?;
    let first = mentions.first()?;
    let one = match prefixed {
        Some(prefixed) => {
            replacement_fix(cx.source, first.span, name, prefixed, Applicability::Unsafe)?
        }
        None => did_you_mean_fix(cx.source, first.span, name, &names.declared)?,
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
        .collect::<std::collections::BTreeSet<_>>();
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

    #[test]
    fn near_names_are_typos_or_framework_prefixes() {
        let mut env = crate::facts::env::EnvFacts::default();
        for name in [
            "DATABASE_URL",
            "NEXT_PUBLIC_SUPABASE_URL",
            "ANTHROPIC_API_KEY",
            "DB_PORT",
        ] {
            env.declare(name, ".env.example", Span::default(), None);
        }
        assert!(near_declared("DATABSE_URL", &env));
        assert!(near_declared("SUPABASE_URL", &env));
        assert!(!near_declared("API_KEY", &env));
        assert!(!near_declared("DB_HOST", &env));
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
                (
                    5,
                    "env var `DATABSE_URL` is not declared in .env.example".to_string()
                ),
                (
                    11,
                    "env var `STRIPE_KEY` is not declared in .env.example".to_string()
                ),
            ]
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
            vec![(
                6,
                "env var `API_TOKEN` is not declared in .env.example".to_string()
            )]
        );
    }

    #[test]
    fn builtins_data_parses() {
        assert!(is_builtin("HOME") && is_builtin("GITHUB_SHA") && !is_builtin("STRIPE_KEY"));
    }

    #[test]
    fn reports_undeclared_once_and_only_with_manifests() {
        let mut facts = crate::facts::ProjectFacts::default();
        let md = "## Environment\n\n- [ ] `API_KEY`\n- [ ] `STRIPE_KEY`\n\n```bash\necho $STRIPE_KEY $HOME\n```\n";
        assert!(check(&UndeclaredEnvVar::default(), md, &facts).is_empty());
        facts
            .env
            .declare("API_KEY", ".env.example", Span::default(), None);
        let found = check(&UndeclaredEnvVar::default(), md, &facts);
        assert_eq!(
            found,
            vec![(
                4,
                "env var `STRIPE_KEY` is not declared in .env.example".to_string()
            )]
        );
    }
}
