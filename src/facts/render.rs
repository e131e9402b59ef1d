//! Render blueprints (`render.yaml`): services, databases, env-var groups and the variables each
//! service declares.

use super::env::EnvFacts;
use super::yaml::{self, Node};
use super::{Catalog, ManifestReader};
use crate::manifests::Kind;
use crate::span::Span;

/// A service, database or env group of a blueprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderItem {
    /// Its `name`.
    pub name: String,
    /// `web`, `worker`, `cron`, `pserv`, `redis`... for services; `database` or `envVarGroup`.
    pub kind: String,
    /// Where the name is written.
    pub span: Span,
    /// Env var keys it declares.
    pub env_keys: Vec<String>,
}

/// The blueprints of a project.
#[derive(Debug, Clone, Default)]
pub struct RenderFacts {
    /// Blueprint files read (`render.yaml` at any depth).
    pub files: Vec<String>,
    /// Services, databases and env groups, in file order.
    pub items: Vec<RenderItem>,
}

impl RenderFacts {
    /// Reads every `render.yaml` among `files`, declaring their variables in `env`.
    pub fn load(
        reader: &mut ManifestReader,
        catalog: &Catalog<'_>,
        env: &mut EnvFacts,
    ) -> RenderFacts {
        let mut facts = RenderFacts::default();
        for file in catalog.of(&[Kind::RenderBlueprint]) {
            let Some(text) = reader.read(file) else {
                continue;
            };
            facts.files.push(file.to_string());
            env.add_manifest(file);
            match yaml::parse(file, &text) {
                Ok(Some(root)) => facts.read_blueprint(file, &root, env),
                Ok(None) => {}
                Err(problem) => reader.problem(problem),
            }
        }
        facts
    }

    fn read_blueprint(&mut self, file: &str, root: &Node, env: &mut EnvFacts) {
        for (list, fallback_kind) in [
            ("services", "service"),
            ("databases", "database"),
            ("envVarGroups", "envVarGroup"),
        ] {
            for item in root.get(list).map(Node::items).unwrap_or_default() {
                let Some(name_node) = item.get("name") else {
                    continue;
                };
                let Some(name) = name_node.as_str() else {
                    continue;
                };
                let kind = item
                    .get("type")
                    .and_then(Node::as_str)
                    .unwrap_or(fallback_kind)
                    .to_string();
                let mut env_keys = Vec::new();
                for var in item.get("envVars").map(Node::items).unwrap_or_default() {
                    // `- key: X` with value, fromDatabase, fromService, sync: false or
                    // generateValue all declare X; `- fromGroup: g` declares nothing itself.
                    if let Some(key) = var.get("key") {
                        if let Some(text) = key.as_str() {
                            env.declare(text, file, key.span, Some(name));
                            env_keys.push(text.to_string());
                        }
                    }
                }
                self.items.push(RenderItem {
                    name: name.to_string(),
                    kind,
                    span: name_node.span,
                    env_keys,
                });
            }
        }
    }

    /// The service declaring the most variables: where a new one most likely belongs.
    pub fn main_service(&self) -> Option<&RenderItem> {
        self.items
            .iter()
            .filter(|i| i.kind != "database" && i.kind != "envVarGroup")
            .max_by_key(|i| i.env_keys.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn reads_services_databases_groups_and_env_keys() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("render.yaml"),
            "services:\n  - type: web\n    name: api\n    envVars:\n      - key: DATABASE_URL\n        fromDatabase:\n          name: db\n          property: connectionString\n      - key: SECRET_KEY\n        generateValue: true\n      - key: STRIPE_KEY\n        sync: false\n      - fromGroup: shared\n  - type: worker\n    name: jobs\ndatabases:\n  - name: db\nenvVarGroups:\n  - name: shared\n    envVars:\n      - key: LOG_LEVEL\n        value: info\n",
        )
        .unwrap();
        let mut reader = ManifestReader::new(dir.path());
        let files: BTreeSet<String> = ["render.yaml".to_string()].into();
        let mut env = EnvFacts::default();
        let facts = RenderFacts::load(&mut reader, &Catalog::new(&files), &mut env);
        assert!(reader.problems.is_empty());
        let names: Vec<&str> = facts.items.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, vec!["api", "jobs", "db", "shared"]);
        for var in ["DATABASE_URL", "SECRET_KEY", "STRIPE_KEY", "LOG_LEVEL"] {
            assert!(env.is_declared(var), "{var}");
        }
        assert_eq!(facts.main_service().unwrap().name, "api");
    }
}
