//! Assumptions side by side (every scenario parameter as a dotted key, one column per
//! design, differing rows highlighted) and the manifest needed to reproduce the run.

use maud::{Markup, html};

use crate::experiment::Comparison;

/// Shown where a design does not set a parameter at all.
const ABSENT: &str = "\u{2014}";

/// Every parameter key of every scenario (in first-seen order) with each one's value.
fn parameter_rows(c: &Comparison) -> Vec<(String, Vec<Option<String>>)> {
    let per_scenario: Vec<Vec<(String, String)>> = c
        .scenarios
        .iter()
        .map(|s| {
            s.loaded
                .as_ref()
                .map_or_else(Vec::new, |l| l.parameters.clone())
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

/// A marked input: key, value as used, the file's note.
type Marked = (String, String, String);

/// The inputs the scenario files mark as assumptions, in plain words, per design: what a
/// reader must accept (or change) for the answer to hold.
pub fn marked_section(c: &Comparison) -> Markup {
    let per_design: Vec<(&str, Vec<Marked>)> = c
        .scenarios
        .iter()
        .filter_map(|s| {
            let l = s.loaded.as_ref()?;
            let rows = l
                .assumptions
                .iter()
                .map(|(key, note)| {
                    let value = l
                        .parameters
                        .iter()
                        .filter(|(k, _)| k == key || k.starts_with(&format!("{key}.")))
                        .map(|(k, v)| match k.strip_prefix(&format!("{key}.")) {
                            Some(sub) => format!("{sub} {v}"),
                            None => v.clone(),
                        })
                        .take(4)
                        .collect::<Vec<_>>()
                        .join(", ");
                    (
                        key.clone(),
                        value,
                        note.replace("(A)", "")
                            .trim()
                            .trim_end_matches(['.', ','])
                            .to_string(),
                    )
                })
                .collect();
            Some((s.name.as_str(), rows))
        })
        .filter(|(_, rows): &(&str, Vec<_>)| !rows.is_empty())
        .collect();
    html! {
        @if !per_design.is_empty() {
            section #marked {
                h2 { "Assumptions the answer rests on" }
                p.note {
                    "Figures the scenario files mark (A): sensible starting points, not facts. "
                    "Sweep them, or calibrate them from your own data, before acting on the result."
                }
                @for (name, rows) in &per_design {
                    h3 { (name) }
                    ul.changes {
                        @for (key, value, note) in rows {
                            li {
                                span.key { (key) }
                                @if !value.is_empty() { " = " (value) }
                                @if !note.is_empty() { ": " (note) }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub fn assumptions_section(c: &Comparison) -> Markup {
    let rows = parameter_rows(c);
    let differs = |values: &[Option<String>]| values.windows(2).any(|w| w[0] != w[1]);
    let differing = rows.iter().filter(|(_, v)| differs(v)).count();
    html! {
        section #assumptions {
            h2 { "Appendix: every parameter" }
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
                details.appendix {
                summary { "Every parameter, " (rows.len()) " rows (open to read; printed only when open)" }
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
    fn keys_sort_by_segment_with_indices_as_numbers() {
        assert!(natural("funnel.2.name", "funnel.10.name").is_lt());
        assert!(natural("roles.desk.headcount", "roles.rep.annual_cost").is_lt());
    }
}
