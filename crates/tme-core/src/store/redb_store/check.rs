//! `tme check`: the file's pages pass redb's own integrity check, every row decodes and sits in
//! the table its status belongs to, every index holds exactly what the rows imply, the journal
//! replayed gives the rows, and the counters are ahead of everything they counted.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

use redb::{ReadTransaction, ReadableDatabase, ReadableTable, TableDefinition};

use super::RedbStore;
use crate::store::StoreError;
use crate::store::codec;
use crate::store::entries::{IndexEntries, entries, fingerprint};
use crate::store::tables::{self, meta};

/// What a check found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Tasks in the file.
    pub tasks: u64,
    /// Of which open.
    pub open: u64,
    /// Journal entries.
    pub journal: u64,
    /// Whether redb had to repair the file (after a crash) before it passed.
    pub repaired: bool,
    /// Everything that is wrong; empty when the file is sound.
    pub problems: Vec<String>,
    /// How many of the problems are in the rows or the journal themselves, which no repair
    /// can mend (the others are in what is derived from the rows: `RedbStore::repair`).
    pub lasting: usize,
}

impl RedbStore {
    /// Checks the whole file (see the module text). Waits for a write in another process to
    /// finish, and holds other writers off while redb checks its pages.
    ///
    /// ```
    /// use tme_core::store::{RedbStore, Store};
    /// let dir = tempfile::tempdir().unwrap();
    /// let mut store = RedbStore::open(dir.path().join("tasks.redb")).unwrap();
    /// let report = store.check().unwrap();
    /// assert!(report.problems.is_empty() && report.tasks == 0);
    /// ```
    pub fn check(&mut self) -> Result<CheckReport, StoreError> {
        let clean = super::guard::guarded(|| {
            self.db
                .check_integrity()
                .map_err(|e| super::open_error(&self.path, e))
        })?;
        let txn = self.db.begin_read()?;
        let mut report = super::guard::guarded(|| check_tables(&txn))?;
        report.repaired = !clean;
        Ok(report)
    }

    /// The part of [`RedbStore::check`] that reads one snapshot: rows, indexes, journal and
    /// counters, without redb's page check (which needs the file to itself).
    pub(super) fn check_snapshot(&self) -> Result<CheckReport, StoreError> {
        let txn = super::guard::guarded(|| Ok(self.db.begin_read()?))?;
        super::guard::guarded(|| check_tables(&txn))
    }
}

/// Notes the differences between what an index should hold and what it holds.
fn compare<K: Ord + Debug>(
    name: &str,
    expected: &BTreeSet<K>,
    found: &BTreeSet<K>,
    problems: &mut Vec<String>,
) {
    let missing: Vec<&K> = expected.difference(found).collect();
    let stray: Vec<&K> = found.difference(expected).collect();
    if let Some(first) = missing.first() {
        problems.push(format!(
            "{name}: {} entries missing (the first: {first:?})",
            missing.len()
        ));
    }
    if let Some(first) = stray.first() {
        problems.push(format!(
            "{name}: {} entries for no task (the first: {first:?})",
            stray.len()
        ));
    }
}

/// Every key (and value) of a table.
fn keys<K, V, T: Ord>(
    txn: &ReadTransaction,
    def: TableDefinition<K, V>,
    mut each: impl FnMut(redb::AccessGuard<'_, K>, redb::AccessGuard<'_, V>) -> T,
) -> Result<BTreeSet<T>, StoreError>
where
    K: redb::Key + 'static,
    V: redb::Value + 'static,
{
    let table = match txn.open_table(def) {
        Ok(table) => table,
        Err(redb::TableError::TableDoesNotExist(_)) => return Ok(BTreeSet::new()),
        Err(e) => return Err(e.into()),
    };
    let mut out = BTreeSet::new();
    for item in table.iter()? {
        let (k, v) = item?;
        out.insert(each(k, v));
    }
    Ok(out)
}

/// What the indexes should hold, gathered from the rows.
#[derive(Default)]
struct Expected {
    status: BTreeSet<(u8, i64, u64)>,
    category: BTreeSet<(String, u64)>,
    tag: BTreeSet<(String, u64)>,
    uuid: BTreeSet<(u128, u64)>,
    depends: BTreeSet<(u64, u64, u8)>,
    children: BTreeSet<(u64, u64)>,
    instances: BTreeSet<(u64, i64, u64)>,
    series: BTreeSet<u64>,
    /// Templates with an open instance: the ticker need not look at them until it closes
    /// (an `every:+3d` series waits for its completion; an ended one for its last instance).
    resting: BTreeSet<u64>,
}

impl Expected {
    fn add(&mut self, id: u64, open: bool, e: IndexEntries) {
        if let Some((code, key)) = e.status {
            self.status.insert((code, key, id));
        }
        if let Some(c) = e.category {
            self.category.insert((c, id));
        }
        self.tag.extend(e.tags.into_iter().map(|t| (t, id)));
        if let Some(u) = e.uuid {
            self.uuid.insert((u, id));
        }
        self.depends
            .extend(e.depends.into_iter().map(|(on, kind)| (id, on, kind)));
        if let Some(p) = e.parent {
            self.children.insert((p, id));
        }
        if let Some((template, at)) = e.instance {
            self.instances.insert((template, at, id));
            if open {
                self.resting.insert(template);
            }
        }
        if e.series.is_some() {
            self.series.insert(id);
        }
    }
}

fn check_tables(txn: &ReadTransaction) -> Result<CheckReport, StoreError> {
    let mut report = CheckReport::default();
    let problems = &mut report.problems;
    let mut lasting = 0;
    // Each row is kept only as a fingerprint, so a million tasks fit in little memory.
    let mut rows: BTreeMap<u64, u64> = BTreeMap::new();
    let mut expected = Expected::default();
    for (def, open) in [(tables::OPEN_TASKS, true), (tables::CLOSED_TASKS, false)] {
        let table = txn.open_table(def)?;
        for item in table.iter()? {
            let (key, bytes) = item?;
            let id = key.value();
            match codec::decode_task(bytes.value()) {
                Err(e) => {
                    problems.push(format!("task {id}: its row cannot be read ({e})"));
                    lasting += 1;
                }
                Ok(task) => {
                    if task.id.0 != id {
                        problems.push(format!("task {id}: its row says it is task {}", task.id));
                        lasting += 1;
                    }
                    if task.status.is_open() != open {
                        problems.push(format!(
                            "task {id}: {} but kept with the {} tasks",
                            task.status.as_str(),
                            if open { "open" } else { "closed" }
                        ));
                    }
                    expected.add(id, task.status.is_open(), entries(Some(&task)));
                    report.open += u64::from(task.status.is_open());
                    if rows.insert(id, fingerprint(&task)).is_some() {
                        problems.push(format!("task {id}: kept both as open and as closed"));
                        lasting += 1;
                    }
                }
            }
        }
    }
    report.tasks = rows.len() as u64;
    let text = |s: redb::AccessGuard<'_, (&str, u64)>| {
        let (name, id) = s.value();
        (name.to_string(), id)
    };
    compare(
        "the status index",
        &expected.status,
        &keys(txn, tables::BY_STATUS, |k, _| k.value())?,
        problems,
    );
    compare(
        "the category index",
        &expected.category,
        &keys(txn, tables::BY_CATEGORY, |k, _| text(k))?,
        problems,
    );
    compare(
        "the tag index",
        &expected.tag,
        &keys(txn, tables::BY_TAG, |k, _| text(k))?,
        problems,
    );
    compare(
        "the uuid index",
        &expected.uuid,
        &keys(txn, tables::BY_UUID, |k, v| (k.value(), v.value()))?,
        problems,
    );
    let flat = |k: redb::AccessGuard<'_, (u64, u64)>, v: redb::AccessGuard<'_, u8>| {
        let (a, b) = k.value();
        (a, b, v.value())
    };
    compare(
        "the dependency index",
        &expected.depends,
        &keys(txn, tables::DEPENDS_ON, flat)?,
        problems,
    );
    let reverse: BTreeSet<(u64, u64, u8)> = keys(txn, tables::DEPENDED_BY, flat)?
        .into_iter()
        .map(|(on, id, kind)| (id, on, kind))
        .collect();
    compare(
        "the reverse dependency index",
        &expected.depends,
        &reverse,
        problems,
    );
    compare(
        "the subtask index",
        &expected.children,
        &keys(txn, tables::CHILDREN, |k, _| k.value())?,
        problems,
    );
    compare(
        "the recurring instance index",
        &expected.instances,
        &keys(txn, tables::INSTANCES, |k, v| {
            let (template, at) = k.value();
            (template, at, v.value())
        })?,
        problems,
    );
    let checks = keys(txn, tables::RECURRENCE_CHECK, |k, v| (k.value(), v.value()))?;
    let checked: BTreeSet<u64> = checks.iter().map(|(t, _)| *t).collect();
    // Every open series is looked at by the ticker, but one that rests on an open instance
    // may be left out until that instance closes.
    let series: BTreeSet<u64> = expected
        .series
        .iter()
        .copied()
        .filter(|t| checked.contains(t) || !expected.resting.contains(t))
        .collect();
    compare("the recurrence check index", &series, &checked, problems);
    compare(
        "the recurrence schedule",
        &checks.iter().map(|(t, at)| (*at, *t)).collect(),
        &keys(txn, tables::RECURRENCE_NEXT, |k, _| k.value())?,
        problems,
    );

    // The journal replayed: the last change of each task leaves it as its row is.
    let mut last: BTreeMap<u64, Option<u64>> = BTreeMap::new();
    let mut by_task = BTreeSet::new();
    let mut last_seq = 0;
    let mut last_command = 0;
    let journal = txn.open_table(tables::JOURNAL)?;
    for item in journal.iter()? {
        let (key, bytes) = item?;
        let seq = key.value();
        last_seq = seq;
        report.journal += 1;
        match codec::decode_entry(seq, bytes.value()) {
            Err(e) => {
                problems.push(format!("journal entry {seq} cannot be read ({e})"));
                lasting += 1;
            }
            Ok(entry) => {
                by_task.insert((entry.task.0, seq));
                last_command = last_command.max(entry.command.0);
                last.insert(entry.task.0, entry.after.as_ref().map(fingerprint));
            }
        }
    }
    compare(
        "the journal's index by task",
        &by_task,
        &keys(txn, tables::JOURNAL_BY_TASK, |k, _| k.value())?,
        problems,
    );
    let ids: BTreeSet<u64> = rows.keys().chain(last.keys()).copied().collect();
    let mut differ = Vec::new();
    for id in &ids {
        if last.get(id).copied().flatten() != rows.get(id).copied() {
            differ.push(*id);
        }
    }
    if let Some(first) = differ.first() {
        problems.push(format!(
            "{} task(s) differ from what the journal says they became (the first: task {first})",
            differ.len()
        ));
        lasting += 1;
    }

    let meta_table = txn.open_table(tables::META)?;
    let counter = |key: &str| -> Result<u64, StoreError> {
        Ok(meta_table.get(key)?.map_or(0, |v| v.value()))
    };
    let max_id = ids.last().copied().unwrap_or(0);
    if counter(meta::NEXT_ID)? <= max_id {
        problems.push(format!(
            "the next task id ({}) is not past the highest one used ({max_id})",
            counter(meta::NEXT_ID)?
        ));
    }
    if report.journal > 0 && counter(meta::NEXT_SEQ)? <= last_seq {
        problems.push(format!(
            "the next journal number ({}) is not past the last entry ({last_seq})",
            counter(meta::NEXT_SEQ)?
        ));
    }
    if last_command > 0 && counter(meta::NEXT_COMMAND)? <= last_command {
        problems.push(format!(
            "the next command number ({}) is not past the last command ({last_command})",
            counter(meta::NEXT_COMMAND)?
        ));
    }
    for row in txn.open_table(tables::API_TOKENS)?.iter()? {
        let (name, bytes) = row?;
        if let Err(e) = codec::decode_token(bytes.value()) {
            problems.push(format!("token {}: {e}", name.value()));
            lasting += 1;
        }
    }
    report.lasting = lasting;
    Ok(report)
}
