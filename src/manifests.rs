//! The manifest registry: every file name runbook-lint reads as a manifest, once.
//!
//! Discovery (which directories are projects, which named files lint their project's
//! runbooks), `--changed-since` (which changed files re-lint a project), the project facts
//! (which loader reads which file) and the pre-commit hook's `files` pattern all follow
//! [`MANIFESTS`]; a test keeps `.pre-commit-hooks.yaml` equal to [`hook_files_pattern`].
//!
//! A name pattern is a regular expression over a file's name (not its directory), written in
//! the subset that both Rust's `regex` and Python's `re` (which pre-commit uses) read the same
//! way. Case rules are part of the pattern: `[Mm]akefile`, `(?i:...)` for env templates.

use std::sync::LazyLock;

use regex::{Regex, RegexSet};

/// What a manifest is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// `package.json`.
    PackageJson,
    /// `pnpm-workspace.yaml`.
    PnpmWorkspace,
    /// A Node lockfile: which package manager the project uses.
    NodeLockfile,
    /// A Render blueprint.
    RenderBlueprint,
    /// A Docker Compose file, overrides and per-environment variants included.
    Compose,
    /// A committed env template (`.env.example`, `example.env`, `api.env.sample`).
    EnvTemplate,
    /// A real env file (`.env.production`): read only when a compose file names it.
    EnvFile,
    /// A Makefile.
    Makefile,
    /// A justfile.
    Justfile,
    /// A go-task Taskfile.
    Taskfile,
    /// Turborepo's `turbo.json`: its tasks.
    TurboJson,
    /// `composer.json`: its scripts.
    ComposerJson,
    /// A `Rakefile` or `*.rake` file: its tasks.
    Rakefile,
    /// `pyproject.toml`: console scripts.
    Pyproject,
    /// `alembic.ini`: the project runs Alembic.
    AlembicIni,
    /// `manage.py`: the project runs Django.
    ManagePy,
    /// A Heroku-style Procfile (`Procfile.dev` included).
    Procfile,
    /// Fly.io's `fly.toml` (and per-app `fly.staging.toml`).
    FlyToml,
    /// A Cloud Foundry `manifest.yml`: its `applications` (a Kubernetes manifest so named is
    /// still read as one).
    CfManifest,
    /// Heroku's `app.json`.
    AppJson,
    /// `vercel.json`.
    VercelJson,
    /// A GitHub Actions workflow (`.github/workflows/*.yml`).
    GithubWorkflow,
    /// A Helm chart's `values.yaml` (and `values-production.yaml`, `values.prod.yaml`).
    HelmValues,
    /// A Terraform file (`*.tf`): its `variable` blocks.
    Terraform,
    /// A Dockerfile or Containerfile: its `ENV` and `ARG` lines.
    Dockerfile,
    /// A dev container's `devcontainer.json`.
    Devcontainer,
    /// Any other YAML file: a Kubernetes manifest when its text says so (`apiVersion` and
    /// `kind` at the top level); read only then.
    KubernetesYaml,
}

/// Which part of the project facts reads a manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Loader {
    /// Packages, workspaces and scripts.
    Node,
    /// Declared env vars of templates.
    EnvTemplates,
    /// Render services and their env vars.
    Render,
    /// Compose services, env vars and the env files they name.
    Compose,
    /// Make targets, just recipes, Taskfile, turbo and Rake tasks, composer scripts.
    Tasks,
    /// Python console scripts, Alembic and Django presence.
    Python,
    /// Procfile process types and platform env vars.
    Platform,
    /// GitHub Actions workflows: `env:` keys, `secrets.X`, `vars.X`.
    Ci,
    /// Kubernetes objects and Helm values.
    Kubernetes,
    /// Terraform variables.
    Terraform,
    /// Dockerfiles and dev containers.
    Container,
    /// Read when another manifest names the file (a compose `env_file`).
    OnDemand,
}

impl Loader {
    /// The loaders in the order the facts run them (env declarations keep this order).
    pub const ORDER: &'static [Loader] = &[
        Loader::Node,
        Loader::EnvTemplates,
        Loader::Render,
        Loader::Compose,
        Loader::Tasks,
        Loader::Python,
        Loader::Platform,
        Loader::Ci,
        Loader::Kubernetes,
        Loader::Terraform,
        Loader::Container,
    ];
}

/// One kind of manifest.
#[derive(Debug, Clone, Copy)]
pub struct Manifest {
    /// What it is.
    pub kind: Kind,
    /// The file names it has: a regex over the whole name (anchored by the users). A pattern
    /// may name directories too (`\.github/workflows/[^/]+\.ya?ml`): it is matched against the
    /// end of the `/`-separated path, from a component boundary.
    pub pattern: &'static str,
    /// Its usual names, exactly; when `marks_project`, a directory holding one of them is a
    /// project (or part of one).
    pub names: &'static [&'static str],
    /// Globs (`*` for any run of characters) for the other names the pattern accepts, for
    /// watchers that take globs (the language server's); each is checked against `pattern`.
    pub variants: &'static [&'static str],
    /// True when the file makes its directory a project for root discovery.
    pub marks_project: bool,
    /// The part of the facts that reads it.
    pub loader: Loader,
}

/// Every manifest runbook-lint reads. The first entry whose pattern matches a name gives its
/// kind (templates before real env files).
pub const MANIFESTS: &[Manifest] = &[
    // First: a workflow named `docker-compose.yml` is still a workflow.
    Manifest {
        kind: Kind::GithubWorkflow,
        pattern: r"\.github/workflows/[^/]+\.ya?ml",
        names: &[],
        variants: &[".github/workflows/*.yml", ".github/workflows/*.yaml"],
        marks_project: false,
        loader: Loader::Ci,
    },
    Manifest {
        kind: Kind::PackageJson,
        pattern: r"package\.json",
        names: &["package.json"],
        variants: &[],
        marks_project: true,
        loader: Loader::Node,
    },
    Manifest {
        kind: Kind::PnpmWorkspace,
        pattern: r"pnpm-workspace\.yaml",
        names: &["pnpm-workspace.yaml"],
        variants: &[],
        marks_project: true,
        loader: Loader::Node,
    },
    Manifest {
        kind: Kind::NodeLockfile,
        pattern: r"pnpm-lock\.yaml|yarn\.lock|bun\.lockb?|package-lock\.json",
        names: &[
            "pnpm-lock.yaml",
            "yarn.lock",
            "bun.lockb",
            "bun.lock",
            "package-lock.json",
        ],
        variants: &[],
        marks_project: false,
        loader: Loader::Node,
    },
    Manifest {
        kind: Kind::RenderBlueprint,
        pattern: r"render\.ya?ml",
        names: &["render.yaml", "render.yml"],
        variants: &[],
        marks_project: true,
        loader: Loader::Render,
    },
    Manifest {
        kind: Kind::Compose,
        pattern: r"(?:docker-compose[^/]*|compose(?:\.[^/]+)?)\.ya?ml",
        names: &[
            "docker-compose.yml",
            "docker-compose.yaml",
            "compose.yml",
            "compose.yaml",
        ],
        variants: &[
            "docker-compose*.yml",
            "docker-compose*.yaml",
            "compose.*.yml",
            "compose.*.yaml",
        ],
        marks_project: true,
        loader: Loader::Compose,
    },
    Manifest {
        kind: Kind::EnvTemplate,
        pattern: r"(?i:(?:\.env[^/]*\.|[^/]*\.env\.(?:[^/]*\.)?)(?:example|sample|template|dist|tpl)|(?:example|sample|template)\.env|[^/]*\.conf\.(?:example|sample|template))",
        names: &[".env.example", ".env.sample", ".env.template"],
        variants: &[
            "*.env.example",
            "*.env.sample",
            "*.env.template",
            "*.env.dist",
            "*.env.tpl",
            "example.env",
            "sample.env",
            "template.env",
            "*.conf.example",
            "*.conf.sample",
            "*.conf.template",
        ],
        marks_project: true,
        loader: Loader::EnvTemplates,
    },
    Manifest {
        kind: Kind::EnvFile,
        pattern: r"\.env\.[^/]+",
        names: &[],
        variants: &[".env.*"],
        marks_project: false,
        loader: Loader::OnDemand,
    },
    Manifest {
        kind: Kind::Makefile,
        pattern: r"GNUmakefile|[Mm]akefile",
        // GNU make's order of preference.
        names: &["GNUmakefile", "makefile", "Makefile"],
        variants: &[],
        marks_project: true,
        loader: Loader::Tasks,
    },
    Manifest {
        kind: Kind::Justfile,
        pattern: r"[Jj]ustfile|\.justfile",
        names: &["justfile", "Justfile", ".justfile"],
        variants: &[],
        marks_project: true,
        loader: Loader::Tasks,
    },
    Manifest {
        kind: Kind::Taskfile,
        pattern: r"[Tt]askfile(?:\.dist)?\.ya?ml",
        names: &[
            "Taskfile.yml",
            "Taskfile.yaml",
            "taskfile.yml",
            "taskfile.yaml",
        ],
        variants: &[
            "Taskfile.dist.yml",
            "Taskfile.dist.yaml",
            "taskfile.dist.yml",
            "taskfile.dist.yaml",
        ],
        marks_project: true,
        loader: Loader::Tasks,
    },
    Manifest {
        kind: Kind::TurboJson,
        pattern: r"turbo\.json",
        names: &["turbo.json"],
        variants: &[],
        marks_project: false,
        loader: Loader::Tasks,
    },
    Manifest {
        kind: Kind::ComposerJson,
        pattern: r"composer\.json",
        names: &["composer.json"],
        variants: &[],
        marks_project: true,
        loader: Loader::Tasks,
    },
    Manifest {
        kind: Kind::Rakefile,
        pattern: r"[Rr]akefile(?:\.rb)?|[^/]+\.rake",
        names: &["Rakefile", "rakefile", "Rakefile.rb"],
        variants: &["*.rake"],
        marks_project: true,
        loader: Loader::Tasks,
    },
    Manifest {
        kind: Kind::Pyproject,
        pattern: r"pyproject\.toml",
        names: &["pyproject.toml"],
        variants: &[],
        marks_project: true,
        loader: Loader::Python,
    },
    Manifest {
        kind: Kind::AlembicIni,
        pattern: r"alembic\.ini",
        names: &["alembic.ini"],
        variants: &[],
        marks_project: true,
        loader: Loader::Python,
    },
    Manifest {
        kind: Kind::ManagePy,
        pattern: r"manage\.py",
        names: &["manage.py"],
        variants: &[],
        marks_project: true,
        loader: Loader::Python,
    },
    Manifest {
        kind: Kind::Procfile,
        pattern: r"Procfile(?:\.[^/]+)?",
        names: &["Procfile"],
        variants: &["Procfile.*"],
        marks_project: true,
        loader: Loader::Platform,
    },
    Manifest {
        kind: Kind::FlyToml,
        pattern: r"fly(?:\.[^/]+)?\.toml",
        names: &["fly.toml"],
        variants: &["fly.*.toml"],
        marks_project: true,
        loader: Loader::Platform,
    },
    Manifest {
        kind: Kind::CfManifest,
        pattern: r"manifest\.ya?ml",
        names: &["manifest.yml", "manifest.yaml"],
        variants: &[],
        marks_project: false,
        loader: Loader::Platform,
    },
    Manifest {
        kind: Kind::AppJson,
        pattern: r"app\.json",
        names: &["app.json"],
        variants: &[],
        marks_project: true,
        loader: Loader::Platform,
    },
    Manifest {
        kind: Kind::VercelJson,
        pattern: r"vercel\.json",
        names: &["vercel.json"],
        variants: &[],
        marks_project: true,
        loader: Loader::Platform,
    },
    Manifest {
        kind: Kind::HelmValues,
        pattern: r"values(?:[-._][^/]*)?\.ya?ml",
        names: &["values.yaml", "values.yml"],
        variants: &[
            "values-*.yaml",
            "values.*.yaml",
            "values_*.yaml",
            "values-*.yml",
        ],
        marks_project: false,
        loader: Loader::Kubernetes,
    },
    Manifest {
        kind: Kind::Terraform,
        pattern: r"[^/]*\.tf",
        names: &["variables.tf", "main.tf"],
        variants: &["*.tf"],
        marks_project: false,
        loader: Loader::Terraform,
    },
    Manifest {
        kind: Kind::Dockerfile,
        pattern: r"(?:[^/]*\.)?[Dd]ockerfile(?:\.[^/]+)?|Containerfile(?:\.[^/]+)?",
        names: &["Dockerfile", "Containerfile"],
        variants: &[
            "Dockerfile.*",
            "*.Dockerfile",
            "*.dockerfile",
            "Containerfile.*",
        ],
        marks_project: false,
        loader: Loader::Container,
    },
    Manifest {
        kind: Kind::Devcontainer,
        pattern: r"\.?devcontainer\.json",
        names: &["devcontainer.json", ".devcontainer.json"],
        variants: &[],
        marks_project: false,
        loader: Loader::Container,
    },
    // Last: every YAML file no entry above claims is a candidate, read only when its text
    // says it is a Kubernetes object (see `facts::kubernetes`).
    Manifest {
        kind: Kind::KubernetesYaml,
        pattern: r"[^/]*\.ya?ml",
        names: &[],
        variants: &["*.yaml", "*.yml"],
        marks_project: false,
        loader: Loader::Kubernetes,
    },
];

/// Markdown extensions, matched case-insensitively (`GUIDE.MD` is Markdown).
pub const MARKDOWN_EXTENSIONS: &[&str] = &["md", "markdown", "mdown", "mkd"];

/// The registry's patterns, each anchored to the end of a path at a component boundary
/// (as the pre-commit hook applies them).
static NAME_SET: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new(
        MANIFESTS
            .iter()
            .map(|m| format!("(?:^|/)(?:{})$", m.pattern)),
    )
    .expect("manifest patterns are valid (unit-tested)")
});

/// The manifest entry of a file, by its path (`/`- or `\\`-separated, or a bare name): the
/// file name decides, and the directories too for entries that name them (workflows).
pub fn manifest_of(path: &str) -> Option<&'static Manifest> {
    let path: std::borrow::Cow<'_, str> = if path.contains('\\') {
        path.replace('\\', "/").into()
    } else {
        path.into()
    };
    NAME_SET.matches(&path).iter().next().map(|i| &MANIFESTS[i])
}

/// The kind of manifest a file is, if it is one.
pub fn kind_of(path: &str) -> Option<Kind> {
    manifest_of(path).map(|m| m.kind)
}

/// True for a file runbook-lint reads as a manifest.
pub fn is_manifest(path: &str) -> bool {
    manifest_of(path).is_some()
}

/// True for a committed env template: `.env.example`, `example.env`, `api.env.sample`, in
/// any case (a real `.env` or `.env.local` is not one).
pub fn is_env_template(path: &str) -> bool {
    kind_of(path) == Some(Kind::EnvTemplate)
}

/// True when the file name has a Markdown extension, in any case.
pub fn is_markdown(path: &str) -> bool {
    crate::paths::has_extension(file_name(path), MARKDOWN_EXTENSIONS)
}

/// Every manifest name as a glob (usual names, then variants), for file watchers.
pub fn watch_globs() -> Vec<&'static str> {
    MANIFESTS
        .iter()
        .flat_map(|m| m.names.iter().chain(m.variants))
        .copied()
        .collect()
}

/// The pre-commit hook's `files` pattern: Markdown files and every manifest, at any depth.
/// Python's `re.search` applies it to `/`-separated paths relative to the repository.
pub fn hook_files_pattern() -> String {
    let names: Vec<&str> = MANIFESTS.iter().map(|m| m.pattern).collect();
    format!(
        r"\.(?i:{})$|(?:^|/)(?:{})$",
        MARKDOWN_EXTENSIONS.join("|"),
        names.join("|")
    )
}

/// The pattern compiled, for tests that check the hook.
pub fn hook_files_regex() -> Regex {
    Regex::new(&hook_files_pattern()).expect("hook pattern is valid (unit-tested)")
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names each entry must match, beyond its usual names.
    const VARIANTS: &[(Kind, &str)] = &[
        (Kind::Compose, "docker-compose.prod.yml"),
        (Kind::Compose, "docker-compose-dev.yaml"),
        (Kind::Compose, "compose.override.yaml"),
        (Kind::EnvTemplate, "example.env"),
        (Kind::EnvTemplate, "api.env.example"),
        (Kind::EnvTemplate, ".env.production.example"),
        (Kind::EnvTemplate, ".ENV.EXAMPLE"),
        (Kind::EnvTemplate, "nginx.conf.example"),
        (Kind::EnvFile, ".env.production"),
        (Kind::Taskfile, "Taskfile.dist.yml"),
        (Kind::Procfile, "Procfile.dev"),
        (Kind::TurboJson, "turbo.json"),
        (Kind::ComposerJson, "api/composer.json"),
        (Kind::Rakefile, "Rakefile"),
        (Kind::Rakefile, "lib/tasks/db.rake"),
        (Kind::FlyToml, "fly.staging.toml"),
        (Kind::CfManifest, "deploy/manifest.yml"),
        (Kind::GithubWorkflow, ".github/workflows/deploy.yml"),
        (
            Kind::GithubWorkflow,
            "repo/.github/workflows/docker-compose.yml",
        ),
        (Kind::HelmValues, "charts/api/values-production.yaml"),
        (Kind::HelmValues, "values.prod.yml"),
        (Kind::Terraform, "infra/variables.tf"),
        (Kind::Dockerfile, "Dockerfile.prod"),
        (Kind::Dockerfile, "api.Dockerfile"),
        (Kind::Devcontainer, ".devcontainer/devcontainer.json"),
        (Kind::KubernetesYaml, "k8s/deployment.yaml"),
        (Kind::KubernetesYaml, "workflows/ci.yml"),
    ];

    #[test]
    fn names_and_variants_have_their_kind() {
        for manifest in MANIFESTS {
            for name in manifest.names {
                assert_eq!(kind_of(name), Some(manifest.kind), "{name}");
                assert_eq!(kind_of(&format!("apps/api/{name}")), Some(manifest.kind));
            }
        }
        for (kind, name) in VARIANTS {
            assert_eq!(kind_of(name), Some(*kind), "{name}");
        }
        for name in [
            ".env",
            ".env.local.bak/x",
            "package.json.bak",
            "Cargo.toml",
            "README.md",
            "composer.lock",
            "makefile.old",
            "my-compose.txt",
            ".envrc",
            "main.tf.json",
            "devcontainer.jsonc",
        ] {
            assert_eq!(kind_of(name), None, "{name}");
        }
    }

    #[test]
    fn variants_are_names_of_their_kind() {
        for manifest in MANIFESTS {
            for glob in manifest.variants {
                let sample = glob.replace('*', "x");
                assert_eq!(kind_of(&sample), Some(manifest.kind), "{glob}");
            }
        }
        assert!(watch_globs().contains(&"Taskfile.yaml"));
    }

    #[test]
    fn hook_pattern_selects_markdown_and_manifests_at_any_depth() {
        let hook = hook_files_regex();
        for manifest in MANIFESTS {
            for name in manifest.names {
                assert!(hook.is_match(name) && hook.is_match(&format!("a/b/{name}")));
            }
        }
        for (_, name) in VARIANTS {
            assert!(hook.is_match(name), "{name}");
        }
        for name in ["docs/GUIDE.MD", "README.md", "x.Markdown"] {
            assert!(hook.is_match(name) && is_markdown(name), "{name}");
        }
        for name in [
            "src/main.rs",
            ".env",
            "Cargo.toml",
            "docs/md.txt",
            "xpackage.json",
        ] {
            assert!(!hook.is_match(name), "{name}");
        }
    }
}
