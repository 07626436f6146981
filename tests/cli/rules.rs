//! Automation rules from the config file: set off by events, run in the same command (one
//! undo reverts them), stopped when they set each other off too deep, and tried without saving.

use crate::support::{Sandbox, TestResult};

const RULES: &str = "\
rules:
  - name: put-away
    on: complete
    if: \"#Shopping\"
    do:
      - add: \"Put the {title} away #Home due:today\"
      - notify: \"Done: {title}\"
  - name: follow-up
    on: [add]
    if: \"+call\"
    do:
      - modify: \"+followup pri:H\"
      - annotate: \"follow up with {title}\"
  - name: ping-pong
    on: add
    if: \"ping\"
    do:
      - add: \"ping again\"
";

fn config(s: &Sandbox, text: &str) -> Result<String, Box<dyn std::error::Error>> {
    let path = s.path().join("rules.yaml");
    std::fs::write(&path, text)?;
    Ok(path.to_string_lossy().into_owned())
}

#[test]
fn rules_run_with_the_change_and_undo_with_it() -> TestResult {
    let s = Sandbox::new();
    let c = config(&s, RULES)?;
    let run = |args: &[&str]| s.cmd().args(["--config", c.as_str()]).args(args).assert();
    run(&["add", "Buy groceries #Shopping"]).success();
    let done = run(&["done", "1"]).success();
    let err = String::from_utf8_lossy(&done.get_output().stderr).into_owned();
    assert_eq!(err, "tme: rule: Done: Buy groceries\n");
    let tasks = s.json(&["--config", &c, "list", "--json"]);
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0]["title"], "Put the Buy groceries away");
    assert_eq!(tasks[0]["category"], "Home");
    run(&["undo"]).success();
    let tasks = s.all_json();
    assert_eq!(tasks.len(), 1, "undo took the rule's task away too");
    assert_eq!(tasks[0]["status"], "pending");

    run(&["add", "Phone the bank +call"]).success();
    let bank = s.json(&["--config", &c, "list", "+call", "--json"]);
    assert_eq!(bank[0]["priority"], "H");
    assert_eq!(
        bank[0]["annotations"][0]["text"],
        "follow up with Phone the bank"
    );
    Ok(())
}

#[test]
fn rules_that_set_each_other_off_stop_and_say_so() -> TestResult {
    let s = Sandbox::new();
    let c = config(&s, RULES)?;
    let out = s
        .cmd()
        .args(["--config", &c, "add", "ping"])
        .assert()
        .success();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("rules set each other off more than 5 deep"),
        "{err}"
    );
    assert_eq!(
        s.all_json().len(),
        6,
        "the task and five rounds of the rule"
    );
    Ok(())
}

#[test]
fn rules_are_listed_and_tried_without_saving() -> TestResult {
    let s = Sandbox::new();
    let c = config(&s, RULES)?;
    s.ok(&["--config", &c, "add", "Buy groceries #Shopping"]);
    let list = s.ok(&["--config", &c, "rules"]);
    assert!(
        list.starts_with(
            "put-away  on complete\n  add      Put the {title} away #Home due:today\n"
        ),
        "{list}"
    );
    let tried = s.ok(&["--config", &c, "rules", "test", "put-away", "1"]);
    assert_eq!(
        tried,
        "Rule 'put-away' for task 1 would:\n  add task 2: 'Put the Buy groceries away'\n  say: Done: Buy groceries\n(nothing was saved)\n"
    );
    assert_eq!(s.all_json().len(), 1);
    assert!(
        s.fails(&["--config", &c, "rules", "test", "nope", "1"], 2)
            .contains("there is no rule 'nope'")
    );
    let bad = config(
        &s,
        "rules:\n  - name: x\n    on: finish\n    do: [{add: y}]\n",
    )?;
    assert!(
        s.fails(&["--config", &bad, "list"], 2)
            .contains("rules[0].on: 'finish' is not an event")
    );
    Ok(())
}
