//! Sweep results: every grid point's metric summaries, the choice among them, and the
//! exporters (tidy CSV, JSON, the text summary of the choice). Pure functions to bytes.

use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use super::json_out::summary_value;
use super::{csv_cell, human, number, statistic_rows};
use crate::experiment::sweep::SweepReport;
use crate::model::metrics::{Metric, catalogue as m};

/// Tidy rows: `point,<each varied path>,metric,statistic,value`.
pub fn render_sweep_csv(r: &SweepReport) -> Vec<u8> {
    let (varies, points) = (&r.varies, &r.points);
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["point".to_string()];
    header.extend(varies.iter().map(|v| csv_cell(&v.path).into_owned()));
    header.extend(["metric", "statistic", "value"].map(String::from));
    w.write_record(&header).expect("in-memory write");
    for p in points {
        for (metric, name, summary) in p.metrics.iter() {
            for (statistic, value) in statistic_rows(metric, summary) {
                let mut row = vec![p.index.to_string()];
                // Varied values are text as given (`pull`, `-1.5`): plain numbers stay.
                row.extend(p.values.iter().map(|v| csv_cell(v).into_owned()));
                row.extend([
                    csv_cell(name).into_owned(),
                    statistic.to_string(),
                    number(value),
                ]);
                w.write_record(&row).expect("in-memory write");
            }
        }
    }
    w.into_inner().expect("in-memory write")
}

/// A list of `{"point", "values": {path: value}, "metrics": {...}}`.
pub fn render_sweep_json(r: &SweepReport) -> Vec<u8> {
    let (varies, points) = (&r.varies, &r.points);
    let list: Vec<Value> = points
        .iter()
        .map(|p| {
            let mut values = Map::new();
            for (v, x) in varies.iter().zip(&p.values) {
                values.insert(v.path.clone(), json!(x));
            }
            let mut metrics = Map::new();
            for (metric, name, s) in p.metrics.iter() {
                metrics.insert(name.to_string(), summary_value(metric, s));
            }
            json!({ "point": p.index, "values": values, "metrics": metrics })
        })
        .collect();
    let mut bytes = serde_json::to_vec_pretty(&list).expect("serialisable");
    bytes.push(b'\n');
    bytes
}

/// The best feasible point, how sure we are that it meets each constraint, and the
/// Pareto front, as text for people; empty without an objective.
pub fn render_choice(r: &SweepReport) -> String {
    let Some(objective) = &r.objective else {
        return String::new();
    };
    let (constraints, points) = (&r.constraints, &r.points);
    let mut out = String::new();
    match r.best() {
        Some(i) => {
            let p = &points[i];
            let _ = writeln!(out, "best feasible point: {} ({})", p.index, r.describe(p));
            let _ = writeln!(
                out,
                "  {} = {}",
                objective.target,
                human(objective.target.value(&p.metrics))
            );
            for c in constraints {
                let sure = c
                    .confidence(&p.metrics)
                    .map_or("n/a (not a mean)".to_string(), |q| {
                        // As the HTML report: never a certain 100.0% or 0.0% from a
                        // finite sample.
                        format!("about {:.1}%", (100.0 * q).clamp(0.1, 99.9))
                    });
                let _ = writeln!(
                    out,
                    "  {} = {} ({} {}); probability the true value meets it: {sure}",
                    c.target,
                    human(c.target.value(&p.metrics)),
                    if c.at_most { "<=" } else { ">=" },
                    c.bound
                );
            }
        }
        None => {
            let _ = writeln!(
                out,
                "no point meets every constraint; relax a constraint or widen the grid"
            );
        }
    }
    // The same front as the HTML report's: `SweepReport::front`.
    let Some(v) = r.versus() else {
        let _ = writeln!(
            out,
            "Pareto front: none; the objective is the staffing cost and no constraint names another metric to set it against"
        );
        return out;
    };
    let _ = writeln!(
        out,
        "Pareto front (staffing_cost_per_year.mean against {}; points that meet every constraint):",
        v.target
    );
    let front = r.front();
    if front.is_empty() {
        let _ = writeln!(out, "  none: no point meets every constraint");
    }
    let chosen = r.best();
    for i in front {
        let p = &points[i];
        let cost = p
            .metrics
            .get(Metric::team(m::STAFFING_COST))
            .map_or(f64::NAN, |s| s.mean);
        let _ = writeln!(
            out,
            "  point {} ({}): cost {} a year, {} {}{}",
            p.index,
            r.describe(p),
            human(cost),
            v.target,
            human(v.target.value(&p.metrics)),
            if chosen == Some(i) { " (chosen)" } else { "" }
        );
    }
    out
}
