//! The event log of one trial as CSV: time, person, role, item, step, what happened.
//! Text cells go through `csv_cell` (formula neutralisation).

use super::csv_cell;
use crate::model::Trace;
use crate::scenario::Scenario;

pub fn render_trace_csv(s: &Scenario, trace: &Trace) -> Vec<u8> {
    let mut role_of_person = Vec::new();
    for role in &s.roles {
        for i in 0..role.headcount {
            role_of_person.push(format!("{}#{}", role.name, i + 1));
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["time_hours", "day", "person", "item", "step", "what"])
        .expect("in-memory write");
    for r in &trace.records {
        let person = usize::try_from(r.person)
            .ok()
            .and_then(|p| role_of_person.get(p))
            .cloned()
            .unwrap_or_default();
        let day = s.calendar.day_of(r.time_hours).to_string();
        w.write_record([
            format!("{:.4}", r.time_hours).as_str(),
            &day,
            &csv_cell(&person),
            &csv_cell(&r.item),
            &csv_cell(&r.step),
            &csv_cell(r.what),
        ])
        .expect("in-memory write");
    }
    w.into_inner().expect("in-memory write")
}
