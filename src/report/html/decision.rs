//! The first page: the bottom line in money with its interval, the wins and the losses
//! side by side (each in one unit), what changes between the designs (from the two
//! scenarios' settings), what goes wrong, and the inputs the answer depends on most.

use maud::{Markup, html};

use super::format::{self, Kind};
use super::tornado::effect_words;
use super::words::{self, Direction};
use super::{per_day, targets};
use crate::experiment::sensitivity::{SensitivityReport, bottom_line};
use crate::experiment::{Comparison, ScenarioReport};
use crate::model::metrics::{Better, Def, Metric, catalogue as m};
use crate::stats::Summary;

/// The metrics weighed as wins or losses, with how they read to an executive.
const WEIGHED: [(&Def, &str); 13] = [
    (m::REVENUE, "Revenue per year"),
    (m::STAFFING_COST, "Staffing cost per year"),
    (m::COST_OF_SALES, "Cost of sales"),
    (m::DEALS_WON, "Deals won per week"),
    (m::WIN_RATE, "Win rate (leads to wins)"),
    (m::MEETINGS_PER_WEEK, "Customer meetings per week"),
    (m::MEETINGS_PER_SELLER, "Meetings per seller a week"),
    (m::QUOTE_P50, "Typical quote lead time"),
    (m::QUOTE_P90, "Slowest 10% of quotes"),
    (m::SERVICE_P90, "Slowest 10% of service answers"),
    (m::SALES_CYCLE, "Sales cycle, lead to close"),
    (m::FIRST_CONTACT, "Time to first contact"),
    (m::LEADS_COLD, "Leads gone cold per week"),
];

/// One win or loss: what, before and after in one unit, and the change in words.
struct Item {
    title: &'static str,
    before: String,
    after: String,
    change: String,
    /// The change relative to the before value, for ordering.
    weight: f64,
}

/// A value in a fixed unit for the whole item: durations in days when either value
/// runs to a day, else in hours.
fn in_unit(v: f64, kind: Kind, per_day: f64, days: bool) -> String {
    match kind {
        Kind::Hours if days => format!("{} days", format::num(v / per_day)),
        Kind::Hours => format!("{} hours", format::num(v)),
        kind => format::value(v, kind.unit(per_day)),
    }
}

fn change_in_unit(d: f64, kind: Kind, per_day: f64, days: bool) -> String {
    let size = match kind {
        Kind::Percent => format!("{} points", format::num(d.abs())),
        Kind::Share => format!("{} points", format::num(d.abs() * 100.0)),
        kind => in_unit(d.abs(), kind, per_day, days),
    };
    let way = if d > 0.0 { "up" } else { "down" };
    format!("{way} {size}")
}

/// The wins and the losses of scenario `b` against `a` (clear differences only).
fn weigh(c: &Comparison, b: usize) -> (Vec<Item>, Vec<Item>) {
    let (sa, sb, diff) = (&c.scenarios[0], &c.scenarios[b], &c.differences[b - 1]);
    let day = per_day(sa);
    let (mut wins, mut losses) = (Vec::new(), Vec::new());
    for (def, title) in WEIGHED {
        let metric = Metric::team(def);
        let (Some(x), Some(y), Some(d)) = (
            sa.metric(metric),
            sb.metric(metric),
            diff.metrics.get(metric),
        ) else {
            continue;
        };
        let better = match (words::direction(d), def.better) {
            (Direction::Unclear, _) | (_, Better::Neither) => continue,
            (Direction::Up, Better::Higher) | (Direction::Down, Better::Lower) => true,
            _ => false,
        };
        let kind = Kind::of(def);
        let days = x.mean.abs().max(y.mean.abs()) >= day;
        let item = Item {
            title,
            before: in_unit(x.mean, kind, day, days),
            after: in_unit(y.mean, kind, day, days),
            change: change_in_unit(d.mean, kind, day, days),
            weight: (d.mean / x.mean).abs(),
        };
        if better {
            wins.push(item)
        } else {
            losses.push(item)
        }
    }
    for list in [&mut wins, &mut losses] {
        list.sort_by(|p, q| q.weight.total_cmp(&p.weight));
    }
    (wins, losses)
}

/// The paired difference of the bottom line, b less a, and its words.
fn bottom(c: &Comparison, b: usize) -> Option<(Summary, String)> {
    let xa = bottom_line(&c.scenarios[0].result)?;
    let xb = bottom_line(&c.scenarios[b].result)?;
    let diffs: Vec<f64> = xb.iter().zip(&xa).map(|(y, x)| y - x).collect();
    let what = if c.scenarios[0]
        .result
        .catalogue
        .position_of_name("contribution_per_year")
        .is_some()
    {
        "contribution (gross margin less staffing cost)"
    } else {
        "revenue less staffing cost"
    };
    Some((Summary::of(&diffs), what.to_string()))
}

fn money_range(s: &Summary) -> String {
    if s.ci95_low.is_finite() && s.sd > 0.0 {
        format!(
            "95% confidence: {} to {} a year",
            effect_words(s.ci95_low, true),
            effect_words(s.ci95_high, true)
        )
    } else {
        "the same in every trial".into()
    }
}

/// The first page of the comparison report.
pub fn section(c: &Comparison, sensitivity: Option<&SensitivityReport>) -> Markup {
    if c.scenarios.len() < 2 {
        return html! {};
    }
    let b = c.scenarios.len() - 1;
    let (wins, losses) = weigh(c, b);
    let doubtful = c.scenarios.iter().any(|s| !s.warnings.is_empty());
    let revenue = c.differences[b - 1].metrics.get(Metric::team(m::REVENUE));
    let cost = c.differences[b - 1]
        .metrics
        .get(Metric::team(m::STAFFING_COST));
    html! {
        section #decision {
            h2 { "The bottom line" }
            @if let Some((d, what)) = bottom(c, b) {
                @let better = d.mean > 0.0;
                p class={ "bottomline " (if doubtful { "neutral" } else if better { "good" } else { "bad" }) } {
                    strong {
                        (c.scenarios[b].name) " is about "
                        (format::money(d.mean.abs())) " a year "
                        (if better { "better" } else { "worse" })
                    }
                    " in " (what) "; " (money_range(&d)) "."
                    @if let (Some(r), Some(k)) = (revenue, cost) {
                        " Revenue " (effect_words(r.mean, true)) ", staffing cost "
                        (effect_words(k.mean, true)) " a year."
                    }
                    @if doubtful {
                        " Not a sound result yet: a design has warnings (see Undesirable results)."
                    }
                }
            }
            div.tradeoffs {
                div.wins {
                    h3 { "Better (" (wins.len()) ")" }
                    (items(&wins, "good"))
                }
                div.losses {
                    h3 { "Worse (" (losses.len()) ")" }
                    (items(&losses, "bad"))
                }
            }
            (changes(&c.scenarios[0], &c.scenarios[b]))
            (undesirable(c))
            @if let Some(s) = sensitivity { (depends(s)) }
        }
    }
}

fn items(list: &[Item], class: &str) -> Markup {
    html! {
        @if list.is_empty() {
            p.note { "none beyond simulation noise" }
        } @else {
            ul class={ "items " (class) } {
                @for it in list {
                    li {
                        span.what { (it.title) ": " }
                        strong { (it.change) }
                        span.fromto { " (" (it.before) " to " (it.after) ")" }
                    }
                }
            }
        }
    }
}

/// Roles, headcounts, routing and release policies that differ, in words.
fn changes(a: &ScenarioReport, b: &ScenarioReport) -> Markup {
    let lines = change_lines(a, b);
    html! {
        @if !lines.is_empty() {
            h3 { "What changes" }
            ul.changes { @for l in &lines { li { (l) } } }
        }
    }
}

fn rows(s: &ScenarioReport) -> Vec<(String, String)> {
    s.loaded
        .as_ref()
        .map_or_else(Vec::new, |l| l.parameters.clone())
}

fn get<'a>(rows: &'a [(String, String)], key: &str) -> Option<&'a str> {
    rows.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// Role names with their headcounts, in key order.
fn roles(rows: &[(String, String)]) -> Vec<(String, String)> {
    rows.iter()
        .filter_map(|(k, v)| {
            let role = k.strip_prefix("roles.")?.strip_suffix(".headcount")?;
            Some((role.to_string(), v.clone()))
        })
        .collect()
}

/// The `field` of every funnel step, by step name.
fn steps(rows: &[(String, String)], field: &str) -> Vec<(String, String)> {
    (0..)
        .map_while(|i| {
            let name = get(rows, &format!("funnel.{i}.name"))?;
            let role = get(rows, &format!("funnel.{i}.role")).unwrap_or("");
            let value = get(rows, &format!("funnel.{i}.{field}")).unwrap_or(role);
            Some((name.to_string(), value.to_string()))
        })
        .collect()
}

fn change_lines(a: &ScenarioReport, b: &ScenarioReport) -> Vec<String> {
    let (ra, rb) = (rows(a), rows(b));
    let mut out = Vec::new();
    let (roles_a, roles_b) = (roles(&ra), roles(&rb));
    let people = |n: &str| {
        if n == "1" {
            "1 person".to_string()
        } else {
            format!("{n} people")
        }
    };
    let mut team = Vec::new();
    for (role, n) in &roles_a {
        match roles_b.iter().find(|(r, _)| r == role) {
            None => team.push(format!("{role} {} to none", people(n))),
            Some((_, m)) if m != n => team.push(format!("{role} {n} to {m}")),
            _ => {}
        }
    }
    for (role, m) in &roles_b {
        if !roles_a.iter().any(|(r, _)| r == role) {
            team.push(format!("{role} new, {}", people(m)));
        }
    }
    if !team.is_empty() {
        out.push(format!("Team: {}", team.join("; ")));
    }
    let who = |rows: &[(String, String)]| -> Vec<(String, String)> {
        steps(rows, "role")
            .into_iter()
            .zip(steps(rows, "routing"))
            .map(|((step, role), (_, routing))| {
                let how = match (role.is_empty(), routing.is_empty() || routing == role) {
                    (true, _) => routing,
                    (false, true) => role,
                    (false, false) => format!("{role} ({routing})"),
                };
                (step, how)
            })
            .collect()
    };
    let after = who(&rb);
    let mut work = Vec::new();
    for (step, x) in who(&ra) {
        if let Some((_, y)) = after.iter().find(|(s, _)| *s == step)
            && *y != x
        {
            work.push(format!("{step} by {x} to {y}"));
        }
    }
    if !work.is_empty() {
        out.push(format!("Who does the work: {}", work.join("; ")));
    }
    let keyed = |rows: &[(String, String)], suffix: &str| -> Vec<(String, String)> {
        rows.iter()
            .filter(|(k, _)| {
                k.ends_with(suffix)
                    && (k.starts_with("roles.")
                        || k.starts_with("lead_sources.")
                        || k.starts_with("service")
                        || k.starts_with("costs.")
                        || k.starts_with("admin"))
            })
            .cloned()
            .collect()
    };
    let mut policies = Vec::new();
    for suffix in [
        ".release",
        ".booking",
        ".clustering",
        ".offices",
        "service.routing",
        "admin.role",
    ] {
        let kb = keyed(&rb, suffix);
        for (k, x) in keyed(&ra, suffix) {
            if let Some((_, y)) = kb.iter().find(|(kk, _)| *kk == k)
                && *y != x
            {
                policies.push(format!("{k} {x} to {y}"));
            }
        }
    }
    if !policies.is_empty() {
        out.push(format!("Policies: {}", policies.join("; ")));
    }
    let managers = |s: &ScenarioReport| s.metric(Metric::team(m::MANAGERS)).map(|x| x.mean);
    if let (Some(x), Some(y)) = (managers(a), managers(b))
        && x != y
    {
        out.push(format!(
            "Managers: {} to {}",
            format::num(x),
            format::num(y)
        ));
    }
    out
}

/// The undesirable results in a line each: roles above the utilization ceiling, work
/// past target, warnings.
fn undesirable(c: &Comparison) -> Markup {
    let mut lines = Vec::new();
    for s in &c.scenarios {
        let ceiling = targets(s).max_utilization;
        for (metric, _, u) in s.metrics.iter() {
            if metric.def == m::UTILIZATION && u.mean > ceiling {
                lines.push(format!(
                    "{}: {} busy {} of the time, above the {} ceiling",
                    s.name,
                    metric.subject,
                    format::share(u.mean),
                    format::share(ceiling)
                ));
            }
        }
        if let Some(q) = s
            .metric(Metric::team(m::QUOTES_OVER_TARGET))
            .filter(|q| q.mean >= 1.0)
        {
            lines.push(format!(
                "{}: {} of quotes slower than target",
                s.name,
                format::percent(q.mean)
            ));
        }
        if !s.warnings.is_empty() {
            lines.push(format!(
                "{}: {} warning(s) about the results",
                s.name,
                s.warnings.len()
            ));
        }
    }
    html! {
        @if !lines.is_empty() {
            h3 { "Undesirable results" }
            ul.changes { @for l in &lines { li { (l) } } }
        }
    }
}

/// The few inputs the difference depends on most, in words.
fn depends(s: &SensitivityReport) -> Markup {
    let top: Vec<_> = s.inputs.iter().filter(|e| e.clear()).take(5).collect();
    html! {
        h3 { "What the answer depends on most" }
        @if top.is_empty() {
            p.note { "No input moved by " (format::num(s.by * 100.0)) "% changed the difference beyond simulation noise." }
        } @else {
            ul.changes {
                @for e in &top {
                    li {
                        span.key { (e.key) } " (now " (e.base) "): "
                        @let at = |side: &Option<crate::experiment::sensitivity::Side>| side.as_ref().map(|x| x.setting.clone()).unwrap_or_default();
                        @if let Some(l) = &e.low { (effect_words(l.effect.mean, true)) " a year at " (at(&e.low)) }
                        @if e.low.is_some() && e.high.is_some() { ", " }
                        @if let Some(h) = &e.high { (effect_words(h.effect.mean, true)) " at " (at(&e.high)) }
                    }
                }
            }
            p.note {
                "Change in the difference of " (s.measure) ", each figure on "
                (s.trials) " trials"
                @if let Some(n) = s.screen_trials { " (every input screened on " (n) ")" }
                ". Tornado chart: Sensitivity."
            }
        }
    }
}
