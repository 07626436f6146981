//! Checks on free text: titles, descriptions, annotations.

/// The longest title accepted, in characters.
pub const MAX_TITLE_LEN: usize = 1000;

/// The longest description or annotation accepted, in characters.
pub const MAX_TEXT_LEN: usize = 100_000;

/// `text` cut to at most `width` terminal columns, ending in `…` when cut (wide characters
/// count two).
///
/// ```
/// use tme_core::domain::fit;
/// assert_eq!(fit("日本語のタスク", 7), "日本語…");
/// assert_eq!(fit("short", 10), "short");
/// assert_eq!(fit("cut", 0), "");
/// ```
pub fn fit(text: &str, width: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if text.width() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `word` with its first letter in upper case: `complete` → `Complete`.
///
/// ```
/// assert_eq!(tme_core::domain::capitalized("über"), "Über");
/// assert_eq!(tme_core::domain::capitalized(""), "");
/// ```
pub fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Why a piece of text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// Too long.
    #[error("the {what} is {length} characters long; the limit is {limit}")]
    TooLong {
        /// Which text (`title`).
        what: &'static str,
        /// Its length.
        length: usize,
        /// The limit.
        limit: usize,
    },
    /// Contains a control character (an escape sequence, NUL, ...).
    #[error(
        "the {what} '{shown}' contains a control character (U+{code:04X}), which is not allowed"
    )]
    ControlCharacter {
        /// Which text.
        what: &'static str,
        /// The text without its control characters, shortened.
        shown: String,
        /// The first control character.
        code: u32,
    },
}

/// The text [`check_title`] (`multiline` false) or [`check_note`] (true) accepts, as a JSON
/// Schema (ECMA-262) pattern; `non_blank`: with something besides white space too.
///
/// ```
/// let title = tme_core::domain::text_pattern(false, true);
/// assert!(title.starts_with("^[^\\u0000-\\u001F"));
/// ```
pub fn text_pattern(multiline: bool, non_blank: bool) -> String {
    // Control characters: tab and newline are allowed in lines of text.
    let controls = if multiline {
        r"\u0000-\u0008\u000B-\u001F\u007F-\u009F"
    } else {
        r"\u0000-\u001F\u007F-\u009F"
    };
    if non_blank {
        format!(r"^[^{controls}]*[^\s{controls}][^{controls}]*$")
    } else {
        format!("^[^{controls}]*$")
    }
}

/// Checks a title: one line, no control characters, at most [`MAX_TITLE_LEN`] characters.
pub fn check_title(title: &str) -> Result<(), TextError> {
    check(title, "title", MAX_TITLE_LEN, false)
}

/// Checks a description or annotation: newlines and tabs are fine, other control characters
/// are not.
pub fn check_note(text: &str, what: &'static str) -> Result<(), TextError> {
    check(text, what, MAX_TEXT_LEN, true)
}

fn check(text: &str, what: &'static str, limit: usize, multiline: bool) -> Result<(), TextError> {
    if let Some(c) = text
        .chars()
        .find(|c| c.is_control() && !(multiline && (*c == '\n' || *c == '\t')))
    {
        return Err(TextError::ControlCharacter {
            what,
            shown: text.chars().filter(|c| !c.is_control()).take(40).collect(),
            code: u32::from(c),
        });
    }
    let length = text.chars().count();
    if length > limit {
        return Err(TextError::TooLong {
            what,
            length,
            limit,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        assert!(check_title("Pay rent").is_ok());
        assert!(matches!(
            check_title("a\nb"),
            Err(TextError::ControlCharacter { code: 10, .. })
        ));
        assert!(matches!(
            check_title(&"x".repeat(MAX_TITLE_LEN + 1)),
            Err(TextError::TooLong { length: 1001, .. })
        ));
        assert!(check_note("two\nlines\tok", "description").is_ok());
        assert!(check_note("bell\u{7}", "description").is_err());
    }

    /// The patterns say what the checks do, character by character.
    #[test]
    fn patterns_agree_with_the_checks() {
        for (multiline, non_blank) in [(false, false), (false, true), (true, false), (true, true)] {
            let pattern = regex::Regex::new(&text_pattern(multiline, non_blank))
                .unwrap_or_else(|e| panic!("{e}"));
            for c in (0..0x3100)
                .chain([0xFEFF, 0x1F600])
                .filter_map(char::from_u32)
            {
                for text in [format!("a{c}b"), c.to_string(), format!("{c}{c}")] {
                    let checked = if multiline {
                        check_note(&text, "note")
                    } else {
                        check_title(&text)
                    };
                    let ok = checked.is_ok() && !(non_blank && text.trim().is_empty());
                    assert_eq!(
                        pattern.is_match(&text),
                        ok,
                        "{multiline} {non_blank} {text:?}"
                    );
                }
            }
        }
    }
}
