//! redis-cli: options that take a value (`redis-cli -h host -n 2 FLUSHDB`).

/// redis-cli options that take a value.
pub(super) const VALUE_FLAGS: &[&str] = &["-h", "-p", "-a", "-n", "-u", "--user", "--pass"];
