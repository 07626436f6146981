//! `tme serve`: the HTTP API on the configured database.

use std::net::SocketAddr;
use std::sync::Arc;

use super::context::Ctx;
use super::error::CliError;
use crate::app::{App, FrontEnd, clock_for};

/// Serves the API (`/api/v1`) until SIGTERM or Ctrl-C.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Where to listen. Loopback unless asked: `--listen 0.0.0.0:8080` serves every network.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
}

impl ServeArgs {
    /// Runs `tme serve`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let front = FrontEnd {
            args: ctx.summary.clone(),
            command: "serve".into(),
            keep_feedback: false,
        };
        let app = Arc::new(App::new(ctx.config.clone(), &front));
        let (engine, problems) = app.open(clock_for(ctx.config), "tme serve")?;
        for problem in problems {
            ctx.warn(&problem);
        }
        let database = ctx.config.database.value.to_string();
        crate::serve::serve(engine, app.clone(), self.listen, |at| {
            println!("Serving {database} on http://{at}/api/v1 (Ctrl-C stops)");
        })
        .map_err(|e| CliError::Runtime(format!("cannot serve on {}: {e}", self.listen)))?;
        app.finish();
        Ok(())
    }
}
