//! The report panes' state: the range, the filter's dashboard as last worked out, which chart
//! has the focus and whether it fills the screen; and what their keys do.

use super::model::Model;
use super::msg::Cmd;
use crate::config::Action;
use crate::report::{Dashboard, Range};

/// One chart of the dashboard.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Pane {
    /// Bar chart of completions per period.
    #[default]
    Completed,
    /// Lead time histogram.
    LeadTime,
    /// Line chart of burndown and cumulative flow.
    Flow,
    /// Sparkline of daily throughput, with the trend and on-time rate.
    Throughput,
    /// Table of categories with progress bars.
    Categories,
}

impl Pane {
    /// Every pane, in focus order.
    pub const ALL: [Pane; 5] = [
        Pane::Completed,
        Pane::LeadTime,
        Pane::Flow,
        Pane::Throughput,
        Pane::Categories,
    ];

    fn step(self, by: isize) -> Pane {
        let at = Pane::ALL.iter().position(|p| *p == self).unwrap_or(0);
        let n = Pane::ALL.len() as isize;
        let next = (at as isize + by).rem_euclid(n);
        Pane::ALL[usize::try_from(next).unwrap_or(0)]
    }
}

/// What the report view remembers.
#[derive(Debug)]
pub struct ReportsState {
    /// The range shown.
    pub range: Range,
    /// The chart with the focus.
    pub focus: Pane,
    /// The focused chart fills the view.
    pub zoom: bool,
    /// The dashboard as last worked out.
    pub board: Option<Dashboard>,
    /// The number of the last request; older answers are dropped.
    pub asked: u64,
    /// A request is being worked on.
    pub computing: bool,
    /// The tasks changed while a request was being worked on: work it out once more after.
    pub stale: bool,
}

impl Default for ReportsState {
    fn default() -> ReportsState {
        ReportsState {
            range: Range { days: Some(30) },
            focus: Pane::default(),
            zoom: false,
            board: None,
            asked: 0,
            computing: false,
            stale: false,
        }
    }
}

/// The command that works the dashboard out again (off the input thread) for the current
/// range and filter; the filter looks at every status unless it names some.
pub fn recompute(model: &mut Model) -> Vec<Cmd> {
    let filter = model.filter.filter.clone();
    let filter = filter.any_status_unless_named();
    model.reports.asked += 1;
    model.reports.computing = true;
    vec![Cmd::LoadDashboard(
        model.reports.asked,
        model.reports.range,
        Box::new(filter),
    )]
}

/// After the tasks changed: the dashboard is worked out again, but while a request is still
/// being worked on only once more when it is done, so that a stream of changes (other processes
/// writing) never piles up work.
pub fn recompute_when_free(model: &mut Model) -> Vec<Cmd> {
    if model.reports.computing {
        model.reports.stale = true;
        Vec::new()
    } else {
        recompute(model)
    }
}

/// Takes a worked-out dashboard (dropped when a newer request was made), and asks again if the
/// tasks changed meanwhile.
pub fn arrived(model: &mut Model, asked: u64, board: Dashboard) -> Vec<Cmd> {
    if asked != model.reports.asked {
        return Vec::new();
    }
    model.reports.board = Some(board);
    model.reports.computing = false;
    if std::mem::take(&mut model.reports.stale) {
        recompute(model)
    } else {
        Vec::new()
    }
}

/// Runs one of the report view's actions.
pub fn on_reports_action(model: &mut Model, action: Action) -> Vec<Cmd> {
    let reports = &mut model.reports;
    match action {
        Action::NextChart => reports.focus = reports.focus.step(1),
        Action::PrevChart => reports.focus = reports.focus.step(-1),
        Action::Zoom => reports.zoom = !reports.zoom,
        Action::NextRange => {
            reports.range = reports.range.next_preset();
            return recompute(model);
        }
        _ => {}
    }
    Vec::new()
}
