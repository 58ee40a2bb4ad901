//! Headline cards: before against after for the metrics an executive asks about, each
//! with the paired difference in plain words and a box plot of its spread across trials.

use maud::{Markup, PreEscaped, html};

use super::boxplot::{self, BoxRow};
use super::format::{self, Kind};
use super::words::{self, Direction, Phrase};
use super::{color, per_day, scaled, tag, targets, title_of};
use crate::experiment::{Comparison, ScenarioReport};
use crate::model::metrics::{Better, Def, Metric, catalogue as m};
use crate::scenario::Targets;

/// One headline metric and how to talk about it.
struct Headline {
    metric: &'static Def,
    /// The card's title: the catalogue's label, or the headline's own wording of it.
    title: &'static str,
    /// Multiplies the metric (weekly deals to yearly deals).
    scale: f64,
    phrase: Phrase,
    target: Option<fn(&Targets) -> f64>,
}

const HEADLINES: [Headline; 8] = [
    Headline {
        metric: m::MEETINGS_PER_WEEK,
        title: m::MEETINGS_PER_WEEK.label,
        scale: 1.0,
        phrase: Phrase {
            more: "{v} more meetings a week",
            less: "{v} fewer meetings a week",
        },
        target: None,
    },
    Headline {
        metric: m::QUOTE_P50,
        title: "Quote lead time, typical (median)",
        scale: 1.0,
        phrase: Phrase {
            more: "quotes go out {v} later",
            less: "quotes go out {v} sooner",
        },
        target: Some(|t| t.quote_lead_time_hours),
    },
    Headline {
        metric: m::QUOTE_P90,
        title: "Quote lead time, slowest 10% (p90)",
        scale: 1.0,
        phrase: Phrase {
            more: "the slowest quotes go out {v} later",
            less: "the slowest quotes go out {v} sooner",
        },
        target: Some(|t| t.quote_lead_time_hours),
    },
    Headline {
        metric: m::SERVICE_P90,
        title: "Service response, slowest 10% (p90)",
        scale: 1.0,
        phrase: Phrase {
            more: "the slowest service requests are answered {v} later",
            less: "the slowest service requests are answered {v} sooner",
        },
        target: Some(|t| t.service_response_hours),
    },
    Headline {
        metric: m::DEALS_WON,
        title: "Deals won per year",
        scale: 52.0,
        phrase: Phrase {
            more: "{v} more deals won a year",
            less: "{v} fewer deals won a year",
        },
        target: None,
    },
    Headline {
        metric: m::REVENUE,
        title: m::REVENUE.label,
        scale: 1.0,
        phrase: Phrase {
            more: "revenue {v} higher a year",
            less: "revenue {v} lower a year",
        },
        target: None,
    },
    Headline {
        metric: m::STAFFING_COST,
        title: m::STAFFING_COST.label,
        scale: 1.0,
        phrase: Phrase {
            more: "staffing costs {v} more a year",
            less: "staffing costs {v} less a year",
        },
        target: None,
    },
    Headline {
        metric: m::COST_OF_SALES,
        title: "Cost of sales (staffing cost / revenue)",
        scale: 1.0,
        phrase: Phrase {
            more: "cost of sales {v} higher",
            less: "cost of sales {v} lower",
        },
        target: None,
    },
];

/// Why a scenario has no value for a metric, in words.
fn missing_reason(s: &ScenarioReport, metric: &Def) -> &'static str {
    let Some(loaded) = &s.loaded else {
        return "not measured";
    };
    let quote = [m::QUOTE_MEAN, m::QUOTE_P50, m::QUOTE_P90, m::QUOTE_P95];
    let service = [
        m::SERVICE_MEAN,
        m::SERVICE_P50,
        m::SERVICE_P90,
        m::SERVICE_WAIT,
    ];
    if quote.contains(&metric) && loaded.scenario.quote_step().is_none() {
        "no quote step in this design"
    } else if service.contains(&metric) && loaded.scenario.service.is_none() {
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

/// The one unit of a card: a duration card reads in days when any design's value
/// runs to a day, else in hours; others in their kind's unit.
fn card_unit(c: &Comparison, h: &Headline) -> format::Unit {
    let base_day = per_day(&c.scenarios[0]);
    match Kind::of(h.metric) {
        Kind::Hours => {
            let largest = c
                .scenarios
                .iter()
                .filter_map(|s| s.metric(Metric::team(h.metric)))
                .map(|m| (m.mean * h.scale).abs())
                .filter(|v| v.is_finite())
                .fold(0.0, f64::max);
            format::time_unit(largest, base_day)
        }
        kind => kind.unit(base_day),
    }
}

fn card(c: &Comparison, h: &Headline) -> Markup {
    let card_unit = card_unit(c, h);
    let verdicts: Vec<(String, &str, &str)> = c
        .differences
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let Some(diff) = d.metrics.get(Metric::team(h.metric)) else {
                return (
                    "n/a: not measured in both designs".to_string(),
                    "neutral",
                    "",
                );
            };
            let diff = scaled(diff, h.scale);
            let words = words::difference_sentence(&diff, card_unit, &h.phrase);
            let higher_is_better = h.metric.better == Better::Higher;
            let (class, mark) = match (words::direction(&diff), higher_is_better) {
                (Direction::Up, true) | (Direction::Down, false) => ("good", "\u{2713}"),
                (Direction::Up, false) | (Direction::Down, true) => ("bad", "\u{2717}"),
                (Direction::Unclear, _) => ("neutral", "\u{2022}"),
            };
            // A difference resting on a warned-about design (an overloaded role, a
            // pipeline that has not settled, trials cut short) is not shown as a win or a
            // loss: its numbers may move with the horizon.
            let doubtful = [&c.scenarios[0], &c.scenarios[i + 1]]
                .iter()
                .any(|s| !s.warnings.is_empty());
            let (class, mark, words) = if doubtful && class != "neutral" {
                let note =
                    "; not a sound result: a design here has warnings (see Undesirable results)";
                ("neutral", "!", format!("{words}{note}"))
            } else {
                (class, mark, words)
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
                    (value(c, i, s, h, card_unit))
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

fn value(c: &Comparison, i: usize, s: &ScenarioReport, h: &Headline, u: format::Unit) -> Markup {
    let summary = s.metric(Metric::team(h.metric)).map(|m| scaled(m, h.scale));
    let v = summary.map_or(f64::NAN, |m| m.mean);
    let (main, sub) = if !v.is_finite() {
        (
            format::NA.to_string(),
            missing_reason(s, h.metric).to_string(),
        )
    } else {
        {
            {
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
            let column = s.result.column(Metric::team(h.metric)).unwrap_or_default();
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
    let kind = Kind::of(h.metric);
    let divisor = match kind {
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
