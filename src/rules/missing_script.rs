use super::Cx;
use crate::diagnostic::did_you_mean_text;
use crate::facts::node::{Lookup, Target};
use crate::fix::did_you_mean_fix;

declare_rule! {
    /// ## What it does
    /// Checks that every package script a runbook runs (`npm run x`, `npm test`, `pnpm x`,
    /// `pnpm --filter pkg x`, `yarn workspace pkg x`, `bun run x` ...) is defined in the
    /// package.json that would run it, and that a workspace package named with `--filter`,
    /// `-w` or `yarn workspace` exists.
    ///
    /// The package is the one the command runs in: the runbook's nearest package, the
    /// directory of a preceding `cd`, or the package a filter names; a script of the root
    /// package is accepted too. A command run in a container or on another host, such as
    /// `kubectl exec deploy/web -- npm run x` or any line after `ssh host` or
    /// `docker compose exec web sh`, is checked against the package that runs there when the
    /// repository says which (the compose service's build context or Dockerfile directory, a
    /// workspace package the pod, app or host is named after), else against every package:
    /// the script must exist somewhere. `pnpm x` and `yarn x` may also run a dependency's binary, so a
    /// word naming a dependency is not reported. `--if-present` turns the check off.
    ///
    /// Other script runners are checked the same way: turbo tasks (`turbo run x`, `turbo x`,
    /// `pnpm turbo x`, `turbo run web#x`) against turbo.json's `tasks` (or v1 `pipeline`,
    /// package turbo.json files included; a task also defined as a package script counts),
    /// and composer scripts (`composer run-script x`, `composer run x`) against composer.json.
    /// Where the name may be something else, only a near miss (one edit from a defined name)
    /// is reported: `composer x` (Composer accepts abbreviations of its own commands) and
    /// `uv run x` / `poetry run x` (any installed program), checked against the console
    /// scripts of pyproject.toml (`[project.scripts]`, `[tool.poetry.scripts]`). An empty or
    /// unreadable manifest keeps the check silent.
    ///
    /// ## Why is this bad?
    /// Scripts get renamed and runbooks do not follow. The step fails with
    /// `ERR_PNPM_NO_SCRIPT` in the middle of a deploy, and the reader has to guess which
    /// script was meant.
    ///
    /// ## Example
    /// ```markdown
    /// 2. Verify the build: `pnpm test:auth`
    /// ```
    ///
    /// ```markdown
    /// kubectl exec deploy/web -- npm run cache:warm   # no package defines cache:warm
    /// ```
    ///
    /// ```markdown
    /// uv run shop-admn sync   # pyproject.toml declares shop-admin
    /// ```
    ///
    /// Use instead (the script package.json defines):
    /// ```markdown
    /// 2. Verify the build: `pnpm test:e2e`
    /// ```
    pub struct MissingScript {
        id: "missing-script",
        severity: Error,
        summary: "a package script the runbook runs is not defined in package.json",
    }
}

impl MissingScript {
    fn run(&self, cx: &mut Cx<'_, '_>) {
        // turbo tasks, composer scripts and `uv run`/`poetry run` console scripts.
        super::missing_make_target::check_task_runs(cx, true);
        let node = &cx.project.node;
        if node.packages.is_empty() && node.others.is_empty() {
            return;
        }
        // The scripts of each set of packages, sorted once: per finding, collecting and sorting
        // every script was quadratic on a large package.json.
        let mut scripts_of: std::collections::HashMap<Vec<&str>, Vec<&str>> =
            std::collections::HashMap::new();
        let package_names = std::cell::OnceCell::new();
        for command in &cx.doc.commands {
            let Some((call, target)) = cx.script_call(command) else {
                continue;
            };
            if call.if_present || call.script.contains('$') {
                continue;
            }
            let span = call.script_word.span;
            match cx.file().lookup_script(command, call, &target) {
                Lookup::Found(_) | Lookup::Binary => {}
                Lookup::NoPackage => {
                    if let Target::Named(name) = &target {
                        if name.contains(['*', '{', '<', '$', '[', '.']) {
                            continue; // a glob or placeholder filter, not one package
                        }
                        let names: &Vec<&str> = package_names.get_or_init(|| {
                            node.packages
                                .iter()
                                .filter_map(|p| p.name.as_deref())
                                .collect()
                        });
                        let known = if names.is_empty() {
                            "the workspace has no named packages".to_string()
                        } else {
                            format!("workspace packages: {}", list(names))
                        };
                        let help = match did_you_mean_text(name, names.iter().copied()) {
                            Some(hint) => format!("{hint} ({known})"),
                            None => known,
                        };
                        cx.report(
                            command.span,
                            format!("workspace package `{name}` not found"),
                        )
                        .label("no package by this name")
                        .help(help);
                    }
                }
                Lookup::Missing(checked) => {
                    let manifests: Vec<&str> =
                        checked.iter().map(|p| p.manifest.as_str()).collect();
                    let unique = scripts_of.entry(manifests.clone()).or_insert_with(|| {
                        let mut unique: Vec<&str> = checked
                            .iter()
                            .flat_map(|p| p.scripts.keys().map(String::as_str))
                            .collect();
                        unique.sort();
                        unique.dedup();
                        unique
                    });
                    let available = if unique.is_empty() {
                        "it defines no scripts".to_string()
                    } else {
                        format!("available: {}", list(unique))
                    };
                    let help = match did_you_mean_text(&call.script, unique.iter().copied()) {
                        Some(hint) => format!("{hint} ({available})"),
                        None => format!(
                            "add it to `scripts` in {}, or fix the name ({available})",
                            manifests[0]
                        ),
                    };
                    let fix = did_you_mean_fix(cx.source, span, &call.script, unique);
                    // In a container or on another host with no package named: any of them.
                    let remote = command.invocation().filter(|i| !i.is_local());
                    let (place, label) = match remote {
                        Some(invocation) => (
                            if target == Target::All && manifests.len() > 1 {
                                "any package.json of the repository".to_string()
                            } else {
                                manifests.join(" or ")
                            },
                            format!("runs in {}", invocation.location.describe()),
                        ),
                        None => (
                            manifests.join(" or "),
                            format!("`{}` has no such script", call.manager.program()),
                        ),
                    };
                    cx.report(
                        span,
                        format!("script `{}` not found in {place}", call.script),
                    )
                    .label(label)
                    .help(help)
                    .fix(fix)
                    .checked(manifests[0]);
                }
            }
        }
    }
}

/// `a`, `b`, `c` and 5 more.
fn list(names: &[&str]) -> String {
    const SHOWN: usize = 8;
    let shown: Vec<String> = names.iter().take(SHOWN).map(|n| format!("`{n}`")).collect();
    if names.len() > SHOWN {
        format!("{} and {} more", shown.join(", "), names.len() - SHOWN)
    } else {
        shown.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, project};

    #[test]
    fn reports_missing_scripts_only() {
        let facts = project(
            &[("test", "vitest"), ("test:e2e", "playwright test")],
            &["prisma"],
        );
        let markdown = "Run `pnpm test:auth`, `pnpm test:e2e`, `npm test`, `pnpm prisma generate`,\n`npm run lint --if-present`, `pnpm run $SCRIPT` and `pnpm install`.\n\n```bash\nnpm run typecheck\n```\n";
        let found = check(&MissingScript, markdown, &facts);
        assert_eq!(
            found,
            vec![
                (
                    1,
                    "script `test:auth` not found in package.json".to_string()
                ),
                (
                    5,
                    "script `typecheck` not found in package.json".to_string()
                ),
            ]
        );
    }

    #[test]
    fn silent_without_package_json() {
        let facts = crate::facts::ProjectFacts::default();
        assert!(check(&MissingScript, "`pnpm anything`\n", &facts).is_empty());
    }
}
