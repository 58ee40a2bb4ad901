//! The executive HTML comparison report: one self-contained page (inline CSS and SVG,
//! no scripts, no network, no timestamps) comparing a baseline design with the others.
//!
//! `render_html` lays out the sections; each lives in its own module below `html/`.
//! Rendering is pure: the same `Comparison` always gives the same bytes.

mod bars;
mod boxplot;
mod cards;
mod charts;
mod decision;
mod details;
mod flags;
mod forecast;
pub(crate) mod format;
mod lines;
mod market;
mod offices;
mod params;
mod segments;
mod style;
mod svg;
mod sweep;
pub(crate) mod tornado;
mod transition;
mod words;

pub use forecast::render_forecast_html;
pub use sweep::render_sweep_html;
pub use tornado::render_sensitivity_html;
pub use transition::render_transition_html;

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::experiment::sensitivity::SensitivityReport;
use crate::experiment::{Comparison, ScenarioReport};
use crate::model::metrics::Metric;
use crate::scenario::Targets;
use crate::stats::Summary;

/// Scenario colours, baseline first: slate, blue, orange, teal, purple, olive.
const COLORS: [&str; 6] = [
    "#64748b", "#2563eb", "#ea580c", "#0d9488", "#9333ea", "#a16207",
];

/// The colour of scenario `i` in every chart.
/// A standalone page (forecast, transition, sensitivity): one offline file with the
/// inline style sheet, a header of the kicker, the title and `header` (meta line, lede),
/// then `sections`.
pub(super) fn standalone_page(
    kicker: &str,
    title: &str,
    header: Markup,
    sections: Markup,
) -> Vec<u8> {
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(style::CSS)) }
            }
            body { main {
                header.top {
                    p.kicker { (kicker) }
                    h1 { (title) }
                    (header)
                }
                (sections)
            } }
        }
    };
    page.into_string().into_bytes()
}

fn color(i: usize) -> &'static str {
    COLORS[i % COLORS.len()]
}

/// What scenario `i` is in the comparison: "before", "after", or "option 2".
fn tag(c: &Comparison, i: usize) -> String {
    match (i, c.scenarios.len()) {
        (_, 1) => "design".into(),
        (0, _) => "before".into(),
        (1, 2) => "after".into(),
        _ => format!("option {i}"),
    }
}

/// The name of scenario `i` with its part in the comparison, unless the name says it.
fn title_of(c: &Comparison, i: usize) -> String {
    let (name, tag) = (&c.scenarios[i].name, tag(c, i));
    if name.to_lowercase().contains(&tag) {
        name.clone()
    } else {
        format!("{name} ({tag})")
    }
}

/// Working hours in a working day of scenario `s` (8 when the scenario is unknown).
fn per_day(s: &ScenarioReport) -> f64 {
    s.loaded
        .as_ref()
        .map_or(8.0, |l| l.scenario.calendar.hours_per_day)
}

/// The service targets of scenario `s` (the defaults when the scenario is unknown).
fn targets(s: &ScenarioReport) -> Targets {
    s.loaded
        .as_ref()
        .map_or_else(Targets::default, |l| l.scenario.targets.clone())
}

/// The across-trial mean of `metric`, NaN when the scenario does not have it.
fn mean(s: &ScenarioReport, metric: Metric<'_>) -> f64 {
    s.metric(metric).map_or(f64::NAN, |m| m.mean)
}

/// The summary of a metric multiplied by `k` > 0 (weekly to yearly, say).
fn scaled(s: &Summary, k: f64) -> Summary {
    Summary {
        n: s.n,
        mean: s.mean * k,
        sd: s.sd * k,
        ci95_low: s.ci95_low * k,
        ci95_high: s.ci95_high * k,
        p5: s.p5 * k,
        p50: s.p50 * k,
        p95: s.p95 * k,
    }
}

/// Renders the self-contained HTML report.
pub fn render_html(c: &Comparison) -> Vec<u8> {
    render_html_with(c, None)
}

/// Renders the report with what the difference between the designs depends on: the
/// bottom line's sensitivity to each input, on the first page and as a tornado chart.
pub fn render_html_with(c: &Comparison, sensitivity: Option<&SensitivityReport>) -> Vec<u8> {
    let names: Vec<String> = (0..c.scenarios.len()).map(|i| title_of(c, i)).collect();
    let title = match c.scenarios.len() {
        1 => format!("Sales team design: {}", c.scenarios[0].name),
        _ => "Sales team design comparison".to_string(),
    };
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content={ "salesim " (c.manifest.salesim_version) };
                title { (title) }
                style { (PreEscaped(style::CSS)) }
            }
            body {
                main {
                    (header(c, &title, &names))
                    (market::section(c))
                    (decision::section(c, sensitivity))
                    (cards::section(c))
                    (flags::section(c))
                    (charts::time_section(c))
                    (charts::flow_section(c))
                    (charts::cost_section(c))
                    (details::section(c))
                    (segments::section(c))
                    (offices::section(c))
                    @if let Some(s) = sensitivity { (sensitivity_section(s)) }
                    (params::marked_section(c))
                    (params::assumptions_section(c))
                    (params::manifest_section(c))
                    footer {
                        "Generated by salesim " (c.manifest.salesim_version)
                        ". Times are working hours and working days; money is per year."
                    }
                }
            }
        }
    };
    page.into_string().into_bytes()
}

fn header(c: &Comparison, title: &str, names: &[String]) -> Markup {
    let warnings: usize = c.scenarios.iter().map(|s| s.warnings.len()).sum();
    html! {
        header.top {
            p.kicker { "salesim report" }
            h1 { (title) }
            p.designs {
                @for (i, name) in names.iter().enumerate() {
                    @if i > 0 { span.vs { " against " } }
                    span.design style={ "border-color:" (color(i)) } { (name) }
                }
            }
            p.meta {
                span { (c.manifest.trials) " trials" }
                span { "seed " (c.seed) }
                @if !c.manifest.shard.is_whole() { span { "shard " (c.manifest.shard) } }
                span { "salesim " (c.manifest.salesim_version) }
            }
            p.lede {
                "Each trial simulates a year of the sales team with random demand, "
                "durations and outcomes. "
                @if c.scenarios.len() > 1 {
                    "Every design faces the same random demand in the same trial, so the "
                    "designs are compared trial by trial; ranges in brackets are 95% "
                    "confidence intervals of the average difference. "
                }
                "Times are in working days of the scenario's calendar."
            }
            @if warnings > 0 {
                p.banner {
                    strong { "Read with care: " }
                    (warnings) " warning" @if warnings > 1 { "s" }
                    " about these results (see Undesirable results)."
                }
            }
        }
    }
}

/// The tornado chart of the bottom line's sensitivity, with its table.
fn sensitivity_section(s: &SensitivityReport) -> Markup {
    html! {
        section #sensitivity {
            h2 { "Sensitivity: what the difference depends on" }
            p.note {
                "Each input moved down and up by " (format::num(s.by * 100.0))
                "%, one at a time, in every design that has it; bars show the change in the "
                "difference of " (s.measure) " between the designs, lines its 95% interval. "
                (tornado::trials_words(s))
            }
            (PreEscaped(tornado::tornado(s, 10, 900.0, true)))
            (tornado::table(s, 10, true))
        }
    }
}
