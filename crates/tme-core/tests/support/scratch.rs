//! A database of its own on the PostgreSQL test server, for one test (shared by the backend
//! suites of the core and of the CLI).

use std::sync::atomic::{AtomicUsize, Ordering};

use libtest_mimic::Failed;

/// The test server (`TME_TEST_POSTGRES_URL`), or `None` after saying plainly that the
/// PostgreSQL tests will not run.
pub fn server() -> Option<String> {
    let server = std::env::var("TME_TEST_POSTGRES_URL").ok();
    if server.is_none() {
        eprintln!(
            "PostgreSQL tests did not run: set TME_TEST_POSTGRES_URL to a server TME may create \
             databases on (for example postgres://postgres@127.0.0.1:5432/postgres); .ci/run does"
        );
    }
    server
}

/// A database of its own on the test server, dropped when the scenario ends.
pub struct Scratch {
    admin: String,
    name: String,
    /// Its URL.
    pub url: String,
}

impl Scratch {
    /// Creates it on the server `admin` names.
    pub fn new(admin: &str) -> Result<Scratch, Failed> {
        static N: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "tme_test_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let mut client = postgres::Client::connect(admin, postgres::NoTls)
            .map_err(|e| format!("TME_TEST_POSTGRES_URL={admin}: {e}"))?;
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .map_err(|e| e.to_string())?;
        let url = match admin.rsplit_once('/') {
            Some((server, _)) if server.contains("://") && server.len() > "postgres://".len() => {
                format!("{server}/{name}")
            }
            _ => format!("{admin}/{name}"),
        };
        Ok(Scratch {
            admin: admin.to_string(),
            name,
            url,
        })
    }
}

impl Scratch {
    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Ends every connection to the database, as a server restart or an administrator does;
    /// returns how many there were.
    pub fn end_connections(&self) -> Result<usize, String> {
        let mut client =
            postgres::Client::connect(&self.admin, postgres::NoTls).map_err(|e| e.to_string())?;
        let ended = client
            .query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                 WHERE datname = $1 AND pid <> pg_backend_pid()",
                &[&self.name],
            )
            .map_err(|e| e.to_string())?;
        Ok(ended.len())
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Ok(mut client) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = client.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}
