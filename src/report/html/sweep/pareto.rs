//! The sweep report's Pareto front: what staffing cost is set against, the front of
//! the feasible points, its chart and its list.

use maud::{Markup, html};

use super::charts::{Axis, clip_of, line, plot};
use super::{COST, mean, name, name_of, show};
use crate::experiment::optimize::{Objective, Sense};
use crate::experiment::sweep::{SweepPoint, SweepReport};
use crate::report::html::format;

/// What the Pareto chart sets against staffing cost: the objective, or, when the
/// objective is the staffing cost itself, the first constraint's metric (never cost
/// against cost). The metric, whether lower is better, and its value at a point.
pub(super) struct Versus<'a> {
    pub(super) metric: &'a str,
    pub(super) lower_better: bool,
    pub(super) value: Box<dyn Fn(&SweepPoint) -> f64 + 'a>,
}

pub(super) fn versus<'a>(r: &'a SweepReport, o: &'a Objective) -> Option<Versus<'a>> {
    if name(&o.target) != COST {
        let value = Box::new(move |p: &SweepPoint| o.target.value(&p.metrics));
        return Some(Versus {
            metric: &o.target.metric,
            lower_better: o.sense == Sense::Min,
            value,
        });
    }
    let c = r.constraints.iter().find(|c| name(&c.target) != COST)?;
    let value = Box::new(move |p: &SweepPoint| c.target.value(&p.metrics));
    Some(Versus {
        metric: &c.target.metric,
        lower_better: c.at_most,
        value,
    })
}

fn feasible(r: &SweepReport, i: usize) -> bool {
    r.constraints.iter().all(|c| c.met(&r.points[i].metrics))
}

/// The points meeting every constraint that no other such point beats on both staffing
/// cost and `v`, cheapest first. A point that misses a constraint is never on it.
pub(super) fn feasible_front(r: &SweepReport, v: &Versus) -> Vec<usize> {
    let at = |i: usize| (mean(&r.points[i], COST), (v.value)(&r.points[i]));
    let better = |a: f64, b: f64| if v.lower_better { a < b } else { a > b };
    let ok = (0..r.points.len()).filter(|&i| feasible(r, i));
    let ok: Vec<usize> = ok
        .filter(|&i| at(i).0.is_finite() && at(i).1.is_finite())
        .collect();
    let beats = |j: usize, i: usize| {
        let ((cj, yj), (ci, yi)) = (at(j), at(i));
        cj <= ci && !better(yi, yj) && (cj < ci || better(yj, yi))
    };
    let mut front: Vec<usize> = ok
        .iter()
        .copied()
        .filter(|&i| !ok.iter().any(|&j| beats(j, i)))
        .collect();
    front.sort_by(|&a, &b| at(a).0.total_cmp(&at(b).0).then(a.cmp(&b)));
    front
}

/// Staffing cost against `v`: every point a dot (light when it misses a constraint),
/// the front of the feasible points joined, the chosen point in red.
pub(super) fn pareto_chart(
    r: &SweepReport,
    v: &Versus,
    front: &[usize],
    chosen: Option<usize>,
) -> String {
    let ps = &r.points;
    let at = |i: usize| (mean(&ps[i], COST), (v.value)(&ps[i]));
    // A NaN point breaks a line: dots without lines between them.
    let dots = |keep: &dyn Fn(usize) -> bool| -> Vec<(f64, f64)> {
        let kept = (0..ps.len()).filter(|&i| keep(i));
        kept.flat_map(|i| [at(i), (f64::NAN, f64::NAN)]).collect()
    };
    let joined = front.iter().map(|&i| at(i)).collect();
    let mut series = vec![
        line(
            "not feasible: misses a constraint",
            "#94a3b8",
            dots(&|i| !feasible(r, i)),
        ),
        line(
            "meets every constraint",
            "#334155",
            dots(&|i| feasible(r, i)),
        ),
        line("Pareto front", "#2563eb", joined),
        line("chosen", "#dc2626", chosen.map(at).into_iter().collect()),
    ];
    series.retain(|s| !s.points.is_empty());
    let x_fmt = |v: f64| format::trim_zeros(&show(COST, v));
    let x: Axis = ("staffing cost per year", &x_fmt);
    plot(&series, 1080.0, x, v.metric, clip_of(r, v.metric))
}

/// The front as a list, the chosen point marked (it is on the front whenever it
/// exists, being the best feasible point).
pub(super) fn front_list(
    r: &SweepReport,
    v: &Versus,
    front: &[usize],
    chosen: Option<usize>,
) -> Markup {
    html! {
        ol.front {
            @for &i in front {
                @let p = &r.points[i];
                li {
                    "Point " (p.index) ": " (r.describe(p)) ", " (format::money(mean(p, COST))) " a year, "
                    code { (name_of(v.metric)) } " " (show(v.metric, (v.value)(p)))
                    @if chosen == Some(i) { strong { " (chosen)" } }
                }
            }
        }
    }
}
