//! JSON: per scenario `{"scenario", "file", "trials", "seed", "metrics": {METRIC:
//! {"mean", "sd", "ci95_low", "ci95_high", "p5", "p50", "p95"}}}`, with the manifest.
//! A value that does not exist is `null`.

use serde_json::{Map, Value, json};

use crate::experiment::{Comparison, Manifest, ScenarioReport, Summaries};
use crate::scenario::{Scenario, Warmup};
use crate::stats::Summary;

fn metrics(list: &Summaries) -> Value {
    let mut map = Map::new();
    for (_, name, s) in list.iter() {
        let mut stats = Map::new();
        for (statistic, value) in Summary::STATISTICS.iter().zip(s.values()) {
            stats.insert(
                statistic.to_string(),
                if value.is_finite() {
                    json!(value)
                } else {
                    Value::Null
                },
            );
        }
        map.insert(name.to_string(), Value::Object(stats));
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
