//! The calendar file (`calendar_file`): an iCalendar file of the open tasks, kept in step with
//! the database for calendar apps to subscribe to.

use std::io::Write;
use std::path::Path;

use crate::domain::{Filter, Status, StatusFilter};
use crate::engine::TaskManager;

/// Writes the iCalendar file of open tasks, whole: into a new private file beside it (a unique
/// name, created exclusively, so a planted symlink is never followed), then moved into place,
/// so a calendar app never reads half a file.
pub fn write(path: &Path, tm: &TaskManager) -> Result<(), String> {
    // The open tasks as stored (no urgency or graph worked out: the file needs neither).
    let open = Filter {
        status: StatusFilter::Only(vec![
            Status::Pending,
            Status::Started,
            Status::Waiting,
            Status::Recurring,
        ]),
        ..Filter::default()
    };
    let tasks = tm.get_tasks(&open).map_err(|e| e.to_string())?;
    let text = crate::interop::ics::calendar(&tasks, tm.now(), tm.time().tz);
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let named = |e: std::io::Error| format!("{}: {e}", path.display());
    let mut file = tempfile::Builder::new()
        .prefix(".tme-calendar-")
        .tempfile_in(dir)
        .map_err(named)?;
    file.write_all(text.as_bytes()).map_err(named)?;
    file.as_file().sync_all().map_err(named)?;
    file.persist(path).map_err(|e| named(e.error))?;
    Ok(())
}
