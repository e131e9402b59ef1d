//! Every rule's fixtures, collected from the tree: `fixtures/rules/<rule-id>/invalid/<case>/`
//! and `fixtures/rules/<rule-id>/valid/<case>/`, each a miniature repository (runbook and
//! manifests). Each case is checked as its own project; an `invalid` case must report its rule
//! and its findings are snapshotted (`snapshots/it__rules__<rule>@invalid@<case>.snap`), a
//! `valid` case must report nothing at all. A case may hold an `ARGS` file: the paths to check
//! instead of `.`, one per line (`Taskfile.yaml`: a manifest named on the command line).
//!
//! Adding a case is adding a folder; adding a rule without cases fails
//! `every_rule_has_invalid_and_valid_cases`.

use std::path::{Path, PathBuf};

use crate::common::run_in;

/// The date stale-review-date judges against in every case.
const TODAY: &str = "2026-06-01";

/// One case: its rule, `invalid` or `valid`, its name and its folder.
struct Case {
    rule: String,
    kind: String,
    name: String,
    dir: PathBuf,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules")
}

fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// Every case under `fixtures/rules/*/{invalid,valid}/*/`, sorted.
fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for rule in subdirs(&fixtures()) {
        for kind in ["invalid", "valid"] {
            for dir in subdirs(&rule.join(kind)) {
                cases.push(Case {
                    rule: name(&rule),
                    kind: kind.to_string(),
                    name: name(&dir),
                    dir,
                });
            }
        }
    }
    cases
}

/// The case's findings as JSON diagnostics.
fn findings(case: &Case) -> Vec<serde_json::Value> {
    let paths: Vec<String> = match std::fs::read_to_string(case.dir.join("ARGS")) {
        Ok(text) => text.lines().map(String::from).collect(),
        Err(_) => vec![".".to_string()],
    };
    let mut args = vec!["check", "--root", ".", "--format", "json", "--today", TODAY];
    args.extend(paths.iter().map(String::as_str));
    let (stdout, stderr, code) = run_in(&case.dir, &args);
    assert!(
        code == 0 || code == 1,
        "{}/{}/{}: exit {code}: {stderr}",
        case.rule,
        case.kind,
        case.name
    );
    let json: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{}: {e}: {stdout}{stderr}", case.dir.display()));
    json["diagnostics"].as_array().cloned().unwrap_or_default()
}

/// What a snapshot shows of a finding: where, what, and the label and help a reader gets.
fn render(diagnostics: &[serde_json::Value]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&format!(
            "{}:{}:{}: {}[{}] {}\n",
            d["path"].as_str().unwrap_or(""),
            d["line"],
            d["column"],
            d["severity"].as_str().unwrap_or(""),
            d["rule"].as_str().unwrap_or(""),
            d["message"].as_str().unwrap_or("")
        ));
        if let Some(help) = d["help"].as_str() {
            out.push_str(&format!("  help: {help}\n"));
        }
    }
    out
}

#[test]
fn rule_fixtures() {
    let cases = cases();
    assert!(cases.len() >= 36, "only {} rule fixture cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let diagnostics = findings(case);
        let label = format!("{}/{}/{}", case.rule, case.kind, case.name);
        if case.kind == "valid" {
            if !diagnostics.is_empty() {
                failures.push(format!(
                    "{label} must produce nothing:\n{}",
                    render(&diagnostics)
                ));
            }
            continue;
        }
        if !diagnostics.iter().any(|d| d["rule"] == case.rule.as_str()) {
            failures.push(format!(
                "{label} must report {}:\n{}",
                case.rule,
                render(&diagnostics)
            ));
            continue;
        }
        insta::with_settings!({ snapshot_suffix => format!("{}@{}", case.rule, case.name), prepend_module_to_snapshot => true }, {
            insta::assert_snapshot!("invalid", render(&diagnostics));
        });
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_has_invalid_and_valid_cases() {
    let cases = cases();
    let ids = runbook_lint::rules::RULES
        .iter()
        .map(|entry| entry.meta.id)
        .chain(runbook_lint::rules::ENGINE_RULES.iter().map(|meta| meta.id));
    for id in ids {
        for kind in ["invalid", "valid"] {
            assert!(
                cases.iter().any(|c| c.rule == id && c.kind == kind),
                "fixtures/rules/{id}/{kind}/<case>/ is missing"
            );
        }
    }
    // And no folder names a rule that does not exist.
    for case in &cases {
        assert!(
            runbook_lint::rules::docs()
                .iter()
                .any(|d| d.id == case.rule),
            "fixtures/rules/{} names no rule",
            case.rule
        );
    }
}
