//! Helm: the values files (`-f`, `--values`) and the local chart (`./charts/app`) of
//! `install`, `upgrade`, `template`, `lint`, `diff`; options that take a value.

use crate::command::invocation::{FileArg, FileRole, Invocation};

/// Subcommands that read values files and a chart.
const READS: &[&str] = &["install", "upgrade", "template", "lint", "diff", "package"];

/// Adds the values files and the local chart directory the invocation reads.
pub(super) fn understand(invocation: &mut Invocation) {
    let args = invocation.args();
    let positionals = invocation.positionals();
    if !positionals.first().is_some_and(|s| READS.contains(s)) {
        return;
    }
    let mut found = super::files_read_by(args, &["-f", "--values"]);
    // A chart written as a relative path (`./charts/app`); `repo/chart` is a repository's.
    let charts = args.iter().filter(|w| {
        (w.text.starts_with("./") || w.text.starts_with("../"))
            && positionals.contains(&w.text.as_str())
    });
    found.extend(charts.map(|w| FileArg {
        word: w.clone(),
        role: FileRole::Directory,
    }));
    invocation.files_read.extend(found);
}

/// helm options that take a value.
pub(super) const VALUE_FLAGS: &[&str] = &[
    "-n",
    "--namespace",
    "--kube-context",
    "-f",
    "--values",
    "--set",
    "--version",
    "-o",
    "--output",
    "--set-string",
    "--set-file",
    "--set-json",
    "--timeout",
    "--repo",
    "--description",
    "--history-max",
    "--kubeconfig",
    "--post-renderer",
    "--username",
    "--password",
];
