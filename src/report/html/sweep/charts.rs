//! The sweep report's charts against each varied parameter: which metrics are charted,
//! one line per combination of the other parameters, the limits and the chosen point.

use maud::{Markup, PreEscaped, html};

use super::{bound, kind, mean, name, name_of, show};
use crate::experiment::sweep::{SweepPoint, SweepReport};
use crate::model::metrics::{Def, Metric, catalogue as m};
use crate::report::html::format::{self, Kind};
use crate::report::html::lines::{Series, XyChart, xy_chart};
use crate::report::html::{color, svg};

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

/// Each value's x position (the number, or the category's place); whether numeric.
fn positions(values: &[String]) -> (Vec<f64>, bool) {
    let numbers: Option<Vec<f64>> = values.iter().map(|v| v.trim().parse().ok()).collect();
    match numbers {
        Some(n) if n.iter().all(|x| x.is_finite()) => (n, true),
        _ => ((0..values.len()).map(|i| i as f64).collect(), false),
    }
}

pub(super) fn line(label: impl Into<String>, color: &str, points: Vec<(f64, f64)>) -> Series {
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
pub(super) type Axis<'a> = (&'a str, &'a dyn Fn(f64) -> String);

/// A line chart of `metric` with markers, its y axis cut at `clip` if given.
pub(super) fn plot(
    series: &[Series],
    width: f64,
    x: Axis,
    metric: &str,
    clip: Option<f64>,
) -> String {
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

/// Where a chart of `metric` cuts its y axis, so that outliers (a 330 h point of an
/// overloaded design) do not squash the readable points flat: at three times the bound
/// of a constraint on it; without a constraint, at three times the 90th percentile of
/// the points' means. The percentile is the lower order statistic around it (on a grid
/// of ten points or fewer, the second largest), so that one outlier cannot lift the cut
/// above itself. Only points above the cut are drawn at the top and marked.
pub(super) fn clip_of(r: &SweepReport, metric: &str) -> Option<f64> {
    if let Some(c) = r.constraints.iter().find(|c| c.target.metric == metric) {
        return Some(3.0 * c.bound.abs()).filter(|v| *v > 0.0);
    }
    let mut values: Vec<f64> = r.points.iter().map(|p| mean(p, metric)).collect();
    values.retain(|v| v.is_finite());
    values.sort_by(f64::total_cmp);
    let p90 = *values.get((values.len().checked_sub(1)? as f64 * 0.9).floor() as usize)?;
    Some(3.0 * p90).filter(|v| *v > 0.0)
}

/// A y-axis title: the metric with its unit from the catalogue.
fn y_title(metric: &str) -> String {
    match Metric::parse(metric) {
        Some(m) => format!("{} ({})", name_of(metric), m.def.unit.words()),
        None => metric.to_string(),
    }
}

pub(super) fn parameter_section(r: &SweepReport, k: usize, chosen: Option<usize>) -> Markup {
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
