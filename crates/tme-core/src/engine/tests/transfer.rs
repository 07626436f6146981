//! Round trips: random databases written in every format and read into a fresh database come
//! back as each format says it keeps them ([`Format::carried`]: for TME's own JSON, every
//! field, ids included), and importing the same file again changes nothing.

use std::collections::HashMap;

use proptest::prelude::*;

use super::*;
use crate::domain::types::{AttrKind, AttrSpec, TaskType, TaskTypes};
use crate::domain::{
    Annotation, AttrValue, Category, DepKind, Dependency, Duration, Priority, RecurrenceLink,
    RecurrenceRule, Status, Tag, When,
};
use crate::interop::format::{Format, read, write};

const CATEGORIES: [&str; 3] = ["Work", "Research.Thesis", "Home"];
const TAGS: [&str; 4] = ["urgent", "phone", "next", "später"];
const RULES: [&str; 5] = ["weekly", "2nd tue", "+3d", "eom", "FREQ=DAILY;INTERVAL=2"];

/// A task to make, by position; links point only at earlier positions, so none makes a loop.
#[derive(Debug, Clone)]
struct Spec {
    title: String,
    description: String,
    category: Option<usize>,
    tags: Vec<usize>,
    status: u8,
    priority: Option<u8>,
    times: [i64; 4],
    dates: [Option<(bool, i64)>; 4],
    estimate: Option<u64>,
    spent: u64,
    tracking: bool,
    depends: Vec<(usize, u8)>,
    parent: Option<usize>,
    recurrence: Option<(bool, usize)>,
    notes: Vec<(i64, String)>,
    attrs: Option<[Option<i64>; 5]>,
}

fn spec() -> impl Strategy<Value = Spec> {
    let moment = prop::option::of((any::<bool>(), 0i64..5_000_000_000));
    (
        (
            "[a-zA-Z日][a-zA-Z0-9äé日本 ,;:\"'\\\\]{0,12}",
            prop::option::of("[a-z ,\\n]{1,20}"),
            prop::option::of(0..CATEGORIES.len()),
            prop::collection::vec(0..TAGS.len(), 0..3),
            0u8..4,
            prop::option::of(0u8..3),
            prop::array::uniform4(0i64..5_000_000_000),
        ),
        (
            prop::array::uniform4(moment),
            prop::option::of(0u64..100_000),
            0u64..100_000,
            any::<bool>(),
            prop::collection::vec((0usize..100, 0u8..4), 0..3),
            prop::option::of(0usize..100),
            prop::option::of((any::<bool>(), 0usize..100)),
            prop::collection::vec((0i64..5_000_000_000, "[a-z ]{1,10}"), 0..2),
            prop::option::of(prop::array::uniform5(prop::option::of(-1000i64..1000))),
        ),
    )
        .prop_map(
            |(
                (title, description, category, tags, status, priority, times),
                (dates, estimate, spent, tracking, depends, parent, recurrence, notes, attrs),
            )| Spec {
                title,
                description: description.unwrap_or_default(),
                category,
                tags,
                status,
                priority,
                times,
                dates,
                estimate,
                spent,
                tracking,
                depends,
                parent,
                recurrence,
                notes,
                attrs,
            },
        )
}

/// The moment `ms` milliseconds after 2026-09-01.
fn at(ms: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 9, 1, 0, 0, 0)
        .single()
        .unwrap_or_default()
        + chrono::Duration::milliseconds(ms)
}

fn types() -> TaskTypes {
    let attr = |name: &str, kind: AttrKind| AttrSpec {
        name: name.into(),
        kind,
        required: false,
        default: None,
    };
    TaskTypes::new([TaskType {
        name: "experiment".into(),
        attrs: vec![
            attr("samples", AttrKind::Number),
            attr("begins", AttrKind::Date),
            attr("runtime", AttrKind::Duration),
            attr("blind", AttrKind::Bool),
            attr(
                "phase",
                AttrKind::Enum(vec!["planned".into(), "running".into()]),
            ),
        ],
    }])
}

/// The attribute values a spec asks for, one of each kind.
fn attrs(values: [Option<i64>; 5]) -> std::collections::BTreeMap<String, AttrValue> {
    let [samples, begins, runtime, blind, phase] = values;
    let mut out = std::collections::BTreeMap::new();
    let mut put = |name: &str, value: Option<AttrValue>| {
        if let Some(value) = value {
            out.insert(name.to_string(), value);
        }
    };
    put(
        "samples",
        samples.map(|n| AttrValue::Number(n as f64 / 8.0)),
    );
    put(
        "begins",
        begins.map(|n| AttrValue::Date(When::At(at(n * 3_600_007)))),
    );
    put(
        "runtime",
        runtime.map(|n| AttrValue::Duration(Duration::from_secs(n.unsigned_abs()))),
    );
    put("blind", blind.map(|n| AttrValue::Bool(n > 0)));
    put(
        "phase",
        phase.map(|n| AttrValue::Text(if n > 0 { "running" } else { "planned" }.into())),
    );
    out
}

/// The records that make the tasks the specs describe.
fn records(specs: &[Spec]) -> Vec<Result<Incoming, String>> {
    let uuid = |i: usize| uuid::Uuid::from_u128(i as u128 + 1);
    let templates: Vec<usize> = specs
        .iter()
        .enumerate()
        .filter(|(_, s)| matches!(s.recurrence, Some((true, _))))
        .map(|(i, _)| i)
        .collect();
    specs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut times = s.times;
            times.sort_unstable();
            let mut task = Task::new(TaskId(0), uuid(i), s.title.trim(), at(times[0]));
            task.description = s.description.clone();
            task.category = s.category.and_then(|c| Category::parse(CATEGORIES[c]).ok());
            task.tags = s
                .tags
                .iter()
                .filter_map(|t| Tag::parse(TAGS[*t]).ok())
                .collect();
            task.priority = s
                .priority
                .map(|p| [Priority::High, Priority::Medium, Priority::Low][p as usize]);
            task.modified = at(times[3]);
            // A recurring template is never started (its instances are).
            let template = matches!(s.recurrence, Some((true, _)));
            let status = if template && s.status == 1 {
                0
            } else {
                s.status
            };
            task.status = [
                Status::Pending,
                Status::Started,
                Status::Completed,
                Status::Deleted,
            ][status as usize];
            if status >= 1 {
                task.started = Some(at(times[1]));
            }
            if status >= 2 {
                task.completed = Some(at(times[2]));
            }
            if status == 1 && s.tracking {
                task.tracking_since = Some(at(times[2]));
            }
            let when = |d: Option<(bool, i64)>| {
                d.map(|(day, ms)| match day {
                    true => When::Day(at(ms).date_naive()),
                    false => When::At(at(ms)),
                })
            };
            task.due = when(s.dates[0]);
            task.scheduled = when(s.dates[1]);
            task.wait = when(s.dates[2]);
            task.estimate = s.estimate.map(Duration::from_secs);
            task.spent = Duration::from_secs(s.spent);
            task.annotations = s
                .notes
                .iter()
                .map(|(ms, text)| Annotation {
                    at: at(*ms),
                    text: text.trim().to_string(),
                })
                .filter(|a| !a.text.is_empty())
                .collect();
            if let Some(values) = s.attrs {
                task.task_type = Some("experiment".into());
                task.attrs = attrs(values);
            }
            let mut record = Incoming::new(task);
            // Nothing depends on a template or is a subtask of one (the engine refuses both).
            let earlier = |n: usize| (i > 0).then(|| n % i).filter(|e| !templates.contains(e));
            match s.recurrence {
                Some((true, rule)) => {
                    let rule = RecurrenceRule::parse(RULES[rule % RULES.len()]).ok();
                    record.task.recurrence = rule.map(|rule| RecurrenceLink::Template { rule });
                    record.task.until = when(s.dates[3]);
                }
                Some((false, n)) => {
                    let before: Vec<usize> = templates.iter().copied().filter(|t| *t < i).collect();
                    if !before.is_empty() {
                        let template = before[n % before.len()];
                        record.template = Some((uuid(template), Some(at(i as i64 * 3_600_000))));
                    }
                }
                None => {}
            }
            for (n, kind) in &s.depends {
                if let Some(on) = earlier(*n) {
                    let kind = [
                        DepKind::FinishToStart,
                        DepKind::StartToStart,
                        DepKind::FinishToFinish,
                        DepKind::Relates,
                    ][*kind as usize];
                    record.depends.push((uuid(on), kind));
                }
            }
            record.subtask_of = s.parent.and_then(earlier).map(uuid);
            Ok(record)
        })
        .collect()
}

fn engine(dir: &tempfile::TempDir, name: &str) -> Result<TaskManager, Box<dyn std::error::Error>> {
    Ok(
        TaskManager::builder(RedbStore::open(dir.path().join(name))?)
            .clock(Arc::new(FixedClock::new(at(6_000_000_000))))
            .time_zone(chrono_tz::Europe::Berlin)
            .types(types())
            .build(),
    )
}

fn everything(tm: &TaskManager) -> Result<Vec<TaskView>, EngineError> {
    tm.query(&Filter::default().any_status_unless_named())
}

/// Exports every task of `tm` in `format` as `tme export` does and reads the text back.
fn exported(
    tm: &TaskManager,
    format: Format,
) -> Result<Vec<Result<Incoming, String>>, Box<dyn std::error::Error>> {
    let views = everything(tm)?;
    let uuids: HashMap<TaskId, uuid::Uuid> =
        views.iter().map(|v| (v.task.id, v.task.uuid)).collect();
    let time = tm.time();
    let written = write(
        format,
        &views,
        &|id| uuids.get(&id).copied(),
        time.now,
        time.tz,
    )?;
    Ok(read(&written.text, None, &types(), time.now, time.tz)?.records)
}

/// A task as compared across a round trip: what the format keeps, with the ids and uuids it
/// gives or links by made those of the first database.
fn compared(task: &Task, ids: &HashMap<TaskId, TaskId>, uuid: uuid::Uuid) -> Task {
    let mut task = task.clone();
    let id = |id: TaskId| ids.get(&id).copied().unwrap_or(id);
    task.id = id(task.id);
    task.uuid = uuid;
    for dep in &mut task.depends {
        dep.on = id(dep.on);
    }
    task.parent = task.parent.map(id);
    if let Some(RecurrenceLink::Instance { template, .. }) = &mut task.recurrence {
        *template = id(*template);
    }
    task
}

/// Every task of `first`, written in `format` and read into an empty database, comes back as
/// the format says it keeps it, and reading the file again changes nothing.
fn round_trip(specs: &[Spec], format: Format) -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let first = engine(&dir, "first.redb")?;
    let made = first.import(records(specs), false, &mut |_| {})?;
    assert_eq!(made.created.len(), specs.len(), "{made:?}");
    let file = exported(&first, format)?;
    let second = engine(&dir, "second.redb")?;
    let report = second.import(file.clone(), false, &mut |_| {})?;
    assert!(report.failed.is_empty(), "{format}: {report:?}");
    let tz = first.time().tz;
    let before = everything(&first)?;
    let kept: Vec<(&TaskView, Task)> = before
        .iter()
        .filter_map(|v| format.carried(&v.task, tz).map(|kept| (v, kept)))
        .collect();
    let mut after = everything(&second)?;
    assert_eq!(kept.len(), after.len(), "{format}: one task per task kept");
    // Tasks are matched by uuid where the format keeps it, else by the order of the file
    // (the first database's list), which the second database's ids follow.
    let by_uuid: HashMap<uuid::Uuid, &TaskView> = after.iter().map(|v| (v.task.uuid, v)).collect();
    match kept
        .iter()
        .map(|(v, _)| by_uuid.get(&v.task.uuid).map(|b| (*b).clone()))
        .collect::<Option<Vec<TaskView>>>()
    {
        Some(matched) => after = matched,
        None => after.sort_by_key(|v| v.task.id),
    }
    let ids: HashMap<TaskId, TaskId> = kept
        .iter()
        .zip(&after)
        .map(|((v, _), a)| (a.task.id, v.task.id))
        .collect();
    for ((view, kept), back) in kept.iter().zip(&after) {
        let mut kept = kept.clone();
        let back = compared(&back.task, &ids, kept.uuid);
        // A link the format keeps comes back only when the task it names came too.
        kept.depends.retain(|d| ids.values().any(|id| *id == d.on));
        assert_eq!(
            back, kept,
            "{format}: task {} came back otherwise",
            view.task.id
        );
    }
    let again = second.import(exported(&second, format)?, false, &mut |_| {})?;
    assert_eq!(again.unchanged, after.len(), "{format}: {again:?}");
    // Back into the database it came from, the file changes nothing: what the format cannot
    // hold is not wiped, what it holds coarser is not coarsened.
    let home = first.import(file, false, &mut |_| {})?;
    assert_eq!(home.unchanged, kept.len(), "{format}: {home:?}");
    let now = everything(&first)?;
    for (a, b) in before.iter().zip(&now) {
        assert_eq!(
            a.task, b.task,
            "{format}: task {} changed on the way home",
            a.task.id
        );
    }
    for tm in [&first, &second] {
        let problems = tm.check_records()?.problems;
        assert!(problems.is_empty(), "{format}: {problems:?}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn every_format_brings_back_what_it_keeps(specs in prop::collection::vec(spec(), 1..12)) {
        for format in Format::ALL {
            round_trip(&specs, format).map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
    }
}

#[test]
fn dependency_kinds_and_links_survive() -> Result<(), Box<dyn std::error::Error>> {
    // A hand-made case of what the property covers at random: ids kept, every link kind back.
    let dir = tempfile::tempdir()?;
    let first = engine(&dir, "first.redb")?;
    let mut specs: Vec<Spec> = Vec::new();
    for (i, title) in ["Plan", "Run", "Write"].into_iter().enumerate() {
        specs.push(Spec {
            title: title.into(),
            description: String::new(),
            category: None,
            tags: Vec::new(),
            status: 0,
            priority: None,
            times: [0; 4],
            dates: [None; 4],
            estimate: None,
            spent: 0,
            tracking: false,
            depends: if i == 2 {
                vec![(0, 1), (1, 3)]
            } else {
                Vec::new()
            },
            parent: (i == 1).then_some(0),
            recurrence: None,
            notes: Vec::new(),
            attrs: None,
        });
    }
    first.import(records(&specs), false, &mut |_| {})?;
    let second = engine(&dir, "second.redb")?;
    second.import(exported(&first, Format::Json)?, false, &mut |_| {})?;
    let write = second.view(TaskId(3))?;
    assert_eq!(
        write.task.depends,
        vec![
            Dependency {
                on: TaskId(1),
                kind: DepKind::StartToStart
            },
            Dependency {
                on: TaskId(2),
                kind: DepKind::Relates
            },
        ]
    );
    assert_eq!(second.view(TaskId(2))?.task.parent, Some(TaskId(1)));
    Ok(())
}

#[test]
fn an_imported_id_never_uses_up_the_ids_after_it() -> TestResult {
    let f = fixture()?;
    let record = |title: &str, id: u64| {
        let mut incoming = Incoming::new(Task::new(
            TaskId(0),
            uuid::Uuid::new_v4(),
            title,
            f.tm.now(),
        ));
        incoming.id = Some(TaskId(id));
        Ok(incoming)
    };
    let low = TaskId::MOST / 2;
    let report = f.tm.import(
        vec![record("Kept", low), record("Too high", TaskId::MOST)],
        false,
        &mut |_| {},
    )?;
    assert_eq!(
        report.created,
        [TaskId(low), TaskId(low + 1)],
        "the high one got the next id"
    );
    let next = add(&f.tm, "Added after")?;
    assert_eq!(next.id, TaskId(low + 2), "no id is reused and none wraps");
    assert_eq!(
        f.tm.task(TaskId(1)).err().map(|e| e.to_string()),
        Some("task 1 does not exist".into())
    );
    assert!(f.tm.check_records()?.problems.is_empty());
    Ok(())
}

#[test]
fn a_record_that_depends_on_one_task_twice_keeps_the_first_way() -> TestResult {
    // The store keeps one dependency per pair: two kinds left its index short of one entry.
    let f = fixture()?;
    let on = add(&f.tm, "Collect data")?;
    let mut record = Incoming::new(Task::new(
        TaskId(0),
        uuid::Uuid::new_v4(),
        "Analyse",
        f.tm.now(),
    ));
    record.depends = vec![
        (on.uuid, DepKind::StartToStart),
        (on.uuid, DepKind::FinishToStart),
        (on.uuid, DepKind::StartToStart),
    ];
    let report = f.tm.import(vec![Ok(record)], false, &mut |_| {})?;
    assert_eq!(
        report.dropped,
        [(
            1,
            format!(
                "it depends on task {} a second way (fs); a task depends on another in one way, so ss was kept",
                on.id
            )
        )]
    );
    let task = f.tm.task(report.created[0])?;
    assert_eq!(
        task.depends,
        [Dependency {
            on: on.id,
            kind: DepKind::StartToStart
        }]
    );
    assert!(f.tm.check_records()?.problems.is_empty());
    Ok(())
}
