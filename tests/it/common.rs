//! Running the binary from integration tests: one place for the environment every test wants
//! (no inherited NO_COLOR, a timeout so a hang fails instead of stalling CI).

#![allow(dead_code)] // each test binary uses its own subset

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;

/// The binary, run in `dir`.
pub fn runbook_lint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("runbook-lint").expect("binary builds");
    cmd.current_dir(dir)
        .env_remove("NO_COLOR")
        .timeout(Duration::from_secs(120));
    cmd
}

/// Runs the binary with `args` in `dir`; returns (stdout, stderr, exit code), decoded lossily
/// so a test of odd input still sees the output.
pub fn run_in(dir: &Path, args: &[&str]) -> (String, String, i32) {
    let output = runbook_lint(dir).args(args).output().expect("binary runs");
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output
            .status
            .code()
            .expect("exited, not killed by a signal"),
    )
}

/// Runs the binary with `args` at the crate root, where `fixtures/` is.
pub fn run(args: &[&str]) -> (String, String, i32) {
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// Copies the tree at `from` into `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
