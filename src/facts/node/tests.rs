use super::*;

fn package(dir: &str, name: &str, scripts: &[(&str, &str)]) -> Package {
    Package {
        name: Some(name.to_string()),
        dir: dir.to_string(),
        manifest: if dir.is_empty() {
            "package.json".into()
        } else {
            format!("{dir}/package.json")
        },
        scripts: scripts
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        dependencies: ["prisma".to_string(), "graphile-migrate".to_string()]
            .into_iter()
            .collect(),
    }
}

fn facts() -> NodeFacts {
    NodeFacts {
        packages: vec![
            package(
                "",
                "acme",
                &[
                    ("test", "vitest"),
                    ("test:e2e", "playwright test"),
                    ("db:migrate", "pnpm run prisma:dev"),
                    ("prisma:dev", "dotenv -e .env -- prisma migrate dev"),
                    ("db:deploy", "prisma migrate deploy"),
                    ("loop", "pnpm loop"),
                ],
            ),
            package(
                "apps/api",
                "@acme/api",
                &[("migrate:deploy", "prisma migrate deploy")],
            ),
        ],
        manager: Some(PackageManager::Pnpm),
        others: Vec::new(),
    }
}

/// The script a command line runs and the package it runs in, from the root.
fn call(line: &str) -> Option<(ScriptRun, Target)> {
    let command = crate::command::parse(line);
    let run = command.invocation()?.script.clone()?;
    let target = NodeFacts::target(&run, "")?;
    Some((run, target))
}

#[test]
fn recognises_script_calls() {
    let cases = [
        (
            "npm run test:e2e",
            Some(("test:e2e", Target::Dir(String::new()))),
        ),
        (
            "npm run-script build",
            Some(("build", Target::Dir(String::new()))),
        ),
        ("npm test", Some(("test", Target::Dir(String::new())))),
        (
            "npm --prefix apps/api run migrate",
            Some(("migrate", Target::Dir("apps/api".into()))),
        ),
        (
            "npm -w @acme/api run migrate",
            Some(("migrate", Target::Named("@acme/api".into()))),
        ),
        (
            "pnpm db:migrate",
            Some(("db:migrate", Target::Dir(String::new()))),
        ),
        (
            "pnpm --filter=@acme/api migrate:deploy",
            Some(("migrate:deploy", Target::Named("@acme/api".into()))),
        ),
        (
            "pnpm -F api build",
            Some(("build", Target::Named("api".into()))),
        ),
        (
            "pnpm -C apps/api run build",
            Some(("build", Target::Dir("apps/api".into()))),
        ),
        ("pnpm -r build", Some(("build", Target::All))),
        (
            "yarn workspace @acme/api build",
            Some(("build", Target::Named("@acme/api".into()))),
        ),
        ("bun run dev", Some(("dev", Target::Dir(String::new())))),
        ("pnpm install", None),
        ("pnpm exec prisma generate", None),
        ("npm ci", None),
        ("npm install -g pnpm", None),
        ("bun test", None),
        ("yarn dlx create-x", None),
        ("node server.js", None),
    ];
    for (line, expected) in cases {
        let got = call(line).map(|(run, target)| (run.script, target));
        let expected = expected.map(|(s, t)| (s.to_string(), t));
        assert_eq!(got, expected, "{line}");
    }
}

#[test]
fn looks_up_scripts_binaries_and_packages() {
    let facts = facts();
    let lookup = |line: &str| {
        let (run, target) = call(line).unwrap();
        match facts.lookup(&run, &target, &[""]) {
            Lookup::Found(p) => format!("found in {}", p.manifest),
            Lookup::Missing(checked) => format!("missing from {}", checked.len()),
            Lookup::Binary => "binary".into(),
            Lookup::NoPackage => "no package".into(),
        }
    };
    assert_eq!(lookup("pnpm test:e2e"), "found in package.json");
    assert_eq!(lookup("pnpm test:auth"), "missing from 1");
    // A dependency's binary; well-known CLIs (`pnpm prisma generate`) are peeled as
    // launchers by the command layer and never reach the lookup.
    assert_eq!(lookup("pnpm graphile-migrate watch"), "binary");
    assert!(call("pnpm prisma generate").is_none());
    assert_eq!(
        lookup("pnpm --filter=@acme/api migrate:deploy"),
        "found in apps/api/package.json"
    );
    assert_eq!(lookup("pnpm --filter @acme/web build"), "no package");
}

#[test]
fn expands_nested_scripts_with_chain() {
    let facts = facts();
    let root = facts.root().unwrap();
    let steps = facts.expand(root, "db:migrate", "pnpm db:migrate");
    assert_eq!(steps.len(), 1);
    assert_eq!(steps[0].argv(), vec!["prisma", "migrate", "dev"]);
    assert_eq!(
        steps[0].chain,
        vec![
            "pnpm db:migrate",
            "pnpm run prisma:dev",
            "prisma migrate dev"
        ]
    );
    // A `cd` in a script moves the next call into that package.
    let mut facts = facts;
    facts.packages[0].scripts.insert(
        "api:deploy".into(),
        "cd apps/api && npm run migrate:deploy".into(),
    );
    let root = facts.root().unwrap();
    let steps = facts.expand(root, "api:deploy", "pnpm api:deploy");
    assert_eq!(steps[1].argv(), vec!["prisma", "migrate", "deploy"]);
    // A script calling itself ends instead of looping.
    assert!(facts.expand(root, "loop", "pnpm loop").is_empty());
}

#[test]
fn finds_scripts_running_a_command() {
    let facts = facts();
    let found: Vec<&str> = facts
        .scripts_running(&["prisma", "migrate", "deploy"])
        .into_iter()
        .map(|(_, name)| name)
        .collect();
    assert_eq!(found, vec!["db:deploy", "migrate:deploy"]);
}

#[test]
fn workspace_globs_select_members() {
    let files: Vec<&str> = vec![
        "package.json",
        "apps/api/package.json",
        "apps/web/package.json",
        "packages/legacy/package.json",
        "node_modules/x/package.json",
    ];
    let members = member_manifests(
        &[
            "apps/*".into(),
            "packages/*".into(),
            "!packages/legacy".into(),
        ],
        &files,
    );
    assert_eq!(
        members,
        vec!["apps/api/package.json", "apps/web/package.json"]
    );
}
