//! Assumptions side by side (every scenario parameter as a dotted key, one column per
//! design, differing rows highlighted) and the manifest needed to reproduce the run.

use maud::{Markup, html};
use serde_json::Value;

use crate::experiment::Comparison;

/// Shown where a design does not set a parameter at all.
const ABSENT: &str = "\u{2014}";

/// Flattens a JSON value into (dotted key, text) rows, in key order. Nulls (unset
/// options) are left out, lists of plain values become one row, and a distribution
/// table reads as "triangular (min 1, mode 1.5, max 2.5)".
pub fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
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

/// Every parameter key of every scenario (in first-seen order) with each one's value.
fn parameter_rows(c: &Comparison) -> Vec<(String, Vec<Option<String>>)> {
    let per_scenario: Vec<Vec<(String, String)>> = c
        .scenarios
        .iter()
        .map(|s| {
            let mut rows = Vec::new();
            if let Some(l) = &s.loaded
                && let Ok(value) = serde_json::to_value(&l.raw)
            {
                flatten("", &value, &mut rows);
            }
            rows
        })
        .collect();
    let mut keys: Vec<&str> = Vec::new();
    for rows in &per_scenario {
        for (k, _) in rows {
            if !keys.contains(&k.as_str()) {
                keys.push(k);
            }
        }
    }
    keys.sort_by(|a, b| natural(a, b));
    keys.iter()
        .map(|k| {
            let values = per_scenario
                .iter()
                .map(|rows| {
                    rows.iter()
                        .find(|(key, _)| key == k)
                        .map(|(_, v)| v.clone())
                })
                .collect();
            (k.to_string(), values)
        })
        .collect()
}

/// Orders dotted keys segment by segment, list indices as numbers (`funnel.2` before
/// `funnel.10`), so that the keys of every design interleave.
fn natural(a: &str, b: &str) -> std::cmp::Ordering {
    let segments = |k: &'_ str| -> Vec<(u64, String)> {
        k.split('.')
            .map(|s| {
                s.parse()
                    .map_or((u64::MAX, s.to_string()), |n| (n, String::new()))
            })
            .collect()
    };
    segments(a).cmp(&segments(b))
}

pub fn assumptions_section(c: &Comparison) -> Markup {
    let rows = parameter_rows(c);
    let differs = |values: &[Option<String>]| values.windows(2).any(|w| w[0] != w[1]);
    let differing = rows.iter().filter(|(_, v)| differs(v)).count();
    html! {
        section #assumptions {
            h2 { "Assumptions" }
            @if rows.is_empty() {
                p.note { "The scenario files were not available to this report (merged shard results)." }
            } @else {
                p.note {
                    "Every parameter of every design, as the simulation used it (file values, "
                    "defaults and overrides). "
                    @if c.scenarios.len() > 1 {
                        (differing) " of " (rows.len()) " differ; they are highlighted. "
                    }
                    "\u{2014} means the design does not set it. Times in minutes, hours or days "
                    "as the key says; money per year."
                }
                table.params {
                    thead { tr {
                        th { "Parameter" }
                        @for s in &c.scenarios { th { (s.name) } }
                    } }
                    tbody {
                        @for (key, values) in &rows {
                            tr class=[differs(values).then_some("differs")] {
                                td.key { (key) }
                                @for v in values { td { (v.as_deref().unwrap_or(ABSENT)) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub fn manifest_section(c: &Comparison) -> Markup {
    let m = &c.manifest;
    html! {
        section #manifest {
            h2 { "Reproducing these results" }
            p.note {
                "The same salesim version, seed, trials and scenario files (checked by their "
                "SHA-256) give the same numbers, bit for bit."
            }
            dl.manifest {
                dt { "salesim version" } dd { (m.salesim_version) }
                dt { "Seed" } dd { (m.seed) }
                dt { "Trials" } dd { (m.trials) }
                dt { "Shard" } dd {
                    @if m.shard.is_whole() { "all trials" } @else { (m.shard) }
                }
                dt { "Command" } dd { code { (m.command) } }
            }
            table {
                thead { tr {
                    th { "Scenario file" } th { "SHA-256" } th { "Overrides (--set)" }
                } }
                tbody {
                    @for s in &m.scenarios { tr {
                        td { code { (s.file) } }
                        td.hash { (s.sha256) }
                        td {
                            @if s.overrides.is_empty() { "none" }
                            @for (i, o) in s.overrides.iter().enumerate() {
                                @if i > 0 { br; }
                                code { (o) }
                            }
                        }
                    } }
                }
            }
        }
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
        assert!(natural("funnel.2.name", "funnel.10.name").is_lt());
        assert!(natural("roles.desk.headcount", "roles.rep.annual_cost").is_lt());
        assert_eq!(
            get("funnel.0.duration"),
            Some("triangular (max 2.5, min 1, mode 1.5)")
        );
    }
}
