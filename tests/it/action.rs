//! The GitHub Action's scripts (scripts/action-*.sh), run with bash the way action.yml runs
//! them: against a fake release directory (a `file://` base URL, archives made by the release
//! workflow's own scripts/release-archive.sh), a fake `cargo` for the build-from-source
//! fallback, and fake `GITHUB_PATH`, `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY` files.
//! Needs bash, curl, tar, sha256sum and jq, as GitHub's runners have them.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Once, OnceLock};
use std::time::Duration;

use assert_cmd::Command;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_runbook-lint"))
}

/// The runner this machine passes for, and the release target the action picks for it.
fn host_runner() -> (&'static str, &'static str, &'static str) {
    let os = if cfg!(target_os = "macos") {
        "macOS"
    } else {
        "Linux"
    };
    let arch = if cfg!(target_arch = "aarch64") {
        "ARM64"
    } else {
        "X64"
    };
    let target = match (os, arch) {
        ("Linux", "X64") => "x86_64-unknown-linux-musl",
        ("Linux", _) => "aarch64-unknown-linux-musl",
        ("macOS", "X64") => "x86_64-apple-darwin",
        _ => "aarch64-apple-darwin",
    };
    (os, arch, target)
}

fn require_tools() {
    static CHECK: Once = Once::new();
    CHECK.call_once(|| {
        for tool in ["bash", "curl", "tar", "jq"] {
            let found = std::process::Command::new(tool)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success());
            assert!(
                found,
                "`{tool}` is needed to test the Action's scripts (apt-get install {tool})"
            );
        }
    });
}

fn bash(script: &str) -> Command {
    require_tools();
    let mut cmd = Command::new("bash");
    cmd.arg(repo().join("scripts").join(script))
        .current_dir(repo())
        .timeout(Duration::from_secs(120));
    // The runner's variables come only from each test.
    for name in [
        "GITHUB_ACTIONS",
        "GITHUB_PATH",
        "GITHUB_OUTPUT",
        "GITHUB_STEP_SUMMARY",
        "GITHUB_ACTION_PATH",
        "GITHUB_REPOSITORY",
        "GITHUB_SHA",
        "GITHUB_WORKSPACE",
        "GITHUB_SERVER_URL",
        "RUNNER_OS",
        "RUNNER_ARCH",
        "RUNNER_TEMP",
    ] {
        cmd.env_remove(name);
    }
    cmd
}

/// This build's binary packed once per test run by scripts/release-archive.sh, as release
/// `v{VERSION}` for this platform (packing the debug binary takes seconds), under Cargo's
/// scratch directory for integration tests.
fn packed_release() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("action-release");
        let _ = fs::remove_dir_all(&dir);
        let (_, _, target) = host_runner();
        let output = std::process::Command::new("bash")
            .arg(repo().join("scripts/release-archive.sh"))
            .args([&format!("v{VERSION}"), target])
            .arg(binary())
            .arg(&dir)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        dir
    })
}

/// A runner for the install script: temp dirs, the GitHub files, a fake release directory
/// holding this build's binary as release `v{VERSION}` for this platform, and a fake `cargo`
/// first on PATH that records its arguments and "installs" the same binary.
struct Runner {
    dir: tempfile::TempDir,
}

impl Runner {
    fn new() -> Runner {
        let runner = Runner {
            dir: tempfile::tempdir().unwrap(),
        };
        for sub in ["temp", "fake-bin"] {
            fs::create_dir_all(runner.path(sub)).unwrap();
        }
        // Each runner gets its own copy: some tests damage it.
        let tag = format!("v{VERSION}");
        let release = runner.path("releases").join(&tag);
        fs::create_dir_all(&release).unwrap();
        for entry in fs::read_dir(packed_release()).unwrap() {
            let entry = entry.unwrap();
            fs::copy(entry.path(), release.join(entry.file_name())).unwrap();
        }
        let cargo = runner.path("fake-bin/cargo");
        fs::write(
            &cargo,
            format!(
                "#!/usr/bin/env bash\n\
                 echo \"$*\" >>'{log}'\n\
                 while [ $# -gt 0 ]; do [ \"$1\" = --root ] && root=$2; shift; done\n\
                 mkdir -p \"$root/bin\" && cp '{bin}' \"$root/bin/runbook-lint\"\n",
                log = runner.path("cargo.log").display(),
                bin = binary().display()
            ),
        )
        .unwrap();
        fs::set_permissions(&cargo, fs::Permissions::from_mode(0o755)).unwrap();
        runner
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn read(&self, name: &str) -> String {
        fs::read_to_string(self.path(name)).unwrap_or_default()
    }

    fn archive(&self) -> PathBuf {
        let (_, _, target) = host_runner();
        self.path(&format!(
            "releases/v{VERSION}/runbook-lint-v{VERSION}-{target}.tar.gz"
        ))
    }

    /// The install script with `ref` as the action's ref; (stdout, exit code).
    fn install(&self, action_ref: &str, extra: &[(&str, &str)]) -> (String, i32) {
        let (os, arch, _) = host_runner();
        let path = format!(
            "{}:{}",
            self.path("fake-bin").display(),
            std::env::var("PATH").unwrap()
        );
        let mut cmd = bash("action-install.sh");
        cmd.env("PATH", path)
            .env("RUNNER_OS", os)
            .env("RUNNER_ARCH", arch)
            .env("RUNNER_TEMP", self.path("temp"))
            .env("GITHUB_PATH", self.path("github_path"))
            .env("GITHUB_OUTPUT", self.path("github_output"))
            .env("GITHUB_ACTION_PATH", repo())
            .env(
                "RUNBOOK_LINT_RELEASE_URL",
                format!("file://{}", self.path("releases").display()),
            )
            .env("RUNBOOK_LINT_ACTION_REF", action_ref)
            .env_remove("RUNBOOK_LINT_VERSION");
        for (name, value) in extra {
            cmd.env(name, value);
        }
        let output = cmd.output().unwrap();
        let text = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        (text, output.status.code().unwrap())
    }

    fn installed(&self) -> PathBuf {
        self.path("temp/runbook-lint/bin/runbook-lint")
    }
}

#[test]
fn a_release_tag_installs_the_verified_release_binary() {
    let runner = Runner::new();
    let (out, code) = runner.install(&format!("v{VERSION}"), &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("sha256") && out.contains("verified"), "{out}");
    assert_eq!(runner.read("cargo.log"), "", "cargo must not run: {out}");
    // On PATH for the next step, and it is the binary that was packed.
    let bin_dir = runner.path("temp/runbook-lint/bin");
    assert_eq!(
        runner.read("github_path"),
        format!("{}\n", bin_dir.display())
    );
    let version = std::process::Command::new(runner.installed())
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("runbook-lint {VERSION}")
    );
    assert_eq!(
        runner.read("github_output"),
        format!("source=release\nversion={VERSION}\n")
    );
}

#[test]
fn a_checksum_mismatch_stops_the_install() {
    let runner = Runner::new();
    let sum_file = runner.archive().with_extension("gz.sha256");
    let text = fs::read_to_string(&sum_file).unwrap();
    let name = text.split_whitespace().nth(1).unwrap();
    fs::write(&sum_file, format!("{}  {name}\n", "0".repeat(64))).unwrap();
    let (out, code) = runner.install(&format!("v{VERSION}"), &[]);
    assert_ne!(code, 0, "{out}");
    assert!(out.contains("::error") && out.contains("sha256"), "{out}");
    assert!(out.contains("refusing to install"), "{out}");
    // Neither the download nor a source build: the step fails.
    assert!(!runner.installed().exists());
    assert_eq!(runner.read("cargo.log"), "");
    assert_eq!(runner.read("github_path"), "");
}

#[test]
fn a_damaged_sum_file_stops_the_install() {
    let runner = Runner::new();
    let sum_file = runner.archive().with_extension("gz.sha256");
    fs::write(&sum_file, "<html>not found</html>\n").unwrap();
    let (out, code) = runner.install(&format!("v{VERSION}"), &[]);
    assert_ne!(code, 0, "{out}");
    assert!(out.contains("holds no sha256 sum"), "{out}");
    assert!(!runner.installed().exists());
}

#[test]
fn a_tag_without_a_release_builds_the_action_checkout_with_cargo() {
    let runner = Runner::new();
    let (out, code) = runner.install("v99.0.0", &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("no release binary at file://"), "{out}");
    let cargo = runner.read("cargo.log");
    assert!(
        cargo.starts_with("install --locked --quiet --root ")
            && cargo.contains(&format!("--path {}", repo().display())),
        "{cargo}"
    );
    assert!(runner.read("github_output").starts_with("source=cargo\n"));
}

#[test]
fn a_branch_or_commit_ref_builds_from_source_without_a_download() {
    for action_ref in ["main", "0123456789abcdef0123456789abcdef01234567"] {
        let runner = Runner::new();
        let (out, code) = runner.install(action_ref, &[]);
        assert_eq!(code, 0, "{out}");
        assert!(out.contains("is not a release tag"), "{out}");
        assert!(!out.contains("file://"), "no download is tried: {out}");
        assert!(runner.read("cargo.log").contains("--locked"));
        assert!(runner.installed().exists());
    }
}

#[test]
fn an_empty_action_ref_falls_back_to_the_action_folder_name() {
    // The runner checks `uses: OWNER/REPO@REF` out to .../_actions/OWNER/REPO/REF.
    let runner = Runner::new();
    let action_path = runner.path(&format!("_actions/runbook-lint/runbook-lint/v{VERSION}"));
    fs::create_dir_all(&action_path).unwrap();
    let (out, code) = runner.install("", &[("GITHUB_ACTION_PATH", action_path.to_str().unwrap())]);
    assert_eq!(code, 0, "{out}");
    assert!(
        runner.read("github_output").starts_with("source=release\n"),
        "{out}"
    );
}

#[test]
fn the_version_input_picks_the_release_and_must_be_a_tag() {
    let runner = Runner::new();
    let (out, code) = runner.install("main", &[("RUNBOOK_LINT_VERSION", VERSION)]);
    assert_eq!(code, 0, "{out}");
    assert!(
        runner.read("github_output").starts_with("source=release\n"),
        "{out}"
    );

    let runner = Runner::new();
    let (out, code) = runner.install("main", &[("RUNBOOK_LINT_VERSION", "latest")]);
    assert_ne!(code, 0, "{out}");
    assert!(out.contains("`latest` is not a release tag"), "{out}");
    assert_eq!(runner.read("cargo.log"), "");
}

#[test]
fn a_platform_without_an_archive_builds_from_source() {
    let runner = Runner::new();
    let (out, code) = runner.install(&format!("v{VERSION}"), &[("RUNNER_ARCH", "X86")]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("no release binary for"), "{out}");
    assert!(runner.read("cargo.log").contains("install --locked"));
}

/// The action's lint step with this build on PATH; returns (stdout, exit code, summary).
fn check_step(dir: &Path, env: &[(&str, &str)]) -> (String, i32, String) {
    let summary = dir.join("summary.md");
    let bin_dir = binary().parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap());
    let mut cmd = bash("action-check.sh");
    cmd.env("PATH", path)
        .env("RUNNER_TEMP", dir)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_REPOSITORY", "acme/ops")
        .env("GITHUB_SHA", "0123abc")
        .env("GITHUB_WORKSPACE", repo())
        .env("RUNBOOK_LINT_ACTION_REF", "v0.1.0")
        .env_remove("RUNBOOK_LINT_ARGS")
        .env_remove("RUNBOOK_LINT_SARIF")
        .env_remove("RUNBOOK_LINT_FORMAT")
        .env_remove("RUNBOOK_LINT_JOB_SUMMARY")
        .env_remove("RUNBOOK_LINT_SUMMARY_LIMIT");
    for (name, value) in env {
        cmd.env(name, value);
    }
    let output = cmd.output().unwrap();
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        output.status.code().unwrap(),
        fs::read_to_string(summary).unwrap_or_default(),
    )
}

#[test]
fn the_lint_step_annotates_writes_sarif_and_a_job_summary() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("out.sarif");
    let (out, code, summary) = check_step(
        dir.path(),
        &[
            ("RUNBOOK_LINT_PATHS", "fixtures/formats"),
            ("RUNBOOK_LINT_SARIF", sarif.to_str().unwrap()),
        ],
    );
    // The exit status and the log are the github-format run's.
    assert_eq!(code, 1, "{out}");
    assert_eq!(out.matches("::error file=").count(), 2, "{out}");
    assert_eq!(out.matches("::warning file=").count(), 1, "{out}");
    let sarif: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(sarif).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 3);
    insta::assert_snapshot!("action_summary_formats", summary);
}

#[test]
fn the_summary_lists_only_the_first_findings_and_can_be_turned_off() {
    let dir = tempfile::tempdir().unwrap();
    let (_, code, summary) = check_step(
        dir.path(),
        &[
            ("RUNBOOK_LINT_PATHS", "fixtures/formats"),
            ("RUNBOOK_LINT_SUMMARY_LIMIT", "1"),
        ],
    );
    assert_eq!(code, 1);
    assert!(summary.contains("The first 1 of 3 findings"), "{summary}");
    // One header, one separator, one finding.
    let finding_rows = summary
        .lines()
        .filter(|l| l.starts_with("| error |") || l.starts_with("| warning |"))
        .count();
    assert_eq!(finding_rows, 1, "{summary}");

    let dir = tempfile::tempdir().unwrap();
    let (_, code, summary) = check_step(
        dir.path(),
        &[
            ("RUNBOOK_LINT_PATHS", "fixtures/formats"),
            ("RUNBOOK_LINT_JOB_SUMMARY", "false"),
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(summary, "");

    // A bad limit costs the summary, not the lint step.
    let dir = tempfile::tempdir().unwrap();
    let (out, code, summary) = check_step(
        dir.path(),
        &[
            ("RUNBOOK_LINT_PATHS", "fixtures/formats"),
            ("RUNBOOK_LINT_SUMMARY_LIMIT", "all"),
        ],
    );
    assert_eq!(code, 1);
    assert!(out.contains("::warning title=runbook-lint::the job summary could not be written"));
    assert!(out.contains("::error file="), "{out}");
    assert_eq!(summary, "");
}

#[test]
fn a_clean_run_says_so_and_a_failed_check_quotes_its_error() {
    let dir = tempfile::tempdir().unwrap();
    let (_, code, summary) = check_step(dir.path(), &[("RUNBOOK_LINT_PATHS", "fixtures/clean")]);
    assert_eq!(code, 0);
    assert!(
        summary.contains("No findings in 1 file checked."),
        "{summary}"
    );

    let dir = tempfile::tempdir().unwrap();
    let (_, code, summary) = check_step(
        dir.path(),
        &[
            ("RUNBOOK_LINT_PATHS", "fixtures/clean"),
            ("RUNBOOK_LINT_ARGS", "--config nope.toml"),
        ],
    );
    assert_eq!(code, 2);
    assert!(summary.contains("The check did not complete"), "{summary}");
    assert!(
        summary.contains("```text\n") && summary.contains("nope.toml"),
        "{summary}"
    );
}

/// action-summary.sh on a hand-written report.
fn summary_of(report: &serde_json::Value, env: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.json");
    fs::write(&file, report.to_string()).unwrap();
    let mut cmd = bash("action-summary.sh");
    cmd.arg(&file);
    for (name, value) in env {
        cmd.env(name, value);
    }
    let output = cmd.output().unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

fn report(rule: &str, path: &str, message: &str) -> serde_json::Value {
    serde_json::json!({
        "version": 1,
        "files_checked": 1,
        "diagnostics": [{
            "rule": rule, "severity": "error", "path": path, "line": 3, "column": 5,
            "end_line": 3, "end_column": 9, "message": message, "help": null
        }],
        "summary": { "errors": 1, "warnings": 0, "infos": 0 }
    })
}

#[test]
fn summary_cells_escape_markdown_and_keep_code_spans() {
    let summary = summary_of(
        &report(
            "team-rule",
            "docs/a|b.md",
            "run `kubectl --context <prod> get pods | wc -l` for <prod-org>\nnot *this*",
        ),
        &[],
    );
    let row = summary
        .lines()
        .find(|l| l.starts_with("| error |"))
        .unwrap();
    assert_eq!(
        row,
        "| error | docs/a\\|b.md:3:5 | `team-rule` | run `kubectl --context <prod> get pods \\| wc -l` for \\<prod-org\\> not \\*this\\* |"
    );
    // A user pack rule has no page under docs/rules; a built-in one is linked.
    let summary = summary_of(&report("missing-script", "a.md", "m"), &[]);
    assert!(
        summary.contains("[`missing-script`](https://github.com/runbook-lint/runbook-lint/blob/main/docs/rules/missing-script.md)"),
        "{summary}"
    );
    // An unpaired backtick is text, not the start of a code span.
    let summary = summary_of(&report("r", "a.md", "it's a ` stray"), &[]);
    assert!(summary.contains("it's a \\` stray"), "{summary}");
}

#[test]
fn summary_links_lines_only_when_paths_are_repository_paths() {
    let linked = summary_of(
        &report("r", "docs/my runbook.md", "m"),
        &[
            ("GITHUB_REPOSITORY", "acme/ops"),
            ("GITHUB_SHA", "abc"),
            ("GITHUB_WORKSPACE", repo().to_str().unwrap()),
        ],
    );
    assert!(
        linked.contains("[docs/my runbook.md:3:5](https://github.com/acme/ops/blob/abc/docs/my%20runbook.md#L3)"),
        "{linked}"
    );
    // Run elsewhere than the checkout's root, the paths are not repository paths.
    let elsewhere = tempfile::tempdir().unwrap();
    let plain = summary_of(
        &report("r", "docs/a.md", "m"),
        &[
            ("GITHUB_REPOSITORY", "acme/ops"),
            ("GITHUB_SHA", "abc"),
            ("GITHUB_WORKSPACE", elsewhere.path().to_str().unwrap()),
        ],
    );
    assert!(plain.contains("| error | docs/a.md:3:5 |"), "{plain}");
}

#[test]
fn summary_points_past_githubs_annotation_limit() {
    let mut many = report("r", "a.md", "m");
    let one = many["diagnostics"][0].clone();
    many["diagnostics"] = serde_json::Value::Array(vec![one; 12]);
    many["summary"]["errors"] = 12.into();
    let summary = summary_of(&many, &[]);
    assert!(
        summary.contains("**12 errors, 0 warnings** in 1 file checked."),
        "{summary}"
    );
    assert!(
        summary.contains("at most 10 errors and 10 warnings"),
        "{summary}"
    );
    assert!(summary.contains("| `r` | 12 | 0 | 0 |"), "{summary}");
}
