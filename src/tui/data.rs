//! The tasks the TUI shows: what the worker loaded, and the rows the list draws from it.

use std::collections::HashMap;
use std::sync::Arc;

use crate::domain::{Filter, TimeContext};
use crate::engine::{SortKey, Summary, TaskView};

/// Which tasks were loaded.
#[derive(Debug, Clone, PartialEq)]
pub enum Scope {
    /// Every open task; filters that only look at open tasks run in memory on these.
    Open,
    /// Exactly what this filter matches (it also looks at completed or deleted tasks).
    Query(Box<Filter>),
}

impl Scope {
    /// The scope a filter needs.
    pub fn for_filter(filter: &Filter) -> Scope {
        if filter.status.only_open() {
            Scope::Open
        } else {
            Scope::Query(Box::new(filter.clone()))
        }
    }
}

/// A loaded set of tasks with the counts for the header.
#[derive(Debug, Clone, Default)]
pub struct Data {
    /// The tasks, most urgent first.
    pub views: Arc<Vec<TaskView>>,
    /// Counts of pending, overdue and due-today tasks.
    pub summary: Summary,
    /// The store's change stamp when this was read.
    pub stamp: u64,
    /// What was loaded; `None` before the first load.
    pub scope: Option<Scope>,
    /// The tasks in each sort order (indices into `views`), worked out by the worker after
    /// loading, so that switching the order never sorts on the input thread.
    pub orders: HashMap<SortKey, Arc<Vec<usize>>>,
    /// The tasks where a change of this person's lost at sync and still stands lost
    /// (`tme conflicts`), marked `≠` in the list.
    pub conflicted: Arc<std::collections::HashSet<crate::domain::TaskId>>,
}

/// Every order but urgency (the order tasks load in), for [`Data::orders`].
pub fn sort_orders(views: &[TaskView]) -> HashMap<SortKey, Arc<Vec<usize>>> {
    SortKey::ALL
        .into_iter()
        .filter(|k| *k != SortKey::Urgency)
        .map(|key| {
            let mut order: Vec<usize> = (0..views.len()).collect();
            order.sort_by_cached_key(|&i| key.value(&views[i]));
            (key, Arc::new(order))
        })
        .collect()
}

/// One line of the task list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// A category heading when the list is grouped.
    Group {
        /// The category, or "(no category)".
        name: String,
        /// How many tasks follow.
        count: usize,
    },
    /// A task: its index in [`Data::views`].
    Task(usize),
    /// An occurrence of a recurring series still to come (calendar only): its index in the
    /// calendar's upcoming list. Shown, not selectable.
    Upcoming(usize),
}

/// How the list is arranged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Arrangement {
    /// The sort order.
    pub sort: SortKey,
    /// Reversed.
    pub reverse: bool,
    /// Grouped by category.
    pub grouped: bool,
}

/// The rows to show: the tasks `filter` matches (all, when the data was loaded for that very
/// filter), sorted and, if asked, grouped under category headings.
pub fn build_rows(
    data: &Data,
    filter: &Filter,
    time: &TimeContext,
    arrangement: Arrangement,
) -> Vec<Row> {
    let views = data.views.as_slice();
    let already_filtered = matches!(&data.scope, Some(Scope::Query(f)) if **f == *filter);
    // A filter on status alone is answered from the views (the status as of loading, which is
    // refreshed every minute), without touching the tasks.
    let status_only = filter.is_everything();
    let keep = |i: &usize| {
        already_filtered
            || if status_only {
                filter.status.accepts(views[*i].status)
            } else {
                filter.matches(&views[*i].task, time)
            }
    };
    // Loaded data is most urgent first; other orders come worked out, or are sorted here.
    let key = arrangement.sort;
    let mut indices: Vec<usize> = match data.orders.get(&key) {
        Some(order) => order.iter().copied().filter(keep).collect(),
        None => {
            let mut indices: Vec<usize> = (0..views.len()).filter(keep).collect();
            if key != SortKey::Urgency {
                indices.sort_by_cached_key(|&i| key.value(&views[i]));
            }
            indices
        }
    };
    if arrangement.reverse {
        indices.reverse();
    }
    if !arrangement.grouped {
        return indices.into_iter().map(Row::Task).collect();
    }
    let group_of = |i: usize| views[i].task.category.as_ref().map(|c| c.key());
    // Stable, so each group keeps the chosen order.
    let mut keyed: Vec<(Option<String>, usize)> =
        indices.into_iter().map(|i| (group_of(i), i)).collect();
    keyed.sort_by(|a, b| (a.0.is_none(), &a.0).cmp(&(b.0.is_none(), &b.0)));
    let mut rows = Vec::with_capacity(keyed.len() + 16);
    for chunk in keyed.chunk_by(|a, b| a.0 == b.0) {
        let name = views[chunk[0].1]
            .task
            .category
            .as_ref()
            .map_or_else(|| "(no category)".to_string(), ToString::to_string);
        rows.push(Row::Group {
            name,
            count: chunk.len(),
        });
        rows.extend(chunk.iter().map(|(_, i)| Row::Task(*i)));
    }
    rows
}
