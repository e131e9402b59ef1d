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
    Check(CheckArgs),
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

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Markdown files or directories; manifests (package.json, ...) lint their project's runbooks.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// When to use colour in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Project root for all files (default: discovered per file).
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// Config file (default: runbook-lint.toml or .runbook-lint.toml at the project root).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Write the report to this file instead of stdout (the summary still goes to stderr).
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print how many findings each rule produced (to stderr).
    #[arg(long)]
    pub statistics: bool,
    /// Report only findings not recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file (and report them as usual).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Lint only runbooks changed since this git revision, and the runbooks of projects whose
    /// manifests changed.
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,
    /// Apply the config's `include` globs to files named on the command line too (the
    /// pre-commit hook does; `--changed-since` implies it).
    #[arg(long)]
    pub force_select: bool,
    /// Worker threads, at most 1024 (default: one per core). The output is the same for any
    /// number.
    #[arg(long, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<usize>,
    /// Skip Markdown files larger than this, with a warning: bytes or "10MB", "512KiB"
    /// (default: the config's max-file-size, else 10 MB).
    #[arg(long, value_name = "SIZE", value_parser = parse_file_size)]
    pub max_file_size: Option<u64>,
    /// Judge review dates as of this day (YYYY-MM-DD) instead of the clock: reproducible runs.
    #[arg(long, value_parser = parse_today)]
    pub today: Option<crate::date::Date>,
    /// Apply safe fixes to the runbooks (never to manifests), then report what remains.
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff: apply unsafe fixes too (suggestions a person should review).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff instead of writing them; exit 1 when there is one.
    #[arg(long)]
    pub diff: bool,
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
    /// Colour when writing to a terminal and `NO_COLOR` is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
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
        Command::Check(args) => check(args),
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
            let all = rules::rule_set(&project_settings().unwrap_or_default());
            let metas: Vec<rules::RuleMeta<'_>> = all
                .iter()
                .map(|r| r.meta())
                .chain(rules::ENGINE_RULES.iter().copied())
                .collect();
            match metas.iter().find(|m| m.id == rule) {
                Some(meta) => print(&format!(
                    "# {}\n\nDefault severity: {}\n\n{}\n",
                    meta.id,
                    meta.default_severity.name(),
                    rules::full_docs(meta)
                )),
                None => {
                    let hint =
                        crate::diagnostic::did_you_mean_text(&rule, metas.iter().map(|m| m.id))
                            .map(|h| format!(" {h}"))
                            .unwrap_or_default();
                    eprintln!("error: unknown rule `{rule}`.{hint} Run `runbook-lint rules` for the list.");
                    ExitCode::from(exit::FAILURE)
                }
            }
        }
        Command::Init => match crate::init::write_starter(Path::new(".")) {
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
            meta.default_severity.name(),
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
    if let Some(revision) = &args.changed_since {
        match crate::changed::changed_paths(&base, revision, &paths) {
            // Nothing changed: lint nothing (an empty list would mean "everything").
            Ok(changed) if changed.is_empty() => {
                return finish_check(&args, CheckResult::default(), started)
            }
            Ok(changed) => paths = changed,
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::from(exit::FAILURE);
            }
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
    };
    let mut result = match engine::check(&options) {
        Ok(result) => result,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(exit::FAILURE);
        }
    };
    if args.diff {
        return finish_diff(&args, &result);
    }
    if args.fix {
        write_fixes(&mut result);
    }
    finish_check(&args, result, started)
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
    } else if fixes > 0 {
        ExitCode::from(exit::FINDINGS)
    } else {
        ExitCode::from(exit::CLEAN)
    }
}

/// `--fix`: writes each fixed runbook in place (atomically), then says how many fixes went in.
/// A file that changed on disk since it was read is left alone: the fixes were computed for
/// the old text.
fn write_fixes(result: &mut CheckResult) {
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
        eprintln!(
            "fixed {} in {}",
            report::plural(fixes, "finding"),
            report::plural(files, "file")
        );
    }
}

/// Baseline, rendering, output file, statistics, summary and exit status of a check.
fn finish_check(args: &CheckArgs, mut result: CheckResult, started: Instant) -> ExitCode {
    let base = std::env::current_dir().unwrap_or_default();
    if let Some(path) = &args.write_baseline {
        if let Err(error) = crate::baseline::Baseline::from_result(&result).write(path) {
            eprintln!("error: {error}");
            return ExitCode::from(exit::FAILURE);
        }
    }
    let mut baselined = 0;
    if let Some(path) = &args.baseline {
        match crate::baseline::Baseline::load(path, &base) {
            Ok(baseline) => baselined = baseline.filter(&mut result),
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::from(exit::FAILURE);
            }
        }
    }
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let color = color && args.output.is_none();
    let rendered = report::render(&result, args.format, color, &rules::docs());
    let status = match &args.output {
        // All or nothing: a full disk or a concurrent run never leaves half a report.
        Some(path) => match crate::fsio::write_atomic(path, rendered.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: cannot write {}: {error}", path.display());
                ExitCode::from(exit::FAILURE)
            }
        },
        None => print(&rendered),
    };
    if args.statistics {
        eprint!("{}", report::statistics::render(&result));
    }
    if baselined > 0 {
        eprintln!(
            "note: {} recorded in the baseline not shown",
            report::plural(baselined, "finding")
        );
    }
    for warning in &result.warnings {
        eprintln!("warning: {warning}");
    }
    for error in &result.errors {
        eprintln!("error: {error}");
    }
    if args.format == Format::Human || args.output.is_some() {
        eprintln!(
            "{} ({:.2} s)",
            report::human::summary(&result),
            started.elapsed().as_secs_f64()
        );
        if let Some(note) = fixable_note(&result, args.fix) {
            eprintln!("{note}");
        }
    }
    if status != ExitCode::SUCCESS {
        return status;
    }
    let (errors, _, _) = result.counts();
    if !result.errors.is_empty() {
        ExitCode::from(exit::FAILURE)
    } else if errors > 0 {
        ExitCode::from(exit::FINDINGS)
    } else {
        ExitCode::from(exit::CLEAN)
    }
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
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: cannot write output: {error}");
            ExitCode::from(exit::FAILURE)
        }
    }
}
