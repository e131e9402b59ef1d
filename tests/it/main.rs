//! The integration tests, in one binary (one link step for all of them): the CLI end to end on
//! the fixture repositories, every rule's fixtures, output formats and contracts, bad input,
//! packaging, the architecture's layering.

// Tests write and read their fixtures and run programs directly; the library opens files and
// spawns processes only through its one reader and `changed.rs` (see clippy.toml).
#![allow(clippy::disallowed_methods)]

mod common;

#[cfg(unix)]
mod action;
mod anchors;
mod architecture;
mod bad_input;
mod cli;
mod conventions;
mod cross_reference;
mod docs;
mod env_vars;
mod fix;
mod fuzz;
mod hostile;
mod integrations;
mod links;
mod packaging;
mod rules;
mod safety;
mod server;
mod xsd;
