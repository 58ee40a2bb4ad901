//! The HTML sweep report: the grid, the chosen design and how sure we are of each
//! constraint, headline metrics against each varied parameter, the Pareto front of
//! staffing cost against the objective, every point, and the manifest. Self-contained
//! and pure: the same `SweepReport` always gives the same bytes.

mod charts;
mod pareto;

use maud::{DOCTYPE, PreEscaped, html};

use super::{format, style};
use crate::experiment::optimize::{Constraint, Sense, Target};
use crate::experiment::sweep::{SweepPoint, SweepReport};
use crate::model::metrics::{Metric, catalogue as m};
use charts::parameter_section;
use format::Kind;
use pareto::{feasible_front, front_list, pareto_chart, versus};

const COST: &str = m::STAFFING_COST.key;

/// How a metric's values read, from the catalogue.
fn kind(metric: &str) -> Kind {
    Metric::parse(metric).map_or(Kind::Count, |m| Kind::of(m.def))
}

/// A value of `metric` in words (hours stay hours: the calendar is not known here).
fn show(metric: &str, v: f64) -> String {
    match kind(metric) {
        Kind::Hours if v.is_finite() => format!("{} h", format::num(v)),
        k => format::value(v, k.unit(8.0)),
    }
}

/// A target's name: the metric alone for its mean across trials.
fn name(t: &Target) -> String {
    let full = t.to_string();
    full.strip_suffix(".mean").unwrap_or(&full).to_string()
}

fn mean(p: &SweepPoint, metric: &str) -> f64 {
    p.metrics.named(metric).map_or(f64::NAN, |s| s.mean)
}

fn bound(c: &Constraint) -> String {
    let (op, limit) = (if c.at_most { "\u{2264}" } else { "\u{2265}" }, c.bound);
    format!("{} {op} {}", name(&c.target), show(&c.target.metric, limit))
}

/// How sure we are that the true mean meets a constraint, in plain words.
fn confidence(c: &Constraint, p: &SweepPoint) -> String {
    let Some(q) = c.confidence(&p.metrics) else {
        return "not computed: the bound is not on a mean, or there are too few trials".into();
    };
    let words = match q {
        q if q >= 0.99 => "almost certainly meets it",
        q if q >= 0.9 => "very likely meets it",
        q if q >= 0.5 => "more likely than not meets it",
        _ => "probably misses it",
    };
    let pct = (100.0 * q).clamp(0.1, 99.9);
    format!("{words}: about {pct:.1}% probability that the true mean is within the bound")
}
/// A metric's name without the `.mean` of its across-trial mean.
fn name_of(metric: &str) -> &str {
    metric.strip_suffix(".mean").unwrap_or(metric)
}
/// Renders the self-contained HTML sweep report.
pub fn render_sweep_html(r: &SweepReport) -> Vec<u8> {
    let (chosen, m) = (r.best(), &r.manifest);
    let vs = r.objective.as_ref().and_then(|o| versus(r, o));
    let front = vs.as_ref().map_or_else(Vec::new, |v| feasible_front(r, v));
    let title = format!("Sweep: {}", r.scenario);
    let not_cost = r.objective.as_ref().filter(|o| name(&o.target) != COST);
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8"; meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content={ "salesim " (m.salesim_version) };
                title { (title) } style { (PreEscaped(style::CSS)) }
            }
            body { main {
                header.top {
                    p.kicker { "salesim sweep report" } h1 { (title) }
                    p.meta {
                        span { code { (r.file) } } span { (r.points.len()) " points" } span { (r.trials) " trials each" }
                        span { "seed " (m.seed) } span { "salesim " (m.salesim_version) }
                    }
                    p.lede { "Each point of the grid runs the same trials (the same random demand), so differences between points come mostly from the design rather than from luck." }
                }
                section #grid {
                    h2 { "The grid" } table { thead { tr { th { "Parameter" } th { "Values" } } } tbody { @for v in &r.varies { tr { td { code { (v.path) } } td { (v.values.join(", ")) } } } } }
                }
                section #choice {
                    h2 { "The chosen design" }
                    @match (&r.objective, chosen) {
                        (None, _) => p.note { "No objective was given (--objective min:METRIC or max:METRIC), so no design is chosen; the charts and the table show every point." },
                        (Some(_), None) => p.banner { strong { "No point meets every constraint. " } "Relax a constraint or widen the grid; the table below shows which constraints each point misses." },
                        (Some(o), Some(i)) => {
                            @let p = &r.points[i];
                            p.designs { "Point " (p.index) ": " span.design style="border-color:#2563eb" { (r.describe(p)) } }
                            p.note { "The " (if o.sense == Sense::Min { "lowest" } else { "highest" }) " " code { (name(&o.target)) } " among the points that meet every constraint: " strong { (show(&o.target.metric, o.target.value(&p.metrics))) }
                                @if not_cost.is_some() { ", at a staffing cost of " (format::money(mean(p, COST))) " a year" } "." }
                            @if !r.constraints.is_empty() {
                                table { thead { tr { th { "Constraint" } th.num { "Value" } th { "" } th { "How sure" } } }
                                    tbody { @for c in &r.constraints { tr {
                                        td { code { (bound(c)) } } td.num { (show(&c.target.metric, c.target.value(&p.metrics))) }
                                        @if c.met(&p.metrics) { td.good { "met" } } @else { td.bad { "not met" } }
                                        td { (confidence(c, p)) }
                                    } } } }
                            }
                        }
                    }
                }
                @for k in 0..r.varies.len() { @if !r.points.is_empty() { (parameter_section(r, k, chosen)) } }
                @if let Some(o) = &r.objective {
                    section #front {
                        h2 { "Pareto front" }
                        @match &vs {
                            Some(v) => {
                                p.note { "Staffing cost against " code { (name_of(v.metric)) }
                                    @if not_cost.is_none() { " (the first constraint: the objective is the staffing cost itself)" }
                                    ". The front joins, from cheapest to dearest, the designs that meet every constraint and that no other such design beats on both; grey dots miss a constraint: not feasible, never on the front." }
                                (PreEscaped(pareto_chart(r, v, &front, chosen)))
                                @if front.is_empty() { p.note { "No point meets every constraint, so there is no front." } }
                                @else { (front_list(r, v, &front, chosen)) }
                            }
                            None => p.note { "The objective " code { (name(&o.target)) } " is the staffing cost and no constraint names another metric, so there is nothing to set it against; the cheapest point is the choice." },
                        }
                    }
                }
                section #points {
                    h2 { "Every point" }
                    p.note { "Across-trial means." @if r.objective.is_some() { " The chosen point is highlighted; \u{2605} marks the Pareto front among the points that meet every constraint." } }
                    table { thead { tr {
                        th.num { "#" } @for v in &r.varies { th { @for (i, key) in v.path.split('.').enumerate() { @if i > 0 { "." wbr; } (key) } } } th.num { "Staffing cost" }
                        @if let Some(o) = not_cost { th.num { (name(&o.target)) } } @for c in &r.constraints { th { (bound(c)) } } th { "Warnings" }
                    } }
                    tbody { @for (i, p) in r.points.iter().enumerate() {
                        tr style=[(chosen == Some(i)).then_some("background:#eff6ff;font-weight:600")] {
                            td.num { (p.index) @if front.contains(&i) { " \u{2605}" } }
                            @for v in &p.values { td { (v) } }
                            td.num { (format::money(mean(p, COST))) }
                            @if let Some(o) = not_cost { td.num { (show(&o.target.metric, o.target.value(&p.metrics))) } }
                            @for c in &r.constraints {
                                @let v = show(&c.target.metric, c.target.value(&p.metrics));
                                @if c.met(&p.metrics) { td.good { "met (" (v) ")" } } @else { td.bad { "not met (" (v) ")" } }
                            }
                            td { (p.warnings.join("; ")) }
                        }
                    } } }
                }
                section #manifest {
                    h2 { "Reproducing these results" }
                    p.note { "The same salesim version, seed, trials, grid and scenario file (checked by its SHA-256) give the same numbers, bit for bit." } dl.manifest {
                        dt { "salesim version" } dd { (m.salesim_version) } dt { "Seed" } dd { (m.seed) } dt { "Trials" } dd { (m.trials) }
                        dt { "Shard" } dd { @if m.shard.is_whole() { "all points" } @else { (m.shard) } } dt { "Command" } dd { code { (m.command) } }
                        dt { "--vary" } dd { @for (i, v) in m.varies.iter().enumerate() { @if i > 0 { br; } code { (v) } } }
                        @for s in &m.scenarios {
                            dt { "Scenario file" } dd { code { (s.file) } } dt { "SHA-256" } dd.hash { (s.sha256) }
                            @if !s.overrides.is_empty() { dt { "--set" } dd { code { (s.overrides.join(" ")) } } }
                        } }
                }
                footer { "Generated by salesim " (m.salesim_version) ". Times are working hours; money is per year." }
            } }
        }
    };
    page.into_string().into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::Manifest;
    use crate::experiment::optimize::Objective;
    use crate::experiment::{Plan, Shard, Summaries, grid::Vary, grid::expand};
    use crate::model::metrics::Catalogue;
    use crate::report::html::svg::tests::assert_well_formed;
    use crate::stats::Summary;

    /// Renders a sweep over `varies` (point `i` waits `wait(i)` hours), checks its SVG.
    fn render(varies: &[&str], wait: fn(usize) -> f64, choose: bool) -> String {
        let varies: Vec<Vary> = varies.iter().map(|v| Vary::parse(v).unwrap()).collect();
        let wait_metric = "steps.quote.wait_hours.mean";
        let names = Catalogue::from_names(&[COST, wait_metric]).unwrap();
        let s = |v: f64| Summary::of(&[v - 1.0, v, v + 1.0]);
        let mut points = Vec::new();
        for (index, values) in expand(&varies).into_iter().enumerate() {
            let cost = s(1e5 * (index + 1) as f64);
            let metrics = Summaries::from_parts(names.clone(), vec![cost, s(wait(index))]);
            let warnings = vec!["desk overloaded".into()];
            points.push(SweepPoint {
                index,
                values,
                metrics,
                warnings,
            });
        }
        let objective = Objective::parse("min:staffing_cost_per_year", &names).unwrap();
        let constraint = Constraint::parse(&format!("{wait_metric}<=2"), &names).unwrap();
        let plan = Plan {
            trials: 3,
            seed: 1,
            shard: Shard::WHOLE,
        };
        let r = SweepReport {
            scenario: "Desk <&>".into(),
            file: "desk.toml".into(),
            trials: 3,
            varies,
            points,
            objective: choose.then_some(objective),
            constraints: choose.then_some(constraint).into_iter().collect(),
            manifest: Manifest::new(&[], plan, "salesim sweep".into()),
        };
        let html = String::from_utf8(render_sweep_html(&r)).unwrap();
        for svg in html.split("<svg").skip(1) {
            assert_well_formed(&format!("<svg{}", &svg[..svg.find("</svg>").unwrap() + 6]));
        }
        assert!(!html.contains("NaN") && html.contains("Desk &lt;&amp;&gt;"));
        html
    }

    #[test]
    fn edge_cases_render() {
        let h = render(&["roles.desk.headcount=2"], |_| 0.5, true);
        assert!(h.contains(">roles.desk.headcount=2</span>") && h.contains("likely meets it"));
        let h = render(&["mode=push,pull", "n=1..=3"], |i| 3.0 - i as f64, true);
        assert!(h.contains("Point 1: ") && h.contains(">mode=push, n=2</span>"));
        assert!(h.contains("One line per combination") && h.contains(">pull<"));
        let h = render(&["roles.desk.headcount=1..=3"], |_| f64::NAN, true);
        assert!(h.contains("No point meets every constraint") && h.contains("n/a"));
        let h = render(&["roles.desk.headcount=1..=9", "x.y=1..=9"], |_| 1.0, false);
        assert!(h.contains("No objective was given") && !h.contains("id=\"front\""));
        assert!(h.contains("too many combinations") && h.contains("of the first point"));
    }
}
