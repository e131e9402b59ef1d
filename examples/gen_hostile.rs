//! Hostile inputs for `scripts/bench.sh --hostile`, which shows that time and memory grow
//! linearly with them (it is not a test: nothing asserts on time).
//!
//! `gen_hostile DIR long-line BYTES`: a repository whose runbook holds one code-block line of
//! about BYTES bytes, `pnpm nope && ` repeated: one command, and one `missing-script` finding,
//! every 13 bytes (a 1 MB line: 80 000 findings on one line).
//!
//! `gen_hostile DIR findings N`: a repository with N findings in all, 1 000 per runbook, of
//! four rules (missing scripts, placeholders, broken anchors, stale review dates), for the
//! SARIF and baseline fingerprints.

#![allow(clippy::disallowed_methods)] // a generator writes its files directly

use std::path::Path;

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("create dirs");
    std::fs::write(path, text).expect("write");
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, kind, size] = args.as_slice() else {
        eprintln!("usage: gen_hostile DIR long-line BYTES | gen_hostile DIR findings N");
        std::process::exit(2);
    };
    let size: usize = size.parse().expect("a number");
    let root = Path::new(dir);
    std::fs::create_dir_all(root.join(".git")).expect("create repo");
    write(
        root,
        "package.json",
        r#"{ "name": "app", "scripts": { "build": "tsc", "test": "vitest" } }"#,
    );
    match kind.as_str() {
        "long-line" => {
            let line = "pnpm nope && ".repeat(size / 13);
            write(
                root,
                "docs/long.md",
                &format!("# Deploy\n\n```bash\n{line}true\n```\n"),
            );
        }
        "findings" => {
            // 250 lines of 4 findings each per file.
            for file in 0..size.div_ceil(1000) {
                let mut text = String::from("# Runbook\n\n## Steps\n\n");
                for i in 0..250 {
                    text.push_str(&format!(
                        "- Step {i}: run `pnpm nope{i}`; owner: TBD; see [s](#stpes); \
                         Last Reviewed: 2024-01-{:02}\n",
                        i % 28 + 1
                    ));
                }
                write(root, &format!("docs/runbook-{file:04}.md"), &text);
            }
        }
        other => {
            eprintln!("unknown kind `{other}`: long-line or findings");
            std::process::exit(2);
        }
    }
}
