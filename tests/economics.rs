//! Gross margin and profit: in every single trial, gross profit is the margin times
//! the revenue (each segment's margin times its revenue when segments give their own)
//! and contribution is gross profit less the staffing cost; a scenario without a
//! margin has no profit metrics at all.

mod common;

use common::library;
use salesim::experiment::ScenarioResult;
use salesim::model::staffing_cost;
use salesim::scenario::{LoadedScenario, load_str};

const SEED: u64 = 7;
const TRIALS: u64 = 12;

/// A quote desk that wins 40% of its leads, with costed people and a manager.
const DESK: &str = r#"
horizon_weeks = 30
warmup_weeks = 4

[[lead_sources]]
kind = "inbound"
rate_per_week = 20.0

[roles.desk]
headcount = 3
annual_cost = 90000

[[funnel]]
name = "quote"
role = "desk"
quote = true
duration = { dist = "exponential", mean = 2.0 }
advance = 0.4

[deals]
value = { dist = "lognormal", mean = 20000, sd = 9000 }
gross_margin = 0.3

[costs]
manager_annual_cost = 150000
"#;

fn load(text: &str) -> LoadedScenario {
    library::load(text, "economics.toml", "economics", &[])
}

fn run(loaded: &LoadedScenario) -> ScenarioResult {
    library::result_of(loaded, TRIALS, SEED)
}

use library::column as col;

/// `a` equals `b` up to the rounding of one multiplication or subtraction.
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn gross_profit_is_margin_times_revenue_and_contribution_subtracts_staffing_cost_in_every_trial() {
    let loaded = load(DESK);
    let r = run(&loaded);
    let cost = staffing_cost(&loaded.scenario).total_per_year();
    assert!(cost > 0.0);
    let (revenue, profit, contribution) = (
        col(&r, "revenue_per_year"),
        col(&r, "gross_profit_per_year"),
        col(&r, "contribution_per_year"),
    );
    for t in 0..revenue.len() {
        assert!(
            revenue[t] > 0.0,
            "trial {t} won nothing: the test would be vacuous"
        );
        assert!(
            same(profit[t], 0.3 * revenue[t]),
            "trial {t}: gross profit {} is not 0.3 x revenue {}",
            profit[t],
            revenue[t]
        );
        assert!(
            same(contribution[t], profit[t] - cost),
            "trial {t}: contribution {} is not gross profit {} less staffing cost {cost}",
            contribution[t],
            profit[t]
        );
    }
}

#[test]
fn without_a_margin_there_are_no_profit_metrics() {
    let r = run(&load(&DESK.replace("gross_margin = 0.3", "")));
    for name in ["gross_profit_per_year", "contribution_per_year"] {
        assert!(r.column_named(name).is_none(), "{name} without a margin");
    }
    assert!(r.column_named("revenue_per_year").is_some());
}

#[test]
fn with_segments_gross_profit_is_each_segments_margin_times_its_revenue() {
    let text = format!(
        "{DESK}\n[segments.key]\nshare = 0.3\ngross_margin = 0.5\n\
         deal_value = {{ dist = \"uniform\", min = 50000, max = 90000 }}\n"
    );
    let r = run(&load(&text));
    let profit = col(&r, "gross_profit_per_year");
    let revenue = col(&r, "revenue_per_year");
    let (key, other) = (
        col(&r, "segments.key.revenue_per_year"),
        col(&r, "segments.other.revenue_per_year"),
    );
    let (key_profit, other_profit) = (
        col(&r, "segments.key.gross_profit_per_year"),
        col(&r, "segments.other.gross_profit_per_year"),
    );
    for t in 0..profit.len() {
        assert!(
            key[t] > 0.0 && other[t] > 0.0,
            "trial {t}: a segment won nothing"
        );
        let expected = 0.5 * key[t] + 0.3 * other[t];
        assert!(
            (profit[t] - expected).abs() <= 1e-9 * expected,
            "trial {t}: gross profit {} against 0.5 x {} + 0.3 x {}",
            profit[t],
            key[t],
            other[t]
        );
        assert!(
            same(key_profit[t], 0.5 * key[t]),
            "trial {t}: key's own profit"
        );
        assert!(
            same(other_profit[t], 0.3 * other[t]),
            "trial {t}: other's profit"
        );
        // A single margin for both would give 0.3 x revenue: the segments' margins
        // must make a difference here.
        assert!((profit[t] - 0.3 * revenue[t]).abs() > 1.0, "trial {t}");
    }
}

#[test]
fn a_margin_outside_zero_to_one_is_refused_with_its_key() {
    let e = load_str(
        &DESK.replace("gross_margin = 0.3", "gross_margin = 1.3"),
        "economics.toml",
        "economics",
        &[],
    )
    .expect_err("a margin of 130%");
    let text = e.to_string();
    assert!(text.contains("deals.gross_margin"), "{text}");
    assert!(text.contains("economics.toml"), "{text}");
}
