//! What `calibrate` fitted, as a table, tidy CSV, JSON and an HTML page: each figure
//! with its n, 95% interval and fit, the stage times, and what was left as the
//! template had it.

use maud::{DOCTYPE, html};

use crate::data::fit::DurationFit;
use crate::experiment::calibrate::{Calibration, FittedValue};

fn value_text(v: &FittedValue) -> String {
    match v {
        FittedValue::Number(x) => format!("{x:.4}"),
        FittedValue::List(xs) => {
            let parts: Vec<String> = xs.iter().map(|x| format!("{x:.3}")).collect();
            format!("[{}]", parts.join(", "))
        }
        FittedValue::Distribution(d) => dist_text(d),
    }
}

fn dist_text(d: &DurationFit) -> String {
    format!("{} mean {:.4} sd {:.4}", d.family.name(), d.mean, d.sd)
}

fn ci_text(ci: (f64, f64)) -> String {
    if ci.0.is_finite() {
        format!("{:.4}..{:.4}", ci.0, ci.1)
    } else {
        "-".into()
    }
}

fn stage_fit_text(d: &DurationFit) -> String {
    let poor = if d.ks_p < 0.01 {
        ": a poor fit, none of the three families describes these times (trust the interval of the mean)"
    } else {
        ""
    };
    format!("KS D = {:.3}, p = {:.2}{poor}", d.ks, d.ks_p)
}

pub fn render_calibration_table(c: &Calibration, history: &str) -> Vec<u8> {
    let mut out = format!(
        "Calibrated from {history}: {} opportunities over {:.1} weeks\n\nFitted\n",
        c.opportunities, c.weeks
    );
    for f in &c.fitted {
        out.push_str(&format!(
            "  {:<34} {:<40} n={:<6} 95% {:<20} {}\n",
            f.key,
            value_text(&f.value),
            f.n,
            ci_text(f.ci95),
            f.fit
        ));
    }
    out.push_str(
        "\nTime in stage, working hours (waiting included; not written to the scenario)\n",
    );
    for t in &c.stage_times {
        match &t.fit {
            Some(d) => out.push_str(&format!(
                "  {:<34} {:<40} n={:<6} 95% of mean {:<13} {}{}\n",
                t.step,
                dist_text(d),
                d.n,
                ci_text(d.mean_ci),
                stage_fit_text(d),
                if t.zeros > 0 {
                    format!("; {} zero times left out", t.zeros)
                } else {
                    String::new()
                }
            )),
            None => out.push_str(&format!("  {:<34} too few times to fit\n", t.step)),
        }
    }
    out.push_str("\nLeft as the template had it\n");
    for line in &c.not_identified {
        out.push_str(&format!("  {line}\n"));
    }
    if !c.notes.is_empty() {
        out.push_str("\nNotes\n");
        for line in &c.notes {
            out.push_str(&format!("  {line}\n"));
        }
    }
    out.into_bytes()
}

pub fn render_calibration_csv(c: &Calibration) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["kind", "key", "value", "n", "ci95_low", "ci95_high", "fit"])
        .expect("in-memory write");
    for f in &c.fitted {
        w.write_record([
            "fitted",
            &f.key,
            &value_text(&f.value),
            &f.n.to_string(),
            &f.ci95.0.to_string(),
            &f.ci95.1.to_string(),
            &f.fit,
        ])
        .expect("in-memory write");
    }
    for t in &c.stage_times {
        if let Some(d) = &t.fit {
            w.write_record([
                "stage_time_hours",
                &t.step,
                &dist_text(d),
                &d.n.to_string(),
                &d.mean_ci.0.to_string(),
                &d.mean_ci.1.to_string(),
                &stage_fit_text(d),
            ])
            .expect("in-memory write");
        }
    }
    for line in &c.not_identified {
        w.write_record(["not_identified", "", "", "", "", "", line.as_str()])
            .expect("in-memory write");
    }
    w.into_inner().expect("in-memory write")
}

fn dist_json(d: &DurationFit) -> serde_json::Value {
    serde_json::json!({
        "dist": d.family.name(), "mean": d.mean, "sd": d.sd, "n": d.n,
        "mean_ci95_low": d.mean_ci.0, "mean_ci95_high": d.mean_ci.1,
        "aic": d.aic, "ks": d.ks, "ks_p": d.ks_p,
    })
}

pub fn render_calibration_json(c: &Calibration, history: &str, template: &str) -> Vec<u8> {
    let fitted: Vec<serde_json::Value> = c
        .fitted
        .iter()
        .map(|f| {
            let value = match &f.value {
                FittedValue::Number(x) => serde_json::json!(x),
                FittedValue::List(xs) => serde_json::json!(xs),
                FittedValue::Distribution(d) => dist_json(d),
            };
            let ci = |x: f64| {
                if x.is_finite() {
                    serde_json::json!(x)
                } else {
                    serde_json::Value::Null
                }
            };
            serde_json::json!({
                "key": f.key, "value": value, "n": f.n,
                "ci95_low": ci(f.ci95.0), "ci95_high": ci(f.ci95.1), "fit": f.fit,
            })
        })
        .collect();
    let stages: Vec<serde_json::Value> = c
        .stage_times
        .iter()
        .map(|t| serde_json::json!({"step": t.step, "zeros": t.zeros, "fit": t.fit.as_ref().map(dist_json)}))
        .collect();
    let doc = serde_json::json!({
        "history": history, "template": template, "weeks": c.weeks,
        "opportunities": c.opportunities, "fitted": fitted, "stage_time_hours": stages,
        "not_identified": c.not_identified, "notes": c.notes,
    });
    let mut bytes = serde_json::to_vec_pretty(&doc).expect("in-memory JSON");
    bytes.push(b'\n');
    bytes
}

pub fn render_calibration_html(c: &Calibration, history: &str) -> Vec<u8> {
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head { meta charset="utf-8"; title { "Calibration from " (history) }
                style { "body{font-family:sans-serif;max-width:70em;margin:2em auto}td,th{padding:.2em .6em;text-align:left}tr:nth-child(even){background:#f4f4f4}" } }
            body {
                h1 { "Calibration from " (history) }
                p { (c.opportunities) " opportunities over " (format!("{:.1}", c.weeks)) " weeks." }
                h2 { "Fitted" }
                table { tr { th { "key" } th { "fitted" } th { "n" } th { "95% interval" } th { "fit" } }
                    @for f in &c.fitted { tr { td { (f.key) } td { (value_text(&f.value)) } td { (f.n) } td { (ci_text(f.ci95)) } td { (f.fit) } } } }
                h2 { "Time in stage (working hours, waiting included)" }
                table { tr { th { "step" } th { "fit" } th { "n" } th { "95% interval of the mean" } th { "goodness of fit" } }
                    @for t in &c.stage_times { @if let Some(d) = &t.fit {
                        tr { td { (t.step) } td { (dist_text(d)) } td { (d.n) } td { (ci_text(d.mean_ci)) } td { (stage_fit_text(d)) } } } } }
                h2 { "Left as the template had it" }
                ul { @for line in &c.not_identified { li { (line) } } }
                @if !c.notes.is_empty() { h2 { "Notes" } ul { @for line in &c.notes { li { (line) } } } }
            }
        }
    };
    page.into_string().into_bytes()
}
