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

/// The SVG chart whose `aria-label` is `title`.
fn chart<'a>(page: &'a str, title: &str) -> &'a str {
    let start = page
        .find(&format!(r#"aria-label="{title}""#))
        .unwrap_or_else(|| panic!("no chart {title:?}"));
    let end = start + page[start..].find("</svg>").expect("closed chart");
    &page[start..end]
}

/// The value of attribute `name` in each tag of `svg` that has it.
fn attributes<'a>(svg: &'a str, tag: &str, name: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    for piece in svg.split(&format!("<{tag} ")).skip(1) {
        let piece = &piece[..piece.find('>').unwrap_or(piece.len())];
        if let Some(at) = piece.find(&format!(" {name}=\"")) {
            let value = &piece[at + name.len() + 3..];
            out.push(&value[..value.find('"').unwrap_or(value.len())]);
        } else if let Some(value) = piece.strip_prefix(&format!("{name}=\"")) {
            out.push(&value[..value.find('"').unwrap_or(value.len())]);
        }
    }
    out
}

/// The x pixel coordinates of every `M` and `L` of the data lines (width 2) of `svg`.
fn line_xs(svg: &str) -> Vec<Vec<f64>> {
    let mut out = Vec::new();
    for path in svg.split("<path ").skip(1) {
        let path = &path[..path.find("/>").unwrap_or(path.len())];
        if !path.contains(r#"stroke-width="2""#) {
            continue;
        }
        let d = attributes(&format!("<path {path}>"), "path", "d")[0].to_string();
        let xs = d
            .split(['M', 'L'])
            .filter(|p| !p.is_empty())
            .map(|p| p.split(' ').next().unwrap().parse::<f64>().unwrap())
            .collect();
        out.push(xs);
    }
    out
}

#[test]
fn weekly_series_leave_out_the_warm_up_instead_of_drawing_zeros() {
    let c = compare(&[(BEFORE, "a.toml"), (AFTER, "b.toml")]);
    let page = html(&c);
    for title in ["Meetings per week", "Open leads in the pipeline"] {
        let svg = chart(&page, title);
        assert!(
            svg.contains("warm-up, not measured"),
            "{title}: no warm-up band"
        );
        // The shaded band is the first rect after the legend swatches (width 10).
        let band = svg
            .split("<rect ")
            .skip(1)
            .find(|r| r.contains("#f1f5f9"))
            .expect("warm-up band");
        let band = format!("<rect {band}");
        let x: f64 = attributes(&band, "rect", "x")[0].parse().unwrap();
        let w: f64 = attributes(&band, "rect", "width")[0].parse().unwrap();
        let lines = line_xs(svg);
        assert_eq!(lines.len(), 2, "{title}: one line per design");
        for xs in lines {
            // 16 weeks, 2 of warm-up: 14 measured weeks, none inside the band.
            assert_eq!(xs.len(), 14, "{title}: {xs:?}");
            assert!(
                xs.iter().all(|&px| px > x + w),
                "{title}: {xs:?} in the warm-up"
            );
        }
    }
}

#[test]
fn line_charts_have_y_titles_with_units() {
    let c = compare(&[(BEFORE, "a.toml"), (AFTER, "b.toml")]);
    let page = html(&c);
    for (title, y_title) in [
        ("Meetings per week", "meetings (per week)"),
        ("Open leads in the pipeline", "open leads (number)"),
        (
            "Quote lead time at the median, 90th and 95th percentile",
            "share of quotes sent (percentile)",
        ),
    ] {
        let svg = chart(&page, title);
        assert!(
            svg.contains(r#"class="y-title""#) && svg.contains(&format!(">{y_title}<")),
            "{title}: no y title {y_title:?}"
        );
    }
}

#[test]
fn the_two_open_leads_lines_differ_in_dash_and_are_labelled_at_their_ends() {
    let c = compare(&[(BEFORE, "a.toml"), (AFTER, "b.toml")]);
    let page = html(&c);
    let svg = chart(&page, "Open leads in the pipeline");
    let lines: Vec<&str> = svg
        .split("<path ")
        .skip(1)
        .filter(|p| p.contains(r#"stroke-width="2""#))
        .collect();
    assert_eq!(lines.len(), 2);
    let dash = |p: &str| {
        let tag = format!("<path {p}");
        attributes(&tag, "path", "stroke-dasharray")
            .first()
            .map(|d| d.to_string())
    };
    assert_ne!(dash(lines[0]), dash(lines[1]), "the lines look alike");
    let labels = attributes(svg, "text", "class")
        .into_iter()
        .filter(|c| *c == "end-label")
        .count();
    assert_eq!(labels, 2, "one label at each line's end");
    assert!(svg.contains(">Reps do everything<"));
}

#[test]
fn quote_lead_time_is_three_points_per_design_not_a_curve() {
    let c = compare(&[(BEFORE, "a.toml"), (AFTER, "b.toml")]);
    let page = html(&c);
    let svg = chart(
        &page,
        "Quote lead time at the median, 90th and 95th percentile",
    );
    for path in svg.split("<path ").skip(1) {
        let d = attributes(&format!("<path {path}"), "path", "d")[0].to_string();
        assert!(!d.contains('L'), "a line joins the percentiles: {d}");
    }
    assert_eq!(
        svg.matches("<circle ").count(),
        6,
        "p50, p90, p95 of two designs"
    );
}
