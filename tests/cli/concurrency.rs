//! Several processes using one database at once.

use std::thread;

use crate::support::{Sandbox, TestResult};

#[test]
fn two_processes_adding_200_tasks_each_end_with_400() -> TestResult {
    let s = Sandbox::new();
    thread::scope(|scope| {
        let workers: Vec<_> = ["a", "b"]
            .into_iter()
            .map(|name| {
                let s = &s;
                scope.spawn(move || {
                    for i in 0..200 {
                        let out = s.cmd().args(["add", &format!("{name} {i}")]).output();
                        let out = out.unwrap_or_else(|e| panic!("cannot run tme: {e}"));
                        assert!(
                            out.status.success(),
                            "{name} {i}: {}",
                            String::from_utf8_lossy(&out.stderr)
                        );
                        assert!(
                            out.stderr.is_empty(),
                            "an error was shown: {}",
                            String::from_utf8_lossy(&out.stderr)
                        );
                    }
                })
            })
            .collect();
        for worker in workers {
            if worker.join().is_err() {
                panic!("a worker failed");
            }
        }
    });
    let tasks = s.all_json();
    assert_eq!(tasks.len(), 400);
    let mut ids: Vec<u64> = tasks.iter().filter_map(|t| t["id"].as_u64()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 400, "every task has its own id");
    Ok(())
}
