//! Fitting what a history shows: a duration distribution by maximum likelihood
//! (exponential, lognormal or gamma, chosen by AIC, with the Kolmogorov-Smirnov
//! statistic of the choice), a proportion with its Wilson interval, and a Poisson rate
//! with its interval.

use statrs::function::erf::erf;
use statrs::function::gamma::{digamma, gamma_lr, ln_gamma};

/// 1.96: the two-sided 95% normal quantile.
pub const Z95: f64 = 1.959_963_984_540_054;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Exponential,
    Lognormal,
    Gamma,
}

impl Family {
    pub fn name(self) -> &'static str {
        match self {
            Family::Exponential => "exponential",
            Family::Lognormal => "lognormal",
            Family::Gamma => "gamma",
        }
    }
}

/// A fitted duration distribution, given as the scenario gives one: by mean and sd.
#[derive(Debug, Clone, PartialEq)]
pub struct DurationFit {
    pub family: Family,
    pub mean: f64,
    pub sd: f64,
    pub n: usize,
    /// The 95% interval of the mean (normal approximation on the sample).
    pub mean_ci: (f64, f64),
    pub aic: f64,
    /// Kolmogorov-Smirnov distance of the fitted law from the sample, and its
    /// approximate p-value (approximate: the parameters were estimated from the sample).
    pub ks: f64,
    pub ks_p: f64,
}

/// Fits the best of the three families to positive `values` (at least 2, not all equal).
pub fn fit_duration(values: &[f64]) -> Option<DurationFit> {
    let mut x: Vec<f64> = values
        .iter()
        .copied()
        .filter(|v| *v > 0.0 && v.is_finite())
        .collect();
    let n = x.len();
    if n < 2 {
        return None;
    }
    x.sort_by(f64::total_cmp);
    let mean = x.iter().sum::<f64>() / n as f64;
    let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    if var <= 0.0 {
        return None;
    }
    let half = Z95 * (var / n as f64).sqrt();
    let candidates = [exponential(&x, mean), lognormal(&x), gamma(&x, mean)];
    let (family, fitted_mean, fitted_sd, log_likelihood, params, cdf) = candidates
        .into_iter()
        .flatten()
        .min_by(|a, b| aic(a.3, a.4).total_cmp(&aic(b.3, b.4)))?;
    let ks = ks_distance(&x, cdf.as_ref());
    Some(DurationFit {
        family,
        mean: fitted_mean,
        sd: fitted_sd,
        n,
        mean_ci: ((mean - half).max(0.0), mean + half),
        aic: aic(log_likelihood, params),
        ks,
        ks_p: ks_p_value(ks, n),
    })
}

type Candidate = (Family, f64, f64, f64, usize, Box<dyn Fn(f64) -> f64>);

fn aic(log_likelihood: f64, params: usize) -> f64 {
    2.0 * params as f64 - 2.0 * log_likelihood
}

fn exponential(x: &[f64], mean: f64) -> Option<Candidate> {
    let n = x.len() as f64;
    let ll = -n * mean.ln() - x.iter().sum::<f64>() / mean;
    Some((
        Family::Exponential,
        mean,
        mean,
        ll,
        1,
        Box::new(move |v| 1.0 - (-v / mean).exp()),
    ))
}

fn lognormal(x: &[f64]) -> Option<Candidate> {
    let n = x.len() as f64;
    let logs: Vec<f64> = x.iter().map(|v| v.ln()).collect();
    let mu = logs.iter().sum::<f64>() / n;
    let s2 = logs.iter().map(|l| (l - mu).powi(2)).sum::<f64>() / n;
    if s2 <= 0.0 {
        return None;
    }
    let sigma = s2.sqrt();
    let ll = -logs.iter().sum::<f64>()
        - n * (sigma * (2.0 * std::f64::consts::PI).sqrt()).ln()
        - n / 2.0;
    let mean = (mu + s2 / 2.0).exp();
    let sd = mean * (s2.exp() - 1.0).sqrt();
    let cdf = move |v: f64| 0.5 * (1.0 + erf((v.ln() - mu) / (sigma * std::f64::consts::SQRT_2)));
    Some((Family::Lognormal, mean, sd, ll, 2, Box::new(cdf)))
}

/// Gamma by maximum likelihood: Newton's method on ln k - digamma(k) = s, started from
/// the Choi-Wette approximation.
fn gamma(x: &[f64], mean: f64) -> Option<Candidate> {
    let n = x.len() as f64;
    let mean_log = x.iter().map(|v| v.ln()).sum::<f64>() / n;
    let s = mean.ln() - mean_log;
    if s <= 0.0 {
        return None;
    }
    let mut k = (3.0 - s + ((s - 3.0).powi(2) + 24.0 * s).sqrt()) / (12.0 * s);
    for _ in 0..50 {
        let h = 1e-5 * k;
        let trigamma = (digamma(k + h) - digamma(k - h)) / (2.0 * h);
        let step = (k.ln() - digamma(k) - s) / (1.0 / k - trigamma);
        let next = (k - step).max(k / 10.0);
        if (next - k).abs() < 1e-10 * k {
            k = next;
            break;
        }
        k = next;
    }
    if !k.is_finite() || k <= 0.0 {
        return None;
    }
    let theta = mean / k;
    let ll = (k - 1.0) * n * mean_log - n * mean / theta - n * k * theta.ln() - n * ln_gamma(k);
    let cdf = move |v: f64| gamma_lr(k, v / theta);
    Some((Family::Gamma, mean, mean / k.sqrt(), ll, 2, Box::new(cdf)))
}

/// The largest distance between the sample's step function and the fitted CDF.
fn ks_distance(sorted: &[f64], cdf: &dyn Fn(f64) -> f64) -> f64 {
    let n = sorted.len() as f64;
    sorted
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let f = cdf(v);
            (f - i as f64 / n).max((i + 1) as f64 / n - f)
        })
        .fold(0.0, f64::max)
}

/// The asymptotic Kolmogorov p-value, with Stephens' small-sample correction.
fn ks_p_value(d: f64, n: usize) -> f64 {
    let root = (n as f64).sqrt();
    let lambda = (root + 0.12 + 0.11 / root) * d;
    let mut p = 0.0;
    for k in 1..=100 {
        let term = 2.0 * (-1f64).powi(k - 1) * (-2.0 * f64::from(k * k) * lambda * lambda).exp();
        p += term;
        if term.abs() < 1e-12 {
            break;
        }
    }
    p.clamp(0.0, 1.0)
}

/// A proportion `k` of `n` with its 95% Wilson score interval.
pub fn proportion(k: u64, n: u64) -> Option<(f64, (f64, f64))> {
    if n == 0 {
        return None;
    }
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n);
    Some((p, ((centre - half).max(0.0), (centre + half).min(1.0))))
}

/// A Poisson rate of `count` events in `exposure` (weeks) with an approximate 95%
/// interval (the square-root transform, good from a handful of events on).
pub fn poisson_rate(count: u64, exposure: f64) -> Option<(f64, (f64, f64))> {
    if exposure <= 0.0 {
        return None;
    }
    let c = count as f64;
    let low = ((c.sqrt() - Z95 / 2.0).max(0.0)).powi(2) / exposure;
    let high = ((c + 1.0).sqrt() + Z95 / 2.0).powi(2) / exposure;
    Some((c / exposure, (low, high)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_distr::Distribution;

    fn sample<D: Distribution<f64>>(d: D, n: usize) -> Vec<f64> {
        let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(7);
        (0..n).map(|_| d.sample(&mut rng)).collect()
    }

    #[test]
    fn aic_picks_the_family_that_made_the_sample() {
        let x = sample(rand_distr::LogNormal::new(1.0, 0.5).unwrap(), 2000);
        let fit = fit_duration(&x).unwrap();
        assert_eq!(fit.family, Family::Lognormal);
        let true_mean = (1.0f64 + 0.125).exp();
        assert!(
            fit.mean_ci.0 < true_mean && true_mean < fit.mean_ci.1,
            "{fit:?}"
        );
        assert!(fit.ks_p > 0.01, "{fit:?}");

        let x = sample(rand_distr::Gamma::new(3.0, 2.0).unwrap(), 2000);
        let fit = fit_duration(&x).unwrap();
        assert_eq!(fit.family, Family::Gamma);
        assert!((fit.sd - 3f64.sqrt() * 2.0).abs() < 0.2, "{fit:?}");

        let x = sample(rand_distr::Exp::new(0.25).unwrap(), 2000);
        let fit = fit_duration(&x).unwrap();
        assert_eq!(fit.family, Family::Exponential);
        assert!((fit.mean - 4.0).abs() < 0.3, "{fit:?}");
    }

    #[test]
    fn a_bad_fit_shows_in_the_ks_statistic() {
        // Two far-apart clusters: none of the three families fits.
        let x: Vec<f64> = (0..1000)
            .map(|i| {
                if i % 2 == 0 {
                    1.0 + i as f64 * 1e-4
                } else {
                    50.0
                }
            })
            .collect();
        let fit = fit_duration(&x).unwrap();
        assert!(fit.ks_p < 0.001, "{fit:?}");
    }

    #[test]
    fn wilson_and_poisson_intervals_hold_their_estimate() {
        let (p, (lo, hi)) = proportion(30, 100).unwrap();
        assert!(lo < p && p < hi && lo > 0.2 && hi < 0.4);
        assert_eq!(proportion(0, 0), None);
        let (r, (lo, hi)) = poisson_rate(520, 52.0).unwrap();
        assert_eq!(r, 10.0);
        assert!(lo > 9.0 && hi < 11.0 && lo < r && r < hi);
    }
}
