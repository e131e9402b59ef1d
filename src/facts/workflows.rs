//! GitHub Actions workflows (`.github/workflows/*.yml`): the env vars they set (`env:` at the
//! workflow, job, step, container and service level) and the secrets and variables they read
//! (`${{ secrets.X }}`, `${{ vars.X }}`). A variable a CI workflow sets or reads is declared.
//! Also each workflow's `name:`, its jobs, and whether it can be run by hand
//! (`workflow_dispatch` and its inputs), for `gh workflow run` and `act -j`.
//! A workflow that is not valid YAML is not reported: GitHub reports it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use regex::Regex;

use super::env::EnvFacts;
use super::yaml::{self, Node};
use super::{Catalog, ManifestReader};
use crate::manifests::Kind;
use crate::span::Span;

/// `secrets.X`, `vars.X` (also `secrets['X']`) in workflow expressions.
static CONTEXT_READ: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b(secrets|vars)(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\])"#)
        .expect("workflow context regex")
});

/// How deep `env:` mappings are looked for (workflow → jobs → job → steps → step → env).
const MAX_DEPTH: usize = 8;

/// The workflows of a project.
#[derive(Debug, Clone, Default)]
pub struct WorkflowFacts {
    /// Workflow files read, in path order.
    pub files: Vec<String>,
    /// Secret names the workflows read (`secrets.X`), with the first file reading each.
    pub secrets: BTreeMap<String, String>,
    /// Configuration variables they read (`vars.X`).
    pub vars: BTreeMap<String, String>,
    /// What each workflow file declares, in path order.
    pub workflows: Vec<Workflow>,
    /// True when some workflow file was empty, unreadable or not valid YAML: what it declares
    /// is unknown, so a name that matches no other workflow is not judged.
    pub incomplete: bool,
}

/// One workflow file's name, triggers and jobs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Workflow {
    /// Its path (`.github/workflows/deploy.yml`).
    pub file: String,
    /// Its `name:`, when it has one.
    pub name: Option<String>,
    /// True when `on:` has `workflow_dispatch` (it can be run by hand: `gh workflow run`).
    pub dispatch: bool,
    /// The `workflow_dispatch` inputs it declares.
    pub inputs: BTreeSet<String>,
    /// Its job ids.
    pub jobs: BTreeSet<String>,
}

impl Workflow {
    /// The file name (`deploy.yml`).
    pub fn file_name(&self) -> &str {
        self.file.rsplit('/').next().unwrap_or(&self.file)
    }

    /// True when `gh workflow run` takes `reference` for this workflow: its file name, its
    /// path, or its `name:` (in any case, as gh compares names).
    pub fn is_named(&self, reference: &str) -> bool {
        let reference = reference.strip_prefix("./").unwrap_or(reference);
        reference == self.file_name()
            || self.file.ends_with(&format!("/{reference}"))
            || reference == self.file
            || self
                .name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(reference))
    }
}

impl WorkflowFacts {
    /// Reads every workflow among the catalog's files, declaring their variables in `env`.
    pub fn load(reader: &mut ManifestReader, catalog: &Catalog<'_>, env: &mut EnvFacts) -> Self {
        let mut facts = WorkflowFacts::default();
        for path in catalog.of(&[Kind::GithubWorkflow]) {
            let Some(text) = reader.read(path) else {
                facts.incomplete = true;
                continue;
            };
            facts.files.push(path.to_string());
            env.add_manifest(path);
            // A workflow that does not parse is GitHub's to report (it refuses to run it), not
            // a problem of the runbooks: its `secrets.` and `vars.` are still read below.
            match yaml::parse(path, &text) {
                Ok(Some(root)) if root.entries().next().is_some() => {
                    env_keys(&root, path, 0, env);
                    facts.workflows.push(workflow(path, &root));
                }
                _ => facts.incomplete = true,
            }
            for found in CONTEXT_READ.captures_iter(&text) {
                let Some(name) = found.get(2).or_else(|| found.get(3)) else {
                    continue;
                };
                let context = &found[1];
                env.declare(
                    name.as_str(),
                    path,
                    Span::new(name.start(), name.end()),
                    Some(context),
                );
                let map = if context == "secrets" {
                    &mut facts.secrets
                } else {
                    &mut facts.vars
                };
                map.entry(name.as_str().to_string())
                    .or_insert_with(|| path.to_string());
            }
        }
        facts
    }

    /// True when a workflow reads the secret or variable `name`.
    pub fn reads(&self, name: &str) -> bool {
        self.secrets.contains_key(name) || self.vars.contains_key(name)
    }
}

/// What the workflow at `path` declares.
fn workflow(path: &str, root: &Node) -> Workflow {
    let mut found = Workflow {
        file: path.to_string(),
        name: root.get("name").and_then(Node::as_str).map(str::to_string),
        ..Workflow::default()
    };
    // `on: workflow_dispatch`, `on: [push, workflow_dispatch]`, or a mapping.
    if let Some(on) = root.get("on").or_else(|| root.get("true")) {
        found.dispatch = on.as_str() == Some("workflow_dispatch")
            || on
                .items()
                .iter()
                .any(|i| i.as_str() == Some("workflow_dispatch"));
        if let Some(dispatch) = on.get("workflow_dispatch") {
            found.dispatch = true;
            if let Some(inputs) = dispatch.get("inputs") {
                found.inputs = inputs
                    .entries()
                    .filter_map(|(k, _)| k.as_str().map(str::to_string))
                    .collect();
            }
        }
    }
    if let Some(jobs) = root.get("jobs") {
        found.jobs = jobs
            .entries()
            .filter_map(|(k, _)| k.as_str().map(str::to_string))
            .collect();
    }
    found
}

/// Declares the keys of every `env:` mapping under `node`.
fn env_keys(node: &Node, path: &str, depth: usize, env: &mut EnvFacts) {
    if depth > MAX_DEPTH {
        return;
    }
    for (key, value) in node.entries() {
        if key.as_str() == Some("env") {
            for (name, _) in value.entries() {
                if let Some(text) = name.as_str() {
                    if crate::command::shell::is_var_name(text) {
                        env.declare(text, path, name.span, Some("env"));
                    }
                }
            }
        }
        env_keys(value, path, depth + 1, env);
    }
    for item in node.items() {
        env_keys(item, path, depth + 1, env);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn env_keys_secrets_and_vars() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".github/workflows")).unwrap();
        std::fs::write(
            dir.path().join(".github/workflows/deploy.yml"),
            "on: push\nenv:\n  NODE_VERSION: 20\njobs:\n  deploy:\n    env:\n      APP_ENV: production\n    steps:\n      - run: ./deploy.sh\n        env:\n          DEPLOY_TOKEN: ${{ secrets.RENDER_DEPLOY_HOOK }}\n          REGION: ${{ vars['AWS_REGION_NAME'] }}\n",
        )
        .unwrap();
        let files: BTreeSet<String> = [".github/workflows/deploy.yml".to_string()].into();
        let mut reader = ManifestReader::new(dir.path());
        let mut env = EnvFacts::default();
        let facts = WorkflowFacts::load(&mut reader, &Catalog::new(&files), &mut env);
        assert!(reader.problems.is_empty(), "{:?}", reader.problems);
        for name in [
            "NODE_VERSION",
            "APP_ENV",
            "DEPLOY_TOKEN",
            "RENDER_DEPLOY_HOOK",
            "AWS_REGION_NAME",
        ] {
            assert!(env.is_declared(name), "{name}");
        }
        assert!(facts.reads("RENDER_DEPLOY_HOOK") && facts.reads("AWS_REGION_NAME"));
        assert!(!facts.reads("APP_ENV"));
        let deploy = &facts.workflows[0];
        assert!(!deploy.dispatch && deploy.jobs.contains("deploy"));
        assert!(deploy.is_named("deploy.yml") && !deploy.is_named("ci.yml"));
    }

    #[test]
    fn names_dispatch_inputs_and_jobs() {
        let dir = tempfile::tempdir().unwrap();
        let workflows = dir.path().join(".github/workflows");
        std::fs::create_dir_all(&workflows).unwrap();
        std::fs::write(
            workflows.join("cd.yml"),
            "name: Deploy to production\non:\n  push:\n  workflow_dispatch:\n    inputs:\n      environment:\n        type: string\n      dry_run: {}\njobs:\n  build: {}\n  release: {}\n",
        )
        .unwrap();
        std::fs::write(
            workflows.join("ci.yml"),
            "on: [push, workflow_dispatch]\njobs:\n  test: {}\n",
        )
        .unwrap();
        std::fs::write(workflows.join("empty.yml"), "").unwrap();
        let files: BTreeSet<String> = ["cd.yml", "ci.yml", "empty.yml"]
            .iter()
            .map(|f| format!(".github/workflows/{f}"))
            .collect();
        let mut reader = ManifestReader::new(dir.path());
        let facts =
            WorkflowFacts::load(&mut reader, &Catalog::new(&files), &mut EnvFacts::default());
        assert!(
            facts.incomplete,
            "an empty workflow declares nothing we know"
        );
        let cd = &facts.workflows[0];
        assert!(cd.is_named("deploy to production") && cd.is_named(".github/workflows/cd.yml"));
        assert!(cd.dispatch);
        let inputs: Vec<&str> = cd.inputs.iter().map(String::as_str).collect();
        assert_eq!(inputs, ["dry_run", "environment"]);
        assert!(cd.jobs.contains("release"));
        assert!(facts.workflows[1].dispatch && facts.workflows[1].inputs.is_empty());
    }

    #[test]
    fn broken_workflows_still_give_their_secrets_and_no_problem() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".github/workflows")).unwrap();
        std::fs::write(
            dir.path().join(".github/workflows/x.yml"),
            "steps:\n  - with: { ref: ${{ secrets.DEPLOY_KEY }}, depth: 0 }\n",
        )
        .unwrap();
        let files: BTreeSet<String> = [".github/workflows/x.yml".to_string()].into();
        let mut reader = ManifestReader::new(dir.path());
        let mut env = EnvFacts::default();
        WorkflowFacts::load(&mut reader, &Catalog::new(&files), &mut env);
        assert!(reader.problems.is_empty());
        assert!(env.is_declared("DEPLOY_KEY"));
    }
}
