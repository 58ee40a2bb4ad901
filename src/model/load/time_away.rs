//! Time a role spends away from its work: travel to and between meetings, and
//! switching back to a task after an interruption or an appointment.

use super::flows::Flows;
use super::{SWITCHING, TRAVEL};
use crate::scenario::{Booking, RoleId, Scenario, StepKind};

/// Travel hours per person-hour, and trips (departures) per person-hour, for `role`
/// holding `meetings` meetings per person-hour. A self-booked meeting is a round trip.
/// A coordinator chains a day's meetings, the legs between them shortened by
/// `clustering`: with at most one chain a day, a day of k meetings travels
/// 2t(c + k(1 - c)), so the travel is 2t((1 - c)m + c d) for d days with meetings,
/// d = min(m, days). Days with no chain of all their meetings travel more; at the loads
/// that matter nearly every day has meetings and this is close (and on the shipped
/// specialized design within 10% of the simulated travel).
pub(super) fn travel_hours(s: &Scenario, role: RoleId, meetings: f64) -> (f64, f64) {
    let r = &s.roles[role];
    let round_trip = 2.0 * r.travel_hours.mean();
    match r.booking {
        Booking::SelfBooked => (round_trip * meetings, meetings),
        Booking::Coordinator => {
            let days = meetings.min(1.0 / s.calendar.hours_per_day);
            let c = r.clustering;
            (round_trip * ((1.0 - c) * meetings + c * days), days)
        }
    }
}

/// Switching hours per person-hour: each pre-emption of a task in hand costs
/// `switch_cost_minutes`. Pre-emptions come from interrupting work that finds its
/// person on work that does not interrupt, and from travel to an appointment that must
/// start while a task is in hand. The chance of that is the share of desk time on such
/// work, and the switching time itself is spent on it, so the hours are the least
/// fixed point of s = cost (i q_i(s) + a q(s)), found by iterating from 0. For a pool
/// the interrupted person is any busy one, so the chance is an upper bound there.
pub(super) fn switching_hours(s: &Scenario, role: RoleId, f: &Flows) -> f64 {
    let r = &s.roles[role];
    let people = f64::from(r.headcount);
    if r.switch_cost_hours == 0.0 || people == 0.0 {
        return 0.0;
    }
    let steps = s.funnel.len();
    let meetings = f.meetings[role] / people;
    let (travel, trips) = travel_hours(s, role, meetings);
    let meeting_hours: f64 = s
        .funnel
        .iter()
        .enumerate()
        .filter(|(_, st)| st.kind == StepKind::Meeting)
        .map(|(i, _)| f.hours[role][i])
        .sum::<f64>()
        / people;
    let away = meeting_hours + travel;
    let desk: f64 = f.hours[role]
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != steps + TRAVEL && *i != steps + SWITCHING)
        .map(|(_, h)| h)
        .sum::<f64>()
        / people
        - meeting_hours;
    let at_desk = (1.0 - away).max(1e-9);
    let interrupts = f.interrupts[role] / people;
    let other_desk = desk - f.interrupting_hours[role] / people;
    let mut switching = 0.0;
    for _ in 0..200 {
        let busy_other = ((other_desk + switching) / at_desk).min(1.0);
        let busy = ((desk + switching) / at_desk).min(1.0);
        switching = r.switch_cost_hours * (interrupts * busy_other + trips * busy);
    }
    switching
}
