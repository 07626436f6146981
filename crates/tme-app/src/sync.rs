//! Syncing this machine's file with a team's `tme serve` (docs/sync.md): the HTTP client the
//! engine's [`TaskManager::sync_with`] talks through, the token it carries, and the words a
//! person is told afterwards.

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use crate::config::Config;
use crate::engine::{Synced, TaskManager};
use crate::protocol::{PullAnswer, PushAnswer, PushBody, SyncServer};

/// The most a pull answer may be (a first sync of a few hundred thousand tasks fits).
const MOST_ANSWER: u64 = 1 << 30;

/// Why a sync could not start.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SetupError {
    /// No server is configured.
    #[error(
        "no sync server is set: put `sync: {{server: https://…}}` in the config, or set TME_SYNC_SERVER"
    )]
    NoServer,
    /// The server's address is not one TME sends a token to.
    #[error("sync server '{0}': {1}")]
    BadServer(String, String),
    /// There is no token, or its file is not private.
    #[error("{0}")]
    Token(String),
    /// The database is not a file.
    #[error(
        "`tme sync` keeps a file (database: a path) in step with a server; a PostgreSQL database is the team's own and is not synced"
    )]
    NotAFile,
}

/// A `tme serve` reached over HTTP with an API token.
pub struct HttpServer {
    base: String,
    token: String,
    agent: ureq::Agent,
}

/// Whether `host` is this machine (plain HTTP is taken only there: a token is a secret).
fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Checks a server address and gives it without a trailing `/`.
pub fn server_address(text: &str) -> Result<String, SetupError> {
    let bad = |why: &str| SetupError::BadServer(text.to_string(), why.to_string());
    let (scheme, rest) = text
        .split_once("://")
        .ok_or_else(|| bad("an address begins with https://"))?;
    let host_port = rest.split('/').next().unwrap_or_default();
    let host = match host_port.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(']') || host_port.starts_with('[') => {
            if port.parse::<u16>().is_err() && !host_port.ends_with(']') {
                return Err(bad("the port is not a number"));
            }
            host
        }
        _ => host_port,
    };
    if host.is_empty() {
        return Err(bad("there is no host"));
    }
    match scheme {
        "https" => {}
        "http" if is_loopback(host) => {}
        "http" => {
            return Err(bad(
                "plain http is taken only to this machine (the token would cross the network in the clear); serve it behind https",
            ));
        }
        _ => return Err(bad("an address begins with https://")),
    }
    Ok(text.trim_end_matches('/').to_string())
}

/// Reads the token from `TME_SYNC_TOKEN`, or else from the token file, which must be private
/// (readable by its owner only).
pub fn token(config: &Config) -> Result<String, SetupError> {
    if let Some(token) = &config.sync_token {
        return Ok(token.clone());
    }
    let path = &config.sync_token_file.value;
    let missing = || {
        SetupError::Token(format!(
            "no sync token: set TME_SYNC_TOKEN, or put the token (from `tme token create` on the server) in {} readable by you alone (chmod 600)",
            path.display()
        ))
    };
    let text = read_private(path).map_err(|why| match why {
        None => missing(),
        Some(why) => SetupError::Token(why),
    })?;
    let token = text.trim().to_string();
    if token.is_empty() {
        return Err(missing());
    }
    Ok(token)
}

/// A private file's text; `Err(None)` when it is not there.
fn read_private(path: &Path) -> Result<String, Option<String>> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(None),
        Err(e) => return Err(Some(format!("{}: {e}", path.display()))),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file
            .metadata()
            .map_err(|e| Some(format!("{}: {e}", path.display())))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(Some(format!(
                "the sync token file {} can be read by others (mode {:o}); `chmod 600` it",
                path.display(),
                mode & 0o777
            )));
        }
    }
    let mut text = String::new();
    file.take(64 * 1024)
        .read_to_string(&mut text)
        .map_err(|e| Some(format!("{}: {e}", path.display())))?;
    Ok(text)
}

/// What the words of a server that could not be reached say.
const UNREACHABLE: &str = "could not be reached";

/// Whether a sync failed only because the server could not be reached (offline).
pub fn is_offline(why: &str) -> bool {
    why.contains(UNREACHABLE)
}

impl HttpServer {
    /// The server the configuration names, with its token; `quick` keeps the waits short (a
    /// sync riding on another command must not hold it up for long when offline).
    pub fn from_config(config: &Config, quick: bool) -> Result<HttpServer, SetupError> {
        if config.database.value.file().is_none() {
            return Err(SetupError::NotAFile);
        }
        let address = config
            .sync_server
            .value
            .as_deref()
            .ok_or(SetupError::NoServer)?;
        let base = server_address(address)?;
        let token = token(config)?;
        let (connect, overall) = match quick {
            true => (Duration::from_secs(2), Duration::from_secs(15)),
            false => (Duration::from_secs(10), Duration::from_secs(600)),
        };
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_connect(Some(connect))
            .timeout_global(Some(overall))
            .http_status_as_error(false)
            .build()
            .into();
        Ok(HttpServer { base, token, agent })
    }

    fn answer<T: serde::de::DeserializeOwned>(
        &self,
        sent: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<T, String> {
        let mut response = sent.map_err(|e| self.unreachable(&e))?;
        let status = response.status();
        let text = response
            .body_mut()
            .with_config()
            .limit(MOST_ANSWER)
            .read_to_string()
            .map_err(|e| format!("{} answered, but not in full ({e})", self.base))?;
        if !status.is_success() {
            let detail = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| v.get("detail").and_then(|d| d.as_str()).map(String::from))
                .unwrap_or_else(|| text.chars().take(200).collect());
            return Err(format!("{} answered {status}: {detail}", self.base));
        }
        serde_json::from_str(&text).map_err(|e| {
            format!(
                "{} answered something that is not a sync answer ({e})",
                self.base
            )
        })
    }

    fn unreachable(&self, error: &ureq::Error) -> String {
        let how = match error {
            ureq::Error::Io(_) | ureq::Error::ConnectionFailed => "the connection failed",
            ureq::Error::Timeout(_) => "it did not answer in time",
            ureq::Error::HostNotFound => "its host was not found",
            _ => "the request failed",
        };
        format!(
            "{} {UNREACHABLE} ({how}); the changes made here stay here until the next sync",
            self.base
        )
    }
}

impl SyncServer for HttpServer {
    fn push(&self, body: &PushBody) -> Result<PushAnswer, String> {
        let text = serde_json::to_string(body).map_err(|e| e.to_string())?;
        let sent = self
            .agent
            .post(format!("{}/api/v1/sync/push", self.base))
            .header("Authorization", format!("Bearer {}", self.token))
            .header("Content-Type", "application/json")
            .send(text);
        self.answer(sent)
    }

    fn pull(&self, after: u64) -> Result<PullAnswer, String> {
        let sent = self
            .agent
            .get(format!("{}/api/v1/sync/pull?after={after}", self.base))
            .header("Authorization", format!("Bearer {}", self.token))
            .call();
        self.answer(sent)
    }
}

/// The lines a person is told after a sync: what moved, ids that changed, changes that lost.
pub fn report(synced: &Synced) -> Vec<String> {
    let taken = &synced.taken;
    let mut lines = vec![match taken.joined {
        Some(n) => format!(
            "Synced: pushed {} command(s), joined with the server's {n} task(s).",
            synced.pushed
        ),
        None => format!(
            "Synced: pushed {} command(s), pulled {}.",
            synced.pushed, taken.commands
        ),
    }];
    for (was, now) in &taken.renumbered {
        lines.push(format!(
            "Task {was} is now task {now}: another machine had been given {was} first."
        ));
    }
    for conflict in &taken.lost {
        let why = conflict
            .why
            .as_deref()
            .map(|w| format!(" ({w})"))
            .unwrap_or_default();
        lines.push(format!(
            "Conflict {}: your {} of task {} '{}' ({}) lost to {} ({}){why}; `tme conflicts take {}` takes it back.",
            conflict.seq,
            conflict.field,
            conflict.task,
            conflict.title,
            conflict.lost_words(),
            conflict.over,
            conflict.won_words(),
            conflict.seq,
        ));
    }
    if taken.replayed > 0 {
        lines.push(format!(
            "{} command(s) made during the sync wait for the next one.",
            taken.replayed
        ));
    }
    lines
}

/// Syncs `tm` with the configured server.
pub fn sync(
    config: &Config,
    tm: &TaskManager,
    quick: bool,
) -> Result<Synced, crate::app::AppError> {
    let server = HttpServer::from_config(config, quick)
        .map_err(|e| crate::app::AppError::Refused(e.to_string()))?;
    Ok(tm.sync_with(&server)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_crosses_the_network_only_over_https() {
        assert_eq!(
            server_address("https://tasks.example.org/").as_deref(),
            Ok("https://tasks.example.org")
        );
        assert!(server_address("http://127.0.0.1:8080").is_ok());
        assert!(server_address("http://localhost:8080").is_ok());
        assert!(server_address("http://[::1]:8080").is_ok());
        for bad in [
            "http://tasks.example.org",
            "ftp://x",
            "tasks.example.org",
            "https://",
            "https://host:port",
        ] {
            assert!(server_address(bad).is_err(), "{bad}");
        }
    }
}
