//! Fills a TME database with a realistic history, for benchmarks.
//!
//! ```text
//! cargo run --release --example fill -- DB TOTAL OPEN [TASKWARRIOR_JSON]
//! ```
//!
//! Makes `TOTAL` tasks over the three years before 2026-11-26, of which `OPEN` are still
//! pending (some with dependencies); the rest were completed. With a
//! fourth argument, also writes the same tasks as Taskwarrior import JSON.

#[path = "support/mod.rs"]
mod support;

use std::io::Write;
use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use tme::domain::{Category, DepKind, Dependency, NewTask, Priority, Tag, TaskId, When};
use tme::engine::{FixedClock, TaskManager};
use tme::store::RedbStore;

use support::{CATEGORIES, Random};

const TAGS: [&str; 6] = ["urgent", "waiting", "errand", "review", "call", "email"];
const VERBS: [&str; 8] = [
    "Write", "Review", "Fix", "Plan", "Call", "Buy", "Read", "Update",
];
const THINGS: [&str; 8] = [
    "report",
    "budget",
    "build",
    "slides",
    "dentist",
    "groceries",
    "paper",
    "docs",
];

fn usage() -> ! {
    eprintln!("usage: fill DB TOTAL OPEN [TASKWARRIOR_JSON]");
    std::process::exit(2)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(db), Some(total), Some(open)) = (args.get(1), args.get(2), args.get(3)) else {
        usage()
    };
    let total: usize = total.parse().unwrap_or_else(|_| usage());
    let open: usize = open.parse().unwrap_or_else(|_| usage());
    let mut taskwarrior = match args.get(4) {
        Some(path) => Some(std::io::BufWriter::new(std::fs::File::create(path)?)),
        None => None,
    };
    let end = Utc
        .with_ymd_and_hms(2026, 11, 26, 8, 0, 0)
        .single()
        .ok_or("date")?;
    let start = end - Duration::days(3 * 365);
    let clock = Arc::new(FixedClock::new(start));
    let tm = TaskManager::builder(RedbStore::open(db)?)
        .clock(clock.clone())
        .actor("fill")
        .build();

    let closed = total.saturating_sub(open);
    let step = Duration::seconds((end - start).num_seconds() / i64::try_from(total.max(1))?);
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    let batch = 10_000;
    let mut made = 0;
    let mut open_ids: Vec<TaskId> = Vec::new();
    while made < total {
        let count = batch.min(total - made);
        let tasks = tm.transaction("fill", |s| {
            let mut out = Vec::with_capacity(count);
            for i in made..made + count {
                let mut new = NewTask {
                    title: format!(
                        "{} {} {}",
                        VERBS[random.below(VERBS.len())],
                        THINGS[random.below(THINGS.len())],
                        i
                    ),
                    category: Category::parse(CATEGORIES[random.below(CATEGORIES.len())]).ok(),
                    ..NewTask::default()
                };
                if random.below(3) == 0 {
                    new.tags.extend(Tag::parse(TAGS[random.below(TAGS.len())]));
                }
                new.priority = [
                    None,
                    None,
                    Some(Priority::Low),
                    Some(Priority::Medium),
                    Some(Priority::High),
                ][random.below(5)];
                let is_open = i >= closed;
                if is_open || random.below(2) == 0 {
                    let days = random.below(60) as i64 - 20;
                    new.due = Some(When::Day((end + Duration::days(days)).date_naive()));
                }
                if is_open && !open_ids.is_empty() && random.below(10) == 0 {
                    let on = open_ids[random.below(open_ids.len())];
                    new.depends.push(Dependency {
                        on,
                        kind: DepKind::FinishToStart,
                    });
                }
                let task = if is_open { s.create(new)? } else { s.log(new)? };
                if is_open {
                    open_ids.push(task.id);
                }
                out.push(task);
            }
            Ok(out)
        })?;
        if let Some(out) = taskwarrior.as_mut() {
            for task in &tasks {
                writeln!(out, "{}", taskwarrior_line(task))?;
            }
        }
        made += count;
        clock.advance(step * i32::try_from(count)?);
        eprint!("\r{made} / {total}");
    }
    eprintln!();
    if let Some(mut out) = taskwarrior {
        out.flush()?;
    }
    Ok(())
}

/// One task in Taskwarrior's import format.
fn taskwarrior_line(task: &tme::domain::Task) -> String {
    let stamp = |t: chrono::DateTime<Utc>| t.format("%Y%m%dT%H%M%SZ").to_string();
    let mut object = serde_json::json!({
        "uuid": task.uuid.to_string(),
        "description": task.title,
        "entry": stamp(task.created),
        "status": if task.status.is_open() { "pending" } else { "completed" },
    });
    if let Some(category) = &task.category {
        object["project"] = category.as_str().into();
    }
    if !task.tags.is_empty() {
        object["tags"] = task
            .tags
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .into();
    }
    if let Some(p) = task.priority {
        object["priority"] = p.letter().into();
    }
    if let Some(When::Day(day)) = task.due {
        object["due"] = format!("{}T000000Z", day.format("%Y%m%d")).into();
    }
    if let Some(at) = task.completed {
        object["end"] = stamp(at).into();
    }
    object.to_string()
}
