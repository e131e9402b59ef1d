//! The integration tests, in one binary (one link step for all of them): the CLI end to end on
//! the fixture repositories, every rule's fixtures, output formats and contracts, bad input,
//! packaging, the architecture's layering.

mod common;

#[cfg(unix)]
mod action;
mod anchors;
mod architecture;
mod bad_input;
mod cli;
mod cross_reference;
mod docs;
mod fix;
mod fuzz;
mod integrations;
mod links;
mod packaging;
mod rules;
mod safety;
mod server;
