//! Fills a TME database with years of finished work, for the report benchmarks.
//!
//! ```text
//! cargo run --release --example history -- DB TOTAL
//! ```
//!
//! Makes `TOTAL` tasks added over the three years before 2026-11-26: most were completed
//! (some started first, some late, some with estimates and tracked time), a few deleted, the
//! rest still open. Each closed task has two or three journal entries (added, perhaps
//! started, then completed or deleted), so a million tasks come with about 2.4 million
//! entries. Tasks are written straight through the store, a batch per transaction, with the
//! times they happened at.

#[path = "support/mod.rs"]
mod support;

use chrono::{Duration, TimeZone, Utc};
use support::{CATEGORIES, Random};
use tme::domain::{Category, CommandKind, Duration as Span, Op, Status, Task, When};
use tme::store::{CommandStart, RedbStore, Store};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(db), Some(total)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: history DB TOTAL");
        std::process::exit(2)
    };
    let total: u64 = total.parse()?;
    let end = Utc
        .with_ymd_and_hms(2026, 11, 26, 8, 0, 0)
        .single()
        .ok_or("date")?;
    let start = end - Duration::days(3 * 365);
    let span = (end - start).num_seconds();
    let store = RedbStore::open(db)?;
    let mut random = Random(0x2545_f491_4f6c_dd1d);
    let batch = 20_000;
    let mut made = 0;
    while made < total {
        let count = batch.min(total - made);
        let mut tx = store.write()?;
        tx.begin_command(CommandStart {
            at: end,
            actor: "history".into(),
            summary: "fill".into(),
            kind: CommandKind::System,
        })?;
        for i in made..made + count {
            let id = tx.next_task_id()?;
            // Spread the additions over the three years, in order.
            let offset = span * i64::try_from(i)? / i64::try_from(total.max(1))?;
            let created = start + Duration::seconds(offset);
            let mut task = Task::new(id, uuid::Uuid::new_v4(), format!("Task {i}"), created);
            task.category = Category::parse(CATEGORIES[random.below(CATEGORIES.len())]).ok();
            let lead = Duration::minutes(i64::try_from(random.below(30 * 24 * 60))?);
            let due_after = Duration::days(i64::try_from(random.below(21))?);
            if random.below(2) == 0 {
                task.due = Some(When::Day((created + due_after).date_naive()));
            }
            if random.below(3) == 0 {
                task.estimate = Some(Span::from_secs(900 * (1 + random.below(16) as u64)));
            }
            tx.put_task(Op::Add, &task, created)?;
            let closed = created + lead;
            let roll = random.below(100);
            if closed >= end || roll >= 95 {
                continue;
            }
            if random.below(2) == 0 {
                let started = created + lead / 3;
                task.started = Some(started);
                task.status = Status::Started;
                tx.put_task(Op::Start, &task, started)?;
                task.spent = Span::from_secs(u64::try_from((lead / 6).num_seconds().max(0))?);
            }
            task.status = if roll < 90 {
                Status::Completed
            } else {
                Status::Deleted
            };
            task.completed = Some(closed);
            task.modified = closed;
            let op = if task.status == Status::Completed {
                Op::Complete
            } else {
                Op::Delete
            };
            tx.put_task(op, &task, closed)?;
        }
        tx.commit()?;
        made += count;
        eprint!("\r{made} / {total}");
    }
    let counts = store.read()?.counts()?;
    eprintln!(
        "\n{} open, {} closed, {} journal entries",
        counts.open, counts.closed, counts.journal
    );
    Ok(())
}
