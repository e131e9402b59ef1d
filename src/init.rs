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

/// Writes the starter config into `dir`; refuses when a config is already there, and never
/// writes through a symbolic link (a dangling `runbook-lint.toml -> ~/.bashrc` included).
pub fn write_starter(dir: &Path) -> Result<String, String> {
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
    crate::fsio::create_new(&dir.join(name), STARTER.as_bytes())
        .map_err(|e| format!("cannot write {name}: {e}"))?;
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

    #[cfg(unix)]
    #[test]
    fn refuses_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere");
        std::os::unix::fs::symlink(&target, dir.path().join(".runbook-lint.toml")).unwrap();
        let error = write_starter(dir.path()).unwrap_err();
        assert!(error.contains("symbolic link"), "{error}");
        assert!(!target.exists());
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
