//! Language-server latency: how long after a `didChange` the diagnostics arrive, for a
//! 2 000-line runbook in a 1 000-runbook workspace.
//!
//! `cargo run --release --example lsp_latency -- [BINARY] [ITERATIONS]` (BINARY defaults to
//! `target/release/runbook-lint`). It writes the workspace to a temporary directory (one
//! project root: package.json, render.yaml, compose.yaml, Makefile, .env.example and 1 000
//! runbooks that link to each other's headings), starts `runbook-lint server`, opens the big
//! runbook and then, ITERATIONS times (default 50), changes one line (alternately a typo and
//! its correction) and times the wait for the `publishDiagnostics` of that version. It prints
//! the time to the first diagnostics after opening (project load included) and min / median
//! / p95 / max after a change, with the server's default debounce and with none. Not a test:
//! it asserts only that diagnostics arrive.

#![allow(clippy::disallowed_methods)] // fixtures are written and read directly, programs run

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::json;

#[path = "../tests/support/lsp_client.rs"]
mod lsp_client;
use lsp_client::{file_uri as uri, Client};

const RUNBOOKS: usize = 1000;
const BIG_LINES: usize = 2000;

fn main() {
    let mut args = std::env::args().skip(1);
    let binary = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/release/runbook-lint"));
    // The server runs in the workspace: a relative path would not resolve there.
    let binary = binary.canonicalize().unwrap_or(binary);
    let iterations: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(50);
    let dir = tempfile::tempdir().expect("temporary directory");
    let root = dir.path().canonicalize().unwrap();
    let big = write_workspace(&root);
    let text = std::fs::read_to_string(&big).unwrap();
    println!(
        "workspace: {RUNBOOKS} runbooks + a {}-line runbook ({} KB), one project root",
        text.lines().count(),
        text.len() / 1024
    );
    for (label, debounce) in [("default debounce", None), ("no debounce", Some(0))] {
        let mut client = Client::start(&binary, &root);
        let mut options = json!({});
        if let Some(ms) = debounce {
            options = json!({ "debounceMs": ms });
        }
        let id = client.request(
            "initialize",
            json!({"processId": null, "rootUri": uri(&root), "capabilities": {}, "initializationOptions": options}),
        );
        client.response(id);
        client.notify("initialized", json!({}));
        let doc = uri(&big);
        let started = Instant::now();
        client.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": doc, "languageId": "markdown", "version": 1, "text": text}}),
        );
        let first = client.diagnostics(&doc, 1).len();
        let opened = started.elapsed();
        let mut times = Vec::new();
        // The line to edit: a command in the middle of the document.
        let line = text
            .lines()
            .position(|l| l.contains("pnpm db:deploy"))
            .expect("a command line") as u32;
        let column = text
            .lines()
            .nth(line as usize)
            .unwrap()
            .find("db:deploy")
            .unwrap() as u32;
        for i in 0..iterations {
            let version = i as i64 + 2;
            let (old, new) = if i % 2 == 0 {
                ("db:deploy", "db:deplyo")
            } else {
                ("db:deplyo", "db:deploy")
            };
            let change = json!({
                "textDocument": {"uri": doc, "version": version},
                "contentChanges": [{
                    "range": {
                        "start": {"line": line, "character": column},
                        "end": {"line": line, "character": column + old.len() as u32},
                    },
                    "text": new,
                }],
            });
            let sent = Instant::now();
            client.notify("textDocument/didChange", change);
            client.diagnostics(&doc, version);
            times.push(sent.elapsed());
        }
        let id = client.request("shutdown", json!(null));
        client.response(id);
        client.notify("exit", json!(null));
        client.wait();
        times.sort();
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
        println!(
            "{label:>16}: open → first diagnostics {:.1} ms ({} findings); change → diagnostics over {iterations} edits: min {:.1} ms, median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
            ms(opened),
            first,
            ms(times[0]),
            ms(at(0.5)),
            ms(at(0.95)),
            ms(*times.last().unwrap()),
        );
    }
}

/// Writes the workspace; returns the big runbook's path.
fn write_workspace(root: &Path) -> PathBuf {
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::create_dir_all(root.join("docs/runbooks")).unwrap();
    std::fs::write(
        root.join("package.json"),
        r#"{"name":"bench","private":true,"packageManager":"pnpm@9.0.0","scripts":{"build":"tsc","test":"vitest run","test:e2e":"playwright test","lint":"eslint .","db:deploy":"prisma migrate deploy","db:backup":"./scripts/backup.sh","start":"node dist/server.js"}}"#,
    )
    .unwrap();
    std::fs::write(
        root.join("render.yaml"),
        "services:\n  - type: web\n    name: api\n    envVars:\n      - key: DATABASE_URL\n        sync: false\n      - key: REDIS_URL\n        sync: false\n      - key: SENTRY_DSN\n        sync: false\n",
    )
    .unwrap();
    std::fs::write(
        root.join("compose.yaml"),
        "services:\n  api:\n    image: api\n  worker:\n    image: api\n  postgres:\n    image: postgres:16\n",
    )
    .unwrap();
    std::fs::write(
        root.join("Makefile"),
        ".PHONY: deploy smoke\ndeploy:\n\t./scripts/deploy.sh\nsmoke:\n\tcurl -f https://example.invalid/health\n",
    )
    .unwrap();
    std::fs::write(root.join(".env.example"), "DATABASE_URL=\nREDIS_URL=\n").unwrap();
    std::fs::create_dir_all(root.join("scripts")).unwrap();
    for script in ["deploy.sh", "backup.sh"] {
        std::fs::write(root.join("scripts").join(script), "#!/bin/sh\n").unwrap();
    }
    for i in 0..RUNBOOKS {
        let mut text = String::new();
        let _ = write!(
            text,
            "# Runbook {i}\n\n## Prerequisites\n\n- [ ] `DATABASE_URL` is set\n- [ ] Access to the cluster\n\n## Production deployment\n\n1. Back up: `pnpm db:backup`\n2. Migrate: `pnpm db:deploy`\n3. Deploy: `make deploy`\n\n## Verification\n\n```bash\ndocker compose logs api\nmake smoke\n```\n\n## Rollback\n\nSee [runbook {}](runbook-{:04}.md#rollback).\n\n## Contacts\n\n| Role | Name |\n|---|---|\n| Owner | Dana Kim |\n",
            (i + 1) % RUNBOOKS,
            (i + 1) % RUNBOOKS
        );
        std::fs::write(root.join(format!("docs/runbooks/runbook-{i:04}.md")), text).unwrap();
    }
    let mut big = String::from("# Platform operations\n\n");
    let mut section = 0;
    while big.lines().count() < BIG_LINES {
        let n = section;
        section += 1;
        let _ = write!(
            big,
            "## Procedure {n}: production deployment\n\n\
             Before you start, read [runbook {n}](runbooks/runbook-{:04}.md#production-deployment) and check\n\
             that `DATABASE_URL` and `REDIS_URL` are set in the dashboard.\n\n\
             - [ ] Announce the deploy in #ops\n\
             - [ ] Back up the database: `pnpm db:backup`\n\
             - [ ] Run the tests: `pnpm test` and `pnpm test:e2e`\n\n\
             ```bash\n\
             pnpm build\n\
             pnpm db:deploy\n\
             make deploy\n\
             docker compose logs worker\n\
             ```\n\n\
             If it fails, see [rollback](#procedure-{n}-rollback).\n\n\
             ## Procedure {n}: rollback\n\n\
             1. Revert the release: `make deploy`\n\
             2. Restore: `./scripts/backup.sh --restore`\n\
             3. Tell the owner (see [contacts](runbooks/runbook-{:04}.md#contacts)).\n\n",
            n % RUNBOOKS,
            (n * 7) % RUNBOOKS,
        );
    }
    let path = root.join("docs/operations.md");
    std::fs::write(&path, big).unwrap();
    path
}
