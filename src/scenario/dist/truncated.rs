//! The normal distribution truncated at zero, parameterised by the mean and standard
//! deviation it has after truncation: the underlying normal is solved for.

use rand::Rng;
use rand_distr::{Distribution as _, Exp1, StandardNormal};
use statrs::function::erf::erfc;

/// The most negative standardised location `k = mu / sigma` solved for: beyond it the
/// truncated normal is an exponential to within 1% in its coefficient of variation,
/// and the moment formulas lose precision.
const K_MIN: f64 = -10.0;
/// Above this `k` the truncation removes less than 1e-23 of the mass: the underlying
/// normal is the stated one.
const K_MAX: f64 = 10.0;

/// A normal distribution `N(mu, sigma)` conditioned on being non-negative.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TruncatedNormal {
    mu: f64,
    sigma: f64,
}

/// The standard normal density and distribution function.
fn phi(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

fn big_phi(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

/// Mean and standard deviation of `N(k, 1)` truncated at zero:
/// `k + h` and `sqrt(1 - k h - h^2)` with the inverse Mills ratio `h = phi(k) / Phi(k)`
/// (Johnson, Kotz and Balakrishnan, Continuous Univariate Distributions 1, §10.1).
fn standard_moments(k: f64) -> (f64, f64) {
    let h = phi(k) / big_phi(k);
    (k + h, (1.0 - k * h - h * h).max(0.0).sqrt())
}

fn coefficient_of_variation(k: f64) -> f64 {
    let (mean, sd) = standard_moments(k);
    sd / mean
}

/// The largest `sd / mean` a normal truncated at zero can have (about 0.99; the limit,
/// an exponential, has 1).
pub fn max_coefficient_of_variation() -> f64 {
    coefficient_of_variation(K_MIN)
}

impl TruncatedNormal {
    /// The truncated normal whose mean and standard deviation after truncation are
    /// `mean > 0` and `sd > 0`; `None` when no normal truncated at zero has them
    /// (`sd / mean` of at least [`max_coefficient_of_variation`]).
    pub fn with_moments(mean: f64, sd: f64) -> Option<TruncatedNormal> {
        let target = sd / mean;
        if target.is_nan() || target <= 0.0 || target >= max_coefficient_of_variation() {
            return None;
        }
        // The coefficient of variation falls monotonically in k: bisect.
        let k = if coefficient_of_variation(K_MAX) > target {
            1.0 / target
        } else {
            let (mut lo, mut hi) = (K_MIN, K_MAX);
            for _ in 0..200 {
                let mid = 0.5 * (lo + hi);
                if coefficient_of_variation(mid) > target {
                    lo = mid;
                } else {
                    hi = mid;
                }
                if hi - lo < 1e-13 {
                    break;
                }
            }
            0.5 * (lo + hi)
        };
        let sigma = mean / standard_moments(k).0;
        Some(TruncatedNormal {
            mu: k * sigma,
            sigma,
        })
    }

    /// One draw. Standardised, it is `N(0, 1)` truncated to `z >= a` with
    /// `a = -mu / sigma`: for `a <= 0` by redrawing (at least half the draws are kept),
    /// beyond by Robert's exponential rejection sampler with the optimal rate
    /// (C. P. Robert 1995, "Simulation of truncated normal variables", Statistics and
    /// Computing 5:121-125), which stays fast however far in the tail `a` lies.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let a = -self.mu / self.sigma;
        if a <= 0.0 {
            for _ in 0..64 {
                let z: f64 = StandardNormal.sample(rng);
                if z >= a {
                    return self.mu + self.sigma * z;
                }
            }
        }
        let rate = 0.5 * (a + (a * a + 4.0).sqrt());
        loop {
            let e: f64 = Exp1.sample(rng);
            let z = a + e / rate;
            let u: f64 = rand_distr::StandardUniform.sample(rng);
            if u <= (-0.5 * (z - rate).powi(2)).exp() {
                return (self.mu + self.sigma * z).max(0.0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::ChaCha8Rng;

    /// Mean and sd of 100,000 draws are within four standard errors of the stated ones.
    fn check(mean: f64, sd: f64) {
        let d = TruncatedNormal::with_moments(mean, sd).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let n = 100_000;
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
        assert!(xs.iter().all(|&x| x >= 0.0));
        let m = xs.iter().sum::<f64>() / n as f64;
        let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64;
        let se_mean = sd / (n as f64).sqrt();
        // The sd of a sample sd is about sd * sqrt((kurtosis - 1) / 4n); 3 for the
        // kurtosis bounds it well for these shapes (an exponential's is 9: use 9).
        let se_sd = sd * (8.0 / (4.0 * n as f64)).sqrt();
        assert!(
            (m - mean).abs() < 4.0 * se_mean,
            "mean {m} for ({mean}, {sd})"
        );
        assert!(
            (v.sqrt() - sd).abs() < 4.0 * se_sd,
            "sd {} for ({mean}, {sd})",
            v.sqrt()
        );
    }

    #[test]
    fn draws_have_the_stated_mean_and_sd_after_truncation() {
        check(1.0, 0.6); // the case: redrawing alone gave a mean of 1.063
        check(10.0, 1.0); // hardly truncated
        check(2.0, 1.9); // mostly truncated: the underlying mean is far below zero
        check(1.0, 0.9);
    }

    #[test]
    fn solved_parameters_reproduce_the_moments() {
        for (mean, sd) in [(1.0, 0.6), (3.0, 0.1), (1.0, 0.98)] {
            let d = TruncatedNormal::with_moments(mean, sd).unwrap();
            let (m, s) = standard_moments(d.mu / d.sigma);
            assert!((m * d.sigma - mean).abs() < 1e-9 * mean, "({mean}, {sd})");
            assert!((s * d.sigma - sd).abs() < 1e-6 * sd, "({mean}, {sd})");
        }
    }

    #[test]
    fn refuses_a_spread_no_truncated_normal_has() {
        assert!(TruncatedNormal::with_moments(1.0, 1.0).is_none());
        assert!(TruncatedNormal::with_moments(1.0, 5.0).is_none());
        assert!(max_coefficient_of_variation() > 0.99);
    }
}
