//! Env vars end to end where a fixture folder cannot say it all: a committed `.env.example`
//! that `.gitignore` hides, read from a real git index (every index version git writes), and
//! the same file left out when it is ignored and not committed.

use std::path::Path;
use std::process::Command as Process;

use crate::common::run_in;

/// A project whose only declarations are in a template `.gitignore` hides.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("docs")).unwrap();
    std::fs::write(root.join(".gitignore"), ".env*\n").unwrap();
    std::fs::write(
        root.join(".env.example"),
        "DATABASE_URL=\nSTRIPE_SECRET_KEY=\n",
    )
    .unwrap();
    std::fs::write(
        root.join("compose.yaml"),
        "services:\n  web:\n    image: shop/web:1\n",
    )
    .unwrap();
    std::fs::write(
        root.join("docs/deploy.md"),
        "# Deploy\n\n## Environment variables\n\n- [ ] `DATABASE_URL`\n- [ ] `STRIPE_SECRET_KEY`\n",
    )
    .unwrap();
    dir
}

fn git(dir: &Path, args: &[&str]) {
    let output = Process::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The undeclared-env-var messages of a check of `root`.
fn undeclared(root: &Path) -> Vec<String> {
    let (stdout, stderr, _) = run_in(root, &["check", "--root", ".", "--format", "json", "."]);
    let json: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}{stderr}"));
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "undeclared-env-var")
        .map(|d| d["message"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_template_gitignore_hides_is_read_outside_git_by_its_known_name() {
    let dir = project();
    assert_eq!(undeclared(dir.path()), Vec::<String>::new());
}

#[test]
fn a_committed_template_gitignore_hides_is_read_from_the_index() {
    let dir = project();
    let root = dir.path();
    git(root, &["init", "-q"]);
    // Ignored and not committed: not part of the repository.
    git(
        root,
        &["add", "compose.yaml", "docs/deploy.md", ".gitignore"],
    );
    assert_eq!(
        undeclared(root),
        vec![
            "`DATABASE_URL` is declared in no env manifest (compose.yaml)".to_string(),
            "`STRIPE_SECRET_KEY` is declared in no env manifest (compose.yaml)".to_string(),
        ]
    );
    // Committed on purpose (`git add -f`): a manifest, in every index format.
    git(root, &["add", "-f", ".env.example"]);
    for version in ["2", "3", "4"] {
        git(root, &["update-index", "--index-version", version]);
        assert_eq!(undeclared(root), Vec::<String>::new(), "index v{version}");
    }
}

#[test]
fn a_project_below_the_repository_top_finds_its_tracked_templates() {
    let outer = tempfile::tempdir().unwrap();
    let dir = project();
    let nested = outer.path().join("services/api");
    std::fs::create_dir_all(nested.parent().unwrap()).unwrap();
    std::fs::rename(dir.path(), &nested).unwrap();
    git(outer.path(), &["init", "-q"]);
    git(outer.path(), &["add", "-f", "services/api/.env.example"]);
    assert_eq!(undeclared(&nested), Vec::<String>::new());
}
