//! A small TME plugin (protocol 1, see `docs/plugins.md`): it says something kind about each
//! completed task, and adds `tme cheer`, which counts what was completed while it ran.
//!
//! ```text
//! cargo build --example plugin
//! TME_EXTERNAL_PLUGINS=target/debug/examples/plugin tme done 12
//! ```

use std::io::{BufRead, Write};

use serde_json::{Value, json};

fn main() -> std::io::Result<()> {
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    let mut completed: Vec<String> = Vec::new();
    for line in stdin.lock().lines() {
        let Ok(message) = serde_json::from_str::<Value>(&line?) else {
            continue;
        };
        let reply = if message["tme"] == "hello" {
            json!({
                "plugin": "cheer",
                "version": env!("CARGO_PKG_VERSION"),
                "protocol": 1,
                "events": ["complete"],
                "commands": [{"name": "cheer", "about": "How much got done"}],
            })
        } else if message["tme"] == "bye" {
            break;
        } else if message["event"] == "complete" {
            let title = message["task"]["description"]
                .as_str()
                .unwrap_or("that")
                .to_string();
            completed.push(title.clone());
            json!({"ok": true, "messages": [format!("'{title}' is done. Nice work.")]})
        } else if message["command"] == "cheer" {
            writeln!(
                out,
                "{}",
                json!({"print": format!("{} done while I watched", completed.len())})
            )?;
            json!({"done": true, "code": 0})
        } else {
            json!({"ok": false})
        };
        writeln!(out, "{reply}")?;
        out.flush()?;
    }
    Ok(())
}
