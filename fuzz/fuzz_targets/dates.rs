//! Date phrases (`due:...`) are read or refused, never a panic.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|text: &str| common::dates(text));
