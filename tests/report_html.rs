//! The HTML comparison report: a snapshot of a small comparison, reproducibility, and
//! "n/a" (never a wrong number) for a metric one design does not have.

mod common;

use common::library::{self, Comparison, load};
use salesim::report::html::render_html;
use salesim::scenario::LoadedScenario;

/// A small craftsperson team: reps qualify, meet, quote and answer service requests.
pub const BEFORE: &str = r#"
name = "Reps do everything"
horizon_weeks = 16
warmup_weeks = 2

[[lead_sources]]
kind = "inbound"
rate_per_week = 12.0
to_role = "rep"

[leads]
shelf_life_days = 5

[roles.rep]
headcount = 3
annual_cost = 150000
priority = ["service", "quote", "meeting", "qualify", "booking", "admin"]
interrupted_by = ["service"]
switch_cost_minutes = 10
travel_hours = { dist = "triangular", min = 0.5, mode = 1.0, max = 1.5 }
admin_hours_per_week = 4.0

[[funnel]]
name = "qualify"
role = "rep"
routing = "owner"
duration = 0.5
advance = 0.6

[[funnel]]
name = "meeting"
kind = "meeting"
role = "rep"
routing = "owner"
customer_notice_days = { dist = "uniform", min = 1, max = 4 }
duration = 1.0
advance = 0.6

[[funnel]]
name = "quote"
role = "rep"
routing = "owner"
quote = true
duration = { dist = "exponential", mean = 3.0 }
advance = 0.5

[deals]
value = { dist = "lognormal", mean = 20000, sd = 8000 }

[service]
rate_per_week = 15.0
role = "rep"
routing = "owner"
duration = { dist = "exponential", mean = 0.5 }

[costs]
manager_annual_cost = 180000
offices = 1
office_annual_cost = 60000
"#;

/// The same market served by specialists: inside sales, field sellers, engineers and a
/// service desk, each from one shared queue.
pub const AFTER: &str = r#"
name = "Specialists <&> co"
horizon_weeks = 16
warmup_weeks = 2

[[lead_sources]]
kind = "inbound"
rate_per_week = 12.0
to_role = "inside"

[leads]
shelf_life_days = 5

[roles.inside]
headcount = 1
annual_cost = 90000

[roles.field]
headcount = 2
annual_cost = 150000
travel_hours = { dist = "triangular", min = 0.5, mode = 1.0, max = 1.5 }

[roles.engineering]
headcount = 1
annual_cost = 130000

[roles.desk]
headcount = 1
annual_cost = 60000

[[funnel]]
name = "qualify"
role = "inside"
routing = "owner"
duration = 0.5
advance = 0.6

[[funnel]]
name = "meeting"
kind = "meeting"
role = "field"
routing = "pool"
customer_notice_days = { dist = "uniform", min = 1, max = 4 }
duration = 1.0
advance = 0.6

[[funnel]]
name = "quote"
role = "engineering"
routing = "pool"
quote = true
duration = { dist = "exponential", mean = 3.0 }
advance = 0.5

[deals]
value = { dist = "lognormal", mean = 20000, sd = 8000 }

[service]
rate_per_week = 15.0
role = "desk"
routing = "pool"
duration = { dist = "exponential", mean = 0.5 }

[costs]
manager_annual_cost = 180000

[targets]
quote_lead_time_hours = 24
"#;

/// Runs a comparison of scenario texts, 20 trials, seed 1.
pub fn compare(texts: &[(&str, &str)]) -> Comparison {
    let loaded: Vec<LoadedScenario> = texts
        .iter()
        .map(|(text, file)| load(text, file, file, &[]))
        .collect();
    let files: Vec<&str> = texts.iter().map(|(_, f)| *f).collect();
    library::compare(
        &loaded,
        20,
        1,
        format!("salesim compare {}", files.join(" ")),
    )
}

fn html(c: &Comparison) -> String {
    String::from_utf8(render_html(c)).expect("UTF-8")
}

/// One tag a line, so that a snapshot diff points at what changed.
fn lines(html: &str) -> String {
    html.replace("><", ">\n<")
}

#[test]
fn the_report_of_a_small_comparison_matches_its_snapshot() {
    let c = compare(&[(BEFORE, "a.toml"), (AFTER, "b.toml")]);
    let page = html(&c);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("Reps do everything"));
    assert!(
        page.contains("Specialists &lt;&amp;&gt; co"),
        "names are escaped"
    );
    assert!(!page.contains("Specialists <&> co"));
    assert!(!page.contains("NaN") && !page.contains("inf<"));
    assert!(!page.to_lowercase().contains("<script"));
    insta::assert_snapshot!("report_html", lines(&page));
}

#[test]
fn the_report_is_reproducible() {
    let a = compare(&[(BEFORE, "a.toml"), (AFTER, "b.toml")]);
    let b = compare(&[(BEFORE, "a.toml"), (AFTER, "b.toml")]);
    assert_eq!(render_html(&a), render_html(&b));
}

#[test]
fn a_metric_missing_in_one_design_shows_as_na() {
    // The "after" design has no quote step and no service requests.
    let after = AFTER
        .replace("quote = true\n", "")
        .replace("[service]", "[not_service]");
    let after: String = after
        .split("[not_service]")
        .next()
        .unwrap_or_default()
        .into();
    let after = format!("{after}\n[costs]\nmanager_annual_cost = 180000\n");
    let c = compare(&[(BEFORE, "a.toml"), (&after, "b.toml")]);
    let page = html(&c);
    assert!(
        page.contains("no quote step in this design"),
        "labelled n/a"
    );
    assert!(page.contains("no service requests in this design"));
    assert!(page.contains("n/a: not measured in both designs"));
    assert!(!page.contains("NaN"));
    // Never a difference in quote lead time when one design has no quotes.
    assert!(!page.contains("quotes go out"));
}

#[test]
fn a_single_scenario_renders_without_differences() {
    let c = compare(&[(BEFORE, "a.toml")]);
    let page = html(&c);
    assert!(page.contains("Sales team design: Reps do everything"));
    assert!(!page.contains("NaN"));
}

#[test]
fn a_design_with_warnings_is_not_shown_as_better_or_worse() {
    let sound = compare(&[(BEFORE, "a.toml"), (AFTER, "b.toml")]);
    assert!(sound.scenarios.iter().all(|s| s.warnings.is_empty()));
    assert!(html(&sound).contains("verdict good"));
    // The same "after" design with 400 service requests a week on its one-person desk:
    // an overloaded role, so its numbers rest on a queue that never settles.
    let slow = load(AFTER, "b.toml", "b.toml", &["service.rate_per_week=400"]);
    let before = load(BEFORE, "a.toml", "a.toml", &[]);
    let c = library::compare(&[before, slow], 20, 1, "salesim compare a.toml b.toml");
    assert!(!c.scenarios[1].warnings.is_empty(), "the fixture must warn");
    let page = html(&c);
    assert!(
        !page.contains("verdict good"),
        "a warned design shown as a win"
    );
    assert!(
        !page.contains("verdict bad"),
        "a warned design shown as a loss"
    );
    assert!(page.contains("not a sound result"));
}
