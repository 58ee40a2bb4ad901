//! Shares from a history: each lead source's `office_shares` (its new opportunities by
//! the `office` column) and each segment's `share` (all new opportunities by the
//! `segment` column), each with its n and Wilson interval; offices and segments the
//! template lacks are named, not fitted.

use std::collections::BTreeMap;

use super::calibrate::{Calibration, Fitted, FittedValue};
use crate::data::fit::proportion;
use crate::data::labels::source_labels;
use crate::data::{Column, History, columns::normalise};
use crate::scenario::OTHER_SEGMENT;
use crate::scenario::Scenario;

/// The denominator the written shares are rounded on: four decimals, so that they sum
/// to exactly what they should (the loader wants office shares to sum to 1).
const GRAIN: u64 = 10_000;

/// `counts` as shares of `total` in steps of 1/GRAIN, by largest remainder, so that
/// they sum to exactly `sum(counts) / total` rounded to the grain.
fn rounded_shares(counts: &[u64], total: u64) -> Vec<f64> {
    if total == 0 {
        return vec![0.0; counts.len()];
    }
    let exact: Vec<f64> = counts
        .iter()
        .map(|&k| k as f64 * GRAIN as f64 / total as f64)
        .collect();
    let target = (counts.iter().sum::<u64>() as f64 * GRAIN as f64 / total as f64).round() as u64;
    let mut units: Vec<u64> = exact.iter().map(|x| x.floor() as u64).collect();
    let mut order: Vec<usize> = (0..counts.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (exact[a] - exact[a].floor(), exact[b] - exact[b].floor());
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    let short = target.saturating_sub(units.iter().sum());
    for &i in order.iter().take(short as usize) {
        units[i] += 1;
    }
    units.iter().map(|&u| u as f64 / GRAIN as f64).collect()
}

/// The template's name that `value` stands for, compared as the reader compares
/// labels (case and spacing aside).
fn name_index(names: &[String], value: &str) -> Option<usize> {
    names.iter().position(|n| normalise(n) == normalise(value))
}

fn listed(unknown: &BTreeMap<String, u64>) -> String {
    unknown
        .iter()
        .map(|(k, n)| format!("`{k}` ({n} opportunities)"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn fit_shares(history: &History, s: &Scenario, c: &mut Calibration) {
    fit_office_shares(history, s, c);
    fit_segment_shares(history, s, c);
}

fn fit_office_shares(history: &History, s: &Scenario, c: &mut Calibration) {
    if !history.has(Column::Office) {
        if s.has_offices() {
            c.not_identified
                .push("lead_sources.*.office_shares: the history has no `office` column".into());
        }
        return;
    }
    let offices: Vec<String> = s.offices.iter().map(|o| o.name.clone()).collect();
    let mut unknown = BTreeMap::<String, u64>::new();
    for o in &history.opportunities {
        if let Some(v) = o.office.as_deref()
            && name_index(&offices, v).is_none()
        {
            *unknown.entry(v.to_string()).or_default() += 1;
        }
    }
    if !unknown.is_empty() {
        let why = if offices.is_empty() {
            "the template has no offices".to_string()
        } else {
            format!(
                "not an office of the template ({}); left out of the office shares",
                offices.join(", ")
            )
        };
        c.not_identified
            .push(format!("offices {}: {why}", listed(&unknown)));
    }
    if offices.is_empty() {
        return;
    }
    let labels = source_labels(s);
    let by_source = history.has(Column::Source);
    // The sources whose leads arise by shares (a prospecting role with people per
    // office finds its leads in its own office: no shares to fit).
    let shared: Vec<usize> = (0..s.lead_sources.len())
        .filter(|&i| !s.lead_sources[i].office_shares.is_empty())
        .collect();
    for i in (0..s.lead_sources.len()).filter(|i| !shared.contains(i)) {
        c.not_identified.push(format!(
            "lead_sources.{i}.office_shares ({}): does not apply, a prospected lead arises in its finder's office",
            labels[i]
        ));
    }
    if !by_source && shared.len() > 1 {
        let keys: Vec<String> = shared.iter().map(|i| format!("lead_sources.{i}")).collect();
        c.notes.push(format!(
            "the history has no `source` column: the office shares of all its opportunities together are written into {} alike",
            keys.join(", ")
        ));
    }
    for &i in &shared {
        let label = normalise(&labels[i]);
        let mut counts = vec![0u64; offices.len()];
        for o in &history.opportunities {
            if by_source && o.source.as_deref().is_none_or(|v| normalise(v) != label) {
                continue;
            }
            if let Some(k) = o.office.as_deref().and_then(|v| name_index(&offices, v)) {
                counts[k] += 1;
            }
        }
        let n: u64 = counts.iter().sum();
        let key = format!("lead_sources.{i}.office_shares");
        if n < 10 {
            c.not_identified.push(format!(
                "{key} ({}): only {n} of its opportunities name an office of the template; at least 10 are needed",
                labels[i]
            ));
            continue;
        }
        let whose = if by_source {
            format!("the {} opportunities", labels[i])
        } else {
            "all opportunities (no source column)".to_string()
        };
        let shares = rounded_shares(&counts, n);
        for (k, office) in offices.iter().enumerate() {
            let Some((_, ci)) = proportion(counts[k], n) else {
                continue;
            };
            c.fitted.push(Fitted {
                key: format!("{key}.{office}"),
                value: FittedValue::Number(shares[k]),
                n,
                ci95: ci,
                fit: format!(
                    "share of {whose} in office {office} ({} of {n}), Wilson interval",
                    counts[k]
                ),
            });
        }
    }
}

fn fit_segment_shares(history: &History, s: &Scenario, c: &mut Calibration) {
    let named: Vec<String> = s
        .segments
        .list
        .iter()
        .map(|g| g.name.clone())
        .filter(|n| n != OTHER_SEGMENT)
        .collect();
    if !history.has(Column::Segment) {
        if !named.is_empty() {
            c.not_identified
                .push("segments.*.share: the history has no `segment` column".into());
        }
        return;
    }
    let mut counts = vec![0u64; named.len()];
    let mut rest = 0u64;
    let mut unknown = BTreeMap::<String, u64>::new();
    for v in history
        .opportunities
        .iter()
        .filter_map(|o| o.segment.as_deref())
    {
        match name_index(&named, v) {
            Some(k) => counts[k] += 1,
            None => {
                rest += 1;
                if normalise(v) != normalise(OTHER_SEGMENT) {
                    *unknown.entry(v.to_string()).or_default() += 1;
                }
            }
        }
    }
    if !unknown.is_empty() {
        let why = if named.is_empty() {
            "the template has no segments".to_string()
        } else {
            format!(
                "not a segment of the template ({}); counted in the rest, the segment \"other\"",
                named.join(", ")
            )
        };
        c.not_identified
            .push(format!("segments {}: {why}", listed(&unknown)));
    }
    if named.is_empty() {
        return;
    }
    let n = counts.iter().sum::<u64>() + rest;
    if n < 10 {
        c.not_identified.push(format!(
            "segments.*.share: only {n} opportunities name a segment; at least 10 are needed"
        ));
        return;
    }
    let shares = rounded_shares(&counts, n);
    for (k, name) in named.iter().enumerate() {
        let key = format!("segments.{name}.share");
        // The loader wants every named segment's share above 0.
        if shares[k] <= 0.0 {
            c.not_identified.push(format!(
                "{key}: {} of {n} opportunities are in it, too few to write a share above 0",
                counts[k]
            ));
            continue;
        }
        let Some((_, ci)) = proportion(counts[k], n) else {
            continue;
        };
        c.fitted.push(Fitted {
            key,
            value: FittedValue::Number(shares[k]),
            n,
            ci95: ci,
            fit: format!(
                "share of the opportunities that name a segment ({} of {n}), Wilson interval; the rest ({rest}) is the segment \"other\"",
                counts[k]
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::rounded_shares;

    #[test]
    fn rounded_shares_sum_to_the_rounded_whole() {
        // Thirds: 3333 + 3333 + 3334 units, not 3333 x 3.
        let s = rounded_shares(&[1, 1, 1], 3);
        assert_eq!(s.iter().filter(|&&x| x == 0.3334).count(), 1);
        assert!((s.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        // A part of the whole: 2 of 3 is 0.6667, split 0.3333 + 0.3334.
        let s = rounded_shares(&[1, 1], 3);
        assert!((s.iter().sum::<f64>() - 0.6667).abs() < 1e-12);
    }
}
