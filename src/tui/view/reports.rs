//! The report panes: completions per period, lead times, burndown and cumulative flow,
//! daily throughput with its trend, and the categories with progress bars. One chart can fill
//! the view (`z`).

use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Chart, Dataset, GraphType, Paragraph, Sparkline};

use unicode_width::UnicodeWidthStr;

use super::columns::{self, Column, Styles};
use crate::domain::fit;
use crate::report::Dashboard;
use crate::tui::model::Model;
use crate::tui::reports::Pane;
use crate::tui::theme::Theme;

/// Draws the dashboard, or the focused chart alone.
pub fn draw(model: &Model, frame: &mut Frame, area: Rect) {
    let theme = &model.theme;
    let reports = &model.reports;
    let [title, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
    let mut heading = vec![
        Span::styled(
            format!(" Reports · {}", reports.range.label()),
            theme.header,
        ),
        Span::styled("  (r range, h/l chart, z full screen, / filter)", theme.dim),
    ];
    if reports.computing {
        heading.push(Span::styled("  working…", theme.dim));
    }
    frame.render_widget(Paragraph::new(Line::from(heading)), title);
    let Some(board) = &reports.board else {
        frame.render_widget(
            Paragraph::new(Line::styled(" Working the numbers out…", theme.dim)),
            body,
        );
        return;
    };
    if reports.zoom {
        pane(reports.focus, board, theme, true, frame, body);
        return;
    }
    let [top, middle, bottom] = Layout::vertical([
        Constraint::Percentage(36),
        Constraint::Percentage(34),
        Constraint::Percentage(30),
    ])
    .areas(body);
    let [a, b] =
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(top);
    let [c, d] =
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(middle);
    for (which, area) in [
        (Pane::Completed, a),
        (Pane::LeadTime, b),
        (Pane::Flow, c),
        (Pane::Throughput, d),
        (Pane::Categories, bottom),
    ] {
        pane(which, board, theme, reports.focus == which, frame, area);
    }
}

/// A pane's frame, titled by as many of `parts` (most important first) as fit its width,
/// joined by ` · `; a first part too long alone is cut with `…`.
fn block(parts: &[String], theme: &Theme, focused: bool, width: u16) -> Block<'static> {
    let style = if focused { theme.accent } else { theme.border };
    let room = usize::from(width).saturating_sub(4);
    let mut title = String::new();
    for part in parts {
        let next = if title.is_empty() {
            part.clone()
        } else {
            format!("{title} · {part}")
        };
        if next.width() > room && !title.is_empty() {
            break;
        }
        title = next;
    }
    let title = fit(&title, room);
    Block::bordered().border_style(style).title(Span::styled(
        format!(" {title} "),
        if focused { theme.accent } else { theme.header },
    ))
}

fn pane(
    which: Pane,
    board: &Dashboard,
    theme: &Theme,
    focused: bool,
    frame: &mut Frame,
    area: Rect,
) {
    match which {
        Pane::Completed => completed(board, theme, focused, frame, area),
        Pane::LeadTime => lead_time(board, theme, focused, frame, area),
        Pane::Flow => flow(board, theme, focused, frame, area),
        Pane::Throughput => throughput(board, theme, focused, frame, area),
        Pane::Categories => categories(board, theme, focused, frame, area),
    }
}

/// A label that fits a column `width` wide: `11-23` for a day or week, `Nov` for a month
/// (and the year for January, so that two Decembers are told apart).
fn bar_label(board: &Dashboard, start: chrono::NaiveDate, width: usize) -> String {
    use crate::report::Period;
    match board.throughput.period {
        Period::Month if start.month() == 1 && width >= 5 => start.format("%Y").to_string(),
        Period::Month => start.format("%b").to_string(),
        _ if width >= 6 => start.format("%m-%d").to_string(),
        _ => start.format("%d").to_string(),
    }
}

/// Draws `columns` in a bordered pane titled by `title`'s parts.
fn column_pane(
    title: &[String],
    columns: &[Column],
    bar: Style,
    (theme, focused): (&Theme, bool),
    frame: &mut Frame,
    area: Rect,
) {
    let outer = block(title, theme, focused, area.width);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let styles = Styles {
        bar,
        text: theme.dim,
    };
    frame.render_widget(
        Paragraph::new(columns::chart(columns, inner.width, inner.height, styles)),
        inner,
    );
}

fn completed(board: &Dashboard, theme: &Theme, focused: bool, frame: &mut Frame, area: Rect) {
    let t = &board.throughput;
    let inner_width = usize::from(area.width.saturating_sub(2));
    // Show the latest periods that fit, at least two cells each.
    let fit_count = (inner_width / 2).max(1);
    let shown = &t.periods[t.periods.len().saturating_sub(fit_count)..];
    let pitch = inner_width / shown.len().max(1);
    let mut title = vec![format!("Completed per {}", t.period.word())];
    // Columns too narrow for a date are left unlabelled, and the earliest periods go when
    // they do not all fit: the title says which periods are shown.
    let cut = shown.len() < t.periods.len();
    if let (true, Some(a), Some(b)) = (pitch < 3 || cut, shown.first(), shown.last()) {
        title.push(format!(
            "{} – {}",
            a.start.format("%b %d"),
            b.start.format("%b %d")
        ));
    }
    title.push(format!("{} in {}", t.total, t.range));
    let columns: Vec<Column> = shown
        .iter()
        .map(|p| Column {
            value: p.completed,
            label: bar_label(board, p.start, pitch),
        })
        .collect();
    column_pane(
        &title,
        &columns,
        theme.accent,
        (theme, focused),
        frame,
        area,
    );
}

/// The lead-time buckets worth showing: all of them when their labels fit, else without the
/// empty ones at either end, with short labels (`<3d` for `1-3d`, the bucket before it being
/// `<1d`) when the long ones still do not fit.
fn lead_columns(histogram: &[(String, u64)], width: u16) -> Vec<Column> {
    let longest = histogram.iter().map(|(l, _)| l.width()).max().unwrap_or(0);
    let fits = |count: usize| usize::from(width) / count.max(1) > longest;
    let kept = if fits(histogram.len()) {
        histogram
    } else {
        let first = histogram.iter().position(|(_, n)| *n > 0).unwrap_or(0);
        let last = histogram
            .iter()
            .rposition(|(_, n)| *n > 0)
            .unwrap_or(histogram.len().saturating_sub(1));
        histogram.get(first..=last).unwrap_or_default()
    };
    let short = !fits(kept.len());
    kept.iter()
        .map(|(label, n)| Column {
            value: *n,
            label: match label.split_once('-') {
                Some((_, upper)) if short => format!("<{upper}"),
                _ => label.clone(),
            },
        })
        .collect()
}

fn lead_time(board: &Dashboard, theme: &Theme, focused: bool, frame: &mut Frame, area: Rect) {
    let all = board.lead.rows.iter().find(|r| r.category == "All");
    let title = match all {
        Some(r) => vec![
            "Lead time".to_string(),
            format!("median {}", crate::report::days_text(r.median_days)),
            format!("p90 {}", crate::report::days_text(r.p90_days)),
        ],
        None => vec!["Lead time".to_string(), "nothing completed".to_string()],
    };
    let columns = lead_columns(&board.lead.histogram, area.width.saturating_sub(2));
    column_pane(
        &title,
        &columns,
        theme.started,
        (theme, focused),
        frame,
        area,
    );
}

fn flow(board: &Dashboard, theme: &Theme, focused: bool, frame: &mut Frame, area: Rect) {
    let days = &board.flow.days;
    let points = |f: &dyn Fn(&crate::report::FlowDay) -> u64| -> Vec<(f64, f64)> {
        days.iter()
            .enumerate()
            .map(|(i, d)| (i as f64, f(d) as f64))
            .collect()
    };
    let open = points(&|d| d.remaining());
    let started = points(&|d| d.started);
    let done = points(&|d| d.done);
    let top = days
        .iter()
        .map(|d| d.remaining().max(d.done))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let datasets = vec![
        Dataset::default()
            .name("open")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(theme.overdue)
            .data(&open),
        Dataset::default()
            .name("started")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(theme.started)
            .data(&started),
        Dataset::default()
            .name("done")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(theme.accent)
            .data(&done),
    ];
    let (first, last) = (days.first().map(|d| d.day), days.last().map(|d| d.day));
    let x_labels: Vec<Line> = [first, last]
        .into_iter()
        .flatten()
        .map(|d| Line::from(d.format("%b %d").to_string()))
        .collect();
    let mut title = vec!["Burndown and flow".to_string()];
    if let (Some(a), Some(b)) = (days.first(), days.last()) {
        title.push(format!("open {} → {}", a.remaining(), b.remaining()));
    }
    let outer = block(&title, theme, focused, area.width);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let [plot, legend] = Layout::vertical([Constraint::Min(2), Constraint::Length(1)]).areas(inner);
    let mut key = vec![Span::raw(" ")];
    for (name, style) in [
        ("open", theme.overdue),
        ("started", theme.started),
        ("done", theme.accent),
    ] {
        key.push(Span::styled("━━ ", style));
        key.push(Span::styled(format!("{name}   "), theme.dim));
    }
    frame.render_widget(Paragraph::new(Line::from(key)), legend);
    let chart = Chart::new(datasets)
        .legend_position(None)
        .x_axis(
            Axis::default()
                .bounds([0.0, (days.len().max(2) - 1) as f64])
                .labels(x_labels)
                .style(theme.dim),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, top])
                .labels(vec![Line::from("0"), Line::from(format!("{top:.0}"))])
                .style(theme.dim),
        );
    frame.render_widget(chart, plot);
}

fn throughput(board: &Dashboard, theme: &Theme, focused: bool, frame: &mut Frame, area: Rect) {
    let t = &board.throughput;
    let s = &board.summary;
    let spark_width = usize::from(area.width.saturating_sub(2));
    let shown = &board.daily[board.daily.len().saturating_sub(spark_width)..];
    let last = board.flow.days.last().map(|d| d.day);
    let first = last.map(|d| crate::domain::calendar::shift_days(d, 1 - shown.len() as i64));
    let mut title = vec!["Done each day".to_string()];
    if let (Some(a), Some(b)) = (first, last) {
        title.push(format!("{} – {}", a.format("%b %d"), b.format("%b %d")));
    }
    let outer = block(&title, theme, focused, area.width);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let [spark, text] = Layout::vertical([Constraint::Min(1), Constraint::Length(3)]).areas(inner);
    frame.render_widget(
        Sparkline::default()
            .data(shown.iter().copied())
            .style(theme.accent),
        spark,
    );
    let on_time = s
        .on_time_rate
        .map_or_else(|| "–".to_string(), |r| format!("{:.0}%", r * 100.0));
    let lines = vec![
        Line::from(vec![
            Span::styled("Trend ", theme.dim),
            Span::raw(t.trend.describe(t.period.word())),
        ]),
        Line::from(vec![
            Span::styled("Mean ", theme.dim),
            Span::raw(format!("{:.1} per {}", t.mean, t.period.word())),
            Span::styled("  On time ", theme.dim),
            Span::raw(on_time),
        ]),
        Line::from(vec![
            Span::styled("Open ", theme.dim),
            Span::raw(s.open.to_string()),
            Span::styled("  Overdue ", theme.dim),
            Span::styled(
                s.overdue.to_string(),
                if s.overdue > 0 {
                    theme.overdue
                } else {
                    Style::default()
                },
            ),
        ]),
    ];
    frame.render_widget(Paragraph::new(lines), text);
}

fn categories(board: &Dashboard, theme: &Theme, focused: bool, frame: &mut Frame, area: Rect) {
    let outer = block(&["Categories".to_string()], theme, focused, area.width);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let s = &board.summary;
    let name_width = s
        .categories
        .iter()
        .map(|c| c.category.width())
        .max()
        .unwrap_or(8)
        .clamp(8, 24);
    let bar_width = usize::from(inner.width)
        .saturating_sub(name_width + 34)
        .clamp(4, 40);
    let mut lines = vec![Line::styled(
        format!(
            "{:<name_width$} {:>5} {:>7} {:>5} {:>8}  {}",
            "Category", "Open", "Overdue", "Done", "Complete", "Progress"
        ),
        theme.header,
    )];
    // Rows that do not fit are counted on the last line, never dropped unsaid.
    let room = usize::from(inner.height).saturating_sub(1);
    let shown = if s.categories.len() > room {
        room.saturating_sub(1)
    } else {
        s.categories.len()
    };
    for c in &s.categories[..shown] {
        let full = ((c.complete * bar_width as f64).round() as usize).min(bar_width);
        lines.push(Line::from(vec![
            Span::raw(format!(
                "{:<name_width$} {:>5} {:>7} {:>5} {:>7.0}%  ",
                fit(&c.category, name_width),
                c.open,
                c.overdue,
                c.done,
                c.complete * 100.0
            )),
            Span::styled("█".repeat(full), theme.accent),
            Span::styled("░".repeat(bar_width - full), theme.dim),
        ]));
    }
    if shown < s.categories.len() {
        let more = s.categories.len() - shown;
        lines.push(Line::styled(
            format!("+{more} more (z: this pane alone; tme report summary lists every one)"),
            theme.dim,
        ));
    }
    if s.categories.is_empty() {
        lines.push(Line::styled("Nothing here yet.", theme.dim));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
