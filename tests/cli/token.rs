//! `tme token`: a token's secret is printed once and never kept (only its hash is), names are
//! used once, roles, categories and expiry dates are checked, revoking works, a copy of the
//! database carries the tokens, and nothing of a secret shows in a list.

use crate::support::{Sandbox, TestResult};

/// The secret a `tme token create` printed.
fn secret_of(out: &str) -> String {
    out.lines()
        .find(|line| line.starts_with("tme_"))
        .unwrap_or_else(|| panic!("no secret in {out}"))
        .to_string()
}

#[test]
fn tokens_are_made_listed_and_revoked() -> TestResult {
    let s = Sandbox::new();
    assert!(s.ok(&["token", "list"]).starts_with("No tokens."));
    let made = s.ok(&[
        "token",
        "create",
        "ci-bot",
        "--role",
        "write",
        "--expires",
        "90d",
    ]);
    assert!(
        made.starts_with("Created token 'ci-bot' (write)."),
        "{made}"
    );
    let secret = secret_of(&made);
    assert_eq!(secret.len(), "tme_".len() + 64, "{secret}");
    let viewer = s.ok(&["token", "create", "viewer", "--category", "Work"]);
    assert!(viewer.contains("(read, in Work)"), "{viewer}");
    assert_ne!(secret_of(&viewer), secret);

    let list = s.ok(&["token", "list"]);
    // The pinned clock is 2026-11-26 09:00 in Berlin: 90 days on.
    assert_eq!(
        list,
        "ci-bot  write  until 2027-02-24\nviewer  read, in Work  no expiry\n"
    );
    let json = s.json(&["token", "list", "--json"]);
    assert_eq!(json.len(), 2);
    assert_eq!(json[0]["role"], "write");
    assert_eq!(json[1]["category"], "Work");
    // Neither a listing nor the database file holds the secret (the file is bytes, not text).
    let hex = &secret.as_bytes()["tme_".len()..];
    let file = std::fs::read(s.db())?;
    assert!(!file.is_empty(), "the database file was not read");
    assert!(
        !file.windows(hex.len()).any(|w| w == hex),
        "the secret was kept in the database file"
    );
    assert!(
        !format!("{list}{json:?}").contains(&secret[4..]),
        "the secret was shown"
    );

    // A copy carries the tokens.
    let copy = s.path().join("copy.redb").to_string_lossy().into_owned();
    s.ok(&["copy", "--to", &copy]);
    assert_eq!(s.ok(&["--db", &copy, "token", "list"]), list);

    assert_eq!(
        s.ok(&["token", "revoke", "ci-bot"]),
        "Revoked token 'ci-bot'.\n"
    );
    assert_eq!(
        s.ok(&["token", "list"]),
        "viewer  read, in Work  no expiry\n"
    );
    assert!(s.ok(&["check"]).contains("is sound"));
    Ok(())
}

#[test]
fn bad_token_requests_are_refused_by_name() {
    let s = Sandbox::new();
    s.ok(&["token", "create", "taken"]);
    for (args, says) in [
        (
            &["token", "create", "taken"][..],
            "a token named 'taken' exists",
        ),
        (
            &["token", "create", "has space"],
            "'has space' cannot name a token",
        ),
        (
            &["token", "create", "x", "--role", "owner"],
            "'owner' is not a role",
        ),
        (
            &["token", "create", "x", "--category", "no such!"],
            "'no such!' contains ' '",
        ),
        (
            &["token", "create", "x", "--expires", "yesterday"],
            "is in the past",
        ),
        (
            &["token", "create", "x", "--expires", "soonish"],
            "neither a duration",
        ),
        (
            &["token", "revoke", "nobody"],
            "there is no token named 'nobody'",
        ),
    ] {
        let err = s.fails(args, 2);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    assert_eq!(s.ok(&["token", "list"]).lines().count(), 1);
}
