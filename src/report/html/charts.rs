//! The chart sections: where each role's time goes, the quote lead-time curve and the
//! weekly series over the horizon, and the staffing cost split with the team behind it.

use maud::{Markup, PreEscaped, html};

use super::bars::{self, BarRow};
use super::format;
use super::lines::{self, Series, Whisker, XyChart};
use super::svg;
use super::{color, mean, per_day, targets};
use crate::experiment::{Comparison, ScenarioReport};
use crate::model::metrics::{Metric, catalogue as m};

/// Time-allocation categories in the order of `catalogue::TIME_SHARES`, with their
/// colours.
const ACTIVITIES: [(&str, &str); 8] = [
    ("selling", "#16a34a"),
    ("travel", "#f59e0b"),
    ("quoting", "#8b5cf6"),
    ("service", "#0ea5e9"),
    ("admin", "#94a3b8"),
    ("prospecting", "#ec4899"),
    ("switching", "#ef4444"),
    ("idle", "#e5e7eb"),
];

/// Role names of a scenario, from the scenario or else from its metric names.
fn roles(s: &ScenarioReport) -> Vec<String> {
    if let Some(l) = &s.loaded {
        return l.scenario.roles.iter().map(|r| r.name.clone()).collect();
    }
    s.metrics
        .catalogue()
        .subjects(m::UTILIZATION)
        .map(str::to_string)
        .collect()
}

pub fn time_section(c: &Comparison) -> Markup {
    let mut rows = Vec::new();
    for s in &c.scenarios {
        let ceiling = targets(s).max_utilization;
        rows.push(BarRow {
            label: s.name.clone(),
            values: Vec::new(),
            note: String::new(),
            alert: false,
        });
        for role in roles(s) {
            let share = |def| mean(s, Metric::of(def, &role));
            let busy = mean(s, Metric::of(m::UTILIZATION, &role));
            let headcount = s
                .loaded
                .as_ref()
                .and_then(|l| l.scenario.roles.iter().find(|r| r.name == role))
                .map_or(String::new(), |r| format!(" ({})", r.headcount));
            rows.push(BarRow {
                label: format!("{role}{headcount}"),
                values: m::TIME_SHARES.iter().map(|&def| share(def)).collect(),
                note: format!("busy {}", format::share(busy)),
                alert: busy > ceiling,
            });
        }
    }
    let label = |v: f64| {
        if v >= 0.05 {
            format!("{:.0}%", v * 100.0)
        } else {
            String::new()
        }
    };
    let chart = bars::stacked_bars(
        "Time allocation per role",
        &rows,
        &ACTIVITIES,
        1080.0,
        Some(1.0),
        &label,
    );
    html! {
        section #time {
            h2 { "Where the time goes" }
            p.note {
                "Share of each role's available working time, averaged over trials and "
                "people (headcount in brackets). \"Busy\" is everything but idle; red "
                "when above the design's utilization ceiling, where queues start to grow "
                "fast."
            }
            (PreEscaped(chart))
        }
    }
}

/// The meetings chart's y title, with the unit of the catalogue's meetings metric.
fn meetings_title() -> String {
    format!("meetings ({})", m::MEETINGS_PER_WEEK.unit.words())
}

pub fn flow_section(c: &Comparison) -> Markup {
    html! {
        section #flow {
            h2 { "Quote lead time and the year week by week" }
            p.note {
                "Left: the time within which half, 90% and 95% of quotes were sent (each "
                "trial's median, 90th and 95th percentile, averaged; whiskers show the 5th "
                "to 95th percentile across trials). Only these three points are measured. "
                "Right: meetings held and leads open each week, averaged over trials, over "
                "the measured weeks only; the shaded weeks are the warm-up, not measured "
                "and left out of every statistic."
            }
            div.charts2 {
                div {
                    h3 { "Quote lead time" }
                    (PreEscaped(quote_curve(c)))
                }
                div {
                    h3 { "Meetings per week" }
                    (PreEscaped(weekly(c, "Meetings per week", &meetings_title(), |s| &s.weekly_meetings)))
                    h3 { "Open leads in the pipeline" }
                    (PreEscaped(weekly(c, "Open leads in the pipeline", "open leads (number)", |s| &s.weekly_open_leads)))
                }
            }
        }
    }
}

/// Dash patterns of the scenarios' lines, in order: the first solid, the others
/// dashed, so that two designs with the same series stay apart where they overlap.
const DASHES: [&str; 4] = ["", "7 4", "2 3", "10 3 2 3"];

fn dash(i: usize) -> &'static str {
    DASHES[i % DASHES.len()]
}

/// Quote lead time at the median, 90th and 95th percentile of each trial: the only
/// three quantiles measured, drawn as points (not a curve through them, which would
/// invent the quantiles between).
fn quote_curve(c: &Comparison) -> String {
    let base_day = per_day(&c.scenarios[0]);
    let levels = [
        (0.5, m::QUOTE_P50),
        (0.9, m::QUOTE_P90),
        (0.95, m::QUOTE_P95),
    ];
    let largest = c
        .scenarios
        .iter()
        .filter_map(|s| s.metric(Metric::team(m::QUOTE_P95)))
        .map(|m| m.p95)
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let divisor = if largest >= base_day { base_day } else { 1.0 };
    let mut series = Vec::new();
    let mut whiskers = Vec::new();
    for (i, s) in c.scenarios.iter().enumerate() {
        let mut points = Vec::new();
        for (level, def) in levels {
            let Some(m) = s.metric(Metric::team(def)) else {
                continue;
            };
            // A NaN point lifts the pen: dots, no line between the percentiles.
            points.push((m.mean / divisor, level));
            points.push((f64::NAN, f64::NAN));
            whiskers.push(Whisker {
                y: level,
                x0: m.p5 / divisor,
                x1: m.p95 / divisor,
                color: color(i).to_string(),
            });
        }
        series.push(Series {
            label: s.name.clone(),
            color: color(i).to_string(),
            points,
            dash: dash(i),
        });
    }
    let has_data = series
        .iter()
        .any(|s| s.points.iter().any(|p| p.0.is_finite()));
    let title = "Quote lead time at the median, 90th and 95th percentile";
    if !has_data {
        return svg::empty_chart(title, 540.0, 300.0, "no quotes in these designs");
    }
    let unit = if divisor > 1.0 {
        "working days"
    } else {
        "working hours"
    };
    let x_label = format!("quote lead time ({unit})");
    let target = targets(&c.scenarios[0]).quote_lead_time_hours / divisor;
    let x_fmt = |v: f64| format::short(v);
    let y_fmt = |v: f64| format!("{:.0}%", v * 100.0);
    lines::xy_chart(&XyChart {
        title,
        width: 540.0,
        height: 372.0,
        series: &series,
        x_label: &x_label,
        y_label: "share of quotes sent (percentile)",
        x_fmt: &x_fmt,
        y_fmt: &y_fmt,
        x_from_zero: true,
        y_range: Some((0.0, 1.0)),
        shade: None,
        vline: Some((target, "target")),
        markers: true,
        whiskers: &whiskers,
        end_labels: false,
        y_clip: None,
    })
}

/// Whether week `w` (from 0) is measured: it starts at or after the warm-up's end. A
/// week the warm-up ends in holds only part of a week's meetings, so it is left out.
fn measured(week: usize, warmup_weeks: f64) -> bool {
    week as f64 >= warmup_weeks - 1e-9
}

/// One weekly series of every scenario as a line chart over the measured weeks only
/// (the warm-up's weeks are never counted, so drawing them would show false zeros).
fn weekly(
    c: &Comparison,
    title: &str,
    y_label: &str,
    get: fn(&ScenarioReport) -> &Vec<f64>,
) -> String {
    let warmup = c.scenarios[0].loaded.as_ref().map_or(0.0, |l| {
        l.scenario.warmup_hours / l.scenario.calendar.hours_per_week()
    });
    let series: Vec<Series> = c
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let warmup = s.loaded.as_ref().map_or(warmup, |l| {
                l.scenario.warmup_hours / l.scenario.calendar.hours_per_week()
            });
            Series {
                label: s.name.clone(),
                color: color(i).to_string(),
                points: get(s)
                    .iter()
                    .enumerate()
                    .filter(|(w, _)| measured(*w, warmup))
                    .map(|(w, v)| ((w + 1) as f64, *v))
                    .collect(),
                dash: dash(i),
            }
        })
        .collect();
    let fmt = |v: f64| format::short(v);
    lines::xy_chart(&XyChart {
        title,
        width: 540.0,
        height: 170.0,
        series: &series,
        x_label: "week",
        y_label,
        x_fmt: &fmt,
        y_fmt: &fmt,
        x_from_zero: false,
        y_range: None,
        shade: (warmup > 0.0).then_some((0.0, warmup + 0.5, "warm-up, not measured")),
        vline: None,
        markers: false,
        whiskers: &[],
        end_labels: true,
        y_clip: None,
    })
}

const COST_PARTS: [(&str, &str); 3] = [
    ("people in roles", "#2563eb"),
    ("management", "#f59e0b"),
    ("offices", "#94a3b8"),
];

pub fn cost_section(c: &Comparison) -> Markup {
    let rows: Vec<BarRow> = c
        .scenarios
        .iter()
        .map(|s| BarRow {
            label: s.name.clone(),
            values: [
                m::STAFFING_ROLES,
                m::STAFFING_MANAGEMENT,
                m::STAFFING_OFFICES,
            ]
            .map(|def| mean(s, Metric::team(def)))
            .to_vec(),
            note: format::money(mean(s, Metric::team(m::STAFFING_COST))),
            alert: false,
        })
        .collect();
    let chart = bars::stacked_bars(
        "Staffing cost per year",
        &rows,
        &COST_PARTS,
        1080.0,
        None,
        &format::money,
    );
    let all_roles = union(c.scenarios.iter().map(roles));
    let team = |s: &ScenarioReport, role: &str| {
        let r = s
            .loaded
            .as_ref()?
            .scenario
            .roles
            .iter()
            .find(|r| r.name == role)?;
        Some((r.headcount, r.annual_cost))
    };
    html! {
        section #cost {
            h2 { "Staffing cost" }
            p.note {
                "Yearly cost of the people in each role (loaded cost), their managers (by "
                "span of control, with the layers above) and regional offices."
            }
            (PreEscaped(chart))
            @if c.scenarios.iter().any(|s| s.loaded.is_some()) {
                table.team {
                    thead { tr {
                        th { "Role" }
                        @for s in &c.scenarios { th.num { (s.name) } }
                    } }
                    tbody {
                        @for role in &all_roles { tr {
                            td { (role) }
                            @for s in &c.scenarios {
                                td.num { @match team(s, role) {
                                    Some((n, cost)) => {
                                        (n) " \u{00d7} " (format::money(cost))
                                        " = " (format::money(f64::from(n) * cost))
                                    }
                                    None => "\u{2014}",
                                } }
                            }
                        } }
                        tr {
                            td { "Managers" }
                            @for s in &c.scenarios {
                                td.num {
                                    (format::num(mean(s, Metric::team(m::MANAGERS)))) " = "
                                    (format::money(mean(s, Metric::team(m::STAFFING_MANAGEMENT))))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The distinct names of several lists, in order of first appearance.
pub fn union(lists: impl Iterator<Item = Vec<String>>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in lists.flatten() {
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}
