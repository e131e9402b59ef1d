//! Vercel CLI: `vercel env add NAME [ENVIRONMENT]` adds an env var (its value read from stdin).

use crate::command::invocation::{EnvStore, Invocation};

/// The variable `vercel env add` adds.
pub(super) fn understand(invocation: &mut Invocation) {
    let args = invocation.args();
    let positionals = super::secrets::positionals(args, &["--scope", "--token", "-t", "--cwd"]);
    if let [env, add, name, ..] = positionals.as_slice() {
        if env.text == "env" && add.text == "add" {
            invocation.env_stored.extend(super::secrets::named(
                name,
                &name.text,
                None,
                &EnvStore::Vercel,
            ));
        }
    }
}
