//! `tme config`: the effective settings and where each came from.

use clap::Args;

use super::context::Ctx;
use super::error::CliError;
use super::table::{Align, Cell, Column, render};

/// Prints every setting, its value and its source (default, file, .env, environment, flag).
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Print a JSON object instead.
    #[arg(long)]
    json: bool,
}

impl ConfigArgs {
    /// Runs `tme config`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let config = &ctx.config;
        let mut entries = config.entries();
        let path = |p: &std::path::Path| p.display().to_string();
        let paths = [
            (
                "config_file",
                config
                    .file
                    .as_deref()
                    .map(path)
                    .unwrap_or_else(|| "(none)".into()),
            ),
            ("config_dir", path(&config.dirs.config)),
            ("data_dir", path(&config.dirs.data)),
            ("log_dir", path(&config.dirs.log)),
        ];
        if self.json {
            let mut object = serde_json::Map::new();
            for (key, value, source) in entries {
                object.insert(
                    key,
                    serde_json::json!({ "value": value, "source": source.to_string() }),
                );
            }
            for (key, value) in paths {
                object.insert(key.to_string(), serde_json::json!({ "value": value }));
            }
            return ctx.print_json(&object);
        }
        entries.extend(
            paths
                .into_iter()
                .map(|(k, v)| (k.to_string(), v, crate::config::Source::System)),
        );
        let columns = [
            Column {
                header: "Setting",
                align: Align::Left,
                flexible: false,
            },
            Column {
                header: "Value",
                align: Align::Left,
                flexible: true,
            },
            Column {
                header: "From",
                align: Align::Left,
                flexible: true,
            },
        ];
        let rows: Vec<Vec<Cell>> = entries
            .into_iter()
            .map(|(key, value, source)| {
                vec![
                    Cell::new(key),
                    Cell::new(value),
                    Cell::new(source.to_string()),
                ]
            })
            .collect();
        ctx.print(&render(&columns, &rows, ctx.width, ctx.color))
    }
}
