//! Platform manifests: `Procfile` process types, `fly.toml` `[env]`, Heroku `app.json` `env`
//! and `vercel.json` `env`.

use std::collections::BTreeSet;

use super::env::EnvFacts;
use super::ManifestReader;
use crate::span::Span;

/// Process types and the manifests they came from.
#[derive(Debug, Clone, Default)]
pub struct PlatformFacts {
    /// `Procfile` process types (`web`, `worker`, `release`).
    pub processes: BTreeSet<String>,
}

impl PlatformFacts {
    /// Reads the platform manifests among `files`, declaring their variables in `env`.
    pub fn load(
        reader: &mut ManifestReader,
        files: &BTreeSet<String>,
        env: &mut EnvFacts,
    ) -> PlatformFacts {
        let mut facts = PlatformFacts::default();
        for path in files {
            let name = path.rsplit('/').next().unwrap_or(path);
            if name == "Procfile" || name.starts_with("Procfile.") {
                if let Some(text) = reader.read(path) {
                    for line in text.lines() {
                        if let Some((kind, _)) = line.split_once(':') {
                            if !kind.starts_with('#') && !kind.contains(' ') {
                                facts.processes.insert(kind.trim().to_string());
                            }
                        }
                    }
                }
            } else if name == "fly.toml" {
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
            } else if name == "app.json" || name == "vercel.json" {
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
