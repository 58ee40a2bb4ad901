//! The detailed results table: activity, flow, outcome and cost metrics plus every
//! funnel step, one column per design and one per paired difference with its 95% CI.

use maud::{Markup, html};

use super::charts::union;
use super::format::{self, Kind};
use super::words::{self, Direction};
use super::{per_day, scaled, tag};
use crate::report::{Comparison, Difference, ScenarioReport};
use crate::stats::Summary;

/// A row of the table: label, metric, unit, scale, and which way is better.
struct Row {
    label: String,
    metric: String,
    kind: Kind,
    scale: f64,
    higher_is_better: Option<bool>,
    /// Divides by the scenario's number of sellers (people in meeting roles).
    per_seller: bool,
}

fn row(label: &str, metric: &str, kind: Kind, higher_is_better: Option<bool>) -> Row {
    Row {
        label: label.to_string(),
        metric: metric.to_string(),
        kind,
        scale: 1.0,
        higher_is_better,
        per_seller: false,
    }
}

const UP: Option<bool> = Some(true);
const DOWN: Option<bool> = Some(false);

fn groups(c: &Comparison) -> Vec<(String, Vec<Row>)> {
    use Kind::*;
    let mut deals = row("Deals won per year", "deals_won_per_week", Count, UP);
    deals.scale = 52.0;
    let mut revenue_per_seller = row("Revenue per seller", "revenue_per_year", Money, UP);
    revenue_per_seller.per_seller = true;
    let mut out = vec![
        (
            "Activity".to_string(),
            vec![
                row("Meetings per week", "meetings_per_week", Count, UP),
                row(
                    "Meetings per seller-week",
                    "meetings_per_week_per_seller",
                    Count,
                    UP,
                ),
                row(
                    "Leads created per week",
                    "leads_created_per_week",
                    Count,
                    None,
                ),
                row(
                    "First contact after",
                    "first_contact_hours.mean",
                    Hours,
                    DOWN,
                ),
            ],
        ),
        (
            "Flow".to_string(),
            vec![
                row(
                    "Quote lead time, mean",
                    "quote_lead_time_hours.mean",
                    Hours,
                    DOWN,
                ),
                row(
                    "Quote lead time, p50",
                    "quote_lead_time_hours.p50",
                    Hours,
                    DOWN,
                ),
                row(
                    "Quote lead time, p90",
                    "quote_lead_time_hours.p90",
                    Hours,
                    DOWN,
                ),
                row(
                    "Quote lead time, p95",
                    "quote_lead_time_hours.p95",
                    Hours,
                    DOWN,
                ),
                row(
                    "Quotes over target",
                    "quotes_over_target_pct",
                    Percent,
                    DOWN,
                ),
                row(
                    "Service response, mean",
                    "service_response_hours.mean",
                    Hours,
                    DOWN,
                ),
                row(
                    "Service response, p50",
                    "service_response_hours.p50",
                    Hours,
                    DOWN,
                ),
                row(
                    "Service response, p90",
                    "service_response_hours.p90",
                    Hours,
                    DOWN,
                ),
                row(
                    "Service over target",
                    "service_over_target_pct",
                    Percent,
                    DOWN,
                ),
                row("Sales cycle, mean", "sales_cycle_hours.mean", Hours, DOWN),
                row("Leads in the system", "leads_in_system.mean", Count, None),
                row(
                    "Time a lead spends open",
                    "lead_time_in_system_hours.mean",
                    Hours,
                    DOWN,
                ),
                row(
                    "Leads gone cold per week",
                    "leads_gone_cold_per_week",
                    Count,
                    DOWN,
                ),
            ],
        ),
        (
            "Outcome".to_string(),
            vec![
                deals,
                row("Win rate", "win_rate", Share, UP),
                row("Revenue per year", "revenue_per_year", Money, UP),
                revenue_per_seller,
            ],
        ),
        (
            "Cost".to_string(),
            vec![
                row(
                    "Staffing cost per year",
                    "staffing_cost_per_year",
                    Money,
                    DOWN,
                ),
                row(
                    "  people in roles",
                    "staffing_cost.roles_per_year",
                    Money,
                    DOWN,
                ),
                row(
                    "  management",
                    "staffing_cost.management_per_year",
                    Money,
                    DOWN,
                ),
                row("  offices", "staffing_cost.offices_per_year", Money, DOWN),
                row("Managers", "managers", Count, None),
                row("Cost per meeting", "cost_per_meeting", Money, DOWN),
                row("Cost of sales", "cost_of_sales_pct", Percent, DOWN),
                row(
                    "Sellers below meeting target",
                    "sellers_below_meeting_target_pct",
                    Percent,
                    DOWN,
                ),
            ],
        ),
    ];
    let steps = union(c.scenarios.iter().map(|s| {
        s.result
            .names
            .iter()
            .filter_map(|n| {
                n.strip_prefix("steps.")?
                    .strip_suffix(".completed_per_week")
            })
            .map(str::to_string)
            .collect()
    }));
    let mut step_rows = Vec::new();
    for step in steps {
        let m = |what: &str| format!("steps.{step}.{what}");
        step_rows.extend([
            row(
                &format!("{step}: done per week"),
                &m("completed_per_week"),
                Count,
                None,
            ),
            row(
                &format!("{step}: wait, mean"),
                &m("wait_hours.mean"),
                Hours,
                DOWN,
            ),
            row(
                &format!("{step}: lead time, mean"),
                &m("lead_time_hours.mean"),
                Hours,
                DOWN,
            ),
            row(
                &format!("{step}: lead time, p90"),
                &m("lead_time_hours.p90"),
                Hours,
                DOWN,
            ),
        ]);
    }
    if !step_rows.is_empty() {
        out.push(("Funnel steps".to_string(), step_rows));
    }
    out
}

pub fn section(c: &Comparison) -> Markup {
    let base_day = per_day(&c.scenarios[0]);
    html! {
        section #details {
            h2 { "Detailed results" }
            p.note {
                "Averages over trials. Differences are paired, trial by trial, with their "
                "95% confidence interval; green is better, red worse, grey unclear. "
                "\"n/a\" means the design has no such work or it never happened."
            }
            table {
                thead { tr {
                    th { "Metric" }
                    @for s in &c.scenarios { th.num { (s.name) } }
                    @for i in 1..c.scenarios.len() {
                        th.num { "Difference, " (tag(c, i)) " \u{2212} " (tag(c, 0)) }
                    }
                } }
                tbody {
                    @for (group, rows) in groups(c) {
                        tr.group { td colspan=(1 + c.scenarios.len() + c.differences.len()) { (group) } }
                        @for r in &rows { tr {
                            @if r.label.starts_with(' ') {
                                td.indent { (r.label.trim_start()) }
                            } @else {
                                td { (r.label) }
                            }
                            @for s in &c.scenarios {
                                td.num {
                                    @let v = s.metric(&r.metric).map_or(f64::NAN, |m| m.mean);
                                    (format::value(v * scale(s, r), r.kind.unit(per_day(s))))
                                }
                            }
                            @for (i, d) in c.differences.iter().enumerate() {
                                (difference(c, i, d, r, base_day))
                            }
                        } }
                    }
                }
            }
        }
    }
}

/// What a row multiplies a scenario's metric by: NaN when it is per seller and the
/// scenario's sellers are unknown.
fn scale(s: &ScenarioReport, r: &Row) -> f64 {
    if !r.per_seller {
        return r.scale;
    }
    let sellers = s.loaded.as_ref().map_or(0, |l| {
        let sc = &l.scenario;
        sc.seller_roles()
            .iter()
            .map(|&i| sc.roles[i].headcount)
            .sum::<u32>()
    });
    if sellers == 0 {
        f64::NAN
    } else {
        r.scale / f64::from(sellers)
    }
}

/// The paired difference of a row between scenario `i + 1` and the baseline.
fn paired(c: &Comparison, i: usize, d: &Difference, r: &Row) -> Option<Summary> {
    if !r.per_seller {
        let (_, diff) = d.metrics.iter().find(|(n, _)| *n == r.metric)?;
        return Some(scaled(diff, r.scale));
    }
    let (a, b) = (&c.scenarios[0], &c.scenarios[i + 1]);
    let (ka, kb) = (scale(a, r), scale(b, r));
    let (xa, xb) = (a.result.column(&r.metric)?, b.result.column(&r.metric)?);
    let diffs: Vec<f64> = xa.iter().zip(&xb).map(|(x, y)| y * kb - x * ka).collect();
    Some(Summary::of(&diffs))
}

fn difference(c: &Comparison, i: usize, d: &Difference, r: &Row, per_day: f64) -> Markup {
    let Some(diff) = paired(c, i, d, r) else {
        return html! { td.num { (format::NA) } };
    };
    let class = match (words::direction(&diff), r.higher_is_better) {
        (Direction::Up, Some(true)) | (Direction::Down, Some(false)) => "num good",
        (Direction::Up, Some(false)) | (Direction::Down, Some(true)) => "num bad",
        _ => "num",
    };
    html! { td class=(class) { (words::signed(&diff, r.kind.unit(per_day))) } }
}
