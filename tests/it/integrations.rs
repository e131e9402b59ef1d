//! Where users run it: every output format, `--output`, baselines, `--changed-since`,
//! `--statistics`, `init` and `completions`, on `fixtures/formats/`.

use std::path::Path;
use std::process::Command as Process;

use crate::common::{run, run_in};

const FIXTURE: &str = "fixtures/formats";

fn format(name: &str) -> String {
    let (stdout, stderr, code) = run(&["check", FIXTURE, "--format", name, "--color", "never"]);
    assert_eq!(
        code, 1,
        "error findings exit 1 in every format; stderr: {stderr}"
    );
    stdout
}

#[test]
fn human_format() {
    insta::assert_snapshot!("formats_human", format("human"));
}

#[test]
fn json_format() {
    insta::assert_snapshot!("formats_json", format("json"));
}

#[test]
fn concise_format() {
    let out = format("concise");
    assert_eq!(out.lines().count(), 3, "one line per finding:\n{out}");
    insta::assert_snapshot!("formats_concise", out);
}

#[test]
fn github_format() {
    let out = format("github");
    assert!(out
        .lines()
        .all(|l| l.starts_with("::error ") || l.starts_with("::warning ")));
    // The help rides on a second line of the annotation, escaped.
    assert!(out.contains("%0Ahelp: "), "{out}");
    insta::assert_snapshot!("formats_github", out);
}

#[test]
fn junit_format() {
    let out = format("junit");
    assert!(out.starts_with("<?xml"));
    assert_eq!(out.matches("<failure ").count(), 3);
    // The run's time varies; the rest is the snapshot.
    let time = regex::Regex::new(r#" time="\d+\.\d{3}""#).unwrap();
    assert_eq!(time.find_iter(&out).count(), 1, "{out}");
    insta::assert_snapshot!("formats_junit", time.replace_all(&out, r#" time="[time]""#));
}

/// The Jenkins xunit plugin's JUnit schema, vendored under tests/data/xunit/.
fn junit_schema() -> crate::xsd::Schema {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/xunit/junit-10.xsd"),
    )
    .expect("schema file committed under tests/data/");
    crate::xsd::parse(&text)
}

/// `xmllint`'s verdict on `xml`, when it is installed: a second opinion on the validator.
fn xmllint_valid(xml: &str) -> Option<bool> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.xml");
    std::fs::write(&file, xml).unwrap();
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/xunit/junit-10.xsd");
    let output = Process::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema)
        .arg(&file)
        .output()
        .ok()?;
    Some(output.status.success())
}

#[test]
fn junit_validates_against_the_xunit_schema() {
    let schema = junit_schema();
    let valid = |xml: &str| {
        let errors = schema.validate(xml);
        if let Some(verdict) = xmllint_valid(xml) {
            assert_eq!(
                verdict,
                errors.is_empty(),
                "xmllint disagrees: {errors:?}\n{xml}"
            );
        }
        errors
    };
    // Findings, a clean run, unreadable paths and a broken config (error test cases).
    let clean = tempfile::tempdir().unwrap();
    std::fs::write(clean.path().join("ok.md"), "# Fine\n").unwrap();
    let broken = tempfile::tempdir().unwrap();
    std::fs::write(broken.path().join("runbook-lint.toml"), "rules = 3\n").unwrap();
    std::fs::write(broken.path().join("a.md"), "# A <&> \"quoted\"\n").unwrap();
    let clean_dir = clean.path().to_str().unwrap();
    let broken_dir = broken.path().to_str().unwrap();
    let runs: [&[&str]; 4] = [
        &["check", FIXTURE, "--format", "junit"],
        &["check", clean_dir, "--format", "junit"],
        &["check", FIXTURE, "no-such-file.md", "--format", "junit"],
        &["check", broken_dir, "--format", "junit"],
    ];
    for args in runs {
        let (stdout, stderr, code) = run(args);
        assert!(code <= 2, "{stderr}");
        let errors = valid(&stdout);
        assert!(errors.is_empty(), "{args:?}: {errors:#?}\n{stdout}");
    }
    let (with_error, _, code) = run(runs[2]);
    assert_eq!(code, 2);
    assert!(with_error.contains(r#"errors="1""#), "{with_error}");
    assert!(with_error.contains("<error message="), "{with_error}");

    // The validator rejects what the schema forbids.
    let good = run(runs[0]).0;
    let cases = [
        // `errors` is required on a suite (optional on the root).
        good.replacen(r#" errors="0">"#, ">", 1),
        good.replacen(r#"time=""#, r#"time="1.2345"#, 1),
        good.replacen("<testcase name=", "<testcase nom=", 1),
        good.replacen("<failure ", "<bogus/><failure ", 1),
        good.replacen("</testsuites>", "text</testsuites>", 1),
    ];
    for case in &cases {
        assert_ne!(case, &good);
        assert!(!valid(case).is_empty(), "accepted:\n{case}");
    }
}

#[test]
fn sarif_format() {
    // The rule metadata and rule indexes change whenever a rule is added; they are checked
    // against the registry in the schema test below, so the snapshot keeps the results only.
    let mut log: serde_json::Value = serde_json::from_str(&format("sarif")).unwrap();
    let run = &mut log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap().len();
    assert_eq!(rules, runbook_lint::rules::docs().len());
    run["tool"]["driver"]["rules"] = serde_json::json!("[every rule]");
    // The repository's top, absolute: where this checkout is.
    let root = &mut run["originalUriBaseIds"]["%SRCROOT%"]["uri"];
    assert!(
        root.as_str().unwrap().starts_with("file:///") && root.as_str().unwrap().ends_with('/'),
        "{root}"
    );
    *root = serde_json::json!("[file:///repository/]");
    run["tool"]["driver"]["semanticVersion"] = serde_json::json!("[version]");
    for result in run["results"].as_array_mut().unwrap() {
        assert!(result["ruleIndex"].is_u64());
        result["ruleIndex"] = serde_json::json!("[index]");
    }
    insta::assert_snapshot!("formats_sarif", serde_json::to_string_pretty(&log).unwrap());
}

/// The official OASIS SARIF 2.1.0 schema (errata 01), vendored under tests/data/sarif/.
fn sarif_schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif/sarif-schema-2.1.0.json"),
    )
    .expect("schema file committed under tests/data/");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    assert_eq!(
        schema["id"],
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    );
    jsonschema::validator_for(&schema).expect("schema compiles")
}

#[test]
fn sarif_validates_against_the_schema_and_has_what_code_scanning_needs() {
    let validator = sarif_schema();
    // Every fixture repository, so new rules' findings are validated as they arrive.
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut dirs: Vec<String> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| format!("fixtures/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    dirs.sort();
    let mut validated = 0;
    let mut results = 0;
    for dir in &dirs {
        let args = ["check", dir.as_str(), "--format", "sarif"];
        let (stdout, _, code) = run(&args);
        validated += 1;
        let log: serde_json::Value = serde_json::from_str(&stdout).expect("SARIF is JSON");
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{args:?}: {errors:#?}");
        assert_eq!(log["version"], "2.1.0");
        assert!(log["runs"][0].get("language").is_none());
        let rules = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        assert!(rules.iter().any(|r| r["id"] == "missing-script"));
        for rule in rules {
            for key in ["shortDescription", "fullDescription", "help"] {
                assert!(
                    rule[key]["text"].as_str().is_some_and(|t| !t.is_empty()),
                    "{rule}"
                );
            }
            assert!(rule["defaultConfiguration"]["level"].is_string());
        }
        // What GitHub code scanning reads: the rule's id and descriptions (above), each
        // result's rule, a location relative to the repository's top with a start line, and
        // the fingerprint it matches alerts by.
        for result in log["runs"][0]["results"].as_array().unwrap() {
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"]);
            let artifact = &result["locations"][0]["physicalLocation"]["artifactLocation"];
            let uri = artifact["uri"].as_str().unwrap();
            assert!(uri.starts_with("fixtures/"), "{uri}");
            assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
            let region = &result["locations"][0]["physicalLocation"]["region"];
            assert!(region["startLine"].as_u64().unwrap() >= 1);
            let hash = result["partialFingerprints"]["primaryLocationLineHash"]
                .as_str()
                .unwrap();
            assert_eq!(hash.len(), 16);
            assert_eq!(result["partialFingerprints"]["runbookLint/v2"], hash);
            results += 1;
        }
        let invocation = &log["runs"][0]["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], code != 2, "{args:?}");
    }
    assert!(
        validated >= 5 && results >= 10,
        "{validated} logs, {results} results"
    );
    // The validator does reject a broken log.
    let broken = serde_json::json!({"version": "2.1.0", "runs": [{"results": []}]});
    assert!(!validator.is_valid(&broken));
}

#[test]
fn sarif_describes_the_teams_pack_rules_too() {
    let (stdout, _, _) = run(&["check", "fixtures/safety/user-pack", "--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    let reported: Vec<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert!(reported.contains(&"no-manual-publish"), "{reported:?}");
    for result in results {
        let rule = &rules[result["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], result["ruleId"]);
        if result["ruleId"] == "no-manual-publish" {
            assert_eq!(
                rule["properties"]["tags"],
                serde_json::json!(["runbook", "pack"])
            );
            assert!(rule.get("helpUri").is_none(), "{rule}");
            assert!(rule["shortDescription"]["text"].is_string(), "{rule}");
        }
    }
}

#[test]
fn sarif_uris_are_relative_to_the_repository_from_any_directory() {
    let dir = copy_fixture();
    let root = dir.path();
    std::fs::create_dir(root.join(".git")).unwrap();
    let uris = |cwd: &Path, args: &[&str]| {
        let (stdout, stderr, _) = run_in(cwd, args);
        let log: serde_json::Value = serde_json::from_str(&stdout).expect(&stderr);
        let run = &log["runs"][0];
        let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"].clone();
        let uris: Vec<String> = run["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        (base, uris)
    };
    let from_root = uris(root, &["check", "--format", "sarif"]);
    let from_docs = uris(&root.join("docs"), &["check", "--format", "sarif"]);
    assert_eq!(from_root, from_docs);
    assert_eq!(from_root.1, vec!["docs/release.md"; 3]);
    assert!(
        from_root.0.as_str().unwrap().ends_with('/'),
        "{}",
        from_root.0
    );
}

#[test]
fn sarif_invocations_report_skipped_and_unreadable_files() {
    let dir = copy_fixture();
    let root = dir.path();
    std::fs::write(root.join("docs/big.md"), "# Big\n".repeat(1000)).unwrap();
    let (stdout, _, code) = run_in(
        root,
        &[
            "check",
            "docs",
            "missing.md",
            "--max-file-size",
            "2000",
            "--format",
            "sarif",
        ],
    );
    assert_eq!(code, 2);
    let log: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(sarif_schema().is_valid(&log));
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes: Vec<(String, String)> = invocation["toolExecutionNotifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["level"].as_str().unwrap().to_string(),
                n["message"]["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        notes
            .iter()
            .any(|(level, text)| level == "error" && text.starts_with("missing.md: ")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|(level, text)| level == "warning" && text.starts_with("docs/big.md: ")),
        "{notes:?}"
    );
    // The other files' findings are still there.
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 3);
}

#[test]
fn output_file_gets_the_report_and_stderr_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.sarif");
    let (stdout, stderr, code) = run(&[
        "check",
        FIXTURE,
        "--format",
        "sarif",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("2 errors, 1 warning in 1 file"), "{stderr}");
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(written, format("sarif"));
}

#[test]
fn statistics_count_findings_per_rule() {
    let (_, stderr, _) = run(&["check", FIXTURE, "--statistics"]);
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["1", "missing-script", "error"]),
        "{stderr}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.split_whitespace().collect::<Vec<_>>()
                == ["1", "unresolved-placeholder", "warning"]),
        "{stderr}"
    );
    assert!(
        stderr.contains("2 errors, 1 warning in 1 file ("),
        "{stderr}"
    );
}

/// A copy of the fixture in a temporary directory.
fn copy_fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    std::fs::create_dir_all(dir.path().join("docs")).unwrap();
    for file in ["package.json", "docs/release.md"] {
        std::fs::copy(src.join(file), dir.path().join(file)).unwrap();
    }
    dir
}

#[test]
fn baseline_round_trip_survives_moved_lines_and_reports_only_new_defects() {
    let dir = copy_fixture();
    let root = dir.path();
    let (stdout, stderr, code) = run_in(root, &["check", "--write-baseline", "baseline.json"]);
    assert_eq!(code, 0, "writing a baseline accepts the findings: {stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("wrote 3 entries to baseline.json"),
        "{stderr}"
    );
    let baseline: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("baseline.json")).unwrap())
            .unwrap();
    assert_eq!(baseline["version"], 2);
    assert_eq!(baseline["findings"].as_array().unwrap().len(), 3);
    assert_eq!(baseline["findings"][0]["path"], "docs/release.md");

    // Insert lines above every finding: nothing new.
    let runbook = root.join("docs/release.md");
    let text = std::fs::read_to_string(&runbook).unwrap();
    let moved = text.replacen(
        "# Release runbook\n",
        "# Release runbook\n\nRead this first.\n\nAnd this.\n",
        1,
    );
    std::fs::write(&runbook, &moved).unwrap();
    let (stdout, stderr, code) = run_in(
        root,
        &[
            "check",
            "--baseline",
            "baseline.json",
            "--format",
            "concise",
        ],
    );
    assert_eq!((stdout.as_str(), code), ("", 0), "{stderr}");
    assert!(
        stderr.contains("3 findings recorded in the baseline not shown"),
        "{stderr}"
    );

    // A new defect: exactly one finding.
    std::fs::write(
        &runbook,
        format!("{moved}\nThen run `pnpm deploy:canary`.\n"),
    )
    .unwrap();
    let (stdout, _, code) = run_in(
        root,
        &[
            "check",
            "--baseline",
            "baseline.json",
            "--format",
            "concise",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.contains("`deploy:canary`"), "{stdout}");
}

#[test]
fn a_baseline_matches_from_any_working_directory() {
    let dir = copy_fixture();
    let root = dir.path();
    std::fs::create_dir_all(root.join("ci")).unwrap();
    // Written from `ci/`, into `ci/`: paths relative to the file, `../docs/release.md`.
    let (_, stderr, code) = run_in(
        &root.join("ci"),
        &["check", "..", "--write-baseline", "baseline.json"],
    );
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(root.join("ci/baseline.json")).unwrap();
    assert!(text.contains(r#""path": "../docs/release.md""#), "{text}");
    // Read from the root, from `docs/` and from `ci/`: nothing new anywhere.
    for (cwd, baseline) in [
        (root.to_path_buf(), "ci/baseline.json"),
        (root.join("docs"), "../ci/baseline.json"),
    ] {
        let (stdout, stderr, code) = run_in(
            &cwd,
            &["check", "--baseline", baseline, "--format", "concise"],
        );
        assert_eq!((stdout.as_str(), code), ("", 0), "{cwd:?}: {stderr}");
    }
    let (stdout, stderr, code) = run_in(
        &root.join("ci"),
        &[
            "check",
            "..",
            "--baseline",
            "baseline.json",
            "--format",
            "concise",
        ],
    );
    assert_eq!((stdout.as_str(), code), ("", 0), "{stderr}");
}

#[test]
fn a_version_1_baseline_still_matches_where_it_was_written() {
    let dir = copy_fixture();
    let root = dir.path();
    // As runbook-lint wrote it before paths were relative to the file.
    let v1 = r#"{"version": 1, "fingerprint": "v1", "findings": [
        {"path": "docs/release.md", "rule": "missing-script", "fingerprint": "0a398397bb2946ed", "message": "m"},
        {"path": "docs/release.md", "rule": "placeholder-contact", "fingerprint": "6970b5a79b4a0bca", "message": "m"},
        {"path": "docs/release.md", "rule": "unresolved-placeholder", "fingerprint": "7b9a2bf2f23bb629", "message": "m"}]}"#;
    std::fs::write(root.join("old.json"), v1).unwrap();
    let (stdout, stderr, code) = run_in(
        root,
        &["check", "--baseline", "old.json", "--format", "concise"],
    );
    assert_eq!((stdout.as_str(), code), ("", 0), "{stderr}");
    assert!(stderr.contains("is a version-1 baseline"), "{stderr}");
    // Written again: version 2.
    let (_, _, code) = run_in(root, &["check", "--write-baseline", "old.json"]);
    assert_eq!(code, 0);
    let text = std::fs::read_to_string(root.join("old.json")).unwrap();
    assert!(text.contains(r#""version": 2"#), "{text}");
}

#[test]
fn broken_baseline_exits_2() {
    let dir = copy_fixture();
    std::fs::write(dir.path().join("b.json"), "{}").unwrap();
    let (_, stderr, code) = run_in(dir.path(), &["check", "--baseline", "b.json"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not a runbook-lint baseline"), "{stderr}");
}

fn git(dir: &Path, args: &[&str]) {
    let status = Process::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

#[test]
fn changed_since_lints_changed_runbooks_and_projects_of_changed_manifests() {
    let dir = copy_fixture();
    let root = dir.path();
    std::fs::write(root.join("docs/other.md"), "# Other\n\nRun `pnpm nope`.\n").unwrap();
    git(root, &["init", "-q"]);
    git(root, &["add", "."]);
    git(root, &["commit", "-qm", "init"]);

    // Nothing changed: nothing linted, clean exit.
    let (stdout, stderr, code) = run_in(
        root,
        &["check", "--changed-since", "HEAD", "--format", "concise"],
    );
    assert_eq!((stdout.as_str(), code), ("", 0), "{stderr}");

    // One runbook changed: only it.
    std::fs::write(
        root.join("docs/other.md"),
        "# Other\n\nRun `pnpm nope`.\n\nMore.\n",
    )
    .unwrap();
    let (stdout, _, code) = run_in(
        root,
        &["check", "--changed-since", "HEAD", "--format", "concise"],
    );
    assert_eq!(code, 1);
    assert!(
        stdout.lines().all(|l| l.starts_with("docs/other.md:")),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");

    // The manifest changed too: every runbook of the project.
    git(root, &["commit", "-qam", "more"]);
    let manifest = std::fs::read_to_string(root.join("package.json")).unwrap();
    std::fs::write(
        root.join("package.json"),
        manifest.replace("\"test\"", "\"test:unit\""),
    )
    .unwrap();
    let (stdout, _, _) = run_in(
        root,
        &["check", "--changed-since", "HEAD", "--format", "concise"],
    );
    assert!(stdout.contains("docs/release.md:"), "{stdout}");
    assert!(stdout.contains("docs/other.md:"), "{stdout}");

    // A revision git does not know: exit 2 with git's reason.
    let (_, stderr, code) = run_in(root, &["check", "--changed-since", "no-such-rev"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--changed-since no-such-rev"), "{stderr}");

    // Run from a subdirectory, only changes under it count, like a plain `check`.
    std::fs::create_dir_all(root.join("ops")).unwrap();
    std::fs::write(root.join("ops/notes.md"), "# Notes\n\nRun `pnpm gone`.\n").unwrap();
    let (stdout, _, _) = run_in(
        &root.join("ops"),
        &["check", "--changed-since", "HEAD", "--format", "concise"],
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.starts_with("notes.md:"), "{stdout}");
}

/// Names that must re-lint their project when changed: every registry name, and variants
/// its patterns accept.
fn manifest_names() -> Vec<String> {
    let mut names: Vec<String> = runbook_lint::manifests::MANIFESTS
        .iter()
        .flat_map(|m| m.names)
        .map(|n| n.to_string())
        .collect();
    names.extend(
        [
            "docker-compose.prod.yml",
            "ops/compose.override.yaml",
            ".env.production",
            "api.env.sample",
            "Procfile.dev",
            "Taskfile.dist.yml",
        ]
        .map(String::from),
    );
    names
}

#[test]
fn changed_since_follows_the_manifest_registry() {
    let dir = copy_fixture();
    let root = dir.path();
    for name in manifest_names() {
        let path = root.join(&name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        if !path.exists() {
            std::fs::write(&path, "").unwrap();
        }
    }
    git(root, &["init", "-q"]);
    git(root, &["add", "."]);
    git(root, &["commit", "-qm", "init"]);
    for name in manifest_names() {
        let path = root.join(&name);
        let before = std::fs::read(&path).unwrap();
        std::fs::write(&path, [before.as_slice(), b"\n"].concat()).unwrap();
        let (stdout, stderr, _) = run_in(
            root,
            &["check", "--changed-since", "HEAD", "--format", "concise"],
        );
        assert!(
            stdout.contains("docs/release.md:"),
            "changing {name} did not re-lint the project's runbooks: {stdout}{stderr}"
        );
        std::fs::write(&path, before).unwrap();
    }
}

#[test]
fn a_manifest_named_on_the_command_line_lints_its_project() {
    let dir = copy_fixture();
    let root = dir.path();
    for name in [
        "Taskfile.yaml",
        "Justfile",
        "render.yml",
        "docker-compose.prod.yml",
    ] {
        std::fs::write(root.join(name), "").unwrap();
        let (stdout, stderr, code) = run_in(root, &["check", name, "--format", "json"]);
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(json["files_checked"], 1, "{name}: {stdout}{stderr}");
        assert_eq!(code, 1, "{name}: the project's runbook has findings");
        assert!(stdout.contains("docs/release.md"), "{name}: {stdout}");
    }
}

#[test]
fn changed_since_outside_a_repository_is_a_clear_error() {
    let dir = copy_fixture();
    let (_, stderr, code) = run_in(dir.path(), &["check", "--changed-since", "HEAD"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--changed-since needs a git repository"),
        "{stderr}"
    );
}

#[test]
fn init_writes_a_config_that_loads_and_refuses_to_overwrite() {
    let dir = copy_fixture();
    let (_, stderr, code) = run_in(dir.path(), &["init"]);
    assert_eq!(code, 0, "{stderr}");
    let config = std::fs::read_to_string(dir.path().join("runbook-lint.toml")).unwrap();
    assert!(config.contains("[rules]"));
    // Every key with its default, commented out; every rule with its default level.
    for line in [
        "# include = []",
        "# unknown-context = \"production\"",
        "# max-file-size = \"10 MB\"",
        "# missing-script = \"error\"",
        "# unused-suppression = \"off\"",
        "# review-window-days = 180",
    ] {
        assert!(config.contains(line), "{line} missing:\n{config}");
    }
    // The written config is accepted by check.
    let (_, stderr, code) = run_in(dir.path(), &["check"]);
    assert_eq!(code, 1, "{stderr}");
    let (_, stderr, code) = run_in(dir.path(), &["init"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("already exists"), "{stderr}");
}

#[test]
fn completions_for_bash_name_the_subcommands() {
    let (stdout, _, code) = run(&["completions", "bash"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("runbook-lint") && stdout.contains("--changed-since"));
    let (_, _, code) = run(&["completions", "tcsh"]);
    assert_eq!(code, 2);
}

#[test]
fn force_select_applies_include_to_named_files() {
    let dir = copy_fixture();
    let root = dir.path();
    std::fs::write(root.join("runbook-lint.toml"), "include = [\"docs/**\"]\n").unwrap();
    std::fs::write(root.join("NOTES.md"), "# Notes\n\nRun `pnpm nope`.\n").unwrap();
    let (stdout, _, code) = run_in(root, &["check", "NOTES.md", "--format", "concise"]);
    assert_eq!(code, 1, "a named file is linted: {stdout}");
    let (stdout, stderr, code) = run_in(
        root,
        &[
            "check",
            "--force-select",
            "NOTES.md",
            "docs/release.md",
            "--format",
            "concise",
        ],
    );
    assert_eq!(code, 1);
    assert!(!stdout.contains("NOTES.md"), "{stdout}");
    assert!(stdout.contains("docs/release.md"), "{stdout}");
    assert!(stderr.is_empty() || !stderr.contains("error:"), "{stderr}");
}

#[test]
fn a_run_that_fails_writes_an_error_run_not_an_empty_file() {
    let args = ["check", FIXTURE, "--select", "no-such-rule"];
    let (stdout, stderr, code) = run(&[&args[..], &["--format", "sarif"]].concat());
    assert_eq!(code, 2, "{stderr}");
    let log: serde_json::Value = serde_json::from_str(&stdout).expect("a SARIF log");
    let errors: Vec<String> = sarif_schema()
        .iter_errors(&log)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert!(
        invocation["toolExecutionNotifications"][0]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("no-such-rule")
    );
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));

    let (stdout, _, code) = run(&[&args[..], &["--format", "junit"]].concat());
    assert_eq!(code, 2);
    assert!(junit_schema().validate(&stdout).is_empty(), "{stdout}");
    assert!(stdout.contains(r#"errors="1""#), "{stdout}");
    assert!(stdout.contains(r#"type="usage""#), "{stdout}");
}
