//! The TUI in a real terminal: tmux runs `tme`, keys are sent to it, and the screen is read
//! back. Needs tmux (`apt-get install tmux`; `.ci/run` installs it).

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use crate::support::{NOW, Sandbox, TestResult};

/// A tmux server of its own, so the test never touches the user's sessions.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    pub fn start(shell_dir: &Path) -> Result<Tmux, Box<dyn std::error::Error>> {
        Tmux::start_sized(shell_dir, 100, 30)
    }

    /// A server whose window is `width` by `height`.
    pub fn start_sized(
        shell_dir: &Path,
        width: u16,
        height: u16,
    ) -> Result<Tmux, Box<dyn std::error::Error>> {
        let version = Command::new("tmux").arg("-V").output();
        if !version.is_ok_and(|o| o.status.success()) {
            return Err("this test drives the TUI through tmux, which is not installed: run `apt-get install tmux` (or .ci/run, which installs it)".into());
        }
        // A server per test: tests run in parallel, and each kills its own server when done.
        static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let socket = format!("tme-test-{}-{n}", std::process::id());
        let tmux = Tmux { socket };
        let (width, height) = (width.to_string(), height.to_string());
        let out = tmux.run(&[
            "new-session",
            "-d",
            "-x",
            &width,
            "-y",
            &height,
            "-s",
            "tme",
            "-c",
            &shell_dir.display().to_string(),
            "sh",
        ])?;
        if !out.status.success() {
            return Err(format!(
                "tmux failed to start: {}",
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        Ok(tmux)
    }

    pub fn run(&self, args: &[&str]) -> std::io::Result<Output> {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
    }

    pub fn keys(&self, keys: &[&str]) -> TestResult {
        let mut args = vec!["send-keys", "-t", "tme"];
        args.extend_from_slice(keys);
        self.run(&args)?;
        Ok(())
    }

    pub fn type_text(&self, text: &str) -> TestResult {
        self.run(&["send-keys", "-t", "tme", "-l", text])?;
        Ok(())
    }

    pub fn screen(&self) -> String {
        self.run(&["capture-pane", "-t", "tme", "-p"])
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default()
    }

    /// Waits until the screen shows `text`.
    pub fn wait_for(
        &self,
        text: &str,
        within: Duration,
    ) -> Result<String, Box<dyn std::error::Error>> {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return Ok(screen);
            }
            if start.elapsed() > within {
                return Err(format!(
                    "'{text}' did not appear within {within:?}; the screen:\n{screen}"
                )
                .into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

/// The shell command that starts the TUI on the sandbox's data at `now`.
pub fn launch(s: &Sandbox, now: &str) -> String {
    let tme = assert_cmd::cargo::cargo_bin("tme");
    let home = s.path().join("home");
    format!(
        "env -i TERM=\"$TERM\" PATH=\"$PATH\" HOME='{home}' XDG_CONFIG_HOME='{home}/.config' XDG_DATA_HOME='{home}/.local/share' XDG_STATE_HOME='{home}/.local/state' TZ=Europe/Berlin TME_NOW={now} USER=tester '{tme}'",
        home = home.display(),
        tme = tme.display()
    )
}

#[test]
fn the_tui_in_a_real_terminal() -> TestResult {
    let s = Sandbox::new();
    let tmux = Tmux::start(&s.work())?;
    let launch = launch(&s, NOW);
    tmux.type_text(&launch)?;
    tmux.keys(&["Enter"])?;
    tmux.wait_for("No tasks yet", Duration::from_secs(10))?;

    tmux.keys(&["a"])?;
    tmux.wait_for("Add a task", Duration::from_secs(5))?;
    tmux.type_text("Buy oat milk #Shopping due:fri")?;
    tmux.wait_for("2026-11-27 (Fri)", Duration::from_secs(5))?;
    tmux.keys(&["Enter"])?;
    tmux.wait_for("Added task 1 'Buy oat milk'", Duration::from_secs(5))?;
    let screen = tmux.wait_for("1 pending", Duration::from_secs(5))?;
    assert!(
        screen.contains("Shopping") && !screen.contains("Add a task"),
        "{screen}"
    );

    // Another process adds a task while the TUI runs: it appears without a key press.
    s.ok(&["add", "Call the bank #Finance due:today"]);
    let screen = tmux.wait_for("Call the bank", Duration::from_secs(5))?;
    assert!(screen.contains("2 pending"), "{screen}");

    // The tree view: a subtask added in place with o hangs under its parent.
    tmux.keys(&["2", "g"])?;
    tmux.wait_for("goals, then what each waits on", Duration::from_secs(5))?;
    tmux.keys(&["o"])?;
    tmux.wait_for("Add a task", Duration::from_secs(5))?;
    tmux.type_text("Find the oat milk aisle")?;
    tmux.keys(&["Enter"])?;
    let screen = tmux.wait_for(
        "└─ ○ 3 Find the oat milk aisle  subtask",
        Duration::from_secs(5),
    )?;
    assert!(screen.contains("[0/1]"), "{screen}");
    tmux.keys(&["1"])?;

    tmux.keys(&["q"])?;
    let start = Instant::now();
    while tmux
        .run(&["display", "-p", "-t", "tme", "#{alternate_on}"])?
        .stdout
        != b"0\n"
    {
        if start.elapsed() > Duration::from_secs(5) {
            return Err(format!("the alternate screen is still on:\n{}", tmux.screen()).into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let stty = s.path().join("stty.txt");
    tmux.type_text(&format!("stty -a > '{}'", stty.display()))?;
    tmux.keys(&["Enter"])?;
    let start = Instant::now();
    let modes = loop {
        match std::fs::read_to_string(&stty) {
            Ok(text) if !text.is_empty() => break text,
            _ if start.elapsed() > Duration::from_secs(5) => {
                return Err("stty did not run: the shell is not back".into());
            }
            _ => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    let words: Vec<&str> = modes.split_whitespace().collect();
    assert!(
        words.contains(&"icanon") && words.contains(&"echo"),
        "the terminal is still raw: {modes}"
    );
    let tasks = s.all_json();
    assert_eq!(tasks.len(), 3);
    let aisle = tasks.iter().find(|t| t["id"] == 3).ok_or("no task 3")?;
    assert_eq!(aisle["parent"], 1);
    Ok(())
}
