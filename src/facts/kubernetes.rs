//! Kubernetes manifests and Helm values: the objects a repository deploys (kind, name,
//! namespace), their containers' environment (`env`, `envFrom`), the keys of its Secrets and
//! ConfigMaps, and the `env`/`extraEnv` maps and lists of Helm `values*.yaml` files.
//!
//! Any YAML file the walker lists is a candidate ([`Kind::KubernetesYaml`]), but only one
//! whose first bytes say it is a Kubernetes object (`apiVersion:` and `kind:` at the top
//! level) is read whole and parsed; a large repository's other YAML costs one short read
//! each. A candidate that does not parse (a Helm template with `{{ }}`) is not a problem
//! of the repository: its `- name: UPPER_CASE` entries are still read, since Kubernetes
//! names of other things are lower case.

use std::sync::LazyLock;

use regex::Regex;

use super::env::{self, EnvFacts};
use super::yaml::{self, Node, Value};
use super::{Catalog, ManifestReader};
use crate::command::shell::is_var_name;
use crate::manifests::Kind;
use crate::span::Span;

/// Bytes of a YAML candidate read to decide whether it is a Kubernetes manifest.
const SNIFF_BYTES: u64 = 16 * 1024;

/// How deep containers and Helm env maps are looked for.
const MAX_DEPTH: usize = 12;

/// Keys of Helm values that hold a container's environment (compared case-insensitively).
const VALUES_ENV_KEYS: &[&str] = &[
    "env",
    "envs",
    "extraenv",
    "extraenvs",
    "extraenvvars",
    "envvars",
    "environment",
    "secretenv",
    "secretenvs",
    "secretenvvars",
    "extrasecretenv",
    "envsecrets",
    "secrets",
];

/// `- name: UPPER_CASE` in a template that is not YAML yet.
static TEMPLATE_ENV_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?m)^\s*-\s+name:\s*["']?([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)["']?\s*$"#)
        .expect("template env regex")
});

/// Where a container takes a whole Secret or ConfigMap as env vars from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvFrom {
    /// `envFrom: - secretRef: {name}`.
    Secret(String),
    /// `envFrom: - configMapRef: {name}`.
    ConfigMap(String),
}

/// One env var of a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerEnv {
    /// The variable.
    pub name: String,
    /// Where its name is written.
    pub span: Span,
    /// `valueFrom.secretKeyRef`: the Secret's name and key.
    pub secret_key: Option<(String, String)>,
}

/// A container (or init container) of a workload.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Container {
    /// Its `name`.
    pub name: String,
    /// Its `env` entries.
    pub env: Vec<ContainerEnv>,
    /// Its `envFrom` sources.
    pub env_from: Vec<EnvFrom>,
}

/// One object of a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeObject {
    /// The manifest, relative to the project root.
    pub file: String,
    /// `kind` (`Deployment`, `Secret`, ...).
    pub kind: String,
    /// `metadata.name`.
    pub name: Option<String>,
    /// `metadata.namespace`.
    pub namespace: Option<String>,
    /// Where the object's `kind` is written.
    pub span: Span,
    /// Its containers, at any depth of its `spec` (Pods, Deployments, CronJobs, Knative
    /// services, Argo rollouts alike).
    pub containers: Vec<Container>,
    /// Keys of a Secret's or ConfigMap's `data`/`stringData`, a SealedSecret's
    /// `encryptedData`, an ExternalSecret's `secretKey`s, or a Kustomization generator's
    /// literals.
    pub data_keys: Vec<(String, Span)>,
}

impl KubeObject {
    /// `Kind/name`, as kubectl writes it.
    pub fn label(&self) -> String {
        match &self.name {
            Some(name) => format!("{}/{}", self.kind, name),
            None => self.kind.clone(),
        }
    }
}

/// The env vars of one Helm values file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValuesFile {
    /// The file, relative to the project root.
    pub path: String,
    /// Variable names and where they are written.
    pub env: Vec<(String, Span)>,
}

/// The Kubernetes side of a project.
#[derive(Debug, Clone, Default)]
pub struct KubernetesFacts {
    /// Manifests that hold at least one object, in path order.
    pub files: Vec<String>,
    /// Every object, in file order.
    pub objects: Vec<KubeObject>,
    /// Helm values files that set env vars.
    pub values: Vec<ValuesFile>,
    /// Kinds some template or manifest names by a template (`{{ .Release.Name }}-api`,
    /// `${APP}`): objects of these kinds may have names no file spells out.
    pub templated_kinds: std::collections::BTreeSet<String>,
    /// Namespaces written in manifests: `metadata.namespace`, Namespace objects, a
    /// kustomization's `namespace:`.
    pub namespaces: std::collections::BTreeSet<String>,
    /// True when a kustomization renames what it deploys (`namePrefix`, `nameSuffix`).
    pub renames: bool,
}

/// `kind: X` at the start of a line of a template.
static TEMPLATE_KIND: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^kind:\s*([A-Za-z]+)").expect("template kind regex"));

impl KubernetesFacts {
    /// The literal names of the objects of `kind`.
    pub fn names_of(&self, kind: &str) -> Vec<&str> {
        self.objects
            .iter()
            .filter(|o| o.kind == kind)
            .filter_map(|o| o.name.as_deref())
            .collect()
    }
}

impl KubernetesFacts {
    /// Reads the Kubernetes manifests and Helm values among the catalog's files, declaring
    /// their variables in `env`.
    pub fn load(reader: &mut ManifestReader, catalog: &Catalog<'_>, env: &mut EnvFacts) -> Self {
        let mut facts = KubernetesFacts::default();
        // A `manifest.yml` is Cloud Foundry's name, and sometimes a Kubernetes manifest's.
        let kinds = [Kind::HelmValues, Kind::KubernetesYaml, Kind::CfManifest];
        for (path, kind) in catalog.entries(&kinds) {
            if kind == Kind::HelmValues {
                facts.read_values(reader, path, env);
            } else {
                facts.read_manifest(reader, catalog, path, env);
            }
        }
        facts
    }

    fn read_values(&mut self, reader: &ManifestReader, path: &str, env: &mut EnvFacts) {
        let Some(text) = reader.peek(path, crate::fsio::MAX_PROJECT_FILE_BYTES) else {
            return;
        };
        let Ok(docs) = yaml::parse_all(path, &text) else {
            return;
        };
        let mut found = Vec::new();
        for doc in &docs {
            values_env(doc, 0, &mut found);
        }
        if found.is_empty() {
            return;
        }
        env.add_manifest(path);
        for (name, span) in &found {
            env.declare(name, path, *span, Some("values"));
        }
        self.values.push(ValuesFile {
            path: path.to_string(),
            env: found,
        });
    }

    fn read_manifest(
        &mut self,
        reader: &mut ManifestReader,
        catalog: &Catalog<'_>,
        path: &str,
        env: &mut EnvFacts,
    ) {
        let name = path.rsplit('/').next().unwrap_or(path);
        let kustomization = matches!(name, "kustomization.yaml" | "kustomization.yml");
        let Some(head) = reader.peek(path, SNIFF_BYTES) else {
            return;
        };
        if !kustomization && !looks_like_kubernetes(&head) {
            return;
        }
        let text = if head.len() as u64 >= SNIFF_BYTES {
            match reader.peek(path, crate::fsio::MAX_PROJECT_FILE_BYTES) {
                Some(text) => text,
                None => return,
            }
        } else {
            head
        };
        let before = self.objects.len();
        match yaml::parse_all(path, &text) {
            Ok(docs) => {
                for doc in &docs {
                    // A kustomization.yaml may leave out its apiVersion and kind.
                    let default_kind = kustomization.then_some("Kustomization");
                    if let Some(mut object) = object(path, doc, default_kind) {
                        if object.kind == "Kustomization" {
                            generator_env_files(doc, path, catalog, reader, env);
                            self.renames |=
                                doc.get("namePrefix").is_some() || doc.get("nameSuffix").is_some();
                            if let Some(ns) = doc.get("namespace").and_then(Node::as_str) {
                                self.namespaces.insert(ns.to_string());
                            }
                        }
                        if object
                            .name
                            .as_ref()
                            .is_some_and(|n| n.contains(['{', '$', '<']))
                        {
                            self.templated_kinds.insert(object.kind.clone());
                            object.name = None;
                        }
                        if let Some(ns) = &object.namespace {
                            self.namespaces.insert(ns.clone());
                        }
                        if object.kind == "Namespace" {
                            self.namespaces.extend(object.name.clone());
                        }
                        self.objects.push(object);
                    }
                }
            }
            Err(_) if text.contains("{{") => {
                for found in TEMPLATE_KIND.captures_iter(&text) {
                    self.templated_kinds.insert(found[1].to_string());
                }
                let found: Vec<(String, Span)> = TEMPLATE_ENV_NAME
                    .captures_iter(&text)
                    .filter_map(|c| c.get(1))
                    .map(|m| (m.as_str().to_string(), Span::new(m.start(), m.end())))
                    .collect();
                if !found.is_empty() {
                    env.add_manifest(path);
                    for (name, span) in found {
                        env.declare(&name, path, span, Some("template"));
                    }
                }
            }
            Err(_) => {}
        }
        let objects = &self.objects[before..];
        if objects.is_empty() {
            return;
        }
        self.files.push(path.to_string());
        let declares = objects.iter().any(|o| {
            !o.data_keys.is_empty()
                || o.containers
                    .iter()
                    .any(|c| !c.env.is_empty() || !c.env_from.is_empty())
        });
        if declares {
            env.add_manifest(path);
        }
        for object in objects {
            let label = object.label();
            for container in &object.containers {
                for var in &container.env {
                    env.declare(&var.name, path, var.span, Some(&label));
                }
            }
            for (key, span) in &object.data_keys {
                env.declare(key, path, *span, Some(&label));
            }
        }
    }

    /// True when some container takes every key of the Secret or ConfigMap `name` as env vars.
    pub fn env_from(&self, name: &str) -> bool {
        self.objects.iter().any(|o| {
            o.containers.iter().any(|c| {
                c.env_from.iter().any(|f| match f {
                    EnvFrom::Secret(n) | EnvFrom::ConfigMap(n) => n == name,
                })
            })
        })
    }
}

/// True when the text has `apiVersion:` and `kind:` at the top level of some document.
pub fn looks_like_kubernetes(text: &str) -> bool {
    let mut api = false;
    let mut kind = false;
    for line in text.lines() {
        if line.starts_with("apiVersion:") {
            api = true;
        } else if line.starts_with("kind:") {
            kind = true;
        }
        if api && kind {
            return true;
        }
    }
    false
}

/// The object a document describes, if it has a `kind` (or `default_kind` is given).
fn object(path: &str, doc: &Node, default_kind: Option<&str>) -> Option<KubeObject> {
    let kind_node = doc.get("kind");
    let kind = match kind_node.and_then(Node::as_str) {
        Some(kind) => kind.to_string(),
        None if matches!(doc.value, Value::Map(_)) => default_kind?.to_string(),
        None => return None,
    };
    let metadata = doc.get("metadata");
    let text = |node: Option<&Node>, key: &str| {
        node.and_then(|m| m.get(key))
            .and_then(Node::as_str)
            .map(String::from)
    };
    let mut object = KubeObject {
        file: path.to_string(),
        name: text(metadata, "name"),
        namespace: text(metadata, "namespace"),
        span: kind_node.map(|k| k.span).unwrap_or(doc.span),
        containers: Vec::new(),
        data_keys: Vec::new(),
        kind,
    };
    if let Some(spec) = doc.get("spec") {
        containers(spec, 0, &mut object.containers);
    }
    let keys = |node: Option<&Node>, out: &mut Vec<(String, Span)>| {
        for (key, _) in node
            .map(|n| n.entries().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            if let Some(name) = key.as_str().filter(|n| is_var_name(n)) {
                out.push((name.to_string(), key.span));
            }
        }
    };
    match object.kind.as_str() {
        "Secret" => {
            keys(doc.get("data"), &mut object.data_keys);
            keys(doc.get("stringData"), &mut object.data_keys);
        }
        "ConfigMap" => keys(doc.get("data"), &mut object.data_keys),
        "SealedSecret" => keys(
            doc.get("spec").and_then(|s| s.get("encryptedData")),
            &mut object.data_keys,
        ),
        "ExternalSecret" => {
            let data = doc.get("spec").and_then(|s| s.get("data"));
            for item in data.map(Node::items).unwrap_or_default() {
                if let Some(key) = item.get("secretKey") {
                    if let Some(name) = key.as_str().filter(|n| is_var_name(n)) {
                        object.data_keys.push((name.to_string(), key.span));
                    }
                }
            }
        }
        "Kustomization" => {
            for generator in ["configMapGenerator", "secretGenerator"] {
                for item in doc.get(generator).map(Node::items).unwrap_or_default() {
                    for literal in item.get("literals").map(Node::items).unwrap_or_default() {
                        let Some(text) = literal.as_str() else {
                            continue;
                        };
                        let name = text.split('=').next().unwrap_or(text).trim();
                        if is_var_name(name) && text.contains('=') {
                            let span =
                                Span::new(literal.span.start, literal.span.start + name.len());
                            object.data_keys.push((name.to_string(), span));
                        }
                    }
                }
            }
        }
        _ => {}
    }
    Some(object)
}

/// The env files a Kustomization's generators read (`envs:`, `env:`), read as templates when
/// they are repository files and not private ones.
fn generator_env_files(
    doc: &Node,
    path: &str,
    catalog: &Catalog<'_>,
    reader: &mut ManifestReader,
    env: &mut EnvFacts,
) {
    let dir = path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    for generator in ["configMapGenerator", "secretGenerator"] {
        for item in doc.get(generator).map(Node::items).unwrap_or_default() {
            let listed = item.get("envs").map(Node::items).unwrap_or_default();
            let single = item.get("env").into_iter();
            for node in listed.iter().chain(single) {
                let Some(relative) = node.as_str() else {
                    continue;
                };
                let Some(target) = crate::paths::join(dir, relative) else {
                    continue;
                };
                let base = target.rsplit('/').next().unwrap_or(&target);
                let private = base == ".env" || base.ends_with(".local");
                if !private && catalog.contains(&target) && !env.manifests.contains(&target) {
                    env::read_env_file(reader, &target, env);
                }
            }
        }
    }
}

/// The containers under `node` (any `containers`, `initContainers` or `ephemeralContainers`
/// list of maps).
fn containers(node: &Node, depth: usize, out: &mut Vec<Container>) {
    if depth > MAX_DEPTH {
        return;
    }
    for (key, value) in node.entries() {
        let is_list = matches!(
            key.as_str(),
            Some("containers" | "initContainers" | "ephemeralContainers")
        );
        if is_list {
            for item in value.items() {
                if matches!(item.value, Value::Map(_)) {
                    out.push(container(item));
                }
            }
        } else {
            containers(value, depth + 1, out);
        }
    }
    for item in node.items() {
        containers(item, depth + 1, out);
    }
}

fn container(node: &Node) -> Container {
    let mut container = Container {
        name: node
            .get("name")
            .and_then(Node::as_str)
            .unwrap_or("")
            .to_string(),
        ..Container::default()
    };
    for var in node.get("env").map(Node::items).unwrap_or_default() {
        let Some(name_node) = var.get("name") else {
            continue;
        };
        let Some(name) = name_node.as_str().filter(|n| is_var_name(n)) else {
            continue;
        };
        let secret_key = var
            .get("valueFrom")
            .and_then(|v| v.get("secretKeyRef"))
            .and_then(|r| {
                Some((
                    r.get("name")?.as_str()?.to_string(),
                    r.get("key")?.as_str()?.to_string(),
                ))
            });
        container.env.push(ContainerEnv {
            name: name.to_string(),
            span: name_node.span,
            secret_key,
        });
    }
    for source in node.get("envFrom").map(Node::items).unwrap_or_default() {
        let named = |key: &str| {
            source
                .get(key)
                .and_then(|r| r.get("name"))
                .and_then(Node::as_str)
                .map(String::from)
        };
        if let Some(name) = named("secretRef") {
            container.env_from.push(EnvFrom::Secret(name));
        } else if let Some(name) = named("configMapRef") {
            container.env_from.push(EnvFrom::ConfigMap(name));
        }
    }
    container
}

/// The env var names of Helm values: keys of `env`-like maps, and `name`s of `env`-like
/// lists, at any depth.
fn values_env(node: &Node, depth: usize, out: &mut Vec<(String, Span)>) {
    if depth > MAX_DEPTH {
        return;
    }
    for (key, value) in node.entries() {
        let is_env = key
            .as_str()
            .is_some_and(|k| VALUES_ENV_KEYS.contains(&k.to_ascii_lowercase().as_str()));
        if is_env {
            for (name, _) in value.entries() {
                if let Some(text) = name.as_str().filter(|n| is_var_name(n)) {
                    out.push((text.to_string(), name.span));
                }
            }
            for item in value.items() {
                if let Some(name) = item.get("name") {
                    if let Some(text) = name.as_str().filter(|n| is_var_name(n)) {
                        out.push((text.to_string(), name.span));
                    }
                }
            }
        } else {
            values_env(value, depth + 1, out);
        }
    }
    for item in node.items() {
        values_env(item, depth + 1, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn load(files: &[(&str, &str)]) -> (KubernetesFacts, EnvFacts, ManifestReader) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let list: BTreeSet<String> = files.iter().map(|(n, _)| n.to_string()).collect();
        let mut reader = ManifestReader::new(dir.path());
        let mut env = EnvFacts::default();
        let facts = KubernetesFacts::load(&mut reader, &Catalog::new(&list), &mut env);
        (facts, env, reader)
    }

    #[test]
    fn objects_containers_and_secret_keys_of_a_multi_document_manifest() {
        let manifest = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  template:\n    spec:\n      initContainers:\n        - name: migrate\n          env:\n            - name: MIGRATION_LOCK\n      containers:\n        - name: api\n          env:\n            - name: DATABASE_URL\n              valueFrom:\n                secretKeyRef: {name: api-secrets, key: database-url}\n            - name: LOG_LEVEL\n              value: info\n          envFrom:\n            - secretRef:\n                name: api-secrets\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: api-secrets\nstringData:\n  STRIPE_SECRET_KEY: x\n  tls.crt: y\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: report\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - name: report\n              env:\n                - name: REPORT_BUCKET\n";
        let (facts, env, reader) = load(&[
            ("k8s/api.yaml", manifest),
            ("mkdocs.yml", "site_name: x\nnav: []\n"),
            ("k8s/broken.yaml", "apiVersion: v1\nkind: [\n"),
        ]);
        assert!(reader.problems.is_empty(), "{:?}", reader.problems);
        let labels: Vec<String> = facts.objects.iter().map(KubeObject::label).collect();
        assert_eq!(
            labels,
            vec!["Deployment/api", "Secret/api-secrets", "CronJob/report"]
        );
        assert_eq!(facts.objects[0].namespace.as_deref(), Some("shop"));
        assert_eq!(facts.objects[0].containers.len(), 2);
        assert_eq!(
            facts.objects[0].containers[1].env[0].secret_key,
            Some(("api-secrets".into(), "database-url".into()))
        );
        assert!(facts.env_from("api-secrets") && !facts.env_from("other"));
        for name in [
            "MIGRATION_LOCK",
            "DATABASE_URL",
            "LOG_LEVEL",
            "STRIPE_SECRET_KEY",
            "REPORT_BUCKET",
        ] {
            assert!(env.is_declared(name), "{name}");
        }
        assert!(!env.is_declared("tls.crt"));
        assert_eq!(facts.files, vec!["k8s/api.yaml"]);
        assert!(!env.manifests.contains("mkdocs.yml"));
    }

    #[test]
    fn helm_values_maps_lists_and_templates() {
        let values = "image: x\napi:\n  env:\n    SENTRY_DSN: \"\"\n  extraEnvVars:\n    - name: FEATURE_FLAGS\n      value: a\nworker:\n  resources: {}\n";
        let template = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: {{ .Chart.Name }}\n          env:\n            - name: QUEUE_URL\n              value: {{ .Values.queue | quote }}\n";
        let (facts, env, reader) = load(&[
            ("charts/api/values-production.yaml", values),
            ("charts/api/templates/deployment.yaml", template),
            ("charts/api/values.schema.yaml", "type: object\n"),
        ]);
        assert!(reader.problems.is_empty());
        assert_eq!(facts.values.len(), 1);
        for name in ["SENTRY_DSN", "FEATURE_FLAGS", "QUEUE_URL"] {
            assert!(env.is_declared(name), "{name}");
        }
        assert!(env
            .manifests
            .contains("charts/api/templates/deployment.yaml"));
        assert!(!env.manifests.contains("charts/api/values.schema.yaml"));
    }

    #[test]
    fn kustomize_generators() {
        let (_, env, _) = load(&[
            (
                "deploy/kustomization.yaml",
                "resources: [api.yaml]\nconfigMapGenerator:\n  - name: api-config\n    literals:\n      - PUBLIC_URL=https://x\n    envs:\n      - config.env\n",
            ),
            ("deploy/config.env", "WORKER_COUNT=4\n"),
        ]);
        assert!(env.is_declared("PUBLIC_URL") && env.is_declared("WORKER_COUNT"));
    }
}
