//! Task types from the command line: attributes read, checked, filtered, shown, and kept when
//! the type is no longer declared.

use crate::support::{Sandbox, TestResult};

const TYPES: &str = "\
types:
  experiment:
    hypothesis: { kind: string, required: true }
    samples: { kind: number, default: 30 }
    stage: { kind: enum, values: [planned, running, done], default: planned }
    started_on: { kind: date }
    runtime: { kind: duration }
    replicated: { kind: bool }
";

fn with_types(s: &Sandbox) -> Result<String, Box<dyn std::error::Error>> {
    let path = s.path().join("types.yaml");
    std::fs::write(&path, TYPES)?;
    Ok(path.to_string_lossy().into_owned())
}

#[test]
fn attributes_are_read_checked_and_filtered() -> TestResult {
    let s = Sandbox::new();
    let config = with_types(&s)?;
    let run = |args: &[&str]| {
        let mut all = vec!["--config", config.as_str()];
        all.extend_from_slice(args);
        s.ok(&all)
    };
    run(&[
        "add",
        "Dropout",
        "type:experiment",
        "hypothesis:\"dropout helps\"",
        "samples:50",
        "runtime:2h",
        "started_on:mon",
        "replicated:yes",
    ]);
    run(&["add", "Baseline", "type:experiment", "hypothesis:none"]);
    let fails = |args: &[&str]| {
        let mut all = vec!["--config", config.as_str()];
        all.extend_from_slice(args);
        s.fails(&all, 2)
    };
    assert_eq!(
        fails(&[
            "add",
            "X",
            "type:experiment",
            "hypothesis:h",
            "samples:many"
        ]),
        "tme: samples:many: experiment's samples must be a number\n"
    );
    assert_eq!(
        fails(&["add", "X", "type:experiment"]),
        "tme: task 3 is of type experiment: it needs hypothesis:<text>\n"
    );
    assert!(
        fails(&["modify", "1", "stage:finished"])
            .contains("stage must be one of planned, running, done")
    );
    assert!(fails(&["list", "samples.gt:lots"]).contains("samples must be a number"));

    let list = |filter: &str| -> Vec<String> {
        let text = run(&["list", filter, "--json"]);
        let tasks: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap_or_default();
        tasks
            .iter()
            .map(|t| t["title"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(list("samples.gt:40"), ["Dropout"]);
    assert_eq!(list("samples:30"), ["Baseline"], "the default");
    assert_eq!(list("stage:planned").len(), 2);
    assert_eq!(list("runtime.gte:90m"), ["Dropout"]);
    assert_eq!(list("replicated:yes"), ["Dropout"]);

    run(&["modify", "1", "samples:80", "stage:done"]);
    let json: serde_json::Value = serde_json::from_str(&run(&["show", "1", "--json"]))?;
    let attrs = &json["attrs"];
    assert_eq!(attrs["samples"], 80.0);
    assert_eq!(attrs["stage"], "done");
    assert_eq!(attrs["hypothesis"], "dropout helps");
    assert_eq!(attrs["runtime"], 7200);
    let show = run(&["show", "1"]);
    assert!(
        show.contains("    samples    80\n") && show.contains("    stage      done\n"),
        "{show}"
    );
    let history = run(&["history", "1"]);
    assert!(
        history.contains("samples:50") && history.contains("samples:80"),
        "{history}"
    );
    Ok(())
}

#[test]
fn values_outlive_their_type() -> TestResult {
    let s = Sandbox::new();
    let config = with_types(&s)?;
    s.ok(&[
        "--config",
        &config,
        "add",
        "Dropout",
        "type:experiment",
        "hypothesis:h",
        "samples:50",
    ]);
    // Without the type declared, nothing is checked and nothing is lost.
    s.ok(&["modify", "1", "+lab"]);
    let tasks = s.all_json();
    assert_eq!(tasks[0]["attrs"]["samples"], 50.0);
    assert_eq!(tasks[0]["type"], "experiment");
    // Unknown name:value words stay in the title when no type claims them.
    s.ok(&["add", "Measure samples:5"]);
    let tasks = s.all_json();
    assert!(tasks.iter().any(|t| t["title"] == "Measure samples:5"));
    Ok(())
}
