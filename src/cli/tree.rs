//! `tme tree [ID] [--up|--down] [--json]`: the dependency and subtask graph as a tree.

use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};

use super::context::Ctx;
use super::error::CliError;
use super::select::task_id;
use super::style::{Style, paint};
use crate::domain::tree::{Direction, Graph, Line, flatten};
use crate::domain::{Status, TaskId};
use crate::engine::{TaskView, status_mark};

/// Draws what waits on what, and what is part of what.
#[derive(Debug, clap::Args)]
pub struct TreeArgs {
    /// Draw from this task (any status); without it, every open goal and what it waits on.
    #[arg(value_name = "ID")]
    id: Option<String>,
    /// Only what the task waits on: its subtasks and prerequisites.
    #[arg(long, conflicts_with = "down")]
    up: bool,
    /// Only what waits on the task: its dependents and the task it is part of.
    #[arg(long)]
    down: bool,
    /// Print the tree as nested JSON objects instead.
    #[arg(long)]
    json: bool,
}

/// A tree to print: which way it reads, and its lines.
struct Drawn {
    direction: Direction,
    lines: Vec<Line>,
}

impl TreeArgs {
    /// Runs `tme tree`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let tm = ctx.engine()?;
        let none = HashSet::new();
        let (views, trees) = match &self.id {
            None => {
                // Templates of recurring series are not work; their instances are.
                let mut views = tm.snapshot()?.views;
                views.retain(|v| v.status != Status::Recurring);
                let graph = Graph::new(views.iter().map(|v| v.task.clone()));
                let lines = flatten(&graph, &graph.roots(Direction::Up), Direction::Up, &none);
                let tree = Drawn {
                    direction: Direction::Up,
                    lines,
                };
                (views, vec![tree])
            }
            Some(text) => {
                let id = task_id(text)?;
                let directions: &[Direction] = match (self.up, self.down) {
                    (true, _) => &[Direction::Up],
                    (_, true) => &[Direction::Down],
                    _ => &[Direction::Up, Direction::Down],
                };
                let mut views: Vec<TaskView> = Vec::new();
                let mut trees = Vec::new();
                for direction in directions {
                    let reach = tm.reach(id, *direction)?;
                    let graph = Graph::new(reach.iter().map(|v| v.task.clone()));
                    let lines = flatten(&graph, &[id], *direction, &none);
                    // With both ways asked for, a way with nothing on it is left out (the task
                    // itself is still shown once).
                    if lines.len() < 2
                        && directions.len() > 1
                        && !(trees.is_empty() && *direction == Direction::Down)
                    {
                        continue;
                    }
                    views.extend(reach);
                    trees.push(Drawn {
                        direction: *direction,
                        lines,
                    });
                }
                (views, trees)
            }
        };
        let find: HashMap<TaskId, &TaskView> = views.iter().map(|v| (v.task.id, v)).collect();
        if self.json {
            let out: Vec<Value> = trees.iter().map(|t| tree_json(t, &find)).collect();
            let value = if self.id.is_some() {
                json!(out)
            } else {
                out.into_iter()
                    .next()
                    .unwrap_or(json!({"direction": "up", "roots": []}))
            };
            return ctx.print_json(&value);
        }
        let mut text = String::new();
        for (i, tree) in trees.iter().enumerate() {
            if i > 0 {
                text.push('\n');
            }
            if self.id.is_some() && !(self.up || self.down) && tree.lines.len() > 1 {
                let heading = match tree.direction {
                    Direction::Up => "What it waits on",
                    Direction::Down => "What waits on it",
                };
                text.push_str(&paint(heading, Style::Header, ctx.color));
                text.push('\n');
            }
            for line in &tree.lines {
                if let Some(view) = find.get(&line.id) {
                    text.push_str(&line_text(line, view, ctx.color));
                    text.push('\n');
                }
            }
        }
        if trees.iter().all(|t| t.lines.is_empty()) {
            text.push_str("No open tasks.\n");
        }
        ctx.print(&text)
    }
}

fn line_text(line: &Line, view: &TaskView, color: bool) -> String {
    let task = &view.task;
    let mut out = format!(
        "{}{} {} {}",
        line.guides,
        status_mark(view),
        task.id,
        task.title
    );
    if let Some(progress) = view.progress {
        out.push_str(&format!(" [{progress}]"));
    }
    let mut notes: Vec<String> = Vec::new();
    if let Some(link) = line.link {
        notes.push(link.label().to_string());
    }
    if line.depth == 0
        && let Some(category) = &task.category
    {
        notes.push(format!("#{category}"));
    }
    if line.repeat {
        notes.push("shown above".into());
    } else if line.has_children && !line.expanded {
        notes.push("…".into());
    }
    let style = match view.status {
        Status::Completed | Status::Deleted => Style::Dim,
        Status::Started => Style::Started,
        _ if view.blocked => Style::Dim,
        _ => Style::Header,
    };
    if style != Style::Header {
        out = paint(&out, style, color);
    }
    if !notes.is_empty() {
        out.push_str("  ");
        out.push_str(&paint(&notes.join(" · "), Style::Dim, color));
    }
    out
}

/// A tree as nested objects: `{direction, roots: [{id, title, status, link, children}]}`.
fn tree_json(tree: &Drawn, find: &HashMap<TaskId, &TaskView>) -> Value {
    let node = |line: &Line| -> Value {
        let view = find.get(&line.id);
        json!({
            "id": line.id.0,
            "uuid": view.map(|v| v.task.uuid.to_string()),
            "title": view.map(|v| v.task.title.clone()),
            "status": view.map(|v| v.status.as_str()),
            "blocked": view.is_some_and(|v| v.blocked),
            "progress": view.and_then(|v| v.progress).map(|p| json!({"done": p.done, "total": p.total})),
            "link": line.link.map(|l| l.label()),
            "repeat": line.repeat,
            "children": [],
        })
    };
    // Lines come depth first: keep the open chain of ancestors, attach each line to the one
    // above it, and fold the chain up when the depth goes back.
    let mut roots: Vec<Value> = Vec::new();
    let mut chain: Vec<Value> = Vec::new();
    let fold = |chain: &mut Vec<Value>, roots: &mut Vec<Value>| {
        if let Some(done) = chain.pop() {
            match chain.last_mut() {
                Some(parent) => {
                    if let Some(children) = parent["children"].as_array_mut() {
                        children.push(done);
                    }
                }
                None => roots.push(done),
            }
        }
    };
    for line in &tree.lines {
        while chain.len() > line.depth {
            fold(&mut chain, &mut roots);
        }
        chain.push(node(line));
    }
    while !chain.is_empty() {
        fold(&mut chain, &mut roots);
    }
    let direction = match tree.direction {
        Direction::Up => "up",
        Direction::Down => "down",
    };
    json!({"direction": direction, "roots": roots})
}
