//! Platform manifests: `Procfile` process types, `fly.toml` `[env]`, Heroku `app.json` `env`
//! and `vercel.json` `env`.

use std::collections::BTreeSet;

use super::env::EnvFacts;
use super::{Catalog, ManifestReader};
use crate::manifests::Kind;
use crate::span::Span;

/// Process types and the manifests they came from.
#[derive(Debug, Clone, Default)]
pub struct PlatformFacts {
    /// `Procfile` process types (`web`, `worker`, `release`).
    pub processes: BTreeSet<String>,
}

impl PlatformFacts {
    /// Reads the project's platform manifests, declaring their variables in `env`.
    pub fn load(
        reader: &mut ManifestReader,
        catalog: &Catalog<'_>,
        env: &mut EnvFacts,
    ) -> PlatformFacts {
        let mut facts = PlatformFacts::default();
        let kinds = [
            Kind::Procfile,
            Kind::FlyToml,
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
            } else if kind == Kind::FlyToml {
                let Some(text) = reader.read(path) else {
                    continue;
                };
                env.add_manifest(path);
                match toml::from_str::<toml::Table>(&text) {
                    Ok(table) => {
                        if let Some(vars) = table.get("env").and_then(|e| e.as_table()) {
                            for key in vars.keys() {
                                let at = key_offset(&text, key);
                                env.declare(key, path, Span::new(at, at + key.len()), None);
                            }
                        }
                    }
                    Err(error) => reader.problem(super::toml_problem(path, &text, &error)),
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
        assert!(env.is_declared("LOG_LEVEL") && env.is_declared("SECRET_TOKEN"));
        // vercel.json has a trailing comma: reported with its position, nothing declared.
        assert!(!env.is_declared("NEXT_PUBLIC_API"));
        assert_eq!(reader.problems.len(), 1);
        assert_eq!(reader.problems[0].path, "vercel.json");
        assert!(reader.problems[0].message.starts_with("invalid JSON"));
    }
}
