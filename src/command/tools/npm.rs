//! npm: `npm run x` (and its misspellings), lifecycle commands (`npm test`, `npm start`);
//! `npm x` is never a script.

use super::package_manager::{is_run, lifecycle, Subcommand};
use crate::command::shell::Word;

/// What `words[i..]` (after npm's global options) runs.
pub(super) fn subcommand(words: &[Word], i: usize) -> Subcommand {
    let command = words.get(i).map(|w| w.text.as_str()).unwrap_or("");
    if is_run(command) {
        Subcommand::ScriptAt {
            index: i + 1,
            may_be_binary: false,
        }
    } else if let Some(script) = lifecycle(command) {
        Subcommand::Lifecycle { script, index: i }
    } else {
        Subcommand::None
    }
}
