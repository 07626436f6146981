//! Fuzzy matching for picking a task by a few letters of its title.

/// How well `query` matches `text`, higher is better; `None` when the query's letters do not
/// all appear in order. Case is ignored. Letters that follow one another, letters at the start
/// of a word and a match at the very start score more; every letter skipped costs a little.
///
/// ```
/// use tme::tui::fuzzy::score;
/// assert!(score("wp", "Write paper").is_some());
/// assert!(score("pw", "Write paper").is_none());
/// assert!(score("paper", "Write paper") > score("paper", "Prepare a pastryper"));
/// ```
pub fn score(query: &str, text: &str) -> Option<i64> {
    let query: Vec<char> = query
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace())
        .collect();
    if query.is_empty() {
        return Some(0);
    }
    let text: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    let mut total = 0i64;
    let mut at = 0usize;
    let mut previous: Option<usize> = None;
    for wanted in &query {
        let found = (at..text.len()).find(|i| text[*i] == *wanted)?;
        let word_start = found == 0 || !text[found - 1].is_alphanumeric();
        total += 1;
        if word_start {
            total += 8;
        }
        if found == 0 {
            total += 10;
        }
        match previous {
            Some(p) if p + 1 == found => total += 5,
            Some(p) => total -= i64::try_from(found - p - 1).unwrap_or(i64::MAX).min(20),
            None => total -= i64::try_from(found).unwrap_or(i64::MAX).min(20) / 4,
        }
        previous = Some(found);
        at = found + 1;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn word_starts_and_runs_rank_first() {
        let titles = [
            "Reproduce crash",
            "Fix crash on start",
            "Create release notes",
        ];
        let best = |q: &str| {
            titles
                .iter()
                .filter_map(|t| score(q, t).map(|s| (s, *t)))
                .max()
                .map(|(_, t)| t)
        };
        assert_eq!(best("rc"), Some("Reproduce crash"));
        assert_eq!(best("fc"), Some("Fix crash on start"));
        assert_eq!(best("rn"), Some("Create release notes"));
        assert_eq!(best("zz"), None);
        assert_eq!(score("", "anything"), Some(0));
        assert!(score("ÄB", "äbc").is_some(), "case is ignored beyond ASCII");
    }

    proptest! {
        #[test]
        fn a_title_always_matches_itself_and_never_panics(text in ".{0,40}", query in ".{0,10}") {
            prop_assert!(score(&text, &text).is_some());
            let _ = score(&query, &text);
        }
    }
}
