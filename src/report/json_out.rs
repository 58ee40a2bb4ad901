//! JSON: per scenario `{"scenario", "file", "trials", "seed", "metrics": {METRIC:
//! {"n", "mean", "sd", "ci95_low", "ci95_high", "p5", "p50", "p95"}}}`, with the
//! manifest; a within-trial quantile (`quote_lead_time_hours.p90`) also has
//! `"within_trial": "p90"`. A value that does not exist is `null`.

use serde_json::{Map, Value, json};

use crate::experiment::{Comparison, Manifest, ScenarioReport, Summaries};
use crate::model::metrics::Metric;
use crate::scenario::{Scenario, Warmup};
use crate::stats::Summary;

/// One metric's summary: `n` as an integer, the statistics as numbers or `null`, and
/// for a within-trial quantile which one it is.
pub(super) fn summary_value(metric: Metric<'_>, s: &Summary) -> Value {
    let mut stats = Map::new();
    for (statistic, value) in Summary::STATISTICS.iter().zip(s.values()) {
        let value = match *statistic {
            "n" => json!(s.n),
            _ if value.is_finite() => json!(value),
            _ => Value::Null,
        };
        stats.insert(statistic.to_string(), value);
    }
    if let Some((quantile, _)) = metric.def.within_trial_quantile() {
        stats.insert("within_trial".into(), json!(quantile));
    }
    Value::Object(stats)
}

fn metrics(list: &Summaries) -> Value {
    let mut map = Map::new();
    for (metric, name, s) in list.iter() {
        map.insert(name.to_string(), summary_value(metric, s));
    }
    Value::Object(map)
}

pub fn manifest_value(m: &Manifest) -> Value {
    serde_json::to_value(m).expect("a manifest serialises")
}

/// The manifest alone, as written beside a CSV file.
pub fn render_manifest_json(m: &Manifest) -> Vec<u8> {
    m.to_json()
}

/// An `"auto"` warm-up as it was found: `{"weeks", "rule", "pilot_trials"}`.
fn found_warmup(s: &Scenario) -> Option<Value> {
    let found = s.warmup_found.filter(|_| s.warmup == Warmup::Auto)?;
    Some(json!({
        "weeks": s.warmup_hours / s.calendar.hours_per_week(),
        "rule": "MSER-5 on the weekly open leads of pilot trials from an empty start",
        "pilot_trials": found.pilot_trials,
    }))
}

/// One scenario: the object of DESIGN §3. Several (compare): `{"scenarios": [...],
/// "differences": [...], "manifest": {...}}`.
pub fn render_json(c: &Comparison) -> Vec<u8> {
    let scenario = |s: &ScenarioReport| {
        let mut v = json!({
            "scenario": s.name,
            "file": s.file,
            "trials": s.trials,
            "seed": c.seed,
            "warnings": s.warnings,
            "metrics": metrics(&s.metrics),
        });
        if let Some(found) = s.loaded.as_ref().and_then(|l| found_warmup(&l.scenario)) {
            v["warmup"] = found;
        }
        if let Some(l) = s.loaded.as_ref()
            && let Some(file) = &l.scenario.initial_pipeline_file
        {
            v["initial_pipeline"] = json!({
                "file": file,
                "open_opportunities": l.scenario.initial_pipeline.len(),
            });
        }
        v
    };
    let value = if c.scenarios.len() == 1 {
        let mut v = scenario(&c.scenarios[0]);
        v["manifest"] = manifest_value(&c.manifest);
        v
    } else {
        json!({
            "scenarios": c.scenarios.iter().map(scenario).collect::<Vec<_>>(),
            "differences": c.differences.iter().map(|d| json!({
                "scenario": d.scenario,
                "baseline": d.baseline,
                "metrics": metrics(&d.metrics),
            })).collect::<Vec<_>>(),
            "manifest": manifest_value(&c.manifest),
        })
    };
    let mut bytes = serde_json::to_vec_pretty(&value).expect("serialisable");
    bytes.push(b'\n');
    bytes
}
