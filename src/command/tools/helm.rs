//! Helm: options that take a value.

/// helm options that take a value.
pub(super) const VALUE_FLAGS: &[&str] = &[
    "-n",
    "--namespace",
    "--kube-context",
    "-f",
    "--values",
    "--set",
    "--version",
    "-o",
    "--output",
];
