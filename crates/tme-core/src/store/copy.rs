//! Copying a whole database from one store to another — a redb file to PostgreSQL and back —
//! tasks, journal, commands, counters and the ticker's times, all as they were.

use super::{Record, Store, StoreError, StoreWrite};

/// Records written per transaction of the target.
const BATCH: usize = 5_000;

/// What a copy moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Copied {
    /// Tasks.
    pub tasks: u64,
    /// Commands of the journal.
    pub commands: u64,
    /// Journal entries.
    pub entries: u64,
}

/// Copies everything in `from` (one consistent snapshot) into `to`, which must hold nothing
/// yet, a few thousand records per transaction. A copy that fails part-way leaves what it
/// wrote in `to`, and says so.
///
/// ```
/// use tme_core::store::{RedbStore, Store, copy};
/// let dir = tempfile::tempdir().unwrap();
/// let tm = tme_core::TaskManager::open(dir.path().join("a.redb")).unwrap();
/// use tme_core::domain::capture::{lex, parse_new_task};
/// tm.create(parse_new_task(&lex("Pay rent due:eom"), &tm.time()).unwrap()).unwrap();
/// drop(tm);
/// let from = RedbStore::open(dir.path().join("a.redb")).unwrap();
/// let to = RedbStore::open(dir.path().join("b.redb")).unwrap();
/// let copied = copy(&from, &to).unwrap();
/// assert_eq!((copied.tasks, copied.commands, copied.entries), (1, 1, 1));
/// assert!(copy(&from, &to).is_err(), "the target is no longer empty");
/// ```
pub fn copy(from: &dyn Store, to: &dyn Store) -> Result<Copied, StoreError> {
    {
        let target = to.read()?;
        let counts = target.counts()?;
        let mut commands = false;
        target.visit_commands_newest_first(&mut |_| {
            commands = true;
            false
        })?;
        if counts.open + counts.closed + counts.journal > 0 || commands {
            return Err(StoreError::Backend(format!(
                "the target already holds {} task(s) and {} journal entries; copy into an empty database",
                counts.open + counts.closed,
                counts.journal
            )));
        }
    }
    let source = from.read()?;
    let mut copied = Copied::default();
    let mut open: Option<Box<dyn StoreWrite + '_>> = None;
    let mut in_batch = 0;
    let outcome = source.visit_records(&mut |record| {
        match &record {
            Record::Task(_) => copied.tasks += 1,
            Record::Command(_) => copied.commands += 1,
            Record::Entry(_) => copied.entries += 1,
            _ => {}
        }
        let writer = match open.as_mut() {
            Some(writer) => writer,
            None => open.insert(to.write()?),
        };
        writer.load_record(record)?;
        in_batch += 1;
        if in_batch == BATCH {
            in_batch = 0;
            if let Some(full) = open.take() {
                full.commit()?;
            }
        }
        Ok(())
    });
    let outcome = outcome
        .and_then(|()| match open.take() {
            Some(last) => last.commit(),
            None => Ok(()),
        })
        .and_then(|()| to.copied_in());
    outcome.map(|()| copied).map_err(|e| {
        StoreError::Backend(format!(
            "the copy stopped after {} task(s): {e}; the target holds what was copied so far — empty it before copying again",
            copied.tasks
        ))
    })
}
