//! The command layer: what a shell command in a runbook, or in a package script, means.
//!
//! Each simple command is understood once, here: [`shell`] splits the shell people write,
//! [`lines`] joins continuations, skips heredocs and carries `cd`, [`argv`] peels wrappers and
//! launchers, and [`tools`] holds what each program's command line means (one file per tool).
//! The result is a list of [`Invocation`]s per command: which program really runs, where
//! ([`ExecLocation`]), in which directory, with which env vars, and which scripts, targets,
//! services and files it names. Rules match on invocations and never parse argv themselves.
//!
//! This module knows shell and command-line tools; it knows nothing of Markdown, manifests or
//! rules.

pub mod argv;
mod invocation;
pub mod lines;
pub mod shell;
pub mod sql;
pub mod tools;
mod workdir;

pub use invocation::{
    ContainerRef, Endpoint, EnvAssignment, EnvStore, ExecLocation, FileArg, FileRole, Invocation,
    KubeRun, Platform, PlatformRun, Runtime, StoredVar, WorkflowRun,
};
pub use lines::{
    block_commands, inline_commands, inline_is_command, is_inline_program, is_known_program,
    is_script_path, is_shell_language, looks_like_commands, script_commands, SourceLine,
};
pub use shell::{Joint, Word};
pub use workdir::WorkDir;

use crate::span::Span;

/// One simple shell command as written, and what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// Program and arguments, after wrappers such as `sudo` and `env` (kept in `wrappers`).
    pub words: Vec<Word>,
    /// `NAME=value` prefixes, including those given to `env`.
    pub assignments: Vec<Word>,
    /// Wrapper words before the program (`sudo -E`, `time`, `env`).
    pub wrappers: Vec<Word>,
    /// Output redirection targets (`> out.log`).
    pub redirects: Vec<Word>,
    /// True when its standard input is a file, a heredoc or a here-string (`< dump.sql`).
    pub stdin_redirected: bool,
    /// Input redirection sources (`< dump.sql`): read by the shell where it is typed.
    pub inputs: Vec<Word>,
    /// How the command is joined to the previous one on its line.
    pub joint: Joint,
    /// The directory it runs in, from the `cd`s before it.
    pub cwd: WorkDir,
    /// The interactive session it is typed into, when an earlier line of its block opened one
    /// (`ssh host`, `kubectl exec -it pod -- bash`, `fly ssh console`) and no `exit` closed
    /// it: the command runs there, not here.
    pub session: Option<ExecLocation>,
    /// From its first to its last word.
    pub span: Span,
    /// The whole logical line it came from (continuations joined), for context in messages;
    /// shared by every command of that line (a copy each made memory quadratic in line
    /// length: a 520 KB line of `pnpm x && ...` took 11.5 GB).
    pub line: std::sync::Arc<str>,
    /// What runs, outermost first: `docker compose exec web psql -c x` is `docker compose`
    /// (here) then `psql` (in the container `web`). Empty until [`Command::understand`]; never
    /// empty afterwards when the command has words.
    pub invocations: Vec<Invocation>,
}

impl Command {
    /// Works out the command's invocations. Called once per command, after its spans are
    /// final.
    pub fn understand(&mut self) {
        self.invocations = invocation::understand(self);
    }

    /// The program word, if any (wrappers peeled, launchers not).
    pub fn program(&self) -> Option<&str> {
        self.words.first().map(|w| w.text.as_str())
    }

    /// The program's file name (`rails` for `bin/rails`), wrappers peeled, launchers not.
    pub fn program_name(&self) -> Option<&str> {
        self.program().map(argv::program_name)
    }

    /// True when what the command runs runs in a container or on another host
    /// (`kubectl exec ... --`, `docker compose exec`, `ssh host cmd`).
    pub fn runs_elsewhere(&self) -> bool {
        self.invocation().is_some_and(|i| !i.is_local())
    }

    /// Argument words after the program.
    pub fn args(&self) -> &[Word] {
        self.words.get(1..).unwrap_or(&[])
    }

    /// The words as text.
    pub fn argv(&self) -> Vec<&str> {
        self.words.iter().map(|w| w.text.as_str()).collect()
    }

    /// The command as a single line of text (words joined by spaces).
    pub fn text(&self) -> String {
        self.argv().join(" ")
    }

    /// Span of the `index`-th word, or the whole command.
    pub fn word_span(&self, index: usize) -> Span {
        self.words.get(index).map(|w| w.span).unwrap_or(self.span)
    }

    /// The invocation that does the work: the innermost one (`psql` in
    /// `docker compose exec db psql`).
    pub fn invocation(&self) -> Option<&Invocation> {
        self.invocations.last()
    }

    /// The first invocation, the one that runs where the command is typed.
    pub fn outer(&self) -> Option<&Invocation> {
        self.invocations.first()
    }

    /// True when a word makes the command a rehearsal (`--dry-run`, Alembic's offline
    /// `--sql`, `--plan`) or it is a `plan` variant (`terraform plan`): it changes nothing.
    pub fn is_rehearsal(&self) -> bool {
        self.args()
            .iter()
            .any(|w| tools::is_rehearsal_flag(&w.text))
            || self.args().first().is_some_and(|w| w.text == "plan")
    }

    /// Values of the flags that name a target environment (`kubectl -n staging`,
    /// `--context dev-cluster`, `--namespace=x`), in order.
    pub fn environment_names(&self) -> Vec<&str> {
        let mut names = tools::environment_names(&self.words, &self.assignments);
        // After `ssh prod-web1` or `heroku run bash -a shop-production`, the host or app.
        if let Some(session) = &self.session {
            names.push(session.name());
        }
        names
    }

    /// Paths the command creates, in any of its invocations: redirect targets, `mkdir` and
    /// `touch` arguments, copy and download destinations, `-o FILE` values, `git clone`
    /// directories, unpacked archives.
    pub fn files_written(&self) -> impl Iterator<Item = &str> {
        self.redirects.iter().map(|w| w.text.as_str()).chain(
            self.invocations
                .iter()
                .flat_map(|i| i.files_written.iter().map(String::as_str)),
        )
    }

    /// Where a session this command opens runs the lines after it: `ssh host`,
    /// `kubectl exec -it pod -- bash`, `docker compose exec web sh`, `fly ssh console`,
    /// `heroku run bash`, `cf ssh app`. `None` for any other command.
    pub fn opens_session(&self) -> Option<ExecLocation> {
        let argv = self.argv();
        tools::session(&argv)
    }

    /// The directory a `cd` or `pushd` changes to.
    pub fn cd_target(&self) -> Option<&Word> {
        self.outer().and_then(|i| i.cd.as_ref())
    }
}

/// Splits and understands one line of shell on its own (no `cd` before it): for tests, tools
/// and packs matched against a written command.
pub fn parse(line: &str) -> Command {
    let mut commands = lines::inline_commands(line, &|i| i);
    for command in &mut commands {
        command.understand();
    }
    commands.into_iter().next().unwrap_or(Command {
        words: Vec::new(),
        assignments: Vec::new(),
        wrappers: Vec::new(),
        redirects: Vec::new(),
        stdin_redirected: false,
        inputs: Vec::new(),
        joint: Joint::Start,
        cwd: WorkDir::Default,
        session: None,
        span: Span::default(),
        line: std::sync::Arc::from(line),
        invocations: Vec::new(),
    })
}
