//! People over time (`[roles.NAME.people]`): a new hire's ramp does the work the
//! integral of his speed says, and attrition with a hiring delay keeps the mean
//! headcount on the books at renewal theory's n / (1 + q d), with the staffing cost
//! prorated by it.

mod common;

use common::library::{column, load, result_of};
use salesim::model::simulate;

/// A desk always busy with 0.1-hour tasks (far more leads than it can serve; the rest
/// go cold after a day), one person from the start; from week 4 a second person joins
/// with `ramp`.
fn saturated_desk(ramp: &str) -> String {
    format!(
        r#"
horizon_weeks = 20
warmup_weeks = 1
[leads]
shelf_life_days = 1
[[lead_sources]]
kind = "inbound"
rate_per_week = 3000.0
[roles.desk]
headcount = 1
[roles.desk.people]
ramp = {ramp}
[[funnel]]
name = "serve"
role = "desk"
routing = "pool"
duration = 0.1
[[changes]]
at_week = 4
set = {{ "roles.desk.headcount" = 2 }}
"#
    )
}

/// Tasks done per week (each done task wins a deal: advance is 1).
fn weekly_deals(text: &str) -> Vec<f64> {
    let loaded = load(text, "desk.toml", "desk", &[]);
    simulate(&loaded.scenario, 7, 0).weekly_deals
}

#[test]
fn a_new_hire_does_the_integral_of_his_ramped_speed() {
    let (weeks, start) = (6.0, 0.25);
    let deals = weekly_deals(&saturated_desk(&format!(
        "{{ weeks = {weeks}, start = {start} }}"
    )));
    let per_hour = 1.0 / 0.1;
    let full_week = 40.0 * per_hour;
    // One person at full speed before the change: 400 tasks a week.
    for (w, &d) in deals.iter().enumerate().take(4) {
        assert!(
            (d - full_week).abs() <= 1.0,
            "week {w}: {d} tasks, expected {full_week}"
        );
    }
    // From week 4 the hire adds the integral of start + (1 - start) t / weeks over
    // each week (the first person still does 400).
    let speed_integral = |from: f64, to: f64| {
        let f = |t: f64| {
            if t >= weeks {
                start * weeks + (1.0 - start) * weeks / 2.0 + (t - weeks)
            } else {
                start * t + (1.0 - start) * t * t / (2.0 * weeks)
            }
        };
        f(to) - f(from)
    };
    let mut added = 0.0;
    let mut expected = 0.0;
    for k in 0..10 {
        let d = deals[4 + k];
        let hire = speed_integral(k as f64, k as f64 + 1.0) * full_week;
        assert!(
            (d - full_week - hire).abs() <= 3.0,
            "week {}: {d} tasks, expected {} (hire {hire:.1})",
            4 + k,
            full_week + hire
        );
        added += d - full_week;
        expected += hire;
    }
    assert!(
        (added - expected).abs() <= 5.0,
        "hire did {added}, integral {expected}"
    );
}

#[test]
fn without_a_ramp_the_hire_works_at_full_speed_at_once() {
    let deals = weekly_deals(&saturated_desk("{ weeks = 0, start = 1 }"));
    for (w, &d) in deals.iter().enumerate().skip(4).take(10) {
        assert!((d - 800.0).abs() <= 2.0, "week {w}: {d}");
    }
}

/// Ten people, quits at `per_year` each, refilled `delay` weeks later; a light load,
/// so a quitter is gone at once. People and their managers' and offices' costs are
/// such that the staffing cost per year is the mean headcount times 1000.
fn attrition(per_year: f64, delay: f64) -> String {
    format!(
        r#"
horizon_weeks = 1040
warmup_weeks = 40
[[lead_sources]]
kind = "inbound"
rate_per_week = 2.0
[roles.desk]
headcount = 10
annual_cost = 1000
managers = 0
[roles.desk.people]
attrition_per_year = {per_year}
hiring_delay_weeks = {delay}
[[funnel]]
name = "serve"
role = "desk"
routing = "pool"
duration = 0.5
[costs]
manager_annual_cost = 0
"#
    )
}

#[test]
fn attrition_keeps_the_mean_headcount_at_renewal_theory() {
    // q = 10.4 a year = 0.2 a week, d = 5 weeks: 10 / (1 + 1) = 5 people on average.
    let (per_year, delay) = (10.4, 5.0);
    let q_per_week = per_year / 52.0;
    let theory = 10.0 / (1.0 + q_per_week * delay);
    let loaded = load(&attrition(per_year, delay), "a.toml", "a", &[]);
    let trials = 8;
    let result = result_of(&loaded, trials, 3);
    let heads: Vec<f64> = column(&result, "staffing_cost_per_year")
        .iter()
        .map(|c| c / 1000.0)
        .collect();
    let n = heads.len() as f64;
    let mean = heads.iter().sum::<f64>() / n;
    let sd = (heads.iter().map(|h| (h - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let se = sd / n.sqrt();
    assert!(
        (mean - theory).abs() < 4.0 * se.max(0.01),
        "mean headcount {mean:.3} ± {se:.3}, theory {theory:.3}"
    );
    // The roles' part is the people's cost alone: here all of it.
    let roles = column(&result, "staffing_cost.roles_per_year");
    let total = column(&result, "staffing_cost_per_year");
    assert_eq!(roles, total);
}

#[test]
fn weekly_staffing_cost_is_prorated_by_time_on_the_books() {
    let loaded = load(&attrition(10.4, 5.0), "a.toml", "a", &[]);
    let out = simulate(&loaded.scenario, 3, 0);
    // Week by week, between nobody and all ten on the books for the whole week.
    let full = 10.0 * 1000.0 / 52.0;
    assert!(
        out.weekly_staffing_cost
            .iter()
            .all(|&c| (0.0..=full + 1e-9).contains(&c))
    );
    // Over the measured weeks, the weekly series adds up to the measured yearly cost.
    let measured = &out.weekly_staffing_cost[40..];
    let per_year = measured.iter().sum::<f64>() / measured.len() as f64 * 52.0;
    let catalogue = salesim::model::catalogue(&loaded.scenario);
    let at = catalogue
        .names()
        .iter()
        .position(|n| n == "staffing_cost_per_year")
        .expect("staffing cost metric");
    assert!(
        (per_year - out.values[at]).abs() < 1e-6 * per_year,
        "weekly series {per_year}, metric {}",
        out.values[at]
    );
}

#[test]
fn with_no_quits_every_week_costs_the_whole_staff() {
    let loaded = load(&attrition(0.0, 0.0), "a.toml", "a", &[]);
    let out = simulate(&loaded.scenario, 3, 0);
    for &c in &out.weekly_staffing_cost {
        assert!((c - 10.0 * 1000.0 / 52.0).abs() < 1e-9, "{c}");
    }
}
