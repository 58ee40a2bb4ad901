//! `compare`: paired differences under common random numbers.

mod common;

use common::library::{self, Comparison, load_shipped as load};
use salesim::scenario::LoadedScenario;
use salesim::stats::{Summary, t_quantile};

fn compare(loaded: &[LoadedScenario], trials: u64, seed: u64) -> Comparison {
    library::compare(loaded, trials, seed, "test")
}

#[test]
fn a_scenario_compared_with_itself_differs_by_exactly_zero() {
    let a = load("scenarios/specialized.toml");
    let c = compare(&[a.clone(), a], 20, 3);
    let difference = &c.differences[0];
    assert!(!difference.metrics.is_empty());
    for (_, name, d) in difference.metrics.iter() {
        if d.n == 0 {
            continue; // a metric never observed in either (no observation, no difference)
        }
        assert_eq!((d.mean, d.sd, d.p5, d.p95), (0.0, 0.0, 0.0, 0.0), "{name}");
    }
}

/// Half-width of the 95% interval of a difference of means of two independent samples
/// (Welch), as an analyst would get from two separate runs.
fn unpaired_half_width(a: &Summary, b: &Summary) -> f64 {
    let se = (a.sd * a.sd / a.n as f64 + b.sd * b.sd / b.n as f64).sqrt();
    t_quantile(a.n.min(b.n) - 1, 0.975) * se
}

#[test]
fn common_random_numbers_give_narrower_intervals_than_independent_runs() {
    let before = load("scenarios/craftsperson.toml");
    let after = load("scenarios/specialized.toml");
    let trials = 60;
    let paired = compare(&[before.clone(), after.clone()], trials, 11);
    // The same two designs, each run on its own seed: what two separate studies give.
    let alone_before = compare(std::slice::from_ref(&before), trials, 12);
    let alone_after = compare(std::slice::from_ref(&after), trials, 13);
    for metric in [
        "meetings_per_week",
        "revenue_per_year",
        "deals_won_per_week",
        "leads_created_per_week",
    ] {
        let d = paired.differences[0].metrics.named(metric).unwrap();
        let paired_half = (d.ci95_high - d.ci95_low) / 2.0;
        let unpaired_half = unpaired_half_width(
            alone_before.scenarios[0].metrics.named(metric).unwrap(),
            alone_after.scenarios[0].metrics.named(metric).unwrap(),
        );
        assert!(
            paired_half < 0.8 * unpaired_half,
            "{metric}: paired ±{paired_half} is not clearly narrower than unpaired ±{unpaired_half}"
        );
    }
}
