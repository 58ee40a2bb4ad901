//! The warm-up found by MSER-5 from a pilot run: near the relaxation time of a queue
//! that starts empty, the default when a file gives none, and a warning when a
//! configured warm-up is too short or the queue never settles.

mod common;

use std::sync::atomic::AtomicBool;

use common::library::{self, load};
use salesim::experiment::warmup;
use salesim::scenario::{Warmup, WarmupFound};

/// An M/M/1 desk at utilisation `rho` (service mean 1 hour, 40-hour weeks).
fn mm1(rho: f64, horizon_weeks: u32, warmup: &str) -> String {
    format!(
        r#"
name = "M/M/1"
horizon_weeks = {horizon_weeks}
{warmup}

[[lead_sources]]
kind = "inbound"
rate_per_week = {rate}

[roles.desk]
headcount = 1

[[funnel]]
name = "serve"
role = "desk"
routing = "pool"
duration = {{ dist = "exponential", mean = 1.0 }}
"#,
        rate = rho * 40.0
    )
}

/// Relaxation time of an M/M/1 queue, in hours: 1 / (mu (1 - sqrt(rho))^2)
/// (Morse 1955; Kleinrock, Queueing Systems I, section 2.7).
fn relaxation_hours(rho: f64, mu: f64) -> f64 {
    1.0 / (mu * (1.0 - rho.sqrt()).powi(2))
}

#[test]
fn the_found_warmup_is_within_a_factor_of_two_of_the_relaxation_time() {
    let tau_weeks = relaxation_hours(0.9, 1.0) / 40.0;
    let loaded = load(&mm1(0.9, 300, ""), "mm1.toml", "mm1", &[]);
    for seed in 1..=5 {
        let never = AtomicBool::new(false);
        let found = warmup::detect(&loaded.scenario, seed, warmup::PILOT_TRIALS, &never).unwrap();
        assert!(!found.at_limit, "seed {seed}: {found:?}");
        assert!(
            found.weeks >= tau_weeks / 2.0 && found.weeks <= tau_weeks * 2.0,
            "seed {seed}: found {} weeks, relaxation time {tau_weeks:.1} weeks",
            found.weeks
        );
    }
}

#[test]
fn a_file_without_a_warmup_gets_the_one_found() {
    let loaded = load(&mm1(0.9, 300, ""), "mm1.toml", "mm1", &[]);
    assert_eq!(loaded.scenario.warmup, Warmup::Auto);
    let c = library::compare(std::slice::from_ref(&loaded), 4, 1, "test");
    let resolved = &c.scenarios[0].loaded.as_ref().unwrap().scenario;
    let found = resolved.warmup_found.expect("the pilot ran");
    assert_eq!(resolved.warmup_hours, found.weeks * 40.0);
    assert!(resolved.warmup_hours > 0.0);
    assert!(warmup::chosen(resolved).unwrap().contains("MSER-5"));
    assert!(
        c.scenarios[0].warnings.is_empty(),
        "{:?}",
        c.scenarios[0].warnings
    );
}

#[test]
fn a_configured_warmup_shorter_than_the_one_found_is_warned_about() {
    // A written warm-up is checked in a study of PILOT_TRIALS trials or more.
    let trials = warmup::PILOT_TRIALS;
    let short = load(&mm1(0.9, 300, "warmup_weeks = 0"), "mm1.toml", "mm1", &[]);
    let c = library::compare(std::slice::from_ref(&short), trials, 1, "test");
    let warnings = &c.scenarios[0].warnings;
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("warmup_weeks = 0 is shorter")),
        "{warnings:?}"
    );
    let long = load(&mm1(0.9, 300, "warmup_weeks = 40"), "mm1.toml", "mm1", &[]);
    let c = library::compare(&[long], 4, 1, "test");
    assert!(
        c.scenarios[0].warnings.is_empty(),
        "{:?}",
        c.scenarios[0].warnings
    );
}

#[test]
fn a_queue_that_never_settles_is_called_unsettled() {
    let overloaded = load(&mm1(1.3, 60, ""), "mm1.toml", "mm1", &[]);
    let c = library::compare(&[overloaded], 4, 1, "test");
    let warnings = &c.scenarios[0].warnings;
    assert!(
        warnings.iter().any(|w| w.contains("still changing")),
        "{warnings:?}"
    );
}

#[test]
fn a_warmup_found_long_against_the_horizon_is_called_out() {
    let mut loaded = load(&mm1(0.5, 60, ""), "mm1.toml", "mm1", &[]);
    let s = &mut loaded.scenario;
    let found = |weeks| WarmupFound {
        weeks,
        at_limit: false,
        pilot_trials: warmup::PILOT_TRIALS,
    };
    s.warmup_found = Some(found(25.0));
    s.warmup_hours = 25.0 * 40.0;
    let warnings = warmup::warnings(s);
    assert!(
        warnings.iter().any(|w| w.contains("more than a third")),
        "{warnings:?}"
    );
    s.warmup_found = Some(found(15.0));
    s.warmup_hours = 15.0 * 40.0;
    assert!(warmup::warnings(s).is_empty());
}

#[test]
fn designs_compared_share_the_longest_warmup() {
    let slow = load(&mm1(0.9, 300, ""), "slow.toml", "slow", &[]);
    let quick = load(&mm1(0.3, 300, ""), "quick.toml", "quick", &[]);
    let c = library::compare(&[quick, slow], 4, 1, "test");
    let hours: Vec<f64> = c
        .scenarios
        .iter()
        .map(|s| s.loaded.as_ref().unwrap().scenario.warmup_hours)
        .collect();
    assert_eq!(hours[0], hours[1]);
    assert!(hours[0] > 0.0);
}
