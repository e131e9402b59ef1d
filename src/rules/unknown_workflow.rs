use super::Cx;
use crate::command::Word;
use crate::diagnostic::did_you_mean_text;
use crate::facts::workflows::Workflow;
use crate::span::Span;

declare_rule! {
    /// ## What it does
    /// Checks GitHub Actions commands against the repository's workflows
    /// (`.github/workflows/*.yml`): that `gh workflow run NAME` names a workflow by its file
    /// name, path or `name:`, that the workflow can be run by hand (its `on:` has
    /// `workflow_dispatch`), that every `-f key=value` (`-F`, `--field`, `--raw-field`)
    /// is an input its `workflow_dispatch` declares, and that `act -j JOB` names a job of
    /// some workflow.
    ///
    /// It stays silent when the repository has no workflows, for another repository's
    /// workflow (`-R owner/repo`), for a workflow id or a placeholder, and when a workflow
    /// file is empty or not valid YAML and no readable workflow matches (what it declares is
    /// unknown).
    ///
    /// ## Why is this bad?
    /// `gh workflow run rotate-key.yml` fails with `could not find any workflows named
    /// rotate-key.yml` when the file is `rotate-keys.yml`; a workflow without
    /// `workflow_dispatch` answers `HTTP 422: Workflow does not have 'workflow_dispatch'
    /// trigger`, and an undeclared input `Unexpected inputs provided`. The manual job the
    /// runbook relies on (a key rotation, a cache purge, a rollback) does not start.
    ///
    /// ## Example
    /// ```markdown
    /// gh workflow run rotate-key.yml -f enviroment=production
    /// ```
    ///
    /// Use instead (the file and the input the workflow declares):
    /// ```markdown
    /// gh workflow run rotate-keys.yml -f environment=production
    /// ```
    pub struct UnknownWorkflow {
        id: "unknown-workflow",
        severity: Error,
        summary: "a gh workflow run or act command names a workflow, input or job the repository's workflows do not declare",
    }
}

impl UnknownWorkflow {
    fn run(&self, cx: &mut Cx<'_, '_>) {
        let facts = &cx.project.workflows;
        if facts.workflows.is_empty() {
            return;
        }
        for command in &cx.doc.commands {
            for invocation in command.invocations.iter().filter(|i| i.is_local()) {
                let Some(run) = &invocation.workflow else {
                    continue;
                };
                if let Some(word) = &run.workflow {
                    workflow(cx, word, &run.inputs);
                }
                for job in &run.jobs {
                    job_exists(cx, job);
                }
            }
        }
    }
}

/// True for a word that is not a literal name: `$WORKFLOW`, `<workflow>`, `{name}`.
fn is_placeholder(text: &str) -> bool {
    text.is_empty() || text.contains(['$', '<', '>', '{', '[', '*', '`', '('])
}

fn workflow(cx: &mut Cx<'_, '_>, word: &Word, inputs: &[Word]) {
    let facts = &cx.project.workflows;
    let name = word.text.as_str();
    // A workflow id (`gh workflow run 1234567`).
    if is_placeholder(name) || name.bytes().all(|b| b.is_ascii_digit()) {
        return;
    }
    let Some(found) = facts.workflows.iter().find(|w| w.is_named(name)) else {
        if facts.incomplete {
            return;
        }
        let is_file = name.ends_with(".yml") || name.ends_with(".yaml");
        let candidates: Vec<&str> = facts
            .workflows
            .iter()
            .flat_map(|w| {
                let file = is_file.then(|| w.file_name());
                let title = (!is_file).then_some(w.name.as_deref()).flatten();
                file.into_iter().chain(title)
            })
            .collect();
        let listed: Vec<String> = facts
            .workflows
            .iter()
            .filter(|w| w.dispatch)
            .take(12)
            .map(describe)
            .collect();
        let available = if listed.is_empty() {
            "no workflow has a `workflow_dispatch` trigger".to_string()
        } else {
            format!("workflows that run by hand: {}", listed.join(", "))
        };
        let help = match did_you_mean_text(name, candidates.iter().copied()) {
            Some(hint) => format!("{hint} ({available})"),
            None => available,
        };
        let fix = crate::fix::did_you_mean_fix(cx.source, word.span, name, &candidates);
        cx.report(
            word.span,
            format!("workflow `{name}` is not in .github/workflows"),
        )
        .label("no such workflow")
        .help(help)
        .fix(fix);
        return;
    };
    if !found.dispatch {
        let file = found.file.clone();
        cx.report(
            word.span,
            format!("workflow `{name}` has no `workflow_dispatch` trigger"),
        )
        .label("cannot be run by hand")
        .help(format!(
            "add `workflow_dispatch:` under `on:` in {file}, or trigger the workflow the way its `on:` says"
        ))
        .checked(&file);
        return;
    }
    let declared: Vec<&str> = found.inputs.iter().map(String::as_str).collect();
    let file = found.file.clone();
    for input in inputs {
        let key = input.text.as_str();
        if is_placeholder(key) || declared.contains(&key) {
            continue;
        }
        let span = key_span(cx.source, input);
        let available = if declared.is_empty() {
            format!("{file} declares no inputs")
        } else {
            let listed: Vec<String> = declared.iter().map(|d| format!("`{d}`")).collect();
            format!("inputs of {file}: {}", listed.join(", "))
        };
        let help = match did_you_mean_text(key, declared.iter().copied()) {
            Some(hint) => format!("{hint} ({available})"),
            None => available,
        };
        let fix = crate::fix::did_you_mean_fix(cx.source, span, key, &declared);
        cx.report(
            span,
            format!("input `{key}` is not declared by workflow `{name}`"),
        )
        .label("not under workflow_dispatch.inputs")
        .help(help)
        .fix(fix)
        .checked(&file);
    }
}

fn job_exists(cx: &mut Cx<'_, '_>, job: &Word) {
    let facts = &cx.project.workflows;
    let name = job.text.as_str();
    if is_placeholder(name) || facts.incomplete || facts.workflows.iter().any(|w| w.jobs.contains(name))
    {
        return;
    }
    let jobs: Vec<&str> = facts
        .workflows
        .iter()
        .flat_map(|w| w.jobs.iter().map(String::as_str))
        .collect();
    let listed: Vec<String> = jobs.iter().take(20).map(|j| format!("`{j}`")).collect();
    let available = format!("jobs: {}", listed.join(", "));
    let help = match did_you_mean_text(name, jobs.iter().copied()) {
        Some(hint) => format!("{hint} ({available})"),
        None => available,
    };
    let fix = crate::fix::did_you_mean_fix(cx.source, job.span, name, &jobs);
    cx.report(
        job.span,
        format!("job `{name}` is not defined by any workflow in .github/workflows"),
    )
    .label("no such job")
    .help(help)
    .fix(fix);
}

/// `deploy.yml` (“Deploy to production”).
fn describe(workflow: &Workflow) -> String {
    match &workflow.name {
        Some(name) => format!("`{}` ({name})", workflow.file_name()),
        None => format!("`{}`", workflow.file_name()),
    }
}

/// The span of the key of `key=value`, when the word is written so (unquoted, no `--field=`);
/// the whole word otherwise.
fn key_span(source: &str, input: &Word) -> Span {
    let written = source.get(input.span.start..input.span.end).unwrap_or("");
    if written.starts_with(&format!("{}=", input.text)) {
        Span::new(input.span.start, input.span.start + input.text.len())
    } else {
        input.span
    }
}
