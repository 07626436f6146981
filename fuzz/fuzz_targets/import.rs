//! Every importer (iCalendar, TME JSON, Taskwarrior JSON, todo.txt) reads or refuses any file,
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|text: &str| common::import(text));
