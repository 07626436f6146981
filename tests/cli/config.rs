//! `tme config`, config files and `--db`.

use crate::support::{Sandbox, TestResult};

#[test]
fn config_shows_values_and_sources() -> TestResult {
    let s = Sandbox::new();
    let file = s.config("week_start: sunday\nurgency:\n  due: 20\n");
    std::fs::write(s.work().join(".env"), "TME_LOG_LEVEL=debug\n")?;
    let out = s.ok(&["config"]);
    let line = |key: &str| {
        out.lines()
            .find(|l| l.starts_with(key))
            .map(str::to_string)
            .unwrap_or_default()
    };
    assert!(line("week_start").contains("sunday"), "{out}");
    assert!(
        line("week_start").contains(&format!("file {}", file.display())),
        "{out}"
    );
    assert!(line("urgency.due").contains("20"), "{out}");
    assert!(line("log.level").contains("TME_LOG_LEVEL in"), "{out}");
    assert!(line("time_zone").contains("environment TZ"), "{out}");
    assert!(line("now").contains("environment TME_NOW"), "{out}");
    let json: serde_json::Value = serde_json::from_str(&s.ok(&["config", "--json"]))?;
    assert_eq!(json["database_url"]["source"], "default");
    Ok(())
}

#[test]
fn a_bad_config_file_names_file_line_and_key() -> TestResult {
    let s = Sandbox::new();
    let file = s.path().join("bad.yaml");
    std::fs::write(&file, "week_start: monday\nlog:\n  level: shouting\n")?;
    let stderr = s.fails(&["--config", file.to_str().ok_or("path")?, "list"], 2);
    assert!(
        stderr.contains(&format!(
            "{}, line 3: log.level: unknown variant `shouting`",
            file.display()
        )),
        "{stderr}"
    );
    let missing = s.fails(&["--config", "/nonexistent/tme.yaml", "list"], 2);
    assert!(
        missing.contains("cannot read config file /nonexistent/tme.yaml"),
        "{missing}"
    );
    Ok(())
}

#[test]
fn db_flag_and_environment_choose_the_file() -> TestResult {
    let s = Sandbox::new();
    let a = s.path().join("a.redb");
    let b = s.path().join("b.redb");
    s.ok(&["--db", a.to_str().ok_or("path")?, "add", "in a"]);
    s.cmd()
        .env("TME_DATABASE_URL", format!("redb://{}", b.display()))
        .args(["add", "in b"])
        .assert()
        .success();
    let list_a = s.ok(&["--db", a.to_str().ok_or("path")?, "list"]);
    assert!(list_a.contains("in a") && !list_a.contains("in b"));
    let out = s
        .cmd()
        .env("TME_DATABASE_URL", b.to_str().ok_or("path")?)
        .args(["list"])
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("in b"));
    assert!(!s.db().exists(), "the default database was never created");
    Ok(())
}

#[test]
fn the_null_device_is_no_config_and_a_pipe_or_directory_is_refused_at_once() -> TestResult {
    let s = Sandbox::new();
    let out = s
        .cmd()
        .env("TME_CONFIG", "/dev/null")
        .arg("list")
        .output()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = s.path().join("conf.d");
    std::fs::create_dir_all(&dir)?;
    let pipe = s.path().join("config.fifo");
    let made = std::process::Command::new("mkfifo").arg(&pipe).status()?;
    assert!(made.success());
    for (path, what) in [(&dir, "directory"), (&pipe, "named pipe")] {
        let started = std::time::Instant::now();
        let out = s.cmd().env("TME_CONFIG", path).arg("list").output()?;
        assert_eq!(out.status.code(), Some(2), "a {what}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("it is not a regular file"),
            "a {what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "a {what} hung"
        );
    }
    Ok(())
}

#[test]
fn the_db_flag_takes_a_server_url_too() {
    let s = Sandbox::new();
    let shown = s.ok(&["--db", "postgres://ann:s3cret@127.0.0.1:1/none", "config"]);
    let line = shown
        .lines()
        .find(|l| l.starts_with("database_url"))
        .unwrap_or_default();
    assert!(
        line.contains("postgres://ann:***@127.0.0.1:1/none") && line.contains("flag --db"),
        "{shown}"
    );
    // It is a server to reach, not a directory to look for.
    let err = s.fails(
        &["--db", "postgres://ann:s3cret@127.0.0.1:1/none", "status"],
        1,
    );
    assert!(
        err.contains("cannot connect") && !err.contains("s3cret"),
        "{err}"
    );
    let err = s.fails(&["--db", "postgres://", "status"], 2);
    assert!(
        err.contains("flag --db: database URL 'postgres://' is not understood"),
        "{err}"
    );
}
