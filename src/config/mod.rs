//! `runbook-lint.toml` / `.runbook-lint.toml` at the project root → [`Settings`].
//!
//! Unknown keys and bad values are errors that name the file, line and key: a typo in a
//! linter's config must never silently turn a rule off.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

pub mod pack;

use crate::diagnostic::Level;
use crate::document::{ContextWords, EnvContext};
use crate::span::LineIndex;

/// Config file names, in the order they are looked for.
pub const CONFIG_FILES: &[&str] = &["runbook-lint.toml", ".runbook-lint.toml"];

/// A config that could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{line}:{column}: {message}")]
pub struct ConfigError {
    /// The config file.
    pub path: String,
    /// 1-based line (0 when the file could not be read).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong, naming the key.
    pub message: String,
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
    rules: BTreeMap<toml::Spanned<String>, toml::Spanned<String>>,
    #[serde(default)]
    context: Option<ContextFile>,
    max_file_size: Option<toml::Spanned<toml::Value>>,
    #[serde(default)]
    #[allow(dead_code)] // read by `load_packs` before the full parse
    packs: Vec<String>,
    #[serde(default)]
    rule: Vec<toml::Spanned<pack::InlineRuleFile>>,
    today: Option<toml::Spanned<String>>,
    review_window_days: Option<toml::Spanned<i64>>,
    required_sections: Option<Vec<String>>,
    #[serde(default)]
    allow_env: Vec<String>,
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
    /// Review dates older than this many days are stale.
    pub review_window_days: i64,
    /// Heading words of sections a deployment or migration runbook must have; each entry
    /// lists alternatives separated by `|`. `None`: the default (a rollback section).
    pub required_sections: Option<Vec<String>>,
    /// Env var names `undeclared-env-var` accepts without a declaration (`allow-env`).
    pub allow_env: Vec<String>,
}

/// Default of `review-window-days`.
pub const DEFAULT_REVIEW_WINDOW_DAYS: i64 = 180;

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
            review_window_days: DEFAULT_REVIEW_WINDOW_DAYS,
            required_sections: None,
            allow_env: Vec::new(),
        }
    }
}

impl Settings {
    /// Loads the config of the project at `root` (or `explicit`), or defaults when there is
    /// none. `known_rules` validates `[rules]` keys.
    pub fn load(
        root: &Path,
        explicit: Option<&Path>,
        known_rules: &[&str],
    ) -> Result<Settings, ConfigError> {
        let path = match explicit {
            Some(path) => Some(path.to_path_buf()),
            None => CONFIG_FILES
                .iter()
                .map(|name| root.join(name))
                .find(|p| p.is_file()),
        };
        let Some(path) = path else {
            return Ok(Settings::default());
        };
        let display = path.display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|error| ConfigError {
            path: display.clone(),
            line: 0,
            column: 0,
            message: format!("cannot read config: {error}"),
        })?;
        // User packs first: their rule ids are valid keys of `[rules]`.
        let packs = load_packs(root, &display, &text)?;
        let mut known: Vec<&str> = known_rules.to_vec();
        known.extend(packs.iter().map(|p| p.rule.as_str()));
        let mut settings = Settings::parse(&display, &text, &known)?;
        settings.packs.splice(0..0, packs);
        settings.path = Some(path);
        Ok(settings)
    }

    /// Parses config text; `path` names it in errors.
    pub fn parse(path: &str, text: &str, known_rules: &[&str]) -> Result<Settings, ConfigError> {
        let index = LineIndex::new(text);
        let error_at = |offset: usize, message: String| {
            let (line, column) = index.position(text, offset);
            ConfigError {
                path: path.to_string(),
                line,
                column,
                message,
            }
        };
        let file: ConfigFile = toml::from_str(text).map_err(|error| {
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
                        value.get_ref()
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
                        format!("today: `{}` is not a date (YYYY-MM-DD)", value.get_ref()),
                    )
                },
            )?);
        }
        if let Some(value) = &file.review_window_days {
            if *value.get_ref() < 1 {
                return Err(error_at(
                    value.span().start,
                    "review-window-days: must be at least 1".to_string(),
                ));
            }
            settings.review_window_days = *value.get_ref();
        }
        settings.required_sections = file.required_sections;
        for (rule, level) in &file.rules {
            if !known_rules.contains(&rule.get_ref().as_str())
                && !inline_ids.contains(rule.get_ref())
            {
                let hint = crate::diagnostic::did_you_mean_text(
                    rule.get_ref(),
                    known_rules.iter().copied(),
                )
                .map(|h| format!("; {h}"))
                .unwrap_or_default();
                return Err(error_at(
                    rule.span().start,
                    format!("rules: unknown rule `{}`{hint}", rule.get_ref()),
                ));
            }
            let parsed = Level::parse(level.get_ref()).ok_or_else(|| {
                error_at(
                    level.span().start,
                    format!(
                        "rules.{}: `{}` is not one of error, warning, info, off",
                        rule.get_ref(),
                        level.get_ref()
                    ),
                )
            })?;
            settings.levels.insert(rule.get_ref().clone(), parsed);
        }
        settings.allow_env = file.allow_env;
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

#[derive(Deserialize)]
struct PacksOnly {
    #[serde(default)]
    packs: Vec<toml::Spanned<String>>,
}

/// Loads the pack files named by the config's `packs` globs (relative to the root). A glob
/// that matches nothing or a malformed pack is an error naming the file, line and key.
fn load_packs(root: &Path, config: &str, text: &str) -> Result<Vec<pack::Pack>, ConfigError> {
    // Syntax errors and unknown keys are reported by the full parse; here only `packs`.
    let Ok(packs) = toml::from_str::<PacksOnly>(text) else {
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
                message,
            }
        };
        let glob = Glob::new(pattern.get_ref().trim_start_matches("./"))
            .map_err(|e| at(format!("packs: bad glob `{}`: {e}", pattern.get_ref())))?
            .compile_matcher();
        let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(root)
            .build()
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_some_and(|t| t.is_file()))
            .map(|entry| entry.into_path())
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
            let body = std::fs::read_to_string(&file).map_err(|e| ConfigError {
                path: shown.clone(),
                line: 0,
                column: 0,
                message: format!("cannot read pack: {e}"),
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

    const RULES: &[&str] = &["missing-script", "unsafe-migration"];

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
        let settings = Settings::parse("c.toml", text, RULES).unwrap();
        assert_eq!(settings.today, crate::date::Date::new(2026, 3, 1));
        assert_eq!(settings.review_window_days, 90);
        assert_eq!(
            settings.required_sections,
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
