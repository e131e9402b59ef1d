//! The rules: the only place that knows both the runbook model and the project facts.
//!
//! One rule is one file. Its documentation is the `///` block given to [`declare_rule!`], which
//! becomes rustdoc, `runbook-lint explain RULE` and `docs/rules/RULE.md` alike. A rule never
//! re-parses Markdown and never reads the disk: it asks the [`Document`] and the
//! [`ProjectFacts`]. Adding a rule: a file here, a line in [`builtin_rules`], a fixture folder.

pub mod pack_rule;

mod destructive_command;
mod empty_checklist_item;
mod hardcoded_secret;
mod localhost_in_production;
mod migration_without_backup;
mod missing_section;
mod pipe_to_shell;
pub mod safety;
mod stale_review_date;

mod broken_link;
mod missing_file;
mod missing_make_target;
mod missing_script;
mod placeholder_contact;
pub mod placeholders;
mod undeclared_env_var;
mod unknown_service;
mod unresolved_placeholder;
mod unsafe_migration;

pub use crate::config::pack::{ContextLevels, Pack};
use crate::config::Settings;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{Document, EnvContext};
use crate::facts::ProjectFacts;

pub use broken_link::BrokenLink;
pub use hardcoded_secret::HardcodedSecret;
pub use missing_file::MissingFile;
pub use missing_make_target::MissingMakeTarget;
pub use missing_script::MissingScript;
pub use placeholder_contact::PlaceholderContact;
pub use undeclared_env_var::UndeclaredEnvVar;
pub use unknown_service::UnknownService;
pub use unresolved_placeholder::UnresolvedPlaceholder;
pub use unsafe_migration::UnsafeMigration;

/// What `rules` and `explain` show about a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleMeta<'a> {
    /// Stable kebab-case id.
    pub id: &'a str,
    /// Severity when the config says nothing (context-dependent rules give their strongest).
    pub default_severity: Severity,
    /// One line: what the rule finds.
    pub summary: &'a str,
    /// Full documentation: What it does / Why is this bad? / Example.
    pub docs: &'a str,
}

/// Everything a rule may look at for one runbook.
pub struct RuleContext<'a> {
    /// The parsed runbook.
    pub doc: &'a Document,
    /// Its text, for slicing spans.
    pub source: &'a str,
    /// The runbook's path relative to the project root, `/`-separated.
    pub path: &'a str,
    /// The project's facts.
    pub project: &'a ProjectFacts,
    /// Resolved configuration.
    pub settings: &'a Settings,
}

impl RuleContext<'_> {
    /// Directory of the runbook relative to the project root (`""` at the root).
    pub fn dir(&self) -> &str {
        self.path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
    }

    /// The context used to pick severities: unknown becomes what the config says (production
    /// by default, since runbooks are operational documents).
    pub fn effective_context(&self, context: EnvContext) -> EnvContext {
        if context == EnvContext::Unknown {
            self.settings.unknown_context
        } else {
            context
        }
    }

    /// The text of a span of the runbook.
    pub fn text(&self, span: crate::span::Span) -> &str {
        self.source.get(span.range()).unwrap_or("")
    }

    /// True when the project has this directory (relative to the root; `""` is the root).
    fn is_dir(&self, dir: &str) -> bool {
        self.project.has_dir(dir)
    }

    /// The directory a command runs in, relative to the project root, by the one
    /// working-directory policy ([`crate::command::WorkDir`]); `None` when unknowable.
    pub fn command_dir(&self, command: &crate::command::Command) -> Option<String> {
        command.cwd.resolve(self.dir(), &|d| self.is_dir(d))
    }

    /// The directories a command with relative paths may run in, most likely first.
    pub fn command_bases(&self, command: &crate::command::Command) -> Vec<String> {
        command.cwd.bases(self.dir(), &|d| self.is_dir(d))
    }

    /// The directory a tool's directory option (`--prefix app`, `make -C ops`) names for a
    /// command, by the same policy.
    pub fn command_subdir(&self, command: &crate::command::Command, sub: &str) -> Option<String> {
        command
            .cwd
            .resolve_sub(self.dir(), sub, &|d| self.is_dir(d))
    }

    /// The package a script call runs in; `None` when its directory is unknowable.
    pub fn script_target(
        &self,
        command: &crate::command::Command,
        run: &crate::command::tools::ScriptRun,
    ) -> Option<crate::facts::node::Target> {
        use crate::command::tools::PackageTarget;
        use crate::facts::node::Target;
        Some(match &run.target {
            PackageTarget::Here => Target::Dir(self.command_dir(command)?),
            PackageTarget::Dir(sub) => Target::Dir(self.command_subdir(command, sub)?),
            PackageTarget::Root => Target::Dir(String::new()),
            PackageTarget::Named(name) => Target::Named(name.clone()),
            PackageTarget::All => Target::All,
        })
    }

    /// The package script a command runs here, with the package it runs in: the innermost
    /// invocation's, when that runs in this repository.
    pub fn script_call<'c>(
        &self,
        command: &'c crate::command::Command,
    ) -> Option<(
        &'c crate::command::tools::ScriptRun,
        crate::facts::node::Target,
    )> {
        let invocation = command.invocation().filter(|i| i.is_local())?;
        let run = invocation.script.as_ref()?;
        Some((run, self.script_target(command, run)?))
    }
}

/// A lint rule.
pub trait Rule: Send + Sync {
    /// The rule's id, default severity and documentation.
    fn meta(&self) -> RuleMeta<'_>;
    /// Appends the rule's findings for one runbook.
    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>);
    /// The pack whose entries drive the rule, for `runbook-lint rules` to list them.
    fn pack(&self) -> Option<&Pack> {
        None
    }
}

/// Declares a rule's unit struct and its metadata from a doc comment, like clippy's
/// `declare_clippy_lint!`: the `///` lines become both rustdoc and the text of
/// `runbook-lint explain`, so the documentation lives once, next to the code.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            id: $id:literal,
            severity: $severity:ident,
            summary: $summary:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Default, Clone, Copy)]
        pub struct $name;

        impl $name {
            /// The rule's metadata.
            pub const META: $crate::rules::RuleMeta<'static> = $crate::rules::RuleMeta {
                id: $id,
                default_severity: $crate::diagnostic::Severity::$severity,
                summary: $summary,
                docs: concat!($($doc, "\n"),*),
            };
        }
    };
}
pub(crate) use declare_rule;

/// The built-in rules, in the order `runbook-lint rules` lists them.
pub fn builtin_rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(MissingScript),
        Box::new(UnsafeMigration::new()),
        Box::new(UnresolvedPlaceholder),
        Box::new(PlaceholderContact),
        Box::new(UndeclaredEnvVar),
        Box::new(UnknownService),
        Box::new(MissingMakeTarget),
        Box::new(MissingFile),
        Box::new(BrokenLink),
        // Operational safety rules.
        Box::new(destructive_command::rule()),
        Box::new(pipe_to_shell::PipeToShell),
        Box::new(migration_without_backup::MigrationWithoutBackup),
        Box::new(HardcodedSecret),
        Box::new(localhost_in_production::LocalhostInProduction),
        Box::new(stale_review_date::StaleReviewDate),
        Box::new(missing_section::MissingSection),
        Box::new(empty_checklist_item::EmptyChecklistItem),
    ]
}

/// The rules of a project: the built-in ones (built-in packs included), then the user's packs and
/// inline `[[rule]]`s from its config.
pub fn rule_set(settings: &Settings) -> Vec<Box<dyn Rule>> {
    let mut rules = builtin_rules();
    for pack in &settings.packs {
        rules.push(Box::new(pack_rule::PackRule::new(pack.clone(), "")));
    }
    rules
}

/// Rule ids produced outside the rule set: by the engine itself.
pub const ENGINE_RULES: &[RuleMeta<'static>] = &[RuleMeta {
    id: "invalid-manifest",
    default_severity: Severity::Error,
    summary: "a manifest the runbooks are checked against cannot be parsed",
    docs: " ## What it does\n Reports a package.json, YAML or TOML manifest that cannot be read or parsed,\n with the line and column of the problem.\n\n ## Why is this bad?\n The runbooks that depend on it cannot be checked against it, and the tools the\n runbook calls will fail on it too. The other rules still run.\n",
}];

/// Every rule's documentation, built-in then engine rules, in `runbook-lint rules` order: for
/// `explain`, SARIF rule metadata and the generated `docs/rules/RULE.md` pages.
pub fn docs() -> Vec<crate::ruledocs::RuleDoc> {
    let builtin = builtin_rules();
    builtin
        .iter()
        .map(|r| r.meta())
        .chain(ENGINE_RULES.iter().copied())
        .map(|meta| crate::ruledocs::RuleDoc {
            id: meta.id.to_string(),
            default_severity: meta.default_severity,
            summary: meta.summary.to_string(),
            docs: docs_text(meta.docs),
        })
        .collect()
}

/// Doc text with rustdoc's one leading space per line removed.
pub fn docs_text(docs: &str) -> String {
    docs.lines()
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// Helpers for rule unit tests: lint Markdown against in-memory project facts.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::document::ParseOptions;
    use crate::facts::node::{NodeFacts, Package, PackageManager};

    /// Facts of a project whose root package.json has these scripts and dependencies.
    pub fn project(scripts: &[(&str, &str)], dependencies: &[&str]) -> ProjectFacts {
        ProjectFacts {
            node: NodeFacts {
                packages: vec![Package {
                    name: Some("fixture".into()),
                    dir: String::new(),
                    manifest: "package.json".into(),
                    scripts: scripts
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect(),
                    dependencies: dependencies.iter().map(|d| d.to_string()).collect(),
                }],
                manager: Some(PackageManager::Pnpm),
                others: Vec::new(),
            },
            ..ProjectFacts::default()
        }
    }

    /// Runs one rule over `markdown` as `docs/runbook.md`; returns `(line, message)` pairs.
    pub fn check(rule: &dyn Rule, markdown: &str, project: &ProjectFacts) -> Vec<(usize, String)> {
        let settings = Settings::default();
        let doc = Document::parse(markdown, &ParseOptions::default());
        let cx = RuleContext {
            doc: &doc,
            source: markdown,
            path: "docs/runbook.md",
            project,
            settings: &settings,
        };
        let mut out = Vec::new();
        rule.check(&cx, &mut out);
        let index = crate::span::LineIndex::new(markdown);
        out.into_iter()
            .map(|d| (index.position(markdown, d.span.start).0, d.message))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_documented() {
        let rules = builtin_rules();
        let mut ids: Vec<&str> = rules.iter().map(|r| r.meta().id).collect();
        ids.extend(ENGINE_RULES.iter().map(|m| m.id));
        for id in &ids {
            assert!(
                id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{id} is not kebab-case"
            );
        }
        let count = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), count, "duplicate rule id");
        for rule in &rules {
            let docs = docs_text(rule.meta().docs);
            for heading in ["## What it does", "## Why is this bad?", "## Example"] {
                assert!(
                    docs.contains(heading),
                    "{} docs lack {heading}",
                    rule.meta().id
                );
            }
        }
    }
}
