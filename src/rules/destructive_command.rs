//! `destructive-command`: the built-in pack `rules/destructive-command.toml`, checked like any
//! pack ([`crate::rules::pack_rule::check`]).

use super::{pack_rule, Cx};

declare_rule! {
    /// ## What it does
    /// Finds commands and SQL statements that delete data or infrastructure. The catalogue is
    /// `rules/destructive-command.toml`:
    ///
    /// - data stores, such as `redis-cli FLUSHALL`/`FLUSHDB` (whatever its `-h`, `-n`, `-u` options),
    ///   `dropdb`, `pg_restore --clean`, `mongosh --eval 'db.dropDatabase()'`, `celery purge`;
    /// - files and containers, such as `rm -rf` on `/`, `~`, `*` or a variable, `rm` of database files
    ///   (data directories, WAL, `*.sqlite3`), `find ... -delete` in a data or backup
    ///   directory, `docker compose down -v`, `docker system prune --volumes`,
    ///   `docker volume rm|prune`, `docker rm -v` of a database container;
    /// - clusters and clouds, such as `kubectl delete` of namespaces, PVCs or `--all`,
    ///   `helm uninstall|delete`, `terraform destroy`, `fly apps|volumes destroy`,
    ///   `heroku apps:destroy`, `heroku pg:reset`, `aws rds delete-db-instance`,
    ///   `aws s3 rb --force`, `aws s3 rm --recursive`, `gcloud sql instances delete`,
    ///   `az group delete`, `supabase db reset --linked`;
    /// - Git, such as `git push --force` or a `+branch` refspec (not `--force-with-lease`),
    ///   `git reset --hard` to an older commit, and on a server (after `ssh host`) to any;
    /// - SQL in SQL code blocks or `psql -c`, such as `DROP DATABASE|SCHEMA|TABLE`, `TRUNCATE`,
    ///   `DELETE FROM`/`UPDATE` without `WHERE`, `ALTER TABLE ... DROP COLUMN`.
    ///
    /// Error in production (and unknown) sections, warning in staging and in rollback, recovery or
    /// troubleshooting sections, silent in development sections. Commented-out lines are not
    /// commands; `--dry-run`, `--sql` and `plan` variants are rehearsals and stay silent; a
    /// command named in a warning or a prohibition ("never run `terraform destroy`", a
    /// `> [!CAUTION]` callout, a "Don't" section) is not a step.
    ///
    /// ## Why is this bad?
    /// Followed literally at 3 a.m., the step destroys the data it was meant to protect, with no
    /// undo. A destructive step needs a backup before it and a deliberate, reviewed target.
    ///
    /// ## Example
    /// ~~~markdown
    /// ## Fix the stuck worker queue (production)
    /// ```bash
    /// redis-cli -h cache.internal -n 2 FLUSHALL
    /// celery -A shop purge
    /// docker volume prune -f
    /// aws s3 rm s3://shop-assets/uploads --recursive
    /// ```
    /// ~~~
    ///
    /// Use instead:
    /// ~~~markdown
    /// ```bash
    /// redis-cli --scan --pattern 'bull:emails:*' | xargs redis-cli del
    /// aws s3 rm s3://shop-assets/uploads --recursive --dryrun
    /// ```
    /// ~~~
    pub struct DestructiveCommand {
        id: "destructive-command",
        severity: Error,
        summary: "a command or SQL statement that deletes data or infrastructure, in a production step",
        pack: "rules/destructive-command.toml",
    }
}

impl DestructiveCommand {
    fn run(&self, cx: &mut Cx<'_, '_>) {
        pack_rule::check(Self::catalogue(), cx);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, project};

    fn find(line: &str) -> Option<String> {
        let pack = DestructiveCommand::catalogue();
        pack.find_in(&crate::command::parse(line))
            .map(|e| e.id.clone())
    }

    #[test]
    fn catalogue_matches_destructive_commands_only() {
        assert_eq!(
            find("redis-cli -h h FLUSHALL").as_deref(),
            Some("redis-flush")
        );
        assert_eq!(find("redis-cli flushdb").as_deref(), Some("redis-flush"));
        assert_eq!(find("redis-cli get x"), None);
        assert_eq!(find("sudo rm -rf /").as_deref(), Some("rm-rf-root"));
        assert_eq!(find("rm -rf $BUILD_DIR").as_deref(), Some("rm-rf-root"));
        assert_eq!(find("rm -rf ~/").as_deref(), Some("rm-rf-root"));
        assert_eq!(find("rm -rf node_modules"), None);
        assert_eq!(find("rm -f *"), None);
        assert_eq!(
            find("docker compose down -v").as_deref(),
            Some("docker-compose-down-volumes")
        );
        assert_eq!(find("docker compose down"), None);
        assert_eq!(
            find("kubectl delete namespace shop").as_deref(),
            Some("kubectl-delete-namespace")
        );
        assert_eq!(find("kubectl delete pod web-1 -n ns"), None);
        assert_eq!(
            find("kubectl -n shop delete namespace shop").as_deref(),
            Some("kubectl-delete-namespace")
        );
        assert_eq!(
            find("kubectl delete -n shop pvc data").as_deref(),
            Some("kubectl-delete-namespace")
        );
        assert_eq!(
            find("redis-cli -h redis.internal -p 6379 FLUSHALL").as_deref(),
            Some("redis-flush")
        );
        assert_eq!(
            find("kubectl delete pods --all").as_deref(),
            Some("kubectl-delete-all")
        );
        assert_eq!(
            find("helm uninstall web").as_deref(),
            Some("helm-uninstall")
        );
        assert_eq!(
            find("terraform destroy").as_deref(),
            Some("terraform-destroy")
        );
        assert_eq!(find("terraform plan -destroy"), None);
        assert_eq!(
            find("git push --force origin main").as_deref(),
            Some("git-push-force")
        );
        assert_eq!(find("git push -f").as_deref(), Some("git-push-force"));
        assert_eq!(find("git push --force-with-lease"), None);
        assert_eq!(
            find("git push origin +main").as_deref(),
            Some("git-push-plus-refspec")
        );
        assert_eq!(find("git push origin main"), None);
        assert_eq!(
            find("git reset --hard HEAD~1").as_deref(),
            Some("git-reset-hard")
        );
        assert_eq!(find("git reset --hard origin/main"), None);
        assert_eq!(find("dropdb app").as_deref(), Some("dropdb"));
        assert_eq!(
            find("pg_restore --clean -d app x.dump").as_deref(),
            Some("pg-restore-clean")
        );
        assert_eq!(find("pg_restore -Fc -d app x.dump"), None);
        let pack = DestructiveCommand::catalogue();
        let sql = |text: &str| pack.find_text(text).map(|e| e.id.clone());
        assert_eq!(sql("DROP TABLE latest_prices").as_deref(), Some("sql-drop"));
        assert_eq!(sql("DROP DATABASE IF EXISTS restore_test"), None);
        assert_eq!(sql("TRUNCATE audit_log").as_deref(), Some("sql-truncate"));
    }

    #[test]
    fn data_and_cloud_resources_and_their_safe_counterparts() {
        let cases = [
            ("docker volume rm shop_pgdata", Some("docker-volume-rm")),
            ("docker volume prune -f", Some("docker-volume-rm")),
            ("docker volume ls", None),
            ("docker rm -fv shop-postgres", Some("docker-rm-database-volumes")),
            ("docker rm -f web", None),
            ("docker rm -v web", None),
            ("celery -A shop purge", Some("celery-purge")),
            ("celery -A shop inspect reserved", None),
            (
                "find /var/backups -name x.gz -mtime +30 -delete",
                Some("find-delete-data"),
            ),
            ("find /var/backups -mtime +30", None),
            ("find . -name '*.pyc' -delete", None),
            ("rm -rf /var/lib/postgresql/14/main", Some("rm-database-files")),
            ("rm pgdata/pg_wal/000001", Some("rm-database-files")),
            ("rm -f db.sqlite3", Some("rm-database-files")),
            ("rm -rf node_modules", None),
            ("helm delete shop", Some("helm-uninstall")),
            ("fly apps destroy shop", Some("fly-destroy")),
            ("flyctl volumes destroy vol_1", Some("fly-destroy")),
            ("fly volumes list", None),
            ("heroku apps:destroy --app shop", Some("heroku-destroy")),
            ("heroku pg:reset DATABASE_URL", Some("heroku-destroy")),
            ("heroku pg:info", None),
            ("aws rds delete-db-instance --db-instance-identifier x", Some("aws-rds-delete")),
            ("aws rds describe-db-instances", None),
            ("aws s3 rb s3://b --force", Some("aws-s3-rb-force")),
            ("aws s3 rb s3://b", None),
            ("aws s3 rm s3://b/p --recursive", Some("aws-s3-rm-recursive")),
            ("aws s3 rm s3://b/p --recursive --dryrun", None),
            ("aws s3 rm s3://b/p/one.txt", None),
            ("gcloud sql instances delete db", Some("gcloud-sql-delete")),
            ("gcloud sql instances list", None),
            ("az group delete --name x --yes", Some("az-group-delete")),
            ("az group list", None),
            ("supabase db reset --linked", Some("supabase-db-reset-linked")),
            ("supabase db reset", None),
            ("redis-cli -u redis://h:6379 FLUSHALL", Some("redis-flush")),
            ("redis-cli -h h -n 2 flushdb", Some("redis-flush")),
            ("mongosh $URL --eval 'db.dropDatabase()'", Some("mongo-drop")),
            ("mongosh $URL --eval 'db.users.find()'", None),
            // A server checkout: after `ssh`, not on the operator's clone.
            ("git reset --hard origin/main", None),
            ("ssh web1 git reset --hard origin/main", Some("git-reset-hard-on-server")),
        ];
        for (line, expected) in cases {
            assert_eq!(find(line).as_deref(), expected, "{line}");
        }
    }

    #[test]
    fn sql_blocks_and_context() {
        let markdown = "# Production\n\n```sql\nDELETE FROM sessions;\nDELETE FROM users WHERE id = 1;\nUPDATE users\nSET a = 1;\nALTER TABLE users DROP COLUMN legacy;\nALTER TABLE users DROP CONSTRAINT c;\n```\n\n# Local development\n\n```bash\ndocker compose down -v\n```\n\n# Rollback\n\n```bash\n# DO NOT RUN: redis-cli FLUSHALL\nredis-cli FLUSHALL\nalembic upgrade head --sql\n```\n";
        let found = check(&DestructiveCommand, markdown, &project(&[], &[]));
        let mut lines: Vec<usize> = found.iter().map(|(l, _)| *l).collect();
        lines.sort();
        // DELETE without WHERE, UPDATE without WHERE, DROP COLUMN; the FLUSHALL in rollback
        // (as a warning); not the commented one, dev `down -v`, nor `--sql`.
        assert_eq!(lines, vec![4, 6, 8, 22], "{found:?}");
    }
}
