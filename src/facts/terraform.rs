//! Terraform files (`*.tf`): each `variable "x"` block declares the env var `TF_VAR_x`, the
//! way Terraform reads input variables from the environment.

use std::sync::LazyLock;

use regex::Regex;

use super::env::EnvFacts;
use super::{Catalog, ManifestReader};
use crate::manifests::Kind;
use crate::span::Span;

static VARIABLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?m)^[ \t]*variable[ \t]+"([A-Za-z_][A-Za-z0-9_-]*)"[ \t]*\{"#)
        .expect("terraform variable regex")
});

/// Reads the variables of every Terraform file among the catalog's files into `env`, as
/// `TF_VAR_<name>`. Files under `.terraform/` (downloaded modules) are not the project's.
pub fn load(reader: &mut ManifestReader, catalog: &Catalog<'_>, env: &mut EnvFacts) {
    for path in catalog.of(&[Kind::Terraform]) {
        if path.starts_with(".terraform/") || path.contains("/.terraform/") {
            continue;
        }
        let Some(text) = reader.read(path) else {
            continue;
        };
        env.add_manifest(path);
        for found in VARIABLE.captures_iter(&text) {
            let name = found.get(1).expect("group 1");
            env.declare(
                &format!("TF_VAR_{}", name.as_str()),
                path,
                Span::new(name.start(), name.end()),
                Some("variable"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn variables_declare_tf_var_names() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("infra")).unwrap();
        std::fs::write(
            dir.path().join("infra/variables.tf"),
            "variable \"db_password\" {\n  sensitive = true\n}\n\n# variable \"old\" {\nvariable \"region\"{\n}\n",
        )
        .unwrap();
        let files: BTreeSet<String> = ["infra/variables.tf".to_string()].into();
        let mut reader = ManifestReader::new(dir.path());
        let mut env = EnvFacts::default();
        load(&mut reader, &Catalog::new(&files), &mut env);
        assert!(env.is_declared("TF_VAR_db_password") && env.is_declared("TF_VAR_region"));
        assert!(!env.is_declared("TF_VAR_old"));
    }
}
