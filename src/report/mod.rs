//! Reports: the exporters (table, CSV, JSON, HTML) of comparisons and sweeps. They only
//! render: exporters are pure functions from a result of `experiment` to bytes;
//! [`Batch`] (with `write_atomic` and `write_pair`) is the one place that writes
//! files.

mod csv_out;
pub mod html;
mod json_out;
mod safe;
pub mod sweep;
mod table;
mod trace_csv;
mod write;

pub use csv_out::render_csv;
pub use json_out::{render_json, render_manifest_json};
pub use safe::{csv_cell, printable};
pub use table::{human, render_table};
pub use trace_csv::render_trace_csv;
pub use write::{Batch, WriteError, temporary_file_in, write_atomic, write_pair};

/// Formats a number for machine-readable output: shortest round-trip form, empty for
/// a value that does not exist.
pub fn number(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        String::new()
    }
}
