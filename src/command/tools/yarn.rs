//! Yarn: `yarn run x`, `yarn x` (a script or a dependency's binary), lifecycle commands, and
//! `yarn workspace NAME [run] x`.

use super::package_manager::{is_builtin, is_run, lifecycle, PackageTarget, Subcommand};
use crate::command::shell::Word;

/// What `words[i..]` (after Yarn's global options) runs; `yarn workspace NAME` retargets.
pub(super) fn subcommand(words: &[Word], i: usize, target: &mut PackageTarget) -> Subcommand {
    let word = |i: usize| words.get(i).map(|w| w.text.as_str()).unwrap_or("");
    let command = word(i);
    if is_run(command) {
        Subcommand::ScriptAt {
            index: i + 1,
            may_be_binary: false,
        }
    } else if command == "workspace" {
        *target = PackageTarget::Named(word(i + 1).to_string());
        if word(i + 2) == "run" {
            Subcommand::ScriptAt {
                index: i + 3,
                may_be_binary: false,
            }
        } else {
            Subcommand::ScriptAt {
                index: i + 2,
                may_be_binary: true,
            }
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
