//! Doppler CLI: `doppler secrets set NAME=value...` (or `doppler secrets set NAME`, prompting
//! for the value) stores secrets of a config.

use crate::command::invocation::{EnvStore, Invocation};

/// The secrets `doppler secrets set` stores.
pub(super) fn understand(invocation: &mut Invocation) {
    let args = invocation.args();
    if args.len() > 2 && args[0].text == "secrets" && args[1].text == "set" {
        let rest = &args[2..];
        let mut stored = super::secrets::assignments(rest, &EnvStore::Doppler);
        if stored.is_empty() {
            let positionals =
                super::secrets::positionals(rest, &["-p", "--project", "-c", "--config"]);
            if let Some(name) = positionals.first() {
                stored.extend(super::secrets::named(
                    name,
                    &name.text,
                    None,
                    &EnvStore::Doppler,
                ));
            }
        }
        invocation.env_stored = stored;
    }
}
