//! End-to-end tests of the `tme` command line: each runs the real binary on a temporary
//! database, with a pinned clock (`TME_NOW`) and zone (`TZ`), never touching the user's data.

mod support;
#[path = "../support/webhook.rs"]
mod webhook;

mod add;
mod backup;
mod bad_input;
mod calendar;
mod concurrency;
mod config;
mod corpus;
mod crash;
mod damaged;
mod dependencies;
mod disk;
mod hooks;
mod hostile;
mod list;
mod machine_formats;
mod modify;
mod notify;
mod plugins;
mod readme;
mod readme_examples;
mod recurring;
mod report;
mod rules;
mod serve;
mod show;
mod sync;
mod taskwarrior_dates;
mod token;
mod transfer;
mod tui;
mod tui_walk;
mod types;
mod workdir;
mod workflow;
