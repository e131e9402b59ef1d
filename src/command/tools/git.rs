//! git: options that take a value.

/// git's global options that take a value (`git -C dir`, `git -c key=value`).
pub(super) const VALUE_FLAGS: &[&str] = &["-C", "-c"];
