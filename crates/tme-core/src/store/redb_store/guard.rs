//! Turns a panic inside redb into an error.
//!
//! redb can panic on some damaged files instead of returning an error. TME must never panic on
//! bad input, so every call into redb runs under [`guarded`]; while one runs,
//! [`in_guarded_call`] is true, so that a process-wide panic hook can log the panic quietly
//! instead of printing it.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::store::StoreError;

thread_local! {
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// Whether the current thread is inside a storage call whose panics become errors.
pub fn in_guarded_call() -> bool {
    GUARDED.with(Cell::get)
}

/// Runs `f`, turning a panic into [`StoreError::Backend`].
pub fn guarded<T>(f: impl FnOnce() -> Result<T, StoreError>) -> Result<T, StoreError> {
    let outer = GUARDED.with(|g| g.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(outer));
    result.unwrap_or_else(|payload| {
        let detail = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown failure".into());
        Err(StoreError::Backend(format!(
            "the database file looks damaged ({detail})"
        )))
    })
}

/// Owns a redb handle and drops it under [`guarded`]: after a damaged file made redb panic, its
/// locks are poisoned and even dropping a handle can panic.
pub struct DropGuarded<T>(Option<T>);

impl<T> DropGuarded<T> {
    /// Wraps a handle.
    pub fn new(inner: T) -> DropGuarded<T> {
        DropGuarded(Some(inner))
    }

    /// Takes the handle out, to consume it.
    pub fn take(mut self) -> Option<T> {
        self.0.take()
    }
}

impl<T> std::ops::Deref for DropGuarded<T> {
    type Target = T;

    fn deref(&self) -> &T {
        match &self.0 {
            Some(inner) => inner,
            // `take` consumes the wrapper, so a live wrapper always holds its handle.
            None => {
                unreachable!("a DropGuarded handle is only emptied by take(), which consumes it")
            }
        }
    }
}

impl<T> std::ops::DerefMut for DropGuarded<T> {
    fn deref_mut(&mut self) -> &mut T {
        match &mut self.0 {
            Some(inner) => inner,
            None => {
                unreachable!("a DropGuarded handle is only emptied by take(), which consumes it")
            }
        }
    }
}

impl<T> Drop for DropGuarded<T> {
    fn drop(&mut self) {
        if let Some(inner) = self.0.take() {
            let _ = guarded(|| {
                drop(inner);
                Ok(())
            });
        }
    }
}
