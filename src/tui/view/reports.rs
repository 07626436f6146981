//! The report panes: completions per period, lead times, burndown and cumulative flow,
//! daily throughput with its trend, and the categories with progress bars. One chart can fill
//! the view (`z`).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Bar, BarChart, BarGroup, Block, Chart, Dataset, GraphType, LegendPosition, Paragraph,
    Sparkline,
};

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

fn block(title: String, theme: &Theme, focused: bool) -> Block<'static> {
    let style = if focused { theme.accent } else { theme.border };
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

/// A label that fits a bar `width` wide: `11-23` for a day or week, `Nov` for a month.
fn bar_label(board: &Dashboard, start: chrono::NaiveDate, width: u16) -> String {
    use crate::report::Period;
    let text = match board.throughput.period {
        Period::Month => start.format("%b").to_string(),
        _ if width >= 5 => start.format("%m-%d").to_string(),
        _ => start.format("%d").to_string(),
    };
    text.chars().take(usize::from(width)).collect()
}

fn completed(board: &Dashboard, theme: &Theme, focused: bool, frame: &mut Frame, area: Rect) {
    let t = &board.throughput;
    let inner_width = area.width.saturating_sub(2);
    let count = u16::try_from(t.periods.len().max(1)).unwrap_or(u16::MAX);
    let width = (inner_width / count).saturating_sub(1).clamp(1, 7);
    // Show the latest periods that fit.
    let fit = usize::from(inner_width / (width + 1)).max(1);
    let shown = &t.periods[t.periods.len().saturating_sub(fit)..];
    // Bars too narrow for a date are left unlabelled; the title says which days they cover.
    let labelled = width >= 3;
    let mut title = format!("Completed per {} · {} in all", t.period.word(), t.total);
    if let (false, Some(a), Some(b)) = (labelled, shown.first(), shown.last()) {
        title.push_str(&format!(
            " · {} – {}",
            a.start.format("%b %d"),
            b.start.format("%b %d")
        ));
    }
    let bars: Vec<Bar> = shown
        .iter()
        .map(|p| {
            let bar = Bar::default().value(p.completed);
            if labelled {
                bar.label(Line::from(bar_label(board, p.start, width)))
            } else {
                bar.text_value(String::new())
            }
        })
        .collect();
    let chart = BarChart::default()
        .block(block(title, theme, focused))
        .data(BarGroup::default().bars(&bars))
        .bar_width(width)
        .bar_gap(1)
        .bar_style(theme.accent)
        .value_style(theme.selection);
    frame.render_widget(chart, area);
}

fn lead_time(board: &Dashboard, theme: &Theme, focused: bool, frame: &mut Frame, area: Rect) {
    let all = board.lead.rows.iter().find(|r| r.category == "All");
    let title = match all {
        Some(r) => format!(
            "Lead time · median {}, p90 {}",
            crate::report::days_text(r.median_days),
            crate::report::days_text(r.p90_days)
        ),
        None => "Lead time · nothing completed".into(),
    };
    let bars: Vec<Bar> = board
        .lead
        .histogram
        .iter()
        .map(|(label, n)| Bar::default().value(*n).label(Line::from(label.clone())))
        .collect();
    let inner = area.width.saturating_sub(2);
    let width = (inner / 8).saturating_sub(1).clamp(1, 6);
    let chart = BarChart::default()
        .block(block(title, theme, focused))
        .data(BarGroup::default().bars(&bars))
        .bar_width(width)
        .bar_gap(1)
        .bar_style(theme.started)
        .value_style(theme.selection);
    frame.render_widget(chart, area);
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
    let title = match (days.first(), days.last()) {
        (Some(a), Some(b)) => format!(
            "Burndown and flow · open {} → {}",
            a.remaining(),
            b.remaining()
        ),
        _ => "Burndown and flow".into(),
    };
    let chart = Chart::new(datasets)
        .block(block(title, theme, focused))
        .legend_position(Some(LegendPosition::TopLeft))
        .hidden_legend_constraints((Constraint::Ratio(1, 2), Constraint::Ratio(1, 2)))
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
    frame.render_widget(chart, area);
}

fn throughput(board: &Dashboard, theme: &Theme, focused: bool, frame: &mut Frame, area: Rect) {
    let t = &board.throughput;
    let s = &board.summary;
    let outer = block("Throughput per day".into(), theme, focused);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let [spark, text] = Layout::vertical([Constraint::Min(1), Constraint::Length(3)]).areas(inner);
    let shown = &board.daily[board.daily.len().saturating_sub(usize::from(spark.width))..];
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
            Span::raw(format!(
                "{} ({:+.2}/{})",
                t.trend.direction,
                t.trend.slope,
                t.period.word()
            )),
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
    let outer = block("Categories".into(), theme, focused);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let s = &board.summary;
    let name_width = s
        .categories
        .iter()
        .map(|c| c.category.chars().count())
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
    for c in &s.categories {
        let full = ((c.complete * bar_width as f64).round() as usize).min(bar_width);
        let name: String = c.category.chars().take(name_width).collect();
        lines.push(Line::from(vec![
            Span::raw(format!(
                "{name:<name_width$} {:>5} {:>7} {:>5} {:>7.0}%  ",
                c.open,
                c.overdue,
                c.done,
                c.complete * 100.0
            )),
            Span::styled("█".repeat(full), theme.accent),
            Span::styled("░".repeat(bar_width - full), theme.dim),
        ]));
    }
    if s.categories.is_empty() {
        lines.push(Line::styled("Nothing here yet.", theme.dim));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
