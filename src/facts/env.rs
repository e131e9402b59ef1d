//! Env-var declarations: env templates (`.env.example` and friends) and the union of every
//! manifest that declares variables (render.yaml, compose, fly.toml, app.json, vercel.json).
//!
//! Only keys are kept: a template's values may be real secrets pasted by mistake, and a real
//! `.env` is never read at all.

use std::collections::{BTreeMap, BTreeSet};

use super::{Catalog, ManifestReader};
use crate::manifests::Kind;
use crate::span::Span;

/// Where a variable is declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvDecl {
    /// Manifest path relative to the project root.
    pub file: String,
    /// The key in that manifest.
    pub span: Span,
    /// The render.yaml service or compose service it belongs to, if any.
    pub owner: Option<String>,
}

/// Every declared variable of a project.
#[derive(Debug, Clone, Default)]
pub struct EnvFacts {
    /// Variable name → declarations.
    pub vars: BTreeMap<String, Vec<EnvDecl>>,
    /// Manifests that declare env vars (checked by `undeclared-env-var`), sorted.
    pub manifests: BTreeSet<String>,
}

impl EnvFacts {
    /// Records a declaration.
    pub fn declare(&mut self, name: &str, file: &str, span: Span, owner: Option<&str>) {
        self.manifests.insert(file.to_string());
        self.vars
            .entry(name.to_string())
            .or_default()
            .push(EnvDecl {
                file: file.to_string(),
                span,
                owner: owner.map(String::from),
            });
    }

    /// Marks a manifest as an env manifest even when it declares nothing.
    pub fn add_manifest(&mut self, file: &str) {
        self.manifests.insert(file.to_string());
    }

    /// True when some manifest declares `name`.
    pub fn is_declared(&self, name: &str) -> bool {
        self.vars.contains_key(name)
    }
}

/// True for a committed env template: `.env.example`, `.env.sample`, `.env.template`,
/// `.env.dist`, `example.env`, `sample.env`, and prefixed forms such as `api.env.example` or
/// `.env.production.example` (the registry's [`Kind::EnvTemplate`]). A real `.env` or
/// `.env.local` is not a template.
pub fn is_env_template(path: &str) -> bool {
    crate::manifests::is_env_template(path)
}

/// Reads the keys of the project's env templates.
pub fn load_templates(reader: &mut ManifestReader, catalog: &Catalog<'_>, env: &mut EnvFacts) {
    for file in catalog.of(&[Kind::EnvTemplate]) {
        read_env_file(reader, file, env);
    }
}

/// Reads the keys of one dotenv-style file (a template or a compose `env_file`).
pub fn read_env_file(reader: &mut ManifestReader, file: &str, env: &mut EnvFacts) {
    let Some(text) = reader.read(file) else {
        return;
    };
    env.add_manifest(file);
    for (name, span) in env_keys(&text) {
        env.declare(name, file, span, None);
    }
}

/// `KEY` of each `KEY=value` / `export KEY=value` line, also commented-out ones (`# KEY=`),
/// which document optional variables.
pub fn env_keys(text: &str) -> Vec<(&str, Span)> {
    let mut keys = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_start();
        let mut body = trimmed.trim_start_matches('#').trim_start();
        body = body.strip_prefix("export ").unwrap_or(body).trim_start();
        let Some((name, _)) = body.split_once('=') else {
            continue;
        };
        let name = name.trim_end();
        if crate::command::shell::is_var_name(name) {
            let at =
                start + (line.len() - line.trim_start().len()) + trimmed.find(name).unwrap_or(0);
            keys.push((name, Span::new(at, at + name.len())));
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_names() {
        for yes in [
            ".env.example",
            "apps/api/.env.sample",
            "example.env",
            ".env.production.example",
            "sample.env",
        ] {
            assert!(is_env_template(yes), "{yes}");
        }
        for no in [".env", ".env.local", "env.ts", "README.md", ".envrc"] {
            assert!(!is_env_template(no), "{no}");
        }
    }

    #[test]
    fn keys_with_spans() {
        let text =
            "# comment\nDATABASE_URL=postgres://x\nexport REDIS_URL=\n# SENTRY_DSN=\nnot a line\n";
        let keys: Vec<&str> = env_keys(text).into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, vec!["DATABASE_URL", "REDIS_URL", "SENTRY_DSN"]);
        let (_, span) = env_keys(text)[1];
        assert_eq!(&text[span.range()], "REDIS_URL");
    }
}
