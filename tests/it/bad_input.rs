//! Bad input, end to end: the binary meets broken manifests, undecodable, binary, empty, huge,
//! deeply nested, looping and unreadable files, and must never panic, hang or lose the
//! findings of the good files. Each test builds its repository in a temporary directory
//! (binary files, symlinks and FIFOs do not belong in the source tree).

use std::path::Path;

use crate::common::run_in;

/// A temporary repository (with `.git`, so root discovery stops there).
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    dir
}

fn write(root: &Path, relative: &str, bytes: impl AsRef<[u8]>) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

const PACKAGE: &str = r#"{ "name": "app", "scripts": { "build": "tsc", "test": "vitest" } }"#;

/// A runbook with one missing script (error) and one placeholder (warning).
const RUNBOOK: &str = "# Deploy\n\nRun `pnpm build`, then `pnpm nope`.\n\nOwner: TBD\n";

/// Runs `check ARGS` in `dir`; returns (stdout, stderr, exit code).
fn check(dir: &Path, args: &[&str]) -> (String, String, i32) {
    let args: Vec<&str> = ["check"]
        .into_iter()
        .chain(args.iter().copied())
        .chain(["--color", "never"])
        .collect();
    run_in(dir, &args)
}

/// `(rule, path, line, column)` of every diagnostic in JSON output.
fn findings(stdout: &str) -> Vec<(String, String, u64, u64)> {
    let json: serde_json::Value = serde_json::from_str(stdout).expect("valid JSON");
    json["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn has(found: &[(String, String, u64, u64)], rule: &str, path: &str) -> bool {
    found.iter().any(|f| f.0 == rule && f.1 == path)
}

#[test]
fn invalid_json_manifest_is_reported_with_position_and_other_rules_run() {
    let dir = repo();
    write(
        dir.path(),
        "package.json",
        "{\n  \"scripts\": {\n    \"build\": \"tsc\",\n  }\n}\n",
    );
    write(dir.path(), "docs/deploy.md", RUNBOOK);
    let (stdout, stderr, code) = check(dir.path(), &["--format", "json"]);
    assert_eq!(code, 1, "invalid-manifest is an error; stderr: {stderr}");
    let found = findings(&stdout);
    let manifest: Vec<_> = found.iter().filter(|f| f.0 == "invalid-manifest").collect();
    assert_eq!(manifest.len(), 1, "{found:?}");
    assert_eq!(manifest[0].1, "package.json");
    assert_eq!((manifest[0].2, manifest[0].3), (4, 3), "{found:?}");
    assert!(
        has(&found, "unresolved-placeholder", "docs/deploy.md"),
        "{found:?}"
    );

    let (stdout, _, _) = check(dir.path(), &[]);
    assert!(stdout.contains("[package.json:4:3]"), "{stdout}");
}

#[test]
fn invalid_toml_manifest_is_reported_with_position_and_other_rules_run() {
    let dir = repo();
    write(dir.path(), "package.json", PACKAGE);
    // An unclosed string on line 3 of fly.toml.
    write(
        dir.path(),
        "fly.toml",
        "app = \"shop\"\n[env]\nLOG_LEVEL = \"info\n",
    );
    write(dir.path(), "docs/deploy.md", RUNBOOK);
    let (stdout, stderr, code) = check(dir.path(), &["--format", "json"]);
    assert_eq!(code, 1, "invalid-manifest is an error; stderr: {stderr}");
    let found = findings(&stdout);
    let manifest: Vec<_> = found.iter().filter(|f| f.0 == "invalid-manifest").collect();
    assert_eq!(manifest.len(), 1, "{found:?}");
    assert_eq!(manifest[0].1, "fly.toml");
    assert_eq!(manifest[0].2, 3, "{found:?}");
    assert!(has(&found, "missing-script", "docs/deploy.md"), "{found:?}");
}

#[test]
fn invalid_yaml_manifest_is_reported_and_scripts_are_still_checked() {
    let dir = repo();
    write(dir.path(), "package.json", PACKAGE);
    write(
        dir.path(),
        "pnpm-workspace.yaml",
        "packages:\n\t- 'apps/*'\n",
    );
    write(dir.path(), "docs/deploy.md", RUNBOOK);
    let (stdout, stderr, code) = check(dir.path(), &["--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    let found = findings(&stdout);
    let yaml = found
        .iter()
        .find(|f| f.0 == "invalid-manifest")
        .expect("invalid-manifest finding");
    assert_eq!(yaml.1, "pnpm-workspace.yaml");
    assert_eq!(yaml.2, 2, "the tab is on line 2: {found:?}");
    assert!(has(&found, "missing-script", "docs/deploy.md"), "{found:?}");
}

#[test]
fn non_utf8_markdown_is_decoded_lossily_with_a_warning() {
    let dir = repo();
    write(dir.path(), "package.json", PACKAGE);
    write(
        dir.path(),
        "docs/caf\u{e9}.md",
        b"# Caf\xe9 deploy\n\nOwner: TBD\n\nRun `pnpm nope`.\n",
    );
    let (stdout, stderr, code) = check(dir.path(), &["--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("warning: docs/caf\u{e9}.md: not valid UTF-8"),
        "{stderr}"
    );
    let found = findings(&stdout);
    assert!(
        has(&found, "missing-script", "docs/caf\u{e9}.md"),
        "{found:?}"
    );
    // Line and column still count from the file's start.
    assert!(
        found.iter().any(|f| f.0 == "missing-script" && f.2 == 5),
        "{found:?}"
    );
}

#[test]
fn binary_file_named_md_is_skipped_with_a_warning() {
    let dir = repo();
    write(dir.path(), "package.json", PACKAGE);
    write(
        dir.path(),
        "docs/logo.md",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01",
    );
    write(dir.path(), "docs/deploy.md", RUNBOOK);
    let (stdout, stderr, code) = check(dir.path(), &["--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("warning: docs/logo.md: skipped, binary file"),
        "{stderr}"
    );
    let found = findings(&stdout);
    assert!(has(&found, "missing-script", "docs/deploy.md"));
    assert!(found.iter().all(|f| f.1 != "docs/logo.md"), "{found:?}");
}

#[test]
fn empty_file_is_clean() {
    let dir = repo();
    write(dir.path(), "package.json", PACKAGE);
    write(dir.path(), "docs/empty.md", "");
    let (stdout, stderr, code) = check(dir.path(), &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("no problems found in 1 file"), "{stderr}");
}

#[test]
fn files_over_the_size_limit_are_skipped_with_a_warning() {
    let dir = repo();
    write(dir.path(), "package.json", PACKAGE);
    write(dir.path(), "docs/deploy.md", RUNBOOK);
    // Default limit: 10 MB.
    let mut huge = "Generated text.\n".repeat(700_000).into_bytes();
    huge.truncate(10 * 1024 * 1024 + 1);
    write(dir.path(), "docs/generated.md", &huge);
    let (stdout, stderr, code) = check(dir.path(), &["--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "warning: docs/generated.md: skipped, 10485761 bytes is over the 10485760 byte limit"
        ),
        "{stderr}"
    );
    let found = findings(&stdout);
    assert!(has(&found, "missing-script", "docs/deploy.md"));
    assert!(!has(&found, "unresolved-placeholder", "docs/generated.md"));

    // The flag lowers it...
    let (_, stderr, code) = check(dir.path(), &["--max-file-size", "20"]);
    assert_eq!(code, 0, "every runbook skipped: {stderr}");
    let note = format!(
        "docs/deploy.md: skipped, {} bytes is over the 20 byte limit",
        RUNBOOK.len()
    );
    assert!(stderr.contains(&note), "{stderr}");
    assert!(stderr.contains("no problems found in 0 files"), "{stderr}");
    // ...and so does the config key; the flag wins over it.
    write(
        dir.path(),
        "runbook-lint.toml",
        "max-file-size = \"1 KB\"\n",
    );
    let (_, stderr, code) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("docs/generated.md: skipped, 10485761 bytes is over the 1024 byte limit"),
        "{stderr}"
    );
    let (_, stderr, _) = check(dir.path(), &["--max-file-size", "20MB"]);
    assert!(!stderr.contains("skipped"), "{stderr}");

    let (_, stderr, code) = check(dir.path(), &["--max-file-size", "lots"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("`lots` is not a size"), "{stderr}");
}

#[test]
fn a_100k_line_code_block_is_linted_to_its_last_line() {
    let dir = repo();
    write(dir.path(), "package.json", PACKAGE);
    let mut text = String::from("# Deploy\n\n```bash\n");
    for i in 0..100_000 {
        text.push_str(&format!("echo step {i} && pnpm build\n"));
    }
    text.push_str("pnpm nope\n```\n");
    write(dir.path(), "docs/long.md", &text);
    let (stdout, stderr, code) = check(dir.path(), &["--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    let found = findings(&stdout);
    assert_eq!(
        found,
        vec![("missing-script".into(), "docs/long.md".into(), 100_004, 6)]
    );
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let dir = repo();
    write(dir.path(), "package.json", PACKAGE);
    let quotes = "> ".repeat(10_000) + "Owner: TBD\n";
    let bullets = "- ".repeat(10_000) + "Owner: TBD\n";
    // Lists and quotes alternating, 10 000 levels on one line (indenting each level on
    // its own line would make a 100 MB file, over the size limit).
    let indented = "> - ".repeat(5_000) + "Owner: TBD\n";
    write(dir.path(), "docs/quotes.md", &quotes);
    write(dir.path(), "docs/bullets.md", &bullets);
    write(dir.path(), "docs/indented.md", &indented);
    write(dir.path(), "docs/deploy.md", RUNBOOK);
    let (stdout, stderr, code) = check(dir.path(), &["--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    let found = findings(&stdout);
    assert!(has(&found, "missing-script", "docs/deploy.md"), "{found:?}");
    assert!(
        has(&found, "unresolved-placeholder", "docs/bullets.md"),
        "{found:?}"
    );
    // The human report renders them too.
    let (_, stderr, code) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("in 4 files"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_skipped_and_not_followed() {
    let dir = repo();
    write(dir.path(), "package.json", PACKAGE);
    write(dir.path(), "docs/deploy.md", RUNBOOK);
    let docs = dir.path().join("docs");
    std::os::unix::fs::symlink(docs.join("loop.md"), docs.join("loop.md")).unwrap();
    std::os::unix::fs::symlink(&docs, docs.join("again")).unwrap();
    std::os::unix::fs::symlink("gone.md", docs.join("dangling.md")).unwrap();
    let (stdout, stderr, code) = check(dir.path(), &["--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("warning: docs/loop.md: skipped, broken or looping symbolic link"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: docs/dangling.md: skipped, broken or looping symbolic link"),
        "{stderr}"
    );
    let found = findings(&stdout);
    // deploy.md once: the directory loop `docs/again` is not walked.
    let deploys = found.iter().filter(|f| f.0 == "missing-script").count();
    assert_eq!(deploys, 1, "{found:?}");
}

#[cfg(unix)]
#[test]
fn a_fifo_named_md_is_skipped_not_read() {
    let dir = repo();
    write(dir.path(), "package.json", PACKAGE);
    write(dir.path(), "docs/deploy.md", RUNBOOK);
    let fifo = dir.path().join("docs/pipe.md");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo unavailable; skipping");
        return;
    }
    // Reading a FIFO with no writer would block forever; the timeout in `check` catches that.
    let (_, stderr, code) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("warning: docs/pipe.md: skipped, not a regular file"),
        "{stderr}"
    );
}

#[test]
fn unreadable_files_fail_the_run_but_the_others_are_linted() {
    let dir = repo();
    write(dir.path(), "package.json", PACKAGE);
    write(dir.path(), "docs/deploy.md", RUNBOOK);
    // A named file that does not exist: exit 2, the others still reported.
    let (stdout, stderr, code) = check(dir.path(), &["docs/deploy.md", "docs/missing.md"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("error: docs/missing.md: no such file or directory"),
        "{stderr}"
    );
    assert!(stdout.contains("missing-script"), "{stdout}");
    assert!(
        stderr.contains("in 1 file; 1 path not checked"),
        "the summary must not read as a clean run: {stderr}"
    );

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = dir.path().join("docs/locked.md");
        std::fs::write(&locked, RUNBOOK).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        let (stdout, stderr, code) = check(dir.path(), &["--format", "json"]);
        if std::fs::read(&locked).is_ok() {
            // Running as root: permissions do not stop reading, so there is nothing to report.
            eprintln!("running as root; chmod 000 is still readable, skipping that assertion");
        } else {
            assert_eq!(code, 2, "{stderr}");
            assert!(
                stderr.contains("error: docs/locked.md: permission denied"),
                "{stderr}"
            );
            assert!(has(&findings(&stdout), "missing-script", "docs/deploy.md"));
        }
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
}

#[test]
fn links_and_cd_outside_the_repository_are_not_followed() {
    let outer = tempfile::tempdir().unwrap();
    // Outside the repository: a package.json whose scripts must not be consulted.
    write(
        outer.path(),
        "package.json",
        r#"{ "scripts": { "nope": "echo outside" } }"#,
    );
    let root = outer.path().join("repo");
    std::fs::create_dir_all(root.join(".git")).unwrap();
    write(&root, "package.json", PACKAGE);
    write(
        &root,
        "docs/deploy.md",
        "# Deploy\n\nSee [the parent](../../README.md) and [passwd](/etc/passwd).\n\n\
         ```bash\ncd ../..\npnpm nope\ncd /etc\npnpm nope\n```\n",
    );
    let (stdout, stderr, code) = check(&root, &["--format", "json"]);
    assert_eq!(
        code, 0,
        "scripts outside the repository are unknown, not checked: {stdout}{stderr}"
    );
    assert!(findings(&stdout).is_empty(), "{stdout}");
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let fixtures = fixtures.to_str().unwrap();
    let repos = ["demo", "monorepo", "clean", "suppressions"];
    let run = |extra: &[&str]| check(Path::new(fixtures), &[&repos[..], extra].concat());
    let (one, _, code_one) = run(&["--threads", "1"]);
    let (four, _, code_four) = run(&["--threads", "4"]);
    assert!(one.contains("missing-script"), "{one}");
    assert_eq!(code_one, code_four);
    assert_eq!(one, four);
    let (one, _, _) = run(&["--threads", "1", "--format", "json"]);
    let (four, _, _) = run(&["--threads", "4", "--format", "json"]);
    assert_eq!(one, four);
}

#[cfg(unix)]
#[test]
fn linked_files_outside_the_repository_or_not_regular_are_never_read() {
    let outer = tempfile::tempdir().unwrap();
    write(outer.path(), "secret.md", "# Real heading\n");
    let root = outer.path().join("repo");
    std::fs::create_dir_all(root.join(".git")).unwrap();
    write(&root, "package.json", PACKAGE);
    write(&root, "docs/other.md", "# Other\n");
    std::os::unix::fs::symlink(outer.path().join("secret.md"), root.join("docs/outside.md"))
        .unwrap();
    let fifo = root.join("docs/pipe.md");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    write(
        &root,
        "docs/deploy.md",
        "# Deploy\n\n[a](outside.md#no-such-heading) [b](pipe.md#x) [c](other.md#nope)\n",
    );
    // Reading the FIFO would block until the timeout in `check`.
    let (stdout, stderr, code) = check(&root, &["docs/deploy.md", "--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let messages: Vec<String> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap().to_string())
        .collect();
    // The in-repository file is read and its missing anchor reported...
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`#nope` not found in `docs/other.md`")),
        "{messages:?}"
    );
    // ...the symlink out of the repository is not followed, so its anchors are unknown.
    assert!(
        !messages.iter().any(|m| m.contains("outside.md")),
        "{messages:?}"
    );
    if made.is_ok_and(|s| s.success()) {
        assert!(
            !messages.iter().any(|m| m.contains("pipe.md")),
            "{messages:?}"
        );
    }
}
