use std::sync::LazyLock;

use regex::Regex;

use super::safety::{is_backup, is_production_step, migration_steps, runs, BACKUP_WORDS};
use super::{Cx, RuleContext};
use crate::document::{CommandOrigin, SectionId};

declare_rule! {
    /// ## What it does
    /// Finds a production migration step with no backup or snapshot step before it: a
    /// command such as `pg_dump`, `supabase db dump`, `render pg-backup`,
    /// `heroku pg:backups:capture`, an AWS or gcloud snapshot, a script named `backup`, or a
    /// checklist item, heading or paragraph about a backup or snapshot.
    ///
    /// Every migration path is checked: a backup covers the migrations after it in its own
    /// procedure, but not those of another deploy procedure (a backup in "Deploy to staging"
    /// or "Deploying a release" does not cover "Deploying a hotfix") nor those of another
    /// alternative ("Option 1" does not cover "Option 2"); a backup section before the
    /// alternatives covers them all. Each procedure, alternative or phase is reported once.
    ///
    /// Migration steps are `rules/migration-steps.toml` (`prisma migrate deploy`, `alembic
    /// upgrade`, `rails db:migrate`, `manage.py migrate`, `supabase db push`, ...), written
    /// directly, reached through a package script, or run in a container or on another host.
    /// Only production sections count, and sections with no context in a document whose path
    /// or title says it is an operational runbook (deploy, release, runbook, upgrade,
    /// migration, production, ...). The first migration of a fresh database is not checked:
    /// under an "Initial setup", "First-time", "Installation" or "Bootstrap" heading, or right
    /// after `createdb`, `CREATE DATABASE` or `rails db:create`. `--sql` and `--dry-run` are
    /// rehearsals.
    ///
    /// ## Why is this bad?
    /// A migration that fails halfway or drops the wrong column can only be undone from a
    /// backup taken just before it. Without that step, the rollback section has nothing to
    /// restore.
    ///
    /// ## Example
    /// ```markdown
    /// ## Production
    /// - [ ] `npx prisma migrate deploy`
    /// ```
    ///
    /// ```markdown
    /// ### Option 1: from the dashboard
    /// - [ ] Take a snapshot, then `npx prisma migrate deploy`
    /// ### Option 2: from a shell
    /// - [ ] `npx prisma migrate deploy`   <- no snapshot on this path
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// ## Production
    /// - [ ] Take a snapshot: `pg_dump -Fc "$DATABASE_URL" > pre-deploy.dump`
    /// - [ ] `npx prisma migrate deploy`
    /// ```
    pub struct MigrationWithoutBackup {
        id: "migration-without-backup",
        severity: Warning,
        summary: "a production migration step with no backup or snapshot step before it",
    }
}

/// Headings of a deploy procedure: a backup taken in another one ("Deploy to staging",
/// "Initial deployment") does not cover this one's migration.
static PROCEDURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(deploy(s|ing|ment|ments)?|redeploy\w*|releas(e|es|ing)|upgrad(e|es|ing)|updat(e|es|ing)|hotfix(es)?|rollouts?|roll(ing)?\s+out|go-?live|cutover|launch(ing)?)\b")
        .expect("procedure regex")
});

/// Headings that prepare a procedure rather than being one: their backups count for it.
static PREPARATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(pre-?(deploy\w*|release|flight|upgrade|migration)|prepar\w*|prerequisites?|before|readiness)\b")
        .expect("preparation regex")
});

/// Headings of one of several alternative ways ("Option 2: manual deploy", "Method B",
/// "Alternative: ..."): a backup in one does not cover a migration in another.
static ALTERNATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(option|method|approach|variant|alternative(ly)?|path)\b|\b(option|method|approach|variant)\s+(\d+|[a-e])\b|\balternative\b|^\W*(\d+|[a-e])[).:]\s*(using|via|with|manual|automatic)\b")
        .expect("alternative regex")
});

/// Headings of a first-time setup, where migrations fill an empty database.
static FRESH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(initial|first[- ]time|fresh|bootstrap(ping)?|new\s+(database|db|environment|instance|install(ation)?)|set\s?up|setting\s+up|installation|installing|install|provision(ing)?|from\s+scratch)\b")
        .expect("fresh regex")
});

/// What a section is for this rule.
#[derive(Debug, Clone, Copy, Default)]
struct SectionRole {
    /// A deploy procedure of its own.
    procedure: bool,
    /// One of several alternatives.
    alternative: bool,
    /// A first-time setup: its migrations fill an empty database.
    fresh: bool,
}

/// Each section's role; the fresh-setup reading is inherited until a heading names a
/// procedure ("Setup" > "Upgrading" is not a setup). A single `#` title is not a procedure.
fn roles(cx: &RuleContext<'_>) -> Vec<SectionRole> {
    let sections = &cx.doc.sections;
    let titles = sections.iter().filter(|s| s.level == 1).count();
    let mut roles: Vec<SectionRole> = Vec::with_capacity(sections.len());
    for (id, section) in sections.iter().enumerate() {
        if section.level == 0 || (section.level == 1 && titles == 1) {
            roles.push(SectionRole::default());
            continue;
        }
        let title = &section.title;
        let procedure = PROCEDURE.is_match(title) && !PREPARATION.is_match(title);
        let inherited = section
            .parent
            .filter(|&p| p < id)
            .map(|p| roles[p].fresh)
            .unwrap_or(false);
        let fresh = FRESH.is_match(title) || (inherited && !procedure);
        roles.push(SectionRole {
            procedure,
            alternative: ALTERNATIVE.is_match(title),
            fresh,
        });
    }
    roles
}

/// True when section `inner` is `outer` or inside it.
fn within(cx: &RuleContext<'_>, inner: SectionId, outer: SectionId) -> bool {
    chain(cx, inner).any(|id| id == outer)
}

/// `section` and the sections enclosing it, innermost first.
fn chain<'a>(cx: &'a RuleContext<'_>, section: SectionId) -> impl Iterator<Item = SectionId> + 'a {
    std::iter::successors(Some(section), |&id| {
        cx.doc.sections.get(id).and_then(|s| s.parent)
    })
}

/// The sections enclosing `section` (itself first) with a role that scopes backups.
fn scopes(cx: &RuleContext<'_>, roles: &[SectionRole], section: SectionId) -> Vec<SectionId> {
    chain(cx, section)
        .filter(|&id| roles.get(id).is_some_and(|r| r.procedure || r.alternative))
        .collect()
}

/// True when a backup in section `backup` covers a migration in section `migration` (the
/// backup coming first): not when it belongs to another deploy procedure, nor to another of
/// the alternatives the migration is one of.
fn covers(cx: &RuleContext<'_>, roles: &[SectionRole], backup: SectionId, migration: SectionId) -> bool {
    scopes(cx, roles, backup).into_iter().all(|scope| {
        if within(cx, migration, scope) {
            return true;
        }
        let role = roles[scope];
        if role.procedure {
            // Another procedure's backup; a migration outside every procedure is one of
            // this document's phases and still covered.
            let migration_procedure = scopes(cx, roles, migration)
                .into_iter()
                .any(|s| roles[s].procedure);
            return !migration_procedure;
        }
        // An alternative: it covers whatever follows the alternatives, not a sibling one.
        let parent = cx.doc.sections.get(scope).and_then(|s| s.parent);
        !chain(cx, migration).any(|id| {
            id != scope && roles[id].alternative && cx.doc.sections[id].parent == parent
        })
    })
}

/// True when a command before `index` in the same section or code block creates the
/// database the migration fills: `createdb`, `CREATE DATABASE`, `rails db:create`.
fn creates_database_before(cx: &RuleContext<'_>, index: usize) -> bool {
    let commands = &cx.doc.commands;
    let migration = &commands[index];
    commands[..index]
        .iter()
        .rev()
        .take_while(|c| {
            c.section == migration.section
                || matches!((c.origin, migration.origin),
                    (CommandOrigin::CodeBlock(a), CommandOrigin::CodeBlock(b)) if a == b)
        })
        .filter_map(|c| c.invocation())
        .any(|i| {
            let args: Vec<&str> = i.args().iter().map(|w| w.text.as_str()).collect();
            i.name() == "createdb"
                || (matches!(i.name(), "rails" | "rake")
                    && args.iter().any(|a| matches!(*a, "db:create" | "db:setup")))
                || i.sql.iter().any(|w| CREATE_DATABASE.is_match(&w.text))
        })
        || cx
            .doc
            .code_blocks
            .iter()
            .filter(|b| {
                b.section == migration.section
                    && crate::command::sql::is_sql_language(&b.lang)
                    && b.span.end <= migration.span.start
            })
            .any(|b| {
                b.sql_statements()
                    .iter()
                    .any(|(text, _)| CREATE_DATABASE.is_match(text))
            })
}

static CREATE_DATABASE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bCREATE\s+DATABASE\b").expect("create database regex"));

impl MigrationWithoutBackup {
    fn run(&self, cx: &mut Cx<'_, '_>) {
        // Where the backups are: commands, and headings/items/prose about backups. Computed
        // only once a production migration is found (most documents have none).
        let backups = std::cell::OnceCell::new();
        let file = cx.file();
        let find_backups = || {
            let cx = file;
            let mut found: Vec<(usize, SectionId)> = cx
                .doc
                .commands
                .iter()
                .filter(|c| is_backup(cx, c))
                .map(|c| (c.span.start, c.section))
                .collect();
            found.extend(
                cx.doc
                    .text_blocks
                    .iter()
                    .filter(|t| BACKUP_WORDS.is_match(&t.text))
                    .map(|t| (t.span.start, t.section)),
            );
            found.extend(
                cx.doc
                    .sections
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.level > 0 && BACKUP_WORDS.is_match(&s.title))
                    .map(|(id, s)| (s.span.start, id)),
            );
            found.sort_unstable();
            found
        };
        let roles = std::cell::OnceCell::new();
        // One finding per procedure, alternative or phase: its first uncovered migration.
        let mut reported: std::collections::HashSet<SectionId> = std::collections::HashSet::new();
        for (index, command) in cx.doc.commands.iter().enumerate() {
            if !is_production_step(cx, command) || command.is_rehearsal() {
                continue;
            }
            let Some(entry) = runs(cx, migration_steps(), command) else {
                continue;
            };
            let roles: &Vec<SectionRole> = roles.get_or_init(|| self::roles(file));
            if roles.get(command.section).is_some_and(|r| r.fresh)
                || creates_database_before(file, index)
            {
                continue;
            }
            let scope = scopes(file, roles, command.section)
                .first()
                .copied()
                .unwrap_or_else(|| phase(file, command.section));
            if reported.contains(&scope) {
                continue;
            }
            let backups: &Vec<(usize, SectionId)> = backups.get_or_init(find_backups);
            let covered = backups
                .iter()
                .take_while(|(at, _)| *at < command.span.start)
                .any(|(_, section)| covers(file, roles, *section, command.section));
            if covered {
                continue;
            }
            reported.insert(scope);
            cx.report(command.span, format!("{} runs against production with no backup step before it", entry.message)).help("add a backup or snapshot step before the migration (`pg_dump`, a provider snapshot), so the rollback has something to restore");
        }
    }
}

/// The top-level phase of a section: its ancestor just below the document title (or itself).
fn phase(cx: &RuleContext<'_>, section: SectionId) -> SectionId {
    let titles = cx.doc.sections.iter().filter(|s| s.level == 1).count();
    // A single `#` title at the top is not a phase.
    let depth_of_phase = if titles == 1 { 2 } else { 1 };
    let chain: Vec<SectionId> =
        std::iter::successors(Some(section), |&id| cx.doc.sections.get(id).and_then(|s| s.parent))
            .collect();
    chain
        .iter()
        .rev()
        .copied()
        .find(|id| cx.doc.sections[*id].level >= depth_of_phase)
        .unwrap_or(section)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, project};

    #[test]
    fn first_migration_needs_an_earlier_backup() {
        let facts = project(&[("db:deploy", "prisma migrate deploy")], &["prisma"]);
        let bare = "# Deploy\n\n## Production\n\n- [ ] `pnpm db:deploy`\n- [ ] `npx prisma migrate deploy`\n";
        let found = check(&MigrationWithoutBackup, bare, &facts);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 5);
        let covered = "# Deploy\n\n## Production\n\n- [ ] Take a snapshot of the database\n- [ ] `pnpm db:deploy`\n";
        assert!(check(&MigrationWithoutBackup, covered, &facts).is_empty());
        let dumped =
            "# Production\n\n```bash\npg_dump -Fc app > x.dump\nalembic upgrade head\n```\n";
        assert!(check(&MigrationWithoutBackup, dumped, &facts).is_empty());
        let offline = "# Production\n\n```bash\nalembic upgrade head --sql\n```\n\n# Local development\n\n`alembic upgrade head`\n";
        assert!(check(&MigrationWithoutBackup, offline, &facts).is_empty());
    }

    fn lines(markdown: &str) -> Vec<usize> {
        let facts = project(&[], &[]);
        check(&MigrationWithoutBackup, markdown, &facts)
            .into_iter()
            .map(|(line, _)| line)
            .collect()
    }

    #[test]
    fn every_procedure_and_alternative_needs_its_own_backup() {
        // A later deploy section: the first one's backup is not this one's.
        let later = "# Release runbook\n\n## Deploying a release\n\n`pg_dump -Fc app > x.dump`\n\n`alembic upgrade head`\n\n## Deploying a hotfix\n\n`alembic upgrade head`\n";
        assert_eq!(lines(later), vec![11]);
        // Option 2 takes no backup; Option 1's snapshot does not cover it.
        let options = "# Deploy\n\n## Production\n\n### Option 1: dashboard\n\nTake a snapshot first.\n\n`rails db:migrate`\n\n### Option 2: manual\n\n`rails db:migrate`\n";
        assert_eq!(lines(options), vec![13]);
        // Alternative ways to back up, then the migration: covered.
        let backup_options = "# Deploy\n\n## Backup\n\n### Option A: pg_dump\n\n`pg_dump app > x.sql`\n\n### Option B: provider\n\nA provider snapshot.\n\n## Migrate\n\n`alembic upgrade head`\n";
        assert!(lines(backup_options).is_empty());
        // Phases of one procedure: the backup phase covers the migration phase.
        let phases = "# Deployment\n\n## Phase 1: Pre-deployment\n\n`pg_dump app > x.sql`\n\n## Phase 2: Deployment\n\n`alembic upgrade head`\n\n`flask db upgrade`\n";
        assert!(lines(phases).is_empty());
        // Two migrations of one uncovered procedure: one finding.
        let twice = "# Deploy\n\n## Production\n\n`alembic upgrade head`\n\n`flask db upgrade`\n";
        assert_eq!(lines(twice), vec![5]);
    }

    #[test]
    fn a_freshly_created_database_has_nothing_to_back_up() {
        let setup = "# Deployment guide\n\n## Initial setup\n\n`alembic upgrade head`\n\n## Upgrading\n\n`alembic upgrade head`\n";
        assert_eq!(lines(setup), vec![9]);
        let created = "# Production deploy\n\n```bash\ncreatedb app\nalembic upgrade head\n```\n\n```bash\npsql -c 'CREATE DATABASE shop'\nrails db:migrate\n```\n";
        assert!(lines(created).is_empty());
    }
}
