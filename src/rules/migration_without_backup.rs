use super::safety::{is_backup, is_production_step, migration_steps, runs, BACKUP_WORDS};
use super::{Cx, RuleContext};
use crate::document::SectionId;

declare_rule! {
    /// ## What it does
    /// Finds the first production migration step of a runbook, and of each top-level phase
    /// (`## Phase 2: ...`), that has no backup or snapshot step before it: a command such as
    /// `pg_dump`, `supabase db dump`, `render pg-backup`, `heroku pg:backups:capture`, an AWS or
    /// gcloud snapshot, a script named `backup`, or a checklist item, heading or paragraph about
    /// a backup or snapshot.
    ///
    /// Migration steps are `rules/migration-steps.toml` (`prisma migrate deploy`, `alembic
    /// upgrade`, `rails db:migrate`, `manage.py migrate`, `supabase db push`, ...), written
    /// directly or reached through a package script. Only production sections count, and
    /// sections with no context in a document whose path or title says it is an operational
    /// runbook (deploy, release, runbook, upgrade, migration, production, ...): an install
    /// guide migrates a fresh database. `--sql` and `--dry-run` are rehearsals.
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

/// The top-level phase of a section: its ancestor just below the document title (or itself).
/// `titles` is the number of level-1 headings.
fn phase(cx: &RuleContext<'_>, section: SectionId, titles: usize) -> SectionId {
    let chain: Vec<SectionId> = {
        let mut ids = Vec::new();
        let mut next = Some(section);
        while let Some(id) = next {
            ids.push(id);
            next = cx.doc.sections.get(id).and_then(|s| s.parent);
        }
        ids
    };
    // chain: innermost .. preamble/title. A single `#` title at the top is not a phase.
    let depth_of_phase = if titles == 1 { 2 } else { 1 };
    chain
        .iter()
        .rev()
        .copied()
        .find(|id| cx.doc.sections[*id].level >= depth_of_phase as u8)
        .unwrap_or(section)
}

impl MigrationWithoutBackup {
    fn run(&self, cx: &mut Cx<'_, '_>) {
        // Offset of the first backup mention: commands, and headings/items/prose about
        // backups. Computed only once a production migration is found (most documents have
        // none), and commands are in source order, so the first backup command is the earliest.
        let first_backup = std::cell::OnceCell::new();
        let file = cx.file();
        let find_first_backup = || {
            let cx = file;
            let command = cx
                .doc
                .commands
                .iter()
                .find(|c| is_backup(cx, c))
                .map(|c| c.span.start);
            let text = cx
                .doc
                .text_blocks
                .iter()
                .filter(|t| BACKUP_WORDS.is_match(&t.text))
                .map(|t| t.span.start)
                .min();
            let title = cx
                .doc
                .sections
                .iter()
                .filter(|s| BACKUP_WORDS.is_match(&s.title))
                .map(|s| s.span.start)
                .min();
            [command, text, title].into_iter().flatten().min()
        };
        // Counted once, not per command (that was quadratic in the headings).
        let titles = cx.doc.sections.iter().filter(|s| s.level == 1).count();
        let mut phases_seen: std::collections::HashSet<SectionId> =
            std::collections::HashSet::new();
        for command in &cx.doc.commands {
            if !is_production_step(cx, command) || command.is_rehearsal() {
                continue;
            }
            let Some(entry) = runs(cx, migration_steps(), command) else {
                continue;
            };
            let phase = phase(cx, command.section, titles);
            if !phases_seen.insert(phase) {
                continue;
            }
            let first_backup: Option<usize> = *first_backup.get_or_init(find_first_backup);
            if first_backup.is_some_and(|b| b < command.span.start) {
                continue;
            }
            cx.report(command.span, format!("{} runs against production with no backup step before it", entry.message)).help("add a backup or snapshot step before the migration (`pg_dump`, a provider snapshot), so the rollback has something to restore");
        }
    }
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
}
