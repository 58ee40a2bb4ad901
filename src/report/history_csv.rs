//! A traced trial as an opportunity history (`salesim trace --history`): one row per
//! funnel step a lead entered, in the reader's own columns, its dates on a calendar
//! whose first working week starts on Monday 5 January 2026 at 09:00, an `office`
//! column when the scenario has offices and a `segment` column when it has segments.

use std::collections::HashMap;

use super::csv_cell;
use crate::data::WorkClock;
use crate::data::labels::{person_names, source_labels};
use crate::model::{LeadEnd, Trace};
use crate::scenario::Scenario;

/// The Monday the written history starts on: a fixed date, so the same trial always
/// writes the same file.
pub const HISTORY_EPOCH: &str = "2026-01-05";

pub const HISTORY_HEADERS: [&str; 9] = [
    "opportunity_id",
    "stage",
    "entered_at",
    "created_at",
    "owner",
    "amount",
    "outcome",
    "closed_at",
    "source",
];

/// The office of each lead, in creation order, from its "lead created" record (the
/// leads are numbered in that order); `None` without offices.
fn lead_offices(s: &Scenario, trace: &Trace) -> Vec<Option<String>> {
    trace
        .records
        .iter()
        .filter(|r| r.what == "lead created")
        .map(|r| {
            usize::try_from(r.office)
                .ok()
                .and_then(|o| s.offices.get(o))
                .map(|o| o.name.clone())
        })
        .collect()
}

pub fn history_clock(s: &Scenario) -> WorkClock {
    let monday = HISTORY_EPOCH.parse().expect("a valid constant date");
    WorkClock::new(monday, &s.calendar)
}

/// A funnel step a lead entered: when, and who worked on it first (if anyone did).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StageMark {
    pub step: usize,
    pub at_hours: f64,
    pub person: Option<i64>,
}

/// What the event log says of one lead, step by step.
#[derive(Clone, Default)]
struct Walk {
    seen: Vec<bool>,
    last_done: Vec<Option<f64>>,
    first_worker: Vec<Option<i64>>,
}

/// The funnel steps each lead entered, read from the event log: the first step from
/// its creation (a lead waiting in a pull pool is in the first stage, as a CRM shows
/// it), each later step from the moment the step before it was last done.
pub fn stage_marks(s: &Scenario, trace: &Trace) -> Vec<Vec<StageMark>> {
    let steps = s.funnel.len();
    let index: HashMap<&str, usize> = s
        .funnel
        .iter()
        .enumerate()
        .map(|(i, f)| (f.name.as_str(), i))
        .collect();
    let blank = Walk {
        seen: vec![false; steps],
        last_done: vec![None; steps],
        first_worker: vec![None; steps],
    };
    let mut walks = vec![blank; trace.leads.len()];
    let mut in_slot: HashMap<&str, usize> = HashMap::new();
    let mut next = 0;
    for r in &trace.records {
        if r.what == "lead created" {
            in_slot.insert(r.item.as_str(), next);
            next += 1;
            continue;
        }
        let (Some(&life), Some(&k)) = (in_slot.get(r.item.as_str()), index.get(r.step.as_str()))
        else {
            continue;
        };
        let Some(w) = walks.get_mut(life) else {
            continue;
        };
        w.seen[k] = true;
        if r.person >= 0 && w.first_worker[k].is_none() {
            w.first_worker[k] = Some(r.person);
        }
        if r.what == "step done" {
            w.last_done[k] = Some(r.time_hours);
        }
    }
    trace
        .leads
        .iter()
        .zip(&walks)
        .map(|(lead, w)| {
            let furthest = furthest_step(s, lead, w);
            (0..=furthest)
                .map(|k| StageMark {
                    step: k,
                    at_hours: match k {
                        0 => lead.created_hours,
                        _ => w.last_done[k - 1].unwrap_or(lead.created_hours),
                    },
                    person: w.first_worker[k],
                })
                .collect()
        })
        .collect()
}

/// The furthest step a lead reached: the last for a win; for a loss, the step it was
/// last seen in; for an open lead, the step after its last one done (unless that step
/// repeats, when it may be doing it again).
fn furthest_step(s: &Scenario, lead: &crate::model::LeadLife, w: &Walk) -> usize {
    let last = s.funnel.len().saturating_sub(1);
    let seen = w.seen.iter().rposition(|&x| x).unwrap_or(0);
    match lead.end {
        Some((LeadEnd::Won, _, _)) => last,
        Some(_) => seen,
        None => {
            let done = w.last_done.get(seen).copied().flatten().is_some();
            let repeats = s.funnel.get(seen).is_some_and(|f| f.count.is_some());
            if done && !repeats {
                (seen + 1).min(last)
            } else {
                seen
            }
        }
    }
}

/// The history of every lead of the trial; gone cold is `lost`, a lead open at the
/// horizon is `open`. A scenario with offices gets a column `office`, one with segments
/// a last column `segment` (the lead's customer segment, "other" included); one with
/// neither writes the nine columns alone.
pub fn render_history_csv(s: &Scenario, trace: &Trace) -> Vec<u8> {
    let with_office = s.has_offices();
    let with_segment = !s.segments.is_empty();
    let offices = lead_offices(s, trace);
    let clock = history_clock(s);
    let people = person_names(s);
    let sources = source_labels(s);
    let when = |h: f64| clock.at(h).to_string();
    let marks = stage_marks(s, trace);
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut headers = HISTORY_HEADERS.to_vec();
    if with_office {
        headers.push("office");
    }
    if with_segment {
        headers.push("segment");
    }
    w.write_record(&headers).expect("in-memory write");
    for (i, lead) in trace.leads.iter().enumerate() {
        let id = format!("O-{:06}", i + 1);
        let (outcome, closed, amount) = match lead.end {
            Some((LeadEnd::Won, at, value)) => ("won", when(at), format!("{value:.2}")),
            Some((_, at, _)) => ("lost", when(at), String::new()),
            None => ("open", String::new(), String::new()),
        };
        let stages = marks.get(i).map(Vec::as_slice).unwrap_or_default();
        // A step nobody has worked on yet is shown with the lead's latest owner.
        let mut owner = String::new();
        let created = when(lead.created_hours);
        let source = sources.get(lead.source).cloned().unwrap_or_default();
        let office_name = offices.get(i).cloned().flatten().unwrap_or_default();
        let office = csv_cell(&office_name);
        let segment_name = lead
            .segment
            .and_then(|g| s.segments.list.get(g))
            .map(|g| g.name.as_str())
            .unwrap_or_default();
        let segment = csv_cell(segment_name);
        for mark in stages {
            if let Some(name) = mark
                .person
                .and_then(|p| usize::try_from(p).ok())
                .and_then(|p| people.get(p))
            {
                owner = name.clone();
            }
            let step = s
                .funnel
                .get(mark.step)
                .map(|f| f.name.as_str())
                .unwrap_or("");
            let step = csv_cell(step);
            let at = when(mark.at_hours);
            let owner_cell = csv_cell(&owner);
            let source_cell = csv_cell(&source);
            let mut row: Vec<&str> = vec![
                id.as_str(),
                &step,
                &at,
                &created,
                &owner_cell,
                &amount,
                outcome,
                &closed,
                &source_cell,
            ];
            if with_office {
                row.push(&office);
            }
            if with_segment {
                row.push(&segment);
            }
            w.write_record(&row).expect("in-memory write");
        }
    }
    w.into_inner().expect("in-memory write")
}
