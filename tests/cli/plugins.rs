//! External plugins: a good one (events and a subcommand), hostile ones (crash, hang, garbage,
//! a flood), and `tme-NAME` on the PATH.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::support::{Sandbox, TestResult};

fn script(dir: &Path, name: &str, body: &str) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}"))?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))?;
    Ok(path)
}

const CHEER: &str = r#"while read line; do
  case "$line" in
    *'"hello"'*) echo '{"plugin":"cheer","version":"1.0","protocol":1,"events":["complete"],"commands":[{"name":"cheer","about":"Cheers"}]}' ;;
    *'"event"'*) echo '{"ok":true,"messages":["well done"]}' ;;
    *'"command"'*) echo '{"print":"hip hip"}'; echo '{"print":"hooray"}'; echo '{"done":true,"code":0}' ;;
    *'"bye"'*) exit 0 ;;
  esac
done
"#;

#[test]
fn a_plugin_anyone_may_change_is_not_run() -> TestResult {
    let s = Sandbox::new();
    let cheer = script(s.path(), "cheer", CHEER)?;
    std::fs::set_permissions(&cheer, std::fs::Permissions::from_mode(0o757))?;
    let out = s
        .cmd()
        .env("TME_EXTERNAL_PLUGINS", &cheer)
        .args(["cheer"])
        .output()?;
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "it is writable by anyone, so it is not run (chmod o-w it); it is off for this run"
        ),
        "{err}"
    );
    assert_eq!(out.status.code(), Some(2), "its command is unknown: {err}");
    assert!(out.stdout.is_empty(), "it did not run");
    Ok(())
}

#[test]
fn a_plugin_hears_events_and_adds_a_subcommand() -> TestResult {
    let s = Sandbox::new();
    let cheer = script(s.path(), "cheer", CHEER)?;
    let tme = |args: &[&str]| {
        s.cmd()
            .env("TME_EXTERNAL_PLUGINS", &cheer)
            .args(args)
            .assert()
    };
    tme(&["add", "Write report"]).success();
    let done = tme(&["done", "1"]).success();
    let err = String::from_utf8_lossy(&done.get_output().stderr).into_owned();
    assert_eq!(err, "cheer: well done\n");
    let out = tme(&["cheer"]).success();
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout),
        "hip hip\nhooray\n"
    );
    Ok(())
}

#[test]
fn hostile_plugins_are_reported_and_switched_off() -> TestResult {
    let s = Sandbox::new();
    let config = s.path().join("config.yaml");
    std::fs::write(&config, "plugins:\n  timeout: 1s\n")?;
    let crash = script(s.path(), "crash", "exit 3\n")?;
    let hang = script(s.path(), "hang", "sleep 30\n")?;
    let garbage = script(
        s.path(),
        "garbage",
        "read line\necho 'this is not json'\nsleep 30\n",
    )?;
    let flood = script(
        s.path(),
        "flood",
        "read line\nhead -c 3000000 /dev/zero | tr '\\0' x\nsleep 30\n",
    )?;
    // A plugin that is gone is found out either writing to it or reading from it.
    let gone = ["ended", "stopped listening"];
    for (plugin, says) in [
        (&crash, &gone[..]),
        (&hang, &["did not answer within 1.0 s"][..]),
        (
            &garbage,
            &["answered with something that is not a JSON object: this is not json"][..],
        ),
        (&flood, &gone[..]),
    ] {
        let started = Instant::now();
        let out = s
            .cmd()
            .env("TME_EXTERNAL_PLUGINS", plugin)
            .args(["--config", &config.to_string_lossy(), "add", "Still saved"])
            .assert()
            .success();
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(
            says.iter().any(|s| err.contains(s)) && err.contains("it is off for this run"),
            "{}: {err}",
            plugin.display()
        );
        assert!(
            started.elapsed().as_secs() < 10,
            "{} held the command up",
            plugin.display()
        );
    }
    assert_eq!(s.all_json().len(), 4, "every add was saved");
    Ok(())
}

#[test]
fn tme_name_runs_tme_dash_name_on_the_path() -> TestResult {
    let s = Sandbox::new();
    let bin = s.path().join("bin");
    std::fs::create_dir_all(&bin)?;
    script(&bin, "tme-hello", "echo \"hello $*\"\nexit 4\n")?;
    let path = format!("{}:/usr/bin:/bin", bin.display());
    let out = s
        .cmd()
        .env("PATH", &path)
        .args(["hello", "a", "b"])
        .assert()
        .code(1);
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout),
        "hello a b\n"
    );
    let err = s.cmd().env("PATH", &path).args(["nosuch"]).assert().code(2);
    assert!(
        String::from_utf8_lossy(&err.get_output().stderr).contains("'nosuch' is not a tme command")
    );
    Ok(())
}
