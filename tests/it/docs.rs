//! `docs/rules/*.md` are generated from the rules' doc comments; this test fails when they are
//! out of date. Regenerate with `UPDATE_DOCS=1 cargo test --test it docs`.

use std::collections::BTreeMap;
use std::path::Path;

use runbook_lint::ruledocs;

fn expected() -> BTreeMap<String, String> {
    let docs = runbook_lint::rules::docs();
    let mut pages: BTreeMap<String, String> = docs
        .iter()
        .map(|doc| (format!("{}.md", doc.id), doc.page()))
        .collect();
    pages.insert("README.md".to_string(), ruledocs::index(&docs));
    pages
}

#[test]
fn rule_docs_are_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(ruledocs::DOCS_DIR);
    let expected = expected();
    if std::env::var_os("UPDATE_DOCS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(&dir).unwrap();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name.ends_with(".md") && !expected.contains_key(&name) {
                std::fs::remove_file(&path).unwrap();
            }
        }
        for (name, text) in &expected {
            std::fs::write(dir.join(name), text).unwrap();
        }
    }
    let mut stale = Vec::new();
    for (name, text) in &expected {
        match std::fs::read_to_string(dir.join(name)) {
            Ok(found) if found == *text => {}
            Ok(_) => stale.push(format!("{name} is out of date")),
            Err(_) => stale.push(format!("{name} is missing")),
        }
    }
    for entry in std::fs::read_dir(&dir).into_iter().flatten() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        if name.ends_with(".md") && !expected.contains_key(&name) {
            stale.push(format!("{name} documents no rule"));
        }
    }
    assert!(
        stale.is_empty(),
        "{}; regenerate with `UPDATE_DOCS=1 cargo test --test it docs`",
        stale.join(", ")
    );
}

#[test]
fn explain_prints_the_same_documentation() {
    let doc = runbook_lint::rules::docs()
        .into_iter()
        .find(|d| d.id == "missing-script")
        .unwrap();
    let output = assert_cmd::Command::cargo_bin("runbook-lint")
        .unwrap()
        .args(["explain", "missing-script"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains(&doc.docs), "{text}");
}

/// The project's own documentation names commands as examples of what the rules find ("Never
/// run `terraform destroy`", "`prisma migrate reset` would wipe the data", tables of rule
/// examples): none of that is a step, so linting it finds nothing. The generated rule pages
/// switch the linter off at their `## Example` sections, whose defects are on purpose; their
/// prose is linted. (Findings outside README.md and docs/, such as the fixtures' broken
/// manifests, are the fixtures' business.)
#[test]
fn the_projects_own_docs_lint_clean() {
    let (stdout, stderr, code) = crate::common::run(&[
        "check",
        "--format",
        "json",
        "README.md",
        "CHANGELOG.md",
        "docs",
    ]);
    assert!(code == 0 || code == 1, "exit {code}: {stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let ours: Vec<String> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            let path = d["path"].as_str().unwrap_or("");
            path == "README.md" || path == "CHANGELOG.md" || path.starts_with("docs/")
        })
        .map(|d| {
            format!(
                "{}:{} [{}] {}",
                d["path"].as_str().unwrap_or(""),
                d["line"],
                d["rule"].as_str().unwrap_or(""),
                d["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert!(
        json["files_checked"].as_u64().unwrap_or(0) >= 20,
        "{stdout}"
    );
    assert!(ours.is_empty(), "{}", ours.join("\n"));
}
