//! Headline cards: before against after for the metrics an executive asks about, each
//! with the paired difference in plain words and a box plot of its spread across trials.

use maud::{Markup, PreEscaped, html};

use super::boxplot::{self, BoxRow};
use super::format::{self, Kind};
use super::words::{self, Direction, Phrase};
use super::{color, per_day, scaled, tag, targets, title_of};
use crate::report::{Comparison, ScenarioReport};
use crate::scenario::Targets;

/// One headline metric and how to talk about it.
struct Headline {
    metric: &'static str,
    title: &'static str,
    kind: Kind,
    /// Multiplies the metric (weekly deals to yearly deals).
    scale: f64,
    higher_is_better: bool,
    phrase: Phrase,
    target: Option<fn(&Targets) -> f64>,
}

const HEADLINES: [Headline; 8] = [
    Headline {
        metric: "meetings_per_week",
        title: "Meetings per week",
        kind: Kind::Count,
        scale: 1.0,
        higher_is_better: true,
        phrase: Phrase {
            more: "{v} more meetings a week",
            less: "{v} fewer meetings a week",
        },
        target: None,
    },
    Headline {
        metric: "quote_lead_time_hours.p50",
        title: "Quote lead time, typical (median)",
        kind: Kind::Hours,
        scale: 1.0,
        higher_is_better: false,
        phrase: Phrase {
            more: "quotes go out {v} later",
            less: "quotes go out {v} sooner",
        },
        target: Some(|t| t.quote_lead_time_hours),
    },
    Headline {
        metric: "quote_lead_time_hours.p90",
        title: "Quote lead time, slowest 10% (p90)",
        kind: Kind::Hours,
        scale: 1.0,
        higher_is_better: false,
        phrase: Phrase {
            more: "the slowest quotes go out {v} later",
            less: "the slowest quotes go out {v} sooner",
        },
        target: Some(|t| t.quote_lead_time_hours),
    },
    Headline {
        metric: "service_response_hours.p90",
        title: "Service response, slowest 10% (p90)",
        kind: Kind::Hours,
        scale: 1.0,
        higher_is_better: false,
        phrase: Phrase {
            more: "the slowest service requests are answered {v} later",
            less: "the slowest service requests are answered {v} sooner",
        },
        target: Some(|t| t.service_response_hours),
    },
    Headline {
        metric: "deals_won_per_week",
        title: "Deals won per year",
        kind: Kind::Count,
        scale: 52.0,
        higher_is_better: true,
        phrase: Phrase {
            more: "{v} more deals won a year",
            less: "{v} fewer deals won a year",
        },
        target: None,
    },
    Headline {
        metric: "revenue_per_year",
        title: "Revenue per year",
        kind: Kind::Money,
        scale: 1.0,
        higher_is_better: true,
        phrase: Phrase {
            more: "revenue {v} higher a year",
            less: "revenue {v} lower a year",
        },
        target: None,
    },
    Headline {
        metric: "staffing_cost_per_year",
        title: "Staffing cost per year",
        kind: Kind::Money,
        scale: 1.0,
        higher_is_better: false,
        phrase: Phrase {
            more: "staffing costs {v} more a year",
            less: "staffing costs {v} less a year",
        },
        target: None,
    },
    Headline {
        metric: "cost_of_sales_pct",
        title: "Cost of sales (staffing cost / revenue)",
        kind: Kind::Percent,
        scale: 1.0,
        higher_is_better: false,
        phrase: Phrase {
            more: "cost of sales {v} higher",
            less: "cost of sales {v} lower",
        },
        target: None,
    },
];

/// Why a scenario has no value for a metric, in words.
fn missing_reason(s: &ScenarioReport, metric: &str) -> &'static str {
    let Some(loaded) = &s.loaded else {
        return "not measured";
    };
    if metric.starts_with("quote_") && loaded.scenario.quote_step().is_none() {
        "no quote step in this design"
    } else if metric.starts_with("service_") && loaded.scenario.service.is_none() {
        "no service requests in this design"
    } else {
        "not observed in any trial"
    }
}

pub fn section(c: &Comparison) -> Markup {
    html! {
        section #headlines {
            h2 { "At a glance" }
            p.note {
                "Averages over all trials. The sentence under each pair is the average "
                "difference with its 95% confidence interval; the chart shows the spread "
                "across trials (box: middle half of trials, whiskers: 5th to 95th "
                "percentile, bar: median, dots: single trials"
                ", dashed red line: the target, where there is one)."
            }
            div.cards { @for h in &HEADLINES { (card(c, h)) } }
        }
    }
}

fn card(c: &Comparison, h: &Headline) -> Markup {
    let base_day = per_day(&c.scenarios[0]);
    let verdicts: Vec<(String, &str, &str)> = c
        .differences
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let diff = d.metrics.iter().find(|(n, _)| n == h.metric);
            let Some((_, diff)) = diff else {
                return (
                    "n/a: not measured in both designs".to_string(),
                    "neutral",
                    "",
                );
            };
            let diff = scaled(diff, h.scale);
            let words = words::difference_sentence(&diff, h.kind.unit(base_day), &h.phrase);
            let (class, mark) = match (words::direction(&diff), h.higher_is_better) {
                (Direction::Up, true) | (Direction::Down, false) => ("good", "\u{2713}"),
                (Direction::Up, false) | (Direction::Down, true) => ("bad", "\u{2717}"),
                (Direction::Unclear, _) => ("neutral", "\u{2022}"),
            };
            let words = if c.differences.len() > 1 {
                format!("{}: {words}", tag(c, i + 1))
            } else {
                words
            };
            (words, class, mark)
        })
        .collect();
    let card_class = match verdicts.as_slice() {
        [(_, class, _)] => format!("card {class}"),
        _ => "card".to_string(),
    };
    html! {
        article class=(card_class) {
            h3 { (h.title) }
            div.values {
                @for (i, s) in c.scenarios.iter().enumerate() {
                    (value(c, i, s, h))
                }
            }
            @for (words, class, mark) in &verdicts {
                p class={ "verdict " (class) } {
                    span.mark { (mark) } (words)
                }
            }
            (PreEscaped(chart(c, h)))
        }
    }
}

fn value(c: &Comparison, i: usize, s: &ScenarioReport, h: &Headline) -> Markup {
    let summary = s.metric(h.metric).map(|m| scaled(m, h.scale));
    let v = summary.map_or(f64::NAN, |m| m.mean);
    let (main, sub) = if !v.is_finite() {
        (
            format::NA.to_string(),
            missing_reason(s, h.metric).to_string(),
        )
    } else {
        match h.kind {
            Kind::Hours => format::duration_parts(v, per_day(s)),
            kind => {
                let u = kind.unit(per_day(s));
                let m = summary.expect("finite mean");
                let spread = if m.p5 == m.p95 {
                    "the same in every trial".to_string()
                } else {
                    format!(
                        "90% of trials {} to {}",
                        format::value(m.p5, u),
                        format::value(m.p95, u)
                    )
                };
                (format::value(v, u), spread)
            }
        }
    };
    html! {
        div.value {
            span.who { (title_of(c, i)) }
            span.big style={ "border-color:" (color(i)) } { (main) }
            span.sub { (sub) }
        }
    }
}

/// The per-trial spread of the headline in every scenario, as box plots.
fn chart(c: &Comparison, h: &Headline) -> String {
    let base_day = per_day(&c.scenarios[0]);
    let columns: Vec<Vec<f64>> = c
        .scenarios
        .iter()
        .map(|s| {
            let column = s.result.column(h.metric).unwrap_or_default();
            column.iter().map(|v| v * h.scale).collect()
        })
        .collect();
    let largest = columns
        .iter()
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    // Durations in days when they run to days, else in hours.
    let divisor = match h.kind {
        Kind::Hours if largest >= base_day => base_day,
        _ => 1.0,
    };
    let rows: Vec<BoxRow> = c
        .scenarios
        .iter()
        .zip(&columns)
        .enumerate()
        .map(|(i, (_, column))| BoxRow {
            label: tag(c, i),
            color: color(i).to_string(),
            values: column.iter().map(|v| v / divisor).collect(),
        })
        .collect();
    let kind = h.kind;
    let fmt = move |v: f64| match kind {
        Kind::Hours if divisor > 1.0 => format!("{} d", format::short(v)),
        Kind::Hours => format!("{} h", format::short(v)),
        Kind::Money => format::trim_zeros(&format::money(v)),
        Kind::Percent => format::trim_zeros(&format::percent(v)),
        Kind::Share => format::trim_zeros(&format::share(v)),
        Kind::Count => format::short(v),
    };
    let target = h.target.map(|t| t(&targets(&c.scenarios[0])) / divisor);
    let title = format!("{}: spread across trials", h.title);
    boxplot::box_plot(&title, &rows, 520.0, &fmt, target)
}
