//! The table form of a distribution, `{ dist = "...", ... }`: which keys each kind
//! takes, and how each is checked and built.

use rand_distr::weighted::WeightedIndex;
use rand_distr::{Exp, Gamma, LogNormal, Triangular, Uniform};

use super::truncated::{TruncatedNormal, max_coefficient_of_variation};
use super::{Distribution, Invalid, check_non_negative, invalid};
use crate::scenario::raw::RawDistTable;

/// One kind of distribution: the `dist` name, the keys it takes, and how it is built
/// once only those keys are known to be present.
struct Kind {
    name: &'static str,
    keys: &'static [&'static str],
    build: fn(&RawDistTable) -> Result<Distribution, Invalid>,
}

/// Every kind, in the order error messages list them.
const KINDS: [Kind; 8] = [
    kind("constant", &["value"], constant),
    kind("exponential", &["mean"], exponential),
    kind("uniform", &["min", "max"], uniform),
    kind("triangular", &["min", "mode", "max"], triangular),
    kind("lognormal", &["mean", "sd"], lognormal),
    kind("gamma", &["mean", "sd"], gamma),
    kind("normal", &["mean", "sd"], normal),
    kind("empirical", &["values", "weights"], empirical),
];

/// Keeps the table above one line a kind (rustfmt would spread struct literals).
const fn kind(
    name: &'static str,
    keys: &'static [&'static str],
    build: fn(&RawDistTable) -> Result<Distribution, Invalid>,
) -> Kind {
    Kind { name, keys, build }
}

pub(super) fn from_table(t: &RawDistTable) -> Result<Distribution, Invalid> {
    let kind = find_kind(&t.dist)?;
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
        if present && !kind.keys.contains(&key) {
            return Err(invalid(
                key,
                format!(
                    "not a parameter of \"{}\" (it takes {})",
                    t.dist,
                    kind.keys.join(", ")
                ),
            ));
        }
    }
    (kind.build)(t)
}

fn find_kind(name: &str) -> Result<&'static Kind, Invalid> {
    if let Some(kind) = KINDS.iter().find(|k| k.name == name) {
        return Ok(kind);
    }
    let names = KINDS.map(|k| k.name);
    let hint = crate::scenario::error::did_you_mean(name, names)
        .map(|s| format!(" (did you mean \"{s}\"?)"))
        .unwrap_or_default();
    Err(invalid(
        "dist",
        format!(
            "unknown distribution \"{name}\"{hint}; expected one of {}",
            names.join(", ")
        ),
    ))
}

/// A parameter the kind requires, checked to be an ordinary non-negative number.
fn need(t: &RawDistTable, key: &str, v: Option<f64>) -> Result<f64, Invalid> {
    let v = v.ok_or_else(|| invalid(key, format!("\"{}\" needs `{key}`", t.dist)))?;
    check_non_negative(key, v)?;
    Ok(v)
}

fn constant(t: &RawDistTable) -> Result<Distribution, Invalid> {
    Ok(Distribution::Constant(need(t, "value", t.value)?))
}

fn exponential(t: &RawDistTable) -> Result<Distribution, Invalid> {
    let mean = need(t, "mean", t.mean)?;
    positive("mean", mean)?;
    let sampler = Exp::new(1.0 / mean).map_err(|e| out_of_range(t, "mean", e))?;
    Ok(Distribution::Exponential { sampler, mean })
}

fn ordered(min: f64, max: f64) -> Result<(), Invalid> {
    if min > max {
        return Err(invalid(
            "min",
            format!("min ({min}) must not exceed max ({max})"),
        ));
    }
    Ok(())
}

fn uniform(t: &RawDistTable) -> Result<Distribution, Invalid> {
    let (min, max) = (need(t, "min", t.min)?, need(t, "max", t.max)?);
    ordered(min, max)?;
    if min == max {
        return Ok(Distribution::Constant(min));
    }
    let sampler = Uniform::new_inclusive(min, max).map_err(|e| out_of_range(t, "min", e))?;
    Ok(Distribution::Uniform { sampler, min, max })
}

fn triangular(t: &RawDistTable) -> Result<Distribution, Invalid> {
    let min = need(t, "min", t.min)?;
    let mode = need(t, "mode", t.mode)?;
    let max = need(t, "max", t.max)?;
    ordered(min, max)?;
    if mode < min || mode > max {
        return Err(invalid(
            "mode",
            format!("mode ({mode}) must lie in [min, max] = [{min}, {max}]"),
        ));
    }
    if min == max {
        return Ok(Distribution::Constant(min));
    }
    let sampler = Triangular::new(min, max, mode).map_err(|e| out_of_range(t, "mode", e))?;
    Ok(Distribution::Triangular {
        sampler,
        mean: (min + mode + max) / 3.0,
    })
}

/// Reads `mean` and `sd` for the kinds given by them and builds with `build`, except
/// that no spread at all is a constant, whatever the kind (gamma's shape would be
/// infinite).
fn with_mean_and_sd(
    t: &RawDistTable,
    build: impl FnOnce(f64, f64) -> Result<Distribution, Invalid>,
) -> Result<Distribution, Invalid> {
    let (mean, sd) = (need(t, "mean", t.mean)?, need(t, "sd", t.sd)?);
    positive("mean", mean)?;
    if sd == 0.0 {
        return Ok(Distribution::Constant(mean));
    }
    build(mean, sd)
}

fn lognormal(t: &RawDistTable) -> Result<Distribution, Invalid> {
    with_mean_and_sd(t, |mean, sd| {
        let sigma2 = (1.0 + (sd / mean).powi(2)).ln();
        let mu = mean.ln() - sigma2 / 2.0;
        let sampler = LogNormal::new(mu, sigma2.sqrt()).map_err(|e| out_of_range(t, "sd", e))?;
        Ok(Distribution::LogNormal { sampler, mean })
    })
}

fn gamma(t: &RawDistTable) -> Result<Distribution, Invalid> {
    with_mean_and_sd(t, |mean, sd| {
        let shape = (mean / sd).powi(2);
        let scale = sd * sd / mean;
        let sampler = Gamma::new(shape, scale).map_err(|e| out_of_range(t, "sd", e))?;
        Ok(Distribution::Gamma { sampler, mean })
    })
}

/// `mean` and `sd` are those of the distribution as sampled, after truncation at zero.
fn normal(t: &RawDistTable) -> Result<Distribution, Invalid> {
    with_mean_and_sd(t, |mean, sd| {
        let sampler = TruncatedNormal::with_moments(mean, sd).ok_or_else(|| {
            invalid(
                "sd",
                format!(
                    "is too large for a normal truncated at zero: its sd can be at most {:.2} \
                     times its mean (got sd {sd} for mean {mean}); for more spread use \
                     \"gamma\" or \"lognormal\"",
                    max_coefficient_of_variation()
                ),
            )
        })?;
        Ok(Distribution::Normal { sampler, mean })
    })
}

fn empirical(t: &RawDistTable) -> Result<Distribution, Invalid> {
    let values = t
        .values
        .clone()
        .ok_or_else(|| invalid("values", "\"empirical\" needs `values`"))?;
    if values.is_empty() {
        return Err(invalid("values", "must hold at least one value"));
    }
    for v in &values {
        check_non_negative("values", *v)?;
    }
    // No weights means every value is equally likely.
    let weights = t.weights.clone().unwrap_or_else(|| vec![1.0; values.len()]);
    if weights.len() != values.len() {
        return Err(invalid(
            "weights",
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
        return Err(invalid("weights", "must not all be zero"));
    }
    let mean = values.iter().zip(&weights).map(|(v, w)| v * w).sum::<f64>() / total;
    let index = WeightedIndex::new(&weights).map_err(|e| out_of_range(t, "weights", e))?;
    Ok(Distribution::Empirical {
        values,
        index,
        mean,
    })
}

/// A parameter combination the sampler refuses (extreme values that overflow or
/// underflow): the sampler's own words, with the distribution and what to do.
fn out_of_range(t: &RawDistTable, key: &str, e: impl std::fmt::Display) -> Invalid {
    (
        key.to_string(),
        format!(
            "these \"{}\" parameters are out of the range that can be sampled ({e}); use values of a more ordinary size",
            t.dist
        ),
    )
}

/// The smallest mean a distribution may have: below it, durations and rates lose all
/// meaning in floating point (a rate of 1/1e-320 is infinite).
const SMALLEST_MEAN: f64 = 1e-9;

fn positive(key: &str, v: f64) -> Result<(), Invalid> {
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
