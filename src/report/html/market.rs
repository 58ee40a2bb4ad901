//! The market check of a comparison: whether the designs face the same lead supply
//! (inbound and prospected leads a week), so that a difference in deals, revenue or
//! profit comes from the design and not from more leads. Shown when a design of the
//! comparison gives a gross margin (a comparison in money); a comparison without one
//! reads as before.

use maud::{Markup, html};

use super::format;
use crate::experiment::Comparison;
use crate::model::metrics::{Metric, catalogue as m};
use crate::stats::Summary;

/// Differences in leads a week within this share of the baseline's are noise whatever
/// their interval: one percent is below the trial-to-trial spread of a year's leads.
const SAME_MARKET_SHARE: f64 = 0.01;

/// Whether the paired difference `d` of leads a week, against `baseline` leads a week,
/// is no more than noise: its 95% interval holds zero, or it is within 1%.
pub fn same_market(d: &Summary, baseline: f64) -> bool {
    !d.excludes_zero() || d.mean.abs() <= SAME_MARKET_SHARE * baseline.abs()
}

/// The check's line, or a warning banner; nothing for a single design or one without
/// a margin.
pub fn section(c: &Comparison) -> Markup {
    let leads = Metric::team(m::LEADS_CREATED);
    if c.scenarios.len() < 2 || !super::segments::any_has(c, m::GROSS_PROFIT) {
        return html! {};
    }
    let base = c.scenarios[0].metric(leads).map_or(f64::NAN, |s| s.mean);
    let diffs: Vec<(usize, Summary)> = c
        .differences
        .iter()
        .enumerate()
        .filter_map(|(i, d)| d.metrics.get(leads).map(|s| (i + 1, *s)))
        .collect();
    let same = !diffs.is_empty() && diffs.iter().all(|(_, d)| same_market(d, base));
    let interval = |d: &Summary| {
        format!(
            "paired difference {}, 95% CI {} to {}",
            format::num(d.mean),
            format::num(d.ci95_low),
            format::num(d.ci95_high)
        )
    };
    html! {
        @if same {
            p.market {
                strong {
                    @if c.scenarios.len() == 2 { "Both designs" } @else { "All designs" }
                    " face the same market: " (format::num(base)) " leads a week"
                }
                " (inbound and prospected; "
                @for (k, (_, d)) in diffs.iter().enumerate() {
                    @if k > 0 { "; " }
                    (interval(d))
                }
                "), so differences in deals, revenue and profit come from the designs."
            }
        } @else {
            p.banner {
                strong { "The designs do not face the same market: " }
                (c.scenarios[0].name) " creates " (format::num(base)) " leads a week"
                @for (i, d) in &diffs {
                    ", " (c.scenarios[*i].name) " "
                    (format::num(c.scenarios[*i].metric(leads).map_or(f64::NAN, |s| s.mean)))
                    " (" (interval(d)) ")"
                }
                ". Part of any difference in deals, revenue and profit is more or fewer "
                "leads, not the design: give both the same inbound rate and prospecting."
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diff(mean: f64, low: f64, high: f64) -> Summary {
        Summary {
            n: 100,
            mean,
            sd: 1.0,
            ci95_low: low,
            ci95_high: high,
            p5: low,
            p50: mean,
            p95: high,
        }
    }

    #[test]
    fn a_difference_is_noise_when_its_interval_holds_zero_or_it_is_within_one_percent() {
        assert!(same_market(&diff(-0.01, -0.14, 0.12), 79.4));
        assert!(same_market(&diff(0.5, 0.4, 0.6), 79.4));
        assert!(!same_market(&diff(4.6, 4.4, 4.8), 79.4));
        assert!(!same_market(&diff(-1.0, -1.2, -0.8), 79.4));
    }
}
