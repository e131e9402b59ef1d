//! GitHub CLI: `gh secret set NAME` and `gh variable set NAME` store an Actions secret or
//! variable (`--body` gives the value, stdin otherwise); `gh workflow run NAME -f key=value`
//! runs a workflow of this repository by hand.

use crate::command::invocation::{EnvStore, Invocation, WorkflowRun};
use crate::command::shell::Word;

/// Options of `gh workflow run` that take a value.
const RUN_VALUED: &[&str] = &[
    "-f",
    "--raw-field",
    "-F",
    "--field",
    "-r",
    "--ref",
    "-R",
    "--repo",
];

/// Options of `gh workflow run` that pass an input.
const INPUT_FLAGS: &[&str] = &["-f", "--raw-field", "-F", "--field"];

/// Options of `gh secret set` that take a value.
const VALUED: &[&str] = &[
    "-b",
    "--body",
    "-e",
    "--env",
    "-o",
    "--org",
    "-R",
    "--repo",
    "-a",
    "--app",
    "-f",
    "--env-file",
    "-v",
    "--visibility",
    "-r",
    "--repos",
];

/// The secret or variable `gh secret set` / `gh variable set` stores.
pub(super) fn understand(invocation: &mut Invocation) {
    invocation.workflow = workflow_run(invocation.args());
    let args = invocation.args();
    let positionals = super::secrets::positionals(args, VALUED);
    if let [kind, set, name, ..] = positionals.as_slice() {
        if matches!(kind.text.as_str(), "secret" | "variable") && set.text == "set" {
            let body = super::secrets::flag_value(args, &["--body", "-b"]).map(|(_, v)| v);
            invocation.env_stored.extend(super::secrets::named(
                name,
                &name.text,
                body,
                &EnvStore::GithubActions,
            ));
        }
    }
}

/// `gh workflow run NAME [-f key=value]...`; `None` for another repository's workflow
/// (`-R owner/repo`) or when gh asks which one (no name).
fn workflow_run(args: &[Word]) -> Option<WorkflowRun> {
    let positionals = super::secrets::positionals(args, RUN_VALUED);
    let [workflow, run, name, ..] = positionals.as_slice() else {
        return None;
    };
    if workflow.text != "workflow" || run.text != "run" {
        return None;
    }
    let other_repo = args
        .iter()
        .any(|w| matches!(w.text.as_str(), "-R" | "--repo") || w.text.starts_with("--repo="));
    if other_repo {
        return None;
    }
    let mut inputs = Vec::new();
    for (i, word) in args.iter().enumerate() {
        let value = if INPUT_FLAGS.contains(&word.text.as_str()) {
            args.get(i + 1).map(|w| (w, w.text.as_str()))
        } else {
            ["--field=", "--raw-field="]
                .iter()
                .find_map(|p| word.text.strip_prefix(p))
                .map(|v| (word, v))
        };
        if let Some((word, value)) = value {
            if let Some((key, _)) = value.split_once('=') {
                let mut input = word.clone();
                input.text = key.to_string();
                inputs.push(input);
            }
        }
    }
    Some(WorkflowRun {
        workflow: Some((*name).clone()),
        inputs,
        jobs: Vec::new(),
    })
}

/// `act [EVENT] -j JOB` (or `--job`): the jobs of the repository's workflows it runs.
pub(super) fn act(invocation: &mut Invocation) {
    let args = invocation.args();
    let jobs: Vec<Word> = args
        .iter()
        .enumerate()
        .filter_map(|(i, w)| match w.text.as_str() {
            "-j" | "--job" => args.get(i + 1).cloned(),
            text => text.strip_prefix("--job=").map(|job| {
                let mut word = w.clone();
                word.text = job.to_string();
                word
            }),
        })
        .collect();
    if !jobs.is_empty() {
        invocation.workflow = Some(WorkflowRun {
            jobs,
            ..WorkflowRun::default()
        });
    }
}
