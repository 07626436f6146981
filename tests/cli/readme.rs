//! The README's shell examples work when pasted into bash: no unquoted word is a `#Category`
//! (bash would take the rest of the line as a comment and drop every field after it; a
//! comment meant as one, `# like this`, is fine).

/// The command lines of the README's `console` (after `$ `), `bash` and `sh` blocks.
fn commands(readme: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut block = None;
    for (n, line) in readme.lines().enumerate() {
        if let Some(kind) = line.strip_prefix("```") {
            block = match block {
                None => Some(kind.trim().to_string()),
                Some(_) => None,
            };
            continue;
        }
        let command = match block.as_deref() {
            Some("console") => line.strip_prefix("$ "),
            Some("bash" | "sh") if !line.trim_start().starts_with('#') => Some(line),
            _ => None,
        };
        if let Some(command) = command {
            out.push((n + 1, command.to_string()));
        }
    }
    out
}

/// Whether a word outside quotes is `#` and a name (`#Finance`).
fn unquoted_comment(command: &str) -> bool {
    let mut quote = None;
    let mut word_start = true;
    let mut chars = command.chars().peekable();
    while let Some(c) = chars.next() {
        let named = chars.peek().is_some_and(|n| n.is_alphanumeric());
        match (quote, c) {
            (None, '#') if word_start && named => return true,
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            _ => {}
        }
        word_start = quote.is_none() && c.is_whitespace();
    }
    false
}

#[test]
fn no_readme_example_loses_its_fields_to_a_bash_comment() {
    let readme = include_str!("../../README.md");
    let examples = commands(readme);
    assert!(examples.len() > 20, "the README's examples were found");
    let broken: Vec<String> = examples
        .iter()
        .filter(|(_, command)| unquoted_comment(command))
        .map(|(n, command)| format!("README.md:{n}: {command}"))
        .collect();
    assert!(
        broken.is_empty(),
        "use project:NAME or quotes:\n{}",
        broken.join("\n")
    );
    assert!(unquoted_comment("tme add Pay rent #Finance due:eom"));
    assert!(!unquoted_comment(
        "tme add 'Pay rent #Finance' project:Finance"
    ));
}

#[test]
fn no_help_example_loses_its_fields_to_a_bash_comment() {
    // Every `tme …` in backquotes of `tme --help` and of each command's --help.
    let s = crate::support::Sandbox::new();
    let top = s.ok(&["--help"]);
    let commands: Vec<String> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // A command's line is indented two spaces; a description that wraps, more.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    assert!(commands.len() > 20, "{commands:?}");
    let mut texts = vec![top];
    for command in &commands {
        texts.push(s.ok(&[command, "--help"]));
    }
    let broken: Vec<String> = texts
        .iter()
        .flat_map(|text| text.split('`').skip(1).step_by(2))
        .filter(|example| example.starts_with("tme ") && unquoted_comment(example))
        .map(str::to_string)
        .collect();
    assert!(broken.is_empty(), "use project:NAME or quotes: {broken:?}");
}
