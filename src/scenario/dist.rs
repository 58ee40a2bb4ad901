//! Probability distributions of durations, values and counts, given by mean where that
//! is natural, validated once and then sampled without further checks.

use rand::Rng;
use rand_distr::weighted::WeightedIndex;
use rand_distr::{Distribution as _, Exp, Gamma, LogNormal, Normal, Triangular, Uniform};

use super::raw::{RawDist, RawDistTable};

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
    /// A normal distribution truncated at zero by redrawing negative values.
    Normal {
        sampler: Normal<f64>,
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
            Distribution::Normal { sampler, .. } => {
                // Validation ensures mean > 0, so a non-negative draw comes quickly;
                // the bound keeps a pathological case from looping for ever.
                for _ in 0..64 {
                    let x = sampler.sample(rng);
                    if x >= 0.0 {
                        return x;
                    }
                }
                0.0
            }
            Distribution::Empirical { values, index, .. } => values[index.sample(rng)],
            Distribution::Scaled { inner, factor } => inner.sample(rng) * factor,
        }
    }

    /// The mean of the distribution as written (for a truncated normal, the mean before
    /// truncation): used for offered-load estimates, not for results.
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
            RawDist::Table(table) => from_table(table),
        }
    }
}

const KINDS: [&str; 8] = [
    "constant",
    "exponential",
    "uniform",
    "triangular",
    "lognormal",
    "gamma",
    "normal",
    "empirical",
];

fn from_table(t: &RawDistTable) -> Result<Distribution, (String, String)> {
    let allowed: &[&str] = match t.dist.as_str() {
        "constant" => &["value"],
        "exponential" => &["mean"],
        "uniform" => &["min", "max"],
        "triangular" => &["min", "mode", "max"],
        "lognormal" | "gamma" | "normal" => &["mean", "sd"],
        "empirical" => &["values", "weights"],
        other => {
            let hint = super::error::did_you_mean(other, KINDS)
                .map(|s| format!(" (did you mean \"{s}\"?)"))
                .unwrap_or_default();
            return Err((
                "dist".into(),
                format!(
                    "unknown distribution \"{other}\"{hint}; expected one of {}",
                    KINDS.join(", ")
                ),
            ));
        }
    };
    let given = [
        ("value", t.value.is_some()),
        ("mean", t.mean.is_some()),
        ("sd", t.sd.is_some()),
        ("min", t.min.is_some()),
        ("max", t.max.is_some()),
        ("mode", t.mode.is_some()),
        ("values", t.values.is_some()),
        ("weights", t.weights.is_some()),
    ];
    for (key, present) in given {
        if present && !allowed.contains(&key) {
            return Err((
                key.into(),
                format!(
                    "not a parameter of \"{}\" (it takes {})",
                    t.dist,
                    allowed.join(", ")
                ),
            ));
        }
    }
    let need = |key: &str, v: Option<f64>| -> Result<f64, (String, String)> {
        let v = v.ok_or_else(|| (key.to_string(), format!("\"{}\" needs `{key}`", t.dist)))?;
        check_non_negative(key, v)?;
        Ok(v)
    };
    match t.dist.as_str() {
        "constant" => Ok(Distribution::Constant(need("value", t.value)?)),
        "exponential" => {
            let mean = need("mean", t.mean)?;
            positive("mean", mean)?;
            let sampler = Exp::new(1.0 / mean).map_err(|e| out_of_range(t, "mean", e))?;
            Ok(Distribution::Exponential { sampler, mean })
        }
        "uniform" => {
            let (min, max) = (need("min", t.min)?, need("max", t.max)?);
            if min > max {
                return Err((
                    "min".into(),
                    format!("min ({min}) must not exceed max ({max})"),
                ));
            }
            if min == max {
                return Ok(Distribution::Constant(min));
            }
            let sampler =
                Uniform::new_inclusive(min, max).map_err(|e| out_of_range(t, "min", e))?;
            Ok(Distribution::Uniform { sampler, min, max })
        }
        "triangular" => {
            let (min, mode, max) = (
                need("min", t.min)?,
                need("mode", t.mode)?,
                need("max", t.max)?,
            );
            if min > max {
                return Err((
                    "min".into(),
                    format!("min ({min}) must not exceed max ({max})"),
                ));
            }
            if mode < min || mode > max {
                return Err((
                    "mode".into(),
                    format!("mode ({mode}) must lie in [min, max] = [{min}, {max}]"),
                ));
            }
            if min == max {
                return Ok(Distribution::Constant(min));
            }
            let sampler =
                Triangular::new(min, max, mode).map_err(|e| out_of_range(t, "mode", e))?;
            Ok(Distribution::Triangular {
                sampler,
                mean: (min + mode + max) / 3.0,
            })
        }
        "lognormal" | "gamma" | "normal" => {
            let (mean, sd) = (need("mean", t.mean)?, need("sd", t.sd)?);
            positive("mean", mean)?;
            if sd == 0.0 {
                return Ok(Distribution::Constant(mean));
            }
            match t.dist.as_str() {
                "lognormal" => {
                    let sigma2 = (1.0 + (sd / mean).powi(2)).ln();
                    let mu = mean.ln() - sigma2 / 2.0;
                    let sampler =
                        LogNormal::new(mu, sigma2.sqrt()).map_err(|e| out_of_range(t, "sd", e))?;
                    Ok(Distribution::LogNormal { sampler, mean })
                }
                "gamma" => {
                    let shape = (mean / sd).powi(2);
                    let scale = sd * sd / mean;
                    let sampler = Gamma::new(shape, scale).map_err(|e| out_of_range(t, "sd", e))?;
                    Ok(Distribution::Gamma { sampler, mean })
                }
                _ => {
                    let sampler = Normal::new(mean, sd).map_err(|e| out_of_range(t, "sd", e))?;
                    Ok(Distribution::Normal { sampler, mean })
                }
            }
        }
        _ => {
            let values = t.values.clone().ok_or_else(|| {
                (
                    "values".to_string(),
                    "\"empirical\" needs `values`".to_string(),
                )
            })?;
            if values.is_empty() {
                return Err(("values".into(), "must hold at least one value".into()));
            }
            for v in &values {
                check_non_negative("values", *v)?;
            }
            let weights = t.weights.clone().unwrap_or_else(|| vec![1.0; values.len()]);
            if weights.len() != values.len() {
                return Err((
                    "weights".into(),
                    format!(
                        "has {} entries but values has {}",
                        weights.len(),
                        values.len()
                    ),
                ));
            }
            for w in &weights {
                check_non_negative("weights", *w)?;
            }
            let total: f64 = weights.iter().sum();
            if total <= 0.0 {
                return Err(("weights".into(), "must not all be zero".into()));
            }
            let mean = values.iter().zip(&weights).map(|(v, w)| v * w).sum::<f64>() / total;
            let index = WeightedIndex::new(&weights).map_err(|e| out_of_range(t, "weights", e))?;
            Ok(Distribution::Empirical {
                values,
                index,
                mean,
            })
        }
    }
}

/// A parameter combination the sampler refuses (extreme values that overflow or
/// underflow): the sampler's own words, with the distribution and what to do.
fn out_of_range(t: &RawDistTable, key: &str, e: impl std::fmt::Display) -> (String, String) {
    (
        key.to_string(),
        format!(
            "these \"{}\" parameters are out of the range that can be sampled ({e}); use values of a more ordinary size",
            t.dist
        ),
    )
}

/// No parameter needs to be larger (hours, days, money, counts); larger ones are typos,
/// and times that large would overflow the model's day arithmetic.
const MAX_PARAMETER: f64 = 1e12;

fn check_non_negative(key: &str, v: f64) -> Result<(), (String, String)> {
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

/// The smallest mean a distribution may have: below it, durations and rates lose all
/// meaning in floating point (a rate of 1/1e-320 is infinite).
const SMALLEST_MEAN: f64 = 1e-9;

fn positive(key: &str, v: f64) -> Result<(), (String, String)> {
    if v <= 0.0 {
        return Err((key.into(), format!("must be greater than 0 (got {v})")));
    }
    if v < SMALLEST_MEAN {
        return Err((
            key.into(),
            format!("must be at least {SMALLEST_MEAN:e} (got {v:e})"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
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
