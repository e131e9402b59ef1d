//! The operational safety rules and rule packs, end to end on `fixtures/safety/<rule>/`:
//! each fixture holds positive and negative cases; the human output is snapshotted and the
//! exact (rule, line) list is asserted, so a new false alarm fails the test.

use crate::common::{run, run_in};

/// `(rule, path suffix, line, severity)` of every finding of a fixture, in output order.
fn findings(fixture: &str) -> Vec<(String, String, u64, String)> {
    let path = format!("fixtures/safety/{fixture}");
    let (stdout, stderr, _) = run(&["check", &path, "--format", "json", "--today", "2026-03-01"]);
    let json: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout} {stderr}"));
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let file = d["path"].as_str().unwrap();
            (
                d["rule"].as_str().unwrap().to_string(),
                file.rsplit('/').next().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn human(fixture: &str) -> String {
    let path = format!("fixtures/safety/{fixture}");
    run(&["check", &path, "--color", "never", "--today", "2026-03-01"]).0
}

fn expect(fixture: &str, expected: &[(&str, &str, u64, &str)]) {
    let found = findings(fixture);
    let expected: Vec<(String, String, u64, String)> = expected
        .iter()
        .map(|(r, f, l, s)| (r.to_string(), f.to_string(), *l, s.to_string()))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn destructive_command() {
    expect(
        "destructive-command",
        &[
            ("destructive-command", "runbook.md", 8, "error"), // redis-cli FLUSHALL
            ("destructive-command", "runbook.md", 9, "error"), // compose down -v
            ("destructive-command", "runbook.md", 10, "error"), // rm -rf $VAR
            ("destructive-command", "runbook.md", 11, "error"), // push --force
            ("destructive-command", "runbook.md", 12, "error"), // delete namespace
            ("destructive-command", "runbook.md", 13, "error"), // terraform destroy
            ("destructive-command", "runbook.md", 14, "error"), // sudo -u postgres dropdb
            ("destructive-command", "runbook.md", 18, "error"), // DELETE without WHERE
            ("destructive-command", "runbook.md", 19, "error"), // UPDATE without WHERE
            ("destructive-command", "runbook.md", 20, "error"), // DROP TABLE
            ("destructive-command", "runbook.md", 21, "error"), // DROP COLUMN
            // Rollback: FLUSHDB warns; restoring the runbook's own snapshot is silent.
            ("destructive-command", "runbook.md", 54, "warning"),
        ],
    );
    insta::assert_snapshot!("destructive_command", human("destructive-command"));
}

#[test]
fn pipe_to_shell() {
    expect(
        "pipe-to-shell",
        &[
            ("pipe-to-shell", "setup.md", 6, "warning"),
            ("pipe-to-shell", "setup.md", 7, "warning"),
            ("pipe-to-shell", "setup.md", 8, "warning"),
        ],
    );
    insta::assert_snapshot!("pipe_to_shell", human("pipe-to-shell"));
}

#[test]
fn migration_without_backup() {
    // release.md: `supabase db push` with no backup (the `--sql` preview is not a migration);
    // covered.md takes a pg_dump first; local.md is development only; install.md is a setup
    // guide (fresh database).
    expect(
        "migration-without-backup",
        &[("migration-without-backup", "release.md", 10, "warning")],
    );
    insta::assert_snapshot!(
        "migration_without_backup",
        human("migration-without-backup")
    );
}

#[test]
fn hardcoded_secret_is_found_and_never_printed() {
    expect(
        "hardcoded-secret",
        &[
            ("hardcoded-secret", "credentials.md", 6, "error"),
            ("hardcoded-secret", "credentials.md", 7, "error"),
            ("hardcoded-secret", "credentials.md", 8, "error"),
            ("hardcoded-secret", "credentials.md", 9, "error"),
            ("hardcoded-secret", "credentials.md", 10, "error"),
            ("hardcoded-secret", "credentials.md", 15, "error"),
            ("hardcoded-secret", "credentials.md", 21, "error"),
        ],
    );
    let secrets = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/safety/hardcoded-secret/SECRETS.txt"),
    )
    .unwrap();
    let text = human("hardcoded-secret");
    for format in ["human", "json", "concise", "github", "sarif", "junit"] {
        let path = "fixtures/safety/hardcoded-secret";
        let (out, _, _) = run(&["check", path, "--format", format]);
        assert!(out.contains("hardcoded-secret"), "{format}: {out}");
        for secret in secrets.lines().filter(|s| !s.is_empty()) {
            assert!(!out.contains(secret), "{format} output prints a secret");
        }
    }
    assert!(!text.contains("admin/admin"));
    insta::assert_snapshot!("hardcoded_secret", text);
}

#[test]
fn localhost_in_production() {
    expect(
        "localhost-in-production",
        &[
            ("missing-section", "deploy.md", 1, "warning"),
            ("migration-without-backup", "deploy.md", 6, "warning"),
            ("localhost-in-production", "deploy.md", 6, "warning"),
            ("localhost-in-production", "deploy.md", 7, "warning"),
            ("localhost-in-production", "deploy.md", 15, "warning"),
        ],
    );
    insta::assert_snapshot!("localhost_in_production", human("localhost-in-production"));
}

#[test]
fn stale_review_date_uses_the_configured_today() {
    // The fixture's config says today = 2026-03-01 and a 90-day window; fresh.md is silent.
    let (stdout, _, _) = run(&[
        "check",
        "fixtures/safety/stale-review-date",
        "--format",
        "json",
    ]);
    assert_eq!(
        stdout.matches("\"stale-review-date\"").count(),
        4,
        "{stdout}"
    );
    expect(
        "stale-review-date",
        &[
            ("stale-review-date", "on-call.md", 3, "warning"),
            ("stale-review-date", "on-call.md", 4, "warning"),
            ("stale-review-date", "on-call.md", 9, "warning"),
            ("stale-review-date", "on-call.md", 19, "warning"),
        ],
    );
    insta::assert_snapshot!("stale_review_date", human("stale-review-date"));
    // A later --today makes the fresh runbook's review date pass too.
    let (stdout, _, _) = run(&[
        "check",
        "fixtures/safety/stale-review-date/docs/fresh.md",
        "--format",
        "json",
        "--today",
        "2026-06-01",
    ]);
    assert!(
        stdout.contains("`Next Review` 2026-05-20 has passed"),
        "{stdout}"
    );
}

#[test]
fn missing_section() {
    // deploy-with-rollback.md, incident.md (no deploy steps) and install.md (no production
    // heading) are silent.
    expect(
        "missing-section",
        &[("missing-section", "deploy.md", 1, "warning")],
    );
    insta::assert_snapshot!("missing_section", human("missing-section"));
}

#[test]
fn empty_checklist_item() {
    expect(
        "empty-checklist-item",
        &[
            ("empty-checklist-item", "go-live.md", 4, "warning"),
            ("empty-checklist-item", "go-live.md", 7, "warning"),
        ],
    );
}

#[test]
fn user_pack_and_inline_rule_fire_with_the_teams_message() {
    expect(
        "user-pack",
        &[
            ("kubectl-needs-context", "deploy.md", 6, "error"),
            ("no-manual-publish", "deploy.md", 8, "error"),
        ],
    );
    let text = human("user-pack");
    assert!(text
        .contains("`kubectl` without `--context prod` runs against whatever cluster is current"));
    insta::assert_snapshot!("user_pack", text);
}

#[test]
fn rules_lists_pack_entries_and_user_packs() {
    let (stdout, _, code) = run(&["rules"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("destructive-command"));
    assert!(stdout.contains("  git-push-force"));
    assert!(stdout.contains("  prisma-migrate-dev"));
    let (stdout, _, _) = run_in(
        std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/safety/user-pack"
        )),
        &["rules"],
    );
    assert!(stdout.contains("kubectl-needs-context"), "{stdout}");
    assert!(stdout.contains("  kubectl-without-context"), "{stdout}");
    assert!(stdout.contains("no-manual-publish"), "{stdout}");
}

#[test]
fn malformed_pack_names_file_line_and_key_and_exits_two() {
    let (_, stderr, code) = run(&["check", "fixtures/safety/bad-pack"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("ops/broken.toml:6:1"), "{stderr}");
    assert!(stderr.contains("unknown field `flag`"), "{stderr}");
}
