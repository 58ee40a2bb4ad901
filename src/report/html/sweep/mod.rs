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
use pareto::{front_list, pareto_chart};

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
    let (vs, front) = (r.versus(), r.front());
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
                                p.note { "Staffing cost against " code { (name_of(&v.target.metric)) }
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

    /// Renders a sweep over `varies` (point `i` waits `wait(i)` hours and costs
    /// $100k x (i + 1)), checks its SVG.
    fn render(varies: &[&str], wait: fn(usize) -> f64, choose: bool) -> String {
        render_costs(varies, wait, |i| 1e5 * (i + 1) as f64, choose)
    }

    /// As `render`, point `i` costing `cost(i)` a year.
    fn render_costs(
        varies: &[&str],
        wait: fn(usize) -> f64,
        cost: fn(usize) -> f64,
        choose: bool,
    ) -> String {
        let varies: Vec<Vary> = varies.iter().map(|v| Vary::parse(v).unwrap()).collect();
        let wait_metric = "steps.quote.wait_hours.mean";
        let names = Catalogue::from_names(&[COST, wait_metric]).unwrap();
        let s = |v: f64| Summary::of(&[v - 1.0, v, v + 1.0]);
        let mut points = Vec::new();
        for (index, values) in expand(&varies).into_iter().enumerate() {
            let cost = s(cost(index));
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

    /// The `<svg>` elements of `html`, each whole.
    fn svgs(html: &str) -> Vec<&str> {
        let starts = html.match_indices("<svg").map(|(i, _)| i);
        starts
            .map(|i| &html[i..i + html[i..].find("</svg>").unwrap() + 6])
            .collect()
    }

    /// The labels of an SVG chart's legend: each swatch (`rx="2"` rect) and the text
    /// right after it, entities read back.
    fn legend_labels(svg: &str) -> Vec<String> {
        let swatches = svg.split("rx=\"2\"").skip(1);
        let labels = swatches.filter_map(|rest| {
            let text = &rest[rest.find("<text")?..];
            let body = &text[text.find('>')? + 1..text.find("</text>")?];
            Some(
                body.replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&"),
            )
        });
        labels.collect()
    }

    #[test]
    fn legends_name_the_role_of_a_varied_headcount() {
        let varies = [
            "roles.engineering.headcount=2..=4",
            "roles.field.headcount=3,4",
        ];
        let h = render(&varies, |i| 1.0 + i as f64 / 10.0, true);
        let section = &h[h.find("Against <code>roles.field.headcount").unwrap()..];
        let section = &section[..section.find("</section>").unwrap()];
        let labels: Vec<String> = svgs(section).into_iter().flat_map(legend_labels).collect();
        for n in 2..=4 {
            let wanted = format!("engineering headcount={n}");
            assert!(labels.contains(&wanted), "{wanted} not in {labels:?}");
        }
        // And the other parameter's charts name the field role.
        let labels: Vec<String> = svgs(&h).into_iter().flat_map(legend_labels).collect();
        assert!(
            labels.contains(&"field headcount=4".to_string()),
            "{labels:?}"
        );
    }

    /// The charts of `html` whose title (the metric charted) is `metric`.
    fn charts_of<'a>(html: &'a str, metric: &str) -> Vec<&'a str> {
        let title = format!("<title>{metric}</title>");
        svgs(html)
            .into_iter()
            .filter(|s| s.contains(&title))
            .collect()
    }

    #[test]
    fn an_unconstrained_chart_cuts_its_axis_above_an_outlier_and_marks_it() {
        // Six points $100k to $500k and one overloaded at $10M: the 90th percentile (the
        // lower order statistic, the second largest of six) is $500k, so the axis is cut
        // at $1.5M and only the $10M point is drawn at the top and marked.
        let cost = |i: usize| if i == 5 { 1e7 } else { 1e5 * (i + 1) as f64 };
        let h = render_costs(&["roles.desk.headcount=1..=6"], |_| 0.5, cost, false);
        let charts = charts_of(&h, COST);
        assert_eq!(charts.len(), 1, "one staffing cost chart");
        let chart = charts[0];
        assert_eq!(chart.matches("class=\"clipped\"").count(), 1, "{chart}");
        assert!(chart.contains("\u{25b2} $10M"), "{chart}");
        assert!(chart.contains("axis cut at $1.5M"), "{chart}");
        // The top tick is at most the cut: the readable points keep the height.
        let ticks: Vec<f64> = chart
            .split("text-anchor=\"end\" fill=\"#64748b\">$")
            .skip(1)
            .filter_map(|t| {
                let t = &t[..t.find('<')?];
                let (n, scale) = match t.strip_suffix('M') {
                    Some(n) => (n, 1e6),
                    None => (t.strip_suffix('k').unwrap_or(t), 1e3),
                };
                Some(n.parse::<f64>().ok()? * scale)
            })
            .collect();
        assert!(
            !ticks.is_empty() && ticks.iter().all(|&t| t <= 1.5e6),
            "{ticks:?}"
        );

        // Without the outlier nothing is above three times the percentile: no cut.
        let h = render(&["roles.desk.headcount=1..=6"], |_| 0.5, false);
        let chart = charts_of(&h, COST)[0];
        assert!(
            !chart.contains("clipped") && !chart.contains("axis cut"),
            "{chart}"
        );
    }
}
