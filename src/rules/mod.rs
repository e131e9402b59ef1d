//! The rules: the only place that knows both the runbook model and the project facts.
//!
//! One rule is one file. `declare_rule!` declares it: its id, default severity, summary,
//! options type and (for pack-driven rules) its pack, and its documentation, the `///` block,
//! which becomes rustdoc, `runbook-lint explain RULE` and `docs/rules/RULE.md` alike. The rule
//! writes `fn run(&self, cx: &mut Cx)` and reports with `cx.report(span, message)`; the id and
//! default severity come from the declaration. A rule never re-parses Markdown, never parses a
//! command line and never reads the disk: it asks the [`Document`] (and the command layer's
//! invocations) and the [`ProjectFacts`].
//!
//! Adding a rule: a file here, one line in `register_rules!` (which declares its module and
//! lists it in [`RULES`]), and a fixtures folder `fixtures/rules/<id>/{invalid,valid}/`
//! (collected by the fixture test).

pub mod pack_rule;
pub mod placeholders;
pub mod safety;

pub use crate::config::pack::{ContextLevels, Pack};
use crate::config::Settings;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{Document, EnvContext};
use crate::facts::ProjectFacts;

pub use missing_section::MissingSectionOptions;
pub use stale_review_date::StaleReviewDateOptions;
pub use undeclared_env_var::UndeclaredEnvVarOptions;

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
    /// Documentation of its options (Markdown), empty when it has none.
    pub options: &'a str,
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

    /// Looks a script call up in its target package, then the runbook's and the root's
    /// packages; a call run in a container or on another host falls back on the root's only.
    pub fn lookup_script<'f>(
        &'f self,
        command: &crate::command::Command,
        call: &crate::command::tools::ScriptRun,
        target: &crate::facts::node::Target,
    ) -> crate::facts::node::Lookup<'f> {
        let remote = command.invocation().is_some_and(|i| !i.is_local());
        let fallbacks: &[&str] = if remote { &[""] } else { &[self.dir(), ""] };
        self.project.node.lookup(call, target, fallbacks)
    }

    /// The package script a command runs, with the package it runs in: the innermost
    /// invocation's. In a container or on another host, that is the package the repository
    /// says runs there ([`crate::facts::ProjectFacts::package_dir_at`]), else any package.
    pub fn script_call<'c>(
        &self,
        command: &'c crate::command::Command,
    ) -> Option<(
        &'c crate::command::tools::ScriptRun,
        crate::facts::node::Target,
    )> {
        use crate::command::tools::PackageTarget;
        use crate::facts::node::Target;
        let invocation = command.invocation()?;
        let run = invocation.script.as_ref()?;
        if invocation.is_local() {
            return Some((run, self.script_target(command, run)?));
        }
        let target = match &run.target {
            PackageTarget::Named(name) => Target::Named(name.clone()),
            PackageTarget::All => Target::All,
            PackageTarget::Here | PackageTarget::Dir(_) | PackageTarget::Root => {
                match self.project.package_at(&invocation.location) {
                    crate::facts::PackageThere::Dir(dir) => Target::Dir(dir),
                    crate::facts::PackageThere::Any => Target::All,
                    // A published image's scripts are not this repository's.
                    crate::facts::PackageThere::Foreign => return None,
                }
            }
        };
        Some((run, target))
    }
}

/// A lint rule.
pub trait Rule: Send + Sync {
    /// The rule's id, default severity and documentation.
    fn meta(&self) -> RuleMeta<'_>;
    /// Reports the rule's findings for one runbook through `cx`.
    fn check(&self, cx: &mut Cx<'_, '_>);
    /// The pack whose entries drive the rule, for `runbook-lint rules` to list them.
    fn pack(&self) -> Option<&Pack> {
        None
    }
}

/// What a rule sees of one runbook ([`RuleContext`], through `Deref`), and where its findings
/// go: [`Cx::report`] files a finding under the rule's id and default severity.
pub struct Cx<'r, 'a> {
    file: &'r RuleContext<'a>,
    rule: RuleMeta<'r>,
    out: &'r mut Vec<Diagnostic>,
}

impl<'r, 'a> Cx<'r, 'a> {
    /// Findings of `rule` on `file` go to `out`.
    pub fn new(
        file: &'r RuleContext<'a>,
        rule: RuleMeta<'r>,
        out: &'r mut Vec<Diagnostic>,
    ) -> Self {
        Cx { file, rule, out }
    }

    /// What the rule sees, borrowed for as long as the check runs (not only as long as `cx`),
    /// for helpers and closures that look while the rule reports.
    pub fn file(&self) -> &'r RuleContext<'a> {
        self.file
    }

    /// Reports a finding at `span` with the rule's id and default severity; the returned
    /// finding takes a label, a help and, for context-dependent rules, another severity.
    pub fn report(
        &mut self,
        span: crate::span::Span,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.out.push(Diagnostic::new(
            self.rule.id,
            self.rule.default_severity,
            span,
            message,
        ));
        self.out.last_mut().expect("a finding was just pushed")
    }
}

impl<'a> std::ops::Deref for Cx<'_, 'a> {
    type Target = RuleContext<'a>;

    fn deref(&self) -> &RuleContext<'a> {
        self.file
    }
}

/// A rule's options: a config struct beside the rule, read from the rule's table in the config
/// (`[rules.stale-review-date]`, `review-window-days = 90`) and validated when the config
/// loads (a bad value is a config error naming the file, line and key).
pub trait RuleOptions:
    Default + Clone + serde::de::DeserializeOwned + std::fmt::Debug + Send + Sync + 'static
{
    /// The options' documentation for `explain` and `docs/rules/` (Markdown), empty for none.
    const DOCS: &'static str;

    /// Checks what serde cannot (ranges); the message names the key.
    fn validate(&self) -> Result<(), String> {
        Ok(())
    }
}

/// The options of a rule that has none: its table may hold only `level`.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoOptions {}

impl RuleOptions for NoOptions {
    const DOCS: &'static str = "";
}

/// What `declare_rule!` generates for a built-in rule: its metadata and options type.
pub trait Declared: Rule + Sized + 'static {
    /// The rule's options.
    type Options: RuleOptions;
    /// Its id, default severity, summary and docs.
    const META: RuleMeta<'static>;
    /// The rule, configured.
    fn with_options(options: Self::Options) -> Self;
    /// The embedded pack whose entries drive the rule, if any.
    fn builtin_pack() -> Option<&'static Pack> {
        None
    }
}

/// One built-in rule in [`RULES`]: its metadata, how the config reads its options, and how to
/// build it.
#[derive(Clone, Copy)]
pub struct RuleEntry {
    /// Id, default severity, summary and docs.
    pub meta: RuleMeta<'static>,
    /// Parses and validates the rule's options table (for the config).
    pub parse_options: crate::config::OptionsParser,
    build: fn(&Settings) -> Box<dyn Rule>,
    /// The rule's embedded pack: its entries may be named like rules (`git-push-force`).
    pub pack: fn() -> Option<&'static Pack>,
}

impl RuleEntry {
    /// The entry of a declared rule.
    pub const fn of<R: Declared>() -> RuleEntry {
        RuleEntry {
            meta: R::META,
            parse_options: parse_options::<R>,
            build: build::<R>,
            pack: R::builtin_pack,
        }
    }

    /// The rule, with the options the settings hold for it (defaults when none).
    pub fn build(&self, settings: &Settings) -> Box<dyn Rule> {
        (self.build)(settings)
    }

    /// What the config needs to know of the rule.
    pub fn known(&self) -> crate::config::KnownRule<'static> {
        crate::config::KnownRule {
            id: self.meta.id,
            parse_options: Some(self.parse_options),
        }
    }
}

fn parse_options<R: Declared>(
    table: toml::Table,
) -> Result<std::sync::Arc<dyn std::any::Any + Send + Sync>, String> {
    let options: R::Options = toml::Value::Table(table)
        .try_into()
        .map_err(|e: toml::de::Error| e.message().trim().to_string())?;
    options.validate()?;
    Ok(std::sync::Arc::new(options))
}

fn build<R: Declared>(settings: &Settings) -> Box<dyn Rule> {
    let options = settings
        .rule_options
        .get(R::META.id)
        .and_then(|o| o.downcast_ref::<R::Options>())
        .cloned()
        .unwrap_or_default();
    Box::new(R::with_options(options))
}

/// Declares a rule from a doc comment and a header, like clippy's `declare_clippy_lint!` and
/// oxc's `declare_oxc_lint!`: the `///` lines become both rustdoc and the text of
/// `runbook-lint explain`, so the documentation lives once, next to the code.
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does ...
///     pub struct StaleReviewDate {
///         id: "stale-review-date",
///         severity: Warning,
///         summary: "...",
///         options: StaleReviewDateOptions,              // optional: a RuleOptions struct
///         pack: "rules/destructive-command.toml",       // optional: the rule's embedded pack
///     }
/// }
/// impl StaleReviewDate {
///     fn run(&self, cx: &mut Cx<'_, '_>) { ... cx.report(span, "message") ... }
/// }
/// ```
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            id: $id:literal,
            severity: $severity:ident,
            summary: $summary:literal
            $(, options: $options:ty)?
            $(, pack: $pack:literal)?
            $(,)?
        }
    ) => {
        $crate::rules::declare_rule!(@struct [$(#[doc = $doc])*] $name [$($options)?]);

        impl $crate::rules::Declared for $name {
            type Options = $crate::rules::declare_rule!(@options [$($options)?]);
            const META: $crate::rules::RuleMeta<'static> = $crate::rules::RuleMeta {
                id: $id,
                default_severity: $crate::diagnostic::Severity::$severity,
                summary: $summary,
                docs: concat!($($doc, "\n"),*),
                options: <Self::Options as $crate::rules::RuleOptions>::DOCS,
            };
            fn with_options(options: Self::Options) -> Self {
                $crate::rules::declare_rule!(@new $name options [$($options)?])
            }
            $(
            fn builtin_pack() -> Option<&'static $crate::config::pack::Pack> {
                let _ = $pack;
                Some(Self::catalogue())
            }
            )?
        }

        impl $name {
            /// The rule's metadata.
            pub const META: $crate::rules::RuleMeta<'static> =
                <Self as $crate::rules::Declared>::META;
            $(
            /// The rule's pack, embedded and parsed once.
            pub fn catalogue() -> &'static $crate::config::pack::Pack {
                static PACK: std::sync::LazyLock<$crate::config::pack::Pack> =
                    std::sync::LazyLock::new(|| {
                        $crate::config::pack::Pack::parse(
                            $pack,
                            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $pack)),
                        )
                        .expect("embedded packs are valid (unit-tested)")
                    });
                &PACK
            }
            )?
        }

        impl $crate::rules::Rule for $name {
            fn meta(&self) -> $crate::rules::RuleMeta<'_> {
                Self::META
            }

            fn check(&self, cx: &mut $crate::rules::Cx<'_, '_>) {
                self.run(cx)
            }

            $(
            fn pack(&self) -> Option<&$crate::config::pack::Pack> {
                let _ = $pack;
                Some(Self::catalogue())
            }
            )?
        }
    };
    (@struct [$($attr:tt)*] $name:ident []) => {
        $($attr)*
        #[derive(Debug, Default, Clone, Copy)]
        pub struct $name;
    };
    (@struct [$($attr:tt)*] $name:ident [$options:ty]) => {
        $($attr)*
        #[derive(Debug, Default, Clone)]
        pub struct $name {
            /// The rule's options, from the config.
            pub options: $options,
        }
    };
    (@options []) => { $crate::rules::NoOptions };
    (@options [$options:ty]) => { $options };
    (@new $name:ident $value:ident []) => {{
        let _ = $value;
        $name
    }};
    (@new $name:ident $value:ident [$options:ty]) => {
        $name { options: $value }
    };
}
pub(crate) use declare_rule;

/// Declares each built-in rule's module, re-exports its type, and lists it in [`RULES`]: one
/// line per rule, the only registration.
macro_rules! register_rules {
    ($($module:ident::$rule:ident,)*) => {
        $(
            #[doc = concat!("The rule [`", stringify!($rule), "`]: its declaration, options and check.")]
            pub mod $module;
            pub use $module::$rule;
        )*

        /// The built-in rules, in the order `runbook-lint rules` lists them.
        pub const RULES: &[RuleEntry] = &[$(RuleEntry::of::<$rule>()),*];
    };
}

register_rules! {
    missing_script::MissingScript,
    unsafe_migration::UnsafeMigration,
    unresolved_placeholder::UnresolvedPlaceholder,
    placeholder_contact::PlaceholderContact,
    undeclared_env_var::UndeclaredEnvVar,
    unknown_service::UnknownService,
    compose_flag_order::ComposeFlagOrder,
    compose_exec_tty::ComposeExecTty,
    unpublished_port::UnpublishedPort,
    unknown_kubernetes_object::UnknownKubernetesObject,
    unknown_workflow::UnknownWorkflow,
    unknown_app::UnknownApp,
    missing_make_target::MissingMakeTarget,
    missing_file::MissingFile,
    broken_link::BrokenLink,
    // Operational safety rules.
    destructive_command::DestructiveCommand,
    pipe_to_shell::PipeToShell,
    migration_without_backup::MigrationWithoutBackup,
    hardcoded_secret::HardcodedSecret,
    localhost_in_production::LocalhostInProduction,
    insecure_connection::InsecureConnection,
    stale_review_date::StaleReviewDate,
    missing_section::MissingSection,
    empty_checklist_item::EmptyChecklistItem,
    mojibake::Mojibake,
}

/// The built-in rules with default options.
pub fn builtin_rules() -> Vec<Box<dyn Rule>> {
    let defaults = Settings::default();
    RULES.iter().map(|entry| entry.build(&defaults)).collect()
}

/// What the config needs to know of every rule the engine knows: the built-in ones (with their
/// options), the engine's own, and the entries of the built-in packs (`git-push-force`), which
/// `[rules]` may set like rules.
pub fn known_rules() -> Vec<crate::config::KnownRule<'static>> {
    let plain = |id: &'static str| crate::config::KnownRule {
        id,
        parse_options: None,
    };
    RULES
        .iter()
        .map(RuleEntry::known)
        .chain(ENGINE_RULES.iter().map(|meta| plain(meta.id)))
        .chain(
            RULES
                .iter()
                .filter_map(|rule| (rule.pack)())
                .flat_map(|pack| pack.entries.iter().map(|e| plain(e.id.as_str()))),
        )
        .collect()
}

/// A pack entry by id: the built-in packs', then `packs`' (a project's own), with the pack.
pub fn find_entry<'a>(
    id: &str,
    packs: impl IntoIterator<Item = &'a Pack>,
) -> Option<(&'a Pack, &'a crate::config::pack::Entry)> {
    RULES
        .iter()
        .filter_map(|rule| (rule.pack)())
        .chain(packs)
        .find_map(|pack| pack.entries.iter().find(|e| e.id == id).map(|e| (pack, e)))
}

/// The rules of a project: the built-in ones (with the project's options), then the user's
/// packs and inline `[[rule]]`s from its config.
pub fn rule_set(settings: &Settings) -> Vec<Box<dyn Rule>> {
    let mut rules: Vec<Box<dyn Rule>> = RULES.iter().map(|entry| entry.build(settings)).collect();
    for pack in &settings.packs {
        rules.push(Box::new(pack_rule::PackRule::new(pack.clone(), "")));
    }
    rules
}

/// Rule ids produced outside the rule set: by the engine itself.
pub const ENGINE_RULES: &[RuleMeta<'static>] = &[
    RuleMeta {
        id: "invalid-manifest",
        default_severity: Severity::Error,
        summary: "a manifest the runbooks are checked against cannot be parsed",
        docs: " ## What it does\n Reports a package.json, YAML or TOML manifest that cannot be read or parsed,\n with the line and column of the problem.\n\n ## Why is this bad?\n The runbooks that depend on it cannot be checked against it, and the tools the\n runbook calls will fail on it too. The other rules still run.\n",
        options: "",
    },
    RuleMeta {
        id: "invalid-suppression",
        default_severity: Severity::Warning,
        summary: "a suppression comment names an unknown rule or directive",
        docs: concat!(
            " ## What it does\n",
            " Reports a `<!-- runbook-lint-... -->` comment whose directive is not one of\n",
            " `disable-next-line`, `disable-line`, `disable`, `enable`, or that names a rule or pack\n",
            " entry runbook-lint does not know (the built-in rules, their pack entries such as\n",
            " `git-push-force`, and the project's own packs), with the closest known name.\n",
            "\n",
            " ## Why is this bad?\n",
            " A typo in a suppression suppresses nothing: the finding it was written for still\n",
            " shows, or, worse, the comment looks like it documents an accepted risk that is not\n",
            " accepted at all. A comment that names only unknown rules suppresses nothing rather\n",
            " than everything.\n",
            "\n",
            " ## Example\n",
            " ```markdown\n",
            " <!-- runbook-lint-disable-next-line missing-scirpt -->\n",
            " Run `pnpm test:legacy` on the old pipeline.\n",
            " ```\n",
            " Use instead:\n",
            " ```markdown\n",
            " <!-- runbook-lint-disable-next-line missing-script -->\n",
            " Run `pnpm test:legacy` on the old pipeline.\n",
            " ```\n",
        ),
        options: "",
    },
    RuleMeta {
        id: "unused-suppression",
        default_severity: Severity::Warning,
        summary: "a suppression comment that suppresses nothing (off by default)",
        docs: concat!(
            " ## What it does\n",
            " Reports a suppression comment, or one rule named in it, that hid no finding in\n",
            " this run, like ruff's `RUF100`. Its fix (safe) removes a comment that suppresses\n",
            " nothing at all; a comment of several rules of which only some are unused is left\n",
            " for a person to edit.\n",
            "\n",
            " **Off by default**: turn it on with `unused-suppression = \"warning\"` in `[rules]` or\n",
            " `--extend-select unused-suppression`. Only suppressions of rules that ran are\n",
            " judged: a comment for a rule the config or `--select` turns off is not reported, so\n",
            " a runbook shared by projects with different configs does not flip-flop. When\n",
            " suppressions overlap, the innermost (the one that starts last) is credited with the\n",
            " finding, and an outer one that hides nothing else is reported.\n",
            "\n",
            " ## Why is this bad?\n",
            " A suppression outlives the finding it was written for: the script gets added, the\n",
            " placeholder gets filled in. Left in place it hides the next real finding on that\n",
            " line, and it tells readers about a risk that is gone.\n",
            "\n",
            " ## Example\n",
            " ```markdown\n",
            " <!-- runbook-lint-disable-next-line missing-script -->\n",
            " Run `pnpm test` (package.json has `test`).\n",
            " ```\n",
            " Use instead:\n",
            " ```markdown\n",
            " Run `pnpm test` (package.json has `test`).\n",
            " ```\n",
        ),
        options: "",
    },
];

/// Rules that report nothing unless the config or `--select`/`--extend-select` turns them on.
pub const DEFAULT_OFF: &[&str] = &["unused-suppression"];

/// Whether a rule reports when the config says nothing about it.
pub fn on_by_default(id: &str) -> bool {
    !DEFAULT_OFF.contains(&id)
}

/// Every rule's documentation, built-in then engine rules, in `runbook-lint rules` order: for
/// `explain`, SARIF rule metadata and the generated `docs/rules/RULE.md` pages.
pub fn docs() -> Vec<crate::ruledocs::RuleDoc> {
    RULES
        .iter()
        .map(|entry| entry.meta)
        .chain(ENGINE_RULES.iter().copied())
        .map(|meta| crate::ruledocs::RuleDoc {
            id: meta.id.to_string(),
            default_severity: meta.default_severity,
            on_by_default: on_by_default(meta.id),
            summary: meta.summary.to_string(),
            docs: full_docs(&meta),
        })
        .collect()
}

/// A rule's documentation with its options section, rustdoc indentation removed.
pub fn full_docs(meta: &RuleMeta<'_>) -> String {
    let docs = docs_text(meta.docs);
    if meta.options.is_empty() {
        docs
    } else {
        format!(
            "{docs}\n\n## Options\nIn the rule's table of the config (`[rules.{}]`):\n\n{}",
            meta.id,
            docs_text(meta.options)
        )
    }
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
        rule.check(&mut Cx::new(&cx, rule.meta(), &mut out));
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
