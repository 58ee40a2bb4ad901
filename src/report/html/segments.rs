//! The report's "Segments" section (each customer segment's meetings, deals, revenue,
//! win rate, cycle, quote lead time and gross profit, per design, with the paired
//! differences), shown only when a design has segments; and the economics lines the
//! detailed table gains when a design has them.

use maud::{Markup, html};

use super::charts::union;
use super::format::{self, Kind};
use super::words::{self, Direction};
use super::{per_day, tag};
use crate::experiment::Comparison;
use crate::model::metrics::{Better, Def, Metric, catalogue as m};

/// Team metrics that only some designs have, with the group of the detailed table
/// they join: shown when any design of the comparison has them.
pub const OPTIONAL_TEAM_ROWS: [(&str, &Def); 3] = [
    ("Flow", m::LEADS_UNREACHED),
    ("Outcome", m::GROSS_PROFIT),
    ("Outcome", m::CONTRIBUTION),
];

/// Whether any design of `c` has team metric `def`.
pub fn any_has(c: &Comparison, def: &'static Def) -> bool {
    c.scenarios
        .iter()
        .any(|s| s.result.catalogue.position(Metric::team(def)).is_some())
}

/// The rows of each segment, in order.
const SEGMENT_ROWS: [&Def; 8] = [
    m::SEGMENT_LEADS,
    m::SEGMENT_MEETINGS,
    m::SEGMENT_DEALS,
    m::SEGMENT_WIN_RATE,
    m::SEGMENT_REVENUE,
    m::SEGMENT_GROSS_PROFIT,
    m::SEGMENT_CYCLE,
    m::SEGMENT_QUOTE,
];

/// The segments section, or nothing when no design has segments.
pub fn section(c: &Comparison) -> Markup {
    let segments = union(c.scenarios.iter().map(|s| {
        s.result
            .catalogue
            .subjects(m::SEGMENT_LEADS)
            .map(str::to_string)
            .collect()
    }));
    if segments.is_empty() {
        return html! {};
    }
    let columns = 1 + c.scenarios.len() + c.differences.len();
    html! {
        section #segments {
            h2 { "Segments" }
            p.note {
                "Each customer segment's share of the leads, with its own deal values, "
                "conversion and roles as the scenario gives them; \"other\" is the leads no "
                "named segment takes. Counts and money add up to the team's figures."
            }
            table {
                thead { tr {
                    th { "Segment and metric" }
                    @for s in &c.scenarios { th.num { (s.name) } }
                    @for i in 1..c.scenarios.len() {
                        th.num { "Difference, " (tag(c, i)) " \u{2212} " (tag(c, 0)) }
                    }
                } }
                tbody {
                    @for segment in &segments {
                        tr.group { td colspan=(columns) { (segment) } }
                        @for &def in &SEGMENT_ROWS {
                            @if c.scenarios.iter().any(|s| s.metric(Metric::of(def, segment)).is_some()) {
                                (row(c, def, segment))
                            }
                        }
                    }
                }
            }
        }
    }
}

fn row(c: &Comparison, def: &'static Def, segment: &str) -> Markup {
    let metric = Metric::of(def, segment);
    let base_day = per_day(&c.scenarios[0]);
    html! { tr {
        td.indent { (def.label) }
        @for s in &c.scenarios {
            td.num {
                @let v = s.metric(metric).map_or(f64::NAN, |m| m.mean);
                (format::value(v, Kind::of(def).unit(per_day(s))))
            }
        }
        @for d in &c.differences {
            @match d.metrics.get(metric) {
                Some(diff) => {
                    @let class = match (words::direction(diff), def.better) {
                        (Direction::Up, Better::Higher) | (Direction::Down, Better::Lower) => "num good",
                        (Direction::Up, Better::Lower) | (Direction::Down, Better::Higher) => "num bad",
                        _ => "num",
                    };
                    td class=(class) { (words::signed(diff, Kind::of(def).unit(base_day))) }
                }
                None => td.num { (format::NA) },
            }
        }
    } }
}
