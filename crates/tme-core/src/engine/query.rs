//! Reading tasks: filters, derived fields (urgency, blocked) and the summary counts.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::TaskManager;
use super::blocking;
use super::error::EngineError;
use super::session::Change;
use crate::domain::{
    Category, CommandId, Filter, GraphState, Priority, Progress, Rank, Status, Task, TaskId,
    TimeContext, When, local_midnight, rank_urgency, urgency,
};
use crate::store::StoreRead;

/// A task together with what is derived from the rest of the data.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskView {
    /// The task (shared, so views are cheap to sort and to keep in a UI's model).
    pub task: Arc<Task>,
    /// Its status as seen now (waiting is derived from the wait date).
    pub status: Status,
    /// How urgent it is.
    pub urgency: f64,
    /// It depends on an open task.
    pub blocked: bool,
    /// An open task depends on it.
    pub blocking: bool,
    /// How far its subtasks have got, if it has any.
    pub progress: Option<Progress>,
}

/// Counts for the status line, the TUI header and `tme status`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Pending tasks, not counting waiting ones.
    pub pending: u64,
    /// Tasks with time tracking running.
    pub started: u64,
    /// Tasks hidden until their wait date.
    pub waiting: u64,
    /// Recurring series (their templates; instances count as pending or started).
    pub recurring: u64,
    /// Open tasks past their due date.
    pub overdue: u64,
    /// Open tasks due today (not yet overdue).
    pub due_today: u64,
    /// Open tasks blocked by another open task.
    pub blocked: u64,
    /// Tasks completed since local midnight.
    pub completed_today: u64,
    /// Tasks completed since the start of the week.
    pub completed_this_week: u64,
    /// Completed and deleted tasks kept in the store.
    pub closed: u64,
}

/// Counts open tasks into a [`Summary`], the day's bounds worked out once.
struct Tally {
    summary: Summary,
    now: DateTime<Utc>,
    /// Local midnight at the end of today: due before it (and not yet) is due today.
    tomorrow: DateTime<Utc>,
    tz: chrono_tz::Tz,
}

impl Tally {
    /// The counts of closed tasks, the open ones still to be counted.
    fn new(read: &dyn StoreRead, ctx: &TimeContext) -> Result<Tally, EngineError> {
        let today = ctx.today();
        let week_start = local_midnight(ctx.start_of_week(today), ctx.tz);
        Ok(Tally {
            summary: Summary {
                completed_today: read
                    .count_closed_since(Status::Completed, local_midnight(today, ctx.tz))?,
                completed_this_week: read.count_closed_since(Status::Completed, week_start)?,
                closed: read.counts()?.closed,
                ..Summary::default()
            },
            now: ctx.now,
            tomorrow: local_midnight(today + Duration::days(1), ctx.tz),
            tz: ctx.tz,
        })
    }

    /// Counts one open task, by its status now, its due date and whether it is blocked.
    fn count(&mut self, status: Status, due: Option<When>, blocked: bool) {
        let summary = &mut self.summary;
        match status {
            Status::Waiting => summary.waiting += 1,
            Status::Started => summary.started += 1,
            Status::Recurring => {
                summary.recurring += 1;
                return;
            }
            _ => summary.pending += 1,
        }
        if let Some(due) = due {
            let deadline = due.deadline(self.tz);
            if deadline <= self.now {
                summary.overdue += 1;
            } else if deadline <= self.tomorrow {
                summary.due_today += 1;
            }
        }
        summary.blocked += u64::from(blocked);
    }
}

/// From this many tasks on, views are built by two threads.
const PARALLEL_FROM: usize = 20_000;

/// Reads the tasks a filter could match, using the narrowest index available. The flag says
/// whether the result holds every open task (so the graph can be worked out in memory).
fn candidates(
    read: &dyn StoreRead,
    filter: &Filter,
) -> Result<(Vec<Arc<Task>>, bool), EngineError> {
    let lookup = |ids: &mut dyn Iterator<Item = TaskId>| -> Result<Vec<Arc<Task>>, EngineError> {
        let unique: BTreeSet<TaskId> = ids.collect();
        let mut out = Vec::with_capacity(unique.len());
        for id in unique {
            out.extend(read.task(id)?.map(Arc::new));
        }
        Ok(out)
    };
    if !filter.ids.is_empty() {
        return Ok((lookup(&mut filter.ids.iter().copied())?, false));
    }
    if filter.status.only_open() {
        return Ok((read.open_tasks()?, true));
    }
    if let Some(Some(category)) = &filter.category {
        return Ok((
            lookup(&mut read.ids_in_category(category)?.into_iter())?,
            false,
        ));
    }
    if let Some(tag) = filter.tags.first() {
        return Ok((lookup(&mut read.ids_with_tag(tag)?.into_iter())?, false));
    }
    let mut all = read.open_tasks()?;
    read.visit_closed(&mut |t| {
        all.push(Arc::new(t));
        true
    })?;
    Ok((all, true))
}

impl TaskManager {
    /// One task by id.
    pub fn task(&self, id: TaskId) -> Result<Task, EngineError> {
        self.store
            .read()?
            .task(id)?
            .ok_or(EngineError::NotFound(id))
    }

    /// The tasks matching `filter`, by id.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let tm = tme_core::TaskManager::open(dir.path().join("t.redb")).unwrap();
    /// use tme_core::domain::{capture, Filter};
    /// tm.add_task("Write report", Some("Work")).unwrap();
    /// tm.add_task("Buy milk", Some("Shopping")).unwrap();
    /// let filter = capture::parse_filter(&capture::lex("#Work report"), &tm.time()).unwrap();
    /// assert_eq!(tm.get_tasks(&filter).unwrap().len(), 1);
    /// assert_eq!(tm.get_tasks(&Filter::default()).unwrap().len(), 2);
    /// ```
    pub fn get_tasks(&self, filter: &Filter) -> Result<Vec<Task>, EngineError> {
        let read = self.store.read()?;
        let ctx = self.time();
        let (tasks, _) = candidates(&*read, filter)?;
        let mut out: Vec<Task> = tasks
            .into_iter()
            .filter(|t| filter.matches(t, &ctx))
            .map(Arc::unwrap_or_clone)
            .collect();
        out.sort_by_key(|t| t.id);
        Ok(out)
    }

    /// Every task in a category or its subcategories, whatever its status, by id.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let tm = tme_core::TaskManager::open(dir.path().join("t.redb")).unwrap();
    /// tm.add_task("Fix build", Some("Work.Backend")).unwrap();
    /// tm.add_task("Buy milk", Some("Shopping")).unwrap();
    /// assert_eq!(tm.get_tasks_by_category("work").unwrap().len(), 1);
    /// ```
    pub fn get_tasks_by_category(&self, name: &str) -> Result<Vec<Task>, EngineError> {
        let category =
            Category::parse(name).map_err(|e| EngineError::Invalid(format!("category {e}")))?;
        self.get_tasks(&Filter {
            category: Some(Some(category)),
            ..Filter::all()
        })
    }

    /// The tasks matching `filter` with their derived fields, most urgent first.
    pub fn query(&self, filter: &Filter) -> Result<Vec<TaskView>, EngineError> {
        let read = self.store.read()?;
        let ctx = self.time();
        let (tasks, all_open) = candidates(&*read, filter)?;
        let states = blocking::graph_states(&*read, &tasks, all_open)?;
        let (tasks, states): (Vec<Arc<Task>>, Vec<GraphState>) = tasks
            .into_iter()
            .zip(states)
            .filter(|(task, _)| filter.matches(task, &ctx))
            .unzip();
        let mut views = self.views_of(tasks, states, &ctx);
        views.sort_unstable_by(|a, b| SortKey::Urgency.compare(a, b));
        Ok(views)
    }

    /// The first `limit` (or all) tasks matching `filter` in the order `sort` (`reverse`d when
    /// asked), and how many match in all. When the filter asks only about status, priority
    /// and due dates of open tasks, and the order is by numbers, the matches are ranked from
    /// what the store keeps for ranking and only the tasks shown are read whole: the cost
    /// follows the page, not the backlog.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let tm = tme_core::TaskManager::open(dir.path().join("t.redb")).unwrap();
    /// use tme_core::domain::Filter;
    /// use tme_core::engine::SortKey;
    /// for title in ["One", "Two", "Three"] {
    ///     tm.add_task(title, None).unwrap();
    /// }
    /// let page = tm.query_page(&Filter::default(), SortKey::Id, true, Some(2)).unwrap();
    /// assert_eq!(page.total, 3);
    /// let titles: Vec<&str> = page.views.iter().map(|v| v.task.title.as_str()).collect();
    /// assert_eq!(titles, ["Three", "Two"]);
    /// ```
    pub fn query_page(
        &self,
        filter: &Filter,
        sort: SortKey,
        reverse: bool,
        limit: Option<usize>,
    ) -> Result<Page, EngineError> {
        let by_rank = limit.is_some()
            && filter.ranks_decide()
            && filter.status.only_open()
            && sort != SortKey::Title
            && sort != SortKey::Category;
        if !by_rank {
            let mut views = self.query(filter)?;
            views.sort_by(|a, b| sort.compare(a, b));
            if reverse {
                views.reverse();
            }
            let total = views.len();
            views.truncate(limit.unwrap_or(usize::MAX));
            return Ok(Page { views, total });
        }
        let read = self.store.read()?;
        let ctx = self.time();
        // Each open task's place in the graph, kept with the ranks: a page takes its tasks'
        // from there (on PostgreSQL, asking the database for each would cost round trips).
        let ranked = self.ranked(&*read)?;
        let states = ranked.states.clone();
        if sort == SortKey::Id && !reverse {
            return self.page_by_id(&*read, &ranked.ranks, &states, filter, limit, &ctx);
        }
        let by_urgency = sort == SortKey::Urgency;
        let mut keys: Vec<(i64, TaskId, GraphState)> = ranked
            .ranks
            .iter()
            .zip(states.iter().copied())
            .filter(|(rank, _)| filter.matches_rank(rank, &ctx))
            .map(|(rank, graph)| {
                let urgency = if by_urgency && rank.status_at(ctx.now, ctx.tz).is_work() {
                    rank_urgency(rank, &ctx, &self.weights, graph)
                } else {
                    0.0
                };
                let number = sort
                    .number(urgency, rank.due, rank.priority, rank.created)
                    .unwrap_or(0);
                (number, rank.id, graph)
            })
            .collect();
        let total = keys.len();
        let order = |a: &(i64, TaskId, GraphState), b: &(i64, TaskId, GraphState)| {
            let (a, b) = ((a.0, a.1), (b.0, b.1));
            if reverse { b.cmp(&a) } else { a.cmp(&b) }
        };
        let shown = limit.unwrap_or(usize::MAX);
        if shown < keys.len() {
            keys.select_nth_unstable_by(shown, order);
            keys.truncate(shown);
        }
        keys.sort_unstable_by(order);
        let ids: Vec<TaskId> = keys.iter().map(|k| k.1).collect();
        let tasks = tasks_in_order(&*read, &ids)?;
        let graphs = keys.iter().map(|k| k.2).collect();
        Ok(self.page_of(tasks, graphs, total, &ctx))
    }

    /// A page in id order: the ranks are in id order already, so the page is the first
    /// `limit` that match (after the filter's `after_id`), and the rest are only counted.
    /// `states` are the ranks' places in the graph.
    fn page_by_id(
        &self,
        read: &dyn StoreRead,
        ranks: &[Rank],
        states: &[GraphState],
        filter: &Filter,
        limit: Option<usize>,
        ctx: &TimeContext,
    ) -> Result<Page, EngineError> {
        let from = filter
            .after_id
            .map_or(0, |after| ranks.partition_point(|r| r.id <= after));
        let mut matching = ranks[from..]
            .iter()
            .zip(&states[from.min(states.len())..])
            .filter(|(rank, _)| filter.matches_rank(rank, ctx));
        let (ids, graphs): (Vec<TaskId>, Vec<GraphState>) = matching
            .by_ref()
            .take(limit.unwrap_or(usize::MAX))
            .map(|(rank, graph)| (rank.id, *graph))
            .unzip();
        let total = ids.len() + matching.count();
        let tasks = tasks_in_order(read, &ids)?;
        Ok(self.page_of(tasks, graphs, total, ctx))
    }

    /// The page of `tasks`, with their places in the graph.
    fn page_of(
        &self,
        tasks: Vec<Arc<Task>>,
        graphs: Vec<GraphState>,
        total: usize,
        ctx: &TimeContext,
    ) -> Page {
        let views = tasks
            .into_iter()
            .zip(graphs)
            .map(|(task, graph)| self.view_of(task, graph, ctx))
            .collect();
        Page { views, total }
    }

    /// What ranking needs of every open task and their places in the dependency graph, as of
    /// `read`'s snapshot: kept from the last time while the store's change stamp is the same
    /// (a server answers many pages between two changes), brought up to date by this engine's
    /// own commands ([`TaskManager::rerank`]), read again after another process's.
    fn ranked(&self, read: &dyn StoreRead) -> Result<Ranked, EngineError> {
        let stamp = read.change_stamp()?;
        let known = self
            .kept()
            .as_ref()
            .filter(|k| k.stamp == stamp)
            .map(|k| (k.ranks.clone(), k.states.clone()));
        // Worked out with the lock let go, so that other reads are not held up meanwhile.
        let ranks = match known {
            Some((ranks, Some(states))) => return Ok(Ranked { ranks, states }),
            Some((ranks, None)) => ranks,
            None => Arc::new(read.open_ranks()?),
        };
        let states = Arc::new(blocking::rank_states(read, &ranks)?);
        let mut kept = self.kept();
        if kept.as_ref().is_none_or(|k| k.stamp <= stamp) {
            *kept = Some(Kept {
                stamp,
                ranks: ranks.clone(),
                states: Some(states.clone()),
            });
        }
        Ok(Ranked { ranks, states })
    }

    /// The kept ranks as they will be once command `command`, writing in `tx`, commits: `None`
    /// unless they are kept as of the moment before it (each command moves the change stamp
    /// from its own number to the next). The ranks of the tasks `changes` touched are read
    /// back from `tx`; their places in the graph are worked out when next asked for.
    pub(super) fn rerank(
        &self,
        command: CommandId,
        tx: &dyn StoreRead,
        changes: &[Change],
    ) -> Result<Option<Kept>, EngineError> {
        let before = self
            .kept()
            .as_ref()
            .filter(|k| k.stamp == command.0)
            .map(|k| k.ranks.clone());
        let Some(before) = before else {
            return Ok(None);
        };
        let touched: BTreeSet<TaskId> = changes.iter().map(|c| c.task.id).collect();
        let mut ranks: Vec<Rank> = before
            .iter()
            .filter(|r| !touched.contains(&r.id))
            .cloned()
            .collect();
        for id in touched {
            if let Some(task) = tx.task(id)?.filter(|t| t.status.is_open()) {
                ranks.push(Rank::of(&task));
            }
        }
        // Sorted once, not an insertion each: a command may touch thousands of tasks.
        ranks.sort_unstable_by_key(|r| r.id);
        Ok(Some(Kept {
            stamp: command.0 + 1,
            ranks: Arc::new(ranks),
            states: None,
        }))
    }

    /// The kept ranks (a panic elsewhere while they were held leaves them as they were:
    /// every change to them is one assignment).
    fn kept(&self) -> std::sync::MutexGuard<'_, Option<Kept>> {
        self.ranked
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Keeps `kept` (from [`TaskManager::rerank`]) once its command has committed, unless the
    /// kept ranks moved on meanwhile.
    pub(super) fn keep_ranks(&self, kept: Kept) {
        let mut slot = self.kept();
        if slot.as_ref().is_some_and(|k| k.stamp + 1 == kept.stamp) {
            *slot = Some(kept);
        }
    }

    /// The UUIDs of tasks, for writing links (dependencies) in exports.
    pub fn uuids(
        &self,
        ids: impl IntoIterator<Item = TaskId>,
    ) -> Result<HashMap<TaskId, Uuid>, EngineError> {
        let read = self.store.read()?;
        let mut out = HashMap::new();
        for id in ids {
            if let Some(task) = read.task(id)? {
                out.insert(id, task.uuid);
            }
        }
        Ok(out)
    }

    /// One task with its derived fields.
    pub fn view(&self, id: TaskId) -> Result<TaskView, EngineError> {
        let read = self.store.read()?;
        let task = Arc::new(read.task(id)?.ok_or(EngineError::NotFound(id))?);
        let tasks = [task];
        let graph = blocking::graph_states(&*read, &tasks, false)?
            .pop()
            .unwrap_or_default();
        let [task] = tasks;
        Ok(self.view_of(task, graph, &self.time()))
    }

    pub(super) fn view_of(
        &self,
        task: Arc<Task>,
        graph: GraphState,
        ctx: &TimeContext,
    ) -> TaskView {
        let status = task.status_at(ctx.now, ctx.tz);
        let urgency = if status.is_work() {
            urgency(&task, ctx, &self.weights, graph)
        } else {
            0.0
        };
        TaskView {
            task,
            status,
            urgency,
            blocked: graph.blocked,
            blocking: graph.blocking,
            progress: graph.progress,
        }
    }

    /// Views of many tasks; a long list is worked on by two threads.
    fn views_of(
        &self,
        mut tasks: Vec<Arc<Task>>,
        mut states: Vec<GraphState>,
        ctx: &TimeContext,
    ) -> Vec<TaskView> {
        let build = |tasks: Vec<Arc<Task>>, states: Vec<GraphState>| -> Vec<TaskView> {
            tasks
                .into_iter()
                .zip(states)
                .map(|(task, graph)| self.view_of(task, graph, ctx))
                .collect()
        };
        if tasks.len() < PARALLEL_FROM {
            return build(tasks, states);
        }
        let half = tasks.len() / 2;
        let (rest_tasks, rest_states) = (tasks.split_off(half), states.split_off(half));
        std::thread::scope(|scope| {
            let second = scope.spawn(|| build(rest_tasks, rest_states));
            let mut views = build(tasks, states);
            match second.join() {
                Ok(more) => views.extend(more),
                Err(panic) => std::panic::resume_unwind(panic),
            }
            views
        })
    }

    /// Counts of open, overdue, due-today and recently completed tasks, from what ranking
    /// needs of each open task (not the whole tasks).
    pub fn summary(&self) -> Result<Summary, EngineError> {
        let read = self.store.read()?;
        let ctx = self.time();
        let ranked = self.ranked(&*read)?;
        let states = ranked.states;
        let mut tally = Tally::new(&*read, &ctx)?;
        for (rank, graph) in ranked.ranks.iter().zip(states.iter()) {
            tally.count(rank.status_at(ctx.now, ctx.tz), rank.due, graph.blocked);
        }
        Ok(tally.summary)
    }

    /// Every open task (waiting ones included) with its derived fields, most urgent first, and
    /// the summary counts, from one read of the store.
    pub fn snapshot(&self) -> Result<Snapshot, EngineError> {
        let read = self.store.read()?;
        let ctx = self.time();
        let open = read.open_tasks()?;
        let states = blocking::graph_states(&*read, &open, true)?;
        let mut tally = Tally::new(&*read, &ctx)?;
        let mut views = self.views_of(open, states, &ctx);
        for view in &views {
            tally.count(view.status, view.task.due, view.blocked);
        }
        let summary = tally.summary;
        views.sort_unstable_by(|a, b| SortKey::Urgency.compare(a, b));
        Ok(Snapshot { views, summary })
    }
}

/// One page of a query, as [`TaskManager::query_page`] reads it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// The tasks shown, in order.
    pub views: Vec<TaskView>,
    /// How many tasks matched in all.
    pub total: usize,
}

/// Every open task and the counts, as [`TaskManager::snapshot`] reads them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// Open tasks with derived fields, most urgent first.
    pub views: Vec<TaskView>,
    /// The counts.
    pub summary: Summary,
}

/// The orders a task list can be sorted in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum SortKey {
    /// Most urgent first.
    #[default]
    Urgency,
    /// Soonest due first; tasks without a due date last.
    Due,
    /// High, medium, low, none.
    Priority,
    /// By id.
    Id,
    /// Alphabetically by title.
    Title,
    /// By category, tasks without one last.
    Category,
    /// Newest first.
    Created,
}

impl SortKey {
    /// Every order, in the order `s` cycles through them in the TUI.
    pub const ALL: [SortKey; 7] = [
        SortKey::Urgency,
        SortKey::Due,
        SortKey::Priority,
        SortKey::Id,
        SortKey::Title,
        SortKey::Category,
        SortKey::Created,
    ];

    /// The lowercase name (`--sort due`).
    pub fn name(self) -> &'static str {
        match self {
            SortKey::Urgency => "urgency",
            SortKey::Due => "due",
            SortKey::Priority => "priority",
            SortKey::Id => "id",
            SortKey::Title => "title",
            SortKey::Category => "category",
            SortKey::Created => "created",
        }
    }

    /// Parses a name.
    pub fn parse(name: &str) -> Option<SortKey> {
        SortKey::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(name))
    }

    /// The next order in [`SortKey::ALL`], wrapping round.
    pub fn next(self) -> SortKey {
        let at = SortKey::ALL.iter().position(|k| *k == self).unwrap_or(0);
        SortKey::ALL[(at + 1) % SortKey::ALL.len()]
    }

    /// The value a task sorts by in this order. Comparing values is comparing tasks, so a long
    /// list can be sorted with each value worked out once (`sort_by_cached_key`).
    pub fn value(self, view: &TaskView) -> SortValue {
        let task = &view.task;
        let id = task.id.0;
        match self {
            SortKey::Urgency
            | SortKey::Due
            | SortKey::Priority
            | SortKey::Id
            | SortKey::Created => SortValue::Number {
                rank: self
                    .number(view.urgency, task.due, task.priority, task.created)
                    .unwrap_or(0),
                id,
            },
            SortKey::Title => SortValue::Text {
                rank: 0,
                text: task.title.to_lowercase(),
                id,
            },
            SortKey::Category => match &task.category {
                Some(c) => SortValue::Text {
                    rank: 0,
                    text: c.key(),
                    id,
                },
                None => SortValue::Text {
                    rank: 1,
                    text: String::new(),
                    id,
                },
            },
        }
    }

    /// The number a task sorts by in an order by numbers (ties go by id), from what a
    /// [`Rank`](crate::domain::Rank) holds; `None` for the orders by text.
    fn number(
        self,
        urgency: f64,
        due: Option<When>,
        priority: Option<Priority>,
        created: DateTime<Utc>,
    ) -> Option<i64> {
        match self {
            SortKey::Urgency => Some(!ordered(urgency)),
            SortKey::Due => Some(due.map_or(i64::MAX, |d| d.sort_key())),
            SortKey::Priority => Some(priority.map_or(3, |p| p as i64)),
            SortKey::Id => Some(0),
            SortKey::Created => Some(-created.timestamp_millis()),
            SortKey::Title | SortKey::Category => None,
        }
    }

    /// Compares two tasks in this order; ties go by id.
    ///
    /// ```
    /// use tme_core::engine::SortKey;
    /// assert_eq!(SortKey::parse("due"), Some(SortKey::Due));
    /// assert_eq!(SortKey::Created.next(), SortKey::Urgency);
    /// ```
    pub fn compare(self, a: &TaskView, b: &TaskView) -> Ordering {
        match self {
            // The same order as the values, without building them: the hot path of every load.
            SortKey::Urgency => b
                .urgency
                .total_cmp(&a.urgency)
                .then_with(|| a.task.id.cmp(&b.task.id)),
            _ => self.value(a).cmp(&self.value(b)),
        }
    }
}

/// What a task sorts by: a number or text, then its id. Orders by numbers never compare text,
/// which keeps sorting 100,000 tasks fast.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum SortValue {
    /// A number, then the id.
    Number {
        /// Smaller first.
        rank: i64,
        /// Ties go by id.
        id: u64,
    },
    /// A rank (tasks without the text last), the text, then the id.
    Text {
        /// Smaller first.
        rank: i64,
        /// Lowercase, so case does not count.
        text: String,
        /// Ties go by id.
        id: u64,
    },
}

/// Maps a float to an integer with the same order (`total_cmp`'s order).
fn ordered(value: f64) -> i64 {
    let bits = i64::from_ne_bytes(value.to_bits().to_ne_bytes());
    bits ^ ((bits >> 63) & i64::MAX)
}

/// The tasks with these ids, in this order (each must exist).
fn tasks_in_order(read: &dyn StoreRead, ids: &[TaskId]) -> Result<Vec<Arc<Task>>, EngineError> {
    let mut found: HashMap<TaskId, Task> = read
        .tasks_by_id(ids)?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    ids.iter()
        .map(|id| {
            found
                .remove(id)
                .map(Arc::new)
                .ok_or(EngineError::NotFound(*id))
        })
        .collect()
}

/// What ranking needs of every open task, and each one's place in the dependency graph.
struct Ranked {
    ranks: Arc<Vec<Rank>>,
    states: Arc<Vec<GraphState>>,
}

/// The open tasks' ranks as of one change stamp, and their places in the graph once worked out.
pub(super) struct Kept {
    stamp: u64,
    ranks: Arc<Vec<Rank>>,
    states: Option<Arc<Vec<GraphState>>>,
}
