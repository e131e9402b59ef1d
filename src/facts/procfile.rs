//! Platform manifests: `Procfile` process types, `fly.toml` `app` and `[env]`, Heroku
//! `app.json` `env`, `vercel.json` `env`, and Cloud Foundry `manifest.yml` application names.

use std::collections::{BTreeMap, BTreeSet};

use super::env::EnvFacts;
use super::{Catalog, ManifestReader};
use crate::manifests::Kind;
use crate::span::Span;

/// Process types and the manifests they came from.
#[derive(Debug, Clone, Default)]
pub struct PlatformFacts {
    /// `Procfile` process types (`web`, `worker`, `release`).
    pub processes: BTreeSet<String>,
    /// The `app` of every `fly.toml` and `fly.*.toml`, with its file.
    pub fly_apps: BTreeMap<String, String>,
    /// True when every fly*.toml was read and names its app: only then is an app name that
    /// matches none of them wrong (an empty or broken one may declare it).
    pub fly_complete: bool,
    /// Application names of Cloud Foundry `manifest.yml` files, with the file.
    pub cf_apps: BTreeMap<String, String>,
    /// True when every Cloud Foundry manifest was read and names its apps literally (no
    /// `((var))`).
    pub cf_complete: bool,
}

impl PlatformFacts {
    /// Reads the project's platform manifests, declaring their variables in `env`.
    pub fn load(
        reader: &mut ManifestReader,
        catalog: &Catalog<'_>,
        env: &mut EnvFacts,
    ) -> PlatformFacts {
        let mut facts = PlatformFacts {
            fly_complete: true,
            cf_complete: true,
            ..PlatformFacts::default()
        };
        let kinds = [
            Kind::Procfile,
            Kind::FlyToml,
            Kind::CfManifest,
            Kind::AppJson,
            Kind::VercelJson,
        ];
        for (path, kind) in catalog.entries(&kinds) {
            if kind == Kind::Procfile {
                if let Some(text) = reader.read(path) {
                    for line in text.lines() {
                        if let Some((kind, _)) = line.split_once(':') {
                            if !kind.starts_with('#') && !kind.contains(' ') {
                                facts.processes.insert(kind.trim().to_string());
                            }
                        }
                    }
                }
            } else if kind == Kind::CfManifest {
                facts.read_cf_manifest(reader, path);
            } else if kind == Kind::FlyToml {
                let Some(text) = reader.read(path) else {
                    facts.fly_complete = false;
                    continue;
                };
                env.add_manifest(path);
                match toml::from_str::<toml::Table>(&text) {
                    Ok(table) => {
                        match table.get("app").and_then(|a| a.as_str()) {
                            Some(app) if !app.is_empty() => {
                                facts.fly_apps.insert(app.to_string(), path.to_string());
                            }
                            _ => facts.fly_complete = false,
                        }
                        if let Some(vars) = table.get("env").and_then(|e| e.as_table()) {
                            for key in vars.keys() {
                                let at = key_offset(&text, key);
                                env.declare(key, path, Span::new(at, at + key.len()), None);
                            }
                        }
                    }
                    Err(error) => {
                        facts.fly_complete = false;
                        reader.problem(super::toml_problem(path, &text, &error))
                    }
                }
            } else {
                let Some(text) = reader.read(path) else {
                    continue;
                };
                match serde_json::from_str::<serde_json::Value>(&text) {
                    Ok(json) => {
                        // app.json: `env: {KEY: ...}`; vercel.json: `env` and `build.env`.
                        let maps = [
                            json.get("env"),
                            json.get("build").and_then(|b| b.get("env")),
                        ];
                        for map in maps.into_iter().flatten().filter_map(|m| m.as_object()) {
                            env.add_manifest(path);
                            for key in map.keys() {
                                let at = key_offset(&text, key);
                                env.declare(key, path, Span::new(at, at + key.len()), None);
                            }
                        }
                    }
                    Err(error) => reader.problem(super::json_problem(path, &text, &error)),
                }
            }
        }
        facts
    }

    /// The `applications[].name` of a Cloud Foundry manifest. A file without `applications`
    /// (a Kubernetes `manifest.yaml`) is not one; one that cannot be read or parsed, or names
    /// an app by a `((variable))`, leaves the names unknown.
    fn read_cf_manifest(&mut self, reader: &ManifestReader, path: &str) {
        let text = reader.peek(path, crate::fsio::MAX_PROJECT_FILE_BYTES);
        let root = text
            .as_deref()
            .and_then(|text| super::yaml::parse(path, text).ok().flatten());
        let Some(root) = root else {
            // Empty, unreadable or broken: it may be a Cloud Foundry manifest we cannot read.
            self.cf_complete = false;
            return;
        };
        let Some(apps) = root.get("applications") else {
            return;
        };
        for app in apps.items() {
            match app.get("name").and_then(|n| n.as_str()) {
                Some(name) if !name.is_empty() && !name.contains("((") => {
                    self.cf_apps.insert(name.to_string(), path.to_string());
                }
                _ => self.cf_complete = false,
            }
        }
    }
}

/// Offset of the first mention of `key` in `text` (0 when not found): close enough to point
/// a reader at the declaration.
fn key_offset(text: &str, key: &str) -> usize {
    text.find(key).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_manifests_declare_env_and_processes() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
        write(
            "Procfile",
            "web: node server.js\nrelease: npx prisma migrate deploy\n",
        );
        write(
            "fly.toml",
            "app = \"shop\"\n[env]\n  LOG_LEVEL = \"info\"\n",
        );
        write(
            "app.json",
            "{\"env\": {\"SECRET_TOKEN\": {\"generator\": \"secret\"}}}",
        );
        write(
            "vercel.json",
            "{\"build\": {\"env\": {\"NEXT_PUBLIC_API\": \"x\"}},}",
        );
        let files: BTreeSet<String> = ["Procfile", "fly.toml", "app.json", "vercel.json"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut reader = ManifestReader::new(dir.path());
        let mut env = EnvFacts::default();
        let facts = PlatformFacts::load(&mut reader, &Catalog::new(&files), &mut env);
        let processes: Vec<&str> = facts.processes.iter().map(String::as_str).collect();
        assert_eq!(processes, vec!["release", "web"]);
        assert!(facts.fly_complete && facts.fly_apps.contains_key("shop"));
        assert!(env.is_declared("LOG_LEVEL") && env.is_declared("SECRET_TOKEN"));
        // vercel.json has a trailing comma: reported with its position, nothing declared.
        assert!(!env.is_declared("NEXT_PUBLIC_API"));
        assert_eq!(reader.problems.len(), 1);
        assert_eq!(reader.problems[0].path, "vercel.json");
        assert!(reader.problems[0].message.starts_with("invalid JSON"));
    }

    #[test]
    fn fly_apps_and_cloud_foundry_apps() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
        write("fly.toml", "app = \"shop\"\n");
        write("fly.staging.toml", "app = \"shop-staging\"\n");
        write(
            "manifest.yml",
            "applications:\n  - name: shop-web\n  - name: shop-worker\n",
        );
        std::fs::create_dir(dir.path().join("k8s")).unwrap();
        write("k8s/manifest.yaml", "apiVersion: v1\nkind: Service\n");
        let names = [
            "fly.toml",
            "fly.staging.toml",
            "manifest.yml",
            "k8s/manifest.yaml",
        ];
        let files: BTreeSet<String> = names.iter().map(|s| s.to_string()).collect();
        let mut reader = ManifestReader::new(dir.path());
        let facts =
            PlatformFacts::load(&mut reader, &Catalog::new(&files), &mut EnvFacts::default());
        let fly: Vec<&str> = facts.fly_apps.keys().map(String::as_str).collect();
        assert_eq!(fly, ["shop", "shop-staging"]);
        let cf: Vec<&str> = facts.cf_apps.keys().map(String::as_str).collect();
        assert_eq!(cf, ["shop-web", "shop-worker"]);
        assert!(facts.fly_complete && facts.cf_complete);

        // An empty stand-in leaves the names unknown.
        write("fly.toml", "");
        write("manifest.yml", "");
        let mut reader = ManifestReader::new(dir.path());
        let facts =
            PlatformFacts::load(&mut reader, &Catalog::new(&files), &mut EnvFacts::default());
        assert!(!facts.fly_complete && !facts.cf_complete);
    }
}
