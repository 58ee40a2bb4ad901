//! The HTML sweep report: the grid, the chosen design and how sure we are of each
//! constraint, headline metrics against each varied parameter, the Pareto front of
//! staffing cost against the objective, every point, and the manifest. Self-contained
//! and pure: the same `SweepReport` always gives the same bytes.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::format::{self, Kind};
use super::lines::{Series, XyChart, xy_chart};
use super::{color, style, svg};
use crate::experiment::optimize::{Constraint, Objective, Sense, Target};
use crate::experiment::sweep::{SweepPoint, SweepReport};
use crate::model::metrics::{Def, Metric, catalogue as m};

const COST: &str = m::STAFFING_COST.key;

/// Headline metrics charted against each parameter, with the chart titles (shorter
/// than the catalogue's labels where a chart is small).
const HEADLINES: [(&Def, &str); 9] = [
    (m::MEETINGS_PER_WEEK, m::MEETINGS_PER_WEEK.label),
    (m::MEETINGS_PER_SELLER, "Meetings per seller"),
    (m::QUOTE_P50, "Quote lead time, median"),
    (m::QUOTE_P90, m::QUOTE_P90.label),
    (m::SERVICE_P90, m::SERVICE_P90.label),
    (m::DEALS_WON, m::DEALS_WON.label),
    (m::REVENUE, m::REVENUE.label),
    (m::STAFFING_COST, m::STAFFING_COST.label),
    (m::COST_OF_SALES, m::COST_OF_SALES.label),
];

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

/// Each value's x position (the number, or the category's place); whether numeric.
fn positions(values: &[String]) -> (Vec<f64>, bool) {
    let numbers: Option<Vec<f64>> = values.iter().map(|v| v.trim().parse().ok()).collect();
    match numbers {
        Some(n) if n.iter().all(|x| x.is_finite()) => (n, true),
        _ => ((0..values.len()).map(|i| i as f64).collect(), false),
    }
}

fn line(label: impl Into<String>, color: &str, points: Vec<(f64, f64)>) -> Series {
    let label = label.into();
    Series {
        label,
        color: color.into(),
        points,
        dash: "",
    }
}

/// A varied key as a legend names it: `roles.engineering.headcount` is
/// `engineering headcount` (the role and its field), other keys stay whole.
fn role_and_field(path: &str) -> String {
    match path.strip_prefix("roles.") {
        Some(rest) => rest.replace('.', " "),
        None => path.to_string(),
    }
}

/// The x position of a point on a chart.
type XOf<'a> = &'a dyn Fn(&SweepPoint) -> Option<f64>;

/// A line: its label and its points as (x, position in `points`), in order of x.
type Group = (String, Vec<(f64, usize)>);

/// The lines of the charts against parameter `k`: one per combination of the other
/// parameters, or only that of point `reference` when there are more than six (cut).
fn groups(r: &SweepReport, k: usize, x: XOf, reference: usize) -> (Vec<Group>, bool) {
    let others = |p: &SweepPoint| -> Vec<String> {
        let rest = p.values.iter().enumerate().filter(|(j, _)| *j != k);
        rest.map(|(j, v)| format!("{}={v}", role_and_field(&r.varies[j].path)))
            .collect()
    };
    let mut keys = Vec::new();
    for key in r.points.iter().map(others) {
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    let cut = keys.len() > 6;
    if cut {
        keys = vec![others(&r.points[reference])];
    }
    let group = |key: Vec<String>| {
        let on = (0..r.points.len()).filter(|&i| others(&r.points[i]) == key);
        let mut on: Vec<(f64, usize)> = on.filter_map(|i| Some((x(&r.points[i])?, i))).collect();
        on.sort_by(|a, b| a.0.total_cmp(&b.0));
        (key.join(", "), on)
    };
    (keys.into_iter().map(group).collect(), cut)
}

/// Every metric worth a chart: the headlines, each role's utilization, and the
/// objective and constraint metrics; left out when zero or missing at every point.
fn charted(r: &SweepReport) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = HEADLINES
        .map(|(def, title)| (Metric::team(def).to_string(), title.into()))
        .into();
    if let Some(first) = r.points.first() {
        for role in first.metrics.catalogue().subjects(m::UTILIZATION) {
            let metric = Metric::of(m::UTILIZATION, role).to_string();
            list.push((metric, format!("Utilization of {role}")));
        }
    }
    let objective = r.objective.iter().map(|o| &o.target);
    for t in objective.chain(r.constraints.iter().map(|c| &c.target)) {
        if !list.iter().any(|(m, _)| *m == t.metric) {
            list.push((t.metric.clone(), t.metric.clone()));
        }
    }
    let shown = |v: f64| v.is_finite() && v != 0.0;
    list.retain(|(m, _)| r.points.iter().any(|p| shown(mean(p, m))));
    list
}

/// An x axis: its label and how its ticks read.
type Axis<'a> = (&'a str, &'a dyn Fn(f64) -> String);

/// A line chart of `metric` with markers, its y axis cut at `clip` if given.
fn plot(series: &[Series], width: f64, x: Axis, metric: &str, clip: Option<f64>) -> String {
    xy_chart(&XyChart {
        title: metric,
        width,
        height: 250.0,
        series,
        x_label: x.0,
        y_label: &y_title(metric),
        x_fmt: x.1,
        y_fmt: &|v| format::trim_zeros(&show(metric, v)),
        x_from_zero: false,
        y_range: (kind(metric) == Kind::Share).then_some((0.0, 1.0)),
        shade: None,
        vline: None,
        markers: true,
        whiskers: &[],
        end_labels: false,
        y_clip: clip,
    })
}

/// Where a chart of `metric` cuts its y axis: at three times the bound of a
/// constraint on it, so that outliers do not squash the limit out of sight.
fn clip_of(r: &SweepReport, metric: &str) -> Option<f64> {
    let on = r.constraints.iter().find(|c| c.target.metric == metric);
    on.map(|c| 3.0 * c.bound.abs()).filter(|v| *v > 0.0)
}

/// A y-axis title: the metric with its unit from the catalogue.
fn y_title(metric: &str) -> String {
    match Metric::parse(metric) {
        Some(m) => format!("{} ({})", name_of(metric), m.def.unit.words()),
        None => metric.to_string(),
    }
}

/// A metric's name without the `.mean` of its across-trial mean.
fn name_of(metric: &str) -> &str {
    metric.strip_suffix(".mean").unwrap_or(metric)
}

fn parameter_section(r: &SweepReport, k: usize, chosen: Option<usize>) -> Markup {
    let vary = &r.varies[k];
    let (xs, numeric) = positions(&vary.values);
    let whole = xs.iter().all(|x| x.fract() == 0.0);
    let x_fmt = |v: f64| -> String {
        match xs.iter().position(|x| (x - v).abs() < 1e-9) {
            Some(i) if !numeric => svg::truncate(&vary.values[i], 14),
            _ if !numeric || (whole && v.fract() != 0.0) => String::new(),
            _ => format::short(v),
        }
    };
    let x_of = |p: &SweepPoint| {
        let at = vary.values.iter().position(|v| Some(v) == p.values.get(k));
        at.map(|i| xs[i])
    };
    let (groups, cut) = groups(r, k, &x_of, chosen.unwrap_or(0));
    let chosen_x = chosen.and_then(|c| Some((x_of(&r.points[c])?, c)));
    let chart = |metric: &str| {
        let lines = groups.iter().enumerate().map(|(i, (l, on))| {
            let points = on.iter().map(|&(x, p)| (x, mean(&r.points[p], metric)));
            let label = if l.is_empty() { "average" } else { l };
            line(label, color(i + 1), points.collect())
        });
        let mut series: Vec<Series> = lines.collect();
        for c in r.constraints.iter().filter(|c| name(&c.target) == metric) {
            let points = xs.iter().map(|&x| (x, c.bound)).collect();
            series.push(line(format!("limit: {}", bound(c)), "#94a3b8", points));
        }
        let dot = |(x, c): (f64, usize)| vec![(x, mean(&r.points[c], metric))];
        series.extend(chosen_x.map(|xc| line("chosen", "#dc2626", dot(xc))));
        plot(
            &series,
            520.0,
            (&vary.path, &x_fmt),
            metric,
            clip_of(r, metric),
        )
    };
    html! {
        section.param {
            h2 { "Against " code { (vary.path) } }
            p.note {
                "Across-trial means at each value of " code { (vary.path) } ". "
                @if cut { "There are too many combinations of the other parameters to draw, so they are held at the values of the " (if chosen.is_some() { "chosen" } else { "first" }) " point. " }
                @else if r.varies.len() > 1 { "One line per combination of the other parameters. " }
                "Metrics that are zero or missing at every point are left out."
            }
            div.charts2 { @for (metric, title) in charted(r) { div { h3 { (title) } (PreEscaped(chart(&metric))) } } }
        }
    }
}

/// What the Pareto chart sets against staffing cost: the objective, or, when the
/// objective is the staffing cost itself, the first constraint's metric (never cost
/// against cost). The metric, whether lower is better, and its value at a point.
struct Versus<'a> {
    metric: &'a str,
    lower_better: bool,
    value: Box<dyn Fn(&SweepPoint) -> f64 + 'a>,
}

fn versus<'a>(r: &'a SweepReport, o: &'a Objective) -> Option<Versus<'a>> {
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
fn feasible_front(r: &SweepReport, v: &Versus) -> Vec<usize> {
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
fn pareto_chart(r: &SweepReport, v: &Versus, front: &[usize], chosen: Option<usize>) -> String {
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
fn front_list(r: &SweepReport, v: &Versus, front: &[usize], chosen: Option<usize>) -> Markup {
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
