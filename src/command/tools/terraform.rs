//! Terraform: the variable files it reads (`-var-file x`, `-var-file=x`); options that take
//! a value.

use crate::command::invocation::{FileArg, FileRole, Invocation};

/// Adds the `-var-file` files of the invocation.
pub(super) fn understand(invocation: &mut Invocation) {
    let args = invocation.args();
    let mut found = Vec::new();
    for (i, word) in args.iter().enumerate() {
        let text = word.text.trim_start_matches('-');
        let value = if text == "var-file" {
            args.get(i + 1).cloned()
        } else if let Some(value) = text.strip_prefix("var-file=") {
            let mut word = word.clone();
            word.text = value.to_string();
            Some(word)
        } else {
            None
        };
        found.extend(value.map(|word| FileArg {
            word,
            role: FileRole::Reads,
        }));
    }
    invocation.files_read.extend(found);
}

/// terraform options that take a value.
pub(super) const VALUE_FLAGS: &[&str] = &["-chdir", "-var", "-var-file", "-target"];
