//! `tme sync` end to end: real `tme` processes on files of their own, each a replica of a
//! real `tme serve`, as people on two machines would use them.

use std::path::PathBuf;

use crate::serve::{Server, token};
use crate::support::{Sandbox, TestResult};

/// One machine: a sandbox whose config names the server, with a person and a token.
struct Machine {
    sandbox: Sandbox,
    token: String,
    user: &'static str,
}

impl Machine {
    fn new(server: &str, token: &str, user: &'static str, extra: &str) -> Machine {
        let sandbox = Sandbox::new();
        sandbox.config(&format!(
            "sync:\n  server: {server}\n  machine: {user}-laptop\n  auto: false\n{extra}"
        ));
        Machine {
            sandbox,
            token: token.to_string(),
            user,
        }
    }

    fn cmd(&self, args: &[&str]) -> assert_cmd::assert::Assert {
        self.sandbox
            .cmd()
            .env("TME_SYNC_TOKEN", &self.token)
            .env("USER", self.user)
            .args(args)
            .assert()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd(args).success();
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    }

    fn tasks(&self) -> Vec<serde_json::Value> {
        let out = self.ok(&["list", "--all", "--json"]);
        let mut tasks: Vec<serde_json::Value> =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
        for task in &mut tasks {
            // What is worked out from the clock of the moment is not what is compared.
            if let Some(fields) = task.as_object_mut() {
                fields.remove("urgency");
            }
        }
        tasks
    }
}

fn server() -> (Sandbox, Server, String) {
    let home = Sandbox::new();
    let secret = token(&home, &["team", "--role", "write"]);
    let server = Server::start(&home);
    (home, server, secret)
}

#[test]
fn two_machines_work_offline_and_converge_through_a_real_server() -> TestResult {
    let (_home, server, secret) = server();
    let ann = Machine::new(&server.base, &secret, "ann", "");
    let bob = Machine::new(&server.base, &secret, "bob", "");
    ann.ok(&["add", "Pay rent project:Finance pri:M"]);
    let first = ann.ok(&["sync"]);
    assert!(first.starts_with("Synced: pushed "), "{first}");
    bob.ok(&["sync"]);
    assert_eq!(bob.tasks()[0]["title"], "Pay rent");
    // Offline, both change the same field, and each adds a task (taking the same id).
    ann.ok(&["modify", "1", "pri:H"]);
    bob.ok(&["modify", "1", "pri:L"]);
    assert_eq!(ann.ok(&["add", "Book flights"]), "Created task 2.\n");
    assert_eq!(bob.ok(&["add", "Renew passport"]), "Created task 2.\n");
    ann.ok(&["sync"]);
    let told = bob.ok(&["sync"]);
    assert!(told.contains("Task 2 is now task 3"), "{told}");
    let told = ann.ok(&["sync"]);
    assert!(
        told.contains("your priority of task 1 'Pay rent' (H) lost to bob via cli on bob-laptop"),
        "{told}"
    );
    assert_eq!(ann.tasks(), bob.tasks());
    let listed = ann.ok(&["conflicts"]);
    let number = listed
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(
        listed.contains("priority H by ann via cli on ann-laptop"),
        "{listed}"
    );
    assert!(
        bob.ok(&["conflicts"])
            .contains("No open conflicts of yours")
    );
    ann.ok(&["conflicts", "take", &number]);
    ann.ok(&["sync"]);
    bob.ok(&["sync"]);
    assert_eq!(bob.tasks()[0]["priority"], "H");
    let history = bob.ok(&["history", "1"]);
    assert!(
        history.contains("ann via cli on ann-laptop (token team)"),
        "{history}"
    );
    assert!(
        history.contains("conflict: priority H of ann via cli on ann-laptop"),
        "{history}"
    );
    // Undo of a synced command is a new command everyone sees.
    bob.ok(&["modify", "3", "+urgent"]);
    bob.ok(&["sync"]);
    bob.ok(&["undo"]);
    bob.ok(&["sync"]);
    ann.ok(&["sync"]);
    assert_eq!(ann.tasks(), bob.tasks());
    let three = ann.tasks().into_iter().find(|t| t["id"] == 3);
    let three = three.unwrap_or_else(|| panic!("task 3 is gone"));
    assert_eq!(three["title"], "Renew passport");
    assert!(
        three.get("tags").is_none(),
        "the undo took +urgent back: {three}"
    );
    Ok(())
}

#[test]
fn each_changing_command_syncs_by_itself_and_offline_says_nothing() -> TestResult {
    let (_home, server, secret) = server();
    let config = |server: &str| format!("sync:\n  server: {server}\n  machine: desk\n");
    let ann = Machine::new(&server.base, &secret, "ann", "");
    ann.sandbox.config(&config(&server.base));
    let out = ann.cmd(&["add", "Water the plants"]).success();
    assert!(out.get_output().stderr.is_empty());
    let bob = Machine::new(&server.base, &secret, "bob", "");
    bob.ok(&["sync"]);
    assert_eq!(
        bob.tasks().len(),
        1,
        "ann's add was pushed by the add itself"
    );
    // Nothing answers there: the command works, the change waits.
    let away = Machine::new("http://127.0.0.1:9", &secret, "ann", "");
    away.sandbox.config(&config("http://127.0.0.1:9"));
    let out = away.cmd(&["add", "Offline"]).success();
    assert!(out.get_output().stderr.is_empty(), "{:?}", out.get_output());
    let refused = away.cmd(&["sync"]).code(1);
    let said = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(
        said.contains("http://127.0.0.1:9 could not be reached"),
        "{said}"
    );
    let status = away.ok(&["sync", "--status"]);
    assert!(
        status.contains("command(s) made here wait to be pushed"),
        "{status}"
    );
    assert!(!status.contains("\n0 command(s)"), "{status}");
    Ok(())
}

#[test]
fn the_token_comes_from_the_environment_or_a_private_file_never_the_config() -> TestResult {
    let (_home, server, secret) = server();
    let mut ann = Machine::new(&server.base, "", "ann", "");
    ann.token = String::new();
    let missing = ann.sandbox.cmd().args(["sync"]).assert().code(1);
    let said = String::from_utf8_lossy(&missing.get_output().stderr).into_owned();
    assert!(said.contains("no sync token"), "{said}");
    let in_config = Machine::new(&server.base, &secret, "ann", "  token: x\n");
    let refused = in_config.cmd(&["sync"]).failure();
    let said = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(said.contains("token"), "{said}");
    let file: PathBuf = ann.sandbox.path().join("home/.config/tme/sync-token");
    std::fs::create_dir_all(file.parent().unwrap_or(&file))?;
    std::fs::write(&file, format!("{secret}\n"))?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644))?;
    let open = ann.sandbox.cmd().args(["sync"]).assert().code(1);
    let said = String::from_utf8_lossy(&open.get_output().stderr).into_owned();
    assert!(
        said.contains("can be read by others") && said.contains("chmod 600"),
        "{said}"
    );
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))?;
    ann.sandbox.cmd().args(["sync"]).assert().success();
    Ok(())
}

#[test]
fn a_token_limited_to_a_category_cannot_sync_and_plain_http_stays_on_this_machine() -> TestResult {
    let (home, server, _) = server();
    let limited = token(
        &home,
        &["work-only", "--role", "write", "--category", "Work"],
    );
    let ann = Machine::new(&server.base, &limited, "ann", "");
    let refused = ann.cmd(&["sync"]).code(1);
    let said = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(
        said.contains("403") && said.contains("reaches only #Work"),
        "{said}"
    );
    let far = Machine::new("http://tasks.example.org", &limited, "ann", "");
    let refused = far.cmd(&["sync"]).code(1);
    let said = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(
        said.contains("plain http is taken only to this machine"),
        "{said}"
    );
    Ok(())
}

/// The README's sync session, pasted into bash as it is (on a free port instead of 8080): two
/// machines' files and a server; both changes stand, and the history names the machines.
#[test]
fn the_readme_sync_session_works_when_pasted_into_bash() {
    let out = crate::support::readme_session("sync session");
    let said = String::from_utf8_lossy(&out.stdout);
    let errors = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}{errors}");
    assert!(errors.is_empty(), "{errors}");
    assert!(said.contains("joined") || said.contains("pulled"), "{said}");
    let listed = said
        .lines()
        .find(|l| l.starts_with(" 1 "))
        .unwrap_or_default();
    assert!(
        listed.contains(" H "),
        "the desk's priority stands on the laptop: {said}"
    );
    assert!(said.contains("via cli on desk"), "{said}");
    assert!(said.contains("via cli on laptop"), "{said}");
    assert!(said.contains("tags: (none) → home"), "{said}");
}
