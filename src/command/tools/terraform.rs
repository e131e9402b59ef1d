//! Terraform: options that take a value.

/// terraform options that take a value.
pub(super) const VALUE_FLAGS: &[&str] = &["-chdir", "-var", "-var-file", "-target"];
