//! Helpers shared by the operational safety rules: the migration and backup step catalogues,
//! and "what does this command run" through package scripts.

use std::sync::LazyLock;

use regex::Regex;

use super::RuleContext;
use crate::config::pack::{Entry, Pack};
use crate::document::{Command, SectionId};
use crate::facts::node::Lookup;

fn embedded(origin: &str, text: &str) -> Pack {
    Pack::parse(origin, text).expect("embedded packs are valid (unit-tested)")
}

/// Schema migration commands (`rules/migration-steps.toml`).
pub fn migration_steps() -> &'static Pack {
    static PACK: LazyLock<Pack> = LazyLock::new(|| {
        embedded(
            "rules/migration-steps.toml",
            include_str!("../../rules/migration-steps.toml"),
        )
    });
    &PACK
}

/// Backup and snapshot commands (`rules/backup-steps.toml`).
pub fn backup_steps() -> &'static Pack {
    static PACK: LazyLock<Pack> = LazyLock::new(|| {
        embedded(
            "rules/backup-steps.toml",
            include_str!("../../rules/backup-steps.toml"),
        )
    });
    &PACK
}

/// Deploy and release commands (`rules/deploy-steps.toml`).
pub fn deploy_steps() -> &'static Pack {
    static PACK: LazyLock<Pack> = LazyLock::new(|| {
        embedded(
            "rules/deploy-steps.toml",
            include_str!("../../rules/deploy-steps.toml"),
        )
    });
    &PACK
}

/// The entry of `pack` the command runs: directly, or through the package scripts it calls
/// (`pnpm db:deploy` → `prisma migrate deploy`).
pub fn runs<'p>(cx: &RuleContext<'_>, pack: &'p Pack, command: &Command) -> Option<&'p Entry> {
    if let Some(entry) = pack.find_in(command) {
        return Some(entry);
    }
    let (call, target) = cx.script_call(command)?;
    let Lookup::Found(package) = cx.lookup_script(command, call, &target) else {
        return None;
    };
    cx.project
        .with_script_steps(package, &call.script, |steps| {
            steps.iter().find_map(|step| pack.find(&step.invocation))
        })
}

/// Words that say a step is a backup or snapshot.
pub static BACKUP_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(back\s?-?ups?|backing\s+up|snapshots?|pg_dump\w*|dumps?|pitr|point-in-time)\b|backup")
        .expect("backup regex")
});

/// True when the command takes a backup: a catalogue entry, or a script or target named so
/// (`make backup-db`, `pnpm db:backup`, `./scripts/snapshot.sh`).
pub fn is_backup(cx: &RuleContext<'_>, command: &Command) -> bool {
    runs(cx, backup_steps(), command).is_some()
        || command.words.iter().any(|w| BACKUP_WORDS.is_match(&w.text))
}

/// Paths and titles of operational runbooks, as opposed to install guides and developer docs.
static RUNBOOK_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)deploy|release|runbook|rollout|upgrad|migrat|go-?live|cutover|production|prod\b|launch|operat")
        .expect("runbook name regex")
});

/// True when a command is a production step: its section says production, or says nothing
/// (and unknown counts as production) in a document that is an operational runbook by its
/// path or title. Setup guides run migrations on a fresh install, with nothing to lose.
pub fn is_production_step(cx: &RuleContext<'_>, command: &Command) -> bool {
    use crate::document::EnvContext;
    match command.context {
        EnvContext::Production => true,
        EnvContext::Unknown => {
            cx.settings.unknown_context == EnvContext::Production
                && (RUNBOOK_NAME.is_match(cx.path)
                    || cx
                        .doc
                        .sections
                        .iter()
                        .find(|s| s.level == 1)
                        .is_some_and(|s| RUNBOOK_NAME.is_match(&s.title)))
        }
        _ => false,
    }
}

/// The section holding byte `offset`.
pub fn section_at(cx: &RuleContext<'_>, offset: usize) -> SectionId {
    cx.doc.section_at(offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogues_parse_and_match() {
        let find = |pack: &Pack, line: &str| {
            pack.find_in(&crate::command::parse(line))
                .map(|e| e.id.clone())
        };
        let m = migration_steps();
        assert_eq!(
            find(m, "npx prisma migrate deploy").as_deref(),
            Some("prisma-migrate-deploy")
        );
        assert_eq!(
            find(m, "alembic upgrade head").as_deref(),
            Some("alembic-upgrade")
        );
        assert_eq!(find(m, "alembic upgrade head --sql"), None);
        assert_eq!(
            find(m, "supabase db push").as_deref(),
            Some("supabase-db-push")
        );
        let b = backup_steps();
        assert_eq!(find(b, "pg_dump -Fc app").as_deref(), Some("pg-dump"));
        assert_eq!(
            find(b, "supabase db dump -f x.sql").as_deref(),
            Some("supabase-db-dump")
        );
        assert_eq!(find(b, "supabase db push"), None);
        let d = deploy_steps();
        for line in [
            "fly deploy --remote-only",
            "vercel --prod",
            "kubectl apply -k overlays/production",
            "helm upgrade --install web ./chart",
            "git push heroku main",
            "gcloud run deploy web --image x",
            "gh workflow run release.yml",
            "gh release create v1.2.0",
            "railway up",
            "wrangler deploy",
        ] {
            assert!(find(d, line).is_some(), "{line}");
        }
        for line in [
            "kubectl get pods",
            "kubectl apply -f x.yaml --dry-run=client",
            "vercel",
            "git push origin main",
            "helm list",
            "gh workflow run lint.yml",
        ] {
            assert_eq!(find(d, line), None, "{line}");
        }
    }
}
