//! The bad-input corpus (`tests/corpus/bad-input.tsv`): capture text, filters, dates, config
//! files, import files of every format, hook and plugin output, each with the exit code and the
//! message it must get (every line of stderr, joined by ` | `). None panics, none changes the
//! data.
//!
//! A line is `kind<TAB>input<TAB>exit code<TAB>message`, with `\n`, `\r`, `\t`, `\a` and `\e`
//! in the input standing for those characters. `TME_CORPUS_RECORD=1` rewrites the file with
//! what the binary says now, to be read over before it is committed.

use std::path::Path;

use crate::support::{Sandbox, TestResult};

const CORPUS: &str = "tests/corpus/bad-input.tsv";

fn unescape(text: &str) -> String {
    text.replace("\\n", "\n")
        .replace("\\r", "\r")
        .replace("\\t", "\t")
        .replace("\\a", "\u{7}")
        .replace("\\e", "\u{1b}")
}

/// `text` with every UUID (new with each run) written `<uuid>`.
fn without_uuids(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        let uuid = rest.get(..36).filter(|s| uuid::Uuid::parse_str(s).is_ok());
        match uuid {
            Some(_) => {
                out.push_str("<uuid>");
                rest = &rest[36..];
            }
            None => {
                let c = rest.chars().next().unwrap_or_default();
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// Runs one case; returns its exit code and what it printed on stderr.
fn run(s: &Sandbox, kind: &str, input: &str) -> Result<(i32, String), Box<dyn std::error::Error>> {
    let file = s.path().join("input");
    let hooks = s.path().join("hooks");
    let mut cmd = s.cmd();
    match kind {
        "add" => cmd.args(["add", input]),
        "list" => cmd.args(["list", input]),
        "modify" => cmd.args(["modify", "1", input]),
        "date" => cmd.args(["add", "Dated", &format!("due:{input}")]),
        "config" => {
            s.config(input);
            cmd.arg("list")
        }
        "plugin" => {
            let plugin = s.path().join("plugin");
            std::fs::write(
                &plugin,
                format!(
                    "#!/bin/sh\nread hello\nprintf '%s\\n' '{}'\nsleep 1\n",
                    input.replace('\'', "'\\''")
                ),
            )?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&plugin, std::fs::Permissions::from_mode(0o755))?;
            }
            cmd.env("TME_EXTERNAL_PLUGINS", &plugin).arg("cheer")
        }
        "hook" => {
            std::fs::write(
                hooks.join("on-add.10-case"),
                format!(
                    "#!/bin/sh\nread task\nuuid=$(echo \"$task\" | sed 's/.*\"uuid\":\"\\([^\"]*\\)\".*/\\1/')\nprintf '%s\\n' '{}' | sed \"s/UUID/$uuid/\"\n",
                    input.replace('\'', "'\\''")
                ),
            )?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(
                    hooks.join("on-add.10-case"),
                    std::fs::Permissions::from_mode(0o755),
                )?;
            }
            cmd.env("TME_HOOKS_DIR", &hooks).args(["add", "Hooked"])
        }
        format => {
            std::fs::write(&file, input)?;
            cmd.args(["import", "--format", format]).arg(&file)
        }
    };
    let out = cmd.output()?;
    if kind == "config" {
        std::fs::remove_file(s.config(""))?;
    }
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("panicked"),
        "{kind} {input:?} panicked: {err}"
    );
    let said = err
        .lines()
        .collect::<Vec<_>>()
        .join(" | ")
        .replace(&s.path().display().to_string(), "<sandbox>");
    let said = without_uuids(&said);
    Ok((out.status.code().unwrap_or(-1), said))
}

#[test]
fn every_bad_input_gets_its_message_and_changes_nothing() -> TestResult {
    let s = Sandbox::new();
    std::fs::create_dir_all(s.path().join("hooks"))?;
    s.ok(&["add", "Seed task #Work due:2026-12-01"]);
    let before = s.ok(&["export"]);
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(CORPUS))?;
    let record = std::env::var_os("TME_CORPUS_RECORD").is_some();
    let mut recorded = String::new();
    let mut cases = 0;
    let mut kinds = std::collections::BTreeSet::new();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            recorded.push_str(line);
            recorded.push('\n');
            continue;
        }
        let mut fields = line.split('\t');
        let (kind, input) = (
            fields.next().unwrap_or_default(),
            fields.next().unwrap_or_default(),
        );
        let (code, message) = run(&s, kind, &unescape(input))?;
        cases += 1;
        kinds.insert(kind.to_string());
        if record {
            recorded.push_str(&format!("{kind}\t{input}\t{code}\t{message}\n"));
            continue;
        }
        let expected_code: i32 = fields.next().unwrap_or_default().parse()?;
        let expected_message = fields.next().unwrap_or_default();
        assert_eq!(
            (code, message.as_str()),
            (expected_code, expected_message),
            "{kind} {input:?}"
        );
        assert_ne!(code, 0, "{kind} {input:?} was accepted");
        assert_eq!(
            s.ok(&["export"]),
            before,
            "{kind} {input:?} changed the data"
        );
    }
    if record {
        std::fs::write(Path::new(env!("CARGO_MANIFEST_DIR")).join(CORPUS), recorded)?;
    }
    assert!(cases >= 100, "the corpus has {cases} cases");
    assert_eq!(
        kinds.len(),
        11,
        "every kind of input is in the corpus: {kinds:?}"
    );
    Ok(())
}
