//! Drawing: `draw` reads the model and paints a frame; it changes nothing.

mod calendar;
mod columns;
mod detail;
mod list;
mod reports;
mod tree;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::model::{Model, ViewKind};
use crate::config::Action;
use crate::domain::fit;

pub use detail::detail_lines;

/// The smallest screen the TUI draws on; below it, a note says so.
pub const MIN_WIDTH: u16 = 40;
/// See [`MIN_WIDTH`].
pub const MIN_HEIGHT: u16 = 8;

/// Where each part of the screen goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// The title bar.
    pub header: Rect,
    /// The filter line, while it is being edited.
    pub filter: Option<Rect>,
    /// The task list, its column header included.
    pub list: Rect,
    /// The detail pane, when shown.
    pub detail: Option<Rect>,
    /// Messages.
    pub status: Rect,
    /// Key hints.
    pub keys: Rect,
}

/// Lays out a screen of `width` × `height` for the model; `None` when it is too small.
pub fn layout(model: &Model) -> Option<Areas> {
    if model.width < MIN_WIDTH || model.height < MIN_HEIGHT {
        return None;
    }
    let area = Rect::new(0, 0, model.width, model.height);
    let editing = model.filter.editing.is_some();
    let [header, filter, main, status, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(u16::from(editing)),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let (list, detail) = if !model.detail.visible {
        (main, None)
    } else if main.width >= 100 {
        let [list, detail] =
            Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
                .spacing(1)
                .areas(main);
        (list, Some(detail))
    } else {
        let [list, detail] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(main);
        (list, Some(detail))
    };
    Some(Areas {
        header,
        filter: editing.then_some(filter),
        list,
        detail,
        status,
        keys,
    })
}

/// How many task rows fit in the list.
pub fn visible_rows(model: &Model) -> usize {
    layout(model).map_or(1, |a| usize::from(a.list.height.saturating_sub(1)).max(1))
}

/// Paints the whole screen.
pub fn draw(model: &Model, frame: &mut Frame) {
    let Some(areas) = layout(model) else {
        let note = format!(
            "Too small: {}x{} (need {MIN_WIDTH}x{MIN_HEIGHT})",
            model.width, model.height
        );
        frame.render_widget(Paragraph::new(note).wrap(Wrap { trim: true }), frame.area());
        return;
    };
    header(model, frame, areas.header);
    if let (Some(area), Some(_)) = (areas.filter, &model.filter.editing) {
        filter_line(model, frame, area);
    }
    match model.view {
        ViewKind::List => list::draw(model, frame, areas.list),
        ViewKind::Tree => tree::draw(model, frame, areas.list),
        ViewKind::Calendar => calendar::draw(model, frame, areas.list),
        ViewKind::Reports => reports::draw(model, frame, areas.list),
    }
    if let Some(area) = areas.detail {
        detail::draw(model, frame, area);
    }
    status_line(model, frame, areas.status);
    frame.render_widget(Paragraph::new(key_hints(model)), areas.keys);
    if let Some(popup) = &model.popup {
        popup.draw(
            frame,
            frame.area(),
            &model.theme,
            &model.time,
            &model.keymap,
        );
    }
}

fn header(model: &Model, frame: &mut Frame, area: Rect) {
    let theme = &model.theme;
    let s = &model.data.summary;
    let mut left = vec![
        Span::styled(" TME ", theme.accent),
        Span::raw(format!("· {} ", model.view.name())),
    ];
    if let Some(i) = model.context {
        left.push(Span::styled(
            format!("· @{} ", model.contexts[i].0),
            theme.key,
        ));
    }
    if !model.filter.text.is_empty() {
        left.push(Span::raw(format!("· /{} ", model.filter.text)));
    }
    let arrangement = &model.arrangement;
    if model.view == ViewKind::Tree {
        left.push(Span::styled("· goals, then what each waits on", theme.dim));
    } else if model.view == ViewKind::Reports {
        left.push(Span::styled(
            format!("· {}", model.reports.range.label()),
            theme.dim,
        ));
    } else if model.view == ViewKind::Calendar {
        left.push(Span::styled(
            format!("· {}", model.calendar.mode.name()),
            theme.dim,
        ));
    } else {
        left.push(Span::styled(
            format!(
                "· {}{}{}",
                arrangement.sort.name(),
                if arrangement.reverse { " ↑" } else { "" },
                if arrangement.grouped { ", grouped" } else { "" }
            ),
            theme.dim,
        ));
    }
    let mut right = vec![Span::raw(format!("{} pending", s.pending + s.started))];
    if s.overdue > 0 {
        right.push(Span::raw(" · "));
        right.push(Span::styled(
            format!("{} overdue", s.overdue),
            theme.overdue,
        ));
    }
    if s.due_today > 0 {
        right.push(Span::raw(" · "));
        right.push(Span::styled(format!("{} today", s.due_today), theme.today));
    }
    right.push(Span::raw(" "));
    let right_width = right.iter().map(Span::width).sum::<usize>();
    let [l, r] = Layout::horizontal([
        Constraint::Min(1),
        Constraint::Length(u16::try_from(right_width).unwrap_or(0)),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(Line::from(left)), l);
    frame.render_widget(
        Paragraph::new(Line::from(right)).alignment(Alignment::Right),
        r,
    );
}

fn filter_line(model: &Model, frame: &mut Frame, area: Rect) {
    let theme = &model.theme;
    let [label, text] = Layout::horizontal([Constraint::Length(8), Constraint::Min(1)]).areas(area);
    frame.render_widget(Paragraph::new(Span::styled(" Filter ", theme.key)), label);
    let mut spans = vec![
        Span::raw(model.filter.text.clone()),
        Span::styled("▏", theme.accent),
    ];
    if let Some(e) = &model.filter.error {
        spans.push(Span::styled(format!("  ✗ {e}"), theme.error));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), text);
}

fn status_line(model: &Model, frame: &mut Frame, area: Rect) {
    let theme = &model.theme;
    let line = if let Some(message) = &model.message {
        let style = if message.feedback.error {
            theme.error
        } else {
            theme.started
        };
        // Cut to the line, with … when cut (the whole text is in the log and the window).
        let room = usize::from(area.width).saturating_sub(1);
        Line::styled(format!(" {}", fit(&message.feedback.text, room)), style)
    } else if model.loading {
        Line::styled(" Loading…", theme.dim)
    } else {
        let shown = model
            .rows
            .iter()
            .filter(|r| matches!(r, super::data::Row::Task(_)))
            .count();
        let mut text = format!(" {shown} shown");
        if !model.marked.is_empty() {
            text.push_str(&format!(", {} marked", model.marked.len()));
        }
        Line::styled(text, theme.dim)
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The actions the footer offers in the main screen, most useful first; help and quit always
/// end it.
const FOOTER: [Action; 12] = [
    Action::Add,
    Action::Done,
    Action::Edit,
    Action::StartStop,
    Action::Delete,
    Action::Undo,
    Action::Filter,
    Action::Sort,
    Action::Group,
    Action::Mark,
    Action::ToggleDetail,
    Action::Command,
];

/// What the footer always ends with, whatever else fits.
const FOOTER_END: [Action; 2] = [Action::Help, Action::Quit];

/// Whether an action works on the selected task (so the footer offers it only with one).
fn needs_a_task(action: Action) -> bool {
    matches!(
        action,
        Action::Done
            | Action::Edit
            | Action::StartStop
            | Action::Delete
            | Action::Mark
            | Action::ToggleDetail
            | Action::JumpToBlocker
            | Action::AddSubtask
            | Action::AddDependency
            | Action::Reschedule
            | Action::Fold
    )
}

/// The tree's own actions, offered first in its footer.
const TREE_FOOTER: [Action; 4] = [
    Action::Fold,
    Action::JumpToBlocker,
    Action::AddSubtask,
    Action::AddDependency,
];

/// The calendar's own actions, offered first in its footer.
const CALENDAR_FOOTER: [Action; 5] = [
    Action::CalendarMode,
    Action::NextDay,
    Action::NextMonth,
    Action::Today,
    Action::Reschedule,
];

/// The report view's own actions, offered first in its footer.
const REPORTS_FOOTER: [Action; 3] = [Action::NextRange, Action::NextChart, Action::Zoom];

/// Key hints for what applies now, from the live key map, as many as fit.
fn key_hints(model: &Model) -> Line<'static> {
    let theme = &model.theme;
    if model.filter.editing.is_some() {
        let mut line = super::filter_line::key_hints(theme);
        line.spans.insert(0, Span::raw(" "));
        return line;
    }
    let mut spans: Vec<Span<'static>> = vec![Span::raw(" ")];
    let own: &[Action] = match model.view {
        ViewKind::Tree => &TREE_FOOTER,
        ViewKind::Calendar => &CALENDAR_FOOTER,
        ViewKind::Reports => &REPORTS_FOOTER,
        _ => &[],
    };
    // Task actions only with a task to act on (never in the reports, which show none).
    let with_task = model.view != ViewKind::Reports && model.selected_view().is_some();
    let offered = |a: &Action| {
        (with_task || !needs_a_task(*a))
            && (model.view == ViewKind::List || !matches!(a, Action::Sort | Action::Group))
    };
    let item = |action: Action| {
        model
            .keymap
            .key_label(action)
            .map(|key| (key, format!(" {}  ", action.description())))
    };
    let width_of = |(key, text): &(String, String)| key.chars().count() + text.chars().count();
    let end: Vec<(String, String)> = FOOTER_END.into_iter().filter_map(item).collect();
    let mut room =
        usize::from(model.width).saturating_sub(1 + end.iter().map(width_of).sum::<usize>());
    let mut items = Vec::new();
    for shown in own
        .iter()
        .copied()
        .chain(FOOTER)
        .filter(offered)
        .filter_map(item)
    {
        if width_of(&shown) > room {
            break;
        }
        room -= width_of(&shown);
        items.push(shown);
    }
    for (key, text) in items.into_iter().chain(end) {
        spans.push(Span::styled(key, theme.key));
        spans.push(Span::styled(text, theme.dim));
    }
    Line::from(spans)
}
