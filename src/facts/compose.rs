//! Docker Compose files: services, their `environment` and `env_file`, profiles, and the
//! `${VAR}` interpolations the file expects from the environment.

use std::collections::BTreeSet;

use super::env::{self, EnvFacts};
use super::yaml::{self, Node};
use super::{Catalog, ManifestReader};
use crate::manifests::Kind;
use crate::span::Span;

/// One compose file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeFile {
    /// Path relative to the project root.
    pub path: String,
    /// Its directory (`""` at the root).
    pub dir: String,
    /// Service names and where they are written.
    pub services: Vec<(String, Span)>,
    /// Profiles named by its services.
    pub profiles: BTreeSet<String>,
    /// True when it `include`s or `extends` other files, so its service list may be partial.
    pub partial: bool,
    /// `container_name` of its services.
    pub container_names: Vec<String>,
    /// Its top-level `name:` (the project name), when written literally.
    pub project_name: Option<String>,
    /// Ports its services publish on the host.
    pub ports: Vec<PublishedPort>,
    /// False when a published port is not a literal (`${PG_PORT:-5432}:5432`, a range): the
    /// list above is then incomplete.
    pub ports_known: bool,
    /// Services built from this repository: name, build context directory (relative to the
    /// project root) and Dockerfile path when `build.dockerfile` names one.
    pub builds: Vec<ServiceBuild>,
    /// Services that run a published image and are not built here (`image: redis:7`).
    pub images_only: Vec<String>,
}

/// A port a compose service publishes: `"6543:5432"`, `"127.0.0.1:8080:80"`, long syntax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedPort {
    /// The service.
    pub service: String,
    /// The port on the host; `None` for an ephemeral one (`"5432"` alone).
    pub published: Option<u16>,
    /// The port in the container.
    pub target: u16,
}

impl ComposeFile {
    /// A file with no services yet, at `path`.
    pub fn new(path: &str) -> Self {
        ComposeFile {
            path: path.to_string(),
            dir: path
                .rsplit_once('/')
                .map(|(d, _)| d)
                .unwrap_or("")
                .to_string(),
            services: Vec::new(),
            profiles: BTreeSet::new(),
            partial: false,
            container_names: Vec::new(),
            project_name: None,
            ports: Vec::new(),
            ports_known: true,
            builds: Vec::new(),
            images_only: Vec::new(),
        }
    }
}

/// A service built from the repository (`build: ./api`, `build: {context: ., dockerfile:
/// apps/api/Dockerfile}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceBuild {
    /// The service.
    pub service: String,
    /// The build context, relative to the project root (`""`: the root).
    pub context: String,
    /// The Dockerfile, relative to the project root, when named.
    pub dockerfile: Option<String>,
}

/// The compose files of a project.
#[derive(Debug, Clone, Default)]
pub struct ComposeFacts {
    /// Every compose file read, sorted by path.
    pub files: Vec<ComposeFile>,
}

impl ComposeFacts {
    /// Reads every compose file among `files`, declaring their variables in `env`.
    pub fn load(
        reader: &mut ManifestReader,
        catalog: &Catalog<'_>,
        env: &mut EnvFacts,
    ) -> ComposeFacts {
        let mut facts = ComposeFacts::default();
        let files = catalog.files;
        for path in catalog.of(&[Kind::Compose]) {
            let Some(text) = reader.read(path) else {
                continue;
            };
            let mut file = ComposeFile::new(path);
            env.add_manifest(path);
            match yaml::parse(path, &text) {
                Ok(Some(root)) => {
                    file.partial = root.get("include").is_some();
                    file.project_name = root
                        .get("name")
                        .and_then(Node::as_str)
                        .filter(|n| !n.contains('$'))
                        .map(String::from);
                    read_services(&root, &mut file, files, reader, env);
                }
                Ok(None) => {}
                Err(problem) => {
                    if !lenient_flow_close(&text, &problem) {
                        reader.problem(problem);
                    }
                    file.partial = true;
                }
            }
            // `${VAR}` in a compose file is a variable the operator is expected to set.
            // One pass (a search from every `$` was quadratic in a file of `$ $ $`).
            for found in crate::command::shell::VARIABLE_EXPANSION.captures_iter(&text) {
                let whole = found.get(0).expect("match");
                if text[..whole.start()].ends_with('$') {
                    continue; // `$$VAR` escapes interpolation
                }
                let name = crate::command::shell::expanded_name(&found);
                env.declare(
                    name.as_str(),
                    path,
                    Span::new(name.start(), name.end()),
                    None,
                );
            }
            facts.files.push(file);
        }
        facts
    }

    /// The files a compose command in `dir` uses by default: those of the nearest directory
    /// (`dir`, then its parents) that has any.
    pub fn default_files(&self, dir: &str) -> Vec<&ComposeFile> {
        let mut current = Some(dir);
        while let Some(d) = current {
            let here: Vec<&ComposeFile> = self.files.iter().filter(|f| f.dir == d).collect();
            if !here.is_empty() {
                return here;
            }
            current = if d.is_empty() {
                None
            } else {
                Some(d.rsplit_once('/').map(|(p, _)| p).unwrap_or(""))
            };
        }
        Vec::new()
    }

    /// The file at this path.
    pub fn file(&self, path: &str) -> Option<&ComposeFile> {
        self.files.iter().find(|f| f.path == path)
    }

    /// True when a service runs a published image that no compose file builds here.
    pub fn runs_foreign_image(&self, service: &str) -> bool {
        self.build_of(service).is_none()
            && self
                .files
                .iter()
                .any(|f| f.images_only.iter().any(|s| s == service))
    }

    /// How a service is built, from the first compose file that builds it.
    pub fn build_of(&self, service: &str) -> Option<&ServiceBuild> {
        self.files
            .iter()
            .flat_map(|f| &f.builds)
            .find(|b| b.service == service)
    }
}

/// A flow sequence closed by a `]` at the key's own indentation is invalid YAML 1.2, but
/// Docker Compose and most parsers accept it: not worth an `invalid-manifest` finding.
fn lenient_flow_close(text: &str, problem: &super::ManifestProblem) -> bool {
    let line = problem.location().line;
    problem.message.contains("indentation")
        && text
            .lines()
            .nth(line.saturating_sub(1))
            .is_some_and(|l| l.trim_start().starts_with([']', '}']))
}

fn read_services(
    root: &Node,
    file: &mut ComposeFile,
    files: &BTreeSet<String>,
    reader: &mut ManifestReader,
    env: &mut EnvFacts,
) {
    let Some(services) = root.get("services") else {
        return;
    };
    for (key, service) in services.entries() {
        let Some(name) = key.as_str() else {
            continue;
        };
        file.services.push((name.to_string(), key.span));
        if service.get("extends").is_some() {
            file.partial = true;
        }
        if let Some(container) = service.get("container_name").and_then(Node::as_str) {
            file.container_names.push(container.to_string());
        }
        for port in service.get("ports").map(Node::items).unwrap_or_default() {
            match published_port(name, port) {
                Some(port) => file.ports.push(port),
                None => file.ports_known = false,
            }
        }
        if service.get("build").is_none() && service.get("image").is_some() {
            file.images_only.push(name.to_string());
        }
        if let Some(build) = service.get("build") {
            let context = build
                .as_str()
                .or_else(|| build.get("context").and_then(Node::as_str));
            let dockerfile = build.get("dockerfile").and_then(Node::as_str);
            if let Some(context) = context.and_then(|c| crate::paths::join(&file.dir, c)) {
                let dockerfile = dockerfile.and_then(|d| crate::paths::join(&context, d));
                file.builds.push(ServiceBuild {
                    service: name.to_string(),
                    context,
                    dockerfile,
                });
            }
        }
        for profile in service.get("profiles").map(Node::items).unwrap_or_default() {
            if let Some(p) = profile.as_str() {
                file.profiles.insert(p.to_string());
            }
        }
        if let Some(environment) = service.get("environment") {
            // Map form `KEY: value` and list form `- KEY=value` / `- KEY`.
            for (k, _) in environment.entries() {
                if let Some(text) = k.as_str() {
                    env.declare(text, &file.path, k.span, Some(name));
                }
            }
            for item in environment.items() {
                if let Some(text) = item.as_str() {
                    let key = text.split('=').next().unwrap_or(text).trim();
                    if crate::command::shell::is_var_name(key) {
                        env.declare(key, &file.path, item.span, Some(name));
                    }
                }
            }
        }
        let env_files: Vec<&Node> = match service.get("env_file") {
            Some(node) if node.as_str().is_some() => vec![node],
            Some(node) => node
                .items()
                .iter()
                .map(|i| i.get("path").unwrap_or(i))
                .collect(),
            None => Vec::new(),
        };
        for node in env_files {
            let Some(relative) = node.as_str() else {
                continue;
            };
            let Some(target) = crate::paths::join(&file.dir, relative) else {
                continue;
            };
            let base = target.rsplit('/').next().unwrap_or(&target);
            // A real `.env` (or `.env.local`) holds secrets: never read it.
            let private = base == ".env" || base.ends_with(".local");
            if !private && files.contains(&target) && !env.manifests.contains(&target) {
                env::read_env_file(reader, &target, env);
            }
        }
    }
}

/// One `ports:` entry: `"8080"`, `"8080:80"`, `"127.0.0.1:8080:80/tcp"`, or the long syntax
/// (`target:`, `published:`); `None` when it is not literal (a variable, a range).
fn published_port(service: &str, port: &Node) -> Option<PublishedPort> {
    let number = |text: &str| text.trim().trim_matches('"').parse::<u16>().ok();
    if let Some(target) = port.get("target") {
        let published = match port.get("published") {
            Some(p) => Some(number(p.as_str()?)?),
            None => None,
        };
        return Some(PublishedPort {
            service: service.to_string(),
            published,
            target: number(target.as_str()?)?,
        });
    }
    let text = port.as_str()?;
    let text = text.split('/').next().unwrap_or(text);
    let mut parts: Vec<&str> = text.rsplitn(3, ':').collect();
    parts.reverse();
    let (published, target) = match parts.as_slice() {
        [target] => (None, number(target)?),
        [published, target] | [_, published, target] => (Some(number(published)?), number(target)?),
        _ => return None,
    };
    Some(PublishedPort {
        service: service.to_string(),
        published,
        target,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_services_environment_and_interpolations() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("docker-compose.yml"),
            "services:\n  api:\n    build:\n      context: ./apps\n      dockerfile: api/Dockerfile\n  web:\n    build: ./web\n    image: x:${TAG}\n    environment:\n      - DATABASE_URL=postgres://db\n      - DEBUG\n    env_file: docker-compose.env\n  celery-worker:\n    profiles: [jobs]\n    environment:\n      REDIS_URL: redis://r\n      ESCAPED: $$NOT_A_VAR\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("docker-compose.env"), "SECRET_KEY=\n").unwrap();
        let files: BTreeSet<String> = [
            "docker-compose.yml".to_string(),
            "docker-compose.env".to_string(),
        ]
        .into();
        let mut reader = ManifestReader::new(dir.path());
        let mut env = EnvFacts::default();
        let facts = ComposeFacts::load(&mut reader, &Catalog::new(&files), &mut env);
        assert!(reader.problems.is_empty(), "{:?}", reader.problems);
        let names: Vec<&str> = facts.files[0]
            .services
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        assert_eq!(names, vec!["api", "web", "celery-worker"]);
        assert_eq!(facts.build_of("web").unwrap().context, "web");
        let api = facts.build_of("api").unwrap();
        assert_eq!(
            (api.context.as_str(), api.dockerfile.as_deref()),
            ("apps", Some("apps/api/Dockerfile"))
        );
        assert!(facts.build_of("celery-worker").is_none());
        assert!(!facts.runs_foreign_image("web") && !facts.runs_foreign_image("celery-worker"));
        assert!(facts.files[0].profiles.contains("jobs"));
        for var in [
            "TAG",
            "DATABASE_URL",
            "DEBUG",
            "REDIS_URL",
            "SECRET_KEY",
            "ESCAPED",
        ] {
            assert!(env.is_declared(var), "{var}");
        }
        assert!(!env.is_declared("NOT_A_VAR"));
        assert_eq!(facts.default_files("docs/runbooks").len(), 1);
    }

    #[test]
    fn published_ports_and_container_names() {
        let text = "name: shop\nservices:\n  db:\n    container_name: shop-db\n    ports: [\"6543:5432\", \"127.0.0.1:8080:80/tcp\", 9000, {target: 6379, published: \"6380\"}]\n  web:\n    ports: [\"${WEB_PORT:-3000}:3000\"]\n";
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("compose.yaml"), text).unwrap();
        let files: BTreeSet<String> = ["compose.yaml".to_string()].into();
        let mut reader = ManifestReader::new(dir.path());
        let facts =
            ComposeFacts::load(&mut reader, &Catalog::new(&files), &mut EnvFacts::default());
        let file = &facts.files[0];
        assert_eq!(file.project_name.as_deref(), Some("shop"));
        assert_eq!(file.container_names, vec!["shop-db"]);
        let ports: Vec<(Option<u16>, u16)> =
            file.ports.iter().map(|p| (p.published, p.target)).collect();
        assert_eq!(
            ports,
            vec![
                (Some(6543), 5432),
                (Some(8080), 80),
                (None, 9000),
                (Some(6380), 6379)
            ]
        );
        assert!(!file.ports_known);
    }
}
