//! runbook-lint: a static linter for Markdown runbooks.
//!
//! Data flows one way: [`document`] (Markdown → model) and [`facts`] (manifests → project
//! facts) feed [`rules`], whose diagnostics the [`engine`] filters and sorts for [`report`].

#![deny(missing_docs)]
// Unit tests write and read their fixtures directly; the library itself opens files only
// through `fsio` (see clippy.toml).
#![cfg_attr(test, allow(clippy::disallowed_methods))]

pub mod baseline;
pub mod changed;
pub mod cli;
pub mod command;
pub mod config;
pub mod date;
pub mod diagnostic;
pub mod discover;
pub mod document;
pub mod engine;
pub mod facts;
pub mod findings;
pub mod fix;
pub mod fsio;
pub mod init;
pub mod manifests;
pub mod paths;
pub mod progress;
pub mod redact;
pub mod report;
pub mod robust;
pub mod ruledocs;
pub mod rules;
pub mod server;
pub mod span;
pub mod suggest;
pub mod suppress;
pub mod text;
