//! Exporters of a sensitivity study: the ranked table for the terminal, tidy CSV (one
//! row per input and side) and JSON; the tornado chart is in `html::tornado`.

use std::fmt::Write;

use serde_json::{Value, json};

use super::{csv_cell, number, printable};
use crate::experiment::Manifest;
use crate::experiment::sensitivity::{InputEffect, SensitivityReport, Side};
use crate::stats::Summary;

/// "+1.2 [0.8, 1.6]" for an effect, with money as $1.2M when the measure is money.
fn effect_text(s: &Summary, money: bool) -> String {
    let v = |x: f64| super::table::human_value(x, money, true);
    if s.ci95_low.is_finite() {
        format!("{} [{}, {}]", v(s.mean), v(s.ci95_low), v(s.ci95_high))
    } else {
        v(s.mean)
    }
}

/// Whether the measure is in dollars (by its name or its words).
pub fn is_money(report: &SensitivityReport) -> bool {
    let m = &report.measure;
    m.contains("per year") && !m.contains("hours")
        || crate::model::metrics::Metric::parse(m)
            .is_some_and(|x| x.def.kind == crate::model::metrics::Kind::Money)
}

/// The ranked table.
pub fn render_sensitivity_table(r: &SensitivityReport) -> Vec<u8> {
    let money = is_money(r);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Sensitivity of {} to each input moved down and up by {}%, one at a time",
        printable(&r.measure),
        number(r.by * 100.0)
    );
    let _ = writeln!(
        out,
        "scenario: {}",
        printable(&r.scenarios.join(" against "))
    );
    let _ = writeln!(
        out,
        "unmoved: {} (mean over {} trials); effects are moved less unmoved, same trials",
        effect_text(&r.base, money),
        r.base.n
    );
    if let Some(n) = r.screen_trials {
        let _ = writeln!(
            out,
            "screening: every input on {n} trials, the largest again on {} trials",
            r.trials
        );
    }
    let width = r
        .inputs
        .iter()
        .map(|e| e.key.len())
        .max()
        .unwrap_or(5)
        .max(5);
    let _ = writeln!(
        out,
        "\n{:>4}  {:width$}  {:>36}  {:>36}  {:>6}",
        "rank", "input", "down: effect [95% CI]", "up: effect [95% CI]", "trials"
    );
    for (i, e) in r.inputs.iter().enumerate() {
        let side = |s: &Option<Side>| {
            s.as_ref()
                .map_or("not moved".to_string(), |s| effect_text(&s.effect, money))
        };
        let mark = if e.clear() { " *" } else { "" };
        let _ = writeln!(
            out,
            "{:>4}  {:width$}  {:>36}  {:>36}  {:>6}{mark}",
            i + 1,
            printable(&e.key),
            side(&e.low),
            side(&e.high),
            e.trials
        );
    }
    out.push_str("\n* an interval excludes zero: the input moves the measure beyond the noise\n");
    for e in &r.inputs {
        if let Some(n) = &e.note {
            let _ = writeln!(out, "note: {}: {}", printable(&e.key), printable(n));
        }
    }
    for (k, why) in &r.skipped {
        let _ = writeln!(out, "not moved: {}: {}", printable(k), printable(why));
    }
    out.into_bytes()
}

/// `rank,input,base,side,setting,trials,mean,ci95_low,ci95_high`, a row per side moved.
pub fn render_sensitivity_csv(r: &SensitivityReport) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "rank",
        "input",
        "base",
        "side",
        "setting",
        "trials",
        "mean",
        "ci95_low",
        "ci95_high",
    ];
    w.write_record(header).expect("in-memory write");
    for (i, e) in r.inputs.iter().enumerate() {
        for (name, side) in [("down", &e.low), ("up", &e.high)] {
            let Some(s) = side else { continue };
            w.write_record([
                (i + 1).to_string(),
                csv_cell(&e.key).into_owned(),
                csv_cell(&e.base).into_owned(),
                name.to_string(),
                csv_cell(&s.setting).into_owned(),
                e.trials.to_string(),
                number(s.effect.mean),
                number(s.effect.ci95_low),
                number(s.effect.ci95_high),
            ])
            .expect("in-memory write");
        }
    }
    w.into_inner().expect("in-memory write")
}

fn finite(v: f64) -> Value {
    if v.is_finite() { json!(v) } else { Value::Null }
}

fn side_value(s: &Option<Side>) -> Value {
    s.as_ref().map_or(Value::Null, |s| {
        json!({
            "setting": s.setting,
            "mean": finite(s.effect.mean),
            "ci95_low": finite(s.effect.ci95_low),
            "ci95_high": finite(s.effect.ci95_high),
        })
    })
}

fn input_value(rank: usize, e: &InputEffect) -> Value {
    json!({
        "rank": rank,
        "input": e.key,
        "base": e.base,
        "trials": e.trials,
        "down": side_value(&e.low),
        "up": side_value(&e.high),
        "note": e.note,
    })
}

/// The study as one JSON object, with the manifest.
pub fn render_sensitivity_json(r: &SensitivityReport, manifest: &Manifest) -> Vec<u8> {
    let value = json!({
        "measure": r.measure,
        "by": r.by,
        "trials": r.trials,
        "screen_trials": r.screen_trials,
        "scenarios": r.scenarios,
        "unmoved": {
            "n": r.base.n,
            "mean": finite(r.base.mean),
            "ci95_low": finite(r.base.ci95_low),
            "ci95_high": finite(r.base.ci95_high),
        },
        "inputs": r.inputs.iter().enumerate().map(|(i, e)| input_value(i + 1, e)).collect::<Vec<_>>(),
        "skipped": r.skipped.iter().map(|(k, why)| json!({"input": k, "why": why})).collect::<Vec<_>>(),
        "manifest": super::json_out::manifest_value(manifest),
    });
    let mut bytes = serde_json::to_vec_pretty(&value).expect("JSON serialises");
    bytes.push(b'\n');
    bytes
}
