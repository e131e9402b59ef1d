//! Shell builtins that matter: `export NAME=value` (and `declare`, `local`, `readonly`,
//! `typeset`) set variables for the commands after them.

use crate::command::invocation::{exported_assignments, Invocation};

/// Adds the variables an `export` sets.
pub(super) fn exports(invocation: &mut Invocation) {
    let exported = exported_assignments(&invocation.words);
    invocation.env_set.extend(exported);
}
