//! The pre-commit hook and the GitHub Action definitions stay in step with the code.

use std::path::Path;

use runbook_lint::discover::{is_manifest, is_markdown};
use runbook_lint::manifests::{self, MANIFESTS};
use saphyr::{LoadableYamlNode, Yaml};

fn load(name: &str) -> Yaml<'static> {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let text: &'static str = Box::leak(text.into_boxed_str());
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
fn action_is_composite_and_uses_only_declared_inputs() {
    let action = load("action.yml");
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml")).unwrap();
    let used = regex::Regex::new(r"\$\{\{\s*inputs\.([a-z-]+)\s*\}\}").unwrap();
    let mut count = 0;
    for capture in used.captures_iter(&text) {
        let name = &capture[1];
        assert!(
            !action["inputs"][name].is_badvalue(),
            "action.yml uses undeclared input `{name}`"
        );
        count += 1;
    }
    assert_eq!(count, 4);
    // Every step's shell script gets inputs through env, never `${{ }}` inside `run:`.
    for step in action["runs"]["steps"].as_vec().unwrap() {
        let run = step["run"].as_str().unwrap();
        assert!(!run.contains("${{"), "{run}");
    }
}
