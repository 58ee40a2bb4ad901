//! Reports: the exporters (table, CSV, JSON, HTML) of comparisons and sweeps. They only
//! render: exporters are pure functions from a result of `experiment` to bytes;
//! [`Batch`] (with `write_atomic` and `write_pair`) is the one place that writes
//! files.

mod backtest_out;
mod calibration;
mod csv_out;
mod forecast_out;
mod history_csv;
pub mod html;
mod json_out;
mod safe;
pub mod sensitivity;
pub mod sweep;
mod table;
mod trace_csv;
pub(crate) mod transition_out;
mod transition_sweep_out;
mod write;

pub use backtest_out::{
    disagreements, render_backtest_csv, render_backtest_html, render_backtest_json,
    render_backtest_table,
};
pub use calibration::{
    render_calibration_csv, render_calibration_html, render_calibration_json,
    render_calibration_table,
};
pub use csv_out::render_csv;
pub use forecast_out::{render_forecast_csv, render_forecast_json, render_forecast_table};
pub use history_csv::{
    HISTORY_EPOCH, HISTORY_HEADERS, StageMark, history_clock, render_history_csv, stage_marks,
};
pub use json_out::{render_json, render_manifest_json};
pub use safe::{csv_cell, printable};
pub use table::{human, human_money, human_value, render_table};
pub use trace_csv::render_trace_csv;
pub use transition_out::{render_transition_csv, render_transition_json, render_transition_table};
pub use transition_sweep_out::{render_transition_sweep_csv, render_transition_sweep_table};
pub use write::{Batch, WriteError, temporary_file_in, write_atomic, write_pair};

use crate::model::metrics::Metric;
use crate::stats::Summary;

/// A metric's `(statistic, value)` rows for the tidy CSV exporters: every statistic of
/// [`Summary::STATISTICS`], then for a within-trial quantile (`quote_lead_time_hours.p90`)
/// a row `within_trial_quantile` with its level (0.9), saying that the metric is each
/// trial's own quantile and the statistics are across trials.
pub(crate) fn statistic_rows(metric: Metric<'_>, s: &Summary) -> Vec<(&'static str, f64)> {
    let mut rows: Vec<(&'static str, f64)> = Summary::STATISTICS
        .iter()
        .copied()
        .zip(s.values())
        .collect();
    if let Some((_, level)) = metric.def.within_trial_quantile() {
        rows.push(("within_trial_quantile", level));
    }
    rows
}

/// Formats a number for machine-readable output: shortest round-trip form, empty for
/// a value that does not exist.
pub fn number(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        String::new()
    }
}
