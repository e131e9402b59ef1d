//! [`Invocation`]: one program run by a command, after wrappers and launchers, with where it
//! runs and what it names.

use super::shell::{self, Word};
use super::tools::{self, ComposeRun, ScriptRun, TaskRun};
use super::{argv, Command};
use crate::span::Span;

/// Where an invocation runs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ExecLocation {
    /// Where the runbook's commands are typed: a checkout of this repository.
    #[default]
    Local,
    /// In a container: `docker compose exec|run SERVICE`, `docker exec NAME`,
    /// `kubectl exec TARGET --`.
    Container {
        /// What runs the container.
        runtime: Runtime,
        /// The compose service, container or pod target as written (may be a placeholder).
        name: String,
    },
    /// On another host: `ssh HOST`, `cf ssh APP`, `fly ssh console`, `heroku run`.
    Remote {
        /// How the command gets there.
        platform: Platform,
        /// The host or app as written; empty when the command does not name it.
        host: String,
    },
}

impl ExecLocation {
    /// True for [`ExecLocation::Local`]: files the command names are this repository's.
    pub fn is_local(&self) -> bool {
        matches!(self, ExecLocation::Local)
    }

    /// Where it is, as a message says it: "the container `web`", "the host `deploy@web1`".
    pub fn describe(&self) -> String {
        let named = |what: &str, name: &str| {
            if name.is_empty() {
                format!("a {what}")
            } else {
                format!("the {what} `{name}`")
            }
        };
        match self {
            ExecLocation::Local => "this repository".to_string(),
            ExecLocation::Container {
                runtime: Runtime::Compose,
                name,
            } => named("compose service", name),
            ExecLocation::Container {
                runtime: Runtime::Kubernetes,
                name,
            } => named("pod", name),
            ExecLocation::Container { name, .. } => named("container", name),
            ExecLocation::Remote {
                platform: Platform::Ssh,
                host,
            } => named("host", host),
            ExecLocation::Remote {
                platform: Platform::Heroku,
                host,
            } => named("Heroku app", host),
            ExecLocation::Remote {
                platform: Platform::Fly,
                host,
            } => named("Fly app", host),
            ExecLocation::Remote {
                platform: Platform::CloudFoundry,
                host,
            } => named("Cloud Foundry app", host),
        }
    }

    /// The name of the container, pod, app or host, as written (may be empty).
    pub fn name(&self) -> &str {
        match self {
            ExecLocation::Local => "",
            ExecLocation::Container { name, .. } => name,
            ExecLocation::Remote { host, .. } => host,
        }
    }
}

/// What runs a container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runtime {
    /// `docker compose exec|run`, `docker-compose exec|run`.
    Compose,
    /// `docker exec`, `podman exec`.
    Docker,
    /// `kubectl exec`, `oc exec`.
    Kubernetes,
}

/// How a command reaches another host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// `ssh HOST COMMAND`.
    Ssh,
    /// `cf ssh APP -c COMMAND`.
    CloudFoundry,
    /// `fly ssh console -C COMMAND`.
    Fly,
    /// `heroku run COMMAND`.
    Heroku,
}

/// An env var an invocation sets: `NAME=value cmd`, `env NAME=value cmd`, `export NAME=value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvAssignment {
    /// The variable.
    pub name: String,
    /// The value as written (quotes removed).
    pub value: String,
    /// The whole `NAME=value` word.
    pub span: Span,
    /// True for `export NAME=value` (and `declare`, `readonly`...): it stays set for the
    /// commands after it, not only for this one.
    pub exported: bool,
}

/// Where a secret-setting command stores a variable for the deployed service (or CI).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvStore {
    /// `fly secrets set`.
    Fly,
    /// `heroku config:set`.
    Heroku,
    /// `railway variables set`, `railway variables --set`.
    Railway,
    /// `render env set`.
    Render,
    /// `vercel env add`.
    Vercel,
    /// `gh secret set`, `gh variable set`: GitHub Actions.
    GithubActions,
    /// `kubectl create secret|configmap NAME --from-literal=K=V`: the object's name.
    Kubernetes(String),
    /// `doppler secrets set`.
    Doppler,
    /// `aws ssm put-parameter --name .../NAME`.
    AwsSsm,
}

impl EnvStore {
    /// The platform as a reader names it.
    pub fn name(&self) -> &str {
        match self {
            EnvStore::Fly => "Fly",
            EnvStore::Heroku => "Heroku",
            EnvStore::Railway => "Railway",
            EnvStore::Render => "Render",
            EnvStore::Vercel => "Vercel",
            EnvStore::GithubActions => "GitHub Actions",
            EnvStore::Kubernetes(_) => "Kubernetes",
            EnvStore::Doppler => "Doppler",
            EnvStore::AwsSsm => "AWS SSM",
        }
    }
}

/// A variable a secret-setting command stores on a platform: `fly secrets set NAME=value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredVar {
    /// The variable.
    pub name: String,
    /// Its value, when the command gives one (`vercel env add NAME` reads it from stdin).
    pub value: Option<String>,
    /// The word naming it (`NAME=value`, `--from-literal=NAME=value`, `/app/prod/NAME`).
    pub word: Word,
    /// Where it is stored.
    pub store: EnvStore,
}

/// Where a database client connects, when the command names a literal port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The host as written (`localhost`, `127.0.0.1`); empty when the client uses a local
    /// socket (`psql` without `-h`).
    pub host: String,
    /// The port word.
    pub port: Word,
    /// The port.
    pub number: u16,
    /// The port the server listens on by default (5432 for PostgreSQL, 6379 for Redis).
    pub default_port: u16,
}

impl Endpoint {
    /// True when the host is this machine (`localhost`, `127.0.0.1`, `0.0.0.0`, `::1`).
    pub fn is_this_machine(&self) -> bool {
        matches!(
            self.host.as_str(),
            "localhost" | "127.0.0.1" | "0.0.0.0" | "::1" | "[::1]"
        )
    }
}

/// What a `kubectl` command names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KubeRun {
    /// Objects by kind (`Deployment`, `StatefulSet`, `Service`...) and name as written.
    pub objects: Vec<(String, Word)>,
    /// The `-n`/`--namespace` value.
    pub namespace: Option<Word>,
    /// True for `kubectl create KIND NAME`: the command creates the objects it names.
    pub creates: bool,
}

/// What a GitHub Actions command names: `gh workflow run NAME -f key=value`, `act -j JOB`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WorkflowRun {
    /// The workflow `gh workflow run` runs (a file name, path or `name:`).
    pub workflow: Option<Word>,
    /// The `workflow_dispatch` inputs it passes (`-f key=value`, `-F`, `--field`,
    /// `--raw-field`): the word, its text the key.
    pub inputs: Vec<Word>,
    /// The jobs `act -j JOB` runs.
    pub jobs: Vec<Word>,
}

/// What a platform CLI names that the project's platform manifests declare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformRun {
    /// The platform (Fly.io, Heroku, Cloud Foundry).
    pub platform: Platform,
    /// The app it targets: `fly -a NAME`, `cf push NAME`.
    pub app: Option<Word>,
    /// Process types it scales or restarts: `heroku ps:scale web=2`, `ps:restart worker`;
    /// the word, its text the type.
    pub processes: Vec<Word>,
}

/// A container named by a `docker` command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerRef {
    /// The name as written.
    pub word: Word,
    /// True for `docker run|create --name NAME`: the command creates it.
    pub creates: bool,
}

/// A file an invocation runs or reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileArg {
    /// The word naming it.
    pub word: Word,
    /// What the command does with it.
    pub role: FileRole,
}

/// What a command does with a file it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRole {
    /// Runs it: `./deploy.sh`, `bash x.sh`, `node x.js`, `chmod +x x` (made runnable).
    Runs,
    /// Reads it into the shell: `source x`, `. x`.
    Sources,
    /// Copies a template from it: `cp .env.example .env`.
    CopiesTemplate,
    /// A compose file: `docker compose -f x.yml`.
    ComposeFile,
    /// An env file: `--env-file x`.
    EnvFile,
    /// A Dockerfile: `docker build -f x`.
    Dockerfile,
    /// A Kubernetes manifest or kustomization: `kubectl apply -f x`, `-k dir`.
    KubernetesManifest,
    /// A file it reads as input: `pip install -r requirements.txt`, `helm -f values.yaml`,
    /// `terraform -var-file x`, `psql -f x.sql`, `ansible-playbook site.yml`,
    /// `--from-file x`, `< dump.sql`.
    Reads,
    /// A directory it works in: `npm ci --prefix app`, a local Helm chart.
    Directory,
}

/// One program a command runs, and what it names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Invocation {
    /// Words before the program that only launch it (`npx`, `pnpm exec`, `bundle exec`,
    /// `cross-env NODE_ENV=production`, `python` of `python manage.py`).
    pub launchers: Vec<Word>,
    /// The program and its arguments. For an invocation that carries another one
    /// (`docker compose exec web`), only its own words.
    pub words: Vec<Word>,
    /// Where it runs.
    pub location: ExecLocation,
    /// Env vars set for it.
    pub env_set: Vec<EnvAssignment>,
    /// Env vars its words expand (`$DATABASE_URL`, `${TAG}`), by name and span.
    pub env_read: Vec<(String, Span)>,
    /// Env vars it stores on a platform for the deployed service or CI (`fly secrets set`,
    /// `heroku config:set`, `gh secret set`, `kubectl create secret --from-literal`).
    pub env_stored: Vec<StoredVar>,
    /// A package script it runs (`npm run x`, `pnpm --filter api x`, `yarn workspace a x`).
    pub script: Option<ScriptRun>,
    /// Make targets, just recipes or Taskfile tasks it runs.
    pub tasks: Option<TaskRun>,
    /// A `docker compose` command line: files, services, subcommand.
    pub compose: Option<ComposeRun>,
    /// The container a `docker exec|logs|restart|stop|start|kill NAME` names, or the one
    /// `docker run|create --name NAME` creates.
    pub container: Option<ContainerRef>,
    /// Kubernetes objects a `kubectl` command names (`rollout restart deploy/api`,
    /// `scale deployment api`), with the namespace it targets.
    pub kube: Option<KubeRun>,
    /// The host and port a database client connects to (`psql -h localhost -p 6543`).
    pub endpoint: Option<Endpoint>,
    /// The workflow, inputs or jobs a GitHub Actions command names.
    pub workflow: Option<WorkflowRun>,
    /// The app or process types a platform CLI names.
    pub platform: Option<PlatformRun>,
    /// Files it runs or reads.
    pub files_read: Vec<FileArg>,
    /// Paths it creates (`mkdir x`, `cp a b`, `curl -o x`, `git clone url dir`).
    pub files_written: Vec<String>,
    /// Words a SQL client may take as SQL (`psql -c "DROP TABLE x"`).
    pub sql: Vec<Word>,
    /// The target of `cd DIR` or `pushd DIR`.
    pub cd: Option<Word>,
}

impl Invocation {
    /// The program word, if any.
    pub fn program(&self) -> Option<&Word> {
        self.words.first()
    }

    /// The program's file name (`rails` for `bin/rails`); empty when there is none.
    pub fn name(&self) -> &str {
        self.program()
            .map(|w| argv::program_name(&w.text))
            .unwrap_or("")
    }

    /// Argument words after the program.
    pub fn args(&self) -> &[Word] {
        self.words.get(1..).unwrap_or(&[])
    }

    /// The words as text.
    pub fn argv(&self) -> Vec<&str> {
        self.words.iter().map(|w| w.text.as_str()).collect()
    }

    /// The words joined by spaces.
    pub fn text(&self) -> String {
        self.argv().join(" ")
    }

    /// The arguments that are not flags, without the values of the program's options that
    /// take one: `kubectl -n shop delete ns x` → `delete ns x`.
    pub fn positionals(&self) -> Vec<&str> {
        let value_flags = tools::value_flags(self.name());
        let mut out = Vec::new();
        let mut skip = false;
        for word in self.args() {
            let word = word.text.as_str();
            if skip {
                skip = false;
                continue;
            }
            if argv::is_flag(word) {
                skip = value_flags.contains(&word);
                continue;
            }
            out.push(word);
        }
        out
    }

    /// True when it runs where the runbook's commands are typed (see [`ExecLocation`]).
    pub fn is_local(&self) -> bool {
        self.location.is_local()
    }
}

/// Layers a command may peel (launchers and carriers together), like a shell would not need:
/// a bound against pathological input.
const MAX_LAYERS: usize = 16;

/// The invocations of a command, outermost first.
pub(super) fn understand(command: &Command) -> Vec<Invocation> {
    let mut out = Vec::new();
    let mut layers = 0;
    let env_set: Vec<EnvAssignment> = command
        .assignments
        .iter()
        .filter_map(|w| assignment(w, false))
        .collect();
    hops(
        command.words.clone(),
        (env_set, &command.assignments),
        command.session.clone().unwrap_or_default(),
        &mut layers,
        &mut out,
    );
    // `< dump.sql` is read by the shell the command is typed into, wherever it runs.
    if let Some(first) = out.first_mut() {
        first
            .files_read
            .extend(command.inputs.iter().map(|w| FileArg {
                word: w.clone(),
                role: FileRole::Reads,
            }));
    }
    out
}

/// Splits `words` into the invocation that runs them here and, when a carrier hands the rest
/// to a container or host, the invocations there.
fn hops(
    words: Vec<Word>,
    (mut env_set, assignment_words): (Vec<EnvAssignment>, &[Word]),
    location: ExecLocation,
    layers: &mut usize,
    out: &mut Vec<Invocation>,
) {
    let argv: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    let mut i = 0;
    let mut carried = None;
    while i < argv.len() && *layers < MAX_LAYERS {
        *layers += 1;
        if let Some(carrier) = tools::carrier(&argv, i) {
            carried = Some((i, carrier));
            break;
        }
        match argv::peel_launcher(&argv, i) {
            Some(next) if next > i => {
                env_set.extend(
                    words[i..next]
                        .iter()
                        .filter(|w| shell::is_assignment(&w.text))
                        .filter_map(|w| assignment(w, false)),
                );
                i = next;
            }
            _ => break,
        }
    }
    let Some((program, carrier)) = carried else {
        out.push(invocation(
            &words,
            i,
            words.len(),
            (env_set, assignment_words),
            location,
        ));
        return;
    };
    let inner_range = carrier.inner.start.min(words.len())..carrier.inner.end.min(words.len());
    // The carrier's own words: before the inner command and after it (`-a app`).
    let own: Vec<Word> = words[..inner_range.start]
        .iter()
        .chain(&words[inner_range.end..])
        .cloned()
        .collect();
    out.push(invocation(
        &own,
        program,
        own.len(),
        (env_set, assignment_words),
        location,
    ));
    let mut inner: Vec<Word> = words[inner_range].to_vec();
    // `ssh host "sudo systemctl restart app"`, `fly ssh console -C "rails db:migrate"`: one
    // quoted word holding a single command is that command.
    if let [only] = inner.as_slice() {
        if only.quoted && only.text.contains(char::is_whitespace) {
            let split = shell::split(&only.text);
            if let [simple] = split.commands.as_slice() {
                let span = only.span;
                inner = simple
                    .assignments
                    .iter()
                    .chain(&simple.words)
                    .map(|w| Word {
                        text: w.text.clone(),
                        span,
                        quoted: w.quoted,
                    })
                    .collect();
            }
        }
    }
    hops(inner, (Vec::new(), &[]), carrier.location, layers, out);
}

/// The invocation of `words[program..end]`, launched by `words[..program]`.
fn invocation(
    words: &[Word],
    program: usize,
    end: usize,
    (env_set, assignment_words): (Vec<EnvAssignment>, &[Word]),
    location: ExecLocation,
) -> Invocation {
    let program = program.min(end);
    let mut invocation = Invocation {
        launchers: words[..program].to_vec(),
        words: words[program..end].to_vec(),
        location,
        env_set,
        ..Invocation::default()
    };
    invocation.env_read = env_reads(
        assignment_words
            .iter()
            .chain(&invocation.launchers)
            .chain(&invocation.words),
    );
    tools::understand(&mut invocation);
    invocation
}

fn assignment(word: &Word, exported: bool) -> Option<EnvAssignment> {
    let (name, value) = word.text.split_once('=')?;
    shell::is_var_name(name).then(|| EnvAssignment {
        name: name.to_string(),
        value: value.to_string(),
        span: word.span,
        exported,
    })
}

/// `export NAME=value` and its relatives set variables for the commands after them.
pub(super) fn exported_assignments(words: &[Word]) -> Vec<EnvAssignment> {
    words
        .iter()
        .skip(1)
        .filter(|w| !w.text.starts_with('-'))
        .filter_map(|w| assignment(w, true))
        .collect()
}

/// Variables expanded in `words` (arguments, launchers and assignment values).
fn env_reads<'a>(words: impl IntoIterator<Item = &'a Word>) -> Vec<(String, Span)> {
    let mut reads = Vec::new();
    for word in words.into_iter().filter(|w| w.text.contains('$')) {
        for found in shell::VARIABLE_EXPANSION.captures_iter(&word.text) {
            let name = shell::expanded_name(&found);
            reads.push((name.as_str().to_string(), word.span));
        }
    }
    reads
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    #[test]
    fn carriers_say_where_the_inner_command_runs() {
        let command = parse("docker compose -f ops/compose.yaml exec -T db psql -c 'DROP TABLE x'");
        let [outer, inner] = command.invocations.as_slice() else {
            panic!("{command:?}");
        };
        assert!(outer.is_local());
        assert_eq!(outer.name(), "docker");
        let compose = outer.compose.as_ref().unwrap();
        assert_eq!(compose.files[0].text, "ops/compose.yaml");
        assert_eq!(compose.services[0].text, "db");
        assert_eq!(inner.name(), "psql");
        assert_eq!(
            inner.location,
            ExecLocation::Container {
                runtime: Runtime::Compose,
                name: "db".into()
            }
        );
        assert_eq!(inner.sql.len(), 2);

        let remote = parse("ssh -i key.pem deploy@web1 \"sudo -u app rails db:migrate\"");
        let inner = remote.invocation().unwrap();
        assert_eq!(inner.argv(), vec!["rails", "db:migrate"]);
        assert_eq!(
            inner.location,
            ExecLocation::Remote {
                platform: Platform::Ssh,
                host: "deploy@web1".into()
            }
        );
        let heroku = parse("heroku run -a shop-prod python manage.py migrate");
        assert_eq!(
            heroku.invocation().unwrap().argv(),
            vec!["manage.py", "migrate"]
        );
        assert!(!heroku.invocation().unwrap().is_local());
        let pod = parse("kubectl exec -n prod deploy/api -- npm run cache:warm");
        let inner = pod.invocation().unwrap();
        assert_eq!(inner.script.as_ref().unwrap().script, "cache:warm");
        assert!(matches!(
            inner.location,
            ExecLocation::Container {
                runtime: Runtime::Kubernetes,
                ..
            }
        ));
    }

    #[test]
    fn env_set_and_read() {
        let command = parse(
            "DATABASE_URL=$PROD_URL npx cross-env LOG=1 prisma migrate deploy --schema ${SCHEMA}",
        );
        let invocation = command.invocation().unwrap();
        let set: Vec<&str> = invocation.env_set.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(set, vec!["DATABASE_URL", "LOG"]);
        let read: Vec<&str> = invocation
            .env_read
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        assert_eq!(read, vec!["PROD_URL", "SCHEMA"]);
        let exported = exported_assignments(&parse("export A=1 -n B=2").words);
        assert_eq!(exported.len(), 2);
        assert!(exported[0].exported);
    }

    #[test]
    fn secret_setting_commands_store_vars() {
        let stored = |line: &str| -> Vec<(String, Option<String>, String)> {
            let command = parse(line);
            command
                .invocations
                .iter()
                .flat_map(|i| &i.env_stored)
                .map(|s| (s.name.clone(), s.value.clone(), s.store.name().to_string()))
                .collect()
        };
        let one = |name: &str, value: Option<&str>, store: &str| {
            (name.to_string(), value.map(String::from), store.to_string())
        };
        assert_eq!(
            stored("fly secrets set -a shop AUTH0_DOMAIN=x.auth0.com STRIPE_KEY=sk --stage"),
            vec![
                one("AUTH0_DOMAIN", Some("x.auth0.com"), "Fly"),
                one("STRIPE_KEY", Some("sk"), "Fly")
            ]
        );
        assert_eq!(
            stored("heroku config:set SENTRY_DSN=https://x -a shop"),
            vec![one("SENTRY_DSN", Some("https://x"), "Heroku")]
        );
        assert_eq!(
            stored("railway variables --set \"REDIS_URL=redis://r\" --set=A_B=1"),
            vec![
                one("REDIS_URL", Some("redis://r"), "Railway"),
                one("A_B", Some("1"), "Railway")
            ]
        );
        assert_eq!(
            stored("render env set LOG_LEVEL=debug"),
            vec![one("LOG_LEVEL", Some("debug"), "Render")]
        );
        assert_eq!(
            stored("vercel env add NEXT_PUBLIC_API_URL production"),
            vec![one("NEXT_PUBLIC_API_URL", None, "Vercel")]
        );
        assert_eq!(
            stored("gh secret set RENDER_DEPLOY_HOOK --repo acme/shop --body \"$HOOK\""),
            vec![one("RENDER_DEPLOY_HOOK", Some("$HOOK"), "GitHub Actions")]
        );
        assert_eq!(
            stored("kubectl -n prod create secret generic api-secrets --from-literal=DATABASE_URL=postgres://db --from-literal JWT_SECRET=s"),
            vec![
                one("DATABASE_URL", Some("postgres://db"), "Kubernetes"),
                one("JWT_SECRET", Some("s"), "Kubernetes")
            ]
        );
        let secret = parse("kubectl create secret generic api-secrets --from-literal=A_B=1");
        assert_eq!(
            secret.invocation().unwrap().env_stored[0].store,
            EnvStore::Kubernetes("api-secrets".into())
        );
        assert_eq!(
            stored("doppler secrets set OPENAI_API_KEY"),
            vec![one("OPENAI_API_KEY", None, "Doppler")]
        );
        assert_eq!(
            stored("aws ssm put-parameter --name /shop/prod/DATABASE_URL --value x --type SecureString"),
            vec![one("DATABASE_URL", Some("x"), "AWS SSM")]
        );
        for nothing in [
            "fly secrets list",
            "heroku config:get X_Y",
            "gh secret list",
            "kubectl create deployment api --image=x",
            "aws ssm get-parameter --name /x/Y_Z",
            "vercel env pull",
        ] {
            assert!(stored(nothing).is_empty(), "{nothing}");
        }
    }
}
