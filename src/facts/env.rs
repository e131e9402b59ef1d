//! Env-var declarations: env templates (`.env.example` and friends) and the union of every
//! manifest that declares variables (render.yaml, compose, fly.toml, app.json, vercel.json,
//! GitHub Actions workflows, Kubernetes objects, Helm values, Terraform variables,
//! Dockerfiles, dev containers), each manifest with the [`Role`] it plays.
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

/// What a manifest that declares env vars is to the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Where a hosting platform reads the production service's environment: render.yaml,
    /// fly.toml, app.json, vercel.json.
    Platform,
    /// A Kubernetes object (a container's `env`, a Secret or ConfigMap).
    Kubernetes,
    /// A Helm chart's values.
    Helm,
    /// A production compose file (`docker-compose.prod.yml`).
    ProductionCompose,
    /// A committed env template: the list of what the application reads.
    Template,
    /// Any other compose file, and the env files it names.
    Compose,
    /// A CI workflow: its `env:` keys, secrets and variables.
    Ci,
    /// A Dockerfile's `ENV` and `ARG`.
    Image,
    /// A dev container.
    DevContainer,
    /// Terraform variables (`TF_VAR_x`).
    Terraform,
}

impl Role {
    /// The role of a manifest, by its path.
    pub fn of(path: &str) -> Role {
        use crate::manifests::Kind;
        match crate::manifests::kind_of(path) {
            Some(Kind::RenderBlueprint | Kind::FlyToml | Kind::AppJson | Kind::VercelJson) => {
                Role::Platform
            }
            Some(Kind::KubernetesYaml) => Role::Kubernetes,
            Some(Kind::HelmValues) => Role::Helm,
            Some(Kind::EnvTemplate) => Role::Template,
            Some(Kind::GithubWorkflow) => Role::Ci,
            Some(Kind::Dockerfile) => Role::Image,
            Some(Kind::Devcontainer) => Role::DevContainer,
            Some(Kind::Terraform) => Role::Terraform,
            Some(Kind::Compose)
                if path.starts_with(".devcontainer/") || path.contains("/.devcontainer/") =>
            {
                Role::DevContainer
            }
            Some(Kind::Compose) if is_production_name(path) => Role::ProductionCompose,
            _ => Role::Compose,
        }
    }

    /// True for a manifest the deployed service reads its environment from.
    pub fn is_production(self) -> bool {
        matches!(
            self,
            Role::Platform | Role::Kubernetes | Role::Helm | Role::ProductionCompose
        )
    }
}

/// True when a file name says it is for production (`docker-compose.prod.yml`,
/// `compose.production.yaml`).
fn is_production_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    name.split(['.', '-', '_'])
        .any(|part| matches!(part, "prod" | "production" | "live"))
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

    /// True when some env manifest plays `role`.
    pub fn has_role(&self, role: Role) -> bool {
        self.manifests.iter().any(|m| Role::of(m) == role)
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
    fn roles_by_path() {
        assert_eq!(Role::of("render.yaml"), Role::Platform);
        assert_eq!(Role::of("docker-compose.prod.yml"), Role::ProductionCompose);
        assert_eq!(Role::of("docker-compose.yml"), Role::Compose);
        assert_eq!(
            Role::of(".devcontainer/docker-compose.yml"),
            Role::DevContainer
        );
        assert_eq!(Role::of(".github/workflows/ci.yml"), Role::Ci);
        assert_eq!(Role::of("k8s/api.yaml"), Role::Kubernetes);
        assert_eq!(Role::of("apps/api/.env.example"), Role::Template);
        assert!(Role::Helm.is_production() && !Role::Template.is_production());
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
