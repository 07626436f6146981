//! Classifies one token: a category, a tag, a `key:value` field, or plain text.

use super::lexer::Token;
use crate::domain::names::{Category, Tag};

/// The field keys of the grammar, with every spelling accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// `due:`
    Due,
    /// `sched:` / `scheduled:`
    Scheduled,
    /// `wait:`
    Wait,
    /// `until:`
    Until,
    /// `every:` / `recur:`
    Every,
    /// `pri:` / `priority:`
    Priority,
    /// `dep:` / `depends:`
    Depends,
    /// `est:` / `estimate:`
    Estimate,
    /// `type:`
    Type,
    /// `parent:`
    Parent,
    /// `cat:` / `category:` / `project:`
    Category,
    /// `desc:` / `description:`
    Description,
    /// `status:` (filters only)
    Status,
    /// `due.before:` (filters only)
    DueBefore,
    /// `due.after:` (filters only)
    DueAfter,
}

const SPELLINGS: [(&str, Key); 22] = [
    ("due", Key::Due),
    ("sched", Key::Scheduled),
    ("scheduled", Key::Scheduled),
    ("wait", Key::Wait),
    ("until", Key::Until),
    ("every", Key::Every),
    ("recur", Key::Every),
    ("pri", Key::Priority),
    ("priority", Key::Priority),
    ("dep", Key::Depends),
    ("depends", Key::Depends),
    ("est", Key::Estimate),
    ("estimate", Key::Estimate),
    ("type", Key::Type),
    ("parent", Key::Parent),
    ("cat", Key::Category),
    ("category", Key::Category),
    ("project", Key::Category),
    ("desc", Key::Description),
    ("description", Key::Description),
    ("status", Key::Status),
    ("due.before", Key::DueBefore),
];

impl Key {
    fn parse(name: &str) -> Option<Key> {
        let lower = name.to_ascii_lowercase();
        if lower == "due.after" {
            return Some(Key::DueAfter);
        }
        SPELLINGS.iter().find(|(s, _)| *s == lower).map(|(_, k)| *k)
    }

    /// The canonical spelling, as written by the formatter.
    pub fn name(self) -> &'static str {
        match self {
            Key::DueAfter => "due.after",
            key => SPELLINGS
                .iter()
                .find(|(_, k)| *k == key)
                .map_or("due", |(s, _)| *s),
        }
    }

    /// Whether values of this key are date phrases (which may span several tokens).
    pub fn takes_date(self) -> bool {
        matches!(
            self,
            Key::Due | Key::Scheduled | Key::Wait | Key::Until | Key::DueBefore | Key::DueAfter
        )
    }
}

/// What a token means.
#[derive(Debug, Clone, PartialEq)]
pub enum Word {
    /// `#Work.Backend`
    Category(Category),
    /// `+tag`
    AddTag(Tag),
    /// `-tag`
    RemoveTag(Tag),
    /// `key:value`
    Field {
        /// The key.
        key: Key,
        /// The value (may be empty, which clears the field).
        value: String,
    },
    /// Anything else: part of the title, or a search word in a filter.
    Text(String),
}

/// Classifies a token. Quoted tokens and anything not recognised are text.
pub fn classify(token: &Token) -> Word {
    let text = &token.text;
    if token.literal {
        return Word::Text(text.clone());
    }
    if let Some(name) = text.strip_prefix('#')
        && let Ok(category) = Category::parse(name)
    {
        return Word::Category(category);
    }
    if let Some(name) = text.strip_prefix('+')
        && let Ok(tag) = Tag::parse(name)
    {
        return Word::AddTag(tag);
    }
    if let Some(name) = text.strip_prefix('-')
        && let Ok(tag) = Tag::parse(name)
    {
        return Word::RemoveTag(tag);
    }
    if let Some((name, value)) = text.split_once(':')
        && let Some(key) = Key::parse(name)
    {
        return Word::Field {
            key,
            value: value.to_string(),
        };
    }
    Word::Text(text.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str) -> Word {
        classify(&Token::plain(text))
    }

    #[test]
    fn recognised_tokens() {
        assert!(matches!(word("#Work.Backend"), Word::Category(_)));
        assert!(matches!(word("+errand"), Word::AddTag(_)));
        assert!(matches!(word("-errand"), Word::RemoveTag(_)));
        assert!(matches!(word("due:eom"), Word::Field { key: Key::Due, .. }));
        assert!(matches!(
            word("Project:Home"),
            Word::Field {
                key: Key::Category,
                ..
            }
        ));
        assert!(matches!(
            word("due.after:today"),
            Word::Field {
                key: Key::DueAfter,
                ..
            }
        ));
    }

    #[test]
    fn everything_else_is_text() {
        for text in [
            "10:30",
            "#42",
            "+1",
            "-5",
            "http://x.org",
            "re:",
            "#",
            "+",
            "a:b",
        ] {
            assert_eq!(word(text), Word::Text(text.into()), "{text}");
        }
        let quoted = Token {
            text: "+tag".into(),
            literal: true,
        };
        assert_eq!(classify(&quoted), Word::Text("+tag".into()));
    }

    #[test]
    fn every_spelling_has_a_canonical_name_that_parses_back() {
        for (_, key) in SPELLINGS {
            assert_eq!(Key::parse(key.name()), Some(key));
        }
        assert_eq!(Key::parse(Key::DueAfter.name()), Some(Key::DueAfter));
    }
}
