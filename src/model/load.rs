//! Offered load: the hours of work per hour that a scenario's demand brings to each
//! role, divided by its headcount. At or above 1 a role cannot keep up, whatever the
//! policies; reports warn about it. Prospected leads are left out: prospecting only
//! fills idle time, so it regulates itself.

use crate::scenario::{Booking, Scenario, SourceKind, StepKind};

/// Offered load per role (work hours demanded per person-hour available).
pub fn offered_load(s: &Scenario) -> Vec<f64> {
    let mut hours = vec![0.0; s.roles.len()];
    let inbound: f64 = s
        .lead_sources
        .iter()
        .map(|src| match src.kind {
            SourceKind::Inbound {
                rate_per_hour,
                ref seasonality,
            } => {
                let mean_factor = if seasonality.is_empty() {
                    1.0
                } else {
                    seasonality.iter().sum::<f64>() / seasonality.len() as f64
                };
                rate_per_hour * mean_factor
            }
            SourceKind::Prospecting { .. } => 0.0,
        })
        .sum();
    let mut reach = inbound;
    let mut meetings_per_hour = 0.0;
    for step in &s.funnel {
        let repetitions = step
            .count
            .as_ref()
            .map_or(1.0, |c| c.mean().round().max(1.0));
        for v in &step.variants {
            let rate = reach * repetitions * v.share;
            let role = &s.roles[v.role];
            match step.kind {
                StepKind::Task => hours[v.role] += rate * v.duration.mean(),
                StepKind::Meeting => {
                    hours[v.role] += rate * (v.duration.mean() + 2.0 * role.travel_hours.mean());
                    let booker = match role.booking {
                        Booking::SelfBooked => v.role,
                        Booking::Coordinator => role.booking_role,
                    };
                    hours[booker] += rate * role.booking_hours.mean();
                    meetings_per_hour += rate;
                }
            }
        }
        reach *= step.advance;
    }
    let wins_per_hour = reach;
    if let Some(service) = &s.service {
        for v in &service.variants {
            hours[v.role] += service.rate_per_hour * v.share * v.duration.mean();
        }
        if let Some(e) = &service.escalation {
            hours[e.role] += service.rate_per_hour * e.probability * e.duration.mean();
        }
    }
    let hours_per_week = s.calendar.hours_per_week();
    for (r, role) in s.roles.iter().enumerate() {
        hours[r] += f64::from(role.headcount) * role.admin_hours_per_week / hours_per_week;
    }
    if let Some(admin_role) = s.admin.role {
        let n = f64::from(s.roles[admin_role].headcount);
        hours[admin_role] += n * s.admin.weekly_hours_per_person / hours_per_week
            + wins_per_hour * s.admin.per_win_hours
            + meetings_per_hour * s.admin.per_meeting_hours;
    }
    hours
        .iter()
        .zip(&s.roles)
        .map(|(h, role)| {
            if role.headcount == 0 {
                if *h > 0.0 { f64::INFINITY } else { 0.0 }
            } else {
                h / f64::from(role.headcount)
            }
        })
        .collect()
}
