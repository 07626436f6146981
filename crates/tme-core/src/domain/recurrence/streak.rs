//! How consistently a series' occurrences were completed.

/// What became of one occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Completed.
    Done,
    /// Deleted, or its deadline passed while it was open.
    Missed,
    /// Still open and not yet due: it neither extends nor breaks a streak.
    Pending,
}

/// Runs of completed occurrences.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Streak {
    /// Occurrences completed in a row, up to the latest one that is over.
    pub current: u32,
    /// The longest run.
    pub best: u32,
    /// Occurrences completed.
    pub done: u32,
    /// Occurrences that are over (completed or missed).
    pub over: u32,
}

/// The streak of `outcomes`, oldest first.
///
/// ```
/// use tme_core::domain::{Outcome::*, streak};
/// let s = streak([Done, Done, Missed, Done, Pending].into_iter());
/// assert_eq!((s.current, s.best, s.done, s.over), (1, 2, 3, 4));
/// ```
pub fn streak(outcomes: impl Iterator<Item = Outcome>) -> Streak {
    let mut s = Streak::default();
    for outcome in outcomes {
        match outcome {
            Outcome::Done => {
                s.current += 1;
                s.done += 1;
                s.over += 1;
                s.best = s.best.max(s.current);
            }
            Outcome::Missed => {
                s.current = 0;
                s.over += 1;
            }
            Outcome::Pending => {}
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_streak_counts_the_latest_run_and_keeps_the_best() {
        use Outcome::*;
        let s = streak([Done, Done, Done, Missed, Done, Pending, Done].into_iter());
        assert_eq!(
            s,
            Streak {
                current: 2,
                best: 3,
                done: 5,
                over: 6
            }
        );
        assert_eq!(streak(std::iter::empty()), Streak::default());
    }
}
