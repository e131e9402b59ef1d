//! The benchmark floor: walk DIR like `check` does, read every Markdown file and run it
//! through pulldown-cmark with the linter's options, doing nothing with the events.
//! `cargo run --release --example parse_only -- DIR`. `scripts/bench.sh` compares
//! `runbook-lint check` against this.

use pulldown_cmark::{Options, Parser};
use rayon::prelude::*;

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".to_string());
    let dir = std::path::Path::new(&dir);
    let (files, _) = runbook_lint::discover::walk_markdown(dir, dir);
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES;
    // Same parallelism as the linter, so the ratio measures the linter's own work.
    let events: usize = files
        .par_iter()
        .map(|path| {
            let bytes = runbook_lint::fsio::read(path, None, u64::MAX).unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes);
            Parser::new_ext(&text, options).into_offset_iter().count()
        })
        .sum();
    println!("{} files, {events} events", files.len());
}
