//! The names a history gives to a scenario's lead sources and people, shared by the
//! writer (`trace --history`) and the fits (`calibrate`, `backtest`), so what one
//! writes the other reads.

use crate::scenario::{Scenario, SourceKind};

/// One label per lead source: `inbound`, or `prospecting ROLE`; a label that would be
/// shared gets its source's number (`inbound 2`).
pub fn source_labels(s: &Scenario) -> Vec<String> {
    let plain: Vec<String> = s
        .lead_sources
        .iter()
        .map(|src| match src.kind {
            SourceKind::Inbound { .. } => "inbound".to_string(),
            SourceKind::Prospecting { role, .. } => {
                format!("prospecting {}", s.roles[role].name)
            }
        })
        .collect();
    plain
        .iter()
        .enumerate()
        .map(|(i, label)| {
            if plain.iter().filter(|l| *l == label).count() > 1 {
                format!("{label} {}", i + 1)
            } else {
                label.clone()
            }
        })
        .collect()
}

/// The name of each person, numbered role by role: `rep#1`, `rep#2`, ...
pub fn person_names(s: &Scenario) -> Vec<String> {
    s.roles
        .iter()
        .flat_map(|role| (1..=role.headcount).map(move |i| format!("{}#{i}", role.name)))
        .collect()
}
