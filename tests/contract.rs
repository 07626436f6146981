//! The contract test: schemathesis (from PyPI) reads `tme serve`'s own OpenAPI document and
//! sends what it generates from it (valid and invalid requests, then sequences of them), and
//! every answer must be no server error and exactly what the document says: status, media
//! type, headers and body schema (the settings are in `tests/contract/schemathesis.toml`).
//! It runs against a file database and, with `TME_TEST_POSTGRES_URL`, a PostgreSQL one.
//!
//! Needs `TME_TEST_SCHEMATHESIS`, the path of schemathesis's `st` (`.ci/run` installs it into a
//! virtual environment and sets it); without it the test is reported as ignored, with a line
//! saying why. `TME_TEST_SCHEMATHESIS_SEED` replays another seed (the run prints its own).

#[path = "support/home.rs"]
mod home;
#[path = "../crates/tme-core/tests/support/scratch.rs"]
#[allow(
    dead_code,
    reason = "shared support: this test needs a database, not its other helpers"
)]
mod scratch;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use libtest_mimic::{Arguments, Failed, Trial};

/// The seed of the generated requests, so that CI runs the same ones each time.
const SEED: &str = "20261202";

/// How many cases schemathesis makes of each operation in each phase.
const EXAMPLES: &str = "40";

/// `tme ARGS…` in a home of its own, on `database`.
fn tme(home: &Path, database: &str, args: &[&str]) -> Command {
    let mut command = home::tme_in(home);
    command
        .args(["--db", database])
        .args(args)
        .env("USER", "tester")
        .env("TME_CONFIG", "/dev/null");
    command
}

/// Runs `tme ARGS…`; what it printed, failing unless it succeeded.
fn ok(home: &Path, database: &str, args: &[&str]) -> Result<String, Failed> {
    let out = tme(home, database, args)
        .output()
        .map_err(|e| format!("cannot run tme: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    if out.status.success() {
        Ok(text)
    } else {
        let error = String::from_utf8_lossy(&out.stderr);
        Err(format!("tme {}: {text}{error}", args.join(" ")).into())
    }
}

/// A `tme serve` that is stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `tme serve` on a free port of loopback; the server and its base URL.
fn serve(home: &Path, database: &str) -> Result<(Server, String), Failed> {
    let mut child = tme(home, database, &["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start tme serve: {e}"))?;
    let stdout = child.stdout.take().ok_or("tme serve has no stdout")?;
    let server = Server(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    let base = line
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .ok_or_else(|| format!("tme serve said no address: {line:?}"))?
        .trim_end_matches("/api/v1")
        .to_string();
    Ok((server, base))
}

/// Some tasks for the generated requests to find: ids 1 to 4, one done, dependencies, a
/// category with a subcategory.
fn seed(home: &Path, database: &str) -> Result<(), Failed> {
    for capture in [
        "Pay rent #Finance due:eom pri:H",
        "Write report #Work.Docs +urgent",
        "Review the report #Work dep:2",
        "Water the plants every:weekly",
    ] {
        let words: Vec<&str> = capture.split(' ').collect();
        ok(home, database, &[&["add"], words.as_slice()].concat())?;
    }
    ok(home, database, &["done", "1"])?;
    Ok(())
}

/// The whole contract run on `database`: a server with some tasks, an admin token, and
/// schemathesis with every check on every operation but the never-ending event stream.
fn contract(st: &Path, database: impl FnOnce(&Path) -> Result<String, Failed>) -> Outcome {
    let home = tempfile::tempdir().map_err(|e| e.to_string())?;
    let database = database(home.path())?;
    seed(home.path(), &database)?;
    let created = ok(
        home.path(),
        &database,
        &["token", "create", "contract", "--role", "admin"],
    )?;
    let token = created
        .split_whitespace()
        .find(|word| word.starts_with("tme_"))
        .ok_or_else(|| format!("no token in {created:?}"))?
        .to_string();
    let (_server, base) = serve(home.path(), &database)?;
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/contract/schemathesis.toml");
    let seed = std::env::var("TME_TEST_SCHEMATHESIS_SEED").unwrap_or_else(|_| SEED.into());
    let out = Command::new(st)
        .arg("--config-file")
        .arg(&config)
        .args(["run", &format!("{base}/api/v1/openapi.json")])
        .args(["--header", &format!("Authorization: Bearer {token}")])
        .args(["--exclude-path", "/api/v1/events"])
        .args(["--max-examples", EXAMPLES, "--seed", &seed])
        // One worker: CPython 3.11 can fail parsing source in two threads at once (a
        // SystemError in Hypothesis, not a finding).
        .args(["--workers", "1", "--request-timeout", "10", "--no-color"])
        // Hypothesis keeps what it learns under the working directory: a temporary one. A
        // clean environment, as the tme processes have (so that faketime, when the suite runs
        // at another date, stays with the test itself).
        .current_dir(home.path())
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("LANG", "C.UTF-8")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", st.display()))?;
    let report = String::from_utf8_lossy(&out.stdout);
    let summary: Vec<&str> = report
        .lines()
        .filter(|line| line.contains("generated") || line.starts_with("Seed:"))
        .collect();
    if out.status.success() && report.contains(" passed") {
        eprintln!("schemathesis on {database}: {}", summary.join("; "));
        Ok(())
    } else {
        Err(format!(
            "schemathesis found what the document does not allow:\n{report}{}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into())
    }
}

type Outcome = Result<(), Failed>;

fn main() {
    let arguments = Arguments::from_args();
    let st = std::env::var_os("TME_TEST_SCHEMATHESIS").map(PathBuf::from);
    if st.is_none() {
        eprintln!(
            "The contract test did not run: set TME_TEST_SCHEMATHESIS to schemathesis's `st` \
             (pip install schemathesis); .ci/run does"
        );
    }
    let postgres = scratch::server();
    let on_file = {
        let st = st.clone();
        Trial::test("contract::a_file_database", move || {
            let st = st.ok_or("TME_TEST_SCHEMATHESIS is not set")?;
            contract(&st, |home| {
                Ok(home.join("tasks.redb").display().to_string())
            })
        })
    };
    let on_postgres = {
        let (st, postgres) = (st.clone(), postgres.clone());
        Trial::test("contract::a_postgresql_database", move || {
            let st = st.ok_or("TME_TEST_SCHEMATHESIS is not set")?;
            let admin = postgres.ok_or("TME_TEST_POSTGRES_URL is not set")?;
            let scratch = scratch::Scratch::new(&admin)?;
            contract(&st, |_| Ok(scratch.url.clone()))
        })
    };
    let trials = vec![
        on_file.with_ignored_flag(st.is_none()),
        on_postgres.with_ignored_flag(st.is_none() || postgres.is_none()),
    ];
    libtest_mimic::run(&arguments, trials).exit();
}
