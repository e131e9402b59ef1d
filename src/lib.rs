//! runbook-lint: a static linter for Markdown runbooks.
//!
//! Data flows one way: [`document`] (Markdown → model) and [`facts`] (manifests → project
//! facts) feed [`rules`], whose diagnostics the [`engine`] filters and sorts for [`report`].

#![deny(missing_docs)]

pub mod document;
pub mod shell;
pub mod span;
pub mod argv;
pub mod facts;
