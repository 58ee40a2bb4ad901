//! `[[changes]]`: a timeline inside one scenario. A change at week w leaves every week
//! before w as it was (same seed: the same draws), alters the weeks after, and a key
//! that cannot change while a trial runs is refused with exit 2, naming the key.

mod common;

use common::Folder;
use common::library::load;
use salesim::model::{TrialOutput, simulate};

const DESK: &str = r#"
horizon_weeks = 30
warmup_weeks = 2
[[lead_sources]]
kind = "inbound"
rate_per_week = 30.0
[roles.desk]
headcount = 1
[[funnel]]
name = "call"
role = "desk"
routing = "pool"
duration = { dist = "exponential", mean = 0.8 }
advance = 0.5
[[funnel]]
name = "close"
role = "desk"
routing = "pool"
duration = { dist = "exponential", mean = 1.0 }
advance = 0.6
"#;

fn run(text: &str) -> TrialOutput {
    let loaded = load(text, "desk.toml", "desk", &[]);
    simulate(&loaded.scenario, 11, 2)
}

fn bits(xs: &[f64]) -> Vec<u64> {
    xs.iter().map(|x| x.to_bits()).collect()
}

fn series(out: &TrialOutput) -> [&Vec<f64>; 4] {
    [
        &out.weekly_meetings,
        &out.weekly_open_leads,
        &out.weekly_deals,
        &out.weekly_revenue,
    ]
}

/// The weekly series of the desk with `change` at week `w` against the desk without:
/// identical before `w` (to the bit), different after.
fn check_change_starts_at(change: &str, w: usize) {
    let plain = run(DESK);
    let changed = run(&format!(
        "{DESK}\n[[changes]]\nat_week = {w}\nset = {change}\n"
    ));
    for (a, b) in series(&plain).into_iter().zip(series(&changed)) {
        assert_eq!(bits(&a[..w]), bits(&b[..w]), "{change}: weeks before {w}");
    }
    let after = |out: &TrialOutput| {
        [&out.weekly_open_leads, &out.weekly_deals]
            .map(|s| bits(&s[w..]))
            .to_vec()
    };
    assert_ne!(
        after(&plain),
        after(&changed),
        "{change}: nothing changed after week {w}"
    );
}

#[test]
fn a_rate_change_alters_nothing_before_its_week() {
    check_change_starts_at(r#"{ "lead_sources.0.rate_per_week" = 45.0 }"#, 10);
}

#[test]
fn a_headcount_change_alters_nothing_before_its_week() {
    check_change_starts_at(r#"{ "roles.desk.headcount" = 2 }"#, 12);
}

#[test]
fn a_duration_change_alters_nothing_before_its_week() {
    check_change_starts_at(r#"{ "funnel.1.duration" = 0.2 }"#, 8);
}

#[test]
fn a_headcount_change_costs_from_its_week_on() {
    let text = format!(
        "{DESK}\n[[changes]]\nat_week = 10\nset = {{ \"roles.desk.headcount\" = 3, \"roles.desk.annual_cost\" = 52000 }}\n"
    );
    let out = run(&text);
    // Annual cost 0 before, three people at 52000 a year (1000 a week each) after.
    assert!(out.weekly_staffing_cost[..10].iter().all(|&c| c == 0.0));
    for &c in &out.weekly_staffing_cost[10..] {
        assert!((c - 3000.0).abs() < 1e-6, "{c}");
    }
}

/// `salesim run` of the desk with `changes` appended: its exit code and stderr.
fn run_cli(changes: &str) -> (i32, String) {
    let folder = Folder::holding("desk.toml", &format!("{DESK}\n{changes}"));
    let out = folder.output(&["run", "desk.toml", "--trials", "2", "--quiet"]);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn a_key_that_cannot_change_mid_run_is_an_error_naming_it() {
    let (code, err) = run_cli(
        "[[changes]]\nat_week = 5\nset = { \"roles.desk.headcount\" = 2 }\n[[changes]]\nat_week = 9\nset = { \"calendar.hours_per_day\" = 7 }\n",
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(r#"changes[1].set."calendar.hours_per_day""#),
        "{err}"
    );
    assert!(err.contains("desk.toml"), "{err}");
}

#[test]
fn a_change_of_structure_is_an_error_naming_the_key() {
    let (code, err) =
        run_cli("[[changes]]\nat_week = 5\nset = { \"funnel.1.kind\" = \"meeting\" }\n");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(r#"changes[0].set."funnel.1.kind""#), "{err}");
}

#[test]
fn a_change_that_fails_a_check_is_an_error_naming_the_change() {
    let (code, err) = run_cli("[[changes]]\nat_week = 5\nset = { \"funnel.0.advance\" = 1.5 }\n");
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("funnel.0.advance") && err.contains("changes[0]"),
        "{err}"
    );
}

#[test]
fn changes_must_come_in_increasing_weeks_inside_the_horizon() {
    let twice = "[[changes]]\nat_week = 9\nset = {}\n[[changes]]\nat_week = 5\nset = {}\n";
    let (code, err) = run_cli(twice);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("changes[1].at_week"), "{err}");
    let (code, err) = run_cli("[[changes]]\nat_week = 30\nset = {}\n");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("changes[0].at_week"), "{err}");
}

#[test]
fn an_unknown_key_in_a_change_table_is_rejected() {
    let (code, err) = run_cli("[[changes]]\nat_week = 5\nwhen = 3\nset = {}\n");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("when"), "{err}");
}
