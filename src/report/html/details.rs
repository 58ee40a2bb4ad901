//! The detailed results table: activity, flow, outcome and cost metrics plus every
//! funnel step, one column per design and one per paired difference with its 95% CI.

use maud::{Markup, html};

use super::charts::union;
use super::format::{self, Kind};
use super::words::{self, Direction};
use super::{per_day, scaled, tag};
use crate::experiment::{Comparison, Difference, ScenarioReport};
use crate::model::metrics::{Better, Def, Metric, catalogue as m};
use crate::stats::Summary;

/// A row of the table: a metric, its label, and what it is multiplied by.
struct Row {
    label: String,
    def: &'static Def,
    /// The step a step metric measures; empty for a team metric.
    subject: String,
    scale: f64,
    /// Divides by the scenario's number of sellers (people in meeting roles).
    per_seller: bool,
}

impl Row {
    fn metric(&self) -> Metric<'_> {
        Metric::of(self.def, &self.subject)
    }
}

/// A team metric as a line of a group: the catalogue's label unless `label` words it
/// differently (a leading space indents it under the line above).
struct Line {
    def: &'static Def,
    label: Option<&'static str>,
    scale: f64,
    per_seller: bool,
}

const fn plain(def: &'static Def) -> Line {
    Line {
        def,
        label: None,
        scale: 1.0,
        per_seller: false,
    }
}

const fn worded(def: &'static Def, label: &'static str) -> Line {
    Line {
        label: Some(label),
        ..plain(def)
    }
}

const GROUPS: [(&str, &[Line]); 4] = [
    (
        "Activity",
        &[
            plain(m::MEETINGS_PER_WEEK),
            plain(m::MEETINGS_PER_SELLER),
            plain(m::LEADS_CREATED),
            plain(m::FIRST_CONTACT),
        ],
    ),
    (
        "Flow",
        &[
            plain(m::QUOTE_MEAN),
            plain(m::QUOTE_P50),
            plain(m::QUOTE_P90),
            plain(m::QUOTE_P95),
            plain(m::QUOTES_OVER_TARGET),
            plain(m::SERVICE_MEAN),
            plain(m::SERVICE_P50),
            plain(m::SERVICE_P90),
            plain(m::SERVICE_OVER_TARGET),
            plain(m::SALES_CYCLE),
            plain(m::LEADS_IN_SYSTEM),
            plain(m::LEAD_TIME_IN_SYSTEM),
            plain(m::LEADS_COLD),
        ],
    ),
    (
        "Outcome",
        &[
            Line {
                scale: 52.0,
                ..worded(m::DEALS_WON, "Deals won per year")
            },
            plain(m::WIN_RATE),
            plain(m::REVENUE),
            Line {
                per_seller: true,
                ..worded(m::REVENUE, "Revenue per seller")
            },
        ],
    ),
    (
        "Cost",
        &[
            plain(m::STAFFING_COST),
            worded(m::STAFFING_ROLES, "  people in roles"),
            worded(m::STAFFING_MANAGEMENT, "  management"),
            worded(m::STAFFING_OFFICES, "  offices"),
            plain(m::MANAGERS),
            plain(m::COST_PER_MEETING),
            plain(m::COST_OF_SALES),
            plain(m::SELLERS_BELOW_TARGET),
        ],
    ),
];

/// The rows shown for every funnel step.
const STEP_ROWS: [&Def; 4] = [
    m::STEP_DONE,
    m::STEP_WAIT,
    m::STEP_LEAD_MEAN,
    m::STEP_LEAD_P90,
];

fn groups(c: &Comparison) -> Vec<(String, Vec<Row>)> {
    let mut out: Vec<(String, Vec<Row>)> = GROUPS
        .iter()
        .map(|(group, lines)| {
            let rows = lines
                .iter()
                .map(|l| Row {
                    label: l.label.unwrap_or(l.def.label).to_string(),
                    def: l.def,
                    subject: String::new(),
                    scale: l.scale,
                    per_seller: l.per_seller,
                })
                .collect();
            (group.to_string(), rows)
        })
        .collect();
    for (group, def) in super::segments::OPTIONAL_TEAM_ROWS {
        if let Some((_, rows)) = out.iter_mut().find(|(g, _)| g == group)
            && super::segments::any_has(c, def)
        {
            rows.push(Row {
                label: def.label.to_string(),
                def,
                subject: String::new(),
                scale: 1.0,
                per_seller: false,
            });
        }
    }
    let steps = union(c.scenarios.iter().map(|s| {
        let catalogue = &s.result.catalogue;
        catalogue
            .subjects(m::STEP_DONE)
            .map(str::to_string)
            .collect()
    }));
    let step_rows: Vec<Row> = steps
        .iter()
        .flat_map(|step| {
            STEP_ROWS.iter().map(move |&def| Row {
                label: Metric::of(def, step).label(),
                def,
                subject: step.clone(),
                scale: 1.0,
                per_seller: false,
            })
        })
        .collect();
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
                "\"n/a\" means the design has no such work or it never happened; a figure "
                "observed in only some trials says in how many. The p50, p90 and p95 rows are "
                "each trial's own percentile, averaged over trials (at high load over a short "
                "run, below the long-run percentile)."
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
                                    @let m = s.metric(r.metric());
                                    @let v = m.map_or(f64::NAN, |m| m.mean);
                                    (format::value(v * scale(s, r), Kind::of(r.def).unit(per_day(s))))
                                    @if let Some(m) = m.filter(|m| m.n > 0 && m.n < s.trials) {
                                        " " small { "(" (m.n) " of " (s.trials) " trials)" }
                                    }
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
        let diff = d.metrics.get(r.metric())?;
        return Some(scaled(diff, r.scale));
    }
    let (a, b) = (&c.scenarios[0], &c.scenarios[i + 1]);
    let (ka, kb) = (scale(a, r), scale(b, r));
    let (xa, xb) = (a.result.column(r.metric())?, b.result.column(r.metric())?);
    let diffs: Vec<f64> = xa.iter().zip(&xb).map(|(x, y)| y * kb - x * ka).collect();
    Some(Summary::of(&diffs))
}

fn difference(c: &Comparison, i: usize, d: &Difference, r: &Row, per_day: f64) -> Markup {
    let Some(diff) = paired(c, i, d, r) else {
        return html! { td.num { (format::NA) } };
    };
    let class = match (words::direction(&diff), r.def.better) {
        (Direction::Up, Better::Higher) | (Direction::Down, Better::Lower) => "num good",
        (Direction::Up, Better::Lower) | (Direction::Down, Better::Higher) => "num bad",
        _ => "num",
    };
    let unit = Kind::of(r.def).unit(per_day);
    html! { td class=(class) { (words::signed(&diff, unit)) } }
}
