//! Per-tool knowledge: what each program's command line means. One file per tool (or family
//! of tools sharing a command-line shape); `understand` dispatches on the program's name and
//! fills the [`Invocation`]'s typed fields. Adding a tool is a file here and a line in
//! `understand` (and in [`carrier`] or [`value_flags`] when it has such options).

mod ansible;
mod aws;
mod builtins;
mod bun;
mod cf;
mod compose;
mod composer;
mod docker;
mod doppler;
mod endpoint;
mod files;
mod fly;
mod gh;
mod git;
mod helm;
mod heroku;
mod interpreters;
mod just;
mod kubectl;
mod make;
mod npm;
mod package_manager;
mod pip;
mod pnpm;
mod project_script;
mod psql;
mod railway;
mod rake;
mod redis;
mod render;
mod secrets;
mod ssh;
mod task;
mod task_runner;
mod terraform;
mod turbo;
mod vercel;
mod yarn;

pub use compose::{ComposeRun, MisplacedOption};
pub use package_manager::{
    is_manager_builtin, is_well_known_binary, PackageManager, PackageTarget, ScriptRun,
};
pub use task_runner::{Runner, TaskRun};

use super::invocation::{ExecLocation, FileArg, FileRole, Invocation};

/// A program that hands the rest of its command line to a container or another host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Carrier {
    /// The words of the command it runs there (`-C "cmd"` of `fly ssh console`; everything
    /// after `--` of `kubectl exec`).
    pub inner: std::ops::Range<usize>,
    /// Where that command runs.
    pub location: ExecLocation,
}

/// The carrier at `argv[i]`, if the program there is one (`kubectl exec ... --`,
/// `docker compose exec SERVICE`, `ssh HOST`, ...).
pub fn carrier(argv: &[&str], i: usize) -> Option<Carrier> {
    match argv[i] {
        "kubectl" | "oc" => kubectl::carrier(argv, i),
        "docker" | "podman" | "docker-compose" | "podman-compose" => docker::carrier(argv, i),
        "ssh" => ssh::carrier(argv, i),
        "heroku" => heroku::carrier(argv, i),
        "fly" | "flyctl" => fly::carrier(argv, i),
        "cf" => cf::carrier(argv, i),
        _ => None,
    }
}

/// Where the lines after `argv` run when it opens an interactive session: a carrier whose
/// command is a bare shell (`kubectl exec -it pod -- bash`, `docker compose exec web sh`,
/// `heroku run bash`), or a remote login without a command (`ssh host`, `cf ssh app`,
/// `fly ssh console`, `gcloud compute ssh vm`, `vagrant ssh`).
pub fn session(argv: &[&str]) -> Option<ExecLocation> {
    let program = *argv.first()?;
    if let Some(carrier) = carrier(argv, 0) {
        let inner = argv.get(carrier.inner.clone()).unwrap_or(&[]);
        return is_interactive_shell(inner).then_some(carrier.location);
    }
    match program {
        "ssh" => ssh::session(argv),
        "gcloud" | "vagrant" => ssh::vm_session(argv),
        "cf" => cf::session(argv),
        "fly" | "flyctl" => fly::session(argv),
        _ => None,
    }
}

/// True for a shell started with no command: `bash`, `/bin/sh -l`, `zsh -i`.
fn is_interactive_shell(words: &[&str]) -> bool {
    let Some((shell, flags)) = words.split_first() else {
        return false;
    };
    let name = shell.rsplit('/').next().unwrap_or(shell);
    matches!(
        name,
        "bash" | "sh" | "zsh" | "ash" | "dash" | "ksh" | "fish"
    ) && flags
        .iter()
        .all(|f| matches!(*f, "-l" | "-i" | "-il" | "-li" | "--login"))
}

/// Fills the typed fields of an invocation from its words.
pub(super) fn understand(invocation: &mut Invocation) {
    let name = invocation.name().to_string();
    match name.as_str() {
        "npm" | "pnpm" | "yarn" | "bun" => {
            invocation.script = package_manager::script_run(&invocation.words)
        }
        "make" | "gmake" => invocation.tasks = make::task_run(&invocation.words),
        "just" => invocation.tasks = just::task_run(&invocation.words),
        "task" => invocation.tasks = task::task_run(&invocation.words),
        "turbo" => invocation.tasks = turbo::task_run(&invocation.words),
        "composer" => invocation.tasks = composer::task_run(&invocation.words),
        "rake" => invocation.tasks = rake::task_run(&invocation.words),
        "docker" | "podman" | "docker-compose" | "podman-compose" => docker::understand(invocation),
        "kubectl" | "oc" => kubectl::understand(invocation),
        "psql" | "mysql" | "sqlite3" | "mariadb" | "cockroach" => {
            invocation.sql = psql::sql_words(&invocation.words);
            psql::understand(invocation);
            invocation.endpoint = endpoint::endpoint(&name, &invocation.words);
        }
        "redis-cli" | "pg_dump" | "pg_restore" | "pg_isready" => {
            invocation.endpoint = endpoint::endpoint(&name, &invocation.words)
        }
        "pip" | "pip3" | "pip-sync" | "pip-compile" | "uv" => pip::understand(invocation),
        "helm" => helm::understand(invocation),
        "terraform" | "tofu" | "terragrunt" => terraform::understand(invocation),
        "ansible-playbook" => ansible::understand(invocation),
        "cd" | "pushd" => invocation.cd = invocation.words.get(1).cloned(),
        "export" | "declare" | "local" | "readonly" | "typeset" => builtins::exports(invocation),
        "fly" | "flyctl" => fly::understand(invocation),
        "heroku" => heroku::understand(invocation),
        "railway" => railway::understand(invocation),
        "render" => render::understand(invocation),
        "vercel" => vercel::understand(invocation),
        "gh" => gh::understand(invocation),
        "act" => gh::act(invocation),
        "cf" => cf::understand(invocation),
        "doppler" => doppler::understand(invocation),
        "aws" => aws::understand(invocation),
        _ => {}
    }
    if invocation.tasks.is_none() {
        invocation.tasks = project_script::task_run(&invocation.launchers, &invocation.words);
    }
    interpreters::understand(invocation);
    files::understand(invocation);
}

/// Options of `program` that take the next word as their value, so that word is not a
/// positional argument (`kubectl -n shop delete ns x`: the positionals are `delete ns x`).
pub fn value_flags(program: &str) -> &'static [&'static str] {
    match program {
        "kubectl" => kubectl::VALUE_FLAGS,
        "oc" => kubectl::OC_VALUE_FLAGS,
        "helm" => helm::VALUE_FLAGS,
        "redis-cli" => redis::VALUE_FLAGS,
        "git" => git::VALUE_FLAGS,
        "docker" => docker::VALUE_FLAGS,
        "terraform" => terraform::VALUE_FLAGS,
        "manage.py" | "django-admin" => interpreters::DJANGO_VALUE_FLAGS,
        "alembic" => interpreters::ALEMBIC_VALUE_FLAGS,
        "prisma" => interpreters::PRISMA_VALUE_FLAGS,
        _ => &[],
    }
}

/// Flags that make a command a rehearsal that changes nothing: `--dry-run`, Alembic's offline
/// `--sql`, `--plan`, PowerShell-style `--what-if`, `kubectl --server-dry-run`.
const REHEARSAL_FLAGS: &[&str] = &[
    "--dry-run",
    "--dryrun",
    "--sql",
    "--plan",
    "--what-if",
    "--server-dry-run",
];

/// True for a rehearsal flag, also with a value (`--dry-run=server`).
pub fn is_rehearsal_flag(word: &str) -> bool {
    REHEARSAL_FLAGS
        .iter()
        .any(|f| word == *f || word.strip_prefix(f).is_some_and(|r| r.starts_with('=')))
}

/// Values that name the environment a command targets, in order: `-n`/`--namespace`,
/// `--context`, `--kube-context`, `--env`, `--environment`, `--stage` (also as `--env=x`),
/// the app of a platform CLI (`heroku -a shop-production`, `fly -a`, `heroku -r production`),
/// and `RAILS_ENV=`, `RACK_ENV=`, `APP_ENV=`, `MIX_ENV=`, `ENVIRONMENT=`, `DEPLOY_ENV=`,
/// `STAGE=`, `DJANGO_SETTINGS_MODULE=` assignments. `NODE_ENV` is left out: builds set it.
pub fn environment_names<'a>(
    words: &'a [super::Word],
    assignments: &'a [super::Word],
) -> Vec<&'a str> {
    const VALUED: &[&str] = &[
        "-n",
        "--namespace",
        "--context",
        "--kube-context",
        "--env",
        "--environment",
        "--stage",
    ];
    const APP_CLIS: &[&str] = &["heroku", "fly", "flyctl", "render", "railway", "cf"];
    const ASSIGNED: &[&str] = &[
        "RAILS_ENV",
        "RACK_ENV",
        "APP_ENV",
        "MIX_ENV",
        "ENVIRONMENT",
        "DEPLOY_ENV",
        "STAGE",
        "DJANGO_SETTINGS_MODULE",
    ];
    let program = words
        .first()
        .map(|w| super::argv::program_name(&w.text))
        .unwrap_or("");
    let app_cli = APP_CLIS.contains(&program);
    let mut names: Vec<&str> = assignments
        .iter()
        .filter_map(|w| w.text.split_once('='))
        .filter(|(name, _)| ASSIGNED.contains(name))
        .map(|(_, value)| value)
        .collect();
    for pair in words.windows(2) {
        let flag = pair[0].text.as_str();
        let value = pair[1].text.as_str();
        let named = VALUED.contains(&flag)
            || (app_cli && matches!(flag, "-a" | "--app" | "-r" | "--remote"));
        // `docker run --env KEY=value` sets a variable, it names no environment.
        if named && !value.contains('=') {
            names.push(value);
        }
    }
    for word in words {
        let text = word.text.as_str();
        for prefix in [
            "--namespace=",
            "--context=",
            "--kube-context=",
            "--env=",
            "--environment=",
            "--stage=",
        ] {
            if let Some(value) = text.strip_prefix(prefix).filter(|v| !v.contains('=')) {
                names.push(value);
            }
        }
        if app_cli {
            if let Some(value) = text.strip_prefix("--app=") {
                names.push(value);
            }
        }
    }
    names
}

/// True when `word` is a bind address rather than a host to reach: the value of `--host`,
/// `-H`, `--bind`, `-b`, `--listen`, `--address` (given as `previous`), or `HOST=...`,
/// `--host=...`, `--bind=...`.
pub fn is_bind_address(previous: &str, word: &str) -> bool {
    matches!(
        previous,
        "--host" | "-H" | "--bind" | "-b" | "--listen" | "--address"
    ) || word.to_ascii_uppercase().starts_with("HOST=")
        || word.starts_with("--host=")
        || word.starts_with("--bind=")
}

/// Files named by `-f x` / `--file x` / `--file=x` among `words` (the long flags also in their
/// `=` form), each read by the command.
fn files_read_by(words: &[super::Word], flags: &[&str]) -> Vec<FileArg> {
    let mut found: Vec<FileArg> = flag_values(words, flags)
        .into_iter()
        .map(|w| FileArg {
            word: w.clone(),
            role: FileRole::Reads,
        })
        .collect();
    for word in words {
        let value = flags
            .iter()
            .filter(|f| f.starts_with("--"))
            .find_map(|f| word.text.strip_prefix(*f)?.strip_prefix('='));
        if let Some(value) = value {
            let mut word = word.clone();
            word.text = value.to_string();
            found.push(FileArg {
                word,
                role: FileRole::Reads,
            });
        }
    }
    found
}

/// Values of `flag value` pairs among `words`.
fn flag_values<'a>(words: &'a [super::Word], flags: &[&str]) -> Vec<&'a super::Word> {
    words
        .windows(2)
        .filter(|pair| flags.contains(&pair[0].text.as_str()))
        .map(|pair| &pair[1])
        .collect()
}
