//! pnpm: `pnpm run x`, lifecycle commands, and `pnpm x`, which runs the script `x` or else the
//! binary `x` of a dependency.

use super::package_manager::{is_builtin, is_run, lifecycle, Subcommand};
use crate::command::shell::Word;

/// What `words[i..]` (after pnpm's global options) runs.
pub(super) fn subcommand(words: &[Word], i: usize) -> Subcommand {
    let command = words.get(i).map(|w| w.text.as_str()).unwrap_or("");
    if is_run(command) {
        Subcommand::ScriptAt {
            index: i + 1,
            may_be_binary: false,
        }
    } else if let Some(script) = lifecycle(command) {
        Subcommand::Lifecycle { script, index: i }
    } else if is_builtin(command) {
        Subcommand::None
    } else {
        Subcommand::ScriptAt {
            index: i,
            may_be_binary: true,
        }
    }
}
