//! Lets flags follow capture text: `tme list #Work --json`.
//!
//! Capture text may contain words starting with `-` (`-errand` removes a tag), so the text
//! arguments accept hyphenated values, and clap would then read a later `--json` as text too.
//! Before parsing, a subcommand's long flags (with their values) are moved in front of its text.
//! Everything after `--` is left alone.

use std::ffi::OsString;

use clap::CommandFactory;

use super::Cli;

/// Moves the long flags of the subcommand to just after its name.
pub fn flags_first(args: Vec<OsString>) -> Vec<OsString> {
    let command = Cli::command();
    let Some(sub_at) = args.iter().skip(1).position(|a| {
        a.to_str()
            .is_some_and(|s| command.find_subcommand(s).is_some())
    }) else {
        return args;
    };
    let sub_at = sub_at + 1;
    let Some(sub) = args[sub_at]
        .to_str()
        .and_then(|s| command.find_subcommand(s))
    else {
        return args;
    };
    let takes_value = |name: &str| -> Option<bool> {
        sub.get_arguments()
            .chain(command.get_arguments())
            .find(|a| a.get_long() == Some(name))
            .map(|a| a.get_action().takes_values())
    };
    let mut flags: Vec<OsString> = Vec::new();
    let mut rest: Vec<OsString> = Vec::new();
    let mut tail = args[sub_at + 1..].iter();
    while let Some(arg) = tail.next() {
        let text = arg.to_str().unwrap_or_default();
        if text == "--" {
            rest.push(arg.clone());
            rest.extend(tail.cloned());
            break;
        }
        let name = text
            .strip_prefix("--")
            .map(|n| n.split_once('=').map_or(n, |(n, _)| n));
        match name.and_then(|n| takes_value(n).map(|v| (v, text.contains('=')))) {
            Some((true, false)) => {
                flags.push(arg.clone());
                flags.extend(tail.next().cloned());
            }
            Some(_) => flags.push(arg.clone()),
            None => rest.push(arg.clone()),
        }
    }
    let mut out: Vec<OsString> = args[..=sub_at].to_vec();
    out.extend(flags);
    out.extend(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moved(args: &[&str]) -> Vec<String> {
        let args = args.iter().map(OsString::from).collect();
        flags_first(args)
            .into_iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn long_flags_move_before_the_text() {
        assert_eq!(
            moved(&["tme", "list", "#Work", "-urgent", "--json", "--limit", "3"]),
            ["tme", "list", "--json", "--limit", "3", "#Work", "-urgent"]
        );
        assert_eq!(
            moved(&["tme", "modify", "1", "-x", "--yes"]),
            ["tme", "modify", "--yes", "1", "-x"]
        );
        assert_eq!(
            moved(&["tme", "list", "x", "--sort=due"]),
            ["tme", "list", "--sort=due", "x"]
        );
        assert_eq!(
            moved(&["tme", "add", "x", "--db", "/t.redb"]),
            ["tme", "add", "--db", "/t.redb", "x"]
        );
    }

    #[test]
    fn text_and_everything_after_a_double_dash_stay() {
        assert_eq!(
            moved(&["tme", "add", "Learn", "--", "--json"]),
            ["tme", "add", "Learn", "--", "--json"]
        );
        assert_eq!(
            moved(&["tme", "add", "--unknown", "x"]),
            ["tme", "add", "--unknown", "x"]
        );
        assert_eq!(
            moved(&["tme", "--db", "x", "add", "y"]),
            ["tme", "--db", "x", "add", "y"]
        );
        assert_eq!(moved(&["tme"]), ["tme"]);
    }
}
