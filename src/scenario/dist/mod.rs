//! Probability distributions of durations, values and counts, given by mean where that
//! is natural, validated once and then sampled without further checks.

use rand::Rng;
use rand_distr::weighted::WeightedIndex;
use rand_distr::{Distribution as _, Exp, Gamma, LogNormal, Triangular, Uniform};

mod table;
mod truncated;

pub use truncated::TruncatedNormal;

use super::raw::RawDist;

/// A validated distribution. Every variant samples finite, non-negative values except
/// where a user gave negative constants or bounds on purpose (validation forbids those
/// for durations).
#[derive(Debug, Clone)]
pub enum Distribution {
    Constant(f64),
    Exponential {
        sampler: Exp<f64>,
        mean: f64,
    },
    Uniform {
        sampler: Uniform<f64>,
        min: f64,
        max: f64,
    },
    Triangular {
        sampler: Triangular<f64>,
        mean: f64,
    },
    LogNormal {
        sampler: LogNormal<f64>,
        mean: f64,
    },
    Gamma {
        sampler: Gamma<f64>,
        mean: f64,
    },
    /// A normal distribution truncated at zero, with the stated mean and sd after
    /// truncation (the underlying normal is solved for).
    Normal {
        sampler: TruncatedNormal,
        mean: f64,
    },
    Empirical {
        values: Vec<f64>,
        index: WeightedIndex<f64>,
        mean: f64,
    },
    /// Another distribution in other units (days, minutes), multiplied into hours.
    Scaled {
        inner: Box<Distribution>,
        factor: f64,
    },
}

impl Distribution {
    pub fn constant(value: f64) -> Self {
        Distribution::Constant(value)
    }

    /// The same distribution with every value multiplied by `factor`.
    pub fn scaled(self, factor: f64) -> Self {
        match self {
            Distribution::Constant(v) => Distribution::Constant(v * factor),
            other => Distribution::Scaled {
                inner: Box::new(other),
                factor,
            },
        }
    }

    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Distribution::Constant(v) => *v,
            Distribution::Exponential { sampler, .. } => sampler.sample(rng),
            Distribution::Uniform { sampler, .. } => sampler.sample(rng),
            Distribution::Triangular { sampler, .. } => sampler.sample(rng),
            Distribution::LogNormal { sampler, .. } => sampler.sample(rng),
            Distribution::Gamma { sampler, .. } => sampler.sample(rng),
            Distribution::Normal { sampler, .. } => sampler.sample(rng),
            Distribution::Empirical { values, index, .. } => values[index.sample(rng)],
            Distribution::Scaled { inner, factor } => inner.sample(rng) * factor,
        }
    }

    /// The mean of the distribution (as written, which for the truncated normal is its
    /// mean after truncation): used for offered-load estimates, not for results.
    pub fn mean(&self) -> f64 {
        match self {
            Distribution::Constant(v) => *v,
            Distribution::Uniform { min, max, .. } => (min + max) / 2.0,
            Distribution::Exponential { mean, .. }
            | Distribution::Triangular { mean, .. }
            | Distribution::LogNormal { mean, .. }
            | Distribution::Gamma { mean, .. }
            | Distribution::Normal { mean, .. }
            | Distribution::Empirical { mean, .. } => *mean,
            Distribution::Scaled { inner, factor } => inner.mean() * factor,
        }
    }

    /// Builds a distribution from its written form. Errors are messages about the
    /// distribution's own keys, as `(sub-key, message)`.
    pub fn from_raw(raw: &RawDist) -> Result<Self, (String, String)> {
        match raw {
            RawDist::Constant(v) => {
                check_non_negative("", *v)?;
                Ok(Distribution::Constant(*v))
            }
            RawDist::Table(table) => table::from_table(table),
        }
    }
}

/// A problem with one of a distribution's own keys: (sub-key, message).
type Invalid = (String, String);

fn invalid(key: &str, message: impl Into<String>) -> Invalid {
    (key.to_string(), message.into())
}

/// No parameter needs to be larger (hours, days, money, counts); larger ones are typos,
/// and times that large would overflow the model's day arithmetic.
const MAX_PARAMETER: f64 = 1e12;

fn check_non_negative(key: &str, v: f64) -> Result<(), Invalid> {
    if !v.is_finite() {
        return Err((key.into(), format!("must be a finite number (got {v})")));
    }
    if v < 0.0 {
        return Err((key.into(), format!("must not be negative (got {v})")));
    }
    if v > MAX_PARAMETER {
        return Err((
            key.into(),
            format!("must be at most {MAX_PARAMETER:e} (got {v:e}); is it a typo?"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::raw::RawDistTable;
    use rand::SeedableRng;
    use rand::rngs::ChaCha8Rng;

    fn table(dist: &str) -> RawDistTable {
        RawDistTable {
            dist: dist.into(),
            value: None,
            mean: None,
            sd: None,
            min: None,
            max: None,
            mode: None,
            values: None,
            weights: None,
        }
    }

    fn sample_mean(d: &Distribution) -> f64 {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let n = 200_000;
        (0..n).map(|_| d.sample(&mut rng)).sum::<f64>() / n as f64
    }

    #[test]
    fn lognormal_and_gamma_are_parameterised_by_mean_and_sd() {
        for kind in ["lognormal", "gamma"] {
            let mut t = table(kind);
            t.mean = Some(3.0);
            t.sd = Some(1.5);
            let d = Distribution::from_raw(&RawDist::Table(t)).unwrap();
            assert!((sample_mean(&d) - 3.0).abs() < 0.03, "{kind}");
        }
    }

    #[test]
    fn normal_has_its_stated_mean_after_truncation() {
        let mut t = table("normal");
        t.mean = Some(1.0);
        t.sd = Some(0.6);
        let d = Distribution::from_raw(&RawDist::Table(t)).unwrap();
        assert_eq!(d.mean(), 1.0);
        // Redrawing N(1, 0.6) gave 1.063; the standard error here is 0.6 / sqrt(2e5).
        assert!((sample_mean(&d) - 1.0).abs() < 4.0 * 0.6 / 200_000f64.sqrt());
    }

    #[test]
    fn normal_refuses_a_spread_no_truncated_normal_has() {
        let mut t = table("normal");
        t.mean = Some(1.0);
        t.sd = Some(1.5);
        let (key, message) = Distribution::from_raw(&RawDist::Table(t)).unwrap_err();
        assert_eq!(key, "sd");
        assert!(message.contains("at most 0.99 times its mean"), "{message}");
        assert!(message.contains("\"gamma\""), "{message}");
    }

    #[test]
    fn rejects_impossible_parameters() {
        let mut t = table("triangular");
        t.min = Some(2.0);
        t.mode = Some(5.0);
        t.max = Some(4.0);
        let err = Distribution::from_raw(&RawDist::Table(t)).unwrap_err();
        assert_eq!(err.0, "mode");
        let mut t = table("lognormal");
        t.mean = Some(1.0);
        t.sd = Some(-1.0);
        assert_eq!(
            Distribution::from_raw(&RawDist::Table(t)).unwrap_err().0,
            "sd"
        );
        let mut t = table("exponentail");
        t.mean = Some(1.0);
        assert!(
            Distribution::from_raw(&RawDist::Table(t))
                .unwrap_err()
                .1
                .contains("did you mean \"exponential\"")
        );
    }
}
