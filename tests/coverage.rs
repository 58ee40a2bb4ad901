//! Do the 95% intervals salesim prints cover the truth? An M/M/3 quote desk at
//! utilisation 0.8 is run with many seeds; each seed's interval of the mean wait, the
//! mean lead time and the utilisation is checked against the exact value (Erlang C),
//! and at least 90% of them must cover it. A biased engine or interval (the empty start
//! of a run, an interval that ignores its bounds) fails this.
//!
//! With salesim's defaults (52 weeks, no warm-up) the empty start biases every trial
//! low, and coverage falls as trials are added (measured on seeds 1..=50, 10 for 1,000
//! trials; wait, lead time, utilisation):
//!
//! | warm-up  | 20 trials  | 100 trials | 1,000 trials |
//! |----------|------------|------------|--------------|
//! | none     | 44, 44, 44 | 40, 40, 42 | 2, 2, 1 of 10 |
//! | 4 weeks  | 46, 46, 46 | 45, 44, 44 | 8, 8, 10 of 10 |
//! | 12 weeks | 45, 45, 46 | 45, 45, 44 | 8, 8, 10 of 10 |
//!
//! The warm-up is now found from a pilot by default (`warmup_weeks = "auto"`). The test
//! at the defaults runs 100 trials on each of seeds 1..=300: enough trials that the
//! empty-start bias shows (with the warm-up forced to 0, 253 of 300 intervals of the
//! wait cover, 84%) and enough seeds that the 90% bar is a real test (a binomial
//! standard error of 1.7 points). The auto warm-up gives 275 of 300 for the wait, 275
//! for the lead time and 281 for the utilisation. What keeps the wait and lead time
//! short of 95% is not the warm-up: a fixed 12-week one gives 278 of 300; most misses
//! fall below the exact value because each trial's mean wait over 40-odd weeks is
//! skewed to the right, and the across-trial mean of per-trial means reads about 0.4%
//! low against the customer average (a ratio-estimator bias; weighting the trials by
//! their quotes removes it), which matters only with many trials (a longer horizon
//! removes both: 200 weeks with a 12-week warm-up give 96% with 20 trials).
//!
//! The test with an analyst's warm-up sets the one an analyst would: five relaxation
//! times of the desk, `5 / (c mu (1 - sqrt rho)^2)`
//! (the M/M/1 relaxation time of Abate and Whitt 1987, "Transient behavior of the
//! M/M/1 queue", with the pooled service rate `c mu`) = 5 x 89.8 h = 11.2 weeks,
//! rounded up to 12, leaving the bias under 1% of the initial deficit (e^-5). It was
//! chosen before it was run, and passes at the limit (45 of 50 for the wait).
//!
//! Other estimators, measured at the defaults (100 trials, seeds 1..=300, with
//! `coverage_by_estimator`; covered, then intervals wholly below / above the value):
//!
//! | estimator                         | wait          | lead time     |
//! |-----------------------------------|---------------|---------------|
//! | mean of per-trial means, t        | 275 (20 / 5)  | 275 (21 / 4)  |
//! | the same, Johnson's skewness t    | 274 (20 / 6)  | 274 (21 / 5)  |
//! | ratio sum(n x) / sum(n), delta    | 276 (18 / 6)  | 275 (19 / 6)  |
//! | ratio, jackknife (bias-corrected) | 276 (18 / 6)  | 275 (19 / 6)  |
//!
//! Weighting trials by their items moves one or two intervals of 300: the ratio bias is
//! not what keeps coverage near 92%, so the reported estimator stays the mean of
//! per-trial means. The misses stay mostly below the value, as the residual empty-start
//! bias of the auto warm-up would give.
//!
//! `cargo test --release --test coverage -- --ignored --nocapture` prints the table.

mod common;

use salesim::experiment::{Plan, Shard, run_all};

/// Three engineers, exponential quotes of 3 hours, 32 requests a week (0.8 an hour of
/// the 40-hour week): utilisation rho = 0.8. No horizon and no warm-up are set, so the
/// scenario runs with salesim's defaults.
const DESK: &str = r#"
name = "M/M/3 desk at utilisation 0.8"

[[lead_sources]]
kind = "inbound"
rate_per_week = 32.0

[roles.engineering]
headcount = 3
annual_cost = 120000

[[funnel]]
name = "quote"
role = "engineering"
routing = "pool"
quote = true
duration = { dist = "exponential", mean = 3.0 }
advance = 1.0
"#;

const LAMBDA_PER_HOUR: f64 = 0.8;
const MEAN_SERVICE_HOURS: f64 = 3.0;
const SERVERS: u32 = 3;

/// Erlang C: the probability that an arrival waits in M/M/c with offered load `a`,
/// through the Erlang B recursion (as in tests/theory.rs).
fn erlang_c(c: u32, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (f64::from(k) + a * b);
    }
    let c = f64::from(c);
    c * b / (c - a * (1.0 - b))
}

/// The exact values the intervals are judged against: (metric, value).
fn exact() -> [(&'static str, f64); 3] {
    let a = LAMBDA_PER_HOUR * MEAN_SERVICE_HOURS;
    let wq = erlang_c(SERVERS, a) / (f64::from(SERVERS) / MEAN_SERVICE_HOURS - LAMBDA_PER_HOUR);
    [
        ("steps.quote.wait_hours.mean", wq),
        ("quote_lead_time_hours.mean", wq + MEAN_SERVICE_HOURS),
        ("roles.engineering.utilization", a / f64::from(SERVERS)),
    ]
}

/// Seeds 1..=`seeds`, fixed before any run; for each metric of [`exact`], how many of
/// the seeds' 95% intervals (as every output reports them) cover the exact value.
fn coverage(sets: &[&str], trials: u64, seeds: u64) -> [u64; 3] {
    let loaded = common::library::load(DESK, "desk.toml", "desk", sets);
    let mut covered = [0; 3];
    for seed in 1..=seeds {
        let plan = Plan {
            trials,
            seed,
            shard: Shard::WHOLE,
        };
        let summaries = run_all(std::slice::from_ref(&loaded), plan)[0].summaries();
        for (i, (metric, value)) in exact().into_iter().enumerate() {
            let s = summaries.named(metric).expect("the desk has the metric");
            assert_eq!(s.n, trials, "{metric}: every trial observes it");
            if s.ci95_low <= value && value <= s.ci95_high {
                covered[i] += 1;
            }
        }
    }
    covered
}

/// Five relaxation times of the desk, in weeks, rounded up (see the module docs).
const ANALYST_WARMUP: &str = "warmup_weeks=12";

fn assert_coverage(sets: &[&str], trials: u64, seeds: u64) {
    let covered = coverage(sets, trials, seeds);
    for ((metric, value), hits) in exact().iter().zip(covered) {
        println!("{metric}: {hits} of {seeds} intervals cover {value:.4}");
        assert!(
            hits * 10 >= seeds * 9,
            "{metric}: only {hits} of {seeds} 95% intervals ({trials} trials each, {sets:?}) \
             cover the exact {value:.4}"
        );
    }
}

#[test]
fn ninety_five_percent_intervals_cover_the_exact_mm3_values_after_a_warm_up() {
    assert_coverage(&[ANALYST_WARMUP], 20, 50);
}

#[test]
fn ninety_five_percent_intervals_cover_the_exact_mm3_values_with_the_defaults() {
    assert_coverage(&[], 100, 300);
}

/// Coverage over other settings, for the record; slow, so not part of `cargo test`.
#[test]
#[ignore]
fn coverage_table() {
    for (sets, trials, seeds) in [
        (vec![], 20, 50),
        (vec![], 100, 300),
        (vec![], 1000, 10),
        (vec!["warmup_weeks=4"], 20, 50),
        (vec!["warmup_weeks=4"], 100, 50),
        (vec!["warmup_weeks=4"], 1000, 10),
        (vec![ANALYST_WARMUP], 20, 50),
        (vec![ANALYST_WARMUP], 100, 50),
        (vec![ANALYST_WARMUP], 1000, 10),
    ] {
        let covered = coverage(&sets, trials, seeds);
        println!(
            "{sets:?}, {trials} trials, {seeds} seeds: {covered:?} (wait, lead time, utilization)"
        );
    }
}

/// Per seed, the 95% intervals of the mean wait and lead time by four estimators over
/// the trials' values `x` (per-trial means) and weights `n` (items done per week):
/// the mean of per-trial means with a t interval (what salesim reports), the same with
/// Johnson's (1978) skewness-corrected t, the ratio estimator sum(n x) / sum(n) with a
/// delta-method interval, and the jackknife (bias-corrected) ratio with its interval.
fn estimator_intervals(x: &[f64], n: &[f64]) -> [(f64, f64); 4] {
    let k = x.len() as f64;
    let t = salesim::stats::t_quantile_975(x.len() as u64 - 1);
    let mean = x.iter().sum::<f64>() / k;
    let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (k - 1.0);
    let half = t * (var / k).sqrt();
    let mu3 = x.iter().map(|v| (v - mean).powi(3)).sum::<f64>() / k;
    let johnson = mean + mu3 / (6.0 * var * k);
    let total: f64 = n.iter().sum();
    let ratio = x.iter().zip(n).map(|(v, w)| v * w).sum::<f64>() / total;
    let nbar = total / k;
    let delta_var = x
        .iter()
        .zip(n)
        .map(|(v, w)| (w * (v - ratio)).powi(2))
        .sum::<f64>()
        / (k * (k - 1.0) * nbar * nbar);
    let sum_nx: f64 = x.iter().zip(n).map(|(v, w)| v * w).sum();
    let pseudo: Vec<f64> = x
        .iter()
        .zip(n)
        .map(|(v, w)| k * ratio - (k - 1.0) * (sum_nx - v * w) / (total - w))
        .collect();
    let jack = pseudo.iter().sum::<f64>() / k;
    let jack_var = pseudo.iter().map(|p| (p - jack).powi(2)).sum::<f64>() / (k - 1.0) / k;
    [
        (mean - half, mean + half),
        (johnson - half, johnson + half),
        (ratio - t * delta_var.sqrt(), ratio + t * delta_var.sqrt()),
        (jack - t * jack_var.sqrt(), jack + t * jack_var.sqrt()),
    ]
}

/// Coverage of the wait and lead time by the estimators of [`estimator_intervals`],
/// with misses below and above; slow, so not part of `cargo test`.
#[test]
#[ignore]
fn coverage_by_estimator() {
    let trials: u64 = std::env::var("COVERAGE_TRIALS").map_or(100, |v| v.parse().unwrap());
    let seeds: u64 = std::env::var("COVERAGE_SEEDS").map_or(300, |v| v.parse().unwrap());
    let loaded = common::library::load(DESK, "desk.toml", "desk", &[]);
    let exact = exact();
    let names = [
        "mean of means, t",
        "Johnson t",
        "ratio, delta",
        "ratio, jackknife",
    ];
    // [metric][estimator] = (covered, below, above)
    let mut tally = [[(0u64, 0u64, 0u64); 4]; 2];
    for seed in 1..=seeds {
        let plan = Plan {
            trials,
            seed,
            shard: Shard::WHOLE,
        };
        let result = &run_all(std::slice::from_ref(&loaded), plan)[0];
        let done = result
            .column_named("steps.quote.completed_per_week")
            .unwrap();
        for (m, (metric, value)) in exact.iter().take(2).enumerate() {
            let x = result.column_named(metric).unwrap();
            for (e, (lo, hi)) in estimator_intervals(&x, &done).into_iter().enumerate() {
                let t = &mut tally[m][e];
                if *value < lo {
                    t.2 += 1;
                } else if *value > hi {
                    t.1 += 1;
                } else {
                    t.0 += 1;
                }
            }
        }
    }
    for (m, (metric, value)) in exact.iter().take(2).enumerate() {
        for (e, name) in names.iter().enumerate() {
            let (c, below, above) = tally[m][e];
            println!(
                "{metric} ({value:.4}), {trials} trials, {seeds} seeds, {name}: {c} cover; interval below the value {below}, above {above}"
            );
        }
    }
}
