//! The forecast as a self-contained HTML page (`forecast --report`): deals won to date
//! by week (P10/P50/P90 across trials) against the weighted-pipeline forecast, the
//! per-week table, the deals at risk and the per-owner funnel table.

use maud::{PreEscaped, html};

use super::format::{money, num};
use super::lines::{self, Series, XyChart};
use crate::experiment::forecast::Forecast;

/// Deals won to date per week, P10/P50/P90, with the weighted-pipeline forecast (the
/// expected deals of the whole pipeline, however long it takes) as a flat line.
fn chart(f: &Forecast) -> String {
    let weeks = 1..=f.cumulative_deals.len();
    let line = |label: &str,
                color: &str,
                dash: &'static str,
                pick: fn(&crate::experiment::forecast::Band) -> f64| Series {
        label: label.to_string(),
        color: color.to_string(),
        points: weeks
            .clone()
            .zip(&f.cumulative_deals)
            .map(|(w, b)| (w as f64, pick(b)))
            .collect(),
        dash,
    };
    let series = [
        line("P90", "#93c5fd", "4 3", |b| b.p90),
        line("P50", "#1d4ed8", "", |b| b.p50),
        line("P10", "#93c5fd", "4 3", |b| b.p10),
        Series {
            label: "weighted pipeline".into(),
            color: "#b45309".into(),
            points: weeks
                .clone()
                .map(|w| (w as f64, f.weighted_deals))
                .collect(),
            dash: "8 4",
        },
    ];
    lines::xy_chart(&XyChart {
        title: "Deals won to date, by week",
        width: 720.0,
        height: 360.0,
        series: &series,
        x_label: "week",
        y_label: "deals won since the snapshot",
        x_fmt: &|x| num(x),
        y_fmt: &|y| num(y),
        x_from_zero: false,
        y_range: None,
        shade: None,
        vline: None,
        markers: true,
        whiskers: &[],
        end_labels: true,
        y_clip: None,
    })
}

pub fn render_forecast_html(f: &Forecast, pipeline: &str, scenario: &str) -> Vec<u8> {
    let title = format!("Pipeline forecast: {scenario}");
    let header = html! {
        p.meta {
            span { (pipeline) }
            span { (f.open) " open opportunities" }
            span { (f.weeks) " weeks" }
            span { (f.trials) " trials" }
        }
        p.lede {
            "Deals won in " (f.weeks) " weeks: P10 " (num(f.total_deals.p10))
            ", P50 " (num(f.total_deals.p50)) ", P90 " (num(f.total_deals.p90))
            "; bookings P50 " (money(f.total_bookings.p50))
            ". The weighted pipeline expects " (format!("{:.1}", f.weighted_deals))
            " deals and " (money(f.weighted_bookings)) " of bookings in all, however long they take."
        }
    };
    let sections = html! {
        section #chart {
            h2 { "Deals won to date" }
            (PreEscaped(chart(f)))
        }
        section #weeks {
            h2 { "Each week" }
            table {
                tr { th { "week" } th { "deals P10" } th { "P50" } th { "P90" } th { "bookings P10" } th { "P50" } th { "P90" } }
                @for w in &f.per_week { tr {
                    td { (w.week) } td { (num(w.deals.p10)) } td { (num(w.deals.p50)) } td { (num(w.deals.p90)) }
                    td { (money(w.bookings.p10)) } td { (money(w.bookings.p50)) } td { (money(w.bookings.p90)) }
                } }
            }
        }
        section #risk {
            h2 { "Deals at risk" }
            @if f.at_risk.is_empty() { p { "None: no open opportunity has been in its stage longer than that stage's p90." } }
            @else {
                table {
                    tr { th { "opportunity" } th { "stage" } th { "owner" } th { "days in stage" } th { "stage p90 (days)" } }
                    @for r in &f.at_risk { tr {
                        td { (r.id) } td { (r.stage) } td { (r.owner) }
                        td { (format!("{:.1}", r.days_in_stage)) } td { (format!("{:.1}", r.p90_days)) }
                    } }
                }
            }
        }
        section #owners {
            h2 { "Funnel by owner" }
            table {
                tr { th { "owner" } @for s in &f.stages { th { (s) } } th { "amount" } th { "weighted" } }
                @for o in &f.owners { tr {
                    td { (o.owner) } @for c in &o.per_stage { td { (c) } }
                    td { (money(o.amount)) } td { (money(o.weighted)) }
                } }
            }
        }
        section #notes {
            h2 { "How to read it" }
            ul { @for n in &f.notes { li { (n) } } }
        }
    };
    super::standalone_page("salesim forecast", &title, header, sections)
}
