//! Files that are not TME databases, or are damaged, get a clear error and are never changed.

use crate::support::{Sandbox, TestResult};

fn refused(s: &Sandbox, contents: &[u8], message: &str) -> TestResult {
    let path = s.path().join("data.redb");
    std::fs::write(&path, contents)?;
    let stderr = s.fails(&["--db", path.to_str().ok_or("path")?, "list"], 1);
    assert!(stderr.contains(message), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(std::fs::read(&path)?, contents, "the file was changed");
    Ok(())
}

#[test]
fn not_a_database() -> TestResult {
    let s = Sandbox::new();
    refused(&s, b"my shopping list\n", "is not a TME database")?;
    refused(&s, b"", "is an empty file")?;
    Ok(())
}

#[test]
fn truncated_and_corrupted_databases() -> TestResult {
    let s = Sandbox::new();
    for i in 0..30 {
        s.ok(&["add", &format!("task {i}")]);
    }
    let good = std::fs::read(s.db())?;
    refused(&s, &good[..good.len() / 2], "is damaged")?;
    refused(&s, &good[..100], "is damaged")?;
    let mut flipped = good.clone();
    for byte in flipped.iter_mut().skip(4096).take(8192) {
        *byte ^= 0x5a;
    }
    let path = s.path().join("flipped.redb");
    std::fs::write(&path, &flipped)?;
    let out = s
        .cmd()
        .args(["--db", path.to_str().ok_or("path")?, "list"])
        .assert();
    let output = out.get_output();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        output.status.code().is_some_and(|c| c == 0 || c == 1),
        "{stderr}"
    );
    Ok(())
}

#[test]
fn a_directory_is_not_a_database() -> TestResult {
    let s = Sandbox::new();
    let stderr = s.fails(&["--db", s.path().to_str().ok_or("path")?, "list"], 1);
    assert!(stderr.contains("it is a directory"), "{stderr}");
    Ok(())
}
