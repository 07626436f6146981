//! Splits capture text into tokens: words separated by spaces, with quotes grouping words.
//!
//! A quote opens a group only at the start of a token or right after `key:` (`due:"next mon"`),
//! so apostrophes inside words (`Bob's`) stay ordinary characters, and a quote that is never
//! closed is kept as a literal character rather than swallowing the rest of the line.

/// One token of capture text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The token's text with grouping quotes removed.
    pub text: String,
    /// The whole token was quoted: it is title text, never a field.
    pub literal: bool,
}

impl Token {
    /// A token taken as written (not quoted).
    pub fn plain(text: impl Into<String>) -> Token {
        Token {
            text: text.into(),
            literal: false,
        }
    }
}

/// Splits `input` into tokens.
///
/// ```
/// use tme_core::domain::capture::lex;
/// let tokens = lex(r#"Call "Bob Smith" due:"next mon" Bob's"#);
/// let texts: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
/// assert_eq!(texts, ["Call", "Bob Smith", "due:next mon", "Bob's"]);
/// assert!(tokens[1].literal && !tokens[2].literal);
/// ```
pub fn lex(input: &str) -> Vec<Token> {
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let (token, next) = lex_token(&chars, i);
        tokens.push(token);
        i = next;
    }
    tokens
}

/// Reads one token starting at `start`; returns it and the index after it.
fn lex_token(chars: &[char], start: usize) -> (Token, usize) {
    let mut text = String::new();
    let mut i = start;
    let mut whole_quoted = false;
    while i < chars.len() && !chars[i].is_whitespace() {
        let c = chars[i];
        let opens_group = is_quote(c) && (i == start || chars[i - 1] == ':');
        if opens_group && let Some((group, end)) = read_group(chars, i) {
            whole_quoted |= i == start;
            text.push_str(&group);
            i = end;
            continue;
        }
        text.push(c);
        i += 1;
    }
    // A token is literal only if the quoted group was all of it (`"+x"`, not `"a"b`).
    let literal = whole_quoted && is_quote(chars[start]) && {
        let (_, end) = read_group(chars, start).unwrap_or_default();
        end == i
    };
    (Token { text, literal }, i)
}

fn is_quote(c: char) -> bool {
    c == '"' || c == '\''
}

/// Reads a quoted group starting at the quote at `open`. Inside double quotes, `\"` and `\\`
/// are escapes. Returns `None` when the quote is never closed.
fn read_group(chars: &[char], open: usize) -> Option<(String, usize)> {
    let quote = chars[open];
    let mut text = String::new();
    let mut i = open + 1;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && quote == '"' && matches!(chars.get(i + 1), Some('"' | '\\')) {
            text.push(chars[i + 1]);
            i += 2;
        } else if c == quote {
            return Some((text, i + 1));
        } else {
            text.push(c);
            i += 1;
        }
    }
    None
}

/// Quotes `text` so that [`lex`] reads it back as one literal token.
pub fn quote(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('"', "\\\"");
    format!("\"{escaped}\"")
}

/// Whether `text` can be written bare and still lex back to itself as one token.
pub fn is_bare(text: &str) -> bool {
    !text.is_empty()
        && !text.chars().any(char::is_whitespace)
        && !text.starts_with(is_quote)
        && !text.contains(":\"")
        && !text.contains(":'")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn texts(input: &str) -> Vec<String> {
        lex(input).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn quotes_group_words() {
        assert_eq!(texts("a  b\tc"), ["a", "b", "c"]);
        assert_eq!(texts(r#""a b" 'c d'"#), ["a b", "c d"]);
        assert_eq!(texts(r#"every:"last fri""#), ["every:last fri"]);
        assert_eq!(texts(r#""say \"hi\"""#), [r#"say "hi""#]);
        assert_eq!(texts("Bob's cat"), ["Bob's", "cat"]);
    }

    #[test]
    fn unclosed_quotes_are_literal_characters() {
        assert_eq!(texts("'tis the season"), ["'tis", "the", "season"]);
        assert_eq!(texts("a \"b"), ["a", "\"b"]);
    }

    #[test]
    fn only_fully_quoted_tokens_are_literal() {
        let tokens = lex(r#""+x" "a"b due:"x""#);
        assert!(tokens[0].literal);
        assert!(!tokens[1].literal);
        assert_eq!(tokens[1].text, "ab");
        assert!(!tokens[2].literal);
    }

    proptest! {
        #[test]
        fn quoted_text_comes_back_whole(text in "\\PC{0,40}") {
            let tokens = lex(&quote(&text));
            prop_assert_eq!(tokens.len(), 1);
            prop_assert_eq!(&tokens[0].text, &text);
            prop_assert!(tokens[0].literal);
        }

        #[test]
        fn bare_words_come_back_whole(text in "[^\\s]{1,20}") {
            prop_assume!(is_bare(&text));
            let tokens = lex(&text);
            // A bare word may still contain a closed quote group after a colon-free quote:
            // only assert for words without any quote character.
            prop_assume!(!text.contains(is_quote));
            prop_assert_eq!(tokens, vec![Token::plain(text)]);
        }
    }
}
