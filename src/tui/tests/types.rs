//! Task types in the TUI: quick add reads a type's attributes, the edit form shows and
//! changes them, and the filter line compares them.

use ratatui::crossterm::event::KeyCode;

use super::Harness;
use crate::domain::{AttrValue, TaskId};

const CONFIG: &str = "\
types:
  experiment:
    hypothesis: { kind: string, required: true }
    samples: { kind: number, default: 30 }
";

#[test]
fn quick_add_edit_and_filter_with_attributes() {
    let mut h = Harness::with_config(CONFIG);
    h.load();
    h.key('a');
    h.type_text("Dropout type:experiment hypothesis:helps samples:many");
    assert!(
        h.screen(100, 24)
            .contains("experiment's samples must be a number")
    );
    for _ in 0.."many".len() {
        h.press(KeyCode::Backspace);
    }
    h.type_text("50");
    let screen = h.screen(100, 24);
    assert!(
        screen.contains("samples: 50") && screen.contains("hypothesis: helps"),
        "{screen}"
    );
    h.press(KeyCode::Enter);
    let task = h.engine.task(TaskId(1)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(task.attrs.get("samples"), Some(&AttrValue::Number(50.0)));

    h.key('e');
    let screen = h.screen(100, 30);
    assert!(screen.contains("hypothesis:helps samples:50"), "{screen}");
    // Down to the Attributes line (the last one), and 50 becomes 20.
    for _ in 0..14 {
        h.press(KeyCode::Tab);
    }
    h.press(KeyCode::Backspace);
    h.press(KeyCode::Backspace);
    h.type_text("20");
    h.press(KeyCode::Enter);
    let task = h.engine.task(TaskId(1)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(task.attrs.get("samples"), Some(&AttrValue::Number(20.0)));

    // The modify prompt reads the attributes of the selected task's type.
    h.key('m');
    h.type_text("samples:25");
    h.press(KeyCode::Enter);
    let task = h.engine.task(TaskId(1)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(task.attrs.get("samples"), Some(&AttrValue::Number(25.0)));
    assert_eq!(task.title, "Dropout", "samples:25 is not a title");
    h.key('m');
    h.type_text("samples:20");
    h.press(KeyCode::Enter);

    h.add("Baseline type:experiment hypothesis:none");
    h.load();
    h.key('/');
    h.type_text("samples.gt:25");
    h.press(KeyCode::Enter);
    assert_eq!(
        h.titles(),
        ["Baseline"],
        "the default 30 passes, 20 does not"
    );
}
