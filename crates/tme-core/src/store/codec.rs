//! The on-disk encoding of records: one format-version byte, then bincode.
//!
//! All encoding lives here, so that the format can change in one place. Each version has its own
//! frozen record struct; decoding accepts every version ever written, encoding writes the
//! newest. Timestamps are stored as milliseconds since the epoch, days as days since 0001-01-01.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use uuid::Uuid;

use crate::domain::{
    Annotation, ApiToken, AttrValue, Category, Command, CommandId, CommandKind, DepKind,
    Dependency, Duration, JournalEntry, Op, Priority, Rank, RecurrenceLink, RecurrenceRule, Role,
    Status, Tag, Task, TaskId, When, is_next_tag,
};

/// The version byte of task records written before typed attributes and time tracking
/// sessions existed (schema 1).
pub const TASK_V1: u8 = 1;
/// The version byte written now.
pub const TASK_V2: u8 = 2;
/// The version byte of journal and command records.
const JOURNAL_V1: u8 = 1;
/// The version byte of a rank record ([`encode_rank`]); apart from the task versions, so that
/// [`decode_rank`] reads a rank record and a task record alike.
pub const RANK_V1: u8 = b'R';

/// A record that could not be decoded.
#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    /// The version byte is unknown: the file was written by a newer TME.
    #[error(
        "record format {0} is newer than this TME understands (it reads up to {TASK_V2}); upgrade TME"
    )]
    UnknownVersion(u8),
    /// The record is empty.
    #[error("empty record")]
    Empty,
    /// The bytes do not decode.
    #[error("record does not decode: {0}")]
    Malformed(String),
    /// A record could not be encoded.
    #[error("record does not encode: {0}")]
    Encode(String),
}

fn config() -> bincode::config::Configuration {
    bincode::config::standard()
}

fn encode<T: Serialize>(version: u8, record: &T) -> Result<Vec<u8>, CodecError> {
    let mut out = vec![version];
    let body = bincode::serde::encode_to_vec(record, config())
        .map_err(|e| CodecError::Encode(e.to_string()))?;
    out.extend_from_slice(&body);
    Ok(out)
}

fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, CodecError> {
    let (value, used) = bincode::serde::decode_from_slice(body, config())
        .map_err(|e| CodecError::Malformed(e.to_string()))?;
    if used != body.len() {
        return Err(CodecError::Malformed(format!(
            "{} trailing bytes",
            body.len() - used
        )));
    }
    Ok(value)
}

fn split_version(bytes: &[u8]) -> Result<(u8, &[u8]), CodecError> {
    bytes
        .split_first()
        .map(|(v, rest)| (*v, rest))
        .ok_or(CodecError::Empty)
}

fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

fn from_millis(ms: i64) -> Result<DateTime<Utc>, CodecError> {
    DateTime::from_timestamp_millis(ms)
        .ok_or_else(|| CodecError::Malformed(format!("timestamp {ms} out of range")))
}

#[derive(Debug, Clone, Serialize, Deserialize)]
enum WhenRecord {
    Day(i32),
    At(i64),
}

impl WhenRecord {
    fn from(when: When) -> WhenRecord {
        match when {
            When::Day(day) => WhenRecord::Day(chrono::Datelike::num_days_from_ce(&day)),
            When::At(at) => WhenRecord::At(millis(at)),
        }
    }

    fn into_when(self) -> Result<When, CodecError> {
        match self {
            WhenRecord::Day(days) => NaiveDate::from_num_days_from_ce_opt(days)
                .map(When::Day)
                .ok_or_else(|| CodecError::Malformed(format!("day {days} out of range"))),
            WhenRecord::At(ms) => from_millis(ms).map(When::At),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
enum RecurrenceRecord {
    Template { rule: String },
    Instance { template: u64, occurrence: i64 },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
enum AttrRecord {
    Text(String),
    Number(f64),
    Date(WhenRecord),
    Duration(u64),
    Bool(bool),
}

/// Schema 2 task record.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct TaskRecordV2 {
    id: u64,
    uuid: [u8; 16],
    title: String,
    description: String,
    category: Option<String>,
    tags: Vec<String>,
    status: u8,
    priority: u8,
    created: i64,
    modified: i64,
    started: Option<i64>,
    completed: Option<i64>,
    tracking_since: Option<i64>,
    due: Option<WhenRecord>,
    scheduled: Option<WhenRecord>,
    wait: Option<WhenRecord>,
    until: Option<WhenRecord>,
    estimate: Option<u64>,
    spent: u64,
    depends: Vec<(u64, u8)>,
    parent: Option<u64>,
    recurrence: Option<RecurrenceRecord>,
    annotations: Vec<(i64, String)>,
    task_type: Option<String>,
    attrs: Vec<(String, AttrRecord)>,
}

/// Schema 1 task record: no running time-tracking session, no task types or attributes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct TaskRecordV1 {
    id: u64,
    uuid: [u8; 16],
    title: String,
    description: String,
    category: Option<String>,
    tags: Vec<String>,
    status: u8,
    priority: u8,
    created: i64,
    modified: i64,
    started: Option<i64>,
    completed: Option<i64>,
    due: Option<WhenRecord>,
    scheduled: Option<WhenRecord>,
    wait: Option<WhenRecord>,
    until: Option<WhenRecord>,
    estimate: Option<u64>,
    spent: u64,
    depends: Vec<(u64, u8)>,
    parent: Option<u64>,
    recurrence: Option<RecurrenceRecord>,
    annotations: Vec<(i64, String)>,
}

/// The stored code of a status. Waiting and recurring are never stored (they are derived from
/// the wait date and the recurrence link); both are pending underneath.
pub fn status_code(status: Status) -> u8 {
    match status {
        Status::Pending | Status::Waiting | Status::Recurring => 0,
        Status::Started => 1,
        Status::Completed => 3,
        Status::Deleted => 4,
    }
}

fn status_from(code: u8) -> Result<Status, CodecError> {
    match code {
        0 => Ok(Status::Pending),
        1 => Ok(Status::Started),
        3 => Ok(Status::Completed),
        4 => Ok(Status::Deleted),
        other => Err(CodecError::Malformed(format!("status code {other}"))),
    }
}

fn priority_code(priority: Option<Priority>) -> u8 {
    match priority {
        None => 0,
        Some(Priority::High) => 1,
        Some(Priority::Medium) => 2,
        Some(Priority::Low) => 3,
    }
}

fn priority_from(code: u8) -> Result<Option<Priority>, CodecError> {
    match code {
        0 => Ok(None),
        1 => Ok(Some(Priority::High)),
        2 => Ok(Some(Priority::Medium)),
        3 => Ok(Some(Priority::Low)),
        other => Err(CodecError::Malformed(format!("priority code {other}"))),
    }
}

/// The stored code of a dependency kind.
pub fn dep_kind_code(kind: DepKind) -> u8 {
    match kind {
        DepKind::FinishToStart => 0,
        DepKind::StartToStart => 1,
        DepKind::FinishToFinish => 2,
        DepKind::Relates => 3,
    }
}

/// The dependency kind of a stored code.
pub fn dep_kind_from(code: u8) -> Result<DepKind, CodecError> {
    match code {
        0 => Ok(DepKind::FinishToStart),
        1 => Ok(DepKind::StartToStart),
        2 => Ok(DepKind::FinishToFinish),
        3 => Ok(DepKind::Relates),
        other => Err(CodecError::Malformed(format!("dependency kind {other}"))),
    }
}

fn opt_when(when: Option<When>) -> Option<WhenRecord> {
    when.map(WhenRecord::from)
}

fn when_from(record: Option<WhenRecord>) -> Result<Option<When>, CodecError> {
    record.map(WhenRecord::into_when).transpose()
}

fn opt_time(ms: Option<i64>) -> Result<Option<DateTime<Utc>>, CodecError> {
    ms.map(from_millis).transpose()
}

fn recurrence_record(link: &RecurrenceLink) -> RecurrenceRecord {
    match link {
        RecurrenceLink::Template { rule } => RecurrenceRecord::Template {
            rule: rule.to_string(),
        },
        RecurrenceLink::Instance {
            template,
            occurrence,
        } => RecurrenceRecord::Instance {
            template: template.0,
            occurrence: millis(*occurrence),
        },
    }
}

fn recurrence_from(record: RecurrenceRecord) -> Result<RecurrenceLink, CodecError> {
    Ok(match record {
        RecurrenceRecord::Template { rule } => RecurrenceLink::Template {
            rule: RecurrenceRule::parse(&rule).map_err(|e| CodecError::Malformed(e.to_string()))?,
        },
        RecurrenceRecord::Instance {
            template,
            occurrence,
        } => RecurrenceLink::Instance {
            template: TaskId(template),
            occurrence: from_millis(occurrence)?,
        },
    })
}

fn attr_record(value: &AttrValue) -> AttrRecord {
    match value {
        AttrValue::Text(s) => AttrRecord::Text(s.clone()),
        AttrValue::Number(n) => AttrRecord::Number(*n),
        AttrValue::Date(w) => AttrRecord::Date(WhenRecord::from(*w)),
        AttrValue::Duration(d) => AttrRecord::Duration(d.as_secs()),
        AttrValue::Bool(b) => AttrRecord::Bool(*b),
    }
}

fn attr_from(record: AttrRecord) -> Result<AttrValue, CodecError> {
    Ok(match record {
        AttrRecord::Text(s) => AttrValue::Text(s),
        AttrRecord::Number(n) => AttrValue::Number(n),
        AttrRecord::Date(w) => AttrValue::Date(w.into_when()?),
        AttrRecord::Duration(d) => AttrValue::Duration(Duration::from_secs(d)),
        AttrRecord::Bool(b) => AttrValue::Bool(b),
    })
}

/// Encodes a task in the current format.
pub fn encode_task(task: &Task) -> Result<Vec<u8>, CodecError> {
    let record = TaskRecordV2 {
        id: task.id.0,
        uuid: *task.uuid.as_bytes(),
        title: task.title.clone(),
        description: task.description.clone(),
        category: task.category.as_ref().map(|c| c.as_str().to_string()),
        tags: task.tags.iter().map(|t| t.as_str().to_string()).collect(),
        status: status_code(task.status),
        priority: priority_code(task.priority),
        created: millis(task.created),
        modified: millis(task.modified),
        started: task.started.map(millis),
        completed: task.completed.map(millis),
        tracking_since: task.tracking_since.map(millis),
        due: opt_when(task.due),
        scheduled: opt_when(task.scheduled),
        wait: opt_when(task.wait),
        until: opt_when(task.until),
        estimate: task.estimate.map(Duration::as_secs),
        spent: task.spent.as_secs(),
        depends: stored_depends(&task.depends).collect(),
        parent: task.parent.map(|p| p.0),
        recurrence: task.recurrence.as_ref().map(recurrence_record),
        annotations: task
            .annotations
            .iter()
            .map(|a| (millis(a.at), a.text.clone()))
            .collect(),
        task_type: task.task_type.clone(),
        attrs: task
            .attrs
            .iter()
            .map(|(k, v)| (k.clone(), attr_record(v)))
            .collect(),
    };
    encode(TASK_V2, &record)
}

/// A task's version: the first 16 hex digits of the SHA-256 of its encoding, the same on
/// every machine and in every release that encodes it alike; any change to the task changes it.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use tme_core::domain::{Task, TaskId};
/// use tme_core::store::codec::task_version;
/// let added = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
/// let mut task = Task::new(TaskId(3), uuid::Uuid::nil(), "Write the report", added);
/// let before = task_version(&task).unwrap();
/// task.title.push('!');
/// assert_ne!(task_version(&task).unwrap(), before);
/// assert_eq!(before.len(), 16);
/// ```
pub fn task_version(task: &Task) -> Result<String, CodecError> {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(encode_task(task)?);
    Ok(digest[..8].iter().map(|b| format!("{b:02x}")).collect())
}

/// Decodes a task written in any known format.
pub fn decode_task(bytes: &[u8]) -> Result<Task, CodecError> {
    let (version, body) = split_version(bytes)?;
    match version {
        TASK_V2 => task_from_v2(decode(body)?),
        TASK_V1 => task_from_v1(decode(body)?),
        other => Err(CodecError::UnknownVersion(other)),
    }
}

/// A schema 2 task record read in place: text is borrowed from the bytes, and text ranking
/// does not look at is passed over unchecked, so reading what ranking needs of 100,000 tasks
/// allocates next to nothing.
#[derive(Deserialize)]
struct TaskViewV2<'a> {
    id: u64,
    _uuid: [u8; 16],
    _title: Passed,
    _description: Passed,
    category: Option<Passed>,
    #[serde(borrow)]
    tags: Vec<&'a [u8]>,
    status: u8,
    priority: u8,
    created: i64,
    _modified: i64,
    started: Option<i64>,
    _completed: Option<i64>,
    _tracking_since: Option<i64>,
    due: Option<WhenRecord>,
    scheduled: Option<WhenRecord>,
    wait: Option<WhenRecord>,
    _until: Option<WhenRecord>,
    _estimate: Option<u64>,
    _spent: u64,
    depends: Vec<(u64, u8)>,
    _parent: Option<u64>,
    recurrence: Option<RecurrenceView>,
    annotations: Vec<(i64, Passed)>,
}

/// [`RecurrenceRecord`] read in place.
#[derive(Deserialize)]
enum RecurrenceView {
    Template { _rule: Passed },
    Instance { _template: u64, _occurrence: i64 },
}

/// Text in a record that is read past without being looked at.
struct Passed;

impl<'de> Deserialize<'de> for Passed {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Passed, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Passed;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("text")
            }
            fn visit_bytes<E>(self, _: &[u8]) -> Result<Passed, E> {
                Ok(Passed)
            }
        }
        // Text and bytes are stored alike, so the text is taken as bytes, without checking
        // that it is UTF-8.
        deserializer.deserialize_bytes(Visitor)
    }
}

/// Dependencies as they are stored and indexed: the id depended on, the kind's code.
pub fn stored_depends(depends: &[Dependency]) -> impl Iterator<Item = (u64, u8)> + '_ {
    depends.iter().map(|d| (d.on.0, dep_kind_code(d.kind)))
}

/// Stored dependencies (the id depended on, the kind's code) as dependencies.
fn depends_from(stored: Vec<(u64, u8)>) -> Result<Vec<Dependency>, CodecError> {
    stored
        .into_iter()
        .map(|(on, kind)| {
            Ok(Dependency {
                on: TaskId(on),
                kind: dep_kind_from(kind)?,
            })
        })
        .collect()
}

/// A [`Rank`] on its own, for a store that keeps what ranking needs apart from the tasks: a
/// few tens of bytes where the task takes hundreds.
#[derive(Serialize, Deserialize)]
struct RankRecordV1 {
    id: u64,
    status: u8,
    template: bool,
    priority: u8,
    created: i64,
    started: bool,
    due: Option<WhenRecord>,
    scheduled: Option<WhenRecord>,
    wait: Option<WhenRecord>,
    /// `next_tag`, `tagged`, `categorized`, `annotated`: bits 0 to 3.
    flags: u8,
    depends: Vec<(u64, u8)>,
}

/// Encodes a rank on its own ([`RANK_V1`]); [`decode_rank`] reads it back.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use tme_core::domain::{Rank, Task, TaskId};
/// use tme_core::store::codec::{decode_rank, encode_rank, encode_task};
/// let added = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
/// let task = Task::new(TaskId(3), uuid::Uuid::nil(), "Write the report", added);
/// let rank = Rank::of(&task);
/// let bytes = encode_rank(&rank).unwrap();
/// assert!(bytes.len() < encode_task(&task).unwrap().len());
/// assert_eq!(decode_rank(&bytes).unwrap(), rank);
/// ```
pub fn encode_rank(rank: &Rank) -> Result<Vec<u8>, CodecError> {
    let flags = [rank.next_tag, rank.tagged, rank.categorized, rank.annotated]
        .iter()
        .enumerate()
        .fold(0u8, |bits, (i, set)| bits | (u8::from(*set) << i));
    encode(
        RANK_V1,
        &RankRecordV1 {
            id: rank.id.0,
            status: status_code(rank.status),
            template: rank.template,
            priority: priority_code(rank.priority),
            created: millis(rank.created),
            started: rank.started,
            due: opt_when(rank.due),
            scheduled: opt_when(rank.scheduled),
            wait: opt_when(rank.wait),
            flags,
            depends: stored_depends(&rank.depends).collect(),
        },
    )
}

/// Reads rank records ([`encode_rank`]) written one after another, as a store may hand many
/// of them over in one piece.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use tme_core::domain::{Rank, Task, TaskId};
/// use tme_core::store::codec::{decode_ranks, encode_rank};
/// let added = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
/// let ranks: Vec<Rank> = (1..=3)
///     .map(|id| Rank::of(&Task::new(TaskId(id), uuid::Uuid::nil(), "Task", added)))
///     .collect();
/// let run: Vec<u8> = ranks.iter().flat_map(|r| encode_rank(r).unwrap()).collect();
/// assert_eq!(decode_ranks(&run).unwrap(), ranks);
/// ```
pub fn decode_ranks(mut bytes: &[u8]) -> Result<Vec<Rank>, CodecError> {
    let mut ranks = Vec::with_capacity(bytes.len() / 24);
    while let Some((&version, body)) = bytes.split_first() {
        if version != RANK_V1 {
            return Err(CodecError::UnknownVersion(version));
        }
        let (record, used): (RankRecordV1, usize) =
            bincode::serde::decode_from_slice(body, config())
                .map_err(|e| CodecError::Malformed(e.to_string()))?;
        ranks.push(rank_from_v1(record)?);
        bytes = &body[used..];
    }
    Ok(ranks)
}

fn rank_from_v1(r: RankRecordV1) -> Result<Rank, CodecError> {
    let flag = |i: u8| r.flags & (1 << i) != 0;
    Ok(Rank {
        id: TaskId(r.id),
        status: status_from(r.status)?,
        template: r.template,
        priority: priority_from(r.priority)?,
        created: from_millis(r.created)?,
        started: r.started,
        due: when_from(r.due)?,
        scheduled: when_from(r.scheduled)?,
        wait: when_from(r.wait)?,
        next_tag: flag(0),
        tagged: flag(1),
        categorized: flag(2),
        annotated: flag(3),
        depends: depends_from(r.depends)?,
    })
}

/// What ranking needs of an encoded task ([`Rank`]), read without decoding the whole task
/// where the format allows: the same as `Rank::of(&decode_task(bytes)?)`. A rank record
/// ([`encode_rank`]) is read too.
pub fn decode_rank(bytes: &[u8]) -> Result<Rank, CodecError> {
    let (version, body) = split_version(bytes)?;
    match version {
        RANK_V1 => return rank_from_v1(decode(body)?),
        TASK_V2 => {}
        _ => return decode_task(bytes).map(|task| Rank::of(&task)),
    }
    // The fields after the annotations (type, attributes) do not matter to the rank, so the
    // record is read up to them.
    let (r, _): (TaskViewV2<'_>, usize) = bincode::serde::borrow_decode_from_slice(body, config())
        .map_err(|e| CodecError::Malformed(e.to_string()))?;
    Ok(Rank {
        id: TaskId(r.id),
        status: status_from(r.status)?,
        template: matches!(r.recurrence, Some(RecurrenceView::Template { .. })),
        priority: priority_from(r.priority)?,
        created: from_millis(r.created)?,
        started: r.started.is_some(),
        due: when_from(r.due)?,
        scheduled: when_from(r.scheduled)?,
        wait: when_from(r.wait)?,
        next_tag: r.tags.iter().any(is_next_tag),
        tagged: !r.tags.is_empty(),
        categorized: r.category.is_some(),
        annotated: !r.annotations.is_empty(),
        depends: depends_from(r.depends)?,
    })
}

fn task_from_v1(r: TaskRecordV1) -> Result<Task, CodecError> {
    task_from_v2(TaskRecordV2 {
        id: r.id,
        uuid: r.uuid,
        title: r.title,
        description: r.description,
        category: r.category,
        tags: r.tags,
        status: r.status,
        priority: r.priority,
        created: r.created,
        modified: r.modified,
        started: r.started,
        completed: r.completed,
        tracking_since: None,
        due: r.due,
        scheduled: r.scheduled,
        wait: r.wait,
        until: r.until,
        estimate: r.estimate,
        spent: r.spent,
        depends: r.depends,
        parent: r.parent,
        recurrence: r.recurrence,
        annotations: r.annotations,
        task_type: None,
        attrs: Vec::new(),
    })
}

fn task_from_v2(r: TaskRecordV2) -> Result<Task, CodecError> {
    Ok(Task {
        id: TaskId(r.id),
        uuid: Uuid::from_bytes(r.uuid),
        title: r.title,
        description: r.description,
        category: r.category.map(Category::from_stored),
        tags: r.tags.into_iter().map(Tag::from_stored).collect(),
        status: status_from(r.status)?,
        priority: priority_from(r.priority)?,
        created: from_millis(r.created)?,
        modified: from_millis(r.modified)?,
        started: opt_time(r.started)?,
        completed: opt_time(r.completed)?,
        tracking_since: opt_time(r.tracking_since)?,
        due: when_from(r.due)?,
        scheduled: when_from(r.scheduled)?,
        wait: when_from(r.wait)?,
        until: when_from(r.until)?,
        estimate: r.estimate.map(Duration::from_secs),
        spent: Duration::from_secs(r.spent),
        depends: depends_from(r.depends)?,
        parent: r.parent.map(TaskId),
        recurrence: r.recurrence.map(recurrence_from).transpose()?,
        annotations: r
            .annotations
            .into_iter()
            .map(|(at, text)| {
                Ok(Annotation {
                    at: from_millis(at)?,
                    text,
                })
            })
            .collect::<Result<_, CodecError>>()?,
        task_type: r.task_type,
        attrs: r
            .attrs
            .into_iter()
            .map(|(k, v)| Ok((k, attr_from(v)?)))
            .collect::<Result<_, CodecError>>()?,
    })
}

#[derive(Debug, Serialize, Deserialize)]
struct JournalRecord {
    command: u64,
    at: i64,
    task: u64,
    op: u8,
    before: Option<Vec<u8>>,
    after: Option<Vec<u8>>,
}

fn op_code(op: Op) -> u8 {
    Op::ALL
        .iter()
        .position(|o| *o == op)
        .and_then(|p| u8::try_from(p).ok())
        .unwrap_or(0)
}

fn op_from(code: u8) -> Result<Op, CodecError> {
    Op::ALL
        .get(usize::from(code))
        .copied()
        .ok_or_else(|| CodecError::Malformed(format!("journal op {code}")))
}

/// Encodes a journal entry (its `seq` is the table key, not part of the record).
pub fn encode_entry(entry: &JournalEntry) -> Result<Vec<u8>, CodecError> {
    let record = JournalRecord {
        command: entry.command.0,
        at: millis(entry.at),
        task: entry.task.0,
        op: op_code(entry.op),
        before: entry.before.as_ref().map(encode_task).transpose()?,
        after: entry.after.as_ref().map(encode_task).transpose()?,
    };
    encode(JOURNAL_V1, &record)
}

/// Decodes the journal entry stored under `seq`.
pub fn decode_entry(seq: u64, bytes: &[u8]) -> Result<JournalEntry, CodecError> {
    let (version, body) = split_version(bytes)?;
    if version != JOURNAL_V1 {
        return Err(CodecError::UnknownVersion(version));
    }
    let r: JournalRecord = decode(body)?;
    Ok(JournalEntry {
        seq,
        command: CommandId(r.command),
        at: from_millis(r.at)?,
        task: TaskId(r.task),
        op: op_from(r.op)?,
        before: r.before.as_deref().map(decode_task).transpose()?,
        after: r.after.as_deref().map(decode_task).transpose()?,
    })
}

#[derive(Debug, Serialize, Deserialize)]
struct CommandRecord {
    at: i64,
    actor: String,
    summary: String,
    kind: u8,
    undo_of: u64,
    undone_by: Option<u64>,
}

/// Encodes a command (its id is the table key).
pub fn encode_command(command: &Command) -> Result<Vec<u8>, CodecError> {
    let (kind, undo_of) = match command.kind {
        CommandKind::User => (0, 0),
        CommandKind::Undo { of } => (1, of.0),
        CommandKind::System => (2, 0),
    };
    let record = CommandRecord {
        at: millis(command.at),
        actor: command.actor.clone(),
        summary: command.summary.clone(),
        kind,
        undo_of,
        undone_by: command.undone_by.map(|c| c.0),
    };
    encode(JOURNAL_V1, &record)
}

/// Decodes the command stored under `id`.
pub fn decode_command(id: u64, bytes: &[u8]) -> Result<Command, CodecError> {
    let (version, body) = split_version(bytes)?;
    if version != JOURNAL_V1 {
        return Err(CodecError::UnknownVersion(version));
    }
    let r: CommandRecord = decode(body)?;
    let kind = match r.kind {
        0 => CommandKind::User,
        1 => CommandKind::Undo {
            of: CommandId(r.undo_of),
        },
        2 => CommandKind::System,
        other => return Err(CodecError::Malformed(format!("command kind {other}"))),
    };
    Ok(Command {
        id: CommandId(id),
        at: from_millis(r.at)?,
        actor: r.actor,
        summary: r.summary,
        kind,
        undone_by: r.undone_by.map(CommandId),
    })
}

/// The version byte of API token records.
const TOKEN_V1: u8 = 1;

#[derive(Serialize, Deserialize)]
struct TokenRecordV1 {
    name: String,
    hash: [u8; 32],
    role: u8,
    category: Option<String>,
    created: i64,
    expires: Option<i64>,
}

/// Encodes an API token (its name is also the table key).
pub fn encode_token(token: &ApiToken) -> Result<Vec<u8>, CodecError> {
    let role = Role::ALL.iter().position(|r| *r == token.role).unwrap_or(0);
    encode(
        TOKEN_V1,
        &TokenRecordV1 {
            name: token.name.clone(),
            hash: token.hash,
            role: u8::try_from(role).unwrap_or(0),
            category: token.category.as_ref().map(|c| c.as_str().to_string()),
            created: millis(token.created),
            expires: token.expires.map(millis),
        },
    )
}

/// Decodes an API token.
pub fn decode_token(bytes: &[u8]) -> Result<ApiToken, CodecError> {
    let (version, body) = split_version(bytes)?;
    if version != TOKEN_V1 {
        return Err(CodecError::UnknownVersion(version));
    }
    let r: TokenRecordV1 = decode(body)?;
    Ok(ApiToken {
        name: r.name,
        hash: r.hash,
        role: *Role::ALL
            .get(usize::from(r.role))
            .ok_or_else(|| CodecError::Malformed(format!("token role {}", r.role)))?,
        category: r.category.map(Category::from_stored),
        created: from_millis(r.created)?,
        expires: opt_time(r.expires)?,
    })
}

/// Encodes a task in the schema 1 format, to build old files in migration tests.
#[cfg(test)]
pub(super) fn encode_task_v1(task: &Task) -> Result<Vec<u8>, CodecError> {
    let bytes = encode_task(task)?;
    let v2: TaskRecordV2 = decode(&bytes[1..])?;
    let record = TaskRecordV1 {
        id: v2.id,
        uuid: v2.uuid,
        title: v2.title,
        description: v2.description,
        category: v2.category,
        tags: v2.tags,
        status: v2.status,
        priority: v2.priority,
        created: v2.created,
        modified: v2.modified,
        started: v2.started,
        completed: v2.completed,
        due: v2.due,
        scheduled: v2.scheduled,
        wait: v2.wait,
        until: v2.until,
        estimate: v2.estimate,
        spent: v2.spent,
        depends: v2.depends,
        parent: v2.parent,
        recurrence: v2.recurrence,
        annotations: v2.annotations,
    };
    encode(TASK_V1, &record)
}

/// Encodes a journal entry whose task snapshots are schema 1 records, as schema 1 wrote them.
#[cfg(test)]
pub(super) fn encode_entry_v1(entry: &JournalEntry) -> Result<Vec<u8>, CodecError> {
    let record = JournalRecord {
        command: entry.command.0,
        at: millis(entry.at),
        task: entry.task.0,
        op: op_code(entry.op),
        before: entry.before.as_ref().map(encode_task_v1).transpose()?,
        after: entry.after.as_ref().map(encode_task_v1).transpose()?,
    };
    encode(JOURNAL_V1, &record)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    pub(crate) fn full_task() -> Task {
        let now = Utc
            .with_ymd_and_hms(2026, 11, 26, 12, 0, 0)
            .single()
            .unwrap_or_default();
        let mut task = Task::new(TaskId(42), Uuid::from_u128(7), "Write paper", now);
        task.description = "Two\nlines".into();
        task.category = Category::parse("Research.ML").ok();
        task.tags.extend(Tag::parse("draft"));
        task.status = Status::Started;
        task.priority = Some(Priority::Medium);
        task.started = Some(now);
        task.tracking_since = Some(now);
        task.due = Some(When::Day(
            NaiveDate::from_ymd_opt(2026, 12, 24).unwrap_or_default(),
        ));
        task.wait = Some(When::At(now));
        task.estimate = Some(Duration::from_secs(3600));
        task.spent = Duration::from_secs(60);
        task.depends.push(Dependency {
            on: TaskId(3),
            kind: DepKind::StartToStart,
        });
        task.parent = Some(TaskId(1));
        task.recurrence = RecurrenceRule::parse("last fri")
            .ok()
            .map(|rule| RecurrenceLink::Template { rule });
        task.annotations.push(Annotation {
            at: now,
            text: "note".into(),
        });
        task.task_type = Some("experiment".into());
        task.attrs.insert("samples".into(), AttrValue::Number(30.0));
        task.attrs.insert("ok".into(), AttrValue::Bool(true));
        task
    }

    #[test]
    fn tasks_round_trip() -> Result<(), CodecError> {
        let task = full_task();
        let bytes = encode_task(&task)?;
        assert_eq!(bytes[0], TASK_V2);
        assert_eq!(decode_task(&bytes)?, task);
        Ok(())
    }

    #[test]
    fn schema_1_records_still_decode() -> Result<(), CodecError> {
        let task = full_task();
        let old = decode_task(&encode_task_v1(&task)?)?;
        assert_eq!(old.title, task.title);
        assert_eq!(old.tracking_since, None);
        assert!(old.attrs.is_empty());
        Ok(())
    }

    #[test]
    fn ranks_read_in_place_equal_the_whole_tasks_ranks() -> Result<(), CodecError> {
        let full = full_task();
        let mut next = Task::new(TaskId(5), Uuid::from_u128(9), "Plain", full.created);
        next.tags.extend(Tag::parse("NeXt"));
        next.recurrence = Some(RecurrenceLink::Instance {
            template: TaskId(42),
            occurrence: full.created,
        });
        for task in [
            full.clone(),
            next,
            Task::new(TaskId(1), Uuid::nil(), "x", full.created),
        ] {
            let bytes = encode_task(&task)?;
            assert_eq!(decode_rank(&bytes)?, Rank::of(&task), "{}", task.title);
            let cut = &bytes[..bytes.len() / 2];
            assert!(decode_rank(cut).is_err(), "half of {} decodes", task.title);
        }
        let old = encode_task_v1(&full)?;
        assert_eq!(decode_rank(&old)?, Rank::of(&decode_task(&old)?));
        assert!(matches!(decode_rank(&[]), Err(CodecError::Empty)));
        Ok(())
    }

    #[test]
    fn tokens_round_trip() -> Result<(), CodecError> {
        let created = Utc::now();
        let category = Category::parse("Work.Web").ok();
        let (mut token, _) = ApiToken::generate("ci", Role::Admin, category, created, None)
            .map_err(|e| CodecError::Encode(e.to_string()))?;
        token.created = from_millis(millis(created))?;
        token.expires = Some(token.created + chrono::Duration::days(90));
        let bytes = encode_token(&token)?;
        assert_eq!(decode_token(&bytes)?, token);
        assert!(decode_token(&bytes[..bytes.len() - 1]).is_err());
        assert!(matches!(
            decode_token(&[9, 0]),
            Err(CodecError::UnknownVersion(9))
        ));
        Ok(())
    }

    #[test]
    fn rank_records_round_trip_and_refuse_damage() -> Result<(), CodecError> {
        let full = full_task();
        let mut flagged = Task::new(TaskId(8), Uuid::from_u128(2), "Flags", full.created);
        flagged.tags.extend(Tag::parse("next"));
        flagged.annotations.push(Annotation {
            at: full.created,
            text: "note".into(),
        });
        for task in [full, flagged] {
            let rank = Rank::of(&task);
            let bytes = encode_rank(&rank)?;
            assert_eq!(bytes[0], RANK_V1);
            assert!(bytes.len() < encode_task(&task)?.len());
            assert_eq!(decode_rank(&bytes)?, rank, "{}", task.title);
            assert!(decode_rank(&bytes[..bytes.len() - 1]).is_err());
            let mut longer = bytes.clone();
            longer.push(0);
            assert!(decode_rank(&longer).is_err(), "trailing bytes accepted");
        }
        assert!(matches!(decode_rank(&[]), Err(CodecError::Empty)));
        Ok(())
    }

    #[test]
    fn bad_bytes_are_errors_not_panics() {
        assert!(matches!(decode_task(&[]), Err(CodecError::Empty)));
        assert!(matches!(
            decode_task(&[9, 1, 2]),
            Err(CodecError::UnknownVersion(9))
        ));
        assert!(matches!(
            decode_task(&[2, 255, 255]),
            Err(CodecError::Malformed(_))
        ));
        let mut bytes = encode_task(&full_task()).unwrap_or_default();
        bytes.push(0);
        assert!(matches!(decode_task(&bytes), Err(CodecError::Malformed(_))));
    }

    #[test]
    fn journal_entries_and_commands_round_trip() -> Result<(), CodecError> {
        let task = full_task();
        let entry = JournalEntry {
            seq: 9,
            command: CommandId(4),
            at: task.created,
            task: task.id,
            op: Op::Complete,
            before: Some(task.clone()),
            after: None,
        };
        assert_eq!(decode_entry(9, &encode_entry(&entry)?)?, entry);
        let command = Command {
            id: CommandId(4),
            at: task.created,
            actor: "ann via cli".into(),
            summary: "done 42".into(),
            kind: CommandKind::Undo { of: CommandId(2) },
            undone_by: Some(CommandId(5)),
        };
        assert_eq!(decode_command(4, &encode_command(&command)?)?, command);
        Ok(())
    }
}
