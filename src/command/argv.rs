//! Peeling launchers: `npx`, `pnpm exec`, `cross-env`, `dotenv --`, `bundle exec`,
//! `poetry run`, `uv run`, `python manage.py`, `sudo -u`, `env`, `time`, `nohup` run the
//! program after them, so the program that does the work is found under them. Carriers that run
//! the rest elsewhere (`kubectl exec ... --`, `docker compose exec SERVICE`, `ssh HOST`) are
//! per-tool knowledge in [`super::tools`].

use super::shell::is_assignment;

/// Index just past one launcher layer at `argv[i]` (with its flags and assignments), or
/// `None` when `argv[i]` launches nothing.
pub fn peel_launcher<S: AsRef<str>>(argv: &[S], i: usize) -> Option<usize> {
    let word = |i: usize| argv.get(i).map(|w| w.as_ref()).unwrap_or("");
    let w = word(i);
    let mut i = i;
    match w {
        _ if is_assignment(w) => i += 1,
        "sudo" | "env" | "time" | "nohup" | "exec" | "command" | "nice" | "cross-env"
        | "cross-env-shell" => {
            let sudo = w == "sudo";
            i += 1;
            while i < argv.len() && (word(i).starts_with('-') || is_assignment(word(i))) {
                // `sudo -u postgres psql`: these sudo flags take a value.
                if sudo && sudo_flag_takes_value(word(i)) {
                    i += 1;
                }
                i += 1;
            }
        }
        "npx" | "bunx" | "pnpx" => {
            i += 1;
            while i < argv.len() && word(i).starts_with('-') {
                // `npx -p pkg cmd`: skip the flag's value too.
                if matches!(word(i), "-p" | "--package") {
                    i += 1;
                }
                i += 1;
            }
        }
        "pnpm" | "yarn" | "npm" | "bun" if matches!(word(i + 1), "exec" | "dlx" | "x") => {
            i += 2;
            if word(i) == "--" {
                i += 1;
            }
        }
        // `pnpm prisma migrate dev`, `cd api && yarn knex migrate:rollback`: a CLI run by its
        // package manager, not a script.
        "pnpm" | "yarn" | "bun"
            if super::tools::is_well_known_binary(word(i + 1))
                && !super::tools::is_manager_builtin(word(i + 1)) =>
        {
            i += 1
        }
        "bundle" | "poetry" | "pipenv" | "uv" | "rye" | "pdm" | "hatch"
            if matches!(word(i + 1), "exec" | "run") =>
        {
            i += 2;
        }
        "dotenv" | "env-cmd" | "dotenvx" => {
            // `dotenv -e .env.prod -- prisma migrate deploy`
            match argv.iter().skip(i).position(|w| w.as_ref() == "--") {
                Some(dashes) => i += dashes + 1,
                None => {
                    i += 1;
                    while i < argv.len() && word(i).starts_with('-') {
                        i += 2;
                    }
                }
            }
        }
        "python" | "python3" | "py" if word(i + 1) == "-m" => i += 2,
        "python" | "python3" | "py" if crate::paths::has_extension(word(i + 1), &["py"]) => i += 1,
        _ => return None,
    }
    Some(i.min(argv.len()))
}

/// True for a sudo option that takes a value: `-u`, and clusters ending in one (`-Hu`).
pub fn sudo_flag_takes_value(flag: &str) -> bool {
    !flag.starts_with("--")
        && flag.len() >= 2
        && flag
            .strip_prefix('-')
            .is_some_and(|letters| letters.chars().all(|c| c.is_ascii_alphabetic()))
        && flag
            .chars()
            .last()
            .is_some_and(|c| matches!(c, 'u' | 'g' | 'C' | 'D' | 'h' | 'p' | 'r' | 't' | 'U' | 'T'))
}

/// The file name of a program word: `bin/rails` → `rails`, `./manage.py` → `manage.py`,
/// `prisma@5` (a pinned `npx` package) → `prisma`.
pub fn program_name(word: &str) -> &str {
    let name = word.rsplit('/').next().unwrap_or(word);
    match name.find('@') {
        Some(at) if at > 0 => &name[..at],
        _ => name,
    }
}

/// True for a word that is a flag (`-f`, `--force`), not `-` alone.
pub fn is_flag(word: &str) -> bool {
    word.len() > 1 && word.starts_with('-')
}

#[cfg(test)]
mod tests {
    use super::super::parse;

    fn effective(line: &str) -> Vec<String> {
        parse(line)
            .invocation()
            .map(|i| i.argv().iter().map(|w| w.to_string()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn peels_launchers_and_carriers() {
        assert_eq!(
            effective("npx -y prisma migrate dev"),
            vec!["prisma", "migrate", "dev"]
        );
        assert_eq!(
            effective("pnpm exec prisma db push"),
            vec!["prisma", "db", "push"]
        );
        assert_eq!(
            effective("cross-env NODE_ENV=production dotenv -e .env -- knex migrate:latest"),
            vec!["knex", "migrate:latest"]
        );
        assert_eq!(
            effective("bundle exec rails db:reset"),
            vec!["rails", "db:reset"]
        );
        assert_eq!(
            effective("python manage.py flush"),
            vec!["manage.py", "flush"]
        );
        assert_eq!(effective("sudo -E FOO=1 make x"), vec!["make", "x"]);
        assert_eq!(
            effective("sudo -u postgres dropdb app"),
            vec!["dropdb", "app"]
        );
        assert_eq!(
            effective("kubectl exec -it deploy/redis -n prod -- redis-cli FLUSHALL"),
            vec!["redis-cli", "FLUSHALL"]
        );
        assert_eq!(
            effective("docker compose exec -T db psql -c x"),
            vec!["psql", "-c", "x"]
        );
        assert_eq!(effective("docker exec -it web sh"), vec!["sh"]);
        assert_eq!(
            effective("kubectl exec pod ls"),
            vec!["kubectl", "exec", "pod", "ls"]
        );
        assert_eq!(effective("pnpm db:migrate"), vec!["pnpm", "db:migrate"]);
        assert_eq!(
            effective("yarn prisma migrate reset --force"),
            vec!["prisma", "migrate", "reset", "--force"]
        );
        assert_eq!(effective("yarn install"), vec!["yarn", "install"]);
        assert_eq!(super::program_name("prisma@5"), "prisma");
        assert!(effective("npx").is_empty());
    }
}
