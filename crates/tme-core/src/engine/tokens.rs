//! The API tokens of `tme serve`, kept in the database beside the tasks (so every server on one
//! PostgreSQL database knows the same ones). They are not tasks: making or revoking one is not
//! a command of the journal and cannot be undone.

use chrono::{DateTime, Utc};

use super::TaskManager;
use super::error::EngineError;
use crate::domain::{ApiToken, Category, Role};

impl TaskManager {
    /// Every token, by name.
    pub fn tokens(&self) -> Result<Vec<ApiToken>, EngineError> {
        Ok(self.store.read()?.tokens()?)
    }

    /// Makes a token; returns it and its secret, which is shown once and never kept (only its
    /// hash is). A name already in use is refused.
    ///
    /// ```
    /// use tme_core::domain::Role;
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let tm = tme_core::TaskManager::open(dir.path().join("t.redb")).unwrap();
    /// let (token, secret) = tm.create_token("ci-bot", Role::Write, None, None).unwrap();
    /// assert_eq!(tm.token_for(&secret).unwrap().map(|t| t.name), Some(token.name));
    /// assert!(tm.create_token("ci-bot", Role::Read, None, None).is_err());
    /// ```
    pub fn create_token(
        &self,
        name: &str,
        role: Role,
        category: Option<Category>,
        expires: Option<DateTime<Utc>>,
    ) -> Result<(ApiToken, String), EngineError> {
        let (token, secret) = ApiToken::generate(name, role, category, self.now(), expires)
            .map_err(|e| EngineError::Invalid(e.to_string()))?;
        let mut write = self.store.write()?;
        if write.tokens()?.iter().any(|t| t.name == token.name) {
            return Err(EngineError::Invalid(format!(
                "a token named '{name}' exists; revoke it first (tme token revoke {name}) or choose another name"
            )));
        }
        write.put_token(&token)?;
        write.commit()?;
        Ok((token, secret))
    }

    /// Revokes the token of this name: requests with it are refused from now on.
    pub fn revoke_token(&self, name: &str) -> Result<(), EngineError> {
        let mut write = self.store.write()?;
        if !write.remove_token(name)? {
            return Err(EngineError::Invalid(format!(
                "there is no token named '{name}' (tme token list shows them)"
            )));
        }
        write.commit()?;
        Ok(())
    }

    /// The live (not expired) token whose secret this is, if any. Every token's hash is
    /// compared, each in constant time, so the answer takes as long whichever matches.
    pub fn token_for(&self, secret: &str) -> Result<Option<ApiToken>, EngineError> {
        let now = self.now();
        let mut found = None;
        for token in self.tokens()? {
            if token.matches(secret) && token.is_live(now) {
                found = Some(token);
            }
        }
        Ok(found)
    }
}
