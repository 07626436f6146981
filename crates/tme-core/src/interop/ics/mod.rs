//! iCalendar (RFC 5545): open tasks written out as VTODOs for any calendar app to subscribe to,
//! and VTODOs and VEVENTs read in as tasks.

mod read;
mod write;

pub use read::{IcsFile, read};
pub use write::calendar;
