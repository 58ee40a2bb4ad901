//! The sweep report's Pareto front, its chart and its list. The front itself (what
//! staffing cost is set against, which feasible points are on it) is computed once, in
//! `experiment::optimize`, for this report and the terminal summary alike.

use maud::{Markup, html};

use super::charts::{Axis, clip_of, line, plot};
use super::{COST, mean, name_of, show};
use crate::experiment::optimize::Versus;
use crate::experiment::sweep::SweepReport;
use crate::report::html::format;

/// Staffing cost against `v`: every point a dot (light when it misses a constraint),
/// the front of the feasible points joined, the chosen point in red.
pub(super) fn pareto_chart(
    r: &SweepReport,
    v: &Versus,
    front: &[usize],
    chosen: Option<usize>,
) -> String {
    let ps = &r.points;
    let at = |i: usize| (mean(&ps[i], COST), v.target.value(&ps[i].metrics));
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
            dots(&|i| !r.feasible(i)),
        ),
        line(
            "meets every constraint",
            "#334155",
            dots(&|i| r.feasible(i)),
        ),
        line("Pareto front", "#2563eb", joined),
        line("chosen", "#dc2626", chosen.map(at).into_iter().collect()),
    ];
    series.retain(|s| !s.points.is_empty());
    let x_fmt = |v: f64| format::trim_zeros(&show(COST, v));
    let x: Axis = ("staffing cost per year", &x_fmt);
    plot(
        &series,
        1080.0,
        x,
        &v.target.metric,
        clip_of(r, &v.target.metric),
    )
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
                    code { (name_of(&v.target.metric)) } " " (show(&v.target.metric, v.target.value(&p.metrics)))
                    @if chosen == Some(i) { strong { " (chosen)" } }
                }
            }
        }
    }
}
