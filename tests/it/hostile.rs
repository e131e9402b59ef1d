//! Hostile input, end to end. runbook-lint runs in CI on pull requests, so on content anyone can
//! propose: a pull request must not crash it, make it read or print a file outside the
//! repository, inject options into git, or make it take gigabytes or minutes. One test (or
//! group) per defect of the attack review; each asserts the exit code, the message, and that
//! nothing from outside the root (a marker planted in a file next to the repository, the
//! process environment) appears in any output format, `--output` files included.
//! Symlink and FIFO cases are Unix-only.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// Planted outside the repository; must never appear in any output.
const MARKER: &str = "HOSTILE-OUTSIDE-MARKER-7f3a";

/// Set in the linter's environment: `/proc/self/environ` holds it.
const ENV_MARKER: &str = "HOSTILE-ENV-MARKER-91c2";

const FORMATS: &[&str] = &["human", "json", "concise", "github", "sarif", "junit"];

const PACKAGE: &str = r#"{ "name": "app", "scripts": { "build": "tsc", "test": "vitest" } }"#;

/// A runbook with one missing script (an error).
const RUNBOOK: &str = "# Deploy\n\nRun `pnpm build`, then `pnpm nope`.\n";

/// A directory holding a repository (`repo`, with `.git`) and, next to it, files that are
/// outside the repository and hold [`MARKER`].
struct Site {
    _dir: tempfile::TempDir,
    outer: PathBuf,
    repo: PathBuf,
}

fn make_site() -> Site {
    let dir = tempfile::tempdir().expect("temp dir");
    let outer = dir.path().to_path_buf();
    let repo = outer.join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    write(
        &outer,
        "secret.txt",
        format!("{MARKER}\nPASSWORD=hunter2\n"),
    );
    Site {
        _dir: dir,
        outer,
        repo,
    }
}

fn write(root: &Path, relative: &str, bytes: impl AsRef<[u8]>) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[cfg(unix)]
fn link(target: impl AsRef<Path>, at: &Path) {
    std::fs::create_dir_all(at.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, at).unwrap();
}

#[cfg(unix)]
fn fifo(at: &Path) -> bool {
    std::fs::create_dir_all(at.parent().unwrap()).unwrap();
    std::process::Command::new("mkfifo")
        .arg(at)
        .status()
        .is_ok_and(|s| s.success())
}

/// One run of the binary.
#[derive(Debug)]
struct Run {
    what: String,
    stdout: String,
    stderr: String,
    code: i32,
    /// The `--output` file, when the run wrote one.
    output: String,
}

impl Run {
    fn all(&self) -> String {
        format!("{}\n{}\n{}", self.stdout, self.stderr, self.output)
    }
}

/// Runs `args` in `dir` with [`ENV_MARKER`] in the environment.
fn run(dir: &Path, args: &[&str]) -> Run {
    let output = crate::common::runbook_lint(dir)
        .env("HOSTILE_ENV", ENV_MARKER)
        .args(args)
        .output()
        .expect("binary runs");
    Run {
        what: args.join(" "),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        code: output.status.code().expect("exited, not killed"),
        output: String::new(),
    }
}

/// `check ARGS` in every format, to stdout and with `--output`.
fn every_format(dir: &Path, args: &[&str]) -> Vec<Run> {
    let out_dir = tempfile::tempdir().unwrap();
    let mut runs = Vec::new();
    for format in FORMATS {
        let mut full = vec!["check"];
        full.extend_from_slice(args);
        full.extend_from_slice(&["--format", format, "--color", "never"]);
        runs.push(run(dir, &full));
        let file = out_dir.path().join(format!("report.{format}"));
        let file_arg = file.to_string_lossy().into_owned();
        full.extend_from_slice(&["--output", &file_arg]);
        let mut with_output = run(dir, &full);
        with_output.output = std::fs::read_to_string(&file).unwrap_or_default();
        runs.push(with_output);
    }
    runs
}

/// Every run exited with `code`, and no output holds an outside marker or `also`.
fn assert_contained(runs: &[Run], code: i32, also: &[&str]) {
    for run in runs {
        assert_eq!(run.code, code, "{}: {}{}", run.what, run.stdout, run.stderr);
        let all = run.all();
        for needle in [MARKER, ENV_MARKER, "hunter2"].iter().chain(also) {
            assert!(
                !all.contains(needle),
                "{}: `{needle}` leaked:\n{all}",
                run.what
            );
        }
    }
}

/// Every run's stderr says `message`.
fn assert_said(runs: &[Run], message: &str) {
    for run in runs {
        assert!(
            run.stderr.contains(message),
            "{}: expected `{message}` in:\n{}",
            run.what,
            run.stderr
        );
    }
}

/// Every `--output` run wrote its report.
fn assert_outputs_written(runs: &[Run]) {
    for run in runs.iter().filter(|r| r.what.contains("--output")) {
        if !run.what.contains("--format human") {
            assert!(!run.output.is_empty(), "{}: no report written", run.what);
        }
    }
}

/// `(rule, path, line, message)` of a JSON report.
fn findings(stdout: &str) -> Vec<(String, String, u64, String)> {
    let json: serde_json::Value =
        serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn json_run(runs: &[Run]) -> &Run {
    runs.iter()
        .find(|r| r.what.ends_with("--format json --color never"))
        .expect("a JSON run")
}

// 1. A byte slice inside a multi-byte character crashed the whole run (exit 101, no output).

#[test]
fn a_multibyte_character_at_a_slice_boundary_does_not_crash_the_run() {
    let site = make_site();
    write(&site.repo, "package.json", PACKAGE);
    write(
        &site.repo,
        "docs/review.md",
        "# Runbook\n\nLast Reviewed: 2025-11-02 by Platform Engineering and the SRE crew → José\n\nRun `pnpm nope`.\n",
    );
    write(&site.repo, "docs/deploy.md", RUNBOOK);
    let runs = every_format(&site.repo, &["--today", "2026-06-01"]);
    assert_contained(&runs, 1, &["panicked", "internal error"]);
    assert_outputs_written(&runs);
    let found = findings(&json_run(&runs).stdout);
    assert!(
        found.iter().any(|f| f.0 == "stale-review-date"
            && f.1 == "docs/review.md"
            && f.2 == 3
            && f.3.contains("2025-11-02 is 211 days old")),
        "{found:?}"
    );
    let missing = found.iter().filter(|f| f.0 == "missing-script").count();
    assert_eq!(missing, 2, "{found:?}");
}

// 2. Manifests followed symlinks anywhere; the invalid-manifest excerpt printed the target.

/// Every manifest name the project facts read.
const READ_MANIFESTS: &[&str] = &[
    "package.json",
    "pnpm-workspace.yaml",
    "render.yaml",
    "docker-compose.yml",
    "compose.yaml",
    "docker-compose.prod.yml",
    ".env.example",
    ".env.sample",
    "Makefile",
    "justfile",
    "Taskfile.yml",
    "pyproject.toml",
    "fly.toml",
    "app.json",
    "Procfile",
    "vercel.json",
];

#[cfg(unix)]
#[test]
fn manifests_symlinked_outside_the_root_are_never_read() {
    let site = make_site();
    for name in READ_MANIFESTS {
        link(site.outer.join("secret.txt"), &site.repo.join(name));
    }
    write(
        &site.repo,
        "docs/deploy.md",
        "# Deploy\n\nRun `make deploy`.\n",
    );
    let runs = every_format(&site.repo, &[]);
    assert_contained(&runs, 1, &[]);
    assert_outputs_written(&runs);
    let found = findings(&json_run(&runs).stdout);
    for name in READ_MANIFESTS {
        assert!(
            found.iter().any(|f| f.0 == "invalid-manifest"
                && f.1 == *name
                && f.3 == "manifest resolves to a file outside the project root; not read"),
            "{name}: {found:?}"
        );
    }
}

#[cfg(unix)]
#[test]
fn manifests_that_are_devices_fifos_or_the_environment_never_hang_or_leak() {
    let site = make_site();
    write(&site.repo, "docs/deploy.md", RUNBOOK);
    link("/dev/zero", &site.repo.join("package.json"));
    link("/proc/self/environ", &site.repo.join("Taskfile.yml"));
    let made_fifo = fifo(&site.repo.join("docker-compose.yml"));
    // A FIFO inside the root that a symlink names.
    let inner_fifo = fifo(&site.repo.join("ops/pipe"));
    if inner_fifo {
        link("ops/pipe", &site.repo.join("justfile"));
    }
    let runs = every_format(&site.repo, &[]);
    assert_contained(&runs, 1, &[]);
    let found = findings(&json_run(&runs).stdout);
    let message = |name: &str| {
        found
            .iter()
            .find(|f| f.0 == "invalid-manifest" && f.1 == name)
            .map(|f| f.3.clone())
            .unwrap_or_default()
    };
    assert!(
        message("package.json").contains("outside the project root"),
        "{found:?}"
    );
    assert!(
        message("Taskfile.yml").contains("outside the project root"),
        "{found:?}"
    );
    if made_fifo {
        assert_eq!(
            message("docker-compose.yml"),
            "manifest is not a regular file; not read"
        );
    }
    if inner_fifo {
        assert_eq!(
            message("justfile"),
            "manifest is not a regular file; not read"
        );
    }
}

// 3. Runbooks symlinked outside the root were linted and their lines printed.

#[cfg(unix)]
#[test]
fn runbooks_symlinked_outside_the_root_are_skipped_walked_named_or_changed() {
    let site = make_site();
    write(&site.repo, "package.json", PACKAGE);
    write(
        &site.outer,
        "notes.md",
        format!("# Notes\n\nRun `pnpm {MARKER}`.\n"),
    );
    link(
        site.outer.join("notes.md"),
        &site.repo.join("docs/notes.md"),
    );
    link("../../notes.md", &site.repo.join("docs/relative.md"));
    let note = "docs/notes.md: skipped, resolves to a file outside the project root (not read)";
    for args in [&[][..], &["docs/notes.md"][..]] {
        let runs = every_format(&site.repo, args);
        assert_contained(&runs, 0, &[]);
        for run in &runs {
            assert!(run.stderr.contains(note), "{}: {}", run.what, run.stderr);
        }
    }

    // Through --changed-since: a pull request adds the link.
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args(["-c", "user.email=t@t", "-c", "user.name=t"])
            .args(args)
            .current_dir(&site.repo)
            .output()
            .expect("git runs");
        assert!(status.status.success(), "git {args:?}");
    };
    std::fs::remove_dir_all(site.repo.join(".git")).unwrap();
    git(&["init", "-q"]);
    git(&["add", "package.json"]);
    git(&["commit", "-qm", "base"]);
    let runs = every_format(&site.repo, &["--changed-since", "HEAD"]);
    assert_contained(&runs, 0, &[]);
    assert!(runs[0].stderr.contains(note), "{}", runs[0].stderr);
}

// 4. `--changed-since=--output=/path` was an option of `git diff`: it emptied any file.

#[test]
fn changed_since_never_passes_an_option_to_git() {
    let site = make_site();
    write(&site.repo, "package.json", PACKAGE);
    write(&site.repo, "docs/deploy.md", RUNBOOK);
    std::fs::remove_dir_all(site.repo.join(".git")).unwrap();
    for args in [
        &["init", "-q"][..],
        &["add", "."],
        &["commit", "-qm", "base"],
    ] {
        let status = std::process::Command::new("git")
            .args(["-c", "user.email=t@t", "-c", "user.name=t"])
            .args(args)
            .current_dir(&site.repo)
            .status()
            .unwrap();
        assert!(status.success());
    }
    let victim = site.outer.join("victim.txt");
    write(&site.outer, "victim.txt", "precious");
    let injected = format!("--changed-since=--output={}", victim.display());
    let runs = every_format(&site.repo, &[&injected]);
    assert_contained(&runs, 2, &["precious"]);
    assert_said(&runs, "not a revision (a revision never starts with `-`)");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    // Anything else that is not a commit is an error too, never "0 files, exit 0".
    for revision in [
        "HEAD --output=/tmp/x",
        "no-such-branch",
        "HEAD:package.json",
    ] {
        let run_ = run(&site.repo, &["check", "--changed-since", revision]);
        assert_eq!(run_.code, 2, "{revision}: {}", run_.stderr);
        assert!(
            run_.stderr.contains("not a commit of this repository"),
            "{}",
            run_.stderr
        );
    }
    let ok = run(&site.repo, &["check", "--changed-since", "HEAD~0"]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
}

// 5. Memory quadratic in line length: each command kept a copy of its whole logical line.

#[test]
fn a_long_single_line_of_commands_is_linted_in_bounded_memory() {
    let site = make_site();
    write(&site.repo, "package.json", PACKAGE);
    let commands = 10_000;
    let line = "pnpm nope && ".repeat(commands);
    write(
        &site.repo,
        "docs/long.md",
        format!("# Deploy\n\n```bash\n{line}true\n```\n"),
    );
    let run_ = run(&site.repo, &["check", "--format", "json"]);
    assert_eq!(run_.code, 1, "{}", run_.stderr);
    let found = findings(&run_.stdout);
    assert_eq!(found.len(), commands, "one finding per command");
    assert!(found.iter().all(|f| f.2 == 4));
    // Columns count characters from the line start, even far along the line.
    let json: serde_json::Value = serde_json::from_str(&run_.stdout).unwrap();
    let last = json["diagnostics"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    // `nope` of the last `pnpm nope`.
    assert_eq!(
        last["column"].as_u64().unwrap() as usize,
        (commands - 1) * 13 + 6
    );
    // The human report shows a window of the line, not 130 KB per finding.
    let human = run(&site.repo, &["check", "--color", "never"]);
    assert_eq!(human.code, 1);
    assert!(
        human.stdout.len() < commands * 2_000,
        "{} bytes of human output",
        human.stdout.len()
    );
    assert!(
        human.stdout.contains("[docs/long.md:4:129993]"),
        "the last finding's header"
    );
}

// 6. Other quadratic costs inside the default limit.

#[test]
fn pack_regexes_over_the_size_limit_are_an_error_naming_the_entry() {
    let site = make_site();
    write(&site.repo, "package.json", PACKAGE);
    write(&site.repo, "docs/deploy.md", RUNBOOK);
    let mut pack = String::from("rule = \"team\"\nsummary = \"team\"\n");
    for i in 0..400 {
        pack.push_str(&format!(
            "[[entry]]\nid = \"e{i}\"\nregex = '\\w{{150}}x'\nmessage = \"m\"\n"
        ));
    }
    write(&site.repo, "ops/team.toml", pack);
    write(
        &site.repo,
        "runbook-lint.toml",
        "packs = [\"ops/*.toml\"]\n",
    );
    let runs = every_format(&site.repo, &[]);
    assert_contained(&runs, 2, &[]);
    assert_said(&runs, "ops/team.toml:3:1: entry `e0`: `regex` is too large");
}

#[test]
fn many_findings_headings_and_anchors_stay_correct() {
    let site = make_site();
    write(&site.repo, "package.json", PACKAGE);
    // 2 000 headings, 4 000 broken anchors (half of them repeated), 2 000 identical lines.
    let mut text = String::from("# Runbook\n\n");
    for i in 0..2_000 {
        text.push_str(&format!("## Step number {i}\n\n"));
    }
    for i in 0..4_000 {
        text.push_str(&format!("See [s](#step-numbr-{}).\n\n", i % 2_000));
    }
    for _ in 0..2_000 {
        text.push_str("Owner: TBD\n\n");
    }
    write(&site.repo, "docs/big.md", text);
    let sarif = run(&site.repo, &["check", "--format", "sarif"]);
    assert_eq!(sarif.code, 1, "{}", sarif.stderr);
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 6_000);
    // Equal lines get distinct fingerprints (by occurrence): every fingerprint is unique.
    let mut prints: Vec<&str> = results
        .iter()
        .map(|r| {
            r["partialFingerprints"]["primaryLocationLineHash"]
                .as_str()
                .unwrap()
        })
        .collect();
    prints.sort();
    prints.dedup();
    assert_eq!(prints.len(), 6_000);
    // The did-you-mean is still given.
    assert!(
        sarif.stdout.contains("did you mean `step-number-0`"),
        "a suggestion for the first broken anchor"
    );
}

// 7. Silent passes: ignore files above the root, unreadable directories, CR-only files.

#[test]
fn ignore_files_above_the_repository_are_not_honoured() {
    let site = make_site();
    write(&site.outer, ".ignore", "*.md\n");
    write(&site.outer, ".gitignore", "*.md\ndocs/\n");
    write(&site.repo, "package.json", PACKAGE);
    write(&site.repo, "docs/deploy.md", RUNBOOK);
    write(&site.repo, "docs/generated/out.md", RUNBOOK);
    write(&site.repo, ".gitignore", "generated/\n");
    let runs = every_format(&site.repo, &[]);
    assert_contained(&runs, 1, &[]);
    let found = findings(&json_run(&runs).stdout);
    assert_eq!(
        found.iter().map(|f| f.1.as_str()).collect::<Vec<_>>(),
        vec!["docs/deploy.md"],
        "the repository's own .gitignore still counts"
    );
    // Without .git, the project root (nearest manifest) is the boundary.
    std::fs::remove_dir_all(site.repo.join(".git")).unwrap();
    let run_ = run(&site.repo.join("docs"), &["check", "--format", "json"]);
    assert_eq!(run_.code, 1, "{}", run_.stderr);
    assert_eq!(findings(&run_.stdout).len(), 1);
}

#[cfg(unix)]
#[test]
fn an_ignore_file_symlinked_outside_is_not_honoured_and_says_so() {
    let site = make_site();
    write(&site.outer, "ignore-all", format!("*.md\n# {MARKER}\n"));
    write(&site.repo, "package.json", PACKAGE);
    write(&site.repo, "docs/deploy.md", RUNBOOK);
    link(
        site.outer.join("ignore-all"),
        &site.repo.join("docs/.gitignore"),
    );
    let runs = every_format(&site.repo, &[]);
    assert_contained(&runs, 1, &[]);
    assert!(
        runs[0].stderr.contains(
            "warning: docs/.gitignore: ignore file not honoured: resolves to a file outside the project root"
        ),
        "{}",
        runs[0].stderr
    );
}

/// Runs the binary as an unprivileged user (root reads through any permission); `None` when
/// that is impossible here.
#[cfg(unix)]
fn run_unprivileged(dir: &Path, args: &[&str]) -> Option<Run> {
    use std::os::unix::fs::MetadataExt;
    let probe = tempfile::NamedTempFile::new().unwrap();
    let root = probe.as_file().metadata().unwrap().uid() == 0;
    if !root {
        return Some(run(dir, args));
    }
    let bin = assert_cmd::cargo::cargo_bin("runbook-lint");
    let output = assert_cmd::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(bin)
        .args(args)
        .current_dir(dir)
        .timeout(Duration::from_secs(120))
        .output()
        .ok()?;
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if stderr.contains("setpriv:") {
        return None;
    }
    Some(Run {
        what: args.join(" "),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr,
        code: output.status.code()?,
        output: String::new(),
    })
}

#[cfg(unix)]
#[test]
fn unreadable_directories_fail_the_run_named_or_walked() {
    use std::os::unix::fs::PermissionsExt;
    let site = make_site();
    write(&site.repo, "package.json", PACKAGE);
    write(&site.repo, "docs/deploy.md", RUNBOOK);
    write(&site.repo, "docs/locked/secret.md", RUNBOOK);
    // The unprivileged user must reach the repository.
    for dir in [&site.outer, &site.repo] {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let locked = site.repo.join("docs/locked");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let walked = run_unprivileged(&site.repo, &["check", "--format", "json"]);
    let named = run_unprivileged(&site.repo, &["check", "docs/locked", "--color", "never"]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (Some(walked), Some(named)) = (walked, named) else {
        eprintln!("cannot run unprivileged here; skipping");
        return;
    };
    assert_eq!(walked.code, 2, "{}", walked.stderr);
    assert!(
        walked
            .stderr
            .contains("error: docs/locked: cannot read directory: permission denied"),
        "{}",
        walked.stderr
    );
    // The readable runbook is still reported.
    assert_eq!(findings(&walked.stdout).len(), 1);
    assert_eq!(named.code, 2, "{}", named.stderr);
    assert!(
        named
            .stderr
            .contains("no findings in 0 files; 1 path not checked"),
        "a run that lints nothing says so: {}",
        named.stderr
    );
}

#[test]
fn cr_only_line_endings_are_lines() {
    let site = make_site();
    write(&site.repo, "package.json", PACKAGE);
    write(
        &site.repo,
        "docs/mac.md",
        "# Deploy\r\rRun `pnpm nope` first.\r\r```bash\rpnpm build\rpnpm gone\r```\r",
    );
    let runs = every_format(&site.repo, &[]);
    assert_contained(&runs, 1, &[]);
    let found = findings(&json_run(&runs).stdout);
    let lines: Vec<(u64, &str)> = found.iter().map(|f| (f.2, f.3.as_str())).collect();
    assert_eq!(
        lines,
        vec![
            (3, "script `nope` not found in package.json"),
            (7, "script `gone` not found in package.json"),
        ]
    );
}

// 8. Masking: a secret is never printed, whatever string it travels in.

#[test]
fn secrets_are_masked_in_every_string_built_from_the_runbook() {
    let site = make_site();
    write(&site.repo, "package.json", PACKAGE);
    let secrets = [
        "AKIAQ7XK2MZP4LNB8WRT", // in a heading, offered as a did-you-mean
        "AKIAZ3MHQ7PLK2VXN4RU", // glued to `_VAR`
        "Secret-Sauce-991",     // a password holding "secret"
        "Zq8vN2kLm4pQxTest",    // behind a dot-less host, holding "test"
        "Hn3kLq9vZp2wHere",     // empty user, holding "here"
        "ab/cd9Zq8vN2kAbcdef",  // a `/`, holding "abcdef"
        "MIIEowIBAAKCAQEAx7Qb3nR9kLmQ2vWz8pYtHs4jF6dE1cN0aB5gU7iK3oP9rS2tV4wX6yZ8", // quoted PEM
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7Vq2n8kLmQ4zYxW3v", // escaped PEM
        // A chat webhook's secret part, offered nowhere else.
        "Xk7pQ2vN9mLz4Rt8Wy3Bj6Hd1Fg5Sc0Ae2Kq7Pm4Nv9Lx3Zr8Ty5Wb1Jd6Gh0Fs2Cq7Pk4Mv",
        // A random value assigned to a `*_SECRET` name, in a heading-like command word too.
        "Rq4Zt8Lm2Vx7Np3Kw9Hb5Gd1Fs6Jc0Ya",
    ];
    let text = format!(
        "# Runbook\n\n## Rotate {} now\n\nSee [rotate](#rotate-akia-now).\n\n\
         ```bash\n\
         export KEY={}_VAR && pnpm nope\n\
         DATABASE_URL=postgres://app:{}@db.prod.internal/app pnpm nope\n\
         DATABASE_URL=postgres://app:{}@db:5432/app pnpm nope\n\
         REDIS_URL=redis://:{}@cache.prod.internal:6379 pnpm nope\n\
         DATABASE_URL=postgres://app:{}@db.prod.internal/app pnpm nope\n\
         ```\n\n\
         > -----BEGIN RSA PRIVATE KEY-----\n> {}\n> -----END RSA PRIVATE KEY----- `pnpm nope`\n\n\
         `KEY=\"-----BEGIN PRIVATE KEY-----\\n{}\\n-----END PRIVATE KEY-----\" pnpm nope`\n\n\
         ```bash\n\
         curl -d x https://discord.com/api/webhooks/123456789012345678/{} && pnpm nope\n\
         JWT_SECRET={} pnpm nope\n\
         ```\n",
        secrets[0],
        secrets[1],
        secrets[2],
        secrets[3],
        secrets[4],
        secrets[5],
        secrets[6],
        secrets[7],
        secrets[8],
        secrets[9]
    );
    write(&site.repo, "docs/rotate.md", text);
    let lower: Vec<String> = secrets.iter().map(|s| s.to_lowercase()).collect();
    let mut forbidden: Vec<&str> = secrets.to_vec();
    forbidden.extend(lower.iter().map(String::as_str));
    forbidden.extend(["hunter2", "Sauce-991", "Zq8vN2kLm4pQx", "cd9Zq8vN2k"]);
    let runs = every_format(&site.repo, &[]);
    assert_contained(&runs, 1, &forbidden);
    // Writing a baseline accepts the findings: exit 0.
    let written = every_format(&site.repo, &["--write-baseline", "base.json"]);
    assert_contained(&written, 0, &forbidden);
    let baseline = std::fs::read_to_string(site.repo.join("base.json")).unwrap();
    for secret in &forbidden {
        assert!(!baseline.contains(secret), "{secret} in the baseline");
    }
    let found = findings(&json_run(&runs).stdout);
    let secrets_found: Vec<u64> = found
        .iter()
        .filter(|f| f.0 == "hardcoded-secret")
        .map(|f| f.2)
        .collect();
    // The heading key, the glued key, the three URL passwords on real hosts, both PEM keys,
    // the webhook and the assigned secret.
    assert_eq!(
        secrets_found,
        vec![3, 8, 9, 11, 12, 16, 19, 22, 23],
        "{found:?}"
    );
    // The did-you-mean is given, masked.
    let help = json_run(&runs).stdout.clone();
    assert!(help.contains("did you mean `rotate-"), "{help}");
}

#[test]
fn config_errors_do_not_echo_values_raw() {
    let site = make_site();
    write(&site.repo, "package.json", PACKAGE);
    write(&site.repo, "docs/deploy.md", RUNBOOK);
    let key = "AKIAQ7XK2MZP4LNB8WRT";
    for config in [
        format!("unknown-context = \"{key}\"\n"),
        format!("today = \"{key}\"\n"),
        format!("[rules]\nmissing-script = \"{key}\"\n"),
        format!("[rules]\n{key} = \"off\"\n"),
        format!("include = [\"{key}[\"]\n"),
    ] {
        write(&site.repo, "runbook-lint.toml", &config);
        let runs = every_format(&site.repo, &[]);
        assert_contained(&runs, 2, &[key]);
        assert_said(&runs, "runbook-lint.toml:");
    }
}

// 9. Writes: atomic, never through a symlink.

#[cfg(unix)]
#[test]
fn reports_and_baselines_replace_symlinks_instead_of_writing_through_them() {
    let site = make_site();
    write(&site.repo, "package.json", PACKAGE);
    write(&site.repo, "docs/deploy.md", RUNBOOK);
    let victim = site.outer.join("victim.txt");
    write(&site.outer, "victim.txt", "precious");
    link(&victim, &site.repo.join("report.sarif"));
    link(&victim, &site.repo.join("base.json"));
    let run_ = run(
        &site.repo,
        &[
            "check",
            "--format",
            "sarif",
            "--output",
            "report.sarif",
            "--write-baseline",
            "base.json",
        ],
    );
    assert_eq!(run_.code, 0, "{}", run_.stderr);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    for name in ["report.sarif", "base.json"] {
        let meta = std::fs::symlink_metadata(site.repo.join(name)).unwrap();
        assert!(meta.is_file(), "{name} is now a regular file");
    }
    assert!(std::fs::read_to_string(site.repo.join("report.sarif"))
        .unwrap()
        .contains("\"version\": \"2.1.0\""));
    // A report that cannot be written is an error, and leaves no partial file.
    let run_ = run(
        &site.repo,
        &[
            "check",
            "--format",
            "json",
            "--output",
            "missing/dir/r.json",
        ],
    );
    assert_eq!(run_.code, 2);
    assert!(
        run_.stderr.contains("cannot write missing/dir/r.json"),
        "{}",
        run_.stderr
    );
    assert!(!site.repo.join("missing").exists());
}

#[cfg(unix)]
#[test]
fn init_refuses_to_write_through_a_symlink() {
    let site = make_site();
    let target = site.outer.join("bashrc");
    link(&target, &site.repo.join("runbook-lint.toml"));
    let run_ = run(&site.repo, &["init"]);
    assert_eq!(run_.code, 2);
    assert!(
        run_.stderr
            .contains("runbook-lint.toml is a symbolic link; not writing through it"),
        "{}",
        run_.stderr
    );
    assert!(!target.exists());
}

// 10. Bounds: threads, and config or baseline files that are devices or FIFOs.

#[test]
fn thread_counts_over_the_maximum_are_a_usage_error() {
    let site = make_site();
    write(&site.repo, "package.json", PACKAGE);
    write(&site.repo, "docs/deploy.md", RUNBOOK);
    let runs = every_format(&site.repo, &["--threads", "100000"]);
    assert_contained(&runs, 2, &[]);
    assert_said(&runs, "100000 is over the maximum of 1024 threads");
    // The maximum itself is accepted.
    assert_eq!(run(&site.repo, &["check", "--threads", "1024"]).code, 1);
}

#[cfg(unix)]
#[test]
fn config_and_baseline_must_be_regular_files() {
    let site = make_site();
    write(&site.repo, "package.json", PACKAGE);
    write(&site.repo, "docs/deploy.md", RUNBOOK);
    let made = fifo(&site.repo.join("pipe.toml"));
    let mut cases = vec![
        (
            vec!["--config", "/dev/null"],
            "cannot read /dev/null: not a regular file",
        ),
        (
            vec!["--baseline", "/dev/zero"],
            "cannot read baseline /dev/zero: not a regular file",
        ),
    ];
    if made {
        cases.push((
            vec!["--config", "pipe.toml"],
            "cannot read pipe.toml: not a regular file",
        ));
        cases.push((
            vec!["--baseline", "pipe.toml"],
            "cannot read baseline pipe.toml: not a regular file",
        ));
    }
    for (args, message) in cases {
        let runs = every_format(&site.repo, &args);
        assert_contained(&runs, 2, &[]);
        assert_said(&runs, message);
    }
}

// 11. A stray package.json in a parent of an unversioned project became its root.

#[test]
fn a_stray_parent_manifest_is_not_the_root_of_an_unversioned_project() {
    let dir = tempfile::tempdir().unwrap();
    // A home directory with a package.json and a broken render.yaml: neither is this
    // project's.
    write(
        dir.path(),
        "package.json",
        r#"{ "scripts": { "nope": "echo home" } }"#,
    );
    write(dir.path(), "render.yaml", "services: [\n");
    let project = dir.path().join("work/shop");
    write(&project, "package.json", PACKAGE);
    write(&project, "docs/deploy.md", RUNBOOK);
    let runs = every_format(&project, &[]);
    assert_contained(&runs, 1, &[]);
    let found = findings(&json_run(&runs).stdout);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "missing-script");
    assert_eq!(found[0].1, "docs/deploy.md");
}

// Every kind of file the tool opens, symlinked out of the root: never read.

#[cfg(unix)]
#[test]
fn every_kind_of_project_file_symlinked_outside_is_refused() {
    // Linked Markdown: its headings would show in a did-you-mean.
    let site = make_site();
    write(&site.repo, "package.json", PACKAGE);
    write(&site.outer, "guide.md", format!("# {MARKER} rollback\n"));
    link(
        site.outer.join("guide.md"),
        &site.repo.join("docs/guide.md"),
    );
    write(
        &site.repo,
        "docs/deploy.md",
        "# Deploy\n\nSee [guide](guide.md#hostile-outside-marker-7f3a-rollbak).\n",
    );
    let runs = every_format(&site.repo, &["docs/deploy.md"]);
    assert_contained(&runs, 0, &["hostile-outside-marker"]);

    // The config: its unknown key would be echoed.
    let site = make_site();
    write(&site.repo, "package.json", PACKAGE);
    write(&site.repo, "docs/deploy.md", RUNBOOK);
    write(&site.outer, "config.toml", format!("{MARKER} = 1\n"));
    link(
        site.outer.join("config.toml"),
        &site.repo.join("runbook-lint.toml"),
    );
    let runs = every_format(&site.repo, &[]);
    assert_contained(&runs, 2, &[]);
    assert!(
        runs[0]
            .stderr
            .contains("cannot read runbook-lint.toml: resolves to a file outside the project root"),
        "{}",
        runs[0].stderr
    );
    // ...and named with --config from inside the repository.
    let runs = every_format(&site.repo, &["--config", "runbook-lint.toml"]);
    assert_contained(&runs, 2, &[]);

    // A rule pack: its message would be printed.
    let site = make_site();
    write(&site.repo, "package.json", PACKAGE);
    write(&site.repo, "docs/deploy.md", RUNBOOK);
    write(
        &site.outer,
        "pack.toml",
        format!(
            "rule = \"team\"\n[[entry]]\nid = \"a\"\nprogram = \"pnpm\"\nmessage = \"{MARKER}\"\n"
        ),
    );
    link(
        site.outer.join("pack.toml"),
        &site.repo.join("ops/team.toml"),
    );
    write(
        &site.repo,
        "runbook-lint.toml",
        "packs = [\"ops/*.toml\"]\n",
    );
    let runs = every_format(&site.repo, &[]);
    assert_contained(&runs, 2, &[]);
    assert!(
        runs[0]
            .stderr
            .contains("cannot read ops/team.toml: resolves to a file outside the project root"),
        "{}",
        runs[0].stderr
    );

    // A baseline: its values would be echoed by the parse error.
    let site = make_site();
    write(&site.repo, "package.json", PACKAGE);
    write(&site.repo, "docs/deploy.md", RUNBOOK);
    write(
        &site.outer,
        "base.json",
        format!("{{\"version\": \"{MARKER}\"}}"),
    );
    link(site.outer.join("base.json"), &site.repo.join("base.json"));
    let runs = every_format(&site.repo, &["--baseline", "base.json"]);
    assert_contained(&runs, 2, &[]);
    assert!(
        runs[0].stderr.contains(
            "cannot read baseline base.json: resolves to a file outside the project root"
        ),
        "{}",
        runs[0].stderr
    );
    // Named outside the directory on purpose, it is the user's choice and read.
    let outside = site.outer.join("base.json");
    let run_ = run(
        &site.repo,
        &["check", "--baseline", outside.to_str().unwrap()],
    );
    assert_eq!(run_.code, 2);
    assert!(!run_.stderr.contains(MARKER), "{}", run_.stderr);
    assert!(
        run_.stderr.contains("not a runbook-lint baseline"),
        "{}",
        run_.stderr
    );
}
