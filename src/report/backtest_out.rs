//! A back-test as a table, tidy CSV, JSON and an HTML page: each measure observed
//! (with its interval) beside simulated (mean, sd and the spread it must fall in), and
//! the measures where model and data disagree, named.

use maud::{DOCTYPE, html};

use crate::experiment::backtest::{Backtest, Measure};

fn verdict(m: &Measure) -> &'static str {
    if m.agrees { "agrees" } else { "DISAGREES" }
}

/// The measures where model and data disagree, in words.
pub fn disagreements(b: &Backtest) -> Vec<String> {
    b.measures
        .iter()
        .filter(|m| !m.agrees)
        .map(|m| {
            let side = if m.observed > m.simulated_mean {
                "higher"
            } else {
                "lower"
            };
            format!(
                "{}: observed {:.4} is {side} than the model's {:.4} (simulated {:.4}..{:.4})",
                m.name, m.observed, m.simulated_mean, m.band.0, m.band.1
            )
        })
        .collect()
}

pub fn render_backtest_table(b: &Backtest, history: &str, scenario: &str) -> Vec<u8> {
    let mut out = format!(
        "Back-test of {scenario} against {history}: {:.1} weeks, {} trials\n\n{:<40} {:>12} {:>25} {:>12} {:>25}  verdict\n",
        b.weeks, b.trials, "measure", "observed", "observed 95%", "simulated", "simulated spread"
    );
    for m in &b.measures {
        out.push_str(&format!(
            "{:<40} {:>12.4} {:>25} {:>12.4} {:>25}  {}\n",
            m.name,
            m.observed,
            format!("{:.4}..{:.4}", m.observed_ci.0, m.observed_ci.1),
            m.simulated_mean,
            format!("{:.4}..{:.4}", m.band.0, m.band.1),
            verdict(m)
        ));
    }
    let d = disagreements(b);
    if d.is_empty() {
        out.push_str("\nModel and data agree on every measure.\n");
    } else {
        out.push_str("\nWhere the model and the data disagree:\n");
        for line in d {
            out.push_str(&format!("  {line}\n"));
        }
    }
    out.push_str(&format!(
        "\nA measure disagrees when the observed value lies outside the simulated mean ± {:.2} sd across trials (95% for all measures together).\n",
        b.z
    ));
    for n in &b.notes {
        out.push_str(&format!("Note: {n}\n"));
    }
    out.into_bytes()
}

pub fn render_backtest_csv(b: &Backtest) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "measure",
        "observed",
        "observed_ci95_low",
        "observed_ci95_high",
        "n",
        "simulated_mean",
        "simulated_sd",
        "band_low",
        "band_high",
        "agrees",
    ])
    .expect("in-memory write");
    for m in &b.measures {
        w.write_record([
            m.name.clone(),
            m.observed.to_string(),
            m.observed_ci.0.to_string(),
            m.observed_ci.1.to_string(),
            m.n.to_string(),
            m.simulated_mean.to_string(),
            m.simulated_sd.to_string(),
            m.band.0.to_string(),
            m.band.1.to_string(),
            m.agrees.to_string(),
        ])
        .expect("in-memory write");
    }
    w.into_inner().expect("in-memory write")
}

fn num(x: f64) -> serde_json::Value {
    if x.is_finite() {
        serde_json::json!(x)
    } else {
        serde_json::Value::Null
    }
}

pub fn render_backtest_json(b: &Backtest, history: &str, scenario: &str) -> Vec<u8> {
    let measures: Vec<serde_json::Value> = b
        .measures
        .iter()
        .map(|m| {
            serde_json::json!({
                "measure": m.name, "observed": num(m.observed), "observed_ci95_low": num(m.observed_ci.0),
                "observed_ci95_high": num(m.observed_ci.1), "n": m.n, "simulated_mean": num(m.simulated_mean),
                "simulated_sd": num(m.simulated_sd), "band_low": num(m.band.0), "band_high": num(m.band.1),
                "agrees": m.agrees,
            })
        })
        .collect();
    let doc = serde_json::json!({
        "scenario": scenario, "history": history, "weeks": b.weeks, "trials": b.trials, "z": b.z,
        "measures": measures, "disagreements": disagreements(b), "notes": b.notes,
    });
    let mut bytes = serde_json::to_vec_pretty(&doc).expect("in-memory JSON");
    bytes.push(b'\n');
    bytes
}

pub fn render_backtest_html(b: &Backtest, history: &str, scenario: &str) -> Vec<u8> {
    let d = disagreements(b);
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head { meta charset="utf-8"; title { "Back-test of " (scenario) }
                style { "body{font-family:sans-serif;max-width:70em;margin:2em auto}td,th{padding:.2em .6em;text-align:right}td:first-child,th:first-child{text-align:left}.no{color:#b00;font-weight:bold}" } }
            body {
                h1 { "Back-test of " (scenario) " against " (history) }
                p { (format!("{:.1}", b.weeks)) " weeks, " (b.trials) " trials." }
                h2 { "Where the model and the data disagree" }
                @if d.is_empty() { p { "Nowhere: they agree on every measure." } }
                ul { @for line in &d { li { (line) } } }
                h2 { "Simulated against observed" }
                table { tr { th { "measure" } th { "observed" } th { "observed 95%" } th { "simulated" } th { "simulated spread" } th { "" } }
                    @for m in &b.measures { tr {
                        td { (m.name) } td { (format!("{:.4}", m.observed)) }
                        td { (format!("{:.4}..{:.4}", m.observed_ci.0, m.observed_ci.1)) }
                        td { (format!("{:.4}", m.simulated_mean)) } td { (format!("{:.4}..{:.4}", m.band.0, m.band.1)) }
                        td class=(if m.agrees { "" } else { "no" }) { (verdict(m)) } } } }
                p { "A measure disagrees when the observed value lies outside the simulated mean ± " (format!("{:.2}", b.z)) " sd across trials." }
                ul { @for n in &b.notes { li { (n) } } }
            }
        }
    };
    page.into_string().into_bytes()
}
