//! Statistics across trials: mean, standard deviation, a 95% confidence interval of the
//! mean (Student t, or for a metric bounded to a range a Wilson-type interval that stays
//! inside it), and percentiles; plus a streaming accumulator with `merge`.
//!
//! Sums run serially in trial order, never as a parallel reduction, so a result is the
//! same bit for bit whatever the thread count.

use statrs::distribution::{ContinuousCDF, StudentsT};

/// The across-trial summary of one metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Trials in which the metric was observed (a trial with no quote has no quote
    /// lead time).
    pub n: u64,
    pub mean: f64,
    pub sd: f64,
    /// NaN when it cannot be computed (fewer than two observations).
    pub ci95_low: f64,
    pub ci95_high: f64,
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
}

impl Summary {
    /// The statistics in output order; `n` (the trials the summary rests on) first.
    pub const STATISTICS: [&'static str; 8] = [
        "n",
        "mean",
        "sd",
        "ci95_low",
        "ci95_high",
        "p5",
        "p50",
        "p95",
    ];

    /// Summarises the finite values of `values` with a Student-t interval; NaN entries
    /// are trials without an observation and are left out (`n` counts the rest).
    pub fn of(values: &[f64]) -> Summary {
        Summary::of_bounded(values, None)
    }

    /// As [`Summary::of`], but for a metric whose every value lies in `bounds`
    /// (`(low, high)`, e.g. a share in [0, 1]) the interval is the Wilson-type interval
    /// of [`bounded_interval`], which never leaves the bounds.
    pub fn of_bounded(values: &[f64], bounds: Option<(f64, f64)>) -> Summary {
        let mut finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        let n = finite.len();
        if n == 0 {
            return Summary {
                n: 0,
                mean: f64::NAN,
                sd: f64::NAN,
                ci95_low: f64::NAN,
                ci95_high: f64::NAN,
                p5: f64::NAN,
                p50: f64::NAN,
                p95: f64::NAN,
            };
        }
        let mut acc = Accumulator::default();
        for &v in &finite {
            acc.push(v);
        }
        let (mean, sd) = (acc.mean(), acc.sd());
        finite.sort_by(f64::total_cmp);
        let (ci95_low, ci95_high) = match bounds {
            _ if n < 2 => (f64::NAN, f64::NAN),
            Some(bounds) => bounded_interval(mean, sd, n as u64, bounds),
            None => {
                let half = t_quantile_975(n as u64 - 1) * sd / (n as f64).sqrt();
                (mean - half, mean + half)
            }
        };
        Summary {
            n: n as u64,
            mean,
            sd,
            ci95_low,
            ci95_high,
            p5: quantile_sorted(&finite, 0.05),
            p50: quantile_sorted(&finite, 0.5),
            p95: quantile_sorted(&finite, 0.95),
        }
    }

    pub fn get(&self, statistic: &str) -> Option<f64> {
        Some(match statistic {
            "n" => self.n as f64,
            "mean" => self.mean,
            "sd" => self.sd,
            "ci95_low" => self.ci95_low,
            "ci95_high" => self.ci95_high,
            "p5" => self.p5,
            "p50" => self.p50,
            "p95" => self.p95,
            _ => return None,
        })
    }

    /// The statistics in the order of [`Summary::STATISTICS`].
    pub fn values(&self) -> [f64; 8] {
        [
            self.n as f64,
            self.mean,
            self.sd,
            self.ci95_low,
            self.ci95_high,
            self.p5,
            self.p50,
            self.p95,
        ]
    }

    /// Whether the confidence interval excludes zero (for paired differences).
    pub fn excludes_zero(&self) -> bool {
        self.ci95_low > 0.0 || self.ci95_high < 0.0
    }
}

/// The 95% interval of the mean of `n >= 2` values lying in `bounds`, with sample mean
/// `mean` and standard deviation `sd`: Wilson's score interval (Wilson 1927) computed
/// with the effective sample size `n_eff = p(1 - p) / (sd^2 / n)` of the mean rescaled to
/// `p` in [0, 1], and Student's t with `n - 1` degrees of freedom in place of z: the
/// "modified Wilson" interval for a proportion estimated from correlated data (Kott and
/// Carr 1997; compared in Dean and Pagano 2015, "Evaluating confidence interval
/// methods for binomial proportions in clustered surveys", J. Surv. Stat. Methodol.
/// 3:484-503). Each trial's share is one cluster. For large `n_eff` it agrees with the
/// t interval; near a bound it is skewed away from it and, being the solution of a
/// quadratic in `p` whose variance vanishes at 0 and 1, never leaves `[0, 1]`. With no
/// spread at all (every trial gave the same value) it is that value, as the t interval.
pub fn bounded_interval(mean: f64, sd: f64, n: u64, bounds: (f64, f64)) -> (f64, f64) {
    let (low, high) = bounds;
    let width = high - low;
    let p = ((mean - low) / width).clamp(0.0, 1.0);
    let var_of_mean = (sd / width).powi(2) / n as f64;
    if var_of_mean <= 0.0 || p <= 0.0 || p >= 1.0 {
        let at = low + p * width;
        return (at, at);
    }
    let m = p * (1.0 - p) / var_of_mean;
    let z = t_quantile_975(n - 1);
    let z2m = z * z / m;
    let centre = (p + z2m / 2.0) / (1.0 + z2m);
    let half = z / (1.0 + z2m) * (p * (1.0 - p) / m + z2m / (4.0 * m)).sqrt();
    let (lo, hi) = ((centre - half).max(0.0), (centre + half).min(1.0));
    (low + lo * width, low + hi * width)
}

/// Quantile by linear interpolation between order statistics (R's type 7) of a
/// sorted slice; NaN for an empty one.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// The 97.5% quantile of Student's t with `df` degrees of freedom (NaN for df = 0).
pub fn t_quantile_975(df: u64) -> f64 {
    t_quantile(df, 0.975)
}

/// The `p` quantile of Student's t with `df` degrees of freedom (NaN for df = 0).
pub fn t_quantile(df: u64, p: f64) -> f64 {
    if df == 0 {
        return f64::NAN;
    }
    StudentsT::new(0.0, 1.0, df as f64).map_or(f64::NAN, |t| t.inverse_cdf(p))
}

/// Welford's streaming mean and variance, mergeable (Chan et al.) so that per-trial or
/// per-shard accumulators combine.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Accumulator {
    pub n: u64,
    mean: f64,
    m2: f64,
}

impl Accumulator {
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
    }

    pub fn merge(&mut self, other: &Accumulator) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *other;
            return;
        }
        let n = self.n + other.n;
        let delta = other.mean - self.mean;
        self.mean += delta * other.n as f64 / n as f64;
        self.m2 += other.m2 + delta * delta * (self.n as f64 * other.n as f64) / n as f64;
        self.n = n;
    }

    pub fn mean(&self) -> f64 {
        if self.n == 0 { f64::NAN } else { self.mean }
    }

    /// Sample standard deviation (n - 1); 0 for a single observation.
    pub fn sd(&self) -> f64 {
        match self.n {
            0 => f64::NAN,
            1 => 0.0,
            n => (self.m2 / (n - 1) as f64).max(0.0).sqrt(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_tables() {
        assert!((t_quantile_975(1) - 12.706).abs() < 1e-3);
        assert!((t_quantile_975(10) - 2.228).abs() < 1e-3);
        assert!((t_quantile_975(1000) - 1.962).abs() < 1e-3);
    }

    #[test]
    fn summary_of_known_values() {
        let s = Summary::of(&[1.0, 2.0, 3.0, 4.0, 5.0, f64::NAN]);
        assert_eq!(s.n, 5);
        assert_eq!(s.mean, 3.0);
        assert!((s.sd - 2.5f64.sqrt()).abs() < 1e-12);
        assert_eq!(s.p50, 3.0);
        let half = 2.776445 * 2.5f64.sqrt() / 5f64.sqrt();
        assert!((s.ci95_high - 3.0 - half).abs() < 1e-4);
    }

    #[test]
    fn zero_variance_and_single_trials_stay_finite_or_marked() {
        let s = Summary::of(&[2.0, 2.0, 2.0]);
        assert_eq!((s.sd, s.ci95_low, s.ci95_high), (0.0, 2.0, 2.0));
        let one = Summary::of(&[2.0]);
        assert_eq!(one.sd, 0.0);
        assert!(one.ci95_low.is_nan());
    }

    #[test]
    fn bounded_intervals_never_leave_their_bounds() {
        let unit = Some((0.0, 1.0));
        let samples: [&[f64]; 7] = [
            &[0.0; 40],
            &[1.0; 40],
            &[0.5],
            &[0.0, 0.0, 0.0, 1.0],
            &[1.0, 1.0, 1.0, 0.0],
            &[0.0, 1e-9],
            &[0.0, 1.0],
        ];
        for values in samples {
            let s = Summary::of_bounded(values, unit);
            if values.len() < 2 {
                assert!(s.ci95_low.is_nan() && s.ci95_high.is_nan());
                continue;
            }
            assert!(s.ci95_low >= 0.0 && s.ci95_high <= 1.0, "{values:?}: {s:?}");
            assert!(
                s.ci95_low <= s.mean && s.mean <= s.ci95_high,
                "{values:?}: {s:?}"
            );
        }
        // The unbounded t interval of the case leaves [0, 100]; this one not.
        let pct: Vec<f64> = (0..40).map(|i| if i == 3 { 2.0 } else { 0.0 }).collect();
        assert!(Summary::of(&pct).ci95_low < 0.0);
        let s = Summary::of_bounded(&pct, Some((0.0, 100.0)));
        assert!(s.ci95_low >= 0.0 && s.ci95_high > s.mean && s.ci95_high <= 100.0);
    }

    #[test]
    fn bounded_interval_agrees_with_t_away_from_the_bounds() {
        let xs: Vec<f64> = (0..200)
            .map(|i| 0.5 + 0.1 * (i as f64 * 0.37).sin())
            .collect();
        let (t, w) = (Summary::of(&xs), Summary::of_bounded(&xs, Some((0.0, 1.0))));
        assert!((t.ci95_low - w.ci95_low).abs() < 1e-4, "{t:?} {w:?}");
        assert!((t.ci95_high - w.ci95_high).abs() < 1e-4, "{t:?} {w:?}");
    }

    #[test]
    fn merged_accumulators_equal_one_pass() {
        let xs: Vec<f64> = (0..100).map(|i| (i as f64 * 0.37).sin() * 10.0).collect();
        let mut whole = Accumulator::default();
        xs.iter().for_each(|&x| whole.push(x));
        let (mut a, mut b) = (Accumulator::default(), Accumulator::default());
        xs[..37].iter().for_each(|&x| a.push(x));
        xs[37..].iter().for_each(|&x| b.push(x));
        a.merge(&b);
        assert!((a.mean() - whole.mean()).abs() < 1e-12);
        assert!((a.sd() - whole.sd()).abs() < 1e-12);
    }
}
