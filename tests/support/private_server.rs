//! A PostgreSQL server of a test's own: a new cluster in a temporary directory, on a free port
//! of 127.0.0.1, trusting local connections, that the test may stop and start again (which the
//! shared test server must never be). Made with the server programs of Debian's packages
//! (`/usr/lib/postgresql/*/bin`, or `TME_TEST_POSTGRES_BIN`); as root, run as `postgres`.

use std::path::{Path, PathBuf};
use std::process::Command;

use libtest_mimic::Failed;

/// The directory of `initdb` and `pg_ctl`: `TME_TEST_POSTGRES_BIN` (which must then hold
/// them), else the newest of Debian's; `None` after saying why the test will not run.
pub fn programs() -> Result<Option<PathBuf>, Failed> {
    if let Some(dir) = std::env::var_os("TME_TEST_POSTGRES_BIN") {
        let dir = PathBuf::from(dir);
        if !dir.join("initdb").exists() {
            return Err(format!("TME_TEST_POSTGRES_BIN={} has no initdb", dir.display()).into());
        }
        return Ok(Some(dir));
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path().join("bin"))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    found.sort_by_key(|bin| {
        bin.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
    });
    let newest = found.pop();
    if newest.is_none() {
        eprintln!(
            "the server-restart test did not run: it needs PostgreSQL's server programs \
             (apt-get install postgresql, or TME_TEST_POSTGRES_BIN); .ci/run sets them"
        );
    }
    Ok(newest)
}

/// A running cluster of the test's own, stopped and removed when dropped.
pub struct PrivateServer {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
    root: bool,
}

impl PrivateServer {
    /// Makes a cluster with the programs in `bin` and starts it.
    pub fn start(bin: &Path) -> Result<PrivateServer, Failed> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|out| out.stdout.starts_with(b"0\n"));
        if root {
            let owned = Command::new("chown")
                .arg("postgres")
                .arg(dir.path())
                .status()
                .map_err(|e| e.to_string())?;
            if !owned.success() {
                return Err("cannot hand the cluster's directory to the postgres user".into());
            }
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let server = PrivateServer {
            bin: bin.to_path_buf(),
            dir,
            port,
            root,
        };
        let data = server.data();
        server.run("initdb", &["-D", &data, "-U", "postgres", "-A", "trust"])?;
        server.up()?;
        Ok(server)
    }

    /// The URL of its `postgres` database.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Stops it at once, ending every session (`pg_ctl stop -m fast`).
    pub fn stop(&self) -> Result<(), Failed> {
        self.run("pg_ctl", &["-D", &self.data(), "-m", "fast", "-w", "stop"])
    }

    /// Starts it (again), waiting until it takes connections.
    pub fn up(&self) -> Result<(), Failed> {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("log").display().to_string();
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data(),
                "-l",
                &log,
                "-w",
                "-o",
                &options,
                "start",
            ],
        )
    }

    fn data(&self) -> String {
        self.dir.path().join("db").display().to_string()
    }

    /// Runs one of the server programs, as `postgres` when the test runs as root.
    fn run(&self, program: &str, args: &[&str]) -> Result<(), Failed> {
        let path = self.bin.join(program);
        let mut command = if self.root {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&path);
            c
        } else {
            Command::new(&path)
        };
        let out = command
            .args(args)
            .output()
            .map_err(|e| format!("cannot run {}: {e}", path.display()))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{program} {}: {}{}",
                args.join(" "),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
            .into())
        }
    }
}

impl Drop for PrivateServer {
    fn drop(&mut self) {
        let _ = self.run("pg_ctl", &["-D", &self.data(), "-m", "immediate", "stop"]);
    }
}
