use super::{Cx, RuleContext};
use crate::config::pack::{Entry, Pack};
use crate::document::Command;
use crate::facts::node::Lookup;

declare_rule! {
    /// ## What it does
    /// Finds development-only or destructive migration commands in production and staging
    /// steps: written directly (`npx prisma migrate dev`), run by a package manager
    /// (`pnpm prisma migrate dev`, `cd api && yarn prisma db push --accept-data-loss`),
    /// reached through a package script (`pnpm db:migrate` whose script runs
    /// `prisma migrate dev`), run in a container or on another host (`kubectl exec deploy/api
    /// -- pnpm db:migrate`, checked against the package that runs there), or named as an
    /// instruction in prose ("if seeding fails, reset with `npx prisma migrate reset`").
    /// Extra flags do not hide them (`--force`, `--name init`, `--database default`,
    /// `prisma@5`). The label shows the chain through scripts.
    ///
    /// The catalogue is `rules/unsafe-migration.toml`: Prisma (`migrate dev`, `migrate reset`,
    /// `db push`), Rails (`db:drop`, `db:reset`, `db:schema:load`, `db:migrate:reset`), Django
    /// (`migrate APP zero`, `flush`), Alembic (`downgrade` outside a rollback section), TypeORM
    /// (`schema:drop`, `schema:sync`), Knex (`migrate:rollback --all`), Sequelize
    /// (`db:migrate:undo:all`), Flyway (`clean`), Liquibase (`dropAll`), Supabase (`db reset`)
    /// and Drizzle (`push`). A command named in a warning or a prohibition ("never run
    /// `prisma migrate reset` in production") is not a step and is not reported.
    ///
    /// Severity follows the section's context: error in production (and in sections whose
    /// context is unknown, unless configured otherwise), warning in staging and rollback
    /// sections, silent in development sections. When the project has a script that runs the
    /// safe alternative, the help names it.
    ///
    /// ## Why is this bad?
    /// `prisma migrate dev` resets the database when it detects drift; `rails db:reset` drops
    /// it. Followed literally against production, the step destroys the data it was meant to
    /// migrate.
    ///
    /// ## Example
    /// ~~~markdown
    /// ## Production deployment
    /// ```bash
    /// pnpm db:migrate   # package.json: "db:migrate": "prisma migrate dev"
    /// kubectl exec deploy/api -- pnpm db:migrate
    /// cd api && yarn prisma db push --accept-data-loss
    /// ```
    /// If seeding fails, reset with `npx prisma migrate reset --force` and retry.
    /// ~~~
    ///
    /// Use instead:
    /// ~~~markdown
    /// ```bash
    /// pnpm db:deploy    # "db:deploy": "prisma migrate deploy"
    /// ```
    /// ~~~
    pub struct UnsafeMigration {
        id: "unsafe-migration",
        severity: Error,
        summary: "a development-only or destructive migration command in a production step",
        pack: "rules/unsafe-migration.toml",
    }
}

impl UnsafeMigration {
    fn run(&self, cx: &mut Cx<'_, '_>) {
        let pack = Self::catalogue();
        for command in &cx.doc.commands {
            let context = cx.effective_context(command.context);
            if let Some(entry) = pack.find_in(command) {
                if let Some(severity) = entry.levels.for_context(context).severity() {
                    let help = help(cx, entry, command);
                    cx.report(command.span, entry.message.clone())
                        .severity(severity)
                        .label(format!("in a {} step", context.name()))
                        .help(help)
                        .entry(&entry.id);
                }
                continue;
            }
            if let Some((message, severity, chain, help, entry)) =
                script_step(cx, pack, command, context)
            {
                cx.report(command.span, message)
                    .severity(severity)
                    .label(chain)
                    .help(help)
                    .entry(entry);
            }
        }
    }
}

/// The first step of the package script a command runs that the pack catalogues: the
/// finding's message, severity, chain label, help and the entry's id.
fn script_step(
    cx: &RuleContext<'_>,
    pack: &Pack,
    command: &Command,
    context: crate::document::EnvContext,
) -> Option<(String, crate::diagnostic::Severity, String, String, String)> {
    {
        let (call, target) = cx.script_call(command)?;
        let Lookup::Found(package) = cx.lookup_script(command, call, &target) else {
            return None;
        };
        let argv = command.argv();
        // Most scripts run nothing from the pack: ask the cached expansion before copying it.
        let reaches = cx
            .project
            .with_script_steps(package, &call.script, |steps| {
                steps
                    .iter()
                    .any(|step| pack.find(&step.invocation).is_some())
            });
        if !reaches {
            return None;
        }
        let label = argv.join(" ");
        for step in cx.project.expand_script(package, &call.script, &label) {
            let Some(entry) = pack.find(&step.invocation) else {
                continue;
            };
            let Some(severity) = entry.levels.for_context(context).severity() else {
                continue;
            };
            let reached = step.argv().join(" ");
            let message = format!(
                "`{label}` runs `{reached}`: {}",
                strip_subject(&entry.message)
            );
            return Some((
                message,
                severity,
                step.chain.join(" → "),
                help(cx, entry, command),
                entry.id.clone(),
            ));
        }
        None
    }
}

/// "`prisma migrate dev` is a development-only command" → "a development-only command", so
/// the chained message does not repeat the command.
fn strip_subject(message: &str) -> String {
    if let Some(rest) = message.strip_prefix('`') {
        if let Some((_, tail)) = rest.split_once('`') {
            let tail = tail.trim_start();
            return tail.strip_prefix("is ").unwrap_or(tail).to_string();
        }
    }
    message.to_string()
}

/// Why, and the safe alternative: a project script that runs it when there is one.
fn help(cx: &RuleContext<'_>, entry: &Entry, command: &Command) -> String {
    let Some(safe) = &entry.safe else {
        return format!(
            "{}; run it only against a database you can throw away",
            entry.why
        );
    };
    let words: Vec<&str> = safe.split_whitespace().collect();
    let node = &cx.project.node;
    let scripts = cx.project.scripts_running(&words);
    // The manager the runbook used for this command, else the project's.
    let manager = command
        .invocation()
        .and_then(|i| i.script.as_ref())
        .map(|run| run.manager)
        .or(node.manager);
    if let (Some((package, script)), Some(manager)) = (scripts.first(), manager) {
        let mut run = manager.run_command(script);
        if !package.dir.is_empty() {
            if let Some(name) = &package.name {
                run = manager.run_in_package(name, script);
            }
        }
        format!("{}; use `{run}` (runs `{safe}`) instead", entry.why)
    } else {
        format!("{}; use `{safe}` instead", entry.why)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_parses_and_covers_the_required_tools() {
        let pack = UnsafeMigration::catalogue();
        assert_eq!(pack.rule, "unsafe-migration");
        for tool in [
            "Prisma",
            "Rails",
            "Django",
            "Alembic",
            "TypeORM",
            "Knex",
            "Sequelize",
            "Flyway",
            "Liquibase",
            "Supabase",
        ] {
            assert!(
                pack.entries.iter().any(|e| e.tool == tool),
                "{tool} missing"
            );
        }
    }

    #[test]
    fn catalogue_matches_through_launchers() {
        let pack = UnsafeMigration::catalogue();
        let find = |line: &str| {
            pack.find_in(&crate::command::parse(line))
                .map(|e| e.id.as_str())
        };
        assert_eq!(
            find("npx prisma migrate dev --name init"),
            Some("prisma-migrate-dev")
        );
        assert_eq!(
            find("pnpm exec prisma db push --accept-data-loss"),
            Some("prisma-db-push-data-loss")
        );
        assert_eq!(find("bundle exec rails db:reset"), Some("rails-db-reset"));
        assert_eq!(
            find("bin/rails db:schema:load"),
            Some("rails-db-schema-load")
        );
        assert_eq!(
            find("python manage.py migrate payments zero"),
            Some("django-migrate-zero")
        );
        assert_eq!(find("alembic downgrade -1"), Some("alembic-downgrade"));
        assert_eq!(find("alembic downgrade base --sql"), None);
        assert_eq!(find("npx prisma migrate deploy"), None);
        assert_eq!(find("rails db:migrate"), None);
        assert_eq!(find("knex migrate:rollback"), None);
    }

    #[test]
    fn severity_follows_context_and_scripts_are_expanded() {
        use crate::rules::testing::{check, project};
        let facts = project(
            &[
                ("db:migrate", "prisma migrate dev"),
                ("db:deploy", "prisma migrate deploy"),
            ],
            &["prisma"],
        );
        let markdown = "# Local development\n\n`pnpm db:migrate`\n\n# Production\n\n`pnpm db:migrate`\n\n`npx prisma migrate reset --force`\n\n`pnpm db:deploy`\n\n# Rollback\n\n`alembic downgrade -1`\n";
        let found = check(&UnsafeMigration, markdown, &facts);
        let lines: Vec<usize> = found.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, vec![7, 9]);
        assert!(found[0]
            .1
            .starts_with("`pnpm db:migrate` runs `prisma migrate dev`"));
    }

    #[test]
    fn chained_messages_drop_the_subject() {
        assert_eq!(
            strip_subject("`prisma migrate dev` is a development-only command"),
            "a development-only command"
        );
        assert_eq!(
            strip_subject("`flyway clean` drops every object"),
            "drops every object"
        );
    }
}
