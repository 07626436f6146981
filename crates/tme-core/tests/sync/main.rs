//! Sync between replicas and a server, in one process: each is an engine on its own file
//! (`tme serve` puts HTTP in between; that is tested end to end in the CLI's suite).

mod properties;
mod replicas;
mod scenarios;
