//! The `tme` command.
fn main() {}
