//! `check --fix`, `--unsafe-fixes` and `--diff` on copies of `fixtures/fix/` and
//! `fixtures/mojibake/`: the fixed runbook (snapshot), a second run that changes nothing,
//! manifests never touched, and a double-encoded runbook repaired byte for byte.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::{copy_dir, run_in};

/// A copy of a fixture in a temporary directory.
fn copy_fixture(name: &str) -> tempfile::TempDir {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name);
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&from, dir.path());
    dir
}

/// Every file of the tree and its bytes.
fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                out.insert(path.strip_prefix(root).unwrap().to_path_buf(), bytes);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

const RUNBOOK: &str = "docs/runbook.md";

fn runbook(dir: &Path) -> String {
    std::fs::read_to_string(dir.join(RUNBOOK)).unwrap()
}

#[test]
fn fix_applies_safe_fixes_once_and_never_touches_manifests() {
    let dir = copy_fixture("fix");
    let before = tree(dir.path());
    let (stdout, stderr, code) = run_in(dir.path(), &["check", "--fix", "--format", "concise"]);
    assert!(stderr.contains("fixed 10 findings in 1 file"), "{stderr}");
    // What is left: the ambiguous target, the unsafe suggestions.
    assert_eq!(code, 1, "{stderr}");
    insta::assert_snapshot!("fix_safe_remaining", stdout);
    let fixed = runbook(dir.path());
    insta::assert_snapshot!("fix_safe_runbook", fixed);
    // Only the runbook changed.
    let after = tree(dir.path());
    for (path, bytes) in &before {
        if path != Path::new(RUNBOOK) {
            assert_eq!(after.get(path), Some(bytes), "{} changed", path.display());
        }
    }
    assert_eq!(
        after.len(),
        before.len(),
        "no file added (no temporary file left)"
    );

    // A second run finds nothing more to fix, and changes nothing.
    let (again, stderr, code) = run_in(dir.path(), &["check", "--fix", "--format", "concise"]);
    assert_eq!(code, 1);
    assert!(!stderr.contains("fixed"), "{stderr}");
    assert_eq!(again, stdout);
    assert_eq!(runbook(dir.path()), fixed);
    let (diff, stderr, code) = run_in(dir.path(), &["check", "--diff"]);
    assert_eq!((diff.as_str(), code), ("", 0), "{stderr}");
    assert!(stderr.contains("nothing to fix"), "{stderr}");
}

#[test]
fn unsafe_fixes_take_the_suggestions_too() {
    let dir = copy_fixture("fix");
    let (stdout, stderr, code) = run_in(
        dir.path(),
        &["check", "--fix", "--unsafe-fixes", "--format", "concise"],
    );
    assert!(stderr.contains("fixed 12 findings in 1 file"), "{stderr}");
    assert_eq!(code, 1, "the ambiguous target is left: {stdout}");
    assert_eq!(
        stdout.lines().count(),
        1,
        "only the ambiguous target is left: {stdout}"
    );
    let fixed = runbook(dir.path());
    insta::assert_snapshot!("fix_unsafe_runbook", fixed);
    let (_, stderr, _) = run_in(dir.path(), &["check", "--fix", "--unsafe-fixes"]);
    assert!(!stderr.contains("fixed"), "{stderr}");
    assert_eq!(runbook(dir.path()), fixed, "idempotent");
}

#[test]
fn diff_prints_the_fixes_and_writes_nothing() {
    let dir = copy_fixture("fix");
    let before = tree(dir.path());
    let (stdout, stderr, code) = run_in(dir.path(), &["check", "--diff"]);
    assert_eq!(code, 1, "a diff means something to fix: {stderr}");
    assert!(
        stderr.contains("would fix 10 findings in 1 file"),
        "{stderr}"
    );
    insta::assert_snapshot!("fix_diff", stdout);
    assert_eq!(tree(dir.path()), before, "--diff writes nothing");
    let (unsafe_diff, _, _) = run_in(dir.path(), &["check", "--diff", "--unsafe-fixes"]);
    assert!(unsafe_diff.contains(
        "+8. Then run [the verification](#verification) and [the old checklist](ops/checklist.md)."
    ));
}

#[test]
fn unsafe_fixes_alone_is_a_usage_error() {
    let dir = copy_fixture("fix");
    let (_, stderr, code) = run_in(dir.path(), &["check", "--unsafe-fixes"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--unsafe-fixes applies with --fix or --diff"),
        "{stderr}"
    );
}

#[test]
fn json_carries_fixes_with_their_applicability() {
    let dir = copy_fixture("fix");
    let (stdout, _, _) = run_in(dir.path(), &["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let fix_of = |rule: &str, line: u64| {
        diagnostics
            .iter()
            .find(|d| d["rule"] == rule && d["line"] == line)
            .unwrap_or_else(|| panic!("{rule} at {line}"))["fix"]
            .clone()
    };
    assert_eq!(
        fix_of("missing-script", 12),
        serde_json::json!({
            "applicability": "safe",
            "description": "replace `tset` with `test`",
            "edits": [{"line": 12, "column": 25, "end_line": 12, "end_column": 29, "content": "test"}],
        })
    );
    assert_eq!(fix_of("unknown-service", 16)["applicability"], "unsafe");
    // Two targets one edit away: no fix at all.
    assert!(fix_of("missing-make-target", 13).is_null());
    // The env var is renamed everywhere it is written, in one fix.
    assert_eq!(
        fix_of("undeclared-env-var", 7)["edits"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn mojibake_is_repaired_byte_for_byte() {
    let dir = copy_fixture("mojibake");
    let expected = std::fs::read(dir.path().join("runbook.md.fixed")).unwrap();
    let broken = std::fs::read(dir.path().join("runbook.md")).unwrap();
    assert_ne!(broken, expected);
    let (stdout, stderr, code) = run_in(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(code, 0, "warnings only: {stderr}");
    assert_eq!(
        stdout.lines().count(),
        10,
        "one finding per broken line:\n{stdout}"
    );
    let (_, stderr, code) = run_in(dir.path(), &["check", "--fix"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("fixed 10 findings in 1 file"), "{stderr}");
    let repaired = std::fs::read(dir.path().join("runbook.md")).unwrap();
    assert!(
        repaired == expected,
        "not byte-exact:\n{}",
        String::from_utf8_lossy(&repaired)
    );
    let (stdout, _, _) = run_in(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(stdout, "", "nothing left after the repair");
}

#[test]
fn files_that_are_not_utf8_are_never_rewritten() {
    let dir = copy_fixture("fix");
    let path = dir.path().join(RUNBOOK);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice(b"\nCaf\xe9 (Latin-1)\n");
    std::fs::write(&path, &bytes).unwrap();
    let (_, stderr, _) = run_in(dir.path(), &["check", "--fix"]);
    assert!(stderr.contains("not valid UTF-8"), "{stderr}");
    assert!(stderr.contains("not fixed"), "{stderr}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}
