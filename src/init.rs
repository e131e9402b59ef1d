//! `runbook-lint init`: a starter config with every setting and its default, commented out,
//! so every knob is discoverable and uncommenting a line changes only that setting.

use std::path::Path;

use crate::config::CONFIG_FILES;

/// A rule as the starter lists it under `[rules]`.
#[derive(Debug, Clone)]
pub struct RuleLine {
    /// Rule id.
    pub id: String,
    /// Its default level: `error`, `warning`, `info` or `off`.
    pub level: String,
    /// One line: what it finds.
    pub summary: String,
}

/// The part before `[rules]`: every top-level key with its default.
const HEAD: &str = r#"# runbook-lint configuration: every setting with its default, commented out. Uncomment a
# line to change it. Docs: `runbook-lint rules`, `runbook-lint explain RULE`, the README.
# The same keys work in pyproject.toml under [tool.runbook-lint].

# Which Markdown files are runbooks: globs relative to this file. Default: every Markdown
# file (include empty), none excluded. A directory walk skips what `exclude` names, nested
# projects included.
# include = []
# exclude = []

# What a section whose heading names no environment counts as, for severities:
# production, staging, development, rollback or unknown.
# unknown-context = "production"

# Markdown files larger than this are skipped with a warning (bytes, or "512 KB", "10 MB").
# max-file-size = "10 MB"

# Judge review dates as of this day (YYYY-MM-DD) instead of the clock; unset: the clock.
# today = "2026-01-31"

# Team rule packs: globs of TOML files relative to this file, in the format of the built-in
# rules/*.toml (see the README's "Rule packs").
# packs = []

# How heading anchors are written, for `#anchor` links: github, mkdocs or docusaurus.
# Unset: per file, from the mkdocs.yml, zensical.toml or docusaurus.config.* present.
# anchors = "github"

# Each rule's level: error, warning, info or off (its default shown). A pack entry listed
# under its rule by `runbook-lint rules` (`git-push-force`) can be set the same way.
[rules]
"#;

/// The rules with options, as tables, and the rest of the file.
const TAIL: &str = r#"
# Rules with options: a table with the level and the options.
# [rules.stale-review-date]
# level = "warning"
# review-window-days = 180
# [rules.missing-section]
# level = "warning"
# required-sections = ["rollback|roll back|rolling back|revert|reverting|recovery|recover|restore|restoring|downgrade|undo|back out|backout|disaster|fails|failure|abort"]
# [rules.undeclared-env-var]
# level = "warning"
# allow-env = []

# Heading words that put a section in a context (a list replaces that context's defaults).
# [context]
# production = ["production", "prod", "live", "go-live", "prd"]
# staging = ["staging", "stage", "pre-production", "preprod", "pre-prod", "uat"]
# development = ["local", "locally", "development", "dev", "developer", "developers", "localhost", "sandbox", "devcontainer", "getting started", "get started", "quick start", "quickstart", "quick-start", "onboarding", "contributing"]
# rollback = ["rollback", "roll back", "rolling back", "rollbacks", "revert", "reverting", "recovery", "recover", "restore", "restoring", "disaster", "troubleshooting", "troubleshoot", "downgrade"]

# A team rule written inline: a pack of one entry, its id also the rule id.
# [[rule]]
# id = "no-manual-publish"
# program = "npm"
# args = ["publish"]
# message = "packages are published by CI, never from a runbook"
# severity = "error"
"#;

/// Rules whose options the tail shows as tables (a `[rules]` line for them as well would be
/// a duplicate key once both are uncommented).
const WITH_OPTIONS: &[&str] = &["stale-review-date", "missing-section", "undeclared-env-var"];

/// The starter config: every setting commented out with its default, every rule under
/// `[rules]` with its default level.
pub fn starter(rules: &[RuleLine]) -> String {
    let mut text = HEAD.to_string();
    let width = rules.iter().map(|r| r.id.len() + 2).max().unwrap_or(0);
    for rule in rules
        .iter()
        .filter(|r| !WITH_OPTIONS.contains(&r.id.as_str()))
    {
        let setting = format!("{} = \"{}\"", rule.id, rule.level);
        text.push_str(&format!(
            "# {setting:<w$} # {}\n",
            rule.summary,
            w = width + 10
        ));
    }
    text.push_str(TAIL);
    text
}

/// Writes the starter config into `dir`; refuses when a config is already there, and never
/// writes through a symbolic link (a dangling `runbook-lint.toml -> ~/.bashrc` included).
pub fn write_starter(dir: &Path, text: &str) -> Result<String, String> {
    for name in CONFIG_FILES {
        match std::fs::symlink_metadata(dir.join(name)) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(format!(
                    "{name} is a symbolic link; not writing through it (remove it first)"
                ))
            }
            Ok(_) => {
                return Err(format!(
                    "{name} already exists; not overwriting it (delete it first to start over)"
                ))
            }
            Err(_) => {}
        }
    }
    let name = CONFIG_FILES[0];
    // `create_new` fails on anything that appeared meanwhile, a link included.
    crate::fsio::create_new(&dir.join(name), text.as_bytes())
        .map_err(|e| format!("cannot write {name}: {e}"))?;
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;

    fn lines() -> Vec<RuleLine> {
        crate::rules::docs()
            .iter()
            .map(|doc| RuleLine {
                id: doc.id.clone(),
                level: if doc.on_by_default {
                    doc.default_severity.name().to_string()
                } else {
                    "off".to_string()
                },
                summary: doc.summary.clone(),
            })
            .collect()
    }

    #[test]
    fn starter_config_parses_with_every_setting_switched_on() {
        let known = crate::rules::known_rules();
        let text = starter(&lines());
        Settings::parse("runbook-lint.toml", &text, &known).expect("starter config is valid");
        let uncommented: String = text
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest) if rest.contains(" = ") || rest.starts_with('[') => rest,
                _ => l,
            })
            .collect::<Vec<_>>()
            .join("\n");
        let settings = Settings::parse("runbook-lint.toml", &uncommented, &known)
            .expect("uncommented starter config is valid");
        // The defaults, spelled out, change nothing.
        let defaults = Settings::default();
        assert_eq!(settings.unknown_context, defaults.unknown_context);
        assert_eq!(settings.context_words, defaults.context_words);
        assert_eq!(
            settings.max_file_size,
            Some(crate::robust::DEFAULT_MAX_FILE_BYTES)
        );
        for doc in crate::rules::docs() {
            let level = settings.level(&doc.id);
            let expected = if doc.on_by_default {
                crate::diagnostic::Level::On(doc.default_severity)
            } else {
                crate::diagnostic::Level::Off
            };
            assert_eq!(level, Some(expected), "{}", doc.id);
        }
    }

    #[test]
    fn starter_config_names_every_key() {
        // The config's own list of keys, from the error for an unknown one.
        let error = Settings::parse("c.toml", "no-such-key = 1\n", &[]).unwrap_err();
        let keys: Vec<&str> = error.message.split('`').skip(3).step_by(2).collect();
        assert!(
            keys.contains(&"include") && keys.contains(&"anchors"),
            "{keys:?}"
        );
        let text = starter(&lines());
        for key in keys {
            let shown = match key {
                "rules" => "[rules]".to_string(),
                "context" => "[context]".to_string(),
                "rule" => "[[rule]]".to_string(),
                key => format!("{key} = "),
            };
            assert!(
                text.contains(&shown),
                "`{key}` is missing from the starter config"
            );
        }
        // Every option of every rule.
        for rule in crate::rules::RULES {
            for option in rule.meta.options.split("- `").skip(1) {
                let key = option.split('`').next().unwrap();
                assert!(
                    text.contains(&format!("# {key} = ")),
                    "option `{key}` is missing"
                );
            }
        }
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere");
        std::os::unix::fs::symlink(&target, dir.path().join(".runbook-lint.toml")).unwrap();
        let error = write_starter(dir.path(), "").unwrap_err();
        assert!(error.contains("symbolic link"), "{error}");
        assert!(!target.exists());
    }

    #[test]
    fn refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(write_starter(dir.path(), "").unwrap(), "runbook-lint.toml");
        assert!(write_starter(dir.path(), "")
            .unwrap_err()
            .contains("already exists"));
    }
}
