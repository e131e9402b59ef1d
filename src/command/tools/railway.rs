//! Railway CLI: `railway variables set NAME=value` and `railway variables --set NAME=value`
//! store variables for the service.

use crate::command::invocation::{EnvStore, Invocation};

/// The variables `railway variables` (or `variable`) sets.
pub(super) fn understand(invocation: &mut Invocation) {
    let args = invocation.args();
    if !args
        .first()
        .is_some_and(|a| matches!(a.text.as_str(), "variables" | "variable" | "vars"))
    {
        return;
    }
    let mut stored = Vec::new();
    if args.get(1).is_some_and(|a| a.text == "set") {
        stored = super::secrets::assignments(&args[2..], &EnvStore::Railway);
    }
    for (i, word) in args.iter().enumerate() {
        let set = if word.text == "--set" {
            args.get(i + 1).map(|next| (next, next.text.as_str()))
        } else {
            word.text.strip_prefix("--set=").map(|rest| (word, rest))
        };
        if let Some((word, text)) = set {
            stored.extend(super::secrets::assignment(word, text, &EnvStore::Railway));
        }
    }
    invocation.env_stored = stored;
}
