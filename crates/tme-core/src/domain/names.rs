//! Validated names: categories (`Work.Backend`) and tags (`errand`).

use std::fmt;

/// Why a category or tag name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// A category such as `Work..Backend` or `Work.` has an empty part.
    #[error(
        "category '{0}' has an empty part; write parts separated by single dots, e.g. Work.Backend"
    )]
    EmptySegment(String),
    /// The name must start with a letter.
    #[error("'{0}' must start with a letter")]
    BadStart(String),
    /// The name contains a character that is not allowed.
    #[error("'{name}' contains '{bad}'; use letters, digits, '_' and '-'")]
    BadChar {
        /// The whole name.
        name: String,
        /// The first character refused.
        bad: char,
    },
    /// The name is too long.
    #[error("'{0}…' is longer than {MAX_NAME_LEN} characters")]
    TooLong(String),
}

/// The longest category or tag accepted, in characters.
pub const MAX_NAME_LEN: usize = 100;

fn check_word(whole: &str, word: &str) -> Result<(), NameError> {
    let mut chars = word.chars();
    match chars.next() {
        None => return Err(NameError::EmptySegment(whole.to_string())),
        Some(c) if !c.is_alphabetic() && c != '_' => {
            return Err(NameError::BadStart(whole.to_string()));
        }
        Some(_) => {}
    }
    match chars.find(|c| !(c.is_alphanumeric() || *c == '_' || *c == '-')) {
        Some(bad) => Err(NameError::BadChar {
            name: whole.to_string(),
            bad,
        }),
        None => Ok(()),
    }
}

fn check_length(name: &str) -> Result<(), NameError> {
    if name.chars().count() > MAX_NAME_LEN {
        let head: String = name.chars().take(20).collect();
        return Err(NameError::TooLong(head));
    }
    Ok(())
}

/// A category: one or more words joined by dots (`Work.Backend`), each starting with a letter.
///
/// Matching ignores case, and a category contains its subcategories:
/// ```
/// use tme_core::domain::Category;
/// let work = Category::parse("Work").unwrap();
/// assert!(Category::parse("work.Backend").unwrap().is_within(&work));
/// assert!(!Category::parse("Workshop").unwrap().is_within(&work));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Category(String);

impl Category {
    /// Validates a category name.
    pub fn parse(text: &str) -> Result<Category, NameError> {
        check_length(text)?;
        for part in text.split('.') {
            check_word(text, part)?;
        }
        Ok(Category(text.to_string()))
    }

    /// A name read back from storage, where it was validated when it was written.
    pub(crate) fn from_stored(name: String) -> Category {
        Category(name)
    }

    /// The name as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The lowercase form used as an index key.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }

    /// Whether this category is `other` or one of its subcategories, ignoring case.
    pub fn is_within(&self, other: &Category) -> bool {
        let (mine, theirs) = (self.key(), other.key());
        mine == theirs
            || (mine.len() > theirs.len()
                && mine.starts_with(&theirs)
                && mine.as_bytes().get(theirs.len()) == Some(&b'.'))
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A tag: one word starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tag(String);

impl Tag {
    /// Validates a tag name.
    pub fn parse(text: &str) -> Result<Tag, NameError> {
        check_length(text)?;
        check_word(text, text)?;
        Ok(Tag(text.to_string()))
    }

    /// A name read back from storage, where it was validated when it was written.
    pub(crate) fn from_stored(name: String) -> Tag {
        Tag(name)
    }

    /// The name as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The lowercase form used as an index key.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }

    /// Whether two tags are the same, ignoring case.
    pub fn matches(&self, other: &Tag) -> bool {
        self.0.to_lowercase() == other.0.to_lowercase()
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_are_dotted_words() {
        assert!(Category::parse("Work.Backend").is_ok());
        assert!(Category::parse("Haus_und-Hof.Küche").is_ok());
        assert!(matches!(
            Category::parse("Work..x"),
            Err(NameError::EmptySegment(_))
        ));
        assert!(matches!(
            Category::parse("Work."),
            Err(NameError::EmptySegment(_))
        ));
        assert!(matches!(Category::parse("42"), Err(NameError::BadStart(_))));
        assert!(matches!(
            Category::parse("a/b"),
            Err(NameError::BadChar { bad: '/', .. })
        ));
        assert!(matches!(
            Category::parse(&"a".repeat(101)),
            Err(NameError::TooLong(_))
        ));
    }

    #[test]
    fn tags_are_single_words() {
        assert!(Tag::parse("errand").is_ok());
        assert!(Tag::parse("a.b").is_err());
        assert!(Tag::parse("3d").is_err());
        let a = Tag::parse("Urgent").ok();
        let b = Tag::parse("urgent").ok();
        assert!(a.zip(b).is_some_and(|(a, b)| a.matches(&b)));
    }
}
