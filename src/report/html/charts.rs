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

pub fn flow_section(c: &Comparison) -> Markup {
    html! {
        section #flow {
            h2 { "Quote lead time and the year week by week" }
            p.note {
                "Left: share of quotes sent within a given time, through the median, 90th "
                "and 95th percentile of each trial (averaged; whiskers show the 5th to 95th "
                "percentile across trials). Right: meetings held and leads open each week, "
                "averaged over trials; the shaded weeks are the warm-up, left out of every "
                "statistic."
            }
            div.charts2 {
                div {
                    h3 { "Quote lead time" }
                    (PreEscaped(quote_curve(c)))
                }
                div {
                    h3 { "Meetings per week" }
                    (PreEscaped(weekly(c, "Meetings per week", |s| &s.weekly_meetings)))
                    h3 { "Open leads in the pipeline" }
                    (PreEscaped(weekly(c, "Open leads in the pipeline", |s| &s.weekly_open_leads)))
                }
            }
        }
    }
}

/// Quote lead time as a cumulative curve through the per-trial percentiles.
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
            points.push((m.mean / divisor, level));
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
        });
    }
    let has_data = series
        .iter()
        .any(|s| s.points.iter().any(|p| p.0.is_finite()));
    let title = "Quote lead time: share of quotes sent within a given time";
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
        x_fmt: &x_fmt,
        y_fmt: &y_fmt,
        x_from_zero: true,
        y_range: Some((0.0, 1.0)),
        shade: None,
        vline: Some((target, "target")),
        markers: true,
        whiskers: &whiskers,
    })
}

/// One weekly series of every scenario as a line chart.
fn weekly(c: &Comparison, title: &str, get: fn(&ScenarioReport) -> &Vec<f64>) -> String {
    let series: Vec<Series> = c
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| Series {
            label: s.name.clone(),
            color: color(i).to_string(),
            points: get(s)
                .iter()
                .enumerate()
                .map(|(w, v)| ((w + 1) as f64, *v))
                .collect(),
        })
        .collect();
    let warmup = c.scenarios[0].loaded.as_ref().map_or(0.0, |l| {
        l.scenario.warmup_hours / l.scenario.calendar.hours_per_week()
    });
    let fmt = |v: f64| format::short(v);
    lines::xy_chart(&XyChart {
        title,
        width: 540.0,
        height: 170.0,
        series: &series,
        x_label: "week",
        x_fmt: &fmt,
        y_fmt: &fmt,
        x_from_zero: false,
        y_range: None,
        shade: (warmup > 0.0).then_some((0.0, warmup + 0.5, "warm-up")),
        vline: None,
        markers: false,
        whiskers: &[],
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
