//! `runbook-lint.toml` / `.runbook-lint.toml` at the project root → [`Settings`].
//!
//! Unknown keys and bad values are errors that name the file, line and key: a typo in a
//! linter's config must never silently turn a rule off.

use std::any::Any;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

pub mod pack;

use crate::diagnostic::Level;
use crate::document::{AnchorStyle, ContextWords, EnvContext};
use crate::span::LineIndex;

/// Config file names, in the order they are looked for.
pub const CONFIG_FILES: &[&str] = &["runbook-lint.toml", ".runbook-lint.toml"];

/// The Python project file, which holds the config under `[tool.runbook-lint]` (as ruff reads
/// `[tool.ruff]`); looked for after [`CONFIG_FILES`], and only a file with that table counts.
pub const PYPROJECT: &str = "pyproject.toml";

/// Whether a pyproject.toml's text has a `[tool.runbook-lint]` table (or a sub-table of it):
/// a look at its table headers, so a broken file that has one is still reported as a config.
pub fn configures_runbook_lint(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim_start().trim_start_matches('[').trim_start();
        line.starts_with("tool.runbook-lint]")
            || line.starts_with("tool.runbook-lint.")
            || line.starts_with("tool.\"runbook-lint\"")
    })
}

/// Whether `dir` holds a pyproject.toml with a `[tool.runbook-lint]` table.
pub fn pyproject_configures(dir: &Path) -> bool {
    let path = dir.join(PYPROJECT);
    if !path.is_file() {
        return false;
    }
    let root = crate::fsio::Root::new(dir).ok();
    crate::fsio::read_string(&path, root.as_ref(), MAX_CONFIG_BYTES)
        .is_ok_and(|text| configures_runbook_lint(&text))
}

/// Largest config file read.
const MAX_CONFIG_BYTES: u64 = crate::fsio::MAX_PROJECT_FILE_BYTES;

/// The config files present at `root`, in the order they win: `runbook-lint.toml`,
/// `.runbook-lint.toml`, then a pyproject.toml with `[tool.runbook-lint]`.
fn config_candidates(root: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = CONFIG_FILES
        .iter()
        .map(|name| root.join(name))
        .filter(|p| std::fs::symlink_metadata(p).is_ok())
        .collect();
    if pyproject_configures(root) {
        found.push(root.join(PYPROJECT));
    }
    found
}

/// Whether a config path is a pyproject.toml (its config is the `[tool.runbook-lint]` table).
fn is_pyproject(path: &Path) -> bool {
    path.file_name().is_some_and(|name| name == PYPROJECT)
}

/// The config table of a file: the whole file, or a pyproject.toml's `[tool.runbook-lint]`
/// (its spans stay those of the whole file, so errors point at the right line).
fn config_table<T: serde::de::DeserializeOwned + Default>(
    text: &str,
    pyproject: bool,
) -> Result<T, toml::de::Error> {
    #[derive(Deserialize)]
    struct PyProject<T> {
        tool: Option<Tool<T>>,
    }
    #[derive(Deserialize)]
    struct Tool<T> {
        #[serde(rename = "runbook-lint")]
        runbook_lint: Option<T>,
    }
    if pyproject {
        Ok(toml::from_str::<PyProject<T>>(text)?
            .tool
            .and_then(|tool| tool.runbook_lint)
            .unwrap_or_default())
    } else {
        toml::from_str(text)
    }
}

/// A config that could not be loaded: `path:line:column: message`, or `cannot read path:
/// message` when the file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The config file, as the user would name it (relative to the working directory).
    pub path: String,
    /// 1-based line (0 when the file could not be read).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong, naming the key.
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "cannot read {}: {}", self.path, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.path, self.line, self.column, self.message
            )
        }
    }
}

impl std::error::Error for ConfigError {}

/// `path` as the user would name it from `base`: relative when under it.
fn shown_path(base: &Path, path: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Parses and validates a rule's options table into the rule's options type.
pub type OptionsParser = fn(toml::Table) -> Result<Arc<dyn Any + Send + Sync>, String>;

/// A rule the config may name: in `[rules]`, with options when it has any.
#[derive(Debug, Clone, Copy)]
pub struct KnownRule<'a> {
    /// The rule id.
    pub id: &'a str,
    /// Reads its options (`[rules.<id>]` keys other than `level`); `None`: it has none.
    pub parse_options: Option<OptionsParser>,
}

/// Rule options that predate `[rules.<id>]` tables and are still read at the top level:
/// `(key, rule)`.
const TOP_LEVEL_OPTIONS: &[(&str, &str)] = &[
    ("review-window-days", "stale-review-date"),
    ("required-sections", "missing-section"),
    ("allow-env", "undeclared-env-var"),
];

/// A `[rules]` entry: a level, or a table with an optional `level` and the rule's options.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RuleSetting {
    Level(String),
    Table(toml::Table),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ConfigFile {
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    unknown_context: Option<toml::Spanned<String>>,
    #[serde(default)]
    rules: BTreeMap<toml::Spanned<String>, toml::Spanned<RuleSetting>>,
    #[serde(default)]
    context: Option<ContextFile>,
    max_file_size: Option<toml::Spanned<toml::Value>>,
    #[serde(default)]
    #[allow(dead_code)] // read by `load_packs` before the full parse
    packs: Vec<String>,
    #[serde(default)]
    rule: Vec<toml::Spanned<pack::InlineRuleFile>>,
    today: Option<toml::Spanned<String>>,
    review_window_days: Option<toml::Spanned<toml::Value>>,
    required_sections: Option<toml::Spanned<toml::Value>>,
    allow_env: Option<toml::Spanned<toml::Value>>,
    anchors: Option<toml::Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ContextFile {
    production: Option<Vec<String>>,
    staging: Option<Vec<String>>,
    development: Option<Vec<String>>,
    rollback: Option<Vec<String>>,
}

/// Resolved settings for one project root.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The file they came from, if any.
    pub path: Option<PathBuf>,
    /// Only runbooks matching these globs (relative to the root) are linted; empty: all.
    pub include: Option<GlobSet>,
    /// Runbooks matching these globs are skipped.
    pub exclude: Option<GlobSet>,
    /// What an unknown section context counts as for severities.
    pub unknown_context: EnvContext,
    /// Per-rule level overrides.
    pub levels: BTreeMap<String, Level>,
    /// Heading words per context.
    pub context_words: ContextWords,
    /// `max-file-size`: Markdown files over this many bytes are skipped with a warning.
    pub max_file_size: Option<u64>,
    /// User rule packs (`packs = [...]`) and inline `[[rule]]`s, loaded and validated.
    pub packs: Vec<pack::Pack>,
    /// The date runs are judged against (`today = "YYYY-MM-DD"` or `--today`); the clock when
    /// unset.
    pub today: Option<crate::date::Date>,
    /// Each configured rule's options, parsed and validated by the rule's options type (the
    /// rule downcasts them); a rule with none configured uses its defaults.
    pub rule_options: BTreeMap<String, Arc<dyn Any + Send + Sync>>,
    /// `anchors = "github" | "mkdocs" | "docusaurus"`: how every Markdown file's heading
    /// anchors are written, instead of deciding per file from the site config present.
    pub anchors: Option<AnchorStyle>,
    /// The command line's rule selection, over the levels.
    pub selection: Selection,
    /// Notes about the config that are not errors (another config file also present).
    pub warnings: Vec<String>,
}

/// `--select`, `--extend-select` and `--ignore`: rule and pack entry ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Only these run (`None`: every rule the config leaves on).
    pub select: Option<std::collections::BTreeSet<String>>,
    /// These run too, even where the config (or their default) turns them off.
    pub extend: std::collections::BTreeSet<String>,
    /// These never run; wins over the others.
    pub ignore: std::collections::BTreeSet<String>,
}

impl Selection {
    /// Every id named.
    pub fn ids(&self) -> impl Iterator<Item = &String> {
        self.select
            .iter()
            .flatten()
            .chain(&self.extend)
            .chain(&self.ignore)
    }

    /// True when `id` is selected by name (`--select` or `--extend-select`).
    fn forces(&self, id: &str) -> bool {
        self.extend.contains(id) || self.select.as_ref().is_some_and(|s| s.contains(id))
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            path: None,
            include: None,
            exclude: None,
            unknown_context: EnvContext::Production,
            levels: BTreeMap::new(),
            context_words: ContextWords::default(),
            max_file_size: None,
            packs: Vec::new(),
            today: None,
            rule_options: BTreeMap::new(),
            anchors: None,
            selection: Selection::default(),
            warnings: Vec::new(),
        }
    }
}

impl Settings {
    /// Loads the config of the project at `root` (or `explicit`, a `--config` path given in
    /// the directory `base`), or defaults when there is none. `known_rules` validates `[rules]`
    /// keys and reads rule options.
    ///
    /// A discovered config must resolve inside the project root; an explicit one inside `base`
    /// when it was named there (a committed `ci.toml -> /proc/self/environ` is refused), and
    /// anywhere when named outside it. Either way only a regular file of at most 10 MB is read.
    pub fn load(
        root: &Path,
        explicit: Option<&Path>,
        base: &Path,
        known_rules: &[KnownRule<'_>],
    ) -> Result<Settings, ConfigError> {
        let mut warnings = Vec::new();
        let (path, contained) =
            match explicit {
                Some(path) => (
                    Some(path.to_path_buf()),
                    crate::fsio::user_path_root(base, path),
                ),
                None => {
                    let found = config_candidates(root);
                    if let [used, ignored @ ..] = found.as_slice() {
                        if !ignored.is_empty() {
                            let name = |p: &Path| {
                                let shown = shown_path(base, p);
                                if is_pyproject(p) {
                                    format!("{shown} [tool.runbook-lint]")
                                } else {
                                    shown
                                }
                            };
                            warnings.push(format!(
                            "{} and {} both configure runbook-lint; using {} (remove the other)",
                            name(used),
                            ignored.iter().map(|p| name(p)).collect::<Vec<_>>().join(" and "),
                            name(used),
                        ));
                        }
                    }
                    (found.into_iter().next(), crate::fsio::Root::new(root).ok())
                }
            };
        let Some(path) = path else {
            return Ok(Settings::default());
        };
        let pyproject = is_pyproject(&path);
        let display = shown_path(base, &path);
        let cannot_read = |message: String| ConfigError {
            path: display.clone(),
            line: 0,
            column: 0,
            message,
        };
        let text = crate::fsio::read_string(
            &path,
            contained.as_ref(),
            crate::fsio::MAX_PROJECT_FILE_BYTES,
        )
        .map_err(|error| cannot_read(error.to_string()))?;
        // User packs first: their rule ids are valid keys of `[rules]`.
        let packs = load_packs(root, &display, &text, pyproject)?;
        let mut known: Vec<KnownRule<'_>> = known_rules.to_vec();
        known.extend(packs.iter().map(|p| KnownRule {
            id: p.rule.as_str(),
            parse_options: None,
        }));
        // Their entries may be set like rules, as the built-in packs' may.
        known.extend(packs.iter().flat_map(|p| {
            p.entries.iter().map(|e| KnownRule {
                id: e.id.as_str(),
                parse_options: None,
            })
        }));
        let mut settings = Settings::parse_table(&display, &text, &known, pyproject)?;
        settings.packs.splice(0..0, packs);
        settings.path = Some(path);
        settings.warnings = warnings;
        Ok(settings)
    }

    /// Parses config text; `path` names it in errors.
    pub fn parse(
        path: &str,
        text: &str,
        known_rules: &[KnownRule<'_>],
    ) -> Result<Settings, ConfigError> {
        Settings::parse_table(path, text, known_rules, false)
    }

    /// Parses a config file's text: the whole file, or (`pyproject`) its `[tool.runbook-lint]`.
    fn parse_table(
        path: &str,
        text: &str,
        known_rules: &[KnownRule<'_>],
        pyproject: bool,
    ) -> Result<Settings, ConfigError> {
        let index = LineIndex::new(text);
        // Messages quote values from the file: masked, escaped and cut short.
        let error_at = |offset: usize, message: String| {
            let (line, column) = index.position(text, offset);
            ConfigError {
                path: path.to_string(),
                line,
                column,
                message: crate::redact::shown_message(&message),
            }
        };
        let file: ConfigFile = config_table(text, pyproject).map_err(|error| {
            let offset = error.span().map(|s| s.start).unwrap_or(0);
            error_at(offset, error.message().trim().to_string())
        })?;
        let mut settings = Settings {
            include: globs(&file.include).map_err(|m| error_at(0, format!("include: {m}")))?,
            exclude: globs(&file.exclude).map_err(|m| error_at(0, format!("exclude: {m}")))?,
            ..Settings::default()
        };
        if let Some(value) = &file.unknown_context {
            settings.unknown_context = EnvContext::parse(value.get_ref()).ok_or_else(|| {
                error_at(
                    value.span().start,
                    format!(
                        "unknown-context: `{}` is not one of production, staging, development, rollback, unknown",
                        crate::redact::shown(value.get_ref())
                    ),
                )
            })?;
        }
        for spanned in file.rule {
            let start = spanned.span().start;
            let pack = pack::Pack::from_inline(path, text, start, spanned.into_inner())
                .map_err(|e| error_at(start, e.message))?;
            settings.packs.push(pack);
        }
        let inline_ids: Vec<String> = settings.packs.iter().map(|p| p.rule.clone()).collect();
        if let Some(value) = &file.today {
            settings.today = Some(crate::date::Date::parse_iso(value.get_ref()).ok_or_else(
                || {
                    error_at(
                        value.span().start,
                        format!(
                            "today: `{}` is not a date (YYYY-MM-DD)",
                            crate::redact::shown(value.get_ref())
                        ),
                    )
                },
            )?);
        }
        // Each rule's options table, and where to point an error in it.
        let mut options: BTreeMap<&str, (toml::Table, usize)> = BTreeMap::new();
        for (rule, setting) in &file.rules {
            let id = rule.get_ref().as_str();
            let known = known_rules.iter().find(|k| k.id == id);
            if known.is_none() && !inline_ids.iter().any(|i| i == id) {
                let hint =
                    crate::diagnostic::did_you_mean_text(id, known_rules.iter().map(|k| k.id))
                        .map(|h| format!("; {h}"))
                        .unwrap_or_default();
                return Err(error_at(
                    rule.span().start,
                    format!("rules: unknown rule `{}`{hint}", crate::redact::shown(id)),
                ));
            }
            let (level, level_at) = match setting.get_ref() {
                RuleSetting::Level(level) => (Some(level.clone()), setting.span().start),
                RuleSetting::Table(table) => {
                    let mut table = table.clone();
                    let level = match table.remove("level") {
                        Some(toml::Value::String(level)) => Some(level),
                        Some(other) => Some(other.to_string()),
                        None => None,
                    };
                    if !table.is_empty() {
                        if known.and_then(|k| k.parse_options).is_none() {
                            let key = table.keys().next().cloned().unwrap_or_default();
                            return Err(error_at(
                                setting.span().start,
                                format!(
                                    "rules.{id}: unknown key `{}`; the rule has no options",
                                    crate::redact::shown(&key)
                                ),
                            ));
                        }
                        options.insert(id, (table, setting.span().start));
                    }
                    (level, setting.span().start)
                }
            };
            if let Some(level) = level {
                let parsed = Level::parse(&level).ok_or_else(|| {
                    error_at(
                        level_at,
                        format!(
                            "rules.{id}: `{}` is not one of error, warning, info, off",
                            crate::redact::shown(&level)
                        ),
                    )
                })?;
                settings.levels.insert(id.to_string(), parsed);
            }
        }
        // Options written at the top level, unless the rule's table sets them too.
        let top_level = [
            &file.review_window_days,
            &file.required_sections,
            &file.allow_env,
        ];
        let mut top_level_at: BTreeMap<&str, usize> = BTreeMap::new();
        for ((key, rule), value) in TOP_LEVEL_OPTIONS.iter().zip(top_level) {
            let Some(value) = value else {
                continue;
            };
            let (table, at) = options
                .entry(rule)
                .or_insert_with(|| (toml::Table::new(), value.span().start));
            if !table.contains_key(*key) {
                table.insert(key.to_string(), value.get_ref().clone());
                top_level_at.insert(rule, value.span().start);
                *at = (*at).min(value.span().start);
            }
        }
        for (id, (table, at)) in options {
            let Some(parse) = known_rules
                .iter()
                .find(|k| k.id == id)
                .and_then(|k| k.parse_options)
            else {
                continue;
            };
            let parsed = parse(table).map_err(|message| match top_level_at.get(id) {
                // A top-level key: its message names it already.
                Some(&key_at) => error_at(key_at, message),
                None => error_at(at, format!("rules.{id}: {message}")),
            })?;
            settings.rule_options.insert(id.to_string(), parsed);
        }
        if let Some(context) = file.context {
            let words = &mut settings.context_words;
            if let Some(list) = context.production {
                words.production = lower(list);
            }
            if let Some(list) = context.staging {
                words.staging = lower(list);
            }
            if let Some(list) = context.development {
                words.development = lower(list);
            }
            if let Some(list) = context.rollback {
                words.rollback = lower(list);
            }
        }
        if let Some(value) = &file.anchors {
            settings.anchors = Some(match value.get_ref().to_ascii_lowercase().as_str() {
                "github" => AnchorStyle::GitHub,
                "mkdocs" => AnchorStyle::MkDocs { unicode: false },
                "docusaurus" => AnchorStyle::Docusaurus,
                other => {
                    return Err(error_at(
                        value.span().start,
                        format!("anchors: `{other}` is not one of github, mkdocs, docusaurus"),
                    ))
                }
            });
        }
        if let Some(value) = &file.max_file_size {
            settings.max_file_size = Some(parse_size(value.get_ref()).ok_or_else(|| {
                error_at(
                    value.span().start,
                    "max-file-size: expected a number of bytes or a size like \"10 MB\""
                        .to_string(),
                )
            })?);
        }
        Ok(settings)
    }

    /// The level configured for a rule, if any.
    pub fn level(&self, rule: &str) -> Option<Level> {
        self.levels.get(rule).copied()
    }

    /// The severity a finding of `rule` (from pack entry `entry`) is reported with, `None`
    /// when it is not reported. In order: `--ignore` drops it; `--select` keeps only what it
    /// names; the config's level for the entry, then for the rule, decides; without one the
    /// finding keeps `severity`, unless the rule is off by default (`on_by_default` false).
    /// A rule or entry named by `--select`/`--extend-select` is on even where the config (at
    /// its own level: rule or entry) or its default turns it off.
    pub fn resolve(
        &self,
        rule: &str,
        entry: Option<&str>,
        severity: crate::diagnostic::Severity,
        on_by_default: bool,
    ) -> Option<crate::diagnostic::Severity> {
        let selection = &self.selection;
        let ignored = |id: &str| selection.ignore.contains(id);
        if ignored(rule) || entry.is_some_and(ignored) {
            return None;
        }
        let rule_forced = selection.forces(rule);
        let entry_forced = entry.is_some_and(|e| selection.forces(e));
        if selection.select.is_some() && !rule_forced && !entry_forced {
            return None;
        }
        let on = |level: Level, forced: bool| match level {
            Level::On(severity) => Some(severity),
            Level::Off => forced.then_some(severity),
        };
        match entry.and_then(|e| self.level(e)) {
            Some(level) => on(level, entry_forced),
            None => match self.level(rule) {
                Some(level) => on(level, rule_forced || entry_forced),
                None => (on_by_default || rule_forced || entry_forced).then_some(severity),
            },
        }
    }

    /// Whether `rule` (with these pack entries) may report anything, so that it runs at all.
    pub fn may_report(&self, rule: &str, entries: &[&str], on_by_default: bool) -> bool {
        let any = crate::diagnostic::Severity::Error;
        self.resolve(rule, None, any, on_by_default).is_some()
            || entries
                .iter()
                .any(|e| self.resolve(rule, Some(e), any, on_by_default).is_some())
    }

    /// True when a runbook path (relative to the root) passes include/exclude.
    pub fn selects(&self, relative: &str) -> bool {
        self.include
            .as_ref()
            .is_none_or(|set| set.is_match(relative))
            && !self
                .exclude
                .as_ref()
                .is_some_and(|set| set.is_match(relative))
    }
}

/// `1048576`, `"512 KB"`, `"10MB"`, `"1 GiB"`: binary multiples, as file managers show.
pub fn parse_size(value: &toml::Value) -> Option<u64> {
    match value {
        toml::Value::Integer(n) => u64::try_from(*n).ok(),
        toml::Value::String(text) => parse_size_text(text),
        _ => None,
    }
}

/// A size with an optional unit (B, KB, MB, GB, KiB, MiB, GiB; case-insensitive).
pub fn parse_size_text(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let number: u64 = text[..split].parse().ok()?;
    let factor: u64 = match text[split..].trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return None,
    };
    number.checked_mul(factor)
}

#[derive(Default, Deserialize)]
struct PacksOnly {
    #[serde(default)]
    packs: Vec<toml::Spanned<String>>,
}

/// Loads the pack files named by the config's `packs` globs (relative to the root). A glob
/// that matches nothing or a malformed pack is an error naming the file, line and key.
fn load_packs(
    root: &Path,
    config: &str,
    text: &str,
    pyproject: bool,
) -> Result<Vec<pack::Pack>, ConfigError> {
    // Syntax errors and unknown keys are reported by the full parse; here only `packs`.
    let Ok(packs) = config_table::<PacksOnly>(text, pyproject) else {
        return Ok(Vec::new());
    };
    let index = LineIndex::new(text);
    let mut loaded = Vec::new();
    for pattern in &packs.packs {
        let at = |message: String| {
            let (line, column) = index.position(text, pattern.span().start);
            ConfigError {
                path: config.to_string(),
                line,
                column,
                message: crate::redact::shown_message(&message),
            }
        };
        let glob = Glob::new(pattern.get_ref().trim_start_matches("./"))
            .map_err(|e| at(format!("packs: bad glob `{}`: {e}", pattern.get_ref())))?
            .compile_matcher();
        let walk = crate::paths::walk(
            root,
            &crate::paths::ignore_boundary(root, root),
            crate::paths::WalkOptions::default(),
        );
        let mut files: Vec<PathBuf> = walk
            .files
            .into_iter()
            .filter(|file| {
                file.strip_prefix(root)
                    .map(|rel| glob.is_match(rel))
                    .unwrap_or(false)
            })
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(at(format!(
                "packs: `{}` matches no file",
                pattern.get_ref()
            )));
        }
        for file in files {
            let shown = file
                .strip_prefix(root)
                .unwrap_or(&file)
                .to_string_lossy()
                .replace('\\', "/");
            // A pack is a project file: a regular file inside the root, like the manifests.
            let contained = crate::fsio::Root::new(root).ok();
            let body = crate::fsio::read_string(
                &file,
                contained.as_ref(),
                crate::fsio::MAX_PROJECT_FILE_BYTES,
            )
            .map_err(|e| ConfigError {
                path: shown.clone(),
                line: 0,
                column: 0,
                message: e.to_string(),
            })?;
            let pack = pack::Pack::parse(&shown, &body).map_err(|e| ConfigError {
                path: e.origin,
                line: e.line,
                column: e.column,
                message: e.message,
            })?;
            loaded.push(pack);
        }
    }
    Ok(loaded)
}

fn lower(list: Vec<String>) -> Vec<String> {
    list.into_iter().map(|w| w.to_lowercase()).collect()
}

fn globs(patterns: &[String]) -> Result<Option<GlobSet>, String> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern.trim_start_matches("./"))
            .map_err(|e| format!("bad glob `{pattern}`: {e}"))?;
        builder.add(glob);
    }
    builder.build().map(Some).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pyproject_holds_the_config_under_tool_runbook_lint() {
        let text = "[project]\nname = \"x\"\n\n[tool.ruff]\nline-length = 100\n\n[tool.runbook-lint]\nexclude = [\"docs/archive/**\"]\n\n[tool.runbook-lint.rules]\nmissing-script = \"warning\"\n";
        assert!(configures_runbook_lint(text));
        assert!(!configures_runbook_lint(
            "[tool.ruff]\n[tool.runbook-linter]\n"
        ));
        let known = [KnownRule {
            id: "missing-script",
            parse_options: None,
        }];
        let settings = Settings::parse_table("pyproject.toml", text, &known, true).unwrap();
        assert!(!settings.selects("docs/archive/old.md"));
        assert_eq!(
            settings.level("missing-script"),
            Some(Level::On(crate::diagnostic::Severity::Warning))
        );
        // Errors point into the whole file.
        let error = Settings::parse_table(
            "pyproject.toml",
            "[tool.ruff]\nx = 1\n[tool.runbook-lint]\nexlude = []\n",
            &known,
            true,
        )
        .unwrap_err();
        assert_eq!((error.line, error.column), (4, 1), "{error}");
        assert!(error.message.contains("exlude"), "{error}");
    }

    const RULES: &[KnownRule<'static>] = &[
        KnownRule {
            id: "missing-script",
            parse_options: None,
        },
        KnownRule {
            id: "unsafe-migration",
            parse_options: None,
        },
    ];

    #[test]
    fn parses_a_full_config() {
        let text = r#"
include = ["docs/**/*.md"]
exclude = ["docs/archive/**"]
unknown-context = "staging"
[rules]
missing-script = "warning"
unsafe-migration = "off"
[context]
production = ["prod", "live", "PRD"]
"#;
        let settings = Settings::parse("runbook-lint.toml", text, RULES).unwrap();
        assert!(settings.selects("docs/deploy.md"));
        assert!(!settings.selects("docs/archive/old.md"));
        assert!(!settings.selects("README.md"));
        assert_eq!(settings.unknown_context, EnvContext::Staging);
        assert_eq!(settings.level("unsafe-migration"), Some(Level::Off));
        assert_eq!(
            settings.context_words.production,
            vec!["prod", "live", "prd"]
        );
    }

    #[test]
    fn max_file_size_takes_bytes_or_units() {
        let settings = Settings::parse("c.toml", "max-file-size = \"2 MB\"\n", RULES).unwrap();
        assert_eq!(settings.max_file_size, Some(2 * 1024 * 1024));
        let settings = Settings::parse("c.toml", "max-file-size = 1000\n", RULES).unwrap();
        assert_eq!(settings.max_file_size, Some(1000));
        let error = Settings::parse("c.toml", "\nmax-file-size = \"huge\"\n", RULES).unwrap_err();
        assert_eq!(error.line, 2);
        assert!(error.message.contains("max-file-size"), "{}", error.message);
        assert_eq!(parse_size_text("512kib"), Some(512 * 1024));
        assert_eq!(parse_size_text("-1"), None);
    }

    #[test]
    fn anchors_names_a_renderer() {
        let settings = Settings::parse("c.toml", "anchors = \"MkDocs\"\n", RULES).unwrap();
        assert_eq!(
            settings.anchors,
            Some(AnchorStyle::MkDocs { unicode: false })
        );
        let error = Settings::parse("c.toml", "\nanchors = \"hugo\"\n", RULES).unwrap_err();
        assert_eq!(error.line, 2);
        assert_eq!(
            error.message,
            "anchors: `hugo` is not one of github, mkdocs, docusaurus"
        );
    }

    #[test]
    fn unknown_keys_and_values_name_line_and_key() {
        let error =
            Settings::parse("c.toml", "include = []\nexlude = [\"x\"]\n", RULES).unwrap_err();
        assert_eq!((error.line, error.column), (2, 1));
        assert!(error.message.contains("exlude"), "{}", error.message);

        let error =
            Settings::parse("c.toml", "[rules]\nmissing-scrip = \"off\"\n", RULES).unwrap_err();
        assert_eq!(error.line, 2);
        assert!(
            error.message.contains("did you mean `missing-script`?"),
            "{}",
            error.message
        );

        let error =
            Settings::parse("c.toml", "[rules]\nmissing-script = \"loud\"\n", RULES).unwrap_err();
        assert!(error.message.contains("`loud`"));
        assert_eq!(error.line, 2);
    }

    #[test]
    fn rule_tables_hold_a_level_and_the_rules_options() {
        let known = crate::rules::known_rules();
        let text = "review-window-days = 90\n\n[rules.stale-review-date]\nlevel = \"error\"\nreview-window-days = 30\n\n[rules.undeclared-env-var]\nallow-env = [\"PORT\"]\n";
        let settings = Settings::parse("c.toml", text, &known).unwrap();
        assert_eq!(
            settings.level("stale-review-date"),
            Some(Level::On(crate::diagnostic::Severity::Error))
        );
        // The rule's table wins over the top-level key.
        let window = settings.rule_options["stale-review-date"]
            .downcast_ref::<crate::rules::StaleReviewDateOptions>()
            .unwrap();
        assert_eq!(window.review_window_days, 30);
        let allowed = settings.rule_options["undeclared-env-var"]
            .downcast_ref::<crate::rules::UndeclaredEnvVarOptions>()
            .unwrap();
        assert_eq!(allowed.allow_env, vec!["PORT".to_string()]);

        for (text, line, needle) in [
            (
                "[rules.stale-review-date]\nreview-window = 3\n",
                1,
                "rules.stale-review-date: unknown field `review-window`",
            ),
            (
                "[rules.stale-review-date]\nreview-window-days = 0\n",
                1,
                "rules.stale-review-date: review-window-days: must be at least 1",
            ),
            (
                "\n[rules.missing-script]\nlevel = \"off\"\nstrict = true\n",
                2,
                "rules.missing-script: unknown field `strict`",
            ),
            (
                "[rules.missing-script]\nlevel = \"loud\"\n",
                1,
                "rules.missing-script: `loud` is not one of",
            ),
        ] {
            let error = Settings::parse("c.toml", text, &known).unwrap_err();
            assert_eq!(error.line, line, "{text}: {}", error.message);
            assert!(error.message.contains(needle), "{text}: {}", error.message);
        }
    }

    #[test]
    fn safety_keys_and_inline_rules() {
        let text = r#"
today = "2026-03-01"
review-window-days = 90
required-sections = ["rollback|revert"]

[[rule]]
id = "no-manual-publish"
program = "npm"
args = ["publish"]
message = "published by CI"
severity = { production = "error", staging = "off" }

[rules]
no-manual-publish = "warning"
"#;
        let known = crate::rules::known_rules();
        let settings = Settings::parse("c.toml", text, &known).unwrap();
        assert_eq!(settings.today, crate::date::Date::new(2026, 3, 1));
        let window = settings.rule_options["stale-review-date"]
            .downcast_ref::<crate::rules::StaleReviewDateOptions>()
            .unwrap();
        assert_eq!(window.review_window_days, 90);
        let sections = settings.rule_options["missing-section"]
            .downcast_ref::<crate::rules::MissingSectionOptions>()
            .unwrap();
        assert_eq!(
            sections.required_sections,
            Some(vec!["rollback|revert".to_string()])
        );
        assert_eq!(settings.packs.len(), 1);
        assert_eq!(settings.packs[0].rule, "no-manual-publish");
        assert_eq!(
            settings.packs[0].levels.staging,
            crate::diagnostic::Level::Off
        );

        let error = Settings::parse("c.toml", "today = \"29/10/2025\"\n", RULES).unwrap_err();
        assert_eq!(error.line, 1);
        assert!(error.message.contains("today"), "{}", error.message);

        let error = Settings::parse("c.toml", "\nreview-window-days = 0\n", &known).unwrap_err();
        assert_eq!(error.line, 2);
        assert_eq!(error.message, "review-window-days: must be at least 1");

        let error = Settings::parse(
            "c.toml",
            "[[rule]]\nid = \"x\"\nprogram = \"rm\"\nmessage = \"m\"\nflag = []\n",
            RULES,
        )
        .unwrap_err();
        assert!(error.message.contains("flag"), "{}", error.message);
        assert!(error.line >= 1);
    }
}
