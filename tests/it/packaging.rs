//! What ships stays in step with the code: the pre-commit hooks, the GitHub Action, the release
//! workflow, the published crate's file list, the Cargo metadata and the install docs.

use std::collections::BTreeSet;
use std::path::Path;

use runbook_lint::discover::{is_manifest, is_markdown};
use runbook_lint::manifests::{self, MANIFESTS};
use saphyr::{LoadableYamlNode, Yaml};

/// The project's canonical home, as Cargo.toml, README and action.yml name it.
const HOME: &str = "https://github.com/runbook-lint/runbook-lint";
const VERSION: &str = env!("CARGO_PKG_VERSION");

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(name: &str) -> String {
    std::fs::read_to_string(root().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn load(name: &str) -> Yaml<'static> {
    let text: &'static str = Box::leak(read(name).into_boxed_str());
    Yaml::load_from_str(text)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .remove(0)
}

#[test]
fn pre_commit_hook_matches_markdown_and_every_manifest() {
    let hooks = load(".pre-commit-hooks.yaml");
    let hook = &hooks[0];
    assert_eq!(hook["id"].as_str(), Some("runbook-lint"));
    assert_eq!(hook["language"].as_str(), Some("rust"));
    assert_eq!(
        hook["entry"].as_str(),
        Some("runbook-lint check --force-select")
    );
    // The pattern is the registry's, character for character: a new manifest name reaches the
    // hook by regenerating it, never by hand.
    assert_eq!(
        hook["files"].as_str(),
        Some(manifests::hook_files_pattern().as_str()),
        "regenerate `files` from runbook_lint::manifests::hook_files_pattern()"
    );
    // pre-commit applies `files` with Python's re.search; this pattern is in the common subset.
    let files = regex::Regex::new(hook["files"].as_str().unwrap()).unwrap();
    let mut should_match: Vec<String> = vec![
        "README.md".into(),
        "docs/deploy.md".into(),
        "docs/GUIDE.MD".into(),
        "docs/Runbook.markdown".into(),
        "docker-compose.prod.yml".into(),
        "deploy/compose.yaml".into(),
        ".env.production".into(),
        "Taskfile.yaml".into(),
        "Justfile".into(),
        "render.yml".into(),
        "Procfile.dev".into(),
        ".github/workflows/deploy.yml".into(),
        "k8s/deployment.yaml".into(),
        "charts/api/values-production.yaml".into(),
        "infra/variables.tf".into(),
        "Dockerfile.prod".into(),
        ".devcontainer/devcontainer.json".into(),
    ];
    for name in MANIFESTS.iter().flat_map(|m| m.names) {
        should_match.push(name.to_string());
        should_match.push(format!("apps/api/{name}"));
    }
    for path in &should_match {
        assert!(files.is_match(path), "hook `files` misses {path}");
        // And what the hook passes, check treats as Markdown or as a manifest.
        let p = Path::new(path);
        assert!(is_manifest(p) || is_markdown(p), "{path}");
    }
    for path in [
        "src/main.rs",
        ".env",
        "Cargo.toml",
        "package.json.bak",
        "docs/md.txt",
    ] {
        assert!(!files.is_match(path), "hook `files` should skip {path}");
    }
}

#[test]
fn both_pre_commit_hooks_run_the_same_check_serially() {
    let hooks = load(".pre-commit-hooks.yaml");
    let hooks = hooks.as_vec().unwrap();
    let ids: Vec<_> = hooks.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["runbook-lint", "runbook-lint-system"]);
    assert_eq!(hooks[1]["language"].as_str(), Some("system"));
    for key in [
        "entry",
        "files",
        "pass_filenames",
        "minimum_pre_commit_version",
    ] {
        assert_eq!(hooks[0][key], hooks[1][key], "hooks differ in `{key}`");
    }
    for hook in hooks {
        // A manifest lints its whole project: parallel batches would report findings twice.
        assert_eq!(hook["require_serial"].as_bool(), Some(true), "{hook:?}");
        assert_eq!(hook["pass_filenames"].as_bool(), Some(true));
    }
}

#[test]
fn action_is_composite_and_uses_every_declared_input() {
    let action = load("action.yml");
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let text = read("action.yml");
    let used_re = regex::Regex::new(r"\$\{\{\s*inputs\.([a-z-]+)\s*\}\}").unwrap();
    let used: BTreeSet<String> = used_re
        .captures_iter(&text)
        .map(|c| c[1].to_string())
        .collect();
    let declared: BTreeSet<String> = action["inputs"]
        .as_mapping()
        .unwrap()
        .keys()
        .map(|k| k.as_str().unwrap().to_string())
        .collect();
    assert_eq!(used, declared, "inputs declared vs. used in action.yml");
    for step in action["runs"]["steps"].as_vec().unwrap() {
        // Every step's shell script gets inputs through env, never `${{ }}` inside `run:`,
        // and lives in a script a test runs (tests/it/action.rs).
        let run = step["run"].as_str().unwrap();
        assert!(!run.contains("${{"), "{run}");
        let script = run
            .strip_prefix("bash \"$GITHUB_ACTION_PATH/")
            .and_then(|rest| rest.strip_suffix('"'))
            .unwrap_or_else(|| panic!("step runs a script of the action: {run}"));
        assert!(root().join(script).is_file(), "{script}");
    }
    // The outputs come from the install step.
    for output in ["version", "source"] {
        assert_eq!(
            action["outputs"][output]["value"].as_str(),
            Some(format!("${{{{ steps.install.outputs.{output} }}}}").as_str())
        );
    }
}

#[test]
fn the_action_downloads_exactly_the_targets_the_release_builds() {
    let workflow = load(".github/workflows/release.yml");
    let built: BTreeSet<String> = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_vec()
        .unwrap()
        .iter()
        .map(|entry| entry["target"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(built.len(), 5, "{built:?}");
    let script = read("scripts/action-install.sh");
    let mapping = &script[script.find("release_target() {").unwrap()..];
    let mapping = &mapping[..mapping.find("\n}").unwrap()];
    let downloaded: BTreeSet<String> = regex::Regex::new(r"\) echo ([a-z0-9_-]+) ;;")
        .unwrap()
        .captures_iter(mapping)
        .map(|c| c[1].to_string())
        .collect();
    assert_eq!(built, downloaded);
    // The README names every archive.
    let readme = read("README.md");
    for target in &built {
        assert!(
            readme.contains(target.as_str()) || target.contains("windows"),
            "README's install section lacks {target}"
        );
    }
}

/// The files `cargo package` would publish.
fn package_list() -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .current_dir(root())
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn the_published_crate_holds_the_sources_and_no_fixtures() {
    let files = package_list();
    for path in &files {
        for excluded in [
            "fixtures/",
            "tests/",
            "fuzz/",
            ".github/",
            ".ci/",
            "scripts/",
            "docs/",
            "examples/",
            "target/",
        ] {
            assert!(!path.starts_with(excluded), "{path} is published");
        }
    }
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "README.md",
        "LICENSE",
        "CHANGELOG.md",
        "src/main.rs",
        "src/lib.rs",
    ] {
        assert!(files.iter().any(|f| f == needed), "{needed} missing");
    }
    // Every data file the code embeds with include_str! is published, or the crate won't build.
    let include = regex::Regex::new(r#"include_str!\("((?:\.\./)+[^"]+)"\)"#).unwrap();
    let mut embedded = 0;
    for source in files.iter().filter(|f| f.ends_with(".rs")) {
        let text = read(source);
        for capture in include.captures_iter(&text) {
            let mut path: Vec<&str> = source.split('/').collect();
            path.pop();
            for part in capture[1].split('/') {
                if part == ".." {
                    path.pop();
                } else {
                    path.push(part);
                }
            }
            let path = path.join("/");
            assert!(
                files.contains(&path),
                "{source} embeds {path}, not published"
            );
            embedded += 1;
        }
    }
    // And the packs rules declare (`declare_rule! { ..., pack: "rules/x.toml" }`), which the
    // macro embeds from the crate root.
    let pack = regex::Regex::new(r#"(?m)^\s*pack: "([^"]+)",?$"#).unwrap();
    for source in files.iter().filter(|f| f.starts_with("src/rules/")) {
        for capture in pack.captures_iter(&read(source)) {
            assert!(
                files.iter().any(|f| f == &capture[1]),
                "{source} embeds {}, not published",
                &capture[1]
            );
            embedded += 1;
        }
    }
    assert!(embedded >= 8, "found {embedded} embedded data files");
}

#[test]
fn cargo_metadata_license_and_changelog_agree() {
    assert_eq!(env!("CARGO_PKG_REPOSITORY"), HOME);
    assert_eq!(env!("CARGO_PKG_HOMEPAGE"), HOME);
    assert_eq!(env!("CARGO_PKG_LICENSE"), "MIT");
    let license = read("LICENSE");
    assert!(license.starts_with("MIT License\n"), "{license}");
    assert!(license.contains("runbook-lint contributors"));
    let changelog = read("CHANGELOG.md");
    assert!(changelog.contains("[Keep a Changelog](https://keepachangelog.com/"));
    assert!(changelog.contains("\n## [Unreleased]\n"));
    // The README states the MSRV Cargo.toml declares.
    let msrv = env!("CARGO_PKG_RUST_VERSION");
    assert!(!msrv.is_empty());
    let readme = read("README.md")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        readme.contains(&format!(
            "Rust {msrv} or newer (the `rust-version` in Cargo.toml)"
        )),
        "README's install section should state rust-version {msrv}"
    );
}

#[test]
fn install_docs_name_the_current_release_tag() {
    let tag = format!("v{VERSION}");
    let rev = regex::Regex::new(r"(?m)^\s*rev: (\S+)").unwrap();
    let uses = regex::Regex::new(r"runbook-lint/runbook-lint@([A-Za-z0-9._-]+)").unwrap();
    let mut seen = 0;
    for doc in ["README.md", "docs/examples/runbook-lint.yml"] {
        let text = read(doc);
        for capture in rev.captures_iter(&text).chain(uses.captures_iter(&text)) {
            assert_eq!(&capture[1], tag, "{doc} names an old release");
            seen += 1;
        }
        assert!(!text.contains("OWNER/"), "{doc} has a placeholder owner");
    }
    // Two pre-commit snippets, the Action in the README and in the example.
    assert!(seen >= 4, "{seen}");
}

#[test]
fn sarif_help_uris_point_at_committed_rule_docs() {
    let (out, _, _) = crate::common::run(&["check", "fixtures/formats", "--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(!rules.is_empty());
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        assert_eq!(
            rule["helpUri"].as_str(),
            Some(format!("{HOME}/blob/main/docs/rules/{id}.md").as_str())
        );
        assert!(root().join(format!("docs/rules/{id}.md")).is_file(), "{id}");
    }
}

#[test]
fn readme_points_only_inside_the_repository() {
    // A reader of the repository (or of the published crate) has nothing else: every relative
    // link resolves to a file of the repository, and no path leaves it.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = read("README.md");
    let link = regex::Regex::new(r"\]\(([^)\s]+)\)").unwrap();
    for capture in link.captures_iter(&readme) {
        let target = &capture[1];
        if target.contains("://") || target.starts_with('#') || target.starts_with("mailto:") {
            continue;
        }
        let path = target.split('#').next().unwrap();
        assert!(
            !path.starts_with("..") && !path.starts_with('/'),
            "README links outside: {target}"
        );
        assert!(
            root.join(path).exists(),
            "README links to a missing {target}"
        );
    }
    // The sibling folders of a checkout (the team's notes, a corpus) are not the repository.
    // Built from parts so that this test is not itself a mention of the sibling folder.
    let sibling = ["..", "shared"].join("/");
    for outside in [sibling.as_str(), "(../", "/work/"] {
        assert!(!readme.contains(outside), "README names `{outside}`");
    }
}
