//! The tasks the TUI shows: what the worker loaded, and the rows the list draws from it.

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
    let mut indices: Vec<usize> = (0..views.len())
        .filter(|&i| already_filtered || filter.matches(&views[i].task, time))
        .collect();
    // Loaded data is already most urgent first.
    let key = arrangement.sort;
    if key != SortKey::Urgency {
        indices.sort_by(|&a, &b| key.compare(&views[a], &views[b]));
    }
    if arrangement.reverse {
        indices.reverse();
    }
    if !arrangement.grouped {
        return indices.into_iter().map(Row::Task).collect();
    }
    let category = |i: usize| {
        views[i]
            .task
            .category
            .as_ref()
            .map(|c| c.as_str().to_string())
    };
    indices.sort_by_key(|&i| {
        let c = category(i);
        (c.is_none(), c.map(|c| c.to_lowercase()))
    });
    let mut rows = Vec::with_capacity(indices.len() + 16);
    let mut start = 0;
    while start < indices.len() {
        let name = category(indices[start]);
        let end = indices[start..]
            .iter()
            .position(|&i| {
                category(i).map(|c| c.to_lowercase()) != name.as_ref().map(|c| c.to_lowercase())
            })
            .map_or(indices.len(), |n| start + n);
        rows.push(Row::Group {
            name: name.unwrap_or_else(|| "(no category)".into()),
            count: end - start,
        });
        rows.extend(indices[start..end].iter().map(|&i| Row::Task(i)));
        start = end;
    }
    rows
}
