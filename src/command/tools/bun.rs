//! Bun: `bun run x`; `bun x` runs a file or a binary, never a script by name.

use super::package_manager::{is_run, Subcommand};
use crate::command::shell::Word;

/// What `words[i..]` (after bun's global options) runs.
pub(super) fn subcommand(words: &[Word], i: usize) -> Subcommand {
    let command = words.get(i).map(|w| w.text.as_str()).unwrap_or("");
    if is_run(command) {
        Subcommand::ScriptAt {
            index: i + 1,
            may_be_binary: false,
        }
    } else {
        Subcommand::None
    }
}
