//! GitHub CLI: `gh secret set NAME` and `gh variable set NAME` store an Actions secret or
//! variable (`--body` gives the value, stdin otherwise).

use crate::command::invocation::{EnvStore, Invocation};

/// Options of `gh secret set` that take a value.
const VALUED: &[&str] = &[
    "-b",
    "--body",
    "-e",
    "--env",
    "-o",
    "--org",
    "-R",
    "--repo",
    "-a",
    "--app",
    "-f",
    "--env-file",
    "-v",
    "--visibility",
    "-r",
    "--repos",
];

/// The secret or variable `gh secret set` / `gh variable set` stores.
pub(super) fn understand(invocation: &mut Invocation) {
    let args = invocation.args();
    let positionals = super::secrets::positionals(args, VALUED);
    if let [kind, set, name, ..] = positionals.as_slice() {
        if matches!(kind.text.as_str(), "secret" | "variable") && set.text == "set" {
            let body = super::secrets::flag_value(args, &["--body", "-b"]).map(|(_, v)| v);
            invocation.env_stored.extend(super::secrets::named(
                name,
                &name.text,
                body,
                &EnvStore::GithubActions,
            ));
        }
    }
}
