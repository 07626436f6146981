//! `tme serve`: the engine over HTTP, for scripts, bots and integrations. It opens the
//! configured database (a file or PostgreSQL) through the application layer, as the CLI and
//! the TUI do, so hooks, rules, plugins, the webhook and the calendar file act on its changes
//! the same way. Loopback by default; every request but the health check needs an API token
//! (`tme token create`); errors are problem documents; it stops cleanly on SIGTERM or Ctrl-C,
//! finishing the requests in flight.

mod actions;
mod auth;
mod body;
mod events;
mod journal;
mod openapi;
mod problem;
mod reports;
mod sync;
mod tasks;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::get;

use crate::app::App;
use crate::engine::TaskManager;
pub use problem::Problem;

/// The largest request body taken: the longest description the engine takes
/// ([`crate::domain::MAX_TEXT_LEN`] characters), each written as a JSON escape pair, fits.
const MOST_BODY: usize = 2 * 1024 * 1024;

/// How long a request may take, a slow client's included, before it is answered 408.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What every handler shares: the engine, and the application layer its changes go through.
#[derive(Clone)]
pub struct Shared {
    engine: Arc<TaskManager>,
    app: Arc<App>,
    /// The store's change stamp, moved by the watching thread after every commit anywhere.
    stamps: tokio::sync::watch::Receiver<u64>,
    /// Becomes true when the server stops, to end the event streams (which never end
    /// otherwise, and would hold the stop up).
    closing: tokio::sync::watch::Receiver<bool>,
    /// Turns for reading work (see [`blocking`]).
    reads: Arc<tokio::sync::Semaphore>,
    /// Turns for changing work.
    changes: Arc<tokio::sync::Semaphore>,
}

/// What engine work a request does, for `blocking`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// Reading: runs beside other reads, as many at a time as the store is worth
    /// ([`TaskManager::parallel_reads`]).
    Read,
    /// Changing: one at a time (the store commits one at a time anyway).
    Change,
}

/// Runs engine work off the async threads (the engine blocks on the store), a bounded number
/// at a time: under load the work waits its turn here, not as one of many threads the system
/// shares the cores among, so that a change holding the store's write lock is not starved of
/// the processor by the reads behind it.
async fn blocking<T: Send + 'static>(
    shared: &Shared,
    work: Work,
    job: impl FnOnce(&TaskManager) -> Result<T, Problem> + Send + 'static,
) -> Result<T, Problem> {
    let gate = match work {
        Work::Read => &shared.reads,
        Work::Change => &shared.changes,
    };
    let _turn = gate.acquire().await.map_err(|_| {
        Problem::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "the server is stopping",
        )
    })?;
    let tm = shared.engine.clone();
    tokio::task::spawn_blocking(move || job(&tm)).await?
}

/// The routes of `/api/v1`, and the OpenAPI document made from their declarations.
fn router(shared: Shared) -> Router {
    use utoipa::OpenApi;
    use utoipa_axum::routes;
    let (routes, mut document) =
        utoipa_axum::router::OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
            .routes(routes!(health))
            .routes(routes!(events::stream))
            .routes(routes!(tasks::list, tasks::create))
            .routes(routes!(tasks::get, actions::patch, actions::delete))
            .routes(routes!(actions::done))
            .routes(routes!(actions::start))
            .routes(routes!(actions::stop))
            .routes(routes!(actions::annotate))
            .routes(routes!(actions::depend))
            .routes(routes!(actions::undepend))
            .routes(routes!(journal::history))
            .routes(routes!(journal::undo))
            .routes(routes!(reports::report))
            .routes(routes!(sync::pull))
            .merge(
                utoipa_axum::router::OpenApiRouter::new()
                    .routes(routes!(sync::push))
                    .layer(axum::extract::DefaultBodyLimit::max(sync::MOST_PUSH)),
            )
            .split_for_parts();
    openapi::complete(&mut document);
    let document = Arc::new(document);
    routes
        .route(
            "/api/v1/openapi.json",
            get(move || async move { axum::Json(document.as_ref().clone()) }),
        )
        .fallback(not_found)
        .layer(axum::extract::DefaultBodyLimit::max(MOST_BODY))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(axum::middleware::map_response(as_problem))
        .with_state(shared)
}

/// An error answer that is not a problem document yet (a method the address does not take, a
/// request that took too long) made into one.
async fn as_problem(response: axum::response::Response) -> axum::response::Response {
    use axum::response::IntoResponse;
    let status = response.status();
    let is_problem = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == b"application/problem+json");
    if !(status.is_client_error() || status.is_server_error()) || is_problem {
        return response;
    }
    let detail = match status {
        axum::http::StatusCode::METHOD_NOT_ALLOWED => "this address does not take that method",
        axum::http::StatusCode::REQUEST_TIMEOUT => "the request took too long",
        _ => status.canonical_reason().unwrap_or("the request failed"),
    };
    Problem::new(status, detail).into_response()
}

/// The answer of the health check.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
struct Health {
    /// `ok`.
    status: &'static str,
    /// The database's change stamp: it moves with every commit.
    change_stamp: u64,
}

/// `GET /api/v1/health`: whether the server and its database answer (no token needed).
#[utoipa::path(get, path = "/api/v1/health", tag = "server", security(()),
    responses((status = 200, description = "The server and its database answer", body = Health)))]
async fn health(
    axum::extract::State(shared): axum::extract::State<Shared>,
) -> Result<axum::Json<Health>, Problem> {
    let change_stamp = blocking(&shared, Work::Read, |tm| Ok(tm.change_stamp()?)).await?;
    Ok(axum::Json(Health {
        status: "ok",
        change_stamp,
    }))
}

/// The answer to an address the API does not have, saying what it has instead.
async fn not_found(uri: axum::http::Uri) -> Problem {
    let path = uri.path();
    let words: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let detail = match words.as_slice() {
        ["", "api", "v1", "tasks", _, action] => format!(
            "'{action}' is not an action on a task: use done, start, stop, annotate, \
             dependencies or history"
        ),
        ["", "api", "v1", ..] => {
            format!("{path} is not an address of this API: /api/v1/openapi.json lists them")
        }
        _ => format!("{path} is not an address of this API (it is under /api/v1)"),
    };
    Problem::new(axum::http::StatusCode::NOT_FOUND, detail)
}

/// Serves until SIGTERM or Ctrl-C, then finishes the requests in flight. `ready` is told the
/// address once it listens (port 0 picks a free one).
pub fn serve(
    engine: TaskManager,
    app: Arc<App>,
    listen: SocketAddr,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let engine = Arc::new(engine);
    let (tell, stamps) = tokio::sync::watch::channel(engine.change_stamp().unwrap_or(0));
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = {
        let (engine, done) = (engine.clone(), done.clone());
        std::thread::spawn(move || watch(&engine, &tell, &done))
    };
    let (close, closing) = tokio::sync::watch::channel(false);
    let reads = engine.parallel_reads();
    let shared = Shared {
        engine,
        app,
        stamps,
        closing,
        reads: Arc::new(tokio::sync::Semaphore::new(reads)),
        changes: Arc::new(tokio::sync::Semaphore::new(1)),
    };
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen).await?;
        ready(listener.local_addr()?);
        axum::serve(listener, router(shared))
            .with_graceful_shutdown(async move {
                stopped().await;
                close.send_replace(true);
            })
            .await
    });
    done.store(true, std::sync::atomic::Ordering::Release);
    let _ = watcher.join();
    served
}

/// The watching thread: moves `tell` to the store's change stamp after every commit, from any
/// process, until `done`.
fn watch(
    engine: &TaskManager,
    tell: &tokio::sync::watch::Sender<u64>,
    done: &std::sync::atomic::AtomicBool,
) {
    let mut seen = *tell.borrow();
    while !done.load(std::sync::atomic::Ordering::Acquire) {
        match engine.wait_for_change(seen, Duration::from_millis(500)) {
            Ok(stamp) => {
                seen = stamp;
                tell.send_replace(stamp);
            }
            Err(e) => {
                tracing::warn!("watching for changes: {e}");
                std::thread::sleep(Duration::from_millis(500));
            }
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM.
async fn stopped() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => return std::future::pending().await,
            };
        tokio::select! {
            _ = interrupt => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
    tracing::info!("stopping: finishing the requests in flight");
}
