//! Small statistics: percentiles, the slope of a series, and text sparklines.

/// The `p`th percentile (0–100) of `values` by the nearest-rank method; `None` when empty.
///
/// ```
/// use tme_core::report::percentile;
/// let mut days = vec![1.0, 2.0, 3.0, 4.0, 10.0];
/// assert_eq!(percentile(&mut days, 50.0), Some(3.0));
/// assert_eq!(percentile(&mut days, 90.0), Some(10.0));
/// assert_eq!(percentile(&mut [], 50.0), None);
/// ```
pub fn percentile(values: &mut [f64], p: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * values.len() as f64).ceil() as usize;
    values.get(rank.clamp(1, values.len()) - 1).copied()
}

/// Which way a series is going.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Trend {
    /// The least-squares slope, per period.
    pub slope: f64,
    /// `rising`, `falling`, `flat`, or `too few to tell` (fewer than three periods with
    /// anything in them: one busy day is not a trend).
    pub direction: &'static str,
}

impl Trend {
    /// The direction, with the slope per `period` when there is a direction to tell.
    ///
    /// ```
    /// use tme_core::report::trend;
    /// assert_eq!(trend(&[1.0, 2.0, 3.0]).describe("day"), "rising (+1.00 per day)");
    /// assert_eq!(trend(&[0.0, 0.0, 5.0]).describe("week"), "too few to tell");
    /// ```
    pub fn describe(&self, period: &str) -> String {
        if self.direction == TOO_FEW {
            TOO_FEW.to_string()
        } else {
            format!("{} ({:+.2} per {period})", self.direction, self.slope)
        }
    }
}

/// A trend from fewer than three periods with anything in them.
const TOO_FEW: &str = "too few to tell";

/// The least-squares slope of `values` against their position, and whether that is a real
/// change: flat when it would move the mean by less than 5% over the whole series.
///
/// ```
/// use tme_core::report::trend;
/// assert_eq!(trend(&[1.0, 2.0, 3.0, 4.0]).direction, "rising");
/// assert_eq!(trend(&[4.0, 4.0, 4.0]).direction, "flat");
/// assert!((trend(&[6.0, 4.0, 2.0]).slope + 2.0).abs() < 1e-9);
/// assert_eq!(trend(&[0.0, 0.0, 0.0, 0.0, 1.0]).direction, "too few to tell");
/// ```
pub fn trend(values: &[f64]) -> Trend {
    let n = values.len() as f64;
    if values.len() < 2 {
        return Trend {
            slope: 0.0,
            direction: "flat",
        };
    }
    let busy = values.iter().filter(|v| **v != 0.0).count();
    let mean_x = (n - 1.0) / 2.0;
    let mean_y = values.iter().sum::<f64>() / n;
    let (mut num, mut den) = (0.0, 0.0);
    for (i, y) in values.iter().enumerate() {
        let dx = i as f64 - mean_x;
        num += dx * (y - mean_y);
        den += dx * dx;
    }
    let slope = if den == 0.0 { 0.0 } else { num / den };
    let change = slope * (n - 1.0);
    let direction = if busy < 3 && busy > 0 {
        TOO_FEW
    } else if change.abs() < 0.05 * mean_y.abs().max(1.0) {
        "flat"
    } else if slope > 0.0 {
        "rising"
    } else {
        "falling"
    };
    Trend { slope, direction }
}

/// A one-line chart of `values`: `▁▂▃▅▇`, scaled to the largest.
///
/// ```
/// use tme_core::report::sparkline;
/// assert_eq!(sparkline(&[0.0, 1.0, 2.0, 4.0, 8.0]), " ▁▂▄█");
/// ```
pub fn sparkline(values: &[f64]) -> String {
    const BARS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let top = values.iter().copied().fold(0.0_f64, f64::max);
    values
        .iter()
        .map(|v| {
            if top <= 0.0 || *v <= 0.0 {
                BARS[0]
            } else {
                BARS[((v / top) * 8.0).round().clamp(1.0, 8.0) as usize]
            }
        })
        .collect()
}
