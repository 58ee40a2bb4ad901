//! The offices section of the HTML report, shown only when a design has offices: each
//! office's headline metrics (counted where the lead or account arose), its staffing
//! cost, and the utilization of its people by role, one column per design and one per
//! paired difference.

use maud::{Markup, html};

use super::charts::union;
use super::format::{self, Kind};
use super::words::{self, Direction};
use super::{per_day, tag};
use crate::experiment::{Comparison, Difference};
use crate::model::metrics::{Better, Def, Metric, catalogue as m};

/// The rows shown for every office, in order.
const OFFICE_ROWS: [&Def; 12] = [
    m::OFFICE_LEADS,
    m::OFFICE_MEETINGS,
    m::OFFICE_DEALS,
    m::OFFICE_WIN_RATE,
    m::OFFICE_REVENUE,
    m::OFFICE_CYCLE,
    m::OFFICE_COLD,
    m::OFFICE_QUOTE_MEAN,
    m::OFFICE_QUOTE_P90,
    m::OFFICE_SERVICE_MEAN,
    m::OFFICE_SERVICE_P90,
    m::OFFICE_STAFFING,
];

/// Every office of any design, in order of appearance.
fn offices(c: &Comparison) -> Vec<String> {
    union(c.scenarios.iter().map(|s| {
        s.result
            .catalogue
            .subjects(m::OFFICE_MEETINGS)
            .map(str::to_string)
            .collect()
    }))
}

/// The office-and-role subjects (`OFFICE.roles.ROLE`) of `office` in any design.
fn office_roles(c: &Comparison, office: &str) -> Vec<String> {
    let prefix = format!("{office}.roles.");
    union(c.scenarios.iter().map(|s| {
        s.result
            .catalogue
            .subjects(m::OFFICE_UTILIZATION)
            .filter(|subject| subject.starts_with(&prefix))
            .map(str::to_string)
            .collect()
    }))
}

/// The section, or nothing when no design has offices.
pub fn section(c: &Comparison) -> Markup {
    let offices = offices(c);
    if offices.is_empty() {
        return html! {};
    }
    let base_day = per_day(&c.scenarios[0]);
    let columns = 1 + c.scenarios.len() + c.differences.len();
    html! {
        section #offices {
            h2 { "Offices" }
            p.note {
                "Each lead, its meetings, its quote and its customer's service requests count "
                "in the office where the lead or account arose, whoever served them, so the "
                "offices' counts and money add up to the team's. An office's staffing cost is "
                "its people, their first-line managers and the office itself; central roles "
                "and the managers above the offices are in none. Utilization is of the "
                "office's own people. Averages over trials; differences are paired, with their "
                "95% confidence interval."
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
                    @for office in &offices {
                        tr.group { td colspan=(columns) { (office) } }
                        @for def in OFFICE_ROWS {
                            (row(c, Metric::of(def, office), def.label.to_string(), base_day))
                        }
                        @for subject in office_roles(c, office) {
                            @let metric = Metric::of(m::OFFICE_UTILIZATION, &subject);
                            @let role = metric.office_and_role().map_or("", |(_, r)| r);
                            (row(c, metric, format!("{role}: utilization"), base_day))
                        }
                    }
                    tr.group { td colspan=(columns) { "Outside the offices" } }
                    (row(c, Metric::team(m::STAFFING_CENTRAL), m::STAFFING_CENTRAL.label.to_string(), base_day))
                }
            }
        }
    }
}

fn row(c: &Comparison, metric: Metric<'_>, label: String, base_day: f64) -> Markup {
    html! { tr {
        td { (label) }
        @for s in &c.scenarios {
            td.num {
                @let summary = s.metric(metric);
                @let v = summary.map_or(f64::NAN, |m| m.mean);
                (format::value(v, Kind::of(metric.def).unit(per_day(s))))
                @if let Some(m) = summary.filter(|m| m.n > 0 && m.n < s.trials) {
                    " " small { "(" (m.n) " of " (s.trials) " trials)" }
                }
            }
        }
        @for d in &c.differences {
            (difference(d, metric, base_day))
        }
    } }
}

fn difference(d: &Difference, metric: Metric<'_>, per_day: f64) -> Markup {
    let Some(diff) = d.metrics.get(metric) else {
        return html! { td.num { (format::NA) } };
    };
    let class = match (words::direction(diff), metric.def.better) {
        (Direction::Up, Better::Higher) | (Direction::Down, Better::Lower) => "num good",
        (Direction::Up, Better::Lower) | (Direction::Down, Better::Higher) => "num bad",
        _ => "num",
    };
    let unit = Kind::of(metric.def).unit(per_day);
    html! { td class=(class) { (words::signed(diff, unit)) } }
}
