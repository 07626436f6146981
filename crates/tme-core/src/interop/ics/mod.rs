//! iCalendar (RFC 5545): open tasks written out as VTODOs for any calendar app to subscribe to,
//! every task written out for `tme export`, and VTODOs and VEVENTs read in as tasks.

mod read;
mod write;

pub use read::{IcsFile, read};
pub use write::{calendar, export, until_carried};
