//! End-to-end tests of the binary on the fixture repositories: output contracts and exit codes.

use crate::common::run;

#[test]
fn demo_human_output() {
    let (stdout, stderr, code) = run(&["check", "fixtures/demo", "--color", "never"]);
    assert_eq!(code, 1, "error findings exit 1; stderr: {stderr}");
    assert!(
        stderr.contains("5 errors, 2 warnings in 1 file"),
        "{stderr}"
    );
    insta::assert_snapshot!("demo_human", stdout);
}

#[test]
fn demo_json_output() {
    let (stdout, _, code) = run(&["check", "fixtures/demo/docs/deploy.md", "--format", "json"]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
    assert_eq!(json["version"], 1);
    assert_eq!(json["files_checked"], 1);
    insta::assert_snapshot!("demo_json", stdout);
}

#[test]
fn demo_findings_are_exactly_the_expected_ones() {
    let (stdout, _, _) = run(&["check", "fixtures/demo", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let found: Vec<(String, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("missing-section", 1),           // deploys, but no rollback section
        ("missing-script", 18),           // pnpm test:auth
        ("migration-without-backup", 34), // no snapshot before the first migration
        ("unsafe-migration", 34),         // pnpm db:migrate under Production deployment
        ("placeholder-contact", 48),
        ("placeholder-contact", 48),
        ("placeholder-contact", 49),
    ];
    let expected: Vec<(String, u64)> = expected.iter().map(|(r, l)| (r.to_string(), *l)).collect();
    assert_eq!(found, expected);
    let messages = stdout;
    assert!(messages.contains("did you mean `test:e2e`"));
    assert!(messages.contains("`pnpm db:migrate` runs `prisma migrate dev`"));
    assert!(messages.contains("use `pnpm db:deploy` (runs `prisma migrate deploy`)"));
}

#[test]
fn monorepo_filters_resolve_into_workspace_packages() {
    let (stdout, _, code) = run(&["check", "fixtures/monorepo", "--color", "never"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("monorepo_human", stdout);
}

#[test]
fn correct_runbook_is_silent_and_exits_zero() {
    let (stdout, stderr, code) = run(&["check", "fixtures/clean", "--format", "json"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 0, "{stdout}");
    assert_eq!(json["summary"]["errors"], 0);
}

#[test]
fn suppressions_hide_only_what_they_name() {
    let (stdout, _, code) = run(&["check", "fixtures/suppressions", "--format", "json"]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let found: Vec<(&str, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["rule"].as_str().unwrap(), d["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        found,
        vec![("unresolved-placeholder", 11), ("missing-script", 11)]
    );
}

#[test]
fn bad_config_names_file_line_and_key_and_exits_two() {
    let (_, stderr, code) = run(&["check", "fixtures/bad-config"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("runbook-lint.toml:4:1"), "{stderr}");
    assert!(
        stderr.contains("unknown rule `missing-scripts`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `missing-script`"), "{stderr}");
}

#[test]
fn missing_path_exits_two_but_other_paths_are_linted() {
    let (stdout, stderr, code) =
        run(&["check", "fixtures/clean", "no/such/dir", "--format", "json"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no/such/dir: no such file or directory"),
        "{stderr}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["files_checked"], 1);
}

#[test]
fn usage_errors_exit_two() {
    let (_, _, code) = run(&["check", "--format", "yaml"]);
    assert_eq!(code, 2);
    let (_, _, code) = run(&["frobnicate"]);
    assert_eq!(code, 2);
}

#[test]
fn explain_prints_the_rule_docs() {
    let (stdout, _, code) = run(&["explain", "missing-script"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("# missing-script"));
    assert!(stdout.contains("## Why is this bad?"));
    let (_, stderr, code) = run(&["explain", "missing-scrip"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean `missing-script`"));
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    // stderr is a pipe here, as in CI logs: the stderr of a run is its totals line and
    // nothing else, with no carriage returns or cursor movement a progress bar would leave.
    for format in ["human", "concise", "json"] {
        let (_, stderr, _) = run(&[
            "check",
            "fixtures/demo",
            "--format",
            format,
            "--color",
            "never",
        ]);
        assert!(
            !stderr.contains('\r') && !stderr.contains('\u{1b}'),
            "{format}: {stderr:?}"
        );
        assert!(!stderr.contains("linting"), "{format}: {stderr:?}");
    }
}
