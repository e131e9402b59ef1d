//! Command-line interface: `check`, `rules`, `explain`, `init`, `completions`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use crate::engine::{self, CheckOptions, CheckResult};
use crate::fix::FixMode;
use crate::report::{self, Format};
use crate::rules;

/// Static linter for Markdown runbooks: checks their commands, checklists and env vars
/// against the repository's own manifests. Never runs a runbook command.
#[derive(Debug, Parser)]
#[command(name = "runbook-lint", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint runbooks (every Markdown file under the current directory by default).
    Check(Box<CheckArgs>),
    /// List every rule with its default severity.
    Rules,
    /// Print a rule's documentation.
    Explain {
        /// Rule id, e.g. `missing-script`.
        rule: String,
    },
    /// Write a commented starter `runbook-lint.toml` in the current directory.
    Init,
    /// Run the language server on stdin/stdout (for editors: diagnostics as you type, fixes).
    Server,
    /// Print a shell completion script, e.g. `runbook-lint completions bash`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// `check --help` headings.
const SELECTION: &str = "Rule selection";
const OUTPUT: &str = "Output";
const CI: &str = "CI and adoption";
const FIXES: &str = "Fixes";
const PERFORMANCE: &str = "Files and performance";

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Markdown files or directories; manifests (package.json, ...) lint their project's
    /// runbooks; `-` reads one runbook from stdin (see --stdin-filename).
    pub paths: Vec<PathBuf>,

    /// Run only these rules or pack entries (comma-separated ids, e.g.
    /// `missing-script,git-push-force`), over the config.
    #[arg(long, value_name = "RULES", value_delimiter = ',', help_heading = SELECTION)]
    pub select: Vec<String>,
    /// Also run these rules or pack entries, even where the config turns them off.
    #[arg(long, value_name = "RULES", value_delimiter = ',', help_heading = SELECTION)]
    pub extend_select: Vec<String>,
    /// Do not run these rules or pack entries (wins over --select).
    #[arg(long, value_name = "RULES", value_delimiter = ',', help_heading = SELECTION)]
    pub ignore: Vec<String>,
    /// Config file (default: runbook-lint.toml, .runbook-lint.toml or pyproject.toml's
    /// [tool.runbook-lint] at the project root).
    #[arg(long, value_name = "FILE", help_heading = SELECTION)]
    pub config: Option<PathBuf>,
    /// Project root for all files (default: discovered per file).
    #[arg(long, value_name = "DIR", help_heading = SELECTION)]
    pub root: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human, help_heading = OUTPUT)]
    pub format: Format,
    /// When to use colour in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, help_heading = OUTPUT)]
    pub color: ColorChoice,
    /// Write the report to this file instead of stdout (the summary still goes to stderr).
    #[arg(long, value_name = "FILE", help_heading = OUTPUT)]
    pub output: Option<PathBuf>,
    /// Print how many findings each rule produced (to stderr).
    #[arg(long, help_heading = OUTPUT)]
    pub statistics: bool,
    /// Print the findings only: no totals line, notes or warnings (errors still go to stderr).
    #[arg(short, long, conflicts_with = "verbose", help_heading = OUTPUT)]
    pub quiet: bool,
    /// Also print each project's root and config, and how many runbooks it has (to stderr).
    #[arg(short, long, help_heading = OUTPUT)]
    pub verbose: bool,
    /// The path of the document read from stdin (`-`): its project, config and display name.
    #[arg(long, value_name = "PATH", help_heading = OUTPUT)]
    pub stdin_filename: Option<PathBuf>,

    /// Exit 0 even when there are findings (2 still means the run failed).
    #[arg(long, help_heading = CI)]
    pub exit_zero: bool,
    /// The lowest severity that makes the run exit 1.
    #[arg(long, value_enum, value_name = "SEVERITY", default_value_t = FailOn::Error, help_heading = CI)]
    pub fail_on: FailOn,
    /// Exit 1 when there are more than N warnings (as eslint's --max-warnings).
    #[arg(long, value_name = "N", help_heading = CI)]
    pub max_warnings: Option<usize>,
    /// Report only findings not recorded in this baseline file.
    #[arg(long, value_name = "FILE", help_heading = CI)]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file (paths relative to it) and exit 0.
    #[arg(long, value_name = "FILE", help_heading = CI)]
    pub write_baseline: Option<PathBuf>,
    /// Lint only runbooks changed since this git revision, and the runbooks of projects whose
    /// manifests changed.
    #[arg(long, value_name = "REV", help_heading = CI)]
    pub changed_since: Option<String>,
    /// Apply the config's `include` globs to files named on the command line too (the
    /// pre-commit hook does; `--changed-since` implies it).
    #[arg(long, help_heading = CI)]
    pub force_select: bool,
    /// Judge review dates as of this day (YYYY-MM-DD) instead of the clock: reproducible runs.
    #[arg(long, value_name = "DATE", value_parser = parse_today, help_heading = CI)]
    pub today: Option<crate::date::Date>,

    /// Apply safe fixes to the runbooks (never to manifests), then report what remains.
    #[arg(long, help_heading = FIXES)]
    pub fix: bool,
    /// With --fix or --diff: apply unsafe fixes too (suggestions a person should review).
    #[arg(long, help_heading = FIXES)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff instead of writing them; exit 1 when there is one.
    #[arg(long, help_heading = FIXES)]
    pub diff: bool,

    /// Worker threads, at most 1024 (default: one per core). The output is the same for any
    /// number.
    #[arg(long, value_name = "N", value_parser = parse_threads, help_heading = PERFORMANCE)]
    pub threads: Option<usize>,
    /// Skip Markdown files larger than this, with a warning: bytes or "10MB", "512KiB"
    /// (default: the config's max-file-size, else 10 MB).
    #[arg(long, value_name = "SIZE", value_parser = parse_file_size, help_heading = PERFORMANCE)]
    pub max_file_size: Option<u64>,
}

/// `--fail-on`: the lowest severity that fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Error findings (the default).
    Error,
    /// Warnings and errors.
    Warning,
    /// Any finding.
    Info,
}

impl FailOn {
    fn fails(self, severity: crate::diagnostic::Severity) -> bool {
        use crate::diagnostic::Severity;
        let floor = match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        };
        severity >= floor
    }
}

fn parse_file_size(text: &str) -> Result<u64, String> {
    crate::config::parse_size_text(text)
        .ok_or_else(|| format!("`{text}` is not a size: use bytes or e.g. 10MB, 512KiB"))
}

/// Most worker threads `--threads` accepts: far more than any machine has cores, far fewer than
/// what exhausts memory (each worker reserves a deep stack).
pub const MAX_THREADS: usize = 1024;

fn parse_threads(text: &str) -> Result<usize, String> {
    let threads: usize = text.parse().map_err(|_| {
        format!(
            "`{}` is not a number of threads",
            crate::redact::shown(text)
        )
    })?;
    if threads > MAX_THREADS {
        return Err(format!(
            "{threads} is over the maximum of {MAX_THREADS} threads"
        ));
    }
    Ok(threads)
}

fn parse_today(text: &str) -> Result<crate::date::Date, String> {
    crate::date::Date::parse_iso(text).ok_or_else(|| format!("`{text}` is not a date (YYYY-MM-DD)"))
}

/// Colour choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal; `NO_COLOR`, `FORCE_COLOR`, `CLICOLOR_FORCE`,
    /// `CLICOLOR=0` and `TERM=dumb` are honoured.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Whether the human report is coloured. `--color always|never` decides; otherwise, in this
/// order: `NO_COLOR` (non-empty) turns colour off; `FORCE_COLOR` or `CLICOLOR_FORCE` (non-empty,
/// not `0`) turn it on, into a pipe or a CI log too; `FORCE_COLOR=0`, `CLICOLOR=0` and
/// `TERM=dumb` turn it off; else colour when stdout is a terminal.
pub fn use_color(
    choice: ColorChoice,
    terminal: bool,
    env: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> bool {
    let set = |name: &str| env(name).filter(|value| !value.is_empty());
    let off = |value: &std::ffi::OsString| value == "0" || value.eq_ignore_ascii_case("false");
    match choice {
        ColorChoice::Always => return true,
        ColorChoice::Never => return false,
        ColorChoice::Auto => {}
    }
    if set("NO_COLOR").is_some() {
        return false;
    }
    for name in ["FORCE_COLOR", "CLICOLOR_FORCE"] {
        if let Some(value) = set(name) {
            return !off(&value);
        }
    }
    if set("CLICOLOR").is_some_and(|v| off(&v)) || set("TERM").is_some_and(|v| v == "dumb") {
        return false;
    }
    terminal
}

/// Exit status: 0 clean, 1 error findings, 2 usage, config or I/O failure.
pub mod exit {
    /// No error-severity finding.
    pub const CLEAN: u8 = 0;
    /// At least one error-severity finding.
    pub const FINDINGS: u8 = 1;
    /// Usage, config or I/O failure.
    pub const FAILURE: u8 = 2;
}

/// Runs the CLI and returns the exit status.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Check(args) => check(*args),
        Command::Server => crate::server::run_stdio(),
        Command::Rules => {
            // The project's packs (config in the current directory) are listed too.
            let settings = match project_settings() {
                Ok(settings) => settings,
                Err(error) => {
                    eprintln!("error: {error}");
                    return ExitCode::from(exit::FAILURE);
                }
            };
            print(&listing(&rules::rule_set(&settings)))
        }
        Command::Explain { rule } => {
            let settings = project_settings().unwrap_or_default();
            let all = rules::rule_set(&settings);
            let metas: Vec<rules::RuleMeta<'_>> = all
                .iter()
                .map(|r| r.meta())
                .chain(rules::ENGINE_RULES.iter().copied())
                .collect();
            let entry = rules::find_entry(&rule, &settings.packs);
            match (metas.iter().find(|m| m.id == rule), entry) {
                (Some(meta), _) => print(&format!(
                    "# {}\n\nDefault severity: {}\n\n{}\n",
                    meta.id,
                    if rules::on_by_default(meta.id) {
                        meta.default_severity.name().to_string()
                    } else {
                        format!("off ({} when turned on)", meta.default_severity.name())
                    },
                    rules::full_docs(meta)
                )),
                (None, Some((pack, entry))) => print(&explain_entry(pack, entry)),
                (None, None) => {
                    let entries = all
                        .iter()
                        .filter_map(|r| r.pack())
                        .flat_map(|p| p.entries.iter().map(|e| e.id.as_str()));
                    let hint = crate::diagnostic::did_you_mean_text(
                        &rule,
                        metas.iter().map(|m| m.id).chain(entries),
                    )
                    .map(|h| format!(" {h}"))
                    .unwrap_or_default();
                    eprintln!("error: unknown rule `{rule}`.{hint} Run `runbook-lint rules` for the list.");
                    ExitCode::from(exit::FAILURE)
                }
            }
        }
        Command::Init => match crate::init::write_starter(Path::new("."), &starter_config()) {
            Ok(name) => {
                eprintln!("wrote {name}");
                ExitCode::from(exit::CLEAN)
            }
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::from(exit::FAILURE)
            }
        },
        Command::Completions { shell } => {
            let mut script = Vec::new();
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "runbook-lint", &mut script);
            print(&String::from_utf8_lossy(&script))
        }
    }
}

/// The `runbook-lint rules` listing: every rule with its default severity and summary, and
/// under a pack-driven rule each entry with its production severity.
fn listing(rules: &[Box<dyn rules::Rule>]) -> String {
    let mut out = String::new();
    let metas = rules.iter().map(|r| (r.meta(), r.pack()));
    let engine = rules::ENGINE_RULES.iter().map(|m| (*m, None));
    for (meta, pack) in metas.chain(engine) {
        out.push_str(&format!(
            "{:<24} {:<8} {}\n",
            meta.id,
            if rules::on_by_default(meta.id) {
                meta.default_severity.name()
            } else {
                "off"
            },
            meta.summary
        ));
        for entry in pack.map(|p| p.entries.as_slice()).unwrap_or_default() {
            let level = match entry.levels.production {
                crate::diagnostic::Level::On(severity) => severity.name(),
                crate::diagnostic::Level::Off => "off",
            };
            out.push_str(&format!(
                "  {:<30} {:<8} {}\n",
                entry.id, level, entry.message
            ));
        }
    }
    out
}

/// `explain` of a pack entry: what it matches, its severities and why, and how to set it.
fn explain_entry(pack: &crate::config::pack::Pack, entry: &crate::config::pack::Entry) -> String {
    let level = |level: crate::diagnostic::Level| match level {
        crate::diagnostic::Level::On(severity) => severity.name(),
        crate::diagnostic::Level::Off => "off",
    };
    let levels = &entry.levels;
    let mut text = format!(
        "# {}\n\nAn entry of the rule `{}` (pack `{}`): its findings are reported under `{}`.\n\n\
         Default severity: {} in production, {} in staging, {} in development, {} in rollback\n\n\
         ## What it finds\n{}\n",
        entry.id,
        pack.rule,
        pack.origin,
        pack.rule,
        level(levels.production),
        level(levels.staging),
        level(levels.development),
        level(levels.rollback),
        entry.message,
    );
    if !entry.why.is_empty() {
        text.push_str(&format!("\n## Why is this bad?\n{}\n", entry.why));
    }
    if let Some(safe) = &entry.safe {
        text.push_str(&format!("\n## Instead\n{safe}\n"));
    }
    text.push_str(&format!(
        "\n## Configuration\nSet it apart from the rest of `{rule}`: `{id} = \"off\"` (or a severity) in \
         `[rules]`, `--ignore {id}`, `--select {id}`, or \
         `<!-- runbook-lint-disable-next-line {id} -->` above one step. `runbook-lint explain {rule}` \
         documents the rule.\n",
        rule = pack.rule,
        id = entry.id,
    ));
    text
}

/// `init`'s config: every rule with its default level.
fn starter_config() -> String {
    let lines: Vec<crate::init::RuleLine> = rules::docs()
        .into_iter()
        .map(|doc| crate::init::RuleLine {
            level: if doc.on_by_default {
                doc.default_severity.name().to_string()
            } else {
                "off".to_string()
            },
            id: doc.id,
            summary: doc.summary,
        })
        .collect();
    crate::init::starter(&lines)
}

/// Settings of the project in the current directory, for `rules` and `explain`.
fn project_settings() -> Result<crate::config::Settings, crate::config::ConfigError> {
    let base = std::env::current_dir().unwrap_or_default();
    crate::config::Settings::load(&base, None, &base, &rules::known_rules())
}

fn check(args: CheckArgs) -> ExitCode {
    let started = Instant::now();
    if args.unsafe_fixes && !args.fix && !args.diff {
        eprintln!("error: --unsafe-fixes applies with --fix or --diff");
        return ExitCode::from(exit::FAILURE);
    }
    let base = match std::env::current_dir() {
        Ok(dir) => dir,
        Err(error) => {
            eprintln!("error: cannot read the current directory: {error}");
            return ExitCode::from(exit::FAILURE);
        }
    };
    let mut paths = args.paths.clone();
    // `-`: one document from stdin, linted as the file --stdin-filename names.
    let stdin = if paths.iter().any(|p| p.as_os_str() == "-") {
        match read_stdin(&args, &base) {
            Ok(doc) => {
                paths.clear();
                Some(doc)
            }
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::from(exit::FAILURE);
            }
        }
    } else {
        if args.stdin_filename.is_some() {
            eprintln!("error: --stdin-filename applies when a path is `-` (stdin)");
            return ExitCode::from(exit::FAILURE);
        }
        None
    };
    if let Some(revision) = &args.changed_since {
        match crate::changed::changed_paths(&base, revision, &paths) {
            // Nothing changed: lint nothing (an empty list would mean "everything").
            Ok(changed) if changed.is_empty() => {
                return finish_check(&args, CheckResult::default(), started, Written::No)
            }
            Ok(changed) => paths = changed,
            Err(error) => return failed_run(&args, engine::ToolError::Usage(error), started),
        }
    }
    let options = CheckOptions {
        paths,
        root: args.root.as_ref().map(|r| base.join(r)),
        config: args.config.as_ref().map(|c| base.join(c)),
        base,
        threads: args.threads,
        max_file_size: args.max_file_size,
        today: args.today,
        force_select: args.force_select || args.changed_since.is_some(),
        // Only the human report and fingerprints (SARIF, baselines) read the runbook's text.
        drop_source: !matches!(args.format, Format::Human | Format::Sarif)
            && args.baseline.is_none()
            && args.write_baseline.is_none(),
        fix: match (args.fix || args.diff, args.unsafe_fixes) {
            (false, _) => FixMode::Off,
            (true, false) => FixMode::Safe,
            (true, true) => FixMode::Unsafe,
        },
        selection: selection(&args),
        stdin,
    };
    // A plain report to stdout is written as the files are linted, in path order: memory
    // holds a handful of files, not the run. Fixes, baselines and `--output` (all or
    // nothing) need every finding first.
    let streams = args.output.is_none()
        && !args.fix
        && !args.diff
        && args.baseline.is_none()
        && args.write_baseline.is_none();
    if streams {
        return check_streaming(&args, &options, started);
    }
    let mut result = match engine::check(&options) {
        Ok(result) => result,
        Err(error) => return failed_run(&args, error, started),
    };
    if args.diff {
        return finish_diff(&args, &result);
    }
    if args.fix {
        write_fixes(&args, &mut result);
    }
    finish_check(&args, result, started, Written::No)
}

/// What of the report was written while the files were linted.
enum Written {
    /// Nothing: `finish_check` renders it.
    No,
    /// All of it (human, concise, GitHub), with how the writing went.
    Report(std::io::Result<()>),
    /// Nothing yet, but SARIF's fingerprints per file were taken while the texts were at
    /// hand, so the texts could go.
    Fingerprints(Vec<Vec<String>>),
}

/// A check whose report goes to stdout: the human, concise and GitHub reports are written file
/// by file as the engine hands them over, keeping of each finding only what the totals and
/// the exit status need; JSON, SARIF and JUnit, whose headers hold totals, are written at the
/// end from findings without their texts.
fn check_streaming(args: &CheckArgs, options: &CheckOptions, started: Instant) -> ExitCode {
    let format = args.format;
    let color = use_color(args.color, std::io::stdout().is_terminal(), |name| {
        std::env::var_os(name)
    });
    let sarif = format == Format::Sarif;
    let json = format == Format::Json;
    let per_file = |mut file: engine::FileFindings| {
        let text = if json {
            Some(report::json::file_entries(&file))
        } else {
            report::render_file(&file, format, color)
        };
        let prints = sarif.then(|| report::fingerprint::fingerprints(&file));
        if text.is_some() {
            keep_totals_only(&mut file);
        }
        if text.is_some() || sarif {
            file.source = std::sync::Arc::from("");
        }
        (text, prints, file)
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut written: std::io::Result<()> = Ok(());
    // JSON's entries wait in a spool file until the totals of its header are known.
    let mut spool = match json.then(crate::fsio::spool).transpose() {
        Ok(spool) => spool.map(|file| std::io::BufWriter::with_capacity(1 << 16, file)),
        Err(error) => {
            let error = engine::ToolError::Io {
                path: "temporary file".to_string(),
                message: error.to_string(),
            };
            return failed_run(args, error, started);
        }
    };
    let mut spooled_any = false;
    let mut files = Vec::new();
    let mut prints = Vec::new();
    let mut emit = |(text, print, file): (Option<String>, Option<Vec<String>>, _)| {
        match (text, &mut spool) {
            (Some(text), Some(spool)) if !text.is_empty() => {
                if let Ok(()) = written {
                    let separator: &[u8] = if spooled_any { b",\n" } else { b"" };
                    written = spool
                        .write_all(separator)
                        .and_then(|()| spool.write_all(text.as_bytes()));
                }
                spooled_any = true;
            }
            (Some(text), None) => {
                if let Ok(()) = written {
                    written = out.write_all(text.as_bytes());
                }
            }
            _ => {}
        }
        prints.extend(print);
        files.push(file);
    };
    let mut progress = crate::progress::Progress::start(format, args.quiet, started);
    let outcome = engine::check_streaming(options, &per_file, &mut emit, &mut |done, total| {
        progress.update(done, total)
    });
    drop(progress);
    let mut result = match outcome {
        Ok(result) => result,
        Err(error) => return failed_run(args, error, started),
    };
    result.files = files;
    let written = match format {
        Format::Human | Format::Concise | Format::Github => {
            Written::Report(written.and_then(|()| out.flush()))
        }
        Format::Json => {
            // The report: its header with the totals, then the spooled entries.
            let report = written
                .and_then(|()| {
                    spool
                        .take()
                        .map(|s| s.into_inner())
                        .transpose()
                        .map_err(|e| e.into_error())
                })
                .and_then(|file| {
                    let mut file = file.expect("JSON runs have a spool");
                    use std::io::Seek;
                    file.rewind()?;
                    report::json::write_around(
                        &result,
                        &mut std::io::BufReader::new(file),
                        spooled_any,
                        &mut out,
                    )
                })
                .and_then(|()| out.flush());
            Written::Report(report)
        }
        Format::Sarif => Written::Fingerprints(prints),
        Format::Junit => Written::No,
    };
    drop(out);
    finish_check(args, result, started, written)
}

/// Drops what only the report reads from a finding already written (texts, edits), keeping
/// its rule, severity and fix applicability for the totals, `--statistics` and the exit
/// status.
fn keep_totals_only(file: &mut engine::FileFindings) {
    for finding in &mut file.findings {
        finding.message = String::new();
        finding.label = None;
        finding.help = None;
        finding.fix_locations = Vec::new();
        finding.checked = None;
        if let Some(fix) = &mut finding.fix {
            fix.description = String::new();
            fix.edits = Vec::new();
        }
    }
}

/// A run that failed before it could report findings (an unknown rule id, an unreadable
/// baseline, a git error): the error on stderr, exit 2, and for SARIF and JUnit, whose readers
/// expect a file (code scanning uploads, CI dashboards), a report that says the run failed
/// rather than none or an empty one.
fn failed_run(args: &CheckArgs, error: engine::ToolError, started: Instant) -> ExitCode {
    eprintln!("error: {error}");
    if matches!(args.format, Format::Sarif | Format::Junit) {
        let base = std::env::current_dir().unwrap_or_default();
        let result = CheckResult {
            errors: vec![error],
            ..CheckResult::default()
        };
        let options = report::RenderOptions {
            elapsed: started.elapsed(),
            rules: rules::docs(),
            ..report::RenderOptions::for_base(&base)
        };
        let rendered = report::render(&result, args.format, &options);
        match &args.output {
            Some(path) => {
                if let Err(error) = crate::fsio::write_atomic(path, rendered.as_bytes()) {
                    eprintln!("error: cannot write {}: {error}", path.display());
                }
            }
            None => {
                let _ = print(&rendered);
            }
        }
    }
    ExitCode::from(exit::FAILURE)
}

/// `--diff`: every fixed runbook as a unified diff (masked like every other output), nothing
/// written. Exit 1 when there is something to fix, as ruff's `--diff` does, so CI can ask
/// "is everything fixed?"; 2 when a file could not be read.
fn finish_diff(args: &CheckArgs, result: &CheckResult) -> ExitCode {
    let mut out = String::new();
    let (mut files, mut fixes) = (0, 0);
    for file in &result.files {
        let Some(fixed) = &file.fixed else { continue };
        let diff = crate::fix::unified_diff(&file.path, &fixed.original, &fixed.fixed);
        out.push_str(&crate::redact::redact(&diff));
        files += 1;
        fixes += fixed.applied;
    }
    let status = match &args.output {
        Some(path) => match crate::fsio::write_atomic(path, out.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: cannot write {}: {error}", path.display());
                ExitCode::from(exit::FAILURE)
            }
        },
        None => print(&out),
    };
    for warning in &result.warnings {
        eprintln!("warning: {warning}");
    }
    for error in &result.errors {
        eprintln!("error: {error}");
    }
    if fixes == 0 {
        eprintln!("nothing to fix");
    } else {
        eprintln!(
            "would fix {} in {}",
            report::plural(fixes, "finding"),
            report::plural(files, "file")
        );
    }
    if status != ExitCode::SUCCESS || !result.errors.is_empty() {
        ExitCode::from(exit::FAILURE)
    } else if fixes > 0 && !args.exit_zero {
        ExitCode::from(exit::FINDINGS)
    } else {
        ExitCode::from(exit::CLEAN)
    }
}

/// Reads the document of `check -` from stdin (at most --max-file-size, 10 MB by default).
fn read_stdin(args: &CheckArgs, base: &Path) -> Result<engine::StdinDocument, String> {
    use std::io::Read;
    if args.paths.len() > 1 {
        return Err("`-` (stdin) cannot be combined with other paths".to_string());
    }
    if args.fix {
        return Err(
            "--fix cannot write a document read from stdin; use --diff to see the fixes"
                .to_string(),
        );
    }
    if args.changed_since.is_some() {
        return Err("--changed-since does not apply to a document read from stdin".to_string());
    }
    let limit = args.max_file_size.unwrap_or(engine::DEFAULT_MAX_FILE_BYTES);
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read stdin: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "stdin: the document is over the {limit}-byte limit (--max-file-size)"
        ));
    }
    let path = crate::paths::normalize(
        &base.join(args.stdin_filename.as_deref().unwrap_or(Path::new("-"))),
    );
    match crate::robust::decode(bytes) {
        crate::robust::Read::Text(text) => Ok(engine::StdinDocument { path, text }),
        crate::robust::Read::Skip(why) | crate::robust::Read::Fail(why) => {
            Err(format!("stdin: {why}"))
        }
    }
}

/// `--select`, `--extend-select`, `--ignore` as a selection (ids trimmed, empty ones dropped).
fn selection(args: &CheckArgs) -> crate::config::Selection {
    let set = |ids: &[String]| -> std::collections::BTreeSet<String> {
        ids.iter()
            .map(|id| id.trim().to_string())
            .filter(|id| !id.is_empty())
            .collect()
    };
    crate::config::Selection {
        select: (!args.select.is_empty()).then(|| set(&args.select)),
        extend: set(&args.extend_select),
        ignore: set(&args.ignore),
    }
}

/// `--fix`: writes each fixed runbook in place (atomically), then says how many fixes went in.
/// A file that changed on disk since it was read is left alone: the fixes were computed for
/// the old text.
fn write_fixes(args: &CheckArgs, result: &mut CheckResult) {
    let (mut files, mut fixes) = (0, 0);
    for file in &result.files {
        let Some(fixed) = &file.fixed else { continue };
        match crate::fix::write_fixed(&fixed.file, &fixed.original, &fixed.fixed) {
            Ok(()) => {
                files += 1;
                fixes += fixed.applied;
            }
            Err(error) => result.errors.push(engine::ToolError::Io {
                path: file.path.clone(),
                message: format!("not fixed: {error}"),
            }),
        }
    }
    // A runbook whose every finding was fixed has nothing left to report.
    result.files.retain(|file| !file.findings.is_empty());
    if fixes > 0 {
        note(
            args,
            format!(
                "fixed {} in {}",
                report::plural(fixes, "finding"),
                report::plural(files, "file")
            ),
        );
    }
}

/// A line for people on stderr (totals, notes, warnings), unless `--quiet`.
fn note(args: &CheckArgs, text: String) {
    if !args.quiet {
        eprintln!("{text}");
    }
}

/// Baseline, rendering, output file, statistics, summary and exit status of a check.
fn finish_check(
    args: &CheckArgs,
    mut result: CheckResult,
    started: Instant,
    written: Written,
) -> ExitCode {
    let base = std::env::current_dir().unwrap_or_default();
    let mut baselined = 0;
    if let Some(path) = &args.write_baseline {
        // The findings are recorded, so the run reports what a run with the new baseline
        // would: none of them.
        let baseline = crate::baseline::Baseline::from_result(&result, path, &base);
        if let Err(error) = baseline.write(path) {
            eprintln!("error: {error}");
            return ExitCode::from(exit::FAILURE);
        }
        note(
            args,
            format!(
                "wrote {} to {}",
                match baseline.findings.len() {
                    1 => "1 entry".to_string(),
                    n => format!("{n} entries"),
                },
                path.display()
            ),
        );
        baselined = baseline.filter(&mut result, &base);
    }
    if let Some(path) = &args.baseline {
        match crate::baseline::Baseline::load(path, &base) {
            Ok(baseline) => {
                if let Some(text) = baseline.upgrade_note(path) {
                    note(args, text);
                }
                baselined = baseline.filter(&mut result, &base);
            }
            Err(error) => return failed_run(args, engine::ToolError::Usage(error), started),
        }
    }
    let color = args.output.is_none()
        && use_color(args.color, std::io::stdout().is_terminal(), |name| {
            std::env::var_os(name)
        });
    let options = report::RenderOptions {
        color,
        elapsed: started.elapsed(),
        rules: rules::docs(),
        ..report::RenderOptions::for_base(&base)
    };
    let status = match (&args.output, written) {
        (_, Written::Report(written)) => output_status(written),
        // All or nothing: a full disk or a concurrent run never leaves half a report.
        (Some(path), _) => {
            let rendered = report::render(&result, args.format, &options);
            match crate::fsio::write_atomic(path, rendered.as_bytes()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("error: cannot write {}: {error}", path.display());
                    ExitCode::from(exit::FAILURE)
                }
            }
        }
        (None, written) => {
            let prints = match &written {
                Written::Fingerprints(prints) => Some(prints.as_slice()),
                _ => None,
            };
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            output_status(
                report::write(&result, args.format, &options, prints, &mut out)
                    .and_then(|()| out.flush()),
            )
        }
    };
    if args.statistics {
        eprint!("{}", report::statistics::render(&result));
    }
    if baselined > 0 {
        note(
            args,
            format!(
                "note: {} recorded in the baseline not shown",
                report::plural(baselined, "finding")
            ),
        );
    }
    if args.verbose {
        for detail in &result.details {
            eprintln!("{detail}");
        }
    }
    for warning in &result.warnings {
        note(args, format!("warning: {warning}"));
    }
    for error in &result.errors {
        eprintln!("error: {error}");
    }
    // The totals line goes with the reports people read in a terminal or a CI log; machine
    // formats on stdout keep stderr quiet unless the report went to a file.
    let totals = matches!(
        args.format,
        Format::Human | Format::Concise | Format::Github
    );
    if totals || args.output.is_some() {
        note(
            args,
            format!(
                "{} ({:.2} s)",
                report::human::summary(&result),
                started.elapsed().as_secs_f64()
            ),
        );
        if let Some(text) = fixable_note(&result, args.fix) {
            note(args, text);
        }
    }
    if status != ExitCode::SUCCESS {
        return status;
    }
    if !result.errors.is_empty() {
        ExitCode::from(exit::FAILURE)
    } else if fails(args, &result) {
        ExitCode::from(exit::FINDINGS)
    } else {
        ExitCode::from(exit::CLEAN)
    }
}

/// Whether the findings fail the run (exit 1): one at or over `--fail-on`, or more warnings
/// than `--max-warnings`; never with `--exit-zero`.
fn fails(args: &CheckArgs, result: &CheckResult) -> bool {
    if args.exit_zero {
        return false;
    }
    let (_, warnings, _) = result.counts();
    let over_severity = result
        .files
        .iter()
        .flat_map(|f| &f.findings)
        .any(|f| args.fail_on.fails(f.severity));
    over_severity || args.max_warnings.is_some_and(|max| warnings > max)
}

/// "note: 3 findings fixable with `--fix` (1 more with `--unsafe-fixes`)", as ruff says it.
fn fixable_note(result: &CheckResult, fixed: bool) -> Option<String> {
    let (mut safe, mut unsafe_only) = (0, 0);
    for fix in result
        .files
        .iter()
        .flat_map(|f| &f.findings)
        .filter_map(|f| f.fix.as_ref())
    {
        match fix.applicability {
            crate::fix::Applicability::Safe => safe += 1,
            crate::fix::Applicability::Unsafe => unsafe_only += 1,
        }
    }
    let more = match unsafe_only {
        0 => String::new(),
        n => format!(" ({n} more with `--unsafe-fixes`)"),
    };
    match (safe, unsafe_only, fixed) {
        (0, 0, _) => None,
        (0, n, _) => Some(format!(
            "note: {} fixable with `--fix --unsafe-fixes`",
            report::plural(n, "finding")
        )),
        (_, _, true) => (unsafe_only > 0).then(|| {
            format!(
                "note: {} more fixable with `--unsafe-fixes`",
                report::plural(unsafe_only, "finding")
            )
        }),
        (n, _, false) => Some(format!(
            "note: {} fixable with `--fix`{more}",
            report::plural(n, "finding")
        )),
    }
}

/// Writes to stdout; a closed pipe (`| head`) is a quiet success, other errors exit 2.
fn print(text: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    output_status(
        stdout
            .write_all(text.as_bytes())
            .and_then(|_| stdout.flush()),
    )
}

/// The status of writing the report to stdout: a closed pipe (`| head`) is a quiet success,
/// other errors exit 2.
fn output_status(written: std::io::Result<()>) -> ExitCode {
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: cannot write output: {error}");
            ExitCode::from(exit::FAILURE)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_follows_the_flag_then_the_environment_then_the_terminal() {
        let with = |vars: &[(&str, &str)], terminal: bool| {
            let vars: Vec<(String, String)> = vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            use_color(ColorChoice::Auto, terminal, move |name| {
                vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.into())
            })
        };
        assert!(with(&[], true));
        assert!(!with(&[], false));
        assert!(with(&[("FORCE_COLOR", "1")], false));
        assert!(with(&[("CLICOLOR_FORCE", "1")], false));
        assert!(!with(&[("FORCE_COLOR", "0")], true));
        assert!(!with(&[("NO_COLOR", "1"), ("FORCE_COLOR", "1")], true));
        // An empty NO_COLOR is unset, as no-color.org says.
        assert!(with(&[("NO_COLOR", "")], true));
        assert!(!with(&[("TERM", "dumb")], true));
        assert!(with(&[("TERM", "dumb"), ("FORCE_COLOR", "1")], false));
        assert!(!with(&[("CLICOLOR", "0")], true));
        assert!(use_color(ColorChoice::Always, false, |_| Some("1".into())));
        assert!(!use_color(ColorChoice::Never, true, |_| None));
    }
}
