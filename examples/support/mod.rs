//! What the benchmark fillers share: a deterministic random source and the categories.

/// Categories the generated tasks are spread over.
pub const CATEGORIES: [&str; 8] = [
    "Work.Backend",
    "Work.Frontend",
    "Work.Ops",
    "Research.ML",
    "Research.Papers",
    "Home",
    "Finance",
    "Shopping",
];

/// A small deterministic random source, so every run makes the same data.
pub struct Random(pub u64);

impl Random {
    /// The next number.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n` (0 for `n` of 0).
    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n.max(1) as u64).unwrap_or(0)
    }
}
