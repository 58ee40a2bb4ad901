//! CSV: one tidy row per scenario, metric and statistic. The manifest goes beside the
//! file (`FILE.manifest.json`), so the CSV holds results only. Text cells go through
//! `csv_cell` (formula neutralisation); values are numbers as written by `number`.

use super::{csv_cell, number, statistic_rows};
use crate::experiment::{Comparison, Summaries};

/// Renders `scenario,metric,statistic,value` rows (`n` first: the trials the summary
/// rests on); paired differences appear as the scenario `B - A`.
pub fn render_csv(c: &Comparison) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["scenario", "metric", "statistic", "value"])
        .expect("in-memory write");
    let mut put = |scenario: &str, metrics: &Summaries| {
        for (metric, name, summary) in metrics.iter() {
            for (statistic, value) in statistic_rows(metric, summary) {
                w.write_record([
                    &csv_cell(scenario),
                    &csv_cell(name),
                    statistic,
                    &number(value),
                ])
                .expect("in-memory write");
            }
        }
    };
    for s in &c.scenarios {
        put(&s.name, &s.metrics);
    }
    for d in &c.differences {
        put(&format!("{} - {}", d.scenario, d.baseline), &d.metrics);
    }
    w.into_inner().expect("in-memory write")
}
