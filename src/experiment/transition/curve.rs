//! The cumulative difference of contribution, transition less staying, and what is
//! read off it: the payback week (the first week after which the curve stays above
//! zero to the horizon) with an interval from the curve's 95% band, and the dip (its
//! lowest point) with the band at that week.

use crate::stats::Summary;

/// When a curve pays back, read off its mean and its band's edges.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Payback {
    /// The week from which the mean curve stays above zero; `None`: not within the
    /// horizon.
    pub week: Option<usize>,
    /// From the band's upper edge: the earliest the data allow.
    pub earliest: Option<usize>,
    /// From the band's lower edge: the latest; `None` when the lower edge never stays
    /// above zero (the payback is not sure within the horizon).
    pub latest: Option<usize>,
}

/// The lowest point of the mean curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dip {
    /// The lowest mean cumulative difference (0 when the curve never goes below zero).
    pub depth: f64,
    pub week: usize,
    /// The 95% band of the cumulative difference at that week.
    pub low: f64,
    pub high: f64,
}

/// The first index from which every value is above zero, or `None` if the last one is
/// not (an empty series never stays above zero).
pub fn stays_above_zero_from(series: &[f64]) -> Option<usize> {
    match series.iter().rposition(|v| v.is_nan() || *v <= 0.0) {
        None if series.is_empty() => None,
        None => Some(0),
        Some(i) if i + 1 == series.len() => None,
        Some(i) => Some(i + 1),
    }
}

/// The payback of a cumulative difference summarised week by week.
pub fn payback(cumulative: &[Summary]) -> Payback {
    let of = |f: fn(&Summary) -> f64| -> Vec<f64> { cumulative.iter().map(f).collect() };
    Payback {
        week: stays_above_zero_from(&of(|s| s.mean)),
        earliest: stays_above_zero_from(&of(|s| band_edge(s.ci95_high, s.mean))),
        latest: stays_above_zero_from(&of(|s| band_edge(s.ci95_low, s.mean))),
    }
}

/// A band edge, or the mean where the band cannot be computed (a single trial, or a
/// week where every trial agrees exactly).
fn band_edge(edge: f64, mean: f64) -> f64 {
    if edge.is_finite() { edge } else { mean }
}

/// The lowest point of the mean curve (the first week it is reached), with its band.
pub fn dip(cumulative: &[Summary]) -> Dip {
    let mut best = Dip {
        depth: 0.0,
        week: 0,
        low: 0.0,
        high: 0.0,
    };
    for (week, s) in cumulative.iter().enumerate() {
        if s.mean < best.depth {
            best = Dip {
                depth: s.mean,
                week,
                low: band_edge(s.ci95_low, s.mean),
                high: band_edge(s.ci95_high, s.mean),
            };
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(mean: f64, half: f64) -> Summary {
        Summary {
            n: 10,
            mean,
            sd: half,
            ci95_low: mean - half,
            ci95_high: mean + half,
            p5: mean,
            p50: mean,
            p95: mean,
        }
    }

    /// A hand-made curve: zero for two weeks, a dip to -30 at week 4, crossing up
    /// after week 6: mean above zero from week 7, upper edge (mean + 5) from week 6,
    /// lower edge (mean - 5) from week 8.
    #[test]
    fn payback_and_dip_of_a_hand_made_curve() {
        let means = [0.0, 0.0, -10.0, -20.0, -30.0, -15.0, -3.0, 2.0, 8.0, 20.0];
        let curve: Vec<Summary> = means.iter().map(|&m| summary(m, 5.0)).collect();
        let p = payback(&curve);
        assert_eq!(p.week, Some(7));
        assert_eq!(p.earliest, Some(6));
        assert_eq!(p.latest, Some(8));
        let d = dip(&curve);
        assert_eq!((d.depth, d.week, d.low, d.high), (-30.0, 4, -35.0, -25.0));
    }

    #[test]
    fn a_curve_that_ends_below_zero_does_not_pay_back() {
        assert_eq!(stays_above_zero_from(&[1.0, 2.0, -0.5]), None);
        assert_eq!(stays_above_zero_from(&[1.0, -2.0, 0.5, 1.0]), Some(2));
        assert_eq!(stays_above_zero_from(&[0.5, 1.0]), Some(0));
        // Exactly zero is not above zero: the same design never "pays back".
        assert_eq!(stays_above_zero_from(&[0.0, 0.0]), None);
        assert_eq!(stays_above_zero_from(&[]), None);
    }

    #[test]
    fn a_curve_that_never_dips_has_no_dip() {
        let curve: Vec<Summary> = [0.0, 1.0, 3.0].iter().map(|&m| summary(m, 1.0)).collect();
        assert_eq!(dip(&curve).depth, 0.0);
    }
}
