//! Project facts: the repository's manifests, parsed once per project root and shared by every
//! runbook under it.
//!
//! This module knows manifests; it knows nothing of Markdown or rules. It answers questions:
//! "which scripts does package @acme/api define?", "what does script db:migrate really run?".
//! A broken manifest never stops a run: it becomes a [`ManifestProblem`] that the engine reports
//! as an `invalid-manifest` finding, and the rest of the facts are still usable.

pub mod compose;
pub mod container;
pub mod env;
pub mod git_index;
pub mod ignored;
pub mod kubernetes;
pub mod markdown;
pub mod node;
pub mod procfile;
pub mod python;
pub mod render;
pub mod script_cache;
pub mod tasks;
pub mod terraform;
pub mod workflows;
pub mod yaml;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::manifests::{Kind, Loader};
use crate::span::{LineIndex, Location, Span};

pub use node::{NodeFacts, Package, PackageManager, ScriptStep};

/// Everything known about one project root.
#[derive(Debug, Default)]
pub struct ProjectFacts {
    /// The project root on disk.
    pub root: PathBuf,
    /// Repository files, relative to the root, `/`-separated, .gitignore respected.
    pub files: BTreeSet<String>,
    /// Directories that hold at least one listed file (and their ancestors).
    pub dirs: BTreeSet<String>,
    /// package.json files, workspaces and scripts.
    pub node: NodeFacts,
    /// Manifests that could not be read or parsed.
    pub problems: Vec<ManifestProblem>,
    /// Declared env vars, from every env manifest.
    pub env: env::EnvFacts,
    /// render.yaml blueprints.
    pub render: render::RenderFacts,
    /// Docker Compose files.
    pub compose: compose::ComposeFacts,
    /// Makefiles, justfiles and Taskfiles.
    pub tasks: tasks::TaskFacts,
    /// pyproject scripts, alembic.ini and manage.py.
    pub python: python::PythonFacts,
    /// Procfile process types (fly.toml, app.json and vercel.json feed `env`).
    pub platform: procfile::PlatformFacts,
    /// GitHub Actions workflows: the secrets and variables they read.
    pub workflows: workflows::WorkflowFacts,
    /// Kubernetes objects and Helm values.
    pub kubernetes: kubernetes::KubernetesFacts,
    /// Heading anchors of the repository's Markdown files, read on first use.
    pub anchors: markdown::AnchorCache,
    /// Documentation sites (mkdocs.yml, zensical.toml, docusaurus.config.*) and the folders
    /// they render.
    pub sites: markdown::DocSites,
    /// The root .gitignore, for paths that are generated or private.
    pub ignored: ignored::Ignored,
    /// Script expansions, computed on first use.
    pub scripts: script_cache::ScriptCache,
    /// Directories and ignore files the file listing could not read.
    pub walk_problems: Vec<crate::paths::WalkProblem>,
    /// Repository files by file name, built on first use by [`Self::files_by_name`]
    /// (did-you-mean and "moved to" hints without a scan of every file per finding); leave it
    /// default.
    pub name_index: std::sync::OnceLock<BTreeMap<String, Vec<String>>>,
    /// File names by directory, built on first use by [`Self::files_in_dir`]; leave it default.
    pub dir_index: std::sync::OnceLock<BTreeMap<String, Vec<String>>>,
}

/// Which package of the repository runs in a container or on another host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackageThere {
    /// The package in this directory.
    Dir(String),
    /// Nothing says which: any package of the repository may.
    Any,
    /// None of this repository's: the container runs a published image.
    Foreign,
}

/// A manifest that could not be read or parsed.
#[derive(Debug, Clone)]
pub struct ManifestProblem {
    /// Path relative to the project root.
    pub path: String,
    /// The manifest's text, for showing the broken line.
    pub source: Arc<str>,
    /// Where the problem is.
    pub span: Span,
    /// What is wrong, lower-case, no trailing period.
    pub message: String,
}

impl ManifestProblem {
    /// A problem at `span` of `source`.
    pub fn new(path: &str, source: &str, span: Span, message: String) -> Self {
        ManifestProblem {
            path: path.to_string(),
            source: Arc::from(source),
            span,
            message,
        }
    }

    /// A problem at 1-based `line` and `column`.
    pub fn at(path: &str, source: &str, line: usize, column: usize, message: String) -> Self {
        let offset = LineIndex::new(source).offset(source, line.max(1), column.max(1));
        Self::new(path, source, Span::new(offset, offset), message)
    }

    /// Line and column of the problem.
    pub fn location(&self) -> Location {
        LineIndex::new(&self.source).locate(&self.source, self.span)
    }
}

impl ProjectFacts {
    /// Loads the facts of the project at `root`. Never fails: unreadable or broken manifests
    /// become [`ManifestProblem`]s.
    pub fn load(root: &Path) -> ProjectFacts {
        let mut facts = ProjectFacts {
            root: root.to_path_buf(),
            ..ProjectFacts::default()
        };
        (facts.files, facts.walk_problems) = list_files(root);
        add_hidden_manifests(root, &mut facts.files);
        for file in &facts.files {
            let mut dir = file.as_str();
            while let Some((parent, _)) = dir.rsplit_once('/') {
                if !facts.dirs.insert(parent.to_string()) {
                    break;
                }
                dir = parent;
            }
        }
        let mut reader = ManifestReader::new(root);
        let catalog = Catalog::new(&facts.files);
        // Each loader reads the manifests the registry gives it, in the registry's order.
        for loader in Loader::ORDER {
            match loader {
                Loader::Node => facts.node = NodeFacts::load(&mut reader, &catalog),
                Loader::EnvTemplates => env::load_templates(&mut reader, &catalog, &mut facts.env),
                Loader::Render => {
                    facts.render = render::RenderFacts::load(&mut reader, &catalog, &mut facts.env)
                }
                Loader::Compose => {
                    facts.compose =
                        compose::ComposeFacts::load(&mut reader, &catalog, &mut facts.env)
                }
                Loader::Tasks => facts.tasks = tasks::TaskFacts::load(&mut reader, &catalog),
                Loader::Python => facts.python = python::PythonFacts::load(&mut reader, &catalog),
                Loader::Platform => {
                    facts.platform =
                        procfile::PlatformFacts::load(&mut reader, &catalog, &mut facts.env)
                }
                Loader::Ci => {
                    facts.workflows =
                        workflows::WorkflowFacts::load(&mut reader, &catalog, &mut facts.env)
                }
                Loader::Kubernetes => {
                    facts.kubernetes =
                        kubernetes::KubernetesFacts::load(&mut reader, &catalog, &mut facts.env)
                }
                Loader::Terraform => terraform::load(&mut reader, &catalog, &mut facts.env),
                Loader::Container => container::load(&mut reader, &catalog, &mut facts.env),
                Loader::OnDemand => {}
            }
        }
        facts.anchors = markdown::AnchorCache::new(root);
        facts.sites = markdown::DocSites::detect(root, &facts.files);
        facts.ignored = ignored::Ignored::load(root);
        facts.problems = reader.problems;
        facts
    }

    /// The directory of the package that runs in a container or on another host, where the
    /// repository says which: a compose service built from a package's directory (its build
    /// context or its Dockerfile's directory), or a pod, container, app or host named after a
    /// workspace package (`deploy/api`, `api-7d9f8-x2k`, `shop-api-production` for `api`).
    /// `None` when nothing says: any package of the repository may run there.
    pub fn package_dir_at(&self, location: &crate::command::ExecLocation) -> Option<String> {
        match self.package_at(location) {
            PackageThere::Dir(dir) => Some(dir),
            PackageThere::Any | PackageThere::Foreign => None,
        }
    }

    /// Which package runs in a container or on another host ([`Self::package_dir_at`]), or
    /// that none of this repository does: a compose service that runs a published image.
    pub fn package_at(&self, location: &crate::command::ExecLocation) -> PackageThere {
        use crate::command::{ExecLocation, Runtime};
        let packages = || self.node.packages.iter().chain(&self.node.others);
        let is_package_dir = |dir: &str| packages().any(|p| p.dir == dir);
        if let ExecLocation::Container {
            runtime: Runtime::Compose,
            name,
        } = location
        {
            if self.compose.runs_foreign_image(name) {
                return PackageThere::Foreign;
            }
            if let Some(build) = self.compose.build_of(name) {
                let dockerfile_dir = build
                    .dockerfile
                    .as_deref()
                    .map(|d| d.rsplit_once('/').map(|(dir, _)| dir).unwrap_or(""));
                for dir in dockerfile_dir.into_iter().chain([build.context.as_str()]) {
                    // The root of a workspace holds every package: it says nothing.
                    if is_package_dir(dir) && (!dir.is_empty() || packages().count() == 1) {
                        return PackageThere::Dir(dir.to_string());
                    }
                }
            }
        }
        let name = location.name();
        let name = name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase();
        if name.is_empty() {
            return PackageThere::Any;
        }
        // The name's parts, longest prefix first: `shop-api-production` tries
        // `shop-api-production`, `shop-api`, `shop`; then each part on its own.
        let parts: Vec<&str> = name
            .split(['-', '_', '.', '@'])
            .filter(|p| !p.is_empty())
            .collect();
        let mut candidates: Vec<String> = (1..=parts.len())
            .rev()
            .map(|n| parts[..n].join("-"))
            .collect();
        candidates.extend(parts.iter().map(|p| p.to_string()));
        let package_names = |p: &node::Package| {
            let base = p
                .dir
                .rsplit('/')
                .next()
                .unwrap_or(&p.dir)
                .to_ascii_lowercase();
            let name = p
                .name
                .as_deref()
                .map(|n| n.rsplit('/').next().unwrap_or(n).to_ascii_lowercase());
            (base, name)
        };
        for candidate in &candidates {
            let found = packages().filter(|p| !p.dir.is_empty()).find(|p| {
                let (base, name) = package_names(p);
                base == *candidate || name.as_deref() == Some(candidate.as_str())
            });
            if let Some(package) = found {
                return PackageThere::Dir(package.dir.clone());
            }
        }
        PackageThere::Any
    }

    /// True when the repository has this file (relative, `/`-separated).
    pub fn has_file(&self, path: &str) -> bool {
        self.files.contains(path)
    }

    /// True when the repository has this directory.
    pub fn has_dir(&self, path: &str) -> bool {
        path.is_empty() || self.dirs.contains(path)
    }

    /// Names of the files directly in `dir` (`""`: the root), sorted.
    pub fn files_in_dir(&self, dir: &str) -> &[String] {
        let index = self.dir_index.get_or_init(|| {
            let mut index: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for file in &self.files {
                let (dir, name) = file.rsplit_once('/').unwrap_or(("", file));
                index
                    .entry(dir.to_string())
                    .or_default()
                    .push(name.to_string());
            }
            index
        });
        index.get(dir).map(Vec::as_slice).unwrap_or_default()
    }

    /// Repository files by file name (the part after the last `/`), sorted both ways.
    pub fn files_by_name(&self) -> &BTreeMap<String, Vec<String>> {
        self.name_index.get_or_init(|| {
            let mut index: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for file in &self.files {
                let name = file.rsplit('/').next().unwrap_or(file);
                index
                    .entry(name.to_string())
                    .or_default()
                    .push(file.clone());
            }
            index
        })
    }
}

/// A project's files, and the manifests among them by kind (from [`crate::manifests`]).
pub struct Catalog<'a> {
    /// Every repository file, relative to the root, `/`-separated.
    pub files: &'a BTreeSet<String>,
    /// The manifests, in path order.
    manifests: Vec<(&'a str, Kind)>,
}

impl<'a> Catalog<'a> {
    /// Sorts `files` by the registry.
    pub fn new(files: &'a BTreeSet<String>) -> Self {
        let manifests = files
            .iter()
            .filter_map(|f| crate::manifests::kind_of(f).map(|kind| (f.as_str(), kind)))
            .collect();
        Catalog { files, manifests }
    }

    /// The manifests of these kinds, in path order.
    pub fn of<'k>(&'k self, kinds: &'k [Kind]) -> impl Iterator<Item = &'a str> + 'k {
        self.manifests
            .iter()
            .filter(move |(_, kind)| kinds.contains(kind))
            .map(|(path, _)| *path)
    }

    /// The manifests of these kinds with their kind, in path order.
    pub fn entries<'k>(&'k self, kinds: &'k [Kind]) -> impl Iterator<Item = (&'a str, Kind)> + 'k {
        self.manifests
            .iter()
            .filter(move |(_, kind)| kinds.contains(kind))
            .copied()
    }

    /// True when the project has this file.
    pub fn contains(&self, path: &str) -> bool {
        self.files.contains(path)
    }
}

/// Reads manifest files, turning failures into problems.
pub struct ManifestReader {
    /// The project root.
    pub root: PathBuf,
    /// The canonical root every manifest must resolve inside (`None`: it could not be resolved,
    /// so nothing is read).
    contained: Option<crate::fsio::Root>,
    /// Problems met so far.
    pub problems: Vec<ManifestProblem>,
}

impl ManifestReader {
    /// A reader for manifests under `root`.
    pub fn new(root: &Path) -> Self {
        ManifestReader {
            root: root.to_path_buf(),
            contained: crate::fsio::Root::new(root).ok(),
            problems: Vec::new(),
        }
    }

    /// Reads `relative` as UTF-8 text; `None` (with a problem recorded) when it cannot be.
    /// Only a regular file inside the project root is read, at most 10 MB of it: a committed
    /// `package.json -> /proc/self/environ` or a FIFO named `Taskfile.yml` is a problem, never
    /// an excerpt in a report and never a hang.
    pub fn read(&mut self, relative: &str) -> Option<String> {
        use crate::fsio::ReadError;
        let path = self.root.join(relative);
        let bytes = match &self.contained {
            Some(root) => crate::fsio::read(&path, Some(root), crate::fsio::MAX_PROJECT_FILE_BYTES),
            None => Err(ReadError::OutsideRoot),
        };
        let message = match bytes {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => return Some(text),
                Err(error) => {
                    let valid = error.utf8_error().valid_up_to();
                    let lossy = String::from_utf8_lossy(error.as_bytes()).into_owned();
                    self.problems.push(ManifestProblem::new(
                        relative,
                        &lossy,
                        Span::new(valid, valid),
                        "manifest is not valid UTF-8".to_string(),
                    ));
                    return None;
                }
            },
            Err(ReadError::TooBig { len, .. }) => {
                format!("manifest is {len} bytes, over the 10 MB limit; not read")
            }
            Err(ReadError::OutsideRoot) => {
                "manifest resolves to a file outside the project root; not read".to_string()
            }
            Err(ReadError::NotRegular) => "manifest is not a regular file; not read".to_string(),
            Err(error) => format!("cannot read manifest: {error}"),
        };
        self.problems
            .push(ManifestProblem::new(relative, "", Span::default(), message));
        None
    }

    /// Reads `relative` as UTF-8 text, at most `limit` bytes of it (the first ones), without
    /// recording a problem when it cannot: for files read only when they turn out to be
    /// manifests (a YAML file that may be a Kubernetes object).
    pub fn peek(&self, relative: &str, limit: u64) -> Option<String> {
        let root = self.contained.as_ref()?;
        let bytes = crate::fsio::read_prefix(&self.root.join(relative), Some(root), limit).ok()?;
        match String::from_utf8(bytes) {
            Ok(text) => Some(text),
            // A prefix may end inside a character: keep what is whole.
            Err(error) if error.utf8_error().error_len().is_none() => {
                let valid = error.utf8_error().valid_up_to();
                let mut bytes = error.into_bytes();
                bytes.truncate(valid);
                String::from_utf8(bytes).ok()
            }
            Err(_) => None,
        }
    }

    /// Records a problem.
    pub fn problem(&mut self, problem: ManifestProblem) {
        self.problems.push(problem);
    }
}

/// An `invalid-manifest` problem from a TOML parse error.
pub(crate) fn toml_problem(path: &str, text: &str, error: &toml::de::Error) -> ManifestProblem {
    let offset = error.span().map(|s| s.start).unwrap_or(0);
    ManifestProblem::new(
        path,
        text,
        Span::new(offset, offset),
        format!("invalid TOML: {}", error.message().trim()),
    )
}

/// An `invalid-manifest` problem from a JSON parse error.
pub(crate) fn json_problem(path: &str, text: &str, error: &serde_json::Error) -> ManifestProblem {
    let message = error.to_string();
    let message = message.split(" at line ").next().unwrap_or(&message);
    ManifestProblem::at(
        path,
        text,
        error.line(),
        error.column(),
        format!("invalid JSON: {message}"),
    )
}

/// Template names read in a directory even when an ignore file hides them, outside a git
/// repository (inside one, the index says which are committed).
const KNOWN_TEMPLATES: &[&str] = &[
    ".env.example",
    ".env.sample",
    ".env.template",
    ".env.dist",
    "example.env",
    "sample.env",
];

/// Adds the manifests an ignore file hides from the walker but that belong to the repository:
/// a committed `.env.example` under a `.env*` line of `.gitignore`. Inside a git repository
/// the index lists what is committed; outside one (or when the index cannot be read), the
/// usual template names are looked for in the root and in every directory holding a
/// manifest. Files in dependency folders and files missing from the work tree are left out.
fn add_hidden_manifests(root: &Path, files: &mut BTreeSet<String>) {
    let exists = |relative: &str| {
        std::fs::symlink_metadata(root.join(relative)).is_ok_and(|m| m.is_file() || m.is_symlink())
    };
    let skipped = |relative: &str| {
        relative
            .split('/')
            .any(|part| crate::paths::SKIPPED_DIRS.contains(&part))
    };
    let hidden =
        |relative: &str| crate::manifests::kind_of(relative).is_some_and(|k| k != Kind::EnvFile);
    if let Some((top, tracked)) = git_index::tracked(root) {
        let prefix = match (crate::fsio::Root::new(&top), crate::fsio::Root::new(root)) {
            (Ok(top), Ok(root)) => root
                .path()
                .strip_prefix(top.path())
                .ok()
                .map(|p| p.to_string_lossy().replace('\\', "/")),
            _ => None,
        };
        let Some(prefix) = prefix else {
            return;
        };
        let found: Vec<String> = tracked
            .into_iter()
            .filter_map(|path| match prefix.as_str() {
                "" => Some(path),
                prefix => path
                    .strip_prefix(prefix)
                    .and_then(|p| p.strip_prefix('/'))
                    .map(String::from),
            })
            .filter(|path| !files.contains(path) && hidden(path) && !skipped(path))
            .filter(|path| exists(path))
            .collect();
        files.extend(found);
        return;
    }
    let mut dirs: BTreeSet<String> = files
        .iter()
        .filter(|f| crate::manifests::is_manifest(f))
        .map(|f| {
            f.rsplit_once('/')
                .map(|(d, _)| d.to_string())
                .unwrap_or_default()
        })
        .collect();
    dirs.insert(String::new());
    for dir in dirs {
        for name in KNOWN_TEMPLATES {
            let path = if dir.is_empty() {
                name.to_string()
            } else {
                format!("{dir}/{name}")
            };
            if !files.contains(&path) && exists(&path) {
                files.insert(path);
            }
        }
    }
}

/// Repository files under `root`, honouring .gitignore, skipping dependency folders; and what
/// could not be read on the way.
fn list_files(root: &Path) -> (BTreeSet<String>, Vec<crate::paths::WalkProblem>) {
    let options = crate::paths::WalkOptions {
        hidden: true,
        extra_skipped: &[],
    };
    let walk = crate::paths::walk(root, &crate::paths::ignore_boundary(root, root), options);
    let files = walk
        .files
        .iter()
        .filter_map(|path| {
            let relative = path.strip_prefix(root).ok()?;
            let relative = relative.to_string_lossy().replace('\\', "/");
            (!relative.is_empty()).then_some(relative)
        })
        .collect();
    (files, walk.problems)
}
