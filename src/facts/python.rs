//! Python project facts: console scripts from `pyproject.toml`, and whether the project has
//! `alembic.ini` and `manage.py`.

use std::collections::BTreeSet;

use super::{Catalog, ManifestReader};
use crate::manifests::Kind;

/// What the Python manifests declare.
#[derive(Debug, Clone, Default)]
pub struct PythonFacts {
    /// `[project.scripts]` and `[tool.poetry.scripts]` names.
    pub scripts: BTreeSet<String>,
    /// Directories holding an `alembic.ini`.
    pub alembic: Vec<String>,
    /// Directories holding a `manage.py`.
    pub manage_py: Vec<String>,
}

impl PythonFacts {
    /// Reads the project's Python manifests.
    pub fn load(reader: &mut ManifestReader, catalog: &Catalog<'_>) -> PythonFacts {
        let mut facts = PythonFacts::default();
        let kinds = [Kind::AlembicIni, Kind::ManagePy, Kind::Pyproject];
        for (path, kind) in catalog.entries(&kinds) {
            let dir = path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
            match kind {
                Kind::AlembicIni => facts.alembic.push(dir.to_string()),
                Kind::ManagePy => facts.manage_py.push(dir.to_string()),
                _ => {
                    let Some(text) = reader.read(path) else {
                        continue;
                    };
                    match toml::from_str::<toml::Table>(&text) {
                        Ok(table) => {
                            let project = table.get("project").and_then(|p| p.get("scripts"));
                            let poetry = table
                                .get("tool")
                                .and_then(|t| t.get("poetry"))
                                .and_then(|p| p.get("scripts"));
                            for scripts in [project, poetry].into_iter().flatten() {
                                if let Some(scripts) = scripts.as_table() {
                                    facts.scripts.extend(scripts.keys().cloned());
                                }
                            }
                        }
                        Err(error) => reader.problem(super::toml_problem(path, &text, &error)),
                    }
                }
            }
        }
        facts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_presence_and_broken_toml() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("pyproject.toml"),
            "[project.scripts]\nshop = \"shop.cli:main\"\n[tool.poetry.scripts]\nworker = \"shop.worker:run\"\n",
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("bad")).unwrap();
        std::fs::write(
            dir.path().join("bad/pyproject.toml"),
            "[project\nname = 1\n",
        )
        .unwrap();
        let files: BTreeSet<String> = [
            "pyproject.toml".to_string(),
            "bad/pyproject.toml".to_string(),
            "src/manage.py".to_string(),
            "alembic.ini".to_string(),
        ]
        .into();
        let mut reader = ManifestReader::new(dir.path());
        let facts = PythonFacts::load(&mut reader, &Catalog::new(&files));
        let scripts: Vec<&str> = facts.scripts.iter().map(String::as_str).collect();
        assert_eq!(scripts, vec!["shop", "worker"]);
        assert_eq!(facts.manage_py, vec!["src".to_string()]);
        assert_eq!(facts.alembic, vec![String::new()]);
        assert_eq!(reader.problems.len(), 1);
        assert_eq!(reader.problems[0].path, "bad/pyproject.toml");
        assert_eq!(reader.problems[0].location().line, 1);
    }
}
