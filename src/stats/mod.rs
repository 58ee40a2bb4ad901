//! Statistics across trials: mean, standard deviation, a Student-t 95% confidence
//! interval of the mean, and percentiles; plus a streaming accumulator with `merge`.
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
    pub const STATISTICS: [&'static str; 7] =
        ["mean", "sd", "ci95_low", "ci95_high", "p5", "p50", "p95"];

    /// Summarises the finite values of `values`; NaN entries are trials without an
    /// observation and are left out.
    pub fn of(values: &[f64]) -> Summary {
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
        let half = t_quantile_975(n as u64 - 1) * sd / (n as f64).sqrt();
        finite.sort_by(f64::total_cmp);
        let (ci95_low, ci95_high) = if n >= 2 {
            (mean - half, mean + half)
        } else {
            (f64::NAN, f64::NAN)
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

    pub fn values(&self) -> [f64; 7] {
        [
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
