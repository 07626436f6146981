//! `update`: how each message changes the model, and what work it asks for. No I/O here.

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind,
};

use super::calendar_keys;
use super::data::{Row, Scope};
use super::filter_line;
use super::model::{Model, ViewKind};
use super::msg::{Cmd, Feedback, Msg};
use super::popup::{Confirm, EditForm, Help, Outcome, Output, Popup, Prompt, Purpose, QuickAdd};
use super::reports;
use super::tree_keys;
use super::view::{layout, visible_rows};
use crate::config::{Action, KeyScope};
use crate::domain::types::shared_type;

/// How long a message stays in the status line, in seconds.
const MESSAGE_SECONDS: i64 = 6;

/// Applies a message to the model; returns the work to do.
pub fn update(model: &mut Model, msg: Msg) -> Vec<Cmd> {
    let cmds = apply(model, msg);
    if model.view == ViewKind::Tree {
        let category = model.selected_view().and_then(|v| v.task.category.clone());
        model.tree.follow_category(category.as_ref());
    }
    cmds
}

fn apply(model: &mut Model, msg: Msg) -> Vec<Cmd> {
    match msg {
        Msg::Key(key) if key.kind == KeyEventKind::Release => Vec::new(),
        Msg::Key(key) => on_key(model, key),
        Msg::Mouse(mouse) => on_mouse(model, mouse),
        Msg::Resize(width, height) => {
            model.width = width;
            model.height = height;
            keep_in_view(model);
            Vec::new()
        }
        Msg::Tick(now) => {
            model.time.now = now;
            if model
                .message
                .as_ref()
                .is_some_and(|m| (now - m.at).num_seconds() >= MESSAGE_SECONDS)
            {
                model.message = None;
            }
            vec![Cmd::CatchUp]
        }
        Msg::StoreChanged => reload(model),
        Msg::Loaded(data) => {
            let old = model.set_data(*data);
            keep_in_view(model);
            let mut cmds = vec![Cmd::Dispose(old)];
            // Templates may have changed: what is still to come is read again.
            model.calendar.upcoming_range = None;
            if model.view == ViewKind::Calendar {
                cmds.extend(calendar_keys::upcoming_if_needed(model));
            }
            if model.view == ViewKind::Reports {
                cmds.extend(reports::recompute_when_free(model));
            }
            cmds.extend(history_if_shown(model));
            cmds
        }
        Msg::Sorted(stamp, orders) => {
            if model.data.stamp == stamp {
                model.data.orders = orders;
            }
            Vec::new()
        }
        Msg::Details(id, details) => {
            model.detail.extra = Some((id, details));
            Vec::new()
        }
        Msg::Feedback(feedback)
            if feedback.background
                && model
                    .message
                    .as_ref()
                    .is_some_and(|m| m.feedback.error && !m.feedback.background) =>
        {
            Vec::new()
        }
        Msg::Feedback(feedback) => {
            if let Some(text) = &feedback.output {
                model.popup = Some(Popup::Output(Box::new(Output::new(
                    feedback.text.clone(),
                    text.clone(),
                ))));
            }
            model.tell(feedback);
            Vec::new()
        }
        Msg::Dashboard(asked, board) => reports::arrived(model, asked, *board),
        Msg::Upcoming(from, to, upcoming) => {
            model.calendar.upcoming = upcoming;
            model.calendar.upcoming_range = Some((from, to));
            model.calendar.arranged = None;
            if model.view == ViewKind::Calendar {
                let keep = model.selected;
                model.rows_from_calendar();
                model.selected = keep;
                model.settle_selection(1);
            }
            Vec::new()
        }
        Msg::Ask(question, cmd) => {
            model.popup = Some(Popup::Confirm(Box::new(Confirm::new(question, *cmd))));
            Vec::new()
        }
        Msg::NotAdded(text, why) => {
            // The text is given back in the add line unless something else is open now.
            let said = if model.popup.is_none() {
                let add = QuickAdd::with_text(&text, &model.time, model.types.clone());
                model.popup = Some(Popup::QuickAdd(Box::new(add)));
                format!("Not added: {why}. The text is back: Enter tries again, Esc drops it")
            } else {
                format!("Not added '{text}': {why}")
            };
            model.tell(Feedback::error(said));
            Vec::new()
        }
        Msg::EditorClosed(text) => {
            if let (Some(Popup::Edit(form)), Some(text)) = (&mut model.popup, text) {
                form.set_description(&text);
            }
            Vec::new()
        }
    }
}

fn reload(model: &mut Model) -> Vec<Cmd> {
    vec![Cmd::Load(model.data.scope.clone().unwrap_or(Scope::Open))]
}

fn history_if_shown(model: &Model) -> Vec<Cmd> {
    match (model.detail.visible, model.selected_view()) {
        (true, Some(view)) => vec![Cmd::LoadDetails(view.task.id)],
        _ => Vec::new(),
    }
}

/// Scrolls the list so the selected row is on screen.
fn keep_in_view(model: &mut Model) {
    let height = visible_rows(model);
    if model.selected < model.offset {
        model.offset = model.selected;
    } else if model.selected >= model.offset + height {
        model.offset = model.selected + 1 - height;
    }
    model.offset = model.offset.min(model.rows.len().saturating_sub(height));
}

/// Moves the selection by `delta` rows (skipping group headings), or to an end.
fn move_selection(model: &mut Model, delta: isize) -> Vec<Cmd> {
    if model.rows.is_empty() {
        return Vec::new();
    }
    let before = model.selected;
    let last = model.rows.len() - 1;
    model.selected = model.selected.saturating_add_signed(delta).min(last);
    model.settle_selection(if delta < 0 { -1 } else { 1 });
    keep_in_view(model);
    if model.selected != before {
        model.detail.scroll = 0;
        return history_if_shown(model);
    }
    Vec::new()
}

fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    if let Some(popup) = &mut model.popup {
        return match popup.handle(key, &model.time) {
            Outcome::Stay => Vec::new(),
            Outcome::Close => {
                model.popup = None;
                Vec::new()
            }
            Outcome::Run(cmd) => {
                model.popup = None;
                if matches!(cmd, Cmd::Update(..) | Cmd::Complete(_) | Cmd::Delete(_)) {
                    model.marked.clear();
                }
                vec![cmd]
            }
            Outcome::Keep(cmd) => vec![cmd],
        };
    }
    if model.filter.editing.is_some() {
        let cmds = filter_line::handle(model, key);
        keep_in_view(model);
        return cmds;
    }
    if model.view == ViewKind::Calendar && model.calendar.moving.is_some() {
        match key.code {
            KeyCode::Enter => return calendar_keys::finish_moving(model),
            KeyCode::Esc => {
                model.calendar.moving = None;
                model.tell(Feedback::ok("Not moved"));
                return Vec::new();
            }
            _ => {}
        }
    }
    match model.keymap.action(&key, model.view.key_scope()) {
        Some(action) => on_action(model, action),
        None => Vec::new(),
    }
}

/// Runs a bulk command on the marked tasks (or the selected one), then clears the marks.
fn on_targets(model: &mut Model, make: impl FnOnce(Vec<crate::domain::TaskId>) -> Cmd) -> Vec<Cmd> {
    let targets = model.targets();
    if targets.is_empty() {
        model.tell(Feedback::error("No task selected"));
        return Vec::new();
    }
    model.marked.clear();
    vec![make(targets)]
}

fn on_action(model: &mut Model, action: Action) -> Vec<Cmd> {
    // A view's own actions go to that view's handler; which they are is the action's scope.
    let cmds = match action.scope() {
        KeyScope::Tree => tree_keys::on_tree_action(model, action, select_row),
        KeyScope::Calendar => calendar_keys::on_calendar_action(model, action, move_selection),
        KeyScope::Reports => reports::on_reports_action(model, action),
        KeyScope::Everywhere => return on_common_action(model, action),
    };
    keep_in_view(model);
    cmds
}

/// The actions that work in every view.
fn on_common_action(model: &mut Model, action: Action) -> Vec<Cmd> {
    let page = isize::try_from(visible_rows(model)).unwrap_or(10);
    let selected = model.selected_view().cloned();
    match action {
        Action::Up => move_selection(model, -1),
        Action::Down => move_selection(model, 1),
        Action::Top => move_selection(
            model,
            -isize::try_from(model.rows.len()).unwrap_or(isize::MAX),
        ),
        Action::Bottom => move_selection(
            model,
            isize::try_from(model.rows.len()).unwrap_or(isize::MAX),
        ),
        Action::PageUp => move_selection(model, -page),
        Action::PageDown => move_selection(model, page),
        Action::ToggleDetail => {
            model.detail.visible = !model.detail.visible;
            model.detail.scroll = 0;
            keep_in_view(model);
            history_if_shown(model)
        }
        Action::DetailDown => {
            model.detail.scroll = model.detail.scroll.saturating_add(3);
            Vec::new()
        }
        Action::DetailUp => {
            model.detail.scroll = model.detail.scroll.saturating_sub(3);
            Vec::new()
        }
        Action::Add => {
            let add = match model.view {
                ViewKind::Calendar => {
                    let day = model.calendar.day(&model.time);
                    QuickAdd::with_text(&format!("due:{day} "), &model.time, model.types.clone())
                }
                _ => QuickAdd::new(&model.time, model.types.clone()),
            };
            model.popup = Some(Popup::QuickAdd(Box::new(add)));
            Vec::new()
        }
        Action::Edit => {
            if let Some(view) = selected {
                model.popup = Some(Popup::Edit(Box::new(EditForm::new(
                    view.task.clone(),
                    &model.time,
                    model.types.clone(),
                ))));
            }
            Vec::new()
        }
        Action::Done => on_targets(model, Cmd::Complete),
        Action::StartStop => on_targets(model, Cmd::StartStop),
        Action::Delete => {
            let targets = model.targets();
            let question = match (targets.as_slice(), &selected) {
                ([], _) => return Vec::new(),
                ([one], Some(view)) if view.task.id == *one => {
                    format!("Delete task {one} '{}'?", view.task.title)
                }
                (many, _) => format!("Delete {} marked tasks?", many.len()),
            };
            model.popup = Some(Popup::Confirm(Box::new(Confirm::new(
                question,
                Cmd::Delete(targets),
            ))));
            Vec::new()
        }
        Action::Undo => vec![Cmd::Undo],
        Action::Annotate => {
            if let Some(view) = selected {
                let purpose = Purpose::Annotate(view.task.id, view.task.title.clone());
                model.popup = Some(Popup::Prompt(Box::new(Prompt::new(purpose, &model.time))));
            }
            Vec::new()
        }
        Action::Duplicate => selected
            .map(|v| vec![Cmd::Duplicate(v.task.id)])
            .unwrap_or_default(),
        Action::Modify => {
            let targets = model.targets();
            if !targets.is_empty() {
                // Attributes are read for the type the tasks share, as `tme modify` does.
                let shared = shared_type(
                    targets
                        .iter()
                        .filter_map(|id| model.view_by_id(*id))
                        .map(|v| &*v.task),
                )
                .map(str::to_string);
                let prompt = Prompt::new(Purpose::Modify(targets), &model.time).typed(
                    model.types.clone(),
                    shared,
                    &model.time,
                );
                model.popup = Some(Popup::Prompt(Box::new(prompt)));
            }
            Vec::new()
        }
        Action::Mark => {
            if let Some(view) = selected {
                let id = view.task.id;
                if !model.marked.remove(&id) {
                    model.marked.insert(id);
                }
            }
            move_selection(model, 1)
        }
        Action::Filter => {
            filter_line::start(model);
            Vec::new()
        }
        Action::Context => next_context(model),
        Action::Sort | Action::SortReverse | Action::Group if model.view != ViewKind::List => {
            model.tell(Feedback::error(format!(
                "The {} keeps its own order; sorting and grouping are for the list (1)",
                model.view.name().to_lowercase()
            )));
            Vec::new()
        }
        Action::Sort => {
            model.arrangement.sort = model.arrangement.sort.next();
            model.rebuild_rows();
            keep_in_view(model);
            model.tell(Feedback::ok(format!(
                "Sorted by {}",
                model.arrangement.sort.name()
            )));
            Vec::new()
        }
        Action::SortReverse => {
            model.arrangement.reverse = !model.arrangement.reverse;
            model.rebuild_rows();
            keep_in_view(model);
            Vec::new()
        }
        Action::Group => {
            model.arrangement.grouped = !model.arrangement.grouped;
            model.rebuild_rows();
            keep_in_view(model);
            Vec::new()
        }
        Action::Command => {
            model.popup = Some(Popup::Prompt(Box::new(Prompt::new(
                Purpose::Command,
                &model.time,
            ))));
            Vec::new()
        }
        Action::Help => {
            model.popup = Some(Popup::Help(Help::new(model.view.key_scope())));
            Vec::new()
        }
        Action::NextView => {
            let at = ViewKind::ALL
                .iter()
                .position(|v| *v == model.view)
                .unwrap_or(0);
            switch_view(model, ViewKind::ALL[(at + 1) % ViewKind::ALL.len()])
        }
        Action::ListView => switch_view(model, ViewKind::List),
        Action::TreeView => switch_view(model, ViewKind::Tree),
        Action::CalendarView => switch_view(model, ViewKind::Calendar),
        Action::ReportsView => switch_view(model, ViewKind::Reports),
        Action::Back => back(model),
        Action::Quit => vec![Cmd::Quit],
        // Scoped actions never reach here (see on_action).
        _ => Vec::new(),
    }
}

/// Selects row `row` (clamped), scrolling to it; loads its details when they are shown.
fn select_row(model: &mut Model, row: usize) -> Vec<Cmd> {
    let delta =
        isize::try_from(row).unwrap_or(isize::MAX) - isize::try_from(model.selected).unwrap_or(0);
    move_selection(model, delta)
}

fn switch_view(model: &mut Model, view: ViewKind) -> Vec<Cmd> {
    let was = model.view;
    model.view = view;
    model.calendar.moving = None;
    let own_rows = |v: ViewKind| matches!(v, ViewKind::Tree | ViewKind::Calendar);
    if was != view && (own_rows(was) || own_rows(view)) {
        model.rebuild_rows();
        keep_in_view(model);
    }
    match view {
        ViewKind::Calendar => calendar_keys::upcoming_if_needed(model),
        ViewKind::Reports if was != ViewKind::Reports => reports::recompute(model),
        _ => Vec::new(),
    }
}

/// Esc: undo the most recent narrowing (marks, then the filter, then another view), else quit.
/// Esc backs out of the innermost thing: the marks, the detail pane, the filter or context, a
/// view other than the list. It never quits (`q` does): at the bottom it says so.
fn back(model: &mut Model) -> Vec<Cmd> {
    if !model.marked.is_empty() {
        model.marked.clear();
        Vec::new()
    } else if model.detail.visible {
        model.detail.visible = false;
        keep_in_view(model);
        Vec::new()
    } else if !model.filter.text.is_empty() || model.context.is_some() {
        model.context = None;
        filter_line::apply(model, String::new())
    } else if model.view != ViewKind::List {
        switch_view(model, ViewKind::List)
    } else {
        model.tell(Feedback::ok("Nothing to close; q quits"));
        Vec::new()
    }
}

fn next_context(model: &mut Model) -> Vec<Cmd> {
    if model.contexts.is_empty() {
        model.tell(Feedback::error(
            "No contexts: add some under contexts: in the config file",
        ));
        return Vec::new();
    }
    model.context = match model.context {
        None => Some(0),
        Some(i) if i + 1 < model.contexts.len() => Some(i + 1),
        Some(_) => None,
    };
    let text = model
        .context
        .map(|i| model.contexts[i].1.clone())
        .unwrap_or_default();
    let cmds = filter_line::apply(model, text);
    if let Some(e) = &model.filter.error {
        model.tell(Feedback::error(format!("Context filter: {e}")));
    }
    keep_in_view(model);
    cmds
}

fn on_mouse(model: &mut Model, mouse: MouseEvent) -> Vec<Cmd> {
    if model.popup.is_some() {
        return Vec::new();
    }
    match mouse.kind {
        MouseEventKind::ScrollDown => move_selection(model, 3),
        MouseEventKind::ScrollUp => move_selection(model, -3),
        MouseEventKind::Down(MouseButton::Left) => {
            let Some(areas) = layout(model) else {
                return Vec::new();
            };
            let list = areas.list;
            let inside = mouse.column >= list.x && mouse.column < list.x + list.width;
            if !inside || mouse.row <= list.y || mouse.row >= list.y + list.height {
                return Vec::new();
            }
            let row = model.offset + usize::from(mouse.row - list.y - 1);
            if matches!(model.rows.get(row), Some(Row::Task(_))) {
                let delta = isize::try_from(row).unwrap_or(0)
                    - isize::try_from(model.selected).unwrap_or(0);
                return move_selection(model, delta);
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}
