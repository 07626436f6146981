//! Filters (`tme list ...`) are read or refused, never a panic.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|text: &str| common::filter(text));
