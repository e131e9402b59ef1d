//! Python project facts: console scripts from `pyproject.toml`, and whether the project has
//! `alembic.ini` and `manage.py`.

use std::collections::BTreeSet;

use super::ManifestReader;

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
    /// Reads the Python manifests among `files`.
    pub fn load(reader: &mut ManifestReader, files: &BTreeSet<String>) -> PythonFacts {
        let mut facts = PythonFacts::default();
        for path in files {
            let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
            match name {
                "alembic.ini" => facts.alembic.push(dir.to_string()),
                "manage.py" => facts.manage_py.push(dir.to_string()),
                "pyproject.toml" => {
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
                _ => {}
            }
        }
        facts
    }
}
