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
    // It says how long a horizon would be sound: the 25 weeks to fill and three times
    // as long measured, and at that horizon there is nothing to warn about.
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("lengthen horizon_weeks to at least 100")),
        "{warnings:?}"
    );
    let mut longer = s.clone();
    longer.horizon_hours = 100.0 * 40.0;
    assert!(warmup::warnings(&longer).is_empty());
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

/// An M/M/3 quote desk at utilisation 0.8 over salesim's default 52 weeks (32 requests a
/// week, exponential 3-hour quotes): it settles within a few weeks of an empty start
/// (relaxation time 1 / (c mu (1 - sqrt rho)^2) = 90 hours, 2.2 weeks).
const SETTLED_DESK: &str = r#"
name = "M/M/3 desk"

[[lead_sources]]
kind = "inbound"
rate_per_week = 32.0

[roles.engineering]
headcount = 3

[[funnel]]
name = "quote"
role = "engineering"
routing = "pool"
duration = { dist = "exponential", mean = 3.0 }
"#;

/// A pipeline that takes 20 weeks to fill: every lead is worked for 800 hours (20
/// weeks) by one of 100 people, 4 new leads a week (load 0.8), so the open leads climb
/// from 0 to about 80 over the first 20 weeks of an empty start, then level.
const SLOW_PIPELINE: &str = r#"
name = "slow pipeline"

[[lead_sources]]
kind = "inbound"
rate_per_week = 4.0

[roles.field]
headcount = 100

[[funnel]]
name = "work"
role = "field"
routing = "pool"
duration = 800.0
"#;

fn warmup_warnings(text: &str, seed: u64) -> Vec<String> {
    let loaded = load(text, "desk.toml", "desk", &[]);
    let c = library::compare(std::slice::from_ref(&loaded), 4, seed, "test");
    c.scenarios[0]
        .warnings
        .iter()
        .filter(|w| w.contains("more than a third") || w.contains("still changing"))
        .cloned()
        .collect()
}

#[test]
fn a_settled_desk_over_52_weeks_is_seldom_called_slow() {
    // With one pilot, MSER-5's chance minima far out on the flat curve called this
    // desk slow on 31 of 200 seeds: about 3 of these 20.
    let called_slow: Vec<u64> = (1..=20)
        .filter(|&seed| !warmup_warnings(SETTLED_DESK, seed).is_empty())
        .collect();
    assert!(
        called_slow.len() <= 1,
        "seeds called slow or unsettled: {called_slow:?}"
    );
}

#[test]
fn a_pipeline_that_fills_slowly_is_called_slow() {
    for seed in 1..=3 {
        let warnings = warmup_warnings(SLOW_PIPELINE, seed);
        assert!(
            warnings.iter().any(|w| w.contains("more than a third")),
            "seed {seed}: {warnings:?}"
        );
    }
}
