//! The parameter listing: every setting of a scenario as written (file values, serde
//! defaults and `--set` overrides), as (dotted key, text) rows for reports.
//!
//! It is made from the raw form at load time, so that reports need neither the raw
//! types nor serde: they read only the validated scenario and this listing.

use serde_json::Value;

use super::raw::RawScenario;

/// Shown for a null inside a list (a null elsewhere is an unset option, left out).
const ABSENT: &str = "\u{2014}";

/// Every parameter of `raw`, in key order; empty if it cannot be serialised.
pub(crate) fn listing(raw: &RawScenario) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    if let Ok(value) = serde_json::to_value(raw) {
        flatten("", &value, &mut rows);
    }
    rows
}

/// Flattens a JSON value into (dotted key, text) rows, in key order. Nulls (unset
/// options) are left out, lists of plain values become one row, and a distribution
/// table reads as "triangular (min 1, mode 1.5, max 2.5)".
fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    let key = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match value {
        Value::Null => {}
        Value::Object(map) if map.get("dist").is_some_and(Value::is_string) => {
            let dist = map["dist"].as_str().unwrap_or_default();
            let params: Vec<String> = map
                .iter()
                .filter(|(k, v)| *k != "dist" && !v.is_null())
                .map(|(k, v)| format!("{k} {}", scalar(v)))
                .collect();
            out.push((
                prefix.to_string(),
                format!("{dist} ({})", params.join(", ")),
            ));
        }
        Value::Object(map) => {
            for (k, v) in map {
                flatten(&key(k), v, out);
            }
        }
        Value::Array(items) if items.iter().all(|v| !v.is_object() && !v.is_array()) => {
            let text = if items.is_empty() {
                "none".to_string()
            } else {
                items.iter().map(scalar).collect::<Vec<_>>().join(", ")
            };
            out.push((prefix.to_string(), text));
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten(&key(&i.to_string()), v, out);
            }
        }
        v => out.push((prefix.to_string(), scalar(v))),
    }
}

/// A plain JSON value as text: numbers in their shortest form (2, not 2.0).
fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n
            .as_u64()
            .map(|u| u.to_string())
            .or_else(|| n.as_i64().map(|i| i.to_string()))
            .unwrap_or_else(|| n.as_f64().map_or_else(|| n.to_string(), |f| format!("{f}"))),
        Value::Bool(b) => b.to_string(),
        Value::Null => ABSENT.to_string(),
        other => other.to_string(),
    }
}

/// A numeric input of a scenario that a sensitivity study can move: a plain number
/// (`roles.rep.headcount`) or a distribution (`deals.value`), whose numeric parameters
/// (value, mean, sd, min, mode, max) all scale together so its shape stays the same.
#[derive(Debug, Clone, PartialEq)]
pub struct NumericInput {
    /// The dotted key, as `--set` takes it.
    pub key: String,
    /// The fields moved: (dotted key, value, whole number?).
    pub fields: Vec<(String, f64, bool)>,
}

/// Keys that set how a run measures, not the design or its market: never moved.
const NOT_INPUTS: [&str; 3] = ["horizon_weeks", "warmup_weeks", "targets."];

/// Every numeric input of `raw`, in key order (serde defaults included: an input the
/// file leaves out may still be moved when its table is in the file).
pub fn numeric_inputs(raw: &RawScenario) -> Vec<NumericInput> {
    let mut out = Vec::new();
    if let Ok(value) = serde_json::to_value(raw) {
        numbers("", &value, &mut out);
    }
    out.retain(|i| {
        !NOT_INPUTS
            .iter()
            .any(|n| i.key == *n || (n.ends_with('.') && i.key.starts_with(n)))
    });
    out
}

fn numbers(prefix: &str, value: &Value, out: &mut Vec<NumericInput>) {
    let key = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match value {
        Value::Number(n) => {
            if let Some(v) = n.as_f64() {
                let whole = n.is_u64() || n.is_i64();
                out.push(NumericInput {
                    key: prefix.to_string(),
                    fields: vec![(prefix.to_string(), v, whole)],
                });
            }
        }
        Value::Object(map) if map.get("dist").is_some_and(Value::is_string) => {
            let fields: Vec<(String, f64, bool)> = ["value", "mean", "sd", "min", "mode", "max"]
                .iter()
                .filter_map(|k| Some((key(k), map.get(*k)?.as_f64()?, false)))
                .collect();
            if !fields.is_empty() {
                out.push(NumericInput {
                    key: prefix.to_string(),
                    fields,
                });
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                numbers(&key(k), v, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                if v.is_object() {
                    numbers(&key(&i.to_string()), v, out);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flattening_reads_like_the_file() {
        let value = serde_json::json!({
            "name": "A",
            "horizon_weeks": 52.0,
            "skip": null,
            "roles": {"rep": {"headcount": 12, "interrupted_by": [], "priority": ["a", "b"]}},
            "funnel": [{"name": "q", "duration": {"dist": "triangular", "min": 1.0,
                "mode": 1.5, "max": 2.5, "sd": null}}],
        });
        let mut rows = Vec::new();
        flatten("", &value, &mut rows);
        let get = |k: &str| {
            rows.iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("horizon_weeks"), Some("52"));
        assert_eq!(get("skip"), None);
        assert_eq!(get("roles.rep.headcount"), Some("12"));
        assert_eq!(get("roles.rep.interrupted_by"), Some("none"));
        assert_eq!(get("roles.rep.priority"), Some("a, b"));
        assert_eq!(get("funnel.0.name"), Some("q"));
        assert_eq!(
            get("funnel.0.duration"),
            Some("triangular (max 2.5, min 1, mode 1.5)")
        );
    }
}
