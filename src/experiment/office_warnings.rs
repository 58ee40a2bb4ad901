//! Warnings for offices: a role with people per office serves only its office's work,
//! so one office can be saturated while the role as a whole is not. Each office's part
//! of the role's offered load is estimated from where the work arises (lead work by the
//! leads' office shares, service work by the service requests'), before the run.

use crate::model::load::Capacity;
use crate::scenario::{Scenario, SourceKind};

/// From this load on, an office's part of a role is named in a warning.
const NEARLY_SATURATED: f64 = 0.95;

/// The share of all leads arising in each office: each source's office shares (a
/// per-office prospecting role's by its people per office), weighted by its rate (a
/// prospecting source's by its most leads a week).
fn lead_shares(s: &Scenario) -> Vec<f64> {
    let mut shares = vec![0.0; s.offices.len()];
    let mut total = 0.0;
    for src in &s.lead_sources {
        let (weight, by_people) = match src.kind {
            SourceKind::Inbound { rate_per_hour, .. } => (rate_per_hour, None),
            SourceKind::Prospecting {
                role,
                max_hours_per_week,
                leads_per_hour,
            } => (
                max_hours_per_week * leads_per_hour * f64::from(s.roles[role].headcount),
                s.roles[role].office_headcount.as_ref(),
            ),
        };
        if !(weight.is_finite() && weight > 0.0) {
            continue;
        }
        let of_source: Vec<f64> = match by_people {
            Some(people) => {
                let n: u32 = people.iter().sum();
                people
                    .iter()
                    .map(|&p| f64::from(p) / f64::from(n.max(1)))
                    .collect()
            }
            None => src.office_shares.clone(),
        };
        for (share, x) in shares.iter_mut().zip(&of_source) {
            *share += weight * x;
        }
        total += weight;
    }
    if total > 0.0 {
        shares.iter_mut().for_each(|x| *x /= total);
    }
    shares
}

/// A warning for each office whose people of a per-office role carry about
/// `NEARLY_SATURATED` of their capacity or more.
pub fn office_warnings(s: &Scenario, c: &Capacity) -> Vec<String> {
    if !s.has_offices() {
        return Vec::new();
    }
    let leads = lead_shares(s);
    let mut out = Vec::new();
    for (r, role) in s.roles.iter().enumerate() {
        let Some(per_office) = &role.office_headcount else {
            continue;
        };
        for (o, office) in s.offices.iter().enumerate() {
            let hours: f64 = c
                .sources
                .iter()
                .zip(&c.roles[r].hours)
                .map(|(source, h)| {
                    let share = match source.as_str() {
                        "service" | "escalations" => s.service_office_shares.get(o),
                        _ => leads.get(o),
                    };
                    h * share.copied().unwrap_or(0.0)
                })
                .sum();
            let people = per_office.get(o).copied().unwrap_or(0);
            let load = if people == 0 {
                if hours > 0.0 { f64::INFINITY } else { 0.0 }
            } else {
                hours / f64::from(people)
            };
            if load >= NEARLY_SATURATED {
                let state = if load >= 1.0 {
                    "overloaded"
                } else {
                    "nearly saturated"
                };
                out.push(format!(
                    "role `{}` in office `{}` is {state}: its {people} people carry an offered load of about {load:.2} of their capacity (the office's share of the role's work, estimated before the run), and work stays in its office; give the office at least {} people, or make the role central (a plain headcount)",
                    role.name,
                    office.name,
                    (hours / 0.9).ceil().max(f64::from(people) + 1.0),
                ));
            }
        }
    }
    out
}
