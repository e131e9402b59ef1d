//! The pipeline: discover files, load each project's settings and facts once, lint files in
//! parallel, apply suppressions and configured severities, and sort the findings.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Settings;
use crate::diagnostic::{Diagnostic, Severity};
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
    /// `--select`, `--extend-select`, `--ignore`: over every project's config.
    pub selection: crate::config::Selection,
    /// A document read from stdin (`check -`): linted instead of walking `paths`, as if it
    /// were the file at its path (`--stdin-filename`): that file's project, config and name.
    pub stdin: Option<StdinDocument>,
}

/// A document given on stdin.
#[derive(Debug, Clone)]
pub struct StdinDocument {
    /// Where it is, absolute (it need not exist): `--stdin-filename`, else `-` in the
    /// working directory.
    pub path: PathBuf,
    /// Its text.
    pub text: crate::robust::Text,
}

/// One project root: its settings, facts and rules, loaded once and shared by its runbooks.
/// The batch run and the language server lint through it alike ([`Project::lint`]).
pub struct Project {
    /// The canonical root runbooks must resolve inside (`None`: none, or it could not be
    /// resolved: no file is read).
    contained: Option<crate::fsio::Root>,
    /// False when loading the facts failed (a bug): its runbooks are not linted.
    loaded: bool,
    settings: Settings,
    facts: ProjectFacts,
    /// Built-in rules plus the project's packs.
    rules: Vec<Box<dyn Rule>>,
    /// Whether each rule of `rules` may report anything under the settings (it runs).
    active: Vec<bool>,
    /// Every rule and pack entry id a suppression may name, sorted.
    known_ids: Vec<String>,
    /// Pack entry id → the rule that reports it.
    entry_rule: HashMap<String, String>,
    /// Parse options from the settings, built once per project rather than per file.
    parse_options: ParseOptions,
}

impl Project {
    /// A project with these settings and no facts yet.
    fn with_settings(settings: Settings) -> Project {
        let rules = rules::rule_set(&settings);
        Project::with_rules(settings, rules)
    }

    /// A project with these settings and rules, and no facts yet.
    fn with_rules(settings: Settings, rules: Vec<Box<dyn Rule>>) -> Project {
        let mut entry_rule = HashMap::new();
        let mut known_ids: Vec<String> = rules::ENGINE_RULES
            .iter()
            .map(|m| m.id.to_string())
            .collect();
        let mut active = Vec::new();
        for rule in &rules {
            let id = rule.meta().id;
            known_ids.push(id.to_string());
            let entries: Vec<&str> = rule
                .pack()
                .map(|p| p.entries.iter().map(|e| e.id.as_str()).collect())
                .unwrap_or_default();
            for entry in &entries {
                known_ids.push(entry.to_string());
                entry_rule
                    .entry(entry.to_string())
                    .or_insert_with(|| id.to_string());
            }
            active.push(settings.may_report(id, &entries, rules::on_by_default(id)));
        }
        known_ids.sort();
        known_ids.dedup();
        Project {
            contained: None,
            loaded: true,
            parse_options: ParseOptions {
                context_words: settings.context_words.clone(),
            },
            rules,
            active,
            known_ids,
            entry_rule,
            settings,
            facts: ProjectFacts::default(),
        }
    }

    /// Every rule and pack entry id the project knows (suppressions and `--select` may name
    /// them), sorted.
    pub fn known_ids(&self) -> &[String] {
        &self.known_ids
    }

    /// Loads the project at `root`: its config (`config` instead of the discovered one when
    /// given; a broken config is an error) and its manifests (broken ones become
    /// `invalid-manifest` problems in [`Project::facts`]). A `config` inside the root must
    /// resolve inside it (see [`crate::fsio::user_path_root`]).
    pub fn load(
        root: &Path,
        config: Option<&Path>,
        today: Option<crate::date::Date>,
    ) -> Result<Project, ToolError> {
        let mut settings = Settings::load(root, config, root, &rules::known_rules())?;
        if today.is_some() {
            settings.today = today;
        }
        let mut project = Project::with_settings(settings);
        project.load_facts(root);
        Ok(project)
    }

    /// The project at `root` with the default settings (its config could not be read).
    pub fn load_default(root: &Path) -> Project {
        let mut project = Project::with_settings(Settings::default());
        project.load_facts(root);
        project
    }

    /// Reads the manifests at `root`; a bug while doing so leaves the facts empty and the
    /// project unlinted (returned as the error's message).
    fn load_facts(&mut self, root: &Path) -> Option<String> {
        self.contained = crate::fsio::Root::new(root).ok();
        match crate::robust::isolated(|| ProjectFacts::load(root)) {
            Ok(facts) => {
                self.facts = facts;
                None
            }
            Err(message) => {
                self.loaded = false;
                Some(message)
            }
        }
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
    /// as in a batch run. Nothing when the project's manifests could not be loaded (a bug):
    /// findings against empty facts would be false alarms.
    pub fn lint(&self, text: &str, relative: &str) -> Vec<Finding> {
        if !self.loaded {
            return Vec::new();
        }
        crate::suggest::with_suggestion_budget(crate::suggest::SUGGESTION_BUDGET_PER_FILE, || {
            lint_source(self, text, relative)
        })
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
    let mut files = Vec::new();
    let mut result = check_streaming(
        options,
        &|file| file,
        &mut |file| files.push(file),
        &mut |_, _| {},
    )?;
    result.files = files;
    Ok(result)
}

/// Runs the check and hands each file's findings over as soon as the files before it (by
/// path) are done, so a report can be written while the rest is still being linted and no
/// whole-run buffer is needed. `per_file` runs on the worker that linted the file (render it
/// there, in parallel); `emit` gets the results one at a time, sorted by path whatever the
/// thread count, with the projects' broken manifests in their places; `progress` gets
/// (files done, files to lint) after each file. The returned result has everything but
/// [`CheckResult::files`].
pub fn check_streaming<R: Send>(
    options: &CheckOptions,
    per_file: &(dyn Fn(FileFindings) -> R + Sync),
    emit: &mut dyn FnMut(R),
    progress: &mut dyn FnMut(usize, usize),
) -> Result<CheckResult, ToolError> {
    // Always a pool of our own: its threads get a stack deep enough for pathological
    // nesting (see `robust::WORKER_STACK_BYTES`), and `--threads` sizes it.
    let pool = crate::robust::thread_pool(options.threads).map_err(|message| ToolError::Io {
        path: "thread pool".to_string(),
        message,
    })?;
    let plan = pool.install(|| check_in_pool(options))?;
    Ok(lint_in_order(
        &pool, options, plan, per_file, emit, progress,
    ))
}

/// A file to lint: its project (an index into [`Plan::projects`]), where it is, its path from
/// the project root and as shown.
struct Job {
    project: usize,
    file: PathBuf,
    relative: String,
    display: String,
}

/// Everything decided before linting: the projects, the files, and the result so far.
struct Plan {
    result: CheckResult,
    projects: Vec<Project>,
    jobs: Vec<Job>,
    /// The projects' broken manifests as findings, sorted by path, duplicates dropped.
    manifests: Vec<FileFindings>,
}

/// What became of one job, as the workers hand it to the writer.
enum Done<R> {
    Linted {
        note: Option<String>,
        file: Option<R>,
    },
    Skipped(String),
    Failed(ToolError),
}

/// Lints the plan's files in parallel and hands them to `emit` in path order. Workers take
/// files in that order (one shared counter rather than rayon's split halves), so the files
/// waiting for an earlier one are few and the memory held is a handful of files, not the run.
fn lint_in_order<R: Send>(
    pool: &rayon::ThreadPool,
    options: &CheckOptions,
    plan: Plan,
    per_file: &(dyn Fn(FileFindings) -> R + Sync),
    emit: &mut dyn FnMut(R),
    progress: &mut dyn FnMut(usize, usize),
) -> CheckResult {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let Plan {
        mut result,
        projects,
        jobs,
        manifests,
    } = plan;
    let total = jobs.len();
    // Output order: by display path (a stable sort: ties keep the walk's order).
    let mut order: Vec<usize> = (0..total).collect();
    order.sort_by(|&a, &b| jobs[a].display.cmp(&jobs[b].display));
    let next = AtomicUsize::new(0);
    let (sender, receiver) = crossbeam_channel::unbounded::<(usize, Done<R>)>();
    // Notes and errors keep the walk's order, as they are printed after the report.
    let mut notes: Vec<(usize, String)> = Vec::new();
    let mut failures: Vec<(usize, ToolError)> = Vec::new();
    let mut skipped = 0;
    pool.in_place_scope(|scope| {
        for _ in 0..pool.current_num_threads().max(1) {
            let sender = sender.clone();
            let (jobs, order, projects, next) = (&jobs, &order, &projects, &next);
            scope.spawn(move |_| loop {
                let position = next.fetch_add(1, Ordering::Relaxed);
                let Some(job) = order.get(position).map(|&i| &jobs[i]) else {
                    break;
                };
                let project = &projects[job.project];
                let limit = options
                    .max_file_size
                    .or(project.settings.max_file_size)
                    .unwrap_or(DEFAULT_MAX_FILE_BYTES);
                let given = options
                    .stdin
                    .as_ref()
                    .filter(|doc| doc.path == job.file)
                    .map(|doc| doc.text.clone());
                let how = HowToLint {
                    base: &options.base,
                    max_bytes: limit,
                    mode: options.fix,
                    keep_source: !options.drop_source,
                };
                let done = match lint_file(project, &job.file, &job.relative, &how, given) {
                    FileOutcome::Linted(findings, note) => {
                        let keep = !findings.findings.is_empty() || findings.fixed.is_some();
                        Done::Linted {
                            note,
                            file: keep.then(|| per_file(findings)),
                        }
                    }
                    FileOutcome::Skipped(note) => Done::Skipped(note),
                    FileOutcome::Failed(error) => Done::Failed(error),
                };
                if sender.send((position, done)).is_err() {
                    break;
                }
            });
        }
        drop(sender);
        // Results that came before an earlier file finished, by position.
        let mut waiting: BTreeMap<usize, Done<R>> = BTreeMap::new();
        let mut written = 0;
        let mut manifests = manifests.into_iter().peekable();
        for (position, done) in receiver.iter() {
            waiting.insert(position, done);
            while let Some(done) = waiting.remove(&written) {
                let index = order[written];
                // A broken manifest sorts before the runbooks after it (after an equal path).
                while let Some(manifest) = manifests.next_if(|m| m.path < jobs[index].display) {
                    emit(per_file(manifest));
                }
                match done {
                    Done::Linted { note, file } => {
                        notes.extend(note.map(|n| (index, n)));
                        if let Some(file) = file {
                            emit(file);
                        }
                    }
                    Done::Skipped(note) => {
                        skipped += 1;
                        notes.push((index, note));
                    }
                    Done::Failed(error) => failures.push((index, error)),
                }
                written += 1;
                progress(written, total);
            }
        }
        for manifest in manifests {
            emit(per_file(manifest));
        }
    });
    // Skipped files were not linted.
    result.files_checked = total - skipped;
    notes.sort_by_key(|(index, _)| *index);
    result
        .warnings
        .extend(notes.into_iter().map(|(_, note)| note));
    failures.sort_by_key(|(index, _)| *index);
    result
        .errors
        .extend(failures.into_iter().map(|(_, error)| error));
    result.errors.dedup();
    result
}

/// Discovers the files and loads their projects (phases 1 and 2 of a check).
fn check_in_pool(options: &CheckOptions) -> Result<Plan, ToolError> {
    let known = rules::known_rules();
    let mut result = CheckResult::default();

    // 1. Discover files, and the projects whose manifests were named.
    let paths = if options.stdin.is_some() {
        Vec::new()
    } else if options.paths.is_empty() {
        vec![options.base.clone()]
    } else {
        options.paths.clone()
    };
    // (absolute path, named explicitly, the project root of the walk that found it)
    let mut files: Vec<(PathBuf, bool, Option<PathBuf>)> = Vec::new();
    let mut manifest_roots: Vec<PathBuf> = Vec::new();
    let mut walk_problems: Vec<crate::paths::WalkProblem> = Vec::new();
    let mut finder = RootFinder::default();
    for path in &paths {
        let absolute = absolutize(&options.base, path);
        match std::fs::metadata(&absolute) {
            Err(error) => result.errors.push(ToolError::Io {
                path: display_path(&options.base, &absolute),
                message: io_message(&error),
            }),
            Ok(meta) if meta.is_dir() => {
                let root = options
                    .root
                    .clone()
                    .unwrap_or_else(|| finder.root_for(&absolute));
                let (found, problems) = discover::walk_markdown(
                    &absolute,
                    &crate::paths::ignore_boundary(&absolute, &root),
                );
                files.extend(found.into_iter().map(|p| (p, false, Some(root.clone()))));
                walk_problems.extend(problems);
            }
            Ok(_) if discover::is_manifest(&absolute) && !discover::is_markdown(&absolute) => {
                let dir = absolute.parent().unwrap_or(Path::new("/"));
                let root = options.root.clone().unwrap_or_else(|| finder.root_for(dir));
                manifest_roots.push(root);
            }
            // A named `notes.txt` or `Jenkinsfile` is not a runbook: parsed as Markdown, its
            // comments would be headings and its `[TBD]` values placeholders.
            Ok(_) if discover::is_not_markdown(&absolute) => result.warnings.push(format!(
                "{}: skipped, not a Markdown file",
                display_path(&options.base, &absolute)
            )),
            Ok(_) => files.push((absolute, true, None)),
        }
    }
    manifest_roots.sort();
    manifest_roots.dedup();
    for root in &manifest_roots {
        let (found, problems) =
            discover::walk_markdown(root, &crate::paths::ignore_boundary(root, root));
        files.extend(found.into_iter().map(|p| (p, false, Some(root.clone()))));
        walk_problems.extend(problems);
    }
    files.sort();
    files.dedup_by(|a, b| a.0 == b.0);

    // 2. Group by project root; load each project's settings and facts. A broken config fails
    // its own project (its runbooks are not linted, exit 2); the other projects are linted
    // and reported.
    let mut settings_of: BTreeMap<PathBuf, Option<Settings>> = BTreeMap::new();
    let mut load_settings = |root: &Path, result: &mut CheckResult| -> Option<Settings> {
        settings_of
            .entry(root.to_path_buf())
            .or_insert_with(|| {
                match Settings::load(root, options.config.as_deref(), &options.base, &known) {
                    Ok(mut settings) => {
                        if options.today.is_some() {
                            settings.today = options.today;
                        }
                        settings.selection = options.selection.clone();
                        result.warnings.append(&mut settings.warnings);
                        Some(settings)
                    }
                    Err(error) => {
                        result.errors.push(ToolError::Config(error));
                        None
                    }
                }
            })
            .clone()
    };
    let mut by_root: BTreeMap<PathBuf, Vec<(PathBuf, bool)>> = BTreeMap::new();
    for (file, explicit, walked_from) in files {
        let dir = file.parent().unwrap_or(Path::new("/"));
        let root = options.root.clone().unwrap_or_else(|| finder.root_for(dir));
        // A directory walk prunes what the walked project excludes, nested projects included:
        // `exclude = ["fixtures/**"]` at the top keeps a broken fixture's config unread.
        if let Some(walk_root) = walked_from.filter(|w| *w != root) {
            let excluded = load_settings(&walk_root, &mut result)
                .and_then(|s| s.exclude)
                .is_some_and(|set| set.is_match(relative_to(&walk_root, &file)));
            if excluded {
                continue;
            }
        }
        by_root.entry(root).or_default().push((file, explicit));
    }
    if let Some(doc) = &options.stdin {
        let dir = doc.path.parent().unwrap_or(Path::new("/"));
        let root = options.root.clone().unwrap_or_else(|| finder.root_for(dir));
        by_root
            .entry(root)
            .or_default()
            .push((doc.path.clone(), true));
    }
    for root in &manifest_roots {
        by_root.entry(root.clone()).or_default();
    }
    let mut projects: BTreeMap<PathBuf, Project> = BTreeMap::new();
    for root in by_root.keys() {
        if let Some(settings) = load_settings(root, &mut result) {
            projects.insert(root.clone(), Project::with_settings(settings));
        }
    }
    check_selection(&options.selection, projects.values())?;
    // Manifests in parallel; a bug in a manifest loader costs that project's runbooks, not
    // the run.
    let failed: Vec<(PathBuf, Option<String>)> = projects
        .par_iter_mut()
        .map(|(root, project)| (root.clone(), project.load_facts(root)))
        .collect();
    for (root, failure) in failed {
        if let Some(message) = failure {
            result.errors.push(ToolError::Internal {
                task: "loading the project at",
                path: display_path(&options.base, &root),
                message,
            });
        }
    }
    for project in projects.values() {
        walk_problems.extend(project.facts.walk_problems.iter().cloned());
        result
            .pack_rules
            .extend(project.settings.packs.iter().map(|pack| {
                let rule = rules::pack_rule::PackRule::new(pack.clone(), "");
                let meta = rule.meta();
                crate::ruledocs::RuleDoc {
                    id: meta.id.to_string(),
                    default_severity: meta.default_severity,
                    on_by_default: true,
                    summary: meta.summary.to_string(),
                    docs: rules::docs_text(meta.docs),
                }
            }));
    }
    result.pack_rules.sort_by(|a, b| a.id.cmp(&b.id));
    result.pack_rules.dedup_by(|a, b| a.id == b.id);
    // Unreadable directories fail the run (files may be missing); ignore files that were not
    // read only warn (more files were linted, none lost). The same directory can be met by
    // several walks.
    walk_problems.sort_by(|a, b| a.path.cmp(&b.path).then(a.message.cmp(&b.message)));
    walk_problems.dedup();
    for problem in walk_problems {
        let path = display_path(&options.base, &problem.path);
        if problem.fatal {
            result.errors.push(ToolError::Io {
                path,
                message: problem.message,
            });
        } else {
            result.warnings.push(format!("{path}: {}", problem.message));
        }
    }

    // 3. The files to lint, each with its project.
    let projects: Vec<(PathBuf, Project)> = projects.into_iter().collect();
    let mut jobs: Vec<Job> = Vec::new();
    for (index, (root, project)) in projects.iter().enumerate() {
        let Some(files) = by_root.get(root).filter(|_| project.loaded) else {
            continue;
        };
        let before = jobs.len();
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
                jobs.push(Job {
                    project: index,
                    display: display_path(&options.base, file),
                    file: file.clone(),
                    relative,
                });
            }
        }
        let config = match &project.settings.path {
            Some(path) => display_path(&options.base, path),
            None => "none (the defaults)".to_string(),
        };
        result.details.push(format!(
            "project {}: config {config}; {} of {} Markdown files selected",
            display_path(&options.base, root),
            jobs.len() - before,
            files.len()
        ));
    }
    result.files_checked = jobs.len();

    // 4. Broken manifests, reported once per project.
    let mut manifests: Vec<FileFindings> = Vec::new();
    for (root, project) in &projects {
        for problem in &project.facts.problems {
            let Some(severity) =
                project
                    .settings
                    .resolve("invalid-manifest", None, Severity::Error, true)
            else {
                continue;
            };
            // A manifest excerpt (an env file) may hold a secret too.
            let masker = crate::redact::Masker::new(&problem.source);
            let source: Arc<str> = match masker.mask_source(&problem.source) {
                std::borrow::Cow::Borrowed(_) => problem.source.clone(),
                std::borrow::Cow::Owned(masked) => Arc::from(masked),
            };
            let index = LineIndex::new(&source);
            manifests.push(FileFindings {
                path: display_path(&options.base, &root.join(&problem.path)),
                findings: vec![Finding {
                    rule: "invalid-manifest".to_string(),
                    severity,
                    span: problem.span,
                    location: index.locate(&source, problem.span),
                    message: masker.mask(&problem.message).into_owned(),
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
    manifests.sort_by(|a, b| a.path.cmp(&b.path));
    // The same manifest problem can be reached from two roots; report it once.
    manifests.dedup_by(|a, b| a.path == b.path && a.findings == b.findings);
    if options.drop_source {
        // Reports that never print text need none of it.
        for manifest in &mut manifests {
            manifest.source = Arc::from("");
        }
    }
    Ok(Plan {
        result,
        projects: projects.into_iter().map(|(_, project)| project).collect(),
        jobs,
        manifests,
    })
}

/// `--select`/`--extend-select`/`--ignore` ids must name a rule or pack entry: built in, or
/// of one of the projects' packs. A typo is a usage error (exit 2) with a did-you-mean, never
/// a silently empty selection.
fn check_selection<'a>(
    selection: &crate::config::Selection,
    projects: impl Iterator<Item = &'a Project>,
) -> Result<(), ToolError> {
    if selection.ids().next().is_none() {
        return Ok(());
    }
    let mut known: Vec<String> = Project::with_settings(Settings::default()).known_ids;
    for project in projects {
        known.extend(project.known_ids.iter().cloned());
    }
    known.sort();
    known.dedup();
    for (flag, ids) in [
        (
            "--select",
            selection.select.iter().flatten().collect::<Vec<_>>(),
        ),
        ("--extend-select", selection.extend.iter().collect()),
        ("--ignore", selection.ignore.iter().collect()),
    ] {
        for id in ids {
            if known.binary_search(id).is_err() {
                let hint =
                    crate::diagnostic::did_you_mean_text(id, known.iter().map(String::as_str))
                        .map(|h| format!("; {h}"))
                        .unwrap_or_default();
                return Err(ToolError::Usage(format!(
                    "{flag}: unknown rule or pack entry `{}`{hint} (`runbook-lint rules` lists them)",
                    crate::redact::shown(id)
                )));
            }
        }
    }
    Ok(())
}

enum FileOutcome {
    /// Linted, with a note when the text had to be decoded lossily.
    Linted(FileFindings, Option<String>),
    Skipped(String),
    Failed(ToolError),
}

/// What every file of a run is linted with.
#[derive(Clone, Copy)]
struct HowToLint<'a> {
    /// Display paths are relative to it.
    base: &'a Path,
    /// Larger files are skipped.
    max_bytes: u64,
    mode: FixMode,
    /// Keep the text in [`FileFindings::source`] (reports that show source lines).
    keep_source: bool,
}

fn lint_file(
    project: &Project,
    file: &Path,
    relative: &str,
    how: &HowToLint<'_>,
    given: Option<crate::robust::Text>,
) -> FileOutcome {
    let HowToLint {
        base,
        max_bytes,
        mode,
        keep_source,
    } = *how;
    let display = display_path(base, file);
    let Some(root) = &project.contained else {
        return FileOutcome::Failed(ToolError::Io {
            path: display,
            message: "its project root cannot be resolved".to_string(),
        });
    };
    let from_stdin = given.is_some();
    let text = match given {
        Some(text) => text,
        None => match crate::robust::read_runbook(file, root, max_bytes) {
            crate::robust::Read::Text(text) => text,
            crate::robust::Read::Skip(why) => {
                return FileOutcome::Skipped(format!("{display}: {why}"))
            }
            crate::robust::Read::Fail(message) => {
                return FileOutcome::Failed(ToolError::Io {
                    path: display,
                    message,
                })
            }
        },
    };
    // Only a named file reaches here without a Markdown extension (`RUNBOOK`, `Jenkinsfile`):
    // its text decides. A document on stdin is Markdown by being given.
    if !from_stdin
        && !discover::is_markdown(file)
        && !crate::document::looks_like_markdown(&text.text)
    {
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
    // A bug in one rule on one odd file costs that file, never the run.
    let linted = crate::robust::isolated(|| {
        if mode == FixMode::Off || text.lossy {
            (project.lint(&text.text, relative), text.text.clone(), None)
        } else {
            let outcome = project.fix(&text.text, relative, mode);
            let fixed = (outcome.applied > 0).then(|| FixedText {
                file: file.to_path_buf(),
                original: text.text.clone(),
                fixed: outcome.text.clone(),
                applied: outcome.applied,
            });
            (outcome.findings, outcome.text, fixed)
        }
    });
    let (findings, text, fixed) = match linted {
        Ok(linted) => linted,
        Err(message) => {
            return FileOutcome::Failed(ToolError::Internal {
                task: "linting",
                path: display,
                message,
            })
        }
    };
    // Only files with findings keep their text (for rendering), and only for reports that show
    // it, so memory stays bounded by the findings, not by the size of the tree. Secrets are
    // masked in the text every report format prints from (same byte length), by span after
    // detection.
    let source: Arc<str> = if findings.is_empty() || !keep_source {
        Arc::from("")
    } else {
        match crate::redact::Masker::new(&text).mask_source(&text) {
            std::borrow::Cow::Borrowed(_) => Arc::from(text),
            std::borrow::Cow::Owned(masked) => Arc::from(masked),
        }
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
fn lint_source(project: &Project, source: &str, relative: &str) -> Vec<Finding> {
    let doc = Document::parse(source, &project.parse_options);
    let settings = &project.settings;
    let cx = RuleContext {
        doc: &doc,
        source,
        path: relative,
        project: &project.facts,
        settings,
    };
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut ran: HashSet<&str> = HashSet::new();
    for (rule, active) in project.rules.iter().zip(&project.active) {
        if !active {
            continue;
        }
        ran.insert(rule.meta().id);
        rule.check(&mut crate::rules::Cx::new(
            &cx,
            rule.meta(),
            &mut diagnostics,
        ));
    }
    let index = LineIndex::new(source);
    let mut suppressions =
        Suppressions::from_document(&doc, source, &index, Some(&project.known_ids));
    // Every string built from the text is masked after detection: messages, labels and help
    // may carry a secret transformed (a heading slug in a did-you-mean).
    let masker = crate::redact::Masker::from_found(source, doc.secrets(source));
    let finding = |d: Diagnostic, severity: Severity| {
        let location = index.locate(source, d.span);
        // A fix that would print a secret (in JSON, SARIF, an editor) is not offered.
        let fix = d.fix.filter(|fix| {
            fix.fits(source)
                && fix
                    .edits
                    .iter()
                    .all(|e| matches!(masker.mask(&e.replacement), Cow::Borrowed(_)))
        });
        let fix_locations = fix
            .iter()
            .flat_map(|fix| &fix.edits)
            .map(|edit| index.locate(source, edit.span))
            .collect();
        Finding {
            rule: d.rule,
            severity,
            span: d.span,
            location,
            message: masker.mask(&d.message).into_owned(),
            label: d.label.map(|l| masker.mask(&l).into_owned()),
            help: d.help.map(|h| masker.mask(&h).into_owned()),
            fix,
            fix_locations,
            checked: d.checked,
        }
    };
    let mut findings: Vec<Finding> = Vec::with_capacity(diagnostics.len());
    for d in diagnostics {
        let Some(severity) = settings.resolve(&d.rule, d.entry.as_deref(), d.severity, true) else {
            continue;
        };
        let line = index.position(source, d.span.start).0;
        // A suppression may name the rule or the pack entry.
        if suppressions.claim(&d.rule, line)
            || d.entry
                .as_deref()
                .is_some_and(|entry| suppressions.claim(entry, line))
        {
            continue;
        }
        findings.push(finding(d, severity));
    }
    // The suppression comments themselves: unknown names, and (when on) unused ones.
    let mut own: Vec<Diagnostic> = Vec::new();
    for problem in &suppressions.problems {
        own.push(
            Diagnostic::new(
                "invalid-suppression",
                Severity::Warning,
                problem.span,
                problem.message.clone(),
            )
            .with_help(problem.help.clone()),
        );
    }
    let judged = |id: &str| match project.entry_rule.get(id) {
        // An entry is judged when its rule ran and the entry itself may report.
        Some(rule) => {
            ran.contains(rule.as_str())
                && settings
                    .resolve(rule, Some(id), Severity::Error, true)
                    .is_some()
        }
        None => ran.contains(id),
    };
    if settings
        .resolve("unused-suppression", None, Severity::Warning, false)
        .is_some()
    {
        for unused in suppressions.unused(judged) {
            let (message, help) = match &unused.rule {
                Some(rule) => (
                    format!("unused suppression of `{rule}`: no such finding here"),
                    if unused.whole_comment {
                        "remove the comment".to_string()
                    } else {
                        format!("remove `{rule}` from the comment")
                    },
                ),
                None => (
                    "unused suppression: no finding here".to_string(),
                    "remove the comment".to_string(),
                ),
            };
            let fix = unused.whole_comment.then(|| {
                crate::fix::Fix::safe(
                    "remove the unused suppression comment",
                    crate::fix::Edit::replace(comment_line(source, unused.comment), ""),
                )
            });
            own.push(
                Diagnostic::new(
                    "unused-suppression",
                    Severity::Warning,
                    unused.span,
                    message,
                )
                .with_help(help)
                .with_fix(fix),
            );
        }
    }
    for d in own {
        let on_by_default = rules::on_by_default(&d.rule);
        let Some(severity) = settings.resolve(&d.rule, None, d.severity, on_by_default) else {
            continue;
        };
        let line = index.position(source, d.span.start).0;
        if suppressions.suppressed_by_name(&d.rule, line) {
            continue;
        }
        findings.push(finding(d, severity));
    }
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

/// What removing a comment removes: its whole line (with the line break) when nothing else
/// is on it, else the comment alone.
fn comment_line(source: &str, comment: crate::span::Span) -> crate::span::Span {
    let line_start = source[..comment.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[comment.end..]
        .find('\n')
        .map_or(source.len(), |i| comment.end + i + 1);
    let alone = source[line_start..comment.start].trim().is_empty()
        && source[comment.end..line_end].trim().is_empty();
    if alone {
        crate::span::Span::new(line_start, line_end)
    } else {
        comment
    }
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
    crate::fsio::io_message(error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Cx, RuleMeta};
    use crate::span::Span;

    /// A rule with a bug: it panics on a runbook that says BOOM, and reports every other one.
    struct Fragile;

    impl Rule for Fragile {
        fn meta(&self) -> RuleMeta<'_> {
            RuleMeta {
                id: "fragile",
                default_severity: Severity::Warning,
                summary: "test",
                docs: "",
                options: "",
            }
        }

        fn check(&self, cx: &mut Cx<'_, '_>) {
            if cx.source.contains("BOOM") {
                let text: &str = cx.source;
                let _ = &text[..text.find('é').unwrap() + 1]; // a slice inside `é`
            }
            cx.report(Span::new(0, 1), "found");
        }
    }

    #[test]
    fn a_panicking_rule_fails_its_file_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bad.md"), "# BOOM José\n").unwrap();
        std::fs::write(dir.path().join("good.md"), "# Fine\n").unwrap();
        let mut project = Project::with_rules(Settings::default(), vec![Box::new(Fragile)]);
        project.contained = crate::fsio::Root::new(dir.path()).ok();
        let lint = |name: &str| {
            let how = HowToLint {
                base: dir.path(),
                max_bytes: DEFAULT_MAX_FILE_BYTES,
                mode: FixMode::Off,
                keep_source: true,
            };
            lint_file(&project, &dir.path().join(name), name, &how, None)
        };
        match lint("bad.md") {
            FileOutcome::Failed(ToolError::Internal {
                task,
                path,
                message,
            }) => {
                assert_eq!((task, path.as_str()), ("linting", "bad.md"));
                assert!(message.contains("not a char boundary"), "{message}");
                let shown = ToolError::Internal {
                    task,
                    path,
                    message,
                }
                .to_string();
                assert!(
                    shown.starts_with("internal error while linting bad.md: "),
                    "{shown}"
                );
            }
            _ => panic!("expected an internal error"),
        }
        match lint("good.md") {
            FileOutcome::Linted(findings, _) => assert_eq!(findings.findings.len(), 1),
            _ => panic!("the next file is linted"),
        }
    }
}
