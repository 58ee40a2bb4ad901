//! Undesirable results, flagged per design: quotes and service requests past target,
//! leads gone cold, sellers below their meeting target, roles above the utilization
//! ceiling, and every warning the run produced (overload, runaway trials).

use maud::{Markup, html};

use super::format;
use super::{mean, per_day, targets};
use crate::experiment::{Comparison, ScenarioReport};
use crate::model::metrics::{Def, Metric, catalogue as m};

/// Below this a count or percentage reads as none.
const NEGLIGIBLE: f64 = 0.05;

/// One kind of undesirable result.
struct Indicator {
    label: &'static str,
    metric: &'static Def,
    /// Formats the value, e.g. "23% of quotes".
    value: fn(f64) -> String,
    /// The target behind it, in words, for a scenario.
    target: fn(&ScenarioReport) -> String,
}

const INDICATORS: [Indicator; 4] = [
    Indicator {
        label: "Quotes slower than target",
        metric: m::QUOTES_OVER_TARGET,
        value: |v| format!("{} of quotes", format::percent(v)),
        target: |s| {
            let t = targets(s).quote_lead_time_hours;
            format!("target {}", format::duration(t, per_day(s)))
        },
    },
    Indicator {
        label: "Service requests slower than target",
        metric: m::SERVICE_OVER_TARGET,
        value: |v| format!("{} of requests", format::percent(v)),
        target: |s| {
            let t = targets(s).service_response_hours;
            format!("target {}", format::duration(t, per_day(s)))
        },
    },
    Indicator {
        label: "Leads gone cold before first contact",
        metric: m::LEADS_COLD,
        value: |v| format!("{} a week", format::num(v)),
        target: |_| String::new(),
    },
    Indicator {
        label: "Sellers below their meeting target",
        metric: m::SELLERS_BELOW_TARGET,
        value: |v| format!("{} of sellers", format::percent(v)),
        target: |s| {
            let t = targets(s).meetings_per_seller_week;
            format!("target {} meetings a week each", format::short(t))
        },
    },
];

/// Roles whose average utilization is above the scenario's ceiling, with it.
fn overloaded_roles(s: &ScenarioReport) -> Vec<(String, f64)> {
    let ceiling = targets(s).max_utilization;
    s.metrics
        .iter()
        .filter(|(metric, _, _)| metric.def == m::UTILIZATION)
        .filter(|(_, _, summary)| summary.mean > ceiling)
        .map(|(metric, _, summary)| (metric.subject.to_string(), summary.mean))
        .collect()
}

pub fn section(c: &Comparison) -> Markup {
    let any_warning = c.scenarios.iter().any(|s| !s.warnings.is_empty());
    html! {
        section #flags {
            h2 { "Undesirable results" }
            p.note {
                "What goes wrong in each design, on average per trial. Red cells need "
                "attention; green means it did not happen."
            }
            table {
                thead { tr {
                    th { "Result" }
                    @for s in &c.scenarios { th { (s.name) } }
                } }
                tbody {
                    @for ind in &INDICATORS { tr {
                        td { (ind.label) }
                        @for s in &c.scenarios { (cell(s, ind)) }
                    } }
                    tr {
                        td { "Roles busier than the utilization ceiling" }
                        @for s in &c.scenarios { (roles_cell(s)) }
                    }
                    tr {
                        td { "Warnings" }
                        @for s in &c.scenarios {
                            @if s.warnings.is_empty() {
                                td.ok { "none" }
                            } @else {
                                td.flag { (s.warnings.len()) " (see below)" }
                            }
                        }
                    }
                }
            }
            @if any_warning {
                ul.warnings {
                    @for s in &c.scenarios {
                        @for w in &s.warnings {
                            li { strong { (s.name) ": " } (w) }
                        }
                    }
                }
            }
        }
    }
}

/// The most meetings a week a seller's calendar can hold (the largest cap of the roles
/// that hold meetings), when the scenario is known.
fn meeting_cap(s: &ScenarioReport) -> Option<f64> {
    let scenario = &s.loaded.as_ref()?.scenario;
    scenario
        .seller_roles()
        .iter()
        .filter_map(|&r| scenario.roles.get(r))
        .map(|r| f64::from(r.max_meetings_per_day) * scenario.calendar.days_per_week)
        .reduce(f64::max)
}

fn cell(s: &ScenarioReport, ind: &Indicator) -> Markup {
    let v = mean(s, Metric::team(ind.metric));
    let target = (ind.target)(s);
    // A meeting target above what the calendar can hold is failed by every seller in
    // every trial: a red 100% would say nothing about the design.
    let cap = meeting_cap(s).filter(|_| ind.metric == m::SELLERS_BELOW_TARGET);
    let above_cap = cap.filter(|c| targets(s).meetings_per_seller_week > *c);
    html! {
        @if let Some(c) = above_cap {
            td {
                "cannot be met: the target is above the calendar's cap of "
                (format::short(c)) " meetings a week" (note(&target))
            }
        } @else if !v.is_finite() {
            td { (format::NA) (note(&target)) }
        } @else if v < NEGLIGIBLE {
            td.ok { "none" (note(&target)) }
        } @else {
            td.flag { ((ind.value)(v)) (note(&target)) }
        }
    }
}

/// The target under a cell's value, if there is one.
fn note(target: &str) -> Markup {
    html! { @if !target.is_empty() { br; small { (target) } } }
}

fn roles_cell(s: &ScenarioReport) -> Markup {
    let over = overloaded_roles(s);
    let ceiling = format!("ceiling {}", format::share(targets(s).max_utilization));
    html! {
        @if over.is_empty() {
            td.ok { "none" br; small { (ceiling) } }
        } @else {
            td.flag {
                @for (i, (role, u)) in over.iter().enumerate() {
                    @if i > 0 { ", " }
                    (role) " " (format::share(*u))
                }
                br; small { (ceiling) }
            }
        }
    }
}
