//! The cross-reference rules end to end: a Render + Compose project whose runbook has exactly
//! one defect of each kind, and a project whose manifests are broken.

use crate::common::run;

/// `(file, line, column, rule, message)` of every finding.
fn findings(fixture: &str) -> Vec<(String, u64, u64, String, String)> {
    let (stdout, _, _) = run(&["check", fixture, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["rule"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn render_compose_findings_are_exactly_the_expected_ones() {
    let found: Vec<(u64, String, String)> = findings("fixtures/render-compose")
        .into_iter()
        .map(|(path, line, _, rule, message)| {
            assert_eq!(path, "fixtures/render-compose/docs/deploy.md");
            (line, rule, message)
        })
        .collect();
    let expected = [
        (4, "broken-link", "link target `./restore.md` does not exist"),
        (5, "broken-link", "anchor `#undo-migrations` not found in `docs/rollback.md`"),
        // DATABASE_URL and STRIPE_SECRET_KEY are in render.yaml, SENTRY_DSN only in .env.example.
        (12, "undeclared-env-var", "`MAILGUN_API_KEY` is set nowhere the production service reads its environment (render.yaml service `shop-api`, .env.example, compose.yaml)"),
        (13, "undeclared-env-var", "`FEATURE_FLAGS_URL` is set nowhere the production service reads its environment (render.yaml service `shop-api`, .env.example, compose.yaml)"),
        (19, "missing-file", "file `./scripts/pre-deployment-validation.sh` does not exist"),
        (21, "missing-make-target", "target `deploy-prod` not found in Makefile"),
        (23, "unknown-service", "service `worker` is not defined in compose.yaml"),
    ];
    let expected: Vec<(u64, String, String)> = expected
        .iter()
        .map(|(l, r, m)| (*l, r.to_string(), m.to_string()))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn render_compose_human_output() {
    let (stdout, _, code) = run(&["check", "fixtures/render-compose", "--color", "never"]);
    assert_eq!(code, 1, "errors exit 1");
    assert!(stdout.contains("did you mean `celery-worker`?"), "{stdout}");
    assert!(stdout.contains("did you mean `deploy`?"), "{stdout}");
    assert!(
        stdout.contains("service `shop-api` in render.yaml"),
        "{stdout}"
    );
    insta::assert_snapshot!("render_compose_human", stdout);
}

#[test]
fn broken_manifests_name_line_and_column_and_other_rules_still_run() {
    let found = findings("fixtures/broken-manifests");
    let manifests: Vec<(&str, u64, u64)> = found
        .iter()
        .filter(|f| f.3 == "invalid-manifest")
        .map(|f| (f.0.as_str(), f.1, f.2))
        .collect();
    assert_eq!(
        manifests,
        vec![
            ("fixtures/broken-manifests/compose.yaml", 3, 12),
            ("fixtures/broken-manifests/package.json", 5, 3),
            ("fixtures/broken-manifests/render.yaml", 5, 7),
        ]
    );
    let others: Vec<(&str, u64)> = found
        .iter()
        .filter(|f| f.3 != "invalid-manifest")
        .map(|f| (f.3.as_str(), f.1))
        .collect();
    assert_eq!(
        others,
        vec![
            ("missing-make-target", 7),
            ("missing-file", 8),
            ("broken-link", 11)
        ]
    );
}

#[test]
fn allow_env_silences_a_variable_the_platform_sets() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".env.example"), "DATABASE_URL=\n").unwrap();
    std::fs::write(
        dir.path().join("runbook.md"),
        "## Secrets\n\n- [ ] `DATABASE_URL`\n- [ ] `RENDER_EXTERNAL_URL`\n- [ ] `PLATFORM_TOKEN`\n- [ ] `OTHER_TOKEN`\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("runbook-lint.toml"),
        "allow-env = [\"PLATFORM_TOKEN\"]\n",
    )
    .unwrap();
    let path = dir.path().to_str().unwrap();
    let found: Vec<String> = findings(path).into_iter().map(|f| f.4).collect();
    assert_eq!(
        found,
        vec!["`OTHER_TOKEN` is declared in no env manifest (.env.example)".to_string()]
    );
}
