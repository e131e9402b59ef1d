//! AWS CLI: `aws ssm put-parameter --name /app/prod/NAME --value x` stores a parameter, which
//! loaders such as chamber hand to the service as the env var NAME.

use crate::command::invocation::{EnvStore, Invocation};

/// The parameter `aws ssm put-parameter` stores, by the last segment of its name.
pub(super) fn understand(invocation: &mut Invocation) {
    let args = invocation.args();
    let positionals = super::secrets::positionals(
        args,
        &[
            "--name",
            "--value",
            "--type",
            "--region",
            "--profile",
            "--key-id",
            "--description",
            "--tier",
            "--cli-input-json",
        ],
    );
    if !matches!(positionals.as_slice(), [ssm, put, ..] if ssm.text == "ssm" && put.text == "put-parameter")
    {
        return;
    }
    let Some((word, name)) = super::secrets::flag_value(args, &["--name"]) else {
        return;
    };
    let last = name.rsplit('/').next().unwrap_or(name);
    let value = super::secrets::flag_value(args, &["--value"]).map(|(_, v)| v);
    invocation
        .env_stored
        .extend(super::secrets::named(word, last, value, &EnvStore::AwsSsm));
}
