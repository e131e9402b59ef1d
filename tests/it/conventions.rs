//! What users of other linters expect of the command line and the reports: colours from the
//! environment, the totals line, columns counted alike in every format.

use crate::common::{self, run, runbook_lint};

const FIXTURE: &str = "fixtures/formats";

fn output_with_env(args: &[&str], vars: &[(&str, &str)]) -> (String, String, i32) {
    let mut cmd = runbook_lint(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
    for name in [
        "FORCE_COLOR",
        "CLICOLOR_FORCE",
        "CLICOLOR",
        "TERM",
        "NO_COLOR",
    ] {
        cmd.env_remove(name);
    }
    for (name, value) in vars {
        cmd.env(name, value);
    }
    let output = cmd.args(args).output().unwrap();
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.status.code().unwrap(),
    )
}

#[test]
fn colour_follows_force_color_no_color_and_term() {
    let coloured = |vars: &[(&str, &str)]| {
        output_with_env(&["check", FIXTURE], vars)
            .0
            .contains('\u{1b}')
    };
    // Not a terminal: plain, unless forced.
    assert!(!coloured(&[]));
    assert!(coloured(&[("FORCE_COLOR", "1")]));
    assert!(coloured(&[("CLICOLOR_FORCE", "1")]));
    assert!(!coloured(&[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]));
    assert!(!coloured(&[("FORCE_COLOR", "0")]));
    // `--color` beats the environment.
    let (out, _, _) = output_with_env(
        &["check", FIXTURE, "--color", "never"],
        &[("FORCE_COLOR", "1")],
    );
    assert!(!out.contains('\u{1b}'), "{out}");
}

#[test]
fn concise_and_github_print_the_totals_line_on_stderr_like_human() {
    for format in ["human", "concise", "github"] {
        let (_, stderr, code) = run(&["check", FIXTURE, "--format", format]);
        assert_eq!(code, 1);
        assert!(
            stderr.contains("2 errors, 1 warning in 1 file ("),
            "{format}: {stderr}"
        );
    }
    // Machine formats on stdout keep stderr for problems only.
    for format in ["json", "sarif", "junit"] {
        let (_, stderr, _) = run(&["check", FIXTURE, "--format", format]);
        assert!(!stderr.contains("in 1 file"), "{format}: {stderr}");
    }
}

#[test]
fn columns_are_characters_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("package.json"),
        r#"{"scripts":{"build":"x"}}"#,
    )
    .unwrap();
    // `É` is two bytes: the byte column of `déployer` is one more than its character column.
    std::fs::write(
        dir.path().join("run.md"),
        "# Déploiement\n\nÉtape: `npm run déployer` ok\n",
    )
    .unwrap();
    let at = |format: &str| {
        let (out, stderr, _) = common::run_in(
            dir.path(),
            &["check", "--format", format, "--color", "never"],
        );
        assert!(!out.is_empty(), "{stderr}");
        out
    };
    assert!(
        at("concise").starts_with("run.md:3:17: "),
        "{}",
        at("concise")
    );
    assert!(at("human").contains("[run.md:3:17]"), "{}", at("human"));
    assert!(at("github").contains("line=3,col=17,"), "{}", at("github"));
    let json: serde_json::Value = serde_json::from_str(&at("json")).unwrap();
    assert_eq!(json["diagnostics"][0]["column"], 17);
    let sarif: serde_json::Value = serde_json::from_str(&at("sarif")).unwrap();
    let region = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startColumn"], 17);
    assert!(
        at("junit").contains("missing-script at 3:17"),
        "{}",
        at("junit")
    );
}

/// A repository with a root project and a nested one whose config is broken.
fn repository_with_a_broken_nested_config() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::create_dir_all(root.join("docs")).unwrap();
    std::fs::create_dir_all(root.join("fixtures/bad")).unwrap();
    std::fs::write(root.join("package.json"), r#"{"scripts":{"build":"x"}}"#).unwrap();
    std::fs::write(root.join("docs/run.md"), "# Run\n\nRun `npm run nope`.\n").unwrap();
    std::fs::write(
        root.join("fixtures/bad/runbook-lint.toml"),
        "[rules]\nnope = 1\n",
    )
    .unwrap();
    std::fs::write(
        root.join("fixtures/bad/README.md"),
        "# Bad\n\nRun `npm run gone`.\n",
    )
    .unwrap();
    dir
}

#[test]
fn a_broken_nested_config_fails_its_project_only() {
    let dir = repository_with_a_broken_nested_config();
    let (stdout, stderr, code) = common::run_in(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("fixtures/bad/runbook-lint.toml:2:"),
        "{stderr}"
    );
    // The root project is still linted and reported.
    assert!(stdout.contains("docs/run.md:3:"), "{stdout}");
    assert!(!stdout.contains("fixtures/bad/README.md"), "{stdout}");
    assert!(stderr.contains("1 path not checked"), "{stderr}");
}

#[test]
fn an_excluded_nested_project_is_not_read() {
    let dir = repository_with_a_broken_nested_config();
    std::fs::write(
        dir.path().join("runbook-lint.toml"),
        "exclude = [\"fixtures/**\"]\n",
    )
    .unwrap();
    let (stdout, stderr, code) = common::run_in(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(!stderr.contains("fixtures/bad"), "{stderr}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
}

#[test]
fn a_missing_config_file_says_it_cannot_be_read() {
    let (_, stderr, code) = run(&["check", FIXTURE, "--config", "nope.toml"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("error: cannot read nope.toml: no such file or directory"),
        "{stderr}"
    );
    assert!(!stderr.contains(":0:0"), "{stderr}");
}

#[test]
fn exit_status_follows_exit_zero_fail_on_and_max_warnings() {
    // The fixture: 2 errors, 1 warning.
    let code = |extra: &[&str]| {
        let mut args = vec!["check", FIXTURE, "--format", "concise"];
        args.extend_from_slice(extra);
        run(&args).2
    };
    assert_eq!(code(&[]), 1);
    assert_eq!(code(&["--exit-zero"]), 0);
    // A run that fails is still 2 with --exit-zero.
    assert_eq!(code(&["--exit-zero", "no-such.md"]), 2);
    let warnings_only = ["--ignore", "missing-script,placeholder-contact"];
    assert_eq!(code(&warnings_only), 0);
    assert_eq!(
        code(&[&warnings_only[..], &["--fail-on", "warning"]].concat()),
        1
    );
    assert_eq!(
        code(&[&warnings_only[..], &["--max-warnings", "0"]].concat()),
        1
    );
    assert_eq!(
        code(&[&warnings_only[..], &["--max-warnings", "1"]].concat()),
        0
    );
    assert_eq!(code(&["--fail-on", "bogus"]), 2);
}

#[test]
fn quiet_prints_only_the_findings() {
    let (stdout, stderr, code) = run(&["check", FIXTURE, "-q", "--format", "concise"]);
    assert_eq!(code, 1);
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
    assert_eq!(stderr, "");
    // Errors are still said.
    let (_, stderr, code) = run(&["check", FIXTURE, "no-such.md", "--quiet"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("error: no-such.md"), "{stderr}");
    assert!(!stderr.contains("in 1 file"), "{stderr}");
    // -q and -v do not go together.
    assert_eq!(run(&["check", FIXTURE, "-q", "-v"]).2, 2);
}

#[test]
fn check_help_is_grouped_under_headings() {
    let (stdout, _, code) = run(&["check", "--help"]);
    assert_eq!(code, 0);
    let headings: Vec<&str> = stdout
        .lines()
        .filter(|l| !l.starts_with(' ') && l.ends_with(':'))
        .collect();
    assert_eq!(
        headings,
        [
            "Arguments:",
            "Options:",
            "Rule selection:",
            "Output:",
            "CI and adoption:",
            "Fixes:",
            "Files and performance:"
        ],
        "{stdout}"
    );
}

/// A runbook with a pack finding (`git push --force`), a missing script and a placeholder.
fn selection_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("docs")).unwrap();
    std::fs::write(
        dir.path().join("package.json"),
        r#"{"scripts":{"build":"x"}}"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("docs/release.md"),
        "# Release\n\n## Production\n\n- [ ] `git push --force origin main`\n- [ ] `redis-cli FLUSHALL`\n- [ ] `npm run nope`\n- [ ] Owner: TBD\n\n## Rollback\n\n- [ ] `git revert HEAD`\n",
    )
    .unwrap();
    dir
}

fn rules_found(dir: &std::path::Path, args: &[&str]) -> (Vec<String>, i32, String) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let (stdout, stderr, code) = common::run_in(dir, &all);
    if code == 2 {
        return (Vec::new(), code, stderr);
    }
    let json: serde_json::Value = serde_json::from_str(&stdout).expect(&stderr);
    let rules = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| format!("{}@{}", d["rule"].as_str().unwrap(), d["line"]))
        .collect();
    (rules, code, stderr)
}

#[test]
fn select_ignore_and_extend_select_take_rule_and_pack_entry_ids() {
    let dir = selection_repo();
    let root = dir.path();
    let all = rules_found(root, &[]).0;
    assert_eq!(
        all,
        [
            "destructive-command@5",
            "destructive-command@6",
            "missing-script@7",
            "unresolved-placeholder@8"
        ]
    );
    // A rule id.
    assert_eq!(
        rules_found(root, &["--select", "missing-script"]).0,
        ["missing-script@7"]
    );
    // A pack entry id: only that entry of its rule.
    assert_eq!(
        rules_found(root, &["--select", "git-push-force"]).0,
        ["destructive-command@5"]
    );
    assert_eq!(
        rules_found(root, &["--ignore", "redis-flush,unresolved-placeholder"]).0,
        ["destructive-command@5", "missing-script@7"]
    );
    // --ignore wins over --select.
    assert_eq!(
        rules_found(
            root,
            &[
                "--select",
                "destructive-command",
                "--ignore",
                "git-push-force"
            ]
        )
        .0,
        ["destructive-command@6"]
    );
    // --extend-select turns on what the config turns off.
    std::fs::write(
        root.join("runbook-lint.toml"),
        "[rules]\ndestructive-command = \"off\"\nmissing-script = \"off\"\n",
    )
    .unwrap();
    assert_eq!(rules_found(root, &[]).0, ["unresolved-placeholder@8"]);
    assert_eq!(
        rules_found(root, &["--extend-select", "redis-flush"]).0,
        ["destructive-command@6", "unresolved-placeholder@8"]
    );
    // An unknown id is a usage error with a did-you-mean.
    let (_, code, stderr) = rules_found(root, &["--select", "git-push-forse"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains(
            "--select: unknown rule or pack entry `git-push-forse`; did you mean `git-push-force`?"
        ),
        "{stderr}"
    );
}

#[test]
fn pack_entries_can_be_set_in_the_config_and_explained() {
    let dir = selection_repo();
    let root = dir.path();
    std::fs::write(
        root.join("runbook-lint.toml"),
        "[rules]\ngit-push-force = \"off\"\nredis-flush = \"warning\"\n",
    )
    .unwrap();
    let (stdout, stderr, _) = common::run_in(root, &["check", "--format", "concise"]);
    assert!(!stdout.contains("docs/release.md:5:"), "{stdout}");
    assert!(
        stdout.contains("docs/release.md:6:8: warning[destructive-command]"),
        "{stdout}{stderr}"
    );
    // A misspelt entry in the config names the file, line and the closest id.
    std::fs::write(
        root.join("runbook-lint.toml"),
        "[rules]\ngit-push-forse = \"off\"\n",
    )
    .unwrap();
    let (_, stderr, code) = common::run_in(root, &["check"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("runbook-lint.toml:2:1: rules: unknown rule `git-push-forse`; did you mean `git-push-force`?"),
        "{stderr}"
    );
    let (stdout, _, code) = run(&["explain", "git-push-force"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("# git-push-force\n"), "{stdout}");
    assert!(stdout.contains("`destructive-command`"), "{stdout}");
    assert!(stdout.contains("--force-with-lease"), "{stdout}");
}

#[test]
fn suppressions_name_pack_entries_and_report_unknown_and_unused_names() {
    let dir = selection_repo();
    let root = dir.path();
    std::fs::write(
        root.join("docs/release.md"),
        "# Release\n\n## Production\n\n<!-- runbook-lint-disable-next-line git-push-force -->\n- [ ] `git push --force origin main`\n<!-- runbook-lint-disable-next-line missing-scirpt -->\n- [ ] `npm run nope`\n<!-- runbook-lint-disable-next-line unresolved-placeholder -->\n- [ ] `npm run build`\n\n## Rollback\n\n- [ ] `git revert HEAD`\n",
    )
    .unwrap();
    let (stdout, _, _) = common::run_in(root, &["check", "--format", "concise"]);
    assert_eq!(
        stdout,
        "docs/release.md:7:37: warning[invalid-suppression] unknown rule `missing-scirpt` in a suppression comment\n\
         docs/release.md:8:16: error[missing-script] script `nope` not found in package.json\n"
    );
    // Unused suppressions are off by default; on, the one of line 9 is reported, and --fix
    // removes it.
    let (stdout, _, _) = common::run_in(
        root,
        &[
            "check",
            "--format",
            "concise",
            "--extend-select",
            "unused-suppression",
        ],
    );
    assert!(
        stdout.contains("docs/release.md:9:37: warning[unused-suppression] unused suppression of `unresolved-placeholder`"),
        "{stdout}"
    );
    let (_, stderr, _) = common::run_in(
        root,
        &["check", "--fix", "--extend-select", "unused-suppression"],
    );
    assert!(stderr.contains("fixed 1 finding in 1 file"), "{stderr}");
    let text = std::fs::read_to_string(root.join("docs/release.md")).unwrap();
    assert!(!text.contains("unresolved-placeholder"), "{text}");
    assert!(text.contains("- [ ] `npm run build`\n"), "{text}");
}

#[test]
fn pyproject_tool_table_configures_and_competing_configs_warn() {
    let dir = selection_repo();
    let root = dir.path();
    std::fs::write(
        root.join("pyproject.toml"),
        "[project]\nname = \"shop\"\nversion = \"1.0\"\n\n[tool.runbook-lint.rules]\ndestructive-command = \"off\"\n",
    )
    .unwrap();
    let (found, code, stderr) = rules_found(root, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(found, ["missing-script@7", "unresolved-placeholder@8"]);
    assert!(!stderr.contains("both configure"), "{stderr}");
    // A broken table is reported at its line in pyproject.toml.
    std::fs::write(
        root.join("pyproject.toml"),
        "[project]\nname = \"shop\"\n\n[tool.runbook-lint]\nexlude = []\n",
    )
    .unwrap();
    let (_, code, stderr) = rules_found(root, &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("pyproject.toml:5:1: unknown field `exlude`"),
        "{stderr}"
    );
    // Two configs: the first in the documented order wins, with a warning naming both.
    std::fs::write(
        root.join("pyproject.toml"),
        "[tool.runbook-lint.rules]\ndestructive-command = \"off\"\n",
    )
    .unwrap();
    std::fs::write(
        root.join("runbook-lint.toml"),
        "[rules]\nmissing-script = \"off\"\n",
    )
    .unwrap();
    let (found, _, stderr) = rules_found(root, &[]);
    assert!(
        stderr.contains("warning: runbook-lint.toml and pyproject.toml [tool.runbook-lint] both configure runbook-lint; using runbook-lint.toml"),
        "{stderr}"
    );
    assert!(
        found.contains(&"destructive-command@5".to_string()),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|f| f.starts_with("missing-script")),
        "{found:?}"
    );
}

fn with_stdin(dir: &std::path::Path, args: &[&str], input: &str) -> (String, String, i32) {
    let output = runbook_lint(dir)
        .args(args)
        .write_stdin(input)
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.status.code().unwrap(),
    )
}

#[test]
fn a_document_on_stdin_is_checked_as_the_file_stdin_filename_names() {
    let dir = repository_with_a_broken_nested_config();
    let root = dir.path();
    std::fs::create_dir_all(root.join("apps/web")).unwrap();
    std::fs::write(
        root.join("apps/web/package.json"),
        r#"{"scripts":{"dev":"next dev"}}"#,
    )
    .unwrap();
    // The unsaved text of apps/web/docs/run.md: checked against apps/web's package.json.
    let text = "# Run\n\nRun `npm run dev`, then `npm run nope`.\n";
    let (stdout, stderr, code) = with_stdin(
        root,
        &[
            "check",
            "-",
            "--stdin-filename",
            "apps/web/docs/run.md",
            "--format",
            "concise",
        ],
        text,
    );
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stdout,
        "apps/web/docs/run.md:3:34: error[missing-script] script `nope` not found in apps/web/package.json or package.json\n"
    );
    // Without a name it is `-`, in the working directory's project; nothing else is walked.
    let (stdout, _, _) = with_stdin(root, &["check", "-", "--format", "concise"], text);
    assert!(stdout.starts_with("-:3:"), "{stdout}");
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    // --diff shows the fix without writing anything.
    let (stdout, _, code) = with_stdin(
        root,
        &["check", "-", "--stdin-filename", "docs/run.md", "--diff"],
        "# Run\n\nRun `npm run biuld`.\n",
    );
    assert_eq!(code, 1);
    assert!(stdout.contains("+Run `npm run build`."), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(root.join("docs/run.md")).unwrap(),
        "# Run\n\nRun `npm run nope`.\n",
        "the file on disk is not touched"
    );
    // Misuse is a usage error.
    for args in [
        &["check", "-", "docs"][..],
        &["check", "-", "--fix"],
        &["check", "docs", "--stdin-filename", "x.md"],
    ] {
        let (_, stderr, code) = with_stdin(root, args, text);
        assert_eq!(code, 2, "{args:?}: {stderr}");
    }
}

#[test]
fn verbose_names_each_project_and_its_config() {
    let dir = repository_with_a_broken_nested_config();
    std::fs::write(
        dir.path().join("runbook-lint.toml"),
        "exclude = [\"fixtures/**\"]\n",
    )
    .unwrap();
    let (_, stderr, _) = common::run_in(dir.path(), &["check", "-v"]);
    assert!(
        stderr.contains("project .: config runbook-lint.toml; 1 of 1 Markdown files selected"),
        "{stderr}"
    );
}

#[test]
fn help_wraps_to_the_terminal_width() {
    for width in [60usize, 120] {
        let output = runbook_lint(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))
            .env("COLUMNS", width.to_string())
            .args(["check", "--help"])
            .output()
            .unwrap();
        let help = String::from_utf8_lossy(&output.stdout);
        let widest = help.lines().map(|l| l.chars().count()).max().unwrap();
        assert!(widest <= width, "{widest} > {width}:\n{help}");
        if width == 60 {
            assert!(widest > 50, "{help}");
        }
    }
}
