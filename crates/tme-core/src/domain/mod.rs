//! Pure types and rules: tasks, dates, the capture grammar, filters and urgency.
//!
//! Nothing here does I/O or reads the clock: "now" and the time zone come in as a
//! [`TimeContext`], so every rule can be tested at any date.

pub mod calendar;
pub mod capture;
mod changes;
mod dates;
mod diff;
mod duration;
mod filter;
mod gate;
mod journal;
mod names;
mod rank;
mod recurrence;
mod relative;
mod task;
mod text;
mod token;
pub mod tree;
pub mod types;
mod urgency;
mod when;

pub use changes::{MissingTitle, NewTask, TaskChanges};
pub use dates::{DateError, parse_when, try_parse_when};
pub use diff::{FieldChange, changed_fields};
pub use duration::Duration;
pub use filter::{AttrOp, AttrTest, Filter, StatusFilter};
pub use gate::{OtherState, Step, holds_back};
pub use journal::{Command, CommandId, CommandKind, JournalEntry, Op};
pub use names::{Category, NameError, Tag};
pub use rank::Rank;
pub(crate) use rank::is_next_tag;
pub use recurrence::{
    MissedPolicy, Outcome, Pattern, RecurrenceError, RecurrenceLink, RecurrenceRule, Series,
    SeriesError, Streak, Unit, full_weekday_name, parse_weekday, streak,
};
pub use relative::{Nearness, age, ago, relative_due};
pub use task::{Annotation, AttrValue, DepKind, Dependency, Priority, Status, Task, TaskId};
pub use text::{
    MAX_TEXT_LEN, MAX_TITLE_LEN, TextError, capitalized, check_note, check_title, fit, text_pattern,
};
pub use token::{
    ApiToken, BadTokenName, Role, SECRET_PREFIX, TokenError, check_name as check_token_name,
    hash_secret,
};
pub use urgency::{GraphState, Progress, UrgencyWeights, rank_urgency, urgency};
pub use when::{TimeContext, When, YEARS, local_midnight, local_to_utc};
