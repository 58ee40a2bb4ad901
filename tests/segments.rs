//! Customer segments: a segment's share of the leads, its deal values and its scaled
//! conversion show in its own metrics (checked against the configured distribution and
//! probability with 99.9% intervals, pooled over trials); the role and duration a
//! segment gives a step show in that role's utilization; per-segment counts and money
//! add up to the team's in every trial; bad segment settings are refused with their key
//! and line.

mod common;

use common::library;
use salesim::experiment::ScenarioResult;
use salesim::scenario::{LoadedScenario, load_str};
use salesim::stats::Summary;

const SEED: u64 = 41;
const TRIALS: u64 = 20;
/// Two-sided 99.9% normal quantile: a check that holds when the mechanism is right
/// fails by chance once in a thousand seeds.
const Z: f64 = 3.29;
const MEASURED_WEEKS: f64 = 36.0;

/// One step: desk does it for most leads and wins 40%; key accounts (a quarter of the
/// leads) are done by the key-account managers, take three times as long, win twice as
/// often and are worth about five times as much.
const DESK: &str = r#"
horizon_weeks = 40
warmup_weeks = 4

[[lead_sources]]
kind = "inbound"
rate_per_week = 30.0

[roles.desk]
headcount = 4

[roles.kam]
headcount = 2

[[funnel]]
name = "work"
role = "desk"
duration = { dist = "exponential", mean = 1.0 }
advance = 0.4

[deals]
value = { dist = "lognormal", mean = 20000, sd = 8000 }

[segments.key]
share = 0.25
deal_value = { dist = "uniform", min = 80000, max = 120000 }
advance_scale = { work = 2.0 }
duration_scale = { work = 3.0 }
role = { work = "kam" }
"#;

/// Meetings, a quote step, contact attempts and two named segments, for the sums.
const FULL: &str = r#"
horizon_weeks = 30
warmup_weeks = 4

[[lead_sources]]
kind = "inbound"
rate_per_week = 40.0

[roles.sdr]
headcount = 2

[roles.ae]
headcount = 3

[roles.kam]
headcount = 1

[[funnel]]
name = "reach"
role = "sdr"
duration = 0.25
attempts = { max = 6, reach_probability = 0.3, spacing_days = 1, minutes = 5 }
advance = 0.5

[[funnel]]
name = "demo"
kind = "meeting"
role = "ae"
duration = 1.0
advance = 0.6

[[funnel]]
name = "quote"
role = "ae"
quote = true
duration = 1.0
advance = 0.5

[deals]
value = { dist = "lognormal", mean = 20000, sd = 8000 }
gross_margin = 0.3

[segments.key]
share = 0.2
deal_value = { dist = "uniform", min = 80000, max = 120000 }
advance_scale = { demo = 1.5 }
role = { quote = "kam", demo = "kam" }

[segments.mid]
share = 0.5
duration_scale = { quote = 2.0 }
"#;

fn load(text: &str) -> LoadedScenario {
    library::load(text, "segments.toml", "segments", &[])
}

fn run(loaded: &LoadedScenario) -> ScenarioResult {
    library::result_of(loaded, TRIALS, SEED)
}

use library::column as col;

/// Per-week rates of a trial back to counts over the measured weeks.
fn counts(r: &ScenarioResult, name: &str, weeks: f64) -> Vec<f64> {
    col(r, name).iter().map(|x| (x * weeks).round()).collect()
}

fn assert_near(label: &str, observed: f64, expected: f64, se: f64) {
    eprintln!("  {label}: {observed:.4} against {expected:.4} (se {se:.4})");
    assert!(
        (observed - expected).abs() <= Z * se,
        "{label}: {observed} is not {expected} within {Z} x {se}"
    );
}

/// Share of the leads, win rate and mean deal value of `segment`, pooled over trials,
/// against what the scenario gives it.
fn check_segment(r: &ScenarioResult, segment: &str, share: f64, win: f64, value: (f64, f64)) {
    let prefix = format!("segments.{segment}");
    let leads: f64 = counts(
        r,
        &format!("{prefix}.leads_created_per_week"),
        MEASURED_WEEKS,
    )
    .iter()
    .sum();
    let all: f64 = counts(r, "leads_created_per_week", MEASURED_WEEKS)
        .iter()
        .sum();
    let p = leads / all;
    assert_near(
        &format!("{segment}: share of leads"),
        p,
        share,
        (share * (1.0 - share) / all).sqrt(),
    );

    let won = counts(r, &format!("{prefix}.deals_won_per_week"), MEASURED_WEEKS);
    let rate = col(r, &format!("{prefix}.win_rate"));
    let ended: f64 = won.iter().zip(&rate).map(|(w, r)| (w / r).round()).sum();
    let won_total: f64 = won.iter().sum();
    let se = (win * (1.0 - win) / ended).sqrt();
    assert_near(&format!("{segment}: win rate"), won_total / ended, win, se);

    let revenue: f64 = col(r, &format!("{prefix}.revenue_per_year"))
        .iter()
        .map(|x| x * MEASURED_WEEKS / 52.0)
        .sum();
    let (mean, sd) = value;
    let se = sd / won_total.sqrt();
    assert_near(
        &format!("{segment}: mean deal value"),
        revenue / won_total,
        mean,
        se,
    );
}

#[test]
fn a_segments_share_deal_values_and_scaled_conversion_show_in_its_own_metrics() {
    let r = run(&load(DESK));
    // Uniform(80k, 120k): mean 100k, sd 40k / sqrt(12).
    check_segment(
        &r,
        "key",
        0.25,
        0.4 * 2.0,
        (100_000.0, 40_000.0 / 12f64.sqrt()),
    );
    check_segment(&r, "other", 0.75, 0.4, (20_000.0, 8_000.0));
}

#[test]
fn the_role_and_duration_a_segment_gives_a_step_show_in_that_roles_utilization() {
    let r = run(&load(DESK));
    // Offered load: leads an hour x share x mean hours, per person (M/G/c, stable).
    let per_hour = 30.0 / 40.0;
    let kam = per_hour * 0.25 * (1.0 * 3.0) / 2.0;
    let desk = per_hour * 0.75 * 1.0 / 4.0;
    for (role, expected) in [("kam", kam), ("desk", desk)] {
        let u = Summary::of(&col(&r, &format!("roles.{role}.utilization")));
        assert_near(
            &format!("{role} utilization"),
            u.mean,
            expected,
            u.sd / (u.n as f64).sqrt(),
        );
    }
}

#[test]
fn segment_metrics_add_up_to_the_whole_in_every_trial() {
    let r = run(&load(FULL));
    let segments = ["key", "mid", "other"];
    for metric in [
        "leads_created_per_week",
        "meetings_per_week",
        "deals_won_per_week",
        "revenue_per_year",
        "gross_profit_per_year",
    ] {
        let whole = col(&r, metric);
        let parts: Vec<Vec<f64>> = segments
            .iter()
            .map(|s| col(&r, &format!("segments.{s}.{metric}")))
            .collect();
        for t in 0..whole.len() {
            let sum: f64 = parts.iter().map(|p| p[t]).sum();
            assert!(
                whole[t] > 0.0,
                "trial {t}: no {metric}, the test would be vacuous"
            );
            assert!(
                (sum - whole[t]).abs() <= 1e-9 * whole[t],
                "trial {t}: the segments' {metric} sum to {sum}, the team's is {}",
                whole[t]
            );
        }
    }
    // The key accounts' demos and quotes go to the key-account manager only.
    let kam = Summary::of(&col(&r, "roles.kam.time_share.selling"));
    assert!(kam.mean > 0.0, "the key-account manager never worked");
}

fn refused(text: &str) -> String {
    match load_str(text, "segments.toml", "segments", &[]) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn bad_segment_settings_are_refused_with_file_line_and_key() {
    // advance 0.4 x 3 = 1.2 is no probability.
    let e = refused(&DESK.replace("work = 2.0", "work = 3.0"));
    assert!(
        e.contains("segments.toml:27") && e.contains("segments.key.advance_scale.work"),
        "{e}"
    );
    let e = refused(&DESK.replace("share = 0.25", "share = 0.25\n[segments.big]\nshare = 0.8"));
    assert!(e.contains("sum to") && e.contains("segments"), "{e}");
    let e = refused(&DESK.replace("duration_scale = { work", "duration_scale = { wrok"));
    assert!(
        e.contains("segments.key.duration_scale.wrok") && e.contains("did you mean"),
        "{e}"
    );
    let e = refused(&DESK.replace("[segments.key]", "[segments.other]"));
    assert!(e.contains("implicit segment"), "{e}");
    let e = refused(&DESK.replace("role = { work = \"kam\" }", "role = { work = \"kma\" }"));
    assert!(
        e.contains("segments.key.role.work") && e.contains("unknown role"),
        "{e}"
    );
}

#[test]
fn leads_sent_to_a_role_that_does_not_do_the_first_step_are_an_error() {
    let text = DESK.replace(
        "rate_per_week = 30.0",
        "rate_per_week = 30.0\nto_role = \"nobody\"",
    ) + "\n[roles.nobody]\nheadcount = 1\n";
    let e = refused(&text);
    assert!(
        e.contains("segments.toml:8")
            && e.contains("lead_sources.0.to_role")
            && e.contains("first step"),
        "{e}"
    );
    // The role a segment gives the first step is a role that does it.
    let ok = DESK.replace(
        "rate_per_week = 30.0",
        "rate_per_week = 30.0\nto_role = \"kam\"",
    );
    load(&ok);
}
