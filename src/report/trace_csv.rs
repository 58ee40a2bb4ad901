//! The event log of one trial as CSV: time, person, role, item, step, what happened,
//! and with offices the lead's office (people of a role with people per office are
//! named `role@office#n`). Text cells go through `csv_cell` (formula neutralisation).

use super::csv_cell;
use crate::model::Trace;
use crate::scenario::Scenario;

pub fn render_trace_csv(s: &Scenario, trace: &Trace) -> Vec<u8> {
    let mut role_of_person = Vec::new();
    for role in &s.roles {
        match &role.office_headcount {
            Some(per_office) => {
                for (office, &n) in s.offices.iter().zip(per_office) {
                    for i in 0..n {
                        role_of_person.push(format!("{}@{}#{}", role.name, office.name, i + 1));
                    }
                }
            }
            None => {
                for i in 0..role.headcount {
                    role_of_person.push(format!("{}#{}", role.name, i + 1));
                }
            }
        }
    }
    let with_offices = s.has_offices();
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["time_hours", "day", "person", "item", "step", "what"];
    if with_offices {
        header.push("office");
    }
    w.write_record(&header).expect("in-memory write");
    for r in &trace.records {
        let person = usize::try_from(r.person)
            .ok()
            .and_then(|p| role_of_person.get(p))
            .cloned()
            .unwrap_or_default();
        let day = s.calendar.day_of(r.time_hours).to_string();
        let mut row = vec![
            format!("{:.4}", r.time_hours),
            day,
            csv_cell(&person).into_owned(),
            csv_cell(&r.item).into_owned(),
            csv_cell(&r.step).into_owned(),
            csv_cell(r.what).into_owned(),
        ];
        if with_offices {
            let office = usize::try_from(r.office)
                .ok()
                .and_then(|o| s.offices.get(o))
                .map_or("", |o| o.name.as_str());
            row.push(csv_cell(office).into_owned());
        }
        w.write_record(&row).expect("in-memory write");
    }
    w.into_inner().expect("in-memory write")
}
