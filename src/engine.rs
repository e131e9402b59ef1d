//! The pipeline: discover files, load each project's settings and facts once, lint files in
//! parallel, apply suppressions and configured severities, and sort the findings.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Settings;
use crate::diagnostic::{Diagnostic, Level, Severity};
use crate::discover::{self, RootFinder};
use crate::document::{Document, ParseOptions};
use crate::facts::ProjectFacts;
use crate::fix::{self, FixMode};
use crate::rules::{self, Rule, RuleContext};
use crate::span::LineIndex;
use crate::suppress::Suppressions;

pub use crate::findings::{CheckResult, FileFindings, Finding, FixedText, ToolError};
pub use crate::robust::DEFAULT_MAX_FILE_BYTES;

/// What to check.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Files and directories; empty means the current directory.
    pub paths: Vec<PathBuf>,
    /// Project root for every file, instead of discovering it.
    pub root: Option<PathBuf>,
    /// Config file for every project, instead of discovering it.
    pub config: Option<PathBuf>,
    /// Base for relative display paths (normally the current directory).
    pub base: PathBuf,
    /// Worker threads for linting; `None` uses every core. Output does not depend on it.
    pub threads: Option<usize>,
    /// Markdown files over this many bytes are skipped with a warning; `None` uses the
    /// project's `max-file-size` setting, else [`DEFAULT_MAX_FILE_BYTES`].
    pub max_file_size: Option<u64>,
    /// The date review dates are judged against (`--today`), over the config's `today`.
    pub today: Option<crate::date::Date>,
    /// Apply `include` to files named explicitly too, not only `exclude`: pre-commit and
    /// `--changed-since` name every changed Markdown file, not just runbooks.
    pub force_select: bool,
    /// Drop each file's text once it is linted: for reports that never show source lines
    /// (JSON, concise, GitHub, JUnit without a baseline), so memory follows the findings only.
    pub drop_source: bool,
    /// Fix what can be fixed (`--fix`, `--unsafe-fixes`, `--diff`): the fixed text comes back
    /// in [`FileFindings::fixed`] and the findings are those of the fixed text. Nothing is
    /// written here; the caller writes or diffs.
    pub fix: FixMode,
}

/// One project root: its settings, facts and rules, loaded once and shared by its runbooks.
/// The batch run and the language server lint through it alike ([`Project::lint`]).
pub struct Project {
    settings: Settings,
    facts: ProjectFacts,
    /// Built-in rules plus the project's packs.
    rules: Vec<Box<dyn Rule>>,
    /// Parse options from the settings, built once per project rather than per file.
    parse_options: ParseOptions,
}

impl Project {
    /// A project with these settings and no facts yet.
    fn with_settings(settings: Settings) -> Project {
        Project {
            parse_options: ParseOptions {
                context_words: settings.context_words.clone(),
            },
            rules: rules::rule_set(&settings),
            settings,
            facts: ProjectFacts::default(),
        }
    }

    /// Loads the project at `root`: its config (`config` instead of the discovered one when
    /// given; a broken config is an error) and its manifests (broken ones become
    /// `invalid-manifest` problems in [`Project::facts`]).
    pub fn load(
        root: &Path,
        config: Option<&Path>,
        today: Option<crate::date::Date>,
    ) -> Result<Project, ToolError> {
        let mut settings = Settings::load(root, config, &rules::known_rules())?;
        if today.is_some() {
            settings.today = today;
        }
        let mut project = Project::with_settings(settings);
        project.facts = ProjectFacts::load(root);
        Ok(project)
    }

    /// The project at `root` with the default settings (its config could not be read).
    pub fn load_default(root: &Path) -> Project {
        let mut project = Project::with_settings(Settings::default());
        project.facts = ProjectFacts::load(root);
        project
    }

    /// A project with no root: default settings and no manifests (an unsaved buffer).
    pub fn detached() -> Project {
        Project::with_settings(Settings::default())
    }

    /// The resolved configuration.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The manifests' facts.
    pub fn facts(&self) -> &ProjectFacts {
        &self.facts
    }

    /// The rules that run on this project's runbooks.
    pub fn rules(&self) -> &[Box<dyn Rule>] {
        &self.rules
    }

    /// Lints one runbook's text (saved or not); `relative` is its path from the project root.
    /// Findings are suppressed, given their configured severities, masked and sorted exactly
    /// as in a batch run.
    pub fn lint(&self, text: &str, relative: &str) -> Vec<Finding> {
        lint_source(self, &self.rules, text, relative)
    }

    /// Lints and applies the fixes `mode` allows, again until nothing more applies (at most
    /// [`fix::MAX_PASSES`]). The findings are those of the final text.
    pub fn fix(&self, text: &str, relative: &str, mode: FixMode) -> Fixed {
        let mut current = text.to_string();
        let mut findings = self.lint(&current, relative);
        let mut applied = 0;
        for _ in 0..fix::MAX_PASSES {
            let fixes = findings
                .iter()
                .filter_map(|f| f.fix.as_ref())
                .filter(|f| mode.allows(f.applicability));
            let (next, count) = fix::apply(&current, fixes);
            if count == 0 || next == current {
                break;
            }
            applied += count;
            current = next;
            findings = self.lint(&current, relative);
        }
        Fixed {
            text: current,
            applied,
            findings,
        }
    }
}

/// The outcome of [`Project::fix`].
#[derive(Debug)]
pub struct Fixed {
    /// The text after every fix.
    pub text: String,
    /// Fixes applied.
    pub applied: usize,
    /// The findings of the fixed text.
    pub findings: Vec<Finding>,
}

/// Runs the check. A broken config is fatal (`Err`); unreadable files are collected in
/// [`CheckResult::errors`] while the other files are still linted.
pub fn check(options: &CheckOptions) -> Result<CheckResult, ToolError> {
    // Always a pool of our own: its threads get a stack deep enough for pathological
    // nesting (see `robust::WORKER_STACK_BYTES`), and `--threads` sizes it.
    let pool = crate::robust::thread_pool(options.threads).map_err(|message| ToolError::Io {
        path: "thread pool".to_string(),
        message,
    })?;
    pool.install(|| check_in_pool(options))
}

fn check_in_pool(options: &CheckOptions) -> Result<CheckResult, ToolError> {
    let known = rules::known_rules();
    let mut result = CheckResult::default();

    // 1. Discover files, and the projects whose manifests were named.
    let paths = if options.paths.is_empty() {
        vec![options.base.clone()]
    } else {
        options.paths.clone()
    };
    let mut files: Vec<(PathBuf, bool)> = Vec::new(); // (absolute path, named explicitly)
    let mut manifest_roots: Vec<PathBuf> = Vec::new();
    let mut finder = RootFinder::default();
    for path in &paths {
        let absolute = absolutize(&options.base, path);
        match std::fs::metadata(&absolute) {
            Err(error) => result.errors.push(ToolError::Io {
                path: display_path(&options.base, &absolute),
                message: io_message(&error),
            }),
            Ok(meta) if meta.is_dir() => files.extend(
                discover::walk_markdown(&absolute)
                    .into_iter()
                    .map(|p| (p, false)),
            ),
            Ok(_) if discover::is_manifest(&absolute) && !discover::is_markdown(&absolute) => {
                let dir = absolute.parent().unwrap_or(Path::new("/"));
                let root = options.root.clone().unwrap_or_else(|| finder.root_for(dir));
                manifest_roots.push(root);
            }
            // A named Dockerfile or config.yml is not a runbook: parsed as Markdown, its
            // comments would be headings and its `[TBD]` values placeholders.
            Ok(_) if discover::is_not_markdown(&absolute) => result.warnings.push(format!(
                "{}: skipped, not a Markdown file",
                display_path(&options.base, &absolute)
            )),
            Ok(_) => files.push((absolute, true)),
        }
    }
    manifest_roots.sort();
    manifest_roots.dedup();
    for root in &manifest_roots {
        files.extend(
            discover::walk_markdown(root)
                .into_iter()
                .map(|p| (p, false)),
        );
    }
    files.sort();
    files.dedup_by(|a, b| a.0 == b.0);

    // 2. Group by project root; load each project's settings (fatal if broken) and facts.
    let mut by_root: BTreeMap<PathBuf, Vec<(PathBuf, bool)>> = BTreeMap::new();
    for (file, explicit) in files {
        let dir = file.parent().unwrap_or(Path::new("/"));
        let root = options.root.clone().unwrap_or_else(|| finder.root_for(dir));
        by_root.entry(root).or_default().push((file, explicit));
    }
    for root in &manifest_roots {
        by_root.entry(root.clone()).or_default();
    }
    let mut projects: BTreeMap<PathBuf, Project> = BTreeMap::new();
    for root in by_root.keys() {
        let mut settings = Settings::load(root, options.config.as_deref(), &known)?;
        if options.today.is_some() {
            settings.today = options.today;
        }
        projects.insert(root.clone(), Project::with_settings(settings));
    }
    let roots: Vec<&PathBuf> = projects.keys().collect();
    let loaded: Vec<ProjectFacts> = roots
        .par_iter()
        .map(|root| ProjectFacts::load(root))
        .collect();
    let roots: Vec<PathBuf> = roots.into_iter().cloned().collect();
    for (root, facts) in roots.into_iter().zip(loaded) {
        if let Some(project) = projects.get_mut(&root) {
            project.facts = facts;
        }
    }

    // 3. Lint every selected file in parallel.
    let mut jobs: Vec<(&Project, PathBuf, String)> = Vec::new();
    for (root, files) in &by_root {
        let project = &projects[root];
        for (file, explicit) in files {
            let relative = relative_to(root, file);
            let selected = if *explicit && !options.force_select {
                project
                    .settings
                    .exclude
                    .as_ref()
                    .is_none_or(|set| !set.is_match(&relative))
            } else {
                project.settings.selects(&relative)
            };
            if selected {
                jobs.push((project, file.clone(), relative));
            }
        }
    }
    result.files_checked = jobs.len();
    let outcomes: Vec<FileOutcome> = jobs
        .par_iter()
        .map(|(project, file, relative)| {
            let limit = options
                .max_file_size
                .or(project.settings.max_file_size)
                .unwrap_or(DEFAULT_MAX_FILE_BYTES);
            let mut outcome = lint_file(project, file, relative, &options.base, limit, options.fix);
            if let (true, FileOutcome::Linted(findings, _)) = (options.drop_source, &mut outcome) {
                findings.source = Arc::from("");
            }
            outcome
        })
        .collect();
    for outcome in outcomes {
        match outcome {
            FileOutcome::Linted(findings, note) => {
                result.warnings.extend(note);
                if !findings.findings.is_empty() || findings.fixed.is_some() {
                    result.files.push(findings);
                }
            }
            FileOutcome::Skipped(note) => {
                // Skipped files were not linted.
                result.files_checked -= 1;
                result.warnings.push(note);
            }
            FileOutcome::Failed(error) => result.errors.push(error),
        }
    }

    // 4. Broken manifests, reported once per project.
    for (root, project) in &projects {
        for problem in &project.facts.problems {
            let level = project
                .settings
                .level("invalid-manifest")
                .unwrap_or(Level::On(Severity::Error));
            let Some(severity) = level.severity() else {
                continue;
            };
            // A manifest excerpt (an env file) may hold a secret too.
            let source: Arc<str> = match crate::redact::redact(&problem.source) {
                std::borrow::Cow::Borrowed(_) => problem.source.clone(),
                std::borrow::Cow::Owned(masked) => Arc::from(masked),
            };
            let index = LineIndex::new(&source);
            result.files.push(FileFindings {
                path: display_path(&options.base, &root.join(&problem.path)),
                findings: vec![Finding {
                    rule: "invalid-manifest".to_string(),
                    severity,
                    span: problem.span,
                    location: index.locate(&source, problem.span),
                    message: problem.message.clone(),
                    label: None,
                    help: Some(
                        "fix the manifest; runbooks are checked against what could be read"
                            .to_string(),
                    ),
                    fix: None,
                    fix_locations: Vec::new(),
                    checked: Some(problem.path.clone()),
                }],
                source,
                fixed: None,
            });
        }
    }

    result.files.sort_by(|a, b| a.path.cmp(&b.path));
    // The same manifest problem can be reached from two roots; report it once.
    result
        .files
        .dedup_by(|a, b| a.path == b.path && a.findings == b.findings);
    Ok(result)
}

enum FileOutcome {
    /// Linted, with a note when the text had to be decoded lossily.
    Linted(FileFindings, Option<String>),
    Skipped(String),
    Failed(ToolError),
}

fn lint_file(
    project: &Project,
    file: &Path,
    relative: &str,
    base: &Path,
    max_bytes: u64,
    mode: FixMode,
) -> FileOutcome {
    let display = display_path(base, file);
    let text = match crate::robust::read_runbook(file, max_bytes) {
        crate::robust::Read::Text(text) => text,
        crate::robust::Read::Skip(why) => return FileOutcome::Skipped(format!("{display}: {why}")),
        crate::robust::Read::Fail(error) => {
            return FileOutcome::Failed(ToolError::Io {
                path: display,
                message: io_message(&error),
            })
        }
    };
    // Only a named file reaches here without a Markdown extension (`RUNBOOK`, `Dockerfile`):
    // its text decides.
    if !discover::is_markdown(file) && !crate::document::looks_like_markdown(&text.text) {
        return FileOutcome::Skipped(format!("{display}: skipped, not a Markdown file"));
    }
    let note = match (text.lossy, mode) {
        (false, _) => None,
        (true, FixMode::Off) => Some(format!(
            "{display}: not valid UTF-8; invalid bytes were replaced with U+FFFD"
        )),
        // Writing the decoded text back would turn the invalid bytes into U+FFFD for good.
        (true, _) => Some(format!(
            "{display}: not valid UTF-8; invalid bytes were replaced with U+FFFD; not fixed"
        )),
    };
    let (findings, text, fixed) = if mode == FixMode::Off || text.lossy {
        (project.lint(&text.text, relative), text.text, None)
    } else {
        let outcome = project.fix(&text.text, relative, mode);
        let fixed = (outcome.applied > 0).then(|| FixedText {
            file: file.to_path_buf(),
            original: text.text,
            fixed: outcome.text.clone(),
            applied: outcome.applied,
        });
        (outcome.findings, outcome.text, fixed)
    };
    // Only files with findings keep their text (for rendering), so memory stays bounded by
    // the findings, not by the size of the tree.
    let source: Arc<str> = if findings.is_empty() {
        Arc::from("")
    } else {
        Arc::from(text)
    };
    // Secrets are masked in the text every report format prints from (same byte length).
    let source = match crate::redact::redact(&source) {
        std::borrow::Cow::Borrowed(_) => source,
        std::borrow::Cow::Owned(masked) => Arc::from(masked),
    };
    FileOutcome::Linted(
        FileFindings {
            path: display,
            source,
            findings,
            fixed,
        },
        note,
    )
}

/// Lints one runbook's text; `relative` is its path from the project root.
fn lint_source(
    project: &Project,
    rules: &[Box<dyn Rule>],
    source: &str,
    relative: &str,
) -> Vec<Finding> {
    let doc = Document::parse(source, &project.parse_options);
    let cx = RuleContext {
        doc: &doc,
        source,
        path: relative,
        project: &project.facts,
        settings: &project.settings,
    };
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    for rule in rules {
        let id = rule.meta().id;
        if project.settings.level(id) == Some(Level::Off) {
            continue;
        }
        rule.check(&mut crate::rules::Cx::new(
            &cx,
            rule.meta(),
            &mut diagnostics,
        ));
    }
    let index = LineIndex::new(source);
    let suppressions = Suppressions::from_document(&doc, source, &index);
    let mut findings: Vec<Finding> = diagnostics
        .into_iter()
        .filter_map(|d| {
            let location = index.locate(source, d.span);
            if suppressions.suppressed(&d.rule, location.line) {
                return None;
            }
            let severity = match project.settings.level(&d.rule) {
                Some(Level::Off) => return None,
                Some(Level::On(severity)) => severity,
                None => d.severity,
            };
            // A fix that would print a secret (in JSON, SARIF, an editor) is not offered.
            let fix = d.fix.filter(|fix| {
                fix.fits(source)
                    && fix
                        .edits
                        .iter()
                        .all(|e| matches!(crate::redact::redact(&e.replacement), Cow::Borrowed(_)))
            });
            let fix_locations = fix
                .iter()
                .flat_map(|fix| &fix.edits)
                .map(|edit| index.locate(source, edit.span))
                .collect();
            Some(Finding {
                rule: d.rule,
                severity,
                span: d.span,
                location,
                message: crate::redact::redact(&d.message).into_owned(),
                label: d.label.map(|l| crate::redact::redact(&l).into_owned()),
                help: d.help.map(|h| crate::redact::redact(&h).into_owned()),
                fix,
                fix_locations,
                checked: d.checked,
            })
        })
        .collect();
    findings.sort_by(|a, b| {
        (a.location.line, a.location.column, &a.rule, &a.message).cmp(&(
            b.location.line,
            b.location.column,
            &b.rule,
            &b.message,
        ))
    });
    findings.dedup_by(|a, b| a.rule == b.rule && a.span == b.span && a.message == b.message);
    findings
}

fn absolutize(base: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    }
}

/// `path` relative to `base` when under it, `/`-separated, without `./`.
pub fn display_path(base: &Path, path: &Path) -> String {
    let shown = path.strip_prefix(base).unwrap_or(path);
    let text = shown.to_string_lossy().replace('\\', "/");
    let text = text.trim_start_matches("./").to_string();
    if text.is_empty() {
        ".".to_string()
    } else {
        text
    }
}

fn relative_to(root: &Path, file: &Path) -> String {
    file.strip_prefix(root)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|_| file.to_string_lossy().replace('\\', "/"))
}

fn io_message(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    }
}
