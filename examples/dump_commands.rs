//! Prints the commands runbook-lint extracts from Markdown files, with their context and
//! working directory: `cargo run --example dump_commands -- FILE...`. A debugging aid for
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
            println!(
                "{path}:{line}:{column} [{}]{cwd} {}",
                command.context.name(),
                command.text()
            );
        }
    }
}
