use super::*;
use crate::domain::{
    Category, CommandKind, DepKind, Dependency, Op, RecurrenceLink, Status, Tag, Task, TaskId,
};
use crate::store::CommandStart;
use chrono::{TimeZone, Utc};
use uuid::Uuid;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0)
        .single()
        .unwrap_or_default()
}

fn start(summary: &str) -> CommandStart {
    CommandStart {
        at: now(),
        actor: "test".into(),
        summary: summary.into(),
        kind: CommandKind::User,
    }
}

fn temp_store() -> Result<(tempfile::TempDir, RedbStore), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let store = RedbStore::open(dir.path().join("sub/dir/tme.redb"))?;
    Ok((dir, store))
}

fn add(store: &RedbStore, title: &str, edit: impl FnOnce(&mut Task)) -> Result<Task, StoreError> {
    let mut tx = store.write()?;
    tx.begin_command(start(&format!("add {title}")))?;
    let id = tx.next_task_id()?;
    let mut task = Task::new(id, Uuid::new_v4(), title, now());
    edit(&mut task);
    tx.put_task(Op::Add, &task, now())?;
    tx.commit()?;
    Ok(task)
}

#[test]
fn a_new_file_is_private_and_empty() -> TestResult {
    let (dir, store) = temp_store()?;
    let read = store.read()?;
    assert_eq!(read.counts()?, crate::store::StoreCounts::default());
    assert_eq!(read.change_stamp()?, 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(store.path())?.permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let dir_mode = fs::metadata(dir.path().join("sub/dir"))?
            .permissions()
            .mode();
        assert_eq!(dir_mode & 0o777, 0o700);
    }
    let leftovers: Vec<_> = fs::read_dir(dir.path().join("sub/dir"))?.collect();
    assert_eq!(leftovers.len(), 1, "no temporary files are left behind");
    Ok(())
}

#[test]
fn rows_and_indexes_follow_every_change() -> TestResult {
    let (_dir, store) = temp_store()?;
    let blocker = add(&store, "Blocker", |_| {})?;
    let task = add(&store, "Write", |t| {
        t.category = Category::parse("Work.Backend").ok();
        t.tags.extend(Tag::parse("Urgent"));
        t.depends.push(Dependency {
            on: blocker.id,
            kind: DepKind::StartToStart,
        });
        t.parent = Some(blocker.id);
    })?;
    let read = store.read()?;
    assert_eq!(read.task(task.id)?, Some(task.clone()));
    assert_eq!(read.id_by_uuid(task.uuid)?, Some(task.id));
    let work = Category::parse("work").map_err(|e| e.to_string())?;
    assert_eq!(read.ids_in_category(&work)?, [task.id]);
    let workshop = Category::parse("Workshop").map_err(|e| e.to_string())?;
    assert!(read.ids_in_category(&workshop)?.is_empty());
    let urgent = Tag::parse("urgent").map_err(|e| e.to_string())?;
    assert_eq!(read.ids_with_tag(&urgent)?, [task.id]);
    assert_eq!(
        read.dependents(blocker.id)?,
        [(task.id, DepKind::StartToStart)]
    );
    assert_eq!(read.children(blocker.id)?, [task.id]);
    assert_eq!(read.open_tasks()?.len(), 2);
    drop(read);

    let mut done = task.clone();
    done.status = Status::Completed;
    done.completed = Some(now());
    done.tags.clear();
    done.category = None;
    done.depends.clear();
    let mut tx = store.write()?;
    tx.begin_command(start("done"))?;
    tx.put_task(Op::Complete, &done, now())?;
    tx.commit()?;

    let read = store.read()?;
    assert_eq!(read.counts()?.open, 1);
    assert_eq!(read.counts()?.closed, 1);
    assert!(read.ids_in_category(&work)?.is_empty());
    assert!(read.ids_with_tag(&urgent)?.is_empty());
    assert!(read.dependents(blocker.id)?.is_empty());
    let mut closed = Vec::new();
    read.visit_closed(&mut |t| {
        closed.push(t.id);
        true
    })?;
    assert_eq!(closed, [task.id]);
    let history = read.history(task.id)?;
    assert_eq!(
        history.iter().map(|e| e.op).collect::<Vec<_>>(),
        [Op::Add, Op::Complete]
    );
    assert_eq!(history[1].before.as_ref(), Some(&task));
    assert_eq!(history[1].after.as_ref(), Some(&done));
    Ok(())
}

#[test]
fn a_command_groups_its_entries() -> TestResult {
    let (_dir, store) = temp_store()?;
    let mut tx = store.write()?;
    let command = tx.begin_command(start("add two"))?;
    for title in ["a", "b"] {
        let id = tx.next_task_id()?;
        tx.put_task(Op::Add, &Task::new(id, Uuid::new_v4(), title, now()), now())?;
    }
    tx.commit()?;
    add(&store, "c", |_| {})?;
    let read = store.read()?;
    let entries = read.entries_of(command)?;
    assert_eq!(entries.iter().map(|e| e.task.0).collect::<Vec<_>>(), [1, 2]);
    let mut summaries = Vec::new();
    read.visit_commands_newest_first(&mut |c| {
        summaries.push(c.summary);
        true
    })?;
    assert_eq!(summaries, ["add c", "add two"]);
    Ok(())
}

#[test]
fn removing_a_task_clears_its_indexes() -> TestResult {
    let (_dir, store) = temp_store()?;
    let task = add(&store, "x", |t| {
        t.tags.extend(Tag::parse("a"));
    })?;
    let mut tx = store.write()?;
    tx.begin_command(start("undo"))?;
    tx.remove_task(Op::Revert, task.id, now())?;
    tx.commit()?;
    let read = store.read()?;
    assert_eq!(read.task(task.id)?, None);
    assert_eq!(read.id_by_uuid(task.uuid)?, None);
    assert!(
        read.ids_with_tag(&Tag::parse("a").map_err(|e| e.to_string())?)?
            .is_empty()
    );
    assert_eq!(read.history(task.id)?.len(), 2);
    Ok(())
}

#[test]
fn an_uncommitted_write_leaves_nothing() -> TestResult {
    let (_dir, store) = temp_store()?;
    {
        let mut tx = store.write()?;
        tx.begin_command(start("add"))?;
        let id = tx.next_task_id()?;
        tx.put_task(Op::Add, &Task::new(id, Uuid::new_v4(), "x", now()), now())?;
    }
    let read = store.read()?;
    assert_eq!(read.counts()?.open, 0);
    assert_eq!(read.change_stamp()?, 1);
    Ok(())
}

fn refused_untouched(contents: &[u8]) -> Result<StoreError, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("x.redb");
    fs::write(&path, contents)?;
    let error = match RedbStore::open(&path) {
        Ok(_) => return Err("a bad file was opened".into()),
        Err(e) => e,
    };
    assert_eq!(fs::read(&path)?, contents, "the file was changed");
    Ok(error)
}

#[test]
fn files_that_are_not_tme_databases_are_refused_and_left_alone() -> TestResult {
    assert!(matches!(
        refused_untouched(b"")?,
        StoreError::EmptyFile { .. }
    ));
    assert!(matches!(
        refused_untouched(b"hello, world\n")?,
        StoreError::NotADatabase { .. }
    ));
    assert!(matches!(
        refused_untouched(b"redb")?,
        StoreError::NotADatabase { .. }
    ));

    let dir = tempfile::tempdir()?;
    let foreign = dir.path().join("other.redb");
    {
        let db = Database::create(&foreign)?;
        let txn = db.begin_write()?;
        txn.open_table(redb::TableDefinition::<u64, u64>::new("theirs"))?
            .insert(1, 2)?;
        txn.commit()?;
    }
    let bytes = fs::read(&foreign)?;
    assert!(matches!(
        refused_untouched(&bytes)?,
        StoreError::ForeignDatabase { .. }
    ));
    Ok(())
}

#[test]
fn truncated_and_damaged_files_are_errors_not_panics() -> TestResult {
    let (dir, store) = temp_store()?;
    for i in 0..50 {
        add(&store, &format!("task {i}"), |_| {})?;
    }
    let path = store.path().to_path_buf();
    drop(store);
    let good = fs::read(&path)?;
    for cut in [10, 100, 512, 4096, good.len() / 2, good.len() - 1] {
        let err = refused_untouched(&good[..cut])?;
        assert!(
            matches!(
                err,
                StoreError::Damaged { .. } | StoreError::NotADatabase { .. }
            ),
            "cut at {cut}: {err}"
        );
    }
    // Flipping bytes anywhere must give either a working store or an error; never a panic.
    let copy = dir.path().join("flip.redb");
    let mut seed = 0x2545_f491_u64;
    for _ in 0..200 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut bytes = good.clone();
        let at = usize::try_from(seed % bytes.len() as u64)?;
        bytes[at] ^= 0xff;
        fs::write(&copy, &bytes)?;
        if let Ok(store) = RedbStore::open(&copy) {
            let _ = store.read().and_then(|r| r.open_tasks());
            let _ = add(&store, "after damage", |_| {});
        }
    }
    Ok(())
}

#[test]
fn files_from_a_newer_tme_are_refused() -> TestResult {
    let (_dir, store) = temp_store()?;
    let path = store.path().to_path_buf();
    {
        let txn = store.db.begin_write()?;
        txn.open_table(tables::META)?
            .insert(meta::SCHEMA, SCHEMA_VERSION + 1)?;
        txn.commit()?;
    }
    drop(store);
    let err = RedbStore::open(&path)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    let newer = format!("schema version {}", SCHEMA_VERSION + 1);
    assert!(err.contains(&newer), "{err}");
    Ok(())
}

#[test]
fn a_schema_1_file_is_upgraded_on_open() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("old.redb");
    let mut task = Task::new(TaskId(1), Uuid::from_u128(5), "From the old days", now());
    task.category = Category::parse("Home").ok();
    task.recurrence = crate::domain::RecurrenceRule::parse("weekly")
        .ok()
        .map(|rule| RecurrenceLink::Template { rule });
    {
        // Schema 1: v1 task records, no per-task journal index, no recurrence tables.
        let db = Database::create(&path)?;
        let txn = db.begin_write()?;
        let v1 = crate::store::codec::encode_task_v1(&task)?;
        txn.open_table(tables::OPEN_TASKS)?
            .insert(1, v1.as_slice())?;
        txn.open_table(tables::CLOSED_TASKS)?;
        txn.open_table(tables::BY_STATUS)?
            .insert((0, i64::MAX, 1), ())?;
        txn.open_table(tables::BY_CATEGORY)?
            .insert(("home", 1), ())?;
        txn.open_table(tables::BY_TAG)?;
        txn.open_table(tables::BY_UUID)?.insert(5, 1)?;
        txn.open_table(tables::DEPENDS_ON)?;
        txn.open_table(tables::DEPENDED_BY)?;
        txn.open_table(tables::CHILDREN)?;
        let entry = crate::domain::JournalEntry {
            seq: 1,
            command: crate::domain::CommandId(1),
            at: now(),
            task: TaskId(1),
            op: Op::Add,
            before: None,
            after: Some(task.clone()),
        };
        let entry_bytes = crate::store::codec::encode_entry_v1(&entry)?;
        txn.open_table(tables::JOURNAL)?
            .insert(1, entry_bytes.as_slice())?;
        let command = crate::domain::Command {
            id: crate::domain::CommandId(1),
            at: now(),
            actor: "old".into(),
            summary: "add".into(),
            kind: CommandKind::User,
            undone_by: None,
        };
        txn.open_table(tables::COMMANDS)?
            .insert(1, crate::store::codec::encode_command(&command)?.as_slice())?;
        let mut meta_table = txn.open_table(tables::META)?;
        meta_table.insert(meta::MAGIC, meta::MAGIC_VALUE)?;
        meta_table.insert(meta::SCHEMA, 1)?;
        meta_table.insert(meta::NEXT_ID, 2)?;
        meta_table.insert(meta::NEXT_SEQ, 2)?;
        meta_table.insert(meta::NEXT_COMMAND, 2)?;
        drop(meta_table);
        txn.commit()?;
    }

    let store = RedbStore::open(&path)?;
    {
        let txn = store.db.begin_read()?;
        assert_eq!(
            reader::meta_value(&txn, meta::SCHEMA)?,
            Some(SCHEMA_VERSION)
        );
        let row = txn
            .open_table(tables::OPEN_TASKS)?
            .get(1)?
            .map(|v| v.value().to_vec());
        assert_eq!(
            row.and_then(|r| r.first().copied()),
            Some(crate::store::codec::TASK_V2)
        );
    }
    let read = store.read()?;
    assert_eq!(read.task(TaskId(1))?, Some(task.clone()));
    assert_eq!(
        read.history(TaskId(1))?.len(),
        1,
        "the per-task journal index was built"
    );
    assert_eq!(
        read.recurrence_due(now())?,
        [TaskId(1)],
        "the template is looked at by the first tick"
    );
    drop(read);
    // And the upgraded file takes new work.
    let added = add(&store, "new", |_| {})?;
    assert_eq!(added.id, TaskId(2));
    Ok(())
}

mod properties {
    use super::*;
    use crate::domain::{Status, TaskId};
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    /// One change to the store, with small numbers so that operations collide.
    #[derive(Debug, Clone)]
    enum Step {
        Add {
            category: usize,
            tags: Vec<usize>,
            dep: Option<u64>,
            parent: Option<u64>,
            /// 0: a template; n: an instance of template n.
            recurrence: Option<u64>,
        },
        /// Moves a template's next check (a no-op for other tasks).
        Check {
            id: u64,
            hours: i64,
        },
        Modify {
            id: u64,
            category: usize,
            tags: Vec<usize>,
            dep: Option<u64>,
        },
        Close {
            id: u64,
            deleted: bool,
        },
        Reopen {
            id: u64,
        },
        Remove {
            id: u64,
        },
    }

    const CATEGORIES: [&str; 4] = ["Work", "Work.Backend", "Home", "Workshop"];
    const TAGS: [&str; 3] = ["a", "B", "c"];

    fn step() -> impl Strategy<Value = Step> {
        let tags = prop::collection::vec(0..TAGS.len(), 0..3);
        prop_oneof![
            (
                0..=CATEGORIES.len(),
                tags.clone(),
                prop::option::of(1u64..8),
                prop::option::of(1u64..8),
                prop::option::of(0u64..8),
            )
                .prop_map(|(category, tags, dep, parent, recurrence)| Step::Add {
                    category,
                    tags,
                    dep,
                    parent,
                    recurrence,
                }),
            (1u64..8, -48i64..48).prop_map(|(id, hours)| Step::Check { id, hours }),
            (
                1u64..8,
                0..=CATEGORIES.len(),
                tags,
                prop::option::of(1u64..8)
            )
                .prop_map(|(id, category, tags, dep)| Step::Modify {
                    id,
                    category,
                    tags,
                    dep
                }),
            (1u64..8, any::<bool>()).prop_map(|(id, deleted)| Step::Close { id, deleted }),
            (1u64..8).prop_map(|id| Step::Reopen { id }),
            (1u64..8).prop_map(|id| Step::Remove { id }),
        ]
    }

    fn shape(task: &mut Task, category: usize, tags: &[usize], dep: Option<u64>) {
        task.category = CATEGORIES
            .get(category)
            .and_then(|c| Category::parse(c).ok());
        task.tags = tags
            .iter()
            .filter_map(|t| Tag::parse(TAGS[*t]).ok())
            .collect();
        // Some due before the model's now, some after, some never.
        task.due = match category % 3 {
            0 => None,
            1 => Some(crate::domain::When::Day(
                now().date_naive() - chrono::Duration::days(1),
            )),
            _ => Some(crate::domain::When::At(now() + chrono::Duration::hours(30))),
        };
        task.depends = dep
            .filter(|d| *d != task.id.0)
            .map(|d| {
                vec![Dependency {
                    on: TaskId(d),
                    kind: DepKind::FinishToStart,
                }]
            })
            .unwrap_or_default();
    }

    fn apply(store: &RedbStore, step: &Step) -> Result<(), StoreError> {
        let mut tx = store.write()?;
        tx.begin_command(start("step"))?;
        let existing = |id: u64| -> Result<Option<Task>, StoreError> { tx.task(TaskId(id)) };
        match step {
            Step::Add {
                category,
                tags,
                dep,
                parent,
                recurrence,
            } => {
                let id = tx.next_task_id()?;
                let mut task = Task::new(id, Uuid::new_v4(), "t", now());
                shape(&mut task, *category, tags, *dep);
                task.parent = parent.map(TaskId).filter(|p| *p != id);
                task.recurrence = match recurrence {
                    Some(0) => crate::domain::RecurrenceRule::parse("weekly")
                        .ok()
                        .map(|rule| RecurrenceLink::Template { rule }),
                    Some(n) => Some(RecurrenceLink::Instance {
                        template: TaskId(*n),
                        // One occurrence per instance, as the engine guarantees.
                        occurrence: now()
                            + chrono::Duration::days(i64::try_from(id.0).unwrap_or(0)),
                    }),
                    None => None,
                };
                tx.put_task(Op::Add, &task, now())?;
            }
            Step::Check { id, hours } => {
                if existing(*id)?.is_some_and(|t| t.is_template() && t.status.is_open()) {
                    tx.set_recurrence_check(
                        TaskId(*id),
                        Some(now() + chrono::Duration::hours(*hours)),
                    )?;
                }
            }
            Step::Modify {
                id,
                category,
                tags,
                dep,
            } => {
                if let Some(mut task) = existing(*id)? {
                    shape(&mut task, *category, tags, *dep);
                    tx.put_task(Op::Modify, &task, now())?;
                }
            }
            Step::Close { id, deleted } => {
                if let Some(mut task) = existing(*id)? {
                    task.status = if *deleted {
                        Status::Deleted
                    } else {
                        Status::Completed
                    };
                    task.completed = Some(now());
                    tx.put_task(Op::Complete, &task, now())?;
                }
            }
            Step::Reopen { id } => {
                if let Some(mut task) = existing(*id)? {
                    task.status = Status::Pending;
                    task.completed = None;
                    tx.put_task(Op::Revert, &task, now())?;
                }
            }
            Step::Remove { id } => {
                if existing(*id)?.is_some() {
                    tx.remove_task(Op::Revert, TaskId(*id), now())?;
                }
            }
        }
        tx.commit()
    }

    /// Every index answers exactly what a scan of the rows says it should.
    fn check(store: &RedbStore) -> Result<(), TestCaseError> {
        let read = store
            .read()
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let fail = |e: StoreError| TestCaseError::fail(e.to_string());
        let mut rows: BTreeMap<TaskId, Task> = read
            .open_tasks()
            .map_err(fail)?
            .into_iter()
            .map(|t| (t.id, Task::clone(&t)))
            .collect();
        let open_ids: BTreeSet<TaskId> = rows.keys().copied().collect();
        read.visit_closed(&mut |t| {
            rows.insert(t.id, t);
            true
        })
        .map_err(fail)?;
        for id in (1..12).map(TaskId) {
            let row = rows.get(&id);
            let stored = read.task(id).map_err(fail)?;
            prop_assert_eq!(stored.as_ref(), row);
            prop_assert_eq!(read.is_open(id).map_err(fail)?, open_ids.contains(&id));
            let deps: Vec<(TaskId, DepKind)> = row
                .map(|t| t.depends.iter().map(|d| (d.on, d.kind)).collect())
                .unwrap_or_default();
            prop_assert_eq!(read.depends_on(id).map_err(fail)?, deps);
            let dependents: Vec<(TaskId, DepKind)> = rows
                .values()
                .filter_map(|t| {
                    t.depends
                        .iter()
                        .find(|d| d.on == id)
                        .map(|d| (t.id, d.kind))
                })
                .collect();
            prop_assert_eq!(read.dependents(id).map_err(fail)?, dependents);
            let children: Vec<TaskId> = rows
                .values()
                .filter(|t| t.parent == Some(id))
                .map(|t| t.id)
                .collect();
            prop_assert_eq!(read.children(id).map_err(fail)?, children);
            if let Some(task) = row {
                prop_assert_eq!(read.id_by_uuid(task.uuid).map_err(fail)?, Some(id));
            }
            let mut instances: Vec<(chrono::DateTime<chrono::Utc>, TaskId)> = rows
                .values()
                .filter_map(|t| match t.recurrence {
                    Some(RecurrenceLink::Instance {
                        template,
                        occurrence,
                    }) if template == id => Some((occurrence, t.id)),
                    _ => None,
                })
                .collect();
            instances.sort();
            prop_assert_eq!(read.instances(id).map_err(fail)?, instances);
        }
        // Open tasks due by a point, from the status index, match a scan (and the subtask
        // links the same).
        let until = now().timestamp();
        let mut due_by = read.open_due_by(until).map_err(fail)?;
        due_by.sort();
        let mut scanned: Vec<TaskId> = rows
            .values()
            .filter(|t| t.status.is_open() && t.due.is_some_and(|d| d.sort_key() <= until))
            .map(|t| t.id)
            .collect();
        scanned.sort();
        prop_assert_eq!(due_by, scanned);
        let mut links = read.subtask_links().map_err(fail)?;
        links.sort();
        let mut scanned_links: Vec<(TaskId, TaskId)> = rows
            .values()
            .filter_map(|t| t.parent.map(|p| (p, t.id)))
            .collect();
        scanned_links.sort();
        prop_assert_eq!(links, scanned_links);
        // The ticker's index holds each open template exactly once, and nothing else.
        let mut due = read
            .recurrence_due(now() + chrono::Duration::days(3))
            .map_err(fail)?;
        due.sort();
        let templates: Vec<TaskId> = rows
            .values()
            .filter(|t| t.is_template() && t.status.is_open())
            .map(|t| t.id)
            .collect();
        prop_assert_eq!(due, templates);
        for name in CATEGORIES {
            let category = Category::parse(name).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let expected: Vec<TaskId> = rows
                .values()
                .filter(|t| t.category.as_ref().is_some_and(|c| c.is_within(&category)))
                .map(|t| t.id)
                .collect();
            prop_assert_eq!(
                read.ids_in_category(&category).map_err(fail)?,
                expected,
                "category {}",
                name
            );
        }
        for name in TAGS {
            let tag =
                Tag::parse(&name.to_lowercase()).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let expected: Vec<TaskId> = rows
                .values()
                .filter(|t| t.has_tag(&tag))
                .map(|t| t.id)
                .collect();
            prop_assert_eq!(
                read.ids_with_tag(&tag).map_err(fail)?,
                expected,
                "tag {}",
                name
            );
        }
        let completed = rows
            .values()
            .filter(|t| t.status == Status::Completed)
            .count() as u64;
        prop_assert_eq!(
            read.count_closed_since(Status::Completed, now())
                .map_err(fail)?,
            completed
        );
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn indexes_always_match_the_rows(steps in prop::collection::vec(step(), 1..40)) {
            let (_dir, mut store) = temp_store().map_err(|e| TestCaseError::fail(e.to_string()))?;
            for step in &steps {
                apply(&store, step).map_err(|e| TestCaseError::fail(e.to_string()))?;
                check(&store)?;
            }
            let report = store.check().map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(report.problems.is_empty(), "{:?}", report.problems);
        }
    }
}

#[test]
fn large_scans_split_across_threads_return_every_task_in_order() -> TestResult {
    let (_dir, store) = temp_store()?;
    let total = reader::PARALLEL_SCAN_FROM + 7;
    let mut tx = store.write()?;
    tx.begin_command(start("fill"))?;
    for _ in 0..total {
        let id = tx.next_task_id()?;
        tx.put_task(Op::Add, &Task::new(id, Uuid::new_v4(), "t", now()), now())?;
    }
    // Close a few so the id ranges the threads take have holes.
    for id in [1, 2, 5000, total] {
        let mut task = tx.task(TaskId(id))?.ok_or("missing")?;
        task.status = Status::Completed;
        tx.put_task(Op::Complete, &task, now())?;
    }
    let sequential: Vec<TaskId> = tx.open_tasks()?.iter().map(|t| t.id).collect();
    tx.commit()?;
    let parallel: Vec<TaskId> = store.read()?.open_tasks()?.iter().map(|t| t.id).collect();
    assert_eq!(parallel.len() as u64, total - 4);
    assert_eq!(parallel, sequential);
    Ok(())
}

#[test]
fn the_check_finds_what_was_changed_behind_the_indexes_back() -> TestResult {
    let (_dir, mut store) = temp_store()?;
    let data = add(&store, "Collect data", |t| {
        t.tags.extend(Tag::parse("lab").ok());
    })?;
    add(&store, "Write paper", |t| {
        t.depends.push(Dependency {
            on: data.id,
            kind: DepKind::FinishToStart,
        });
        t.category = Category::parse("Research").ok();
    })?;
    let sound = store.check()?;
    assert_eq!((sound.tasks, sound.open, sound.journal), (2, 2, 2));
    assert!(sound.problems.is_empty(), "{:?}", sound.problems);

    let txn = store.db.begin_write()?;
    {
        txn.open_table(tables::BY_TAG)?.remove(("lab", data.id.0))?;
        txn.open_table(tables::BY_TAG)?.insert(("ghost", 99), ())?;
        txn.open_table(tables::DEPENDED_BY)?
            .remove((data.id.0, 2))?;
        let mut renamed = data.clone();
        renamed.title = "Changed without a journal entry".into();
        let bytes = crate::store::codec::encode_task(&renamed)?;
        txn.open_table(tables::OPEN_TASKS)?
            .insert(data.id.0, bytes.as_slice())?;
        txn.open_table(tables::META)?.insert(meta::NEXT_ID, 2)?;
    }
    txn.commit()?;
    let problems = store.check()?.problems;
    let expected = [
        "the tag index: 1 entries missing (the first: (\"lab\", 1))",
        "the tag index: 1 entries for no task (the first: (\"ghost\", 99))",
        "the reverse dependency index: 1 entries missing (the first: (2, 1, 0))",
        "1 task(s) differ from what the journal says they became (the first: task 1)",
        "the next task id (2) is not past the highest one used (2)",
    ];
    assert_eq!(problems, expected);
    Ok(())
}

#[test]
fn a_repair_rebuilds_what_is_derived_and_leaves_the_rows() -> TestResult {
    let (_dir, mut store) = temp_store()?;
    let data = add(&store, "Collect data", |t| {
        t.tags.extend(Tag::parse("lab").ok());
    })?;
    let paper = add(&store, "Write paper", |t| {
        t.depends.push(Dependency {
            on: data.id,
            kind: DepKind::FinishToStart,
        });
        t.category = Category::parse("Research").ok();
    })?;
    let txn = store.db.begin_write()?;
    {
        txn.open_table(tables::BY_TAG)?.remove(("lab", data.id.0))?;
        txn.open_table(tables::BY_TAG)?.insert(("ghost", 99), ())?;
        txn.open_table(tables::DEPENDED_BY)?
            .remove((data.id.0, 2))?;
        txn.open_table(tables::BY_STATUS)?.insert((9, 0, 77), ())?;
        txn.open_table(tables::JOURNAL_BY_TASK)?
            .remove((paper.id.0, 2))?;
        txn.open_table(tables::META)?.insert(meta::NEXT_ID, 2)?;
        // A closed task kept with the open ones.
        let mut done = paper.clone();
        done.status = crate::domain::Status::Completed;
        done.completed = Some(done.modified);
        let bytes = crate::store::codec::encode_task(&done)?;
        txn.open_table(tables::OPEN_TASKS)?
            .insert(paper.id.0, bytes.as_slice())?;
    }
    txn.commit()?;
    let repair = store.repair()?;
    assert_eq!(repair.found.len(), 9, "{:?}", repair.found);
    // The row is what was saved: only its journal disagrees, which no repair can settle.
    assert_eq!(
        repair.after.problems,
        ["1 task(s) differ from what the journal says they became (the first: task 2)"]
    );
    let read = store.read()?;
    assert_eq!(
        read.task(paper.id)?.map(|t| t.status),
        Some(crate::domain::Status::Completed)
    );
    assert_eq!(
        read.open_tasks()?.len(),
        1,
        "the closed task moved to the closed table"
    );
    drop(read);
    let next = add(&store, "After the repair", |_| {})?;
    assert_eq!(next.id, TaskId(3), "the counter moved past the highest id");
    Ok(())
}
