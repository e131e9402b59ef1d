//! Prints the commands runbook-lint extracts from Markdown files, with their context and
//! working directory, and what each runs where (after launchers and carriers):
//! `cargo run --example dump_commands -- FILE...`. A debugging aid for
//! checking the extractor against real runbooks.

#![allow(clippy::disallowed_methods)] // fixtures are written and read directly

use runbook_lint::document::{Document, ParseOptions, WorkDir};
use runbook_lint::span::LineIndex;

fn main() {
    for path in std::env::args().skip(1) {
        let Ok(bytes) = std::fs::read(&path) else {
            eprintln!("{path}: cannot read");
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let doc = Document::parse(&text, &ParseOptions::default());
        let index = LineIndex::new(&text);
        for command in &doc.commands {
            let (line, column) = index.position(&text, command.span.start);
            let cwd = match &command.cwd {
                WorkDir::Default => String::new(),
                WorkDir::Relative(dir) => format!(" (in {dir})"),
                WorkDir::Unknown => " (in ?)".to_string(),
            };
            // What runs, and where: `psql @ container db` for `docker compose exec db psql`.
            let runs = match command.invocation() {
                Some(invocation) if !invocation.is_local() => {
                    format!(" -> {} @ {:?}", invocation.name(), invocation.location)
                }
                Some(invocation) if invocation.name() != command.program().unwrap_or("") => {
                    format!(" -> {}", invocation.name())
                }
                _ => String::new(),
            };
            println!(
                "{path}:{line}:{column} [{}]{cwd} {}{runs}",
                command.context.name(),
                command.text()
            );
        }
    }
}
