//! The walk of a scenario's demand through its funnel, service and admin: the work
//! hours and tasks an hour each source brings to each role, before any limit.

use super::limits::{calendars, pools};
use super::time_away::{switching_hours, travel_hours};
use super::{
    ADMIN, BOOKING, Capacity, ESCALATIONS, EXTRA_SOURCES, HANDOFFS, RoleLoad, SERVICE, SWITCHING,
    TRAVEL,
};
use crate::scenario::{Booking, RoleId, Routing, Scenario, SourceKind, StepKind, Variant};

/// The work of every source when prospectors spend `x[j]` hours per person-hour on
/// prospecting source `budgets[j]`. Loads are left at 0 (see `capacity`).
pub(super) fn flows(s: &Scenario, budgets: &[(usize, RoleId, f64)], x: &[f64]) -> Capacity {
    let by_source = source_rates(s, budgets, x);
    let leads: f64 = by_source.iter().sum();
    let mut f = Flows::new(s);
    let wins = f.funnel(s, leads);
    f.service_and_admin(s, &wins);
    let steps = s.funnel.len();
    for r in 0..s.roles.len() {
        let n = f64::from(s.roles[r].headcount);
        f.hours[r][steps + TRAVEL] = n * travel_hours(s, r, f.meetings[r] / n.max(1.0)).0;
        f.hours[r][steps + SWITCHING] = n * switching_hours(s, r, &f);
    }
    let mut sources: Vec<String> = s.funnel.iter().map(|st| st.name.clone()).collect();
    sources.extend(EXTRA_SOURCES.iter().map(|e| e.to_string()));
    Capacity {
        sources,
        calendars: calendars(s, &f),
        pools: pools(s, &by_source),
        roles: f
            .hours
            .into_iter()
            .zip(f.tasks)
            .map(|(hours, tasks_per_hour)| RoleLoad {
                hours,
                tasks_per_hour,
                load: 0.0,
            })
            .collect(),
        leads_per_hour: leads,
        prospected_leads_per_hour: budgets.iter().map(|b| by_source[b.0]).sum(),
    }
}

/// Leads per hour from each lead source.
fn source_rates(s: &Scenario, budgets: &[(usize, RoleId, f64)], x: &[f64]) -> Vec<f64> {
    s.lead_sources
        .iter()
        .enumerate()
        .map(|(i, src)| match &src.kind {
            SourceKind::Inbound {
                rate_per_hour,
                seasonality,
            } => {
                let mean_factor = if seasonality.is_empty() {
                    1.0
                } else {
                    seasonality.iter().sum::<f64>() / seasonality.len() as f64
                };
                rate_per_hour * mean_factor
            }
            SourceKind::Prospecting {
                role,
                leads_per_hour,
                ..
            } => {
                let j = budgets.iter().position(|b| b.0 == i).expect("budget");
                f64::from(s.roles[*role].headcount) * x[j] * leads_per_hour
            }
        })
        .collect()
}

/// Work rates gathered while walking the scenario, per role.
pub(super) struct Flows {
    pub(super) hours: Vec<Vec<f64>>,
    pub(super) tasks: Vec<f64>,
    pub(super) interrupts: Vec<f64>,
    pub(super) interrupting_hours: Vec<f64>,
    pub(super) meetings: Vec<f64>,
    pub(super) bookings: Vec<Vec<(usize, f64)>>,
}

impl Flows {
    fn new(s: &Scenario) -> Flows {
        let roles = s.roles.len();
        Flows {
            hours: vec![vec![0.0; s.funnel.len() + EXTRA_SOURCES.len()]; roles],
            tasks: vec![0.0; roles],
            interrupts: vec![0.0; roles],
            interrupting_hours: vec![0.0; roles],
            meetings: vec![0.0; roles],
            bookings: vec![Vec::new(); roles],
        }
    }

    /// Walks `leads` an hour through the funnel, each segment's share of them with its
    /// roles, durations and advances; returns the wins an hour by the role that did
    /// the last step.
    fn funnel(&mut self, s: &Scenario, leads: f64) -> Vec<(RoleId, f64)> {
        if s.segments.is_empty() {
            return self.funnel_of(s, leads, None);
        }
        (0..s.segments.list.len())
            .flat_map(|g| self.funnel_of(s, leads * s.segments.list[g].share, Some(g)))
            .collect()
    }

    /// The funnel walk of `leads` an hour of `segment` (all leads when `None`).
    fn funnel_of(
        &mut self,
        s: &Scenario,
        leads: f64,
        segment: Option<usize>,
    ) -> Vec<(RoleId, f64)> {
        let steps = s.funnel.len();
        let mut reach = leads;
        let mut previous: Vec<(RoleId, f64)> = Vec::new();
        for (i, step) in s.funnel.iter().enumerate() {
            let mut repetitions = step.count.as_ref().map_or(1.0, |c| c.mean().max(1.0));
            // Contact attempts: each is desk work; only a reached lead gets the step's
            // work, and only a reached lead walks on.
            let (reached, attempt_hours) = match step.attempts {
                Some(a) => {
                    repetitions = a.mean_attempts();
                    (a.reached_probability(), a.hours)
                }
                None => (1.0, 0.0),
            };
            let variants = segment_variants(s, segment, i);
            for v in &variants {
                let rate = reach * repetitions * v.share;
                let changes = handoffs_per_lead(s, &previous, v, repetitions);
                let hours = reach * v.share * changes * s.handoff.time_hours;
                self.add(s, v.role, steps + HANDOFFS, None, hours, 0.0);
                match (step.kind, step.attempts) {
                    (StepKind::Task, None) => {
                        self.add(s, v.role, i, Some(i), rate * v.duration.mean(), rate)
                    }
                    (StepKind::Task, Some(_)) => {
                        let work = reach * v.share * reached * v.duration.mean();
                        self.add(s, v.role, i, Some(i), rate * attempt_hours + work, rate)
                    }
                    (StepKind::Meeting, _) => self.meeting(s, i, v, rate),
                }
            }
            previous = variants.iter().map(|v| (v.role, v.share)).collect();
            reach *= reached * step.advance * s.segments.advance_scale(segment, i);
        }
        previous
            .iter()
            .map(|&(r, share)| (r, reach * share))
            .collect()
    }

    /// `rate` meetings an hour of step `i`'s variant `v`: the meeting itself, its
    /// bookings (a rescheduled meeting is booked again: 1/(1-p) bookings a meeting),
    /// and the notes after it.
    fn meeting(&mut self, s: &Scenario, i: usize, v: &Variant, rate: f64) {
        let steps = s.funnel.len();
        let role = &s.roles[v.role];
        self.hours[v.role][i] += rate * v.duration.mean();
        self.tasks[v.role] += rate;
        self.meetings[v.role] += rate;
        let bookings = rate / (1.0 - s.funnel[i].reschedule_probability);
        match self.bookings[v.role].iter_mut().find(|b| b.0 == i) {
            // Segments walk a step once each: one line per step in the warning.
            Some(b) if !s.segments.is_empty() => b.1 += bookings,
            _ => self.bookings[v.role].push((i, bookings)),
        }
        let booker = match role.booking {
            Booking::SelfBooked => v.role,
            Booking::Coordinator => role.booking_role,
        };
        let hours = bookings * role.booking_hours.mean();
        let kind = Some(s.kind_booking());
        self.add(s, booker, steps + BOOKING, kind, hours, bookings);
        let admin = s.admin.role.unwrap_or(v.role);
        let hours = rate * s.admin.per_meeting_hours;
        self.add(s, admin, steps + ADMIN, Some(s.kind_admin()), hours, 0.0);
    }

    /// Service and escalations; order entry after a win (by the admin role, or by
    /// whoever did the last step); recurring admin.
    fn service_and_admin(&mut self, s: &Scenario, wins: &[(RoleId, f64)]) {
        let steps = s.funnel.len();
        let (service_kind, admin_kind) = (Some(s.kind_service()), Some(s.kind_admin()));
        for &(r, rate) in wins {
            let admin = s.admin.role.unwrap_or(r);
            let hours = rate * s.admin.per_win_hours;
            self.add(s, admin, steps + ADMIN, admin_kind, hours, 0.0);
        }
        if let Some(service) = &s.service {
            for v in &service.variants {
                let rate = service.rate_per_hour * v.share;
                let hours = rate * v.duration.mean();
                self.add(s, v.role, steps + SERVICE, service_kind, hours, rate);
            }
            if let Some(e) = &service.escalation {
                let rate = service.rate_per_hour * e.probability;
                let hours = rate * e.duration.mean();
                self.add(s, e.role, steps + ESCALATIONS, service_kind, hours, rate);
            }
        }
        let hours_per_week = s.calendar.hours_per_week();
        for (r, role) in s.roles.iter().enumerate() {
            let mut weekly = role.admin_hours_per_week;
            if s.admin.role == Some(r) {
                weekly += s.admin.weekly_hours_per_person;
            }
            let hours = f64::from(role.headcount) * weekly / hours_per_week;
            self.add(s, r, steps + ADMIN, admin_kind, hours, 0.0);
        }
    }

    /// Desk work of `kind` (for interruptions) to `role` under `source`.
    fn add(
        &mut self,
        s: &Scenario,
        role: RoleId,
        source: usize,
        kind: Option<usize>,
        hours: f64,
        tasks: f64,
    ) {
        if hours == 0.0 && tasks == 0.0 {
            return;
        }
        self.hours[role][source] += hours;
        self.tasks[role] += tasks;
        if let Some(k) = kind
            && s.roles[role].interrupted_by[k]
        {
            self.interrupts[role] += tasks;
            self.interrupting_hours[role] += hours;
        }
    }
}

/// The variants of step `i` as `segment` sees them: its role in place of the step's,
/// its durations scaled (the step's own without a segment; identical values then).
fn segment_variants(s: &Scenario, segment: Option<usize>, i: usize) -> Vec<Variant> {
    let variants = &s.funnel[i].variants;
    let Some(g) = segment else {
        return variants.clone();
    };
    let scale = s.segments.duration_scale(Some(g), i);
    let role = s.segments.role_for(Some(g), i);
    variants
        .iter()
        .map(|v| Variant {
            role: role.unwrap_or(v.role),
            duration: v.duration.clone().scaled(scale),
            ..v.clone()
        })
        .collect()
}

/// Expected changes of person per lead at variant `v` of a step repeated
/// `repetitions` times, after a step done by the roles `previous` (with their shares):
/// a change always to another role; within a role never to the owner, and (n-1)/n of
/// the time from a pool (repetitions of a pooled step change hands too). The first
/// step has no one before it. An upper bound: a lead back with someone who worked on
/// it before is no handoff, and a pool is per office for a role with people per office.
fn handoffs_per_lead(
    s: &Scenario,
    previous: &[(RoleId, f64)],
    v: &Variant,
    repetitions: f64,
) -> f64 {
    let n = f64::from(s.roles[v.role].headcount);
    let pooled = if v.routing == Routing::Pool {
        (n - 1.0).max(0.0) / n.max(1.0)
    } else {
        0.0
    };
    previous
        .iter()
        .map(|&(r, share)| share * if r == v.role { pooled } else { 1.0 })
        .sum::<f64>()
        + (repetitions - 1.0) * pooled
}
