//! API tokens for `tme serve`: who a request comes from, what it may do (a role, and perhaps
//! only within one category) and until when. The secret is shown once, when the token is made;
//! only its SHA-256 hash is kept, and secrets are compared in constant time.

use std::fmt;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::names::Category;

/// What a token may do; each role may do what the ones before it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Read tasks, their history, reports and events.
    Read,
    /// Also add, change, complete, delete and undo.
    Write,
    /// Also everything a server offers its administrators.
    Admin,
}

impl Role {
    /// Every role, weakest first.
    pub const ALL: [Role; 3] = [Role::Read, Role::Write, Role::Admin];

    /// The role's name: `read`, `write` or `admin`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Read => "read",
            Role::Write => "write",
            Role::Admin => "admin",
        }
    }

    /// The role of a name, in any case.
    ///
    /// ```
    /// use tme_core::domain::Role;
    /// assert_eq!(Role::parse("Write"), Some(Role::Write));
    /// assert_eq!(Role::parse("owner"), None);
    /// ```
    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A token's name that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "'{0}' cannot name a token: use 1 to 64 letters, digits, '.', '-' or '_', starting with a letter or digit"
)]
pub struct BadTokenName(pub String);

/// An API token as it is kept: its name, the hash of its secret, what it may do, until when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    /// The name it is known by (and that the journal records its changes as made by).
    pub name: String,
    /// The SHA-256 hash of the secret.
    pub hash: [u8; 32],
    /// What it may do.
    pub role: Role,
    /// The category (with its subcategories) it is limited to, if any.
    pub category: Option<Category>,
    /// When it was made.
    pub created: DateTime<Utc>,
    /// When it stops working, if ever.
    pub expires: Option<DateTime<Utc>>,
}

/// The start of every secret, so that one found in a log or a repository is known for what it
/// is.
pub const SECRET_PREFIX: &str = "tme_";

impl ApiToken {
    /// Makes a token with a new random secret; returns it and the secret, which is not kept.
    ///
    /// ```
    /// use chrono::Utc;
    /// use tme_core::domain::{ApiToken, Role};
    /// let (token, secret) = ApiToken::generate("ci-bot", Role::Write, None, Utc::now(), None).unwrap();
    /// assert!(secret.starts_with("tme_") && token.matches(&secret));
    /// assert!(!token.matches("tme_guess"));
    /// ```
    pub fn generate(
        name: &str,
        role: Role,
        category: Option<Category>,
        created: DateTime<Utc>,
        expires: Option<DateTime<Utc>>,
    ) -> Result<(ApiToken, String), TokenError> {
        check_name(name)?;
        let mut random = [0u8; 32];
        getrandom::fill(&mut random).map_err(|e| TokenError::Random(e.to_string()))?;
        let secret: String = std::iter::once(SECRET_PREFIX.to_string())
            .chain(random.iter().map(|b| format!("{b:02x}")))
            .collect();
        let token = ApiToken {
            name: name.to_string(),
            hash: hash_secret(&secret),
            role,
            category,
            created,
            expires,
        };
        Ok((token, secret))
    }

    /// Whether `secret` is this token's, compared in constant time.
    pub fn matches(&self, secret: &str) -> bool {
        bool::from(hash_secret(secret).ct_eq(&self.hash))
    }

    /// Whether it still works at `now`.
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.expires.is_none_or(|at| now < at)
    }

    /// Whether it may do what `needed` may.
    pub fn allows(&self, needed: Role) -> bool {
        self.role >= needed
    }

    /// Whether a task in `category` (none: no category) is within its reach.
    pub fn reaches(&self, category: Option<&Category>) -> bool {
        match (&self.category, category) {
            (None, _) => true,
            (Some(limit), Some(category)) => category.is_within(limit),
            (Some(_), None) => false,
        }
    }
}

/// The SHA-256 hash of a secret, as kept.
pub fn hash_secret(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

/// Checks a token's name: 1 to 64 letters, digits, `.`, `-` or `_`, starting with a letter or
/// a digit.
pub fn check_name(name: &str) -> Result<(), BadTokenName> {
    let fits = (1..=64).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if fits {
        Ok(())
    } else {
        Err(BadTokenName(name.to_string()))
    }
}

/// A token that could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// The name cannot be used.
    #[error(transparent)]
    Name(#[from] BadTokenName),
    /// The system gave no random bytes.
    #[error("no random bytes for the secret: {0}")]
    Random(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(category: Option<&str>) -> ApiToken {
        let category = category.map(|c| Category::parse(c).unwrap_or_else(|e| panic!("{e}")));
        ApiToken::generate("bot", Role::Write, category, Utc::now(), None)
            .unwrap_or_else(|e| panic!("{e}"))
            .0
    }

    #[test]
    fn roles_include_the_weaker_ones() {
        let writer = token(None);
        assert!(writer.allows(Role::Read) && writer.allows(Role::Write));
        assert!(!writer.allows(Role::Admin));
    }

    #[test]
    fn a_category_limit_reaches_its_subcategories_only() {
        let work = token(Some("Work"));
        let within = Category::parse("work.Backend").unwrap_or_else(|e| panic!("{e}"));
        let outside = Category::parse("Workshop").unwrap_or_else(|e| panic!("{e}"));
        assert!(work.reaches(Some(&within)));
        assert!(!work.reaches(Some(&outside)) && !work.reaches(None));
        assert!(token(None).reaches(None));
    }

    #[test]
    fn secrets_are_new_each_time_and_only_their_hash_is_kept() {
        let (a, secret_a) = ApiToken::generate("a", Role::Read, None, Utc::now(), None)
            .unwrap_or_else(|e| panic!("{e}"));
        let (b, secret_b) = ApiToken::generate("b", Role::Read, None, Utc::now(), None)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(secret_a, secret_b);
        assert_eq!(secret_a.len(), SECRET_PREFIX.len() + 64);
        assert!(a.matches(&secret_a) && !a.matches(&secret_b) && !b.matches(&secret_a));
        assert!(!format!("{a:?}").contains(&secret_a[SECRET_PREFIX.len()..]));
    }

    #[test]
    fn an_expired_token_stops_working() {
        let now = Utc::now();
        let mut t = token(None);
        t.expires = Some(now);
        assert!(!t.is_live(now) && t.is_live(now - chrono::Duration::seconds(1)));
    }

    #[test]
    fn names_are_checked() {
        for good in ["ci-bot", "a", "team.web_2"] {
            assert!(check_name(good).is_ok(), "{good}");
        }
        for bad in ["", "-x", "with space", "é", &"x".repeat(65)] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }
}
