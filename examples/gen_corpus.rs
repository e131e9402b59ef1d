//! Writes a deterministic benchmark corpus:
//! `cargo run --release --example gen_corpus -- [--defects] DIR N`.
//!
//! By default the runbooks are realistic: correct, complete runbooks of the usual size, with
//! about one finding per ten files (a real docs folder has a finding every few files). With
//! `--defects` every runbook is riddled with problems (about 7 findings per file): a stress
//! test of diagnostics and reporting rather than a picture of a real repository.
//!
//! N runbook-style Markdown files spread over projects of 50 runbooks each, every project with
//! a package.json (every fifth a pnpm workspace with two member packages, every seventh a
//! render.yaml), under a `.git` folder so root discovery stops at DIR. Same DIR and N, same
//! bytes: a fixed-seed generator, no clock, no randomness from the OS.

#![allow(clippy::disallowed_methods)] // fixtures are written and read directly

use std::fmt::Write as _;
use std::path::Path;

const RUNBOOKS_PER_PROJECT: usize = 50;

/// xorshift64*: tiny, fixed-seed, good enough to vary the text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const SCRIPTS: &[(&str, &str)] = &[
    ("build", "tsc -p tsconfig.json"),
    ("test", "vitest run"),
    ("test:e2e", "playwright test"),
    ("lint", "eslint ."),
    ("db:migrate", "prisma migrate dev"),
    ("db:deploy", "prisma migrate deploy"),
    ("db:seed", "tsx prisma/seed.ts"),
    ("start", "node dist/server.js"),
    ("release", "pnpm build && pnpm db:deploy"),
    ("smoke", "node scripts/smoke.js"),
];

const RUN_NAMES: &[&str] = &[
    "build",
    "test",
    "test:e2e",
    "lint",
    "db:deploy",
    "db:seed",
    "start",
    "release",
    "smoke",
    "test:auth",
    "db:migrate",
];

const SECTIONS: &[&str] = &[
    "Production deployment",
    "Staging rollout",
    "Local development",
    "Rollback",
    "Verify the release",
    "Incident response",
    "Database maintenance",
    "Phase 2: Production cut-over",
];

const PROSE: &[&str] = &[
    "Check the dashboards before and after each step and note the time in the incident channel.",
    "If the health check fails twice, stop and page the on-call engineer.",
    "The deploy takes about ten minutes; do not start it during the Monday traffic peak.",
    "Confirm that the feature flags for the release are off in the admin console.",
    "Keep the previous image tag at hand in case a rollback is needed.",
    "Owner: TBD. This section still needs a review by the database team.",
];

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let defects = args.iter().any(|a| a == "--defects");
    args.retain(|a| a != "--defects");
    let mut args = args.into_iter();
    let (Some(dir), Some(count)) = (args.next(), args.next()) else {
        eprintln!("usage: gen_corpus [--defects] DIR N");
        std::process::exit(2);
    };
    let Ok(count) = count.parse::<usize>() else {
        eprintln!("N must be a number");
        std::process::exit(2);
    };
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir.join(".git")).expect("create DIR/.git");
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let projects = count.div_ceil(RUNBOOKS_PER_PROJECT);
    for p in 0..projects {
        let project = dir.join(format!("project-{p:04}"));
        write_project(&project, p, defects, &mut rng);
        let first = p * RUNBOOKS_PER_PROJECT;
        for n in first..count.min(first + RUNBOOKS_PER_PROJECT) {
            let sub = if n % 3 == 0 { "docs/ops" } else { "docs" };
            let path = project.join(sub).join(format!("runbook-{n:05}.md"));
            let up = if sub == "docs" { "../" } else { "../../" };
            let text = if defects {
                runbook(n, up, &mut rng)
            } else {
                realistic_runbook(n, up, &mut rng)
            };
            write(&path, &text);
        }
    }
    println!(
        "wrote {count} runbooks in {projects} projects under {}",
        dir.display()
    );
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("create dir");
    std::fs::write(path, text).expect("write file");
}

fn package_json(name: &str, scripts: &[(&str, &str)]) -> String {
    let scripts: Vec<String> = scripts
        .iter()
        .map(|(k, v)| format!("    \"{k}\": \"{v}\""))
        .collect();
    format!(
        "{{\n  \"name\": \"{name}\",\n  \"private\": true,\n  \"packageManager\": \"pnpm@9.12.0\",\n  \"scripts\": {{\n{}\n  }},\n  \"devDependencies\": {{ \"prisma\": \"^5.22.0\", \"vitest\": \"^2.1.0\" }}\n}}\n",
        scripts.join(",\n")
    )
}

fn write_project(project: &Path, p: usize, defects: bool, rng: &mut Rng) {
    // With defects, each project drops a script so some runbook commands are missing.
    let dropped = if defects {
        rng.below(SCRIPTS.len())
    } else {
        usize::MAX
    };
    let scripts: Vec<(&str, &str)> = SCRIPTS
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != dropped)
        .map(|(_, s)| *s)
        .collect();
    write(
        &project.join("README.md"),
        &format!("# Project {p}\n\n## Deploy\n\nSee docs/.\n"),
    );
    write(
        &project.join("package.json"),
        &package_json(&format!("project-{p}"), &scripts),
    );
    if p.is_multiple_of(5) {
        write(
            &project.join("pnpm-workspace.yaml"),
            "packages:\n  - 'apps/*'\n",
        );
        for app in ["api", "web"] {
            write(
                &project.join(format!("apps/{app}/package.json")),
                &package_json(
                    &format!("@p{p}/{app}"),
                    &[
                        ("dev", "next dev"),
                        ("build", "next build"),
                        ("test", "vitest"),
                    ],
                ),
            );
        }
    }
    if p.is_multiple_of(7) {
        write(
            &project.join("render.yaml"),
            "services:\n  - type: web\n    name: api\n    buildCommand: pnpm build\n    startCommand: pnpm start\n",
        );
    }
}

/// `up` leads from the runbook's folder back to the project root (where README.md is).
fn runbook(n: usize, up: &str, rng: &mut Rng) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Service {n} runbook\n");
    let _ = writeln!(out, "{}\n", rng.pick(PROSE));
    let sections = 4 + rng.below(5);
    for s in 0..sections {
        let _ = writeln!(out, "## {}\n", rng.pick(SECTIONS));
        let _ = writeln!(out, "{} {}\n", rng.pick(PROSE), rng.pick(PROSE));
        match (n + s) % 4 {
            0 => {
                for _ in 0..3 + rng.below(4) {
                    let _ = writeln!(
                        out,
                        "- [ ] Run `pnpm {}` and check the output",
                        rng.pick(RUN_NAMES)
                    );
                }
                out.push('\n');
            }
            1 => {
                out.push_str("```bash\n");
                for _ in 0..2 + rng.below(5) {
                    let _ = match rng.below(5) {
                        0 => writeln!(out, "cd apps/api && pnpm run {}", rng.pick(RUN_NAMES)),
                        1 => writeln!(
                            out,
                            "DATABASE_URL=$PROD_DB pnpm {} --if-present",
                            rng.pick(RUN_NAMES)
                        ),
                        2 => writeln!(
                            out,
                            "kubectl rollout status deploy/api-{n} --timeout=120s | tee log.txt"
                        ),
                        3 => writeln!(out, "npx prisma migrate deploy"),
                        _ => writeln!(out, "pnpm {}", rng.pick(RUN_NAMES)),
                    };
                }
                out.push_str("```\n\n");
            }
            2 => {
                out.push_str("| Role | Name | Phone |\n|---|---|---|\n");
                let _ = writeln!(out, "| Incident lead | Dana {n} | +1 555 0100 |");
                let _ = writeln!(
                    out,
                    "| Database on-call | {} | |",
                    rng.pick(&["Sam Reyes", "[TBD]", "Alex Kim"])
                );
                out.push('\n');
            }
            _ => {
                let _ = writeln!(
                    out,
                    "1. See the [deploy guide]({up}README.md#deploy) and [dashboards](https://example.com/d/{n}).\n2. Export `API_URL` and run:\n\n   ```sh\n   $ pnpm {}\n   ```\n",
                    rng.pick(RUN_NAMES)
                );
            }
        }
    }
    out
}

/// Scripts every realistic project has (`SCRIPTS`), used by the realistic runbooks.
const GOOD_RUNS: &[&str] = &["build", "test", "lint", "smoke", "test:e2e"];

const OWNERS: &[&str] = &["Sam Reyes", "Alex Kim", "Priya Natarajan", "Jordan Lee"];

/// A correct runbook of the usual shape: context, prerequisites, a production deploy with a
/// backup before its migration, verification, rollback, contacts. One file in ten carries a
/// single mistake a reviewer could make (a script name that does not exist).
fn realistic_runbook(n: usize, up: &str, rng: &mut Rng) -> String {
    let mut out = String::new();
    let owner = rng.pick(OWNERS);
    let _ = writeln!(
        out,
        "# Service {n} deployment runbook
"
    );
    let _ = writeln!(
        out,
        "Owner: {owner}. {} {}\n",
        PROSE[rng.below(5)],
        PROSE[rng.below(5)]
    );
    out.push_str("## Prerequisites\n\n");
    for _ in 0..2 + rng.below(3) {
        let _ = writeln!(
            out,
            "- [ ] Run `pnpm {}` on the release branch and check the output",
            rng.pick(GOOD_RUNS)
        );
    }
    let _ = writeln!(
        out,
        "- [ ] Read the [deploy guide]({up}README.md#deploy) and open the [dashboards](https://example.com/d/{n}).\n"
    );
    out.push_str("## Production deployment\n\n");
    let _ = writeln!(out, "{}\n", PROSE[rng.below(5)]);
    out.push_str("```bash\n");
    out.push_str("pg_dump -Fc \"$DATABASE_URL\" > pre-deploy.dump\n");
    for _ in 0..1 + rng.below(4) {
        let _ = writeln!(out, "pnpm {}", rng.pick(GOOD_RUNS));
    }
    out.push_str("pnpm db:deploy\n");
    let _ = writeln!(out, "kubectl rollout status deploy/api-{n} --timeout=120s");
    out.push_str("```\n\n");
    if n.is_multiple_of(10) {
        // The one defect: a script the project does not define.
        out.push_str("Then warm the caches with `pnpm cache:warm`.\n\n");
    }
    out.push_str("## Verify the release\n\n");
    let _ = writeln!(
        out,
        "1. Run the smoke test:\n\n   ```sh\n   pnpm smoke\n   ```\n\n2. {}\n",
        PROSE[rng.below(5)]
    );
    out.push_str("## Rollback\n\n");
    let _ = writeln!(
        out,
        "Redeploy the previous image tag, then restore the dump if the migration changed data:\n\n```bash\nkubectl rollout undo deploy/api-{n}\npg_restore --clean -d \"$DATABASE_URL\" pre-deploy.dump\n```\n"
    );
    out.push_str("## Contacts\n\n| Role | Name | Phone |\n|---|---|---|\n");
    let _ = writeln!(out, "| Incident lead | Dana {n} | +1 555 0100 |");
    let _ = writeln!(
        out,
        "| Database on-call | {} | +1 555 0101 |",
        rng.pick(OWNERS)
    );
    out
}
