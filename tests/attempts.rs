//! Contact attempts follow the truncated geometric law: with reach probability p and at
//! most `max` attempts, a lead is reached with probability 1 - (1 - p)^max after on
//! average (1 - (1 - p)^max) / p attempts, each spaced and costing its minutes; the
//! capacity check counts that work, and the simulated utilization agrees with it.

use std::collections::HashMap;

mod common;

use common::library;
use salesim::experiment::ScenarioResult;
use salesim::model::{capacity, simulate_traced};
use salesim::scenario::{LoadedScenario, load_str};
use salesim::stats::Summary;

const SEED: u64 = 5;
const TRIALS: u64 = 20;
/// Two-sided 99.9% normal quantile.
const Z: f64 = 3.29;
const P: f64 = 0.3;
const MAX: i32 = 6;
const MEASURED_WEEKS: f64 = 28.0;

/// Two SDRs call leads until one answers; an answered call takes half an hour more and
/// always advances, so a reached lead is a win and an unreached one is lost.
const CALLS: &str = r#"
horizon_weeks = 30
warmup_weeks = 2

[[lead_sources]]
kind = "inbound"
rate_per_week = 20.0

[roles.sdr]
headcount = 2

[[funnel]]
name = "reach"
role = "sdr"
duration = 0.5
advance = 1.0
attempts = { max = 6, reach_probability = 0.3, spacing_days = 1, minutes = 6 }
"#;

fn load(text: &str) -> LoadedScenario {
    library::load(text, "attempts.toml", "attempts", &[])
}

fn run(loaded: &LoadedScenario) -> ScenarioResult {
    library::result_of(loaded, TRIALS, SEED)
}

use library::column as col;

fn reached_probability() -> f64 {
    1.0 - (1.0 - P).powi(MAX)
}

fn mean_attempts() -> f64 {
    reached_probability() / P
}

fn assert_near(label: &str, observed: f64, expected: f64, se: f64) {
    eprintln!("  {label}: {observed:.4} against {expected:.4} (se {se:.4})");
    assert!(
        (observed - expected).abs() <= Z * se,
        "{label}: {observed} is not {expected} within {Z} x {se}"
    );
}

#[test]
fn the_share_of_leads_reached_is_one_minus_the_chance_of_max_misses() {
    let r = run(&load(CALLS));
    let count = |name: &str| -> f64 {
        col(&r, name)
            .iter()
            .map(|x| (x * MEASURED_WEEKS).round())
            .sum()
    };
    let (won, unreached) = (
        count("deals_won_per_week"),
        count("leads_unreached_per_week"),
    );
    let n = won + unreached;
    let p = reached_probability();
    assert_near("share reached", won / n, p, (p * (1.0 - p) / n).sqrt());
}

/// Attempts per lead, read from event logs: every attempt ends in "attempt
/// unanswered", "never reached" or (the one that reached) "step done".
fn attempts_per_lead(loaded: &LoadedScenario, trials: u64) -> Vec<f64> {
    let mut out = Vec::new();
    for trial in 0..trials {
        let (_, trace) = simulate_traced(&loaded.scenario, SEED, trial);
        let mut open: HashMap<String, u32> = HashMap::new();
        for rec in &trace.records {
            match rec.what {
                "lead created" => {
                    open.insert(rec.item.clone(), 0);
                }
                "attempt unanswered" | "never reached" | "step done" => {
                    *open.entry(rec.item.clone()).or_default() += 1;
                }
                "won" | "lost" => {
                    if let Some(k) = open.remove(&rec.item) {
                        out.push(f64::from(k));
                    }
                }
                _ => {}
            }
        }
    }
    out
}

#[test]
fn attempts_per_lead_follow_the_truncated_geometric_law() {
    let loaded = load(CALLS);
    let attempts = attempts_per_lead(&loaded, 6);
    let s = Summary::of(&attempts);
    assert!(s.n > 1000, "only {} leads", s.n);
    assert!(
        attempts
            .iter()
            .all(|&k| (1.0..=f64::from(MAX)).contains(&k))
    );
    assert_near(
        "mean attempts",
        s.mean,
        mean_attempts(),
        s.sd / (s.n as f64).sqrt(),
    );
    // The law itself: P(K = k) = (1-p)^(k-1) p below max, and (1-p)^(max-1) at max.
    let n = attempts.len() as f64;
    for k in 1..=MAX {
        let p = if k < MAX {
            (1.0 - P).powi(k - 1) * P
        } else {
            (1.0 - P).powi(MAX - 1)
        };
        let seen = attempts.iter().filter(|&&x| x == f64::from(k)).count() as f64 / n;
        assert_near(&format!("P(K = {k})"), seen, p, (p * (1.0 - p) / n).sqrt());
    }
}

#[test]
fn the_capacity_check_counts_every_attempt_and_the_run_agrees() {
    let loaded = load(CALLS);
    let per_hour = 20.0 / 40.0;
    // Each lead: mean attempts of 6 minutes, and half an hour once reached; two people.
    let expected = per_hour * (mean_attempts() * 0.1 + reached_probability() * 0.5) / 2.0;
    let load = capacity(&loaded.scenario).roles[0].load;
    assert!(
        (load - expected).abs() < 1e-12,
        "offered load {load}, closed form {expected}"
    );
    let r = run(&loaded);
    let u = Summary::of(&col(&r, "roles.sdr.utilization"));
    assert_near(
        "sdr utilization",
        u.mean,
        expected,
        u.sd / (u.n as f64).sqrt(),
    );
}

#[test]
fn attempts_are_refused_where_they_mean_nothing() {
    let refused = |text: String| match load_str(&text, "attempts.toml", "attempts", &[]) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.to_string(),
    };
    let e = refused(CALLS.replace("reach_probability = 0.3", "reach_probability = 0.0"));
    assert!(
        e.contains("attempts.toml:17") && e.contains("funnel.0.attempts.reach_probability"),
        "{e}"
    );
    let e = refused(CALLS.replace("max = 6", "max = 0"));
    assert!(e.contains("funnel.0.attempts.max"), "{e}");
    let e = refused(CALLS.replace("name = \"reach\"", "name = \"reach\"\nkind = \"meeting\""));
    assert!(e.contains("funnel.0.attempts") && e.contains("task"), "{e}");
}
