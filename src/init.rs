//! `runbook-lint init`: a commented starter config, so every knob is discoverable.

use std::path::Path;

use crate::config::CONFIG_FILES;

/// The starter config; every line parses, and the defaults are spelled out commented.
pub const STARTER: &str = r#"# runbook-lint configuration. Docs: `runbook-lint explain RULE`, `runbook-lint rules`.

# Which Markdown files are runbooks (globs relative to this file). Default: every Markdown file.
# include = ["docs/**/*.md", "*.md"]
# exclude = ["docs/archive/**", "CHANGELOG.md"]

# What a section whose heading names no environment counts as, for severities:
# production (default), staging, development or rollback.
unknown-context = "production"

# How heading anchors are written, for `#anchor` links: github | mkdocs | docusaurus.
# Default: per file, from the mkdocs.yml, zensical.toml or docusaurus.config.* present.
# anchors = "github"

# Per-rule level: error | warning | info | off.
[rules]
# unresolved-placeholder = "warning"
# missing-script = "error"

# A rule's table holds its level and its options (`runbook-lint explain RULE` lists them).
# [rules.stale-review-date]
# level = "warning"
# review-window-days = 180

# Heading words that put a section in a context (these replace the defaults).
# [context]
# production = ["production", "prod", "live"]
# staging = ["staging", "uat"]
# development = ["local", "development", "dev"]
# rollback = ["rollback", "recovery", "restore"]
"#;

/// Writes the starter config into `dir`; refuses when a config is already there.
pub fn write_starter(dir: &Path) -> Result<String, String> {
    if let Some(existing) = CONFIG_FILES.iter().find(|name| dir.join(name).exists()) {
        return Err(format!(
            "{existing} already exists; not overwriting it (delete it first to start over)"
        ));
    }
    let name = CONFIG_FILES[0];
    std::fs::write(dir.join(name), STARTER).map_err(|e| format!("cannot write {name}: {e}"))?;
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;

    #[test]
    fn starter_config_parses() {
        let known = crate::rules::known_rules();
        Settings::parse("runbook-lint.toml", STARTER, &known).expect("starter config is valid");
        // And with every commented setting switched on.
        let uncommented: String = STARTER
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest) if rest.contains(" = ") || rest.starts_with('[') => rest,
                _ => l,
            })
            .collect::<Vec<_>>()
            .join("\n");
        Settings::parse("runbook-lint.toml", &uncommented, &known)
            .expect("uncommented starter config is valid");
    }

    #[test]
    fn refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(write_starter(dir.path()).unwrap(), "runbook-lint.toml");
        assert!(write_starter(dir.path())
            .unwrap_err()
            .contains("already exists"));
    }
}
