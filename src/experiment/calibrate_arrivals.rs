//! Lead arrivals from a history: opportunities created per week for each inbound
//! source (told apart by the `source` column), and the seasonal factors by quarter
//! when a year or more is there and the quarters differ beyond chance.

use super::calibrate::{Calibration, Fitted, FittedValue};
use crate::data::fit::poisson_rate;
use crate::data::labels::source_labels;
use crate::data::{Column, History, columns::normalise};
use crate::scenario::{Scenario, SourceKind};

pub(super) fn fit_arrivals(history: &History, s: &Scenario, c: &mut Calibration) {
    let labels = source_labels(s);
    let inbound: Vec<usize> = (0..s.lead_sources.len())
        .filter(|&i| matches!(s.lead_sources[i].kind, SourceKind::Inbound { .. }))
        .collect();
    let created: Vec<(Option<&str>, f64)> = history
        .opportunities
        .iter()
        .filter_map(|o| Some((o.source.as_deref(), o.created()?)))
        .collect();
    let weeks = history.weeks();
    let one_source = inbound.len() == 1 && s.lead_sources.len() == 1;
    if !(history.has(Column::Source) || one_source) {
        for &i in &inbound {
            c.not_identified.push(format!(
                "lead_sources.{i}.rate_per_week: the history has no `source` column to tell this source's leads from the others' ({:.1} opportunities a week in all)",
                created.len() as f64 / weeks.max(1e-9)
            ));
        }
        return;
    }
    let mut unmatched = std::collections::BTreeMap::<String, u64>::new();
    if history.has(Column::Source) {
        for (source, _) in &created {
            let Some(v) = source else { continue };
            if !labels.iter().any(|l| normalise(l) == normalise(v)) {
                *unmatched.entry(v.to_string()).or_default() += 1;
            }
        }
    }
    if !unmatched.is_empty() {
        let list: Vec<String> = unmatched
            .iter()
            .map(|(k, n)| format!("`{k}` ({n})"))
            .collect();
        c.notes.push(format!(
            "source values that name no lead source of the template, not counted: {} (the template's: {})",
            list.join(", "),
            labels.join(", ")
        ));
    }
    for &i in &inbound {
        let label = normalise(&labels[i]);
        let times: Vec<f64> = created
            .iter()
            .filter(|(src, _)| {
                !history.has(Column::Source) || src.is_some_and(|v| normalise(v) == label)
            })
            .map(|(_, t)| *t)
            .collect();
        let Some((rate, ci)) = poisson_rate(times.len() as u64, weeks) else {
            continue;
        };
        c.fitted.push(Fitted {
            key: format!("lead_sources.{i}.rate_per_week"),
            value: FittedValue::Number(rate),
            n: times.len() as u64,
            ci95: ci,
            fit: format!("Poisson rate over {weeks:.1} weeks"),
        });
        seasonality(history, s, i, &times, c);
    }
}

/// Seasonal factors by quarter of the year (the scenario's seasonality is by equal parts
/// of a 52-week year from its start, which is the history's first week), written only
/// when a chi-square test finds the quarters differ (p < 0.05).
fn seasonality(history: &History, s: &Scenario, source: usize, times: &[f64], c: &mut Calibration) {
    let key = format!("lead_sources.{source}.seasonality");
    let hours_per_week = s.calendar.hours_per_week();
    let (start, end) = history.span_hours;
    // A year of weekly history, give or take a few days at its ends.
    if (end - start) / hours_per_week < 51.5 {
        c.not_identified
            .push(format!("{key}: less than a year of history"));
        return;
    }
    let quarter = |t: f64| (((t / hours_per_week / 52.0).fract() * 4.0) as usize).min(3);
    let mut exposure = [0.0; 4];
    let step = hours_per_week / 100.0;
    let mut t = start;
    while t < end {
        exposure[quarter(t)] += step.min(end - t) / hours_per_week;
        t += step;
    }
    let mut counts = [0u64; 4];
    for &t in times {
        counts[quarter(t)] += 1;
    }
    let total: u64 = counts.iter().sum();
    let rate = total as f64 / exposure.iter().sum::<f64>();
    let chi2: f64 = (0..4)
        .map(|q| {
            let e = rate * exposure[q];
            (counts[q] as f64 - e).powi(2) / e.max(1e-9)
        })
        .sum();
    let p = 1.0 - statrs::function::gamma::gamma_lr(1.5, chi2 / 2.0);
    if p >= 0.05 || total < 40 {
        c.not_identified.push(format!(
            "{key}: the quarters do not differ beyond chance (chi-square = {chi2:.1}, 3 degrees of freedom, p = {p:.2})"
        ));
        return;
    }
    let factors: Vec<f64> = (0..4)
        .map(|q| counts[q] as f64 / exposure[q] / rate)
        .collect();
    c.fitted.push(Fitted {
        key,
        value: FittedValue::List(factors),
        n: total,
        ci95: (f64::NAN, f64::NAN),
        fit: format!("quarterly rate over the mean rate; chi-square = {chi2:.1}, p = {p:.3}"),
    });
}
