//! The Python module's tests: pytest runs `python/tests/test_*.py` on this build of the
//! module (laid out as the installed package is, in a directory of its own), with the `tme`
//! binary beside it for the tests that share a database with the CLI; then mypy's stubtest
//! holds the type stubs (`tme/__init__.pyi`) to what the module really has.
//!
//! Needs `TME_TEST_PYTHON`, an interpreter with the packages of `python/tests/requirements.txt`
//! (`.ci/run` makes a virtual environment and sets it); without it both are reported as
//! ignored, with a line saying why. With `TME_TEST_POSTGRES_URL` the suite also runs on a
//! scratch PostgreSQL database.

#[path = "../../crates/tme-core/tests/support/scratch.rs"]
#[allow(
    dead_code,
    reason = "shared support: this test needs a database, not its other helpers"
)]
mod scratch;

use std::path::{Path, PathBuf};
use std::process::Command;

use libtest_mimic::{Arguments, Failed, Trial};

/// Where cargo put this build: the directory above the test binary's `deps/`.
fn build_dir() -> Result<PathBuf, Failed> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    exe.parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .ok_or_else(|| "cannot tell where the build is".into())
}

/// The package as pip would install it: the Python files and the built module, in `root/tme`.
fn lay_out(root: &Path) -> Result<(), Failed> {
    let build = build_dir()?;
    // The copy cargo built for this run (the one beside `deps/` is refreshed by `cargo build`).
    let module = build.join("deps").join("libtme_python.so");
    if !module.exists() {
        return Err(format!(
            "{} is not built; run cargo build -p tme-python",
            module.display()
        )
        .into());
    }
    let package = root.join("tme");
    std::fs::create_dir_all(&package).map_err(|e| e.to_string())?;
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tme");
    for entry in std::fs::read_dir(&source).map_err(|e| e.to_string())? {
        let entry = entry.map_err(|e| e.to_string())?;
        std::fs::copy(entry.path(), package.join(entry.file_name())).map_err(|e| e.to_string())?;
    }
    std::fs::copy(&module, package.join("_tme.abi3.so")).map_err(|e| e.to_string())?;
    Ok(())
}

/// `python ARGS…` with only what the tests need in its environment: the laid-out package on
/// the path, a home of its own, the `tme` binary, and the PostgreSQL database when there is one.
fn python(
    python: &Path,
    root: &Path,
    home: &Path,
    postgres: Option<&str>,
) -> Result<Command, Failed> {
    let build = build_dir()?;
    let tme = build.join("tme");
    if !tme.exists() {
        return Err(format!("{} is not built; run cargo build", tme.display()).into());
    }
    let mut command = Command::new(python);
    command
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("LANG", "C.UTF-8")
        .env("PYTHONPATH", root)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("TME_TEST_BIN", &tme)
        .env("MYPYPATH", root)
        .current_dir(root);
    // Under scripts/other-dates.sh the interpreter runs at the other date too.
    for (name, value) in std::env::vars_os() {
        if name == "LD_PRELOAD" || name.to_string_lossy().starts_with("FAKETIME") {
            command.env(name, value);
        }
    }
    if let Some(url) = postgres {
        command.env("TME_TEST_POSTGRES_URL", url);
    }
    Ok(command)
}

fn run(mut command: Command, what: &str) -> Result<String, Failed> {
    let out = command
        .output()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() {
        Ok(text)
    } else {
        Err(format!("{what} failed:\n{text}").into())
    }
}

fn pytest(interpreter: &Path) -> Result<(), Failed> {
    let root = tempfile::tempdir().map_err(|e| e.to_string())?;
    let home = tempfile::tempdir().map_err(|e| e.to_string())?;
    lay_out(root.path())?;
    let scratch = match scratch::server() {
        Some(admin) => Some(scratch::Scratch::new(&admin)?),
        None => None,
    };
    let mut command = python(
        interpreter,
        root.path(),
        home.path(),
        scratch.as_ref().map(|s| s.url.as_str()),
    )?;
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    command.arg("-m").arg("pytest").arg(tests).args([
        "-q",
        "-rs",
        "-p",
        "no:cacheprovider",
        "-W",
        "error::pytest.PytestUnraisableExceptionWarning",
    ]);
    let report = run(command, "pytest")?;
    let summary = report.lines().last().unwrap_or_default();
    eprintln!("pytest: {summary}");
    Ok(())
}

fn stubtest(interpreter: &Path) -> Result<(), Failed> {
    let root = tempfile::tempdir().map_err(|e| e.to_string())?;
    let home = tempfile::tempdir().map_err(|e| e.to_string())?;
    lay_out(root.path())?;
    let mut command = python(interpreter, root.path(), home.path(), None)?;
    command.args(["-m", "mypy.stubtest", "tme"]);
    run(command, "stubtest").map(|_| ())
}

fn main() {
    let arguments = Arguments::from_args();
    let interpreter = std::env::var_os("TME_TEST_PYTHON").map(PathBuf::from);
    if interpreter.is_none() {
        eprintln!(
            "The Python tests did not run: set TME_TEST_PYTHON to a Python with the packages of \
             python/tests/requirements.txt; .ci/run does"
        );
    }
    let trial = |name: &str, test: fn(&Path) -> Result<(), Failed>| {
        let missing = interpreter.is_none();
        let interpreter = interpreter.clone();
        Trial::test(name, move || {
            test(&interpreter.ok_or("TME_TEST_PYTHON is not set")?)
        })
        .with_ignored_flag(missing)
    };
    let trials = vec![
        trial("python::pytest", pytest),
        trial("python::stubtest", stubtest),
    ];
    libtest_mimic::run(&arguments, trials).exit();
}
