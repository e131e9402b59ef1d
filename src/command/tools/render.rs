//! Render CLI: `render env set NAME=value` sets env vars of a service.

use crate::command::invocation::{EnvStore, Invocation};

/// The variables `render env set` (or `render env-vars set`) sets.
pub(super) fn understand(invocation: &mut Invocation) {
    let args = invocation.args();
    if args.len() > 2
        && matches!(args[0].text.as_str(), "env" | "env-vars" | "envvars")
        && args[1].text == "set"
    {
        invocation.env_stored = super::secrets::assignments(&args[2..], &EnvStore::Render);
    }
}
