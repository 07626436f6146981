//! Every importer (iCalendar, TME JSON, Taskwarrior JSON, todo.txt), and the guess of which one
//! a file needs, reads or refuses any file without panicking.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|text: &str| common::import(text));
