//! Sync between replicas and a server, in one process: each is an engine on its own file
//! (`tme serve` puts HTTP in between; that is tested end to end in the CLI's suite).

// A test says what it expected by failing where it was not so.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod properties;
mod replicas;
mod scenarios;
