//! Offered load: the hours of work per hour that a scenario's demand brings to each
//! role, divided by its headcount, from every source of work (the funnel's steps and
//! variants for inbound, prospected and pulled leads, meetings and their travel,
//! booking, handoffs, service and escalations, admin, switching); and the two limits
//! that are not hours: a role's meeting calendar (`max_meetings_per_day`) and a pull
//! pool's release (`queue_target`). At or above 1 a role, calendar or pool cannot keep
//! up, whatever the policies; reports warn about it.
//!
//! Everything here is an expectation computed before the run. Where the simulation
//! depends on what happens in it (advance decaying with waits, leads going cold,
//! the handoff win loss), the estimate takes the bound that gives more work: every
//! lead walks on with its written `advance`. So a load here is an upper bound of the
//! load the run sees, except for travel between clustered meetings and switching,
//! which are best estimates (see `travel_hours` and `switching_hours`).

use crate::scenario::{Booking, Release, RoleId, Routing, Scenario, SourceKind, StepKind, Variant};

/// Offered load per role (work hours demanded per person-hour available).
pub fn offered_load(s: &Scenario) -> Vec<f64> {
    capacity(s).roles.iter().map(|r| r.load).collect()
}

/// The demand a scenario brings to its roles, calendars and pull pools, before the run.
#[derive(Debug, Clone)]
pub struct Capacity {
    /// The sources of work, by which `RoleLoad::hours` is split: the funnel steps by
    /// name, then the names in `EXTRA_SOURCES`.
    pub sources: Vec<String>,
    pub roles: Vec<RoleLoad>,
    /// The meeting calendar of each role that holds meetings.
    pub calendars: Vec<CalendarLoad>,
    /// The pull pool of each role that pulls leads.
    pub pools: Vec<PoolLoad>,
    /// Leads entering the funnel per hour, inbound and prospected.
    pub leads_per_hour: f64,
    /// The prospected part of `leads_per_hour`.
    pub prospected_leads_per_hour: f64,
}

/// The sources of work besides the funnel steps, in `Capacity::sources` order.
pub const EXTRA_SOURCES: [&str; 7] = [
    "travel",
    "booking",
    "handoffs",
    "service",
    "escalations",
    "admin",
    "switching",
];
const TRAVEL: usize = 0;
const BOOKING: usize = 1;
const HANDOFFS: usize = 2;
const SERVICE: usize = 3;
const ESCALATIONS: usize = 4;
const ADMIN: usize = 5;
const SWITCHING: usize = 6;

#[derive(Debug, Clone)]
pub struct RoleLoad {
    /// Work hours per hour brought to the whole role, by `Capacity::sources`.
    pub hours: Vec<f64>,
    /// Tasks and meetings per hour brought to the whole role (for the mean task length).
    pub tasks_per_hour: f64,
    /// Work hours per person-hour: `hours` summed over headcount. For a role that
    /// prospects for its own funnel, without the work of the leads it finds itself:
    /// that work only fills idle time, so it cannot make the role unstable.
    pub load: f64,
}

impl RoleLoad {
    pub fn total_hours(&self) -> f64 {
        self.hours.iter().sum()
    }

    /// The mean length of the role's tasks in hours (0 without tasks).
    pub fn mean_task_hours(&self) -> f64 {
        if self.tasks_per_hour > 0.0 {
            self.total_hours() / self.tasks_per_hour
        } else {
            0.0
        }
    }
}

/// Meeting slots asked for against those a role's calendar has.
#[derive(Debug, Clone)]
pub struct CalendarLoad {
    pub role: RoleId,
    /// Bookings per person per working day, by funnel step (reschedules included: a
    /// cancelled meeting's slot is lost on its day, and the meeting is booked again).
    pub bookings_per_day: Vec<(usize, f64)>,
    pub max_meetings_per_day: u32,
    /// Bookings per person per day over `max_meetings_per_day`.
    pub load: f64,
}

impl CalendarLoad {
    pub fn total_per_day(&self) -> f64 {
        self.bookings_per_day.iter().map(|(_, b)| b).sum()
    }
}

/// Leads arriving in a pull pool against those the morning top-up can release.
#[derive(Debug, Clone)]
pub struct PoolLoad {
    pub role: RoleId,
    /// Leads arriving in the pool per person of the role per working day.
    pub leads_per_day: f64,
    pub queue_target: u32,
    /// How long a pulled lead counts against its puller, in working days, at least one:
    /// a slot freed during the day is filled the next morning.
    pub hold_days: f64,
    /// Arrivals over the top-ups' capacity, `queue_target / hold_days` per person a day.
    pub load: f64,
}

/// Offered loads of every role, calendar and pull pool.
///
/// Prospected leads: a prospecting role spends up to `max_hours_per_week` per person on
/// prospecting, but only in idle time. The upper bound (every prospector spends his
/// whole budget) is right for a role with nothing else to do, such as a promotions
/// team, but for sellers who prospect between their own tasks it counts leads they
/// are too busy to find, and would flag a self-regulating design. So the rate is the
/// fixed point of "prospecting hours per person = min(budget, 1 - load without
/// prospecting)", where the load includes the work of the leads found; the load is
/// increasing in the prospecting hours, so the fixed point is unique and found by
/// bisection (one role at a time, repeated until it settles).
pub fn capacity(s: &Scenario) -> Capacity {
    let budgets: Vec<(usize, RoleId, f64)> = s
        .lead_sources
        .iter()
        .enumerate()
        .filter_map(|(i, src)| match src.kind {
            SourceKind::Prospecting {
                role,
                max_hours_per_week,
                ..
            } => Some((i, role, max_hours_per_week / s.calendar.hours_per_week())),
            SourceKind::Inbound { .. } => None,
        })
        .collect();
    let mut x: Vec<f64> = budgets.iter().map(|b| b.2).collect();
    for _ in 0..if budgets.len() > 1 { 20 } else { 1 } {
        for j in 0..budgets.len() {
            let (_, role, budget) = budgets[j];
            let idle_short = |xj: f64, x: &mut Vec<f64>| {
                x[j] = xj;
                let c = flows(s, &budgets, x);
                let load = per_person(c.roles[role].total_hours(), s.roles[role].headcount);
                xj - budget.min((1.0 - load).max(0.0))
            };
            let (mut lo, mut hi) = (0.0, budget);
            if idle_short(hi, &mut x) <= 0.0 {
                x[j] = hi;
                continue;
            }
            for _ in 0..50 {
                let mid = 0.5 * (lo + hi);
                if idle_short(mid, &mut x) > 0.0 {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            x[j] = lo;
        }
    }
    let mut c = flows(s, &budgets, &x);
    for r in 0..s.roles.len() {
        c.roles[r].load = per_person(c.roles[r].total_hours(), s.roles[r].headcount);
    }
    // A role that prospects for its own funnel is judged on the work it cannot refuse.
    for (j, &(source, role, _)) in budgets.iter().enumerate() {
        if s.lead_sources[source].to_role == role && x[j] > 0.0 {
            let mut without = x.clone();
            without[j] = 0.0;
            let w = flows(s, &budgets, &without);
            c.roles[role].load = per_person(w.roles[role].total_hours(), s.roles[role].headcount);
        }
    }
    c
}

fn per_person(hours: f64, headcount: u32) -> f64 {
    if headcount == 0 {
        if hours > 0.0 { f64::INFINITY } else { 0.0 }
    } else {
        hours / f64::from(headcount)
    }
}

/// The work of every source when prospectors spend `x[j]` hours per person-hour on
/// prospecting source `budgets[j]`. Loads are left at 0 (see `capacity`).
fn flows(s: &Scenario, budgets: &[(usize, RoleId, f64)], x: &[f64]) -> Capacity {
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
struct Flows {
    hours: Vec<Vec<f64>>,
    tasks: Vec<f64>,
    interrupts: Vec<f64>,
    interrupting_hours: Vec<f64>,
    meetings: Vec<f64>,
    bookings: Vec<Vec<(usize, f64)>>,
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

/// Travel hours per person-hour, and trips (departures) per person-hour, for `role`
/// holding `meetings` meetings per person-hour. A self-booked meeting is a round trip.
/// A coordinator chains a day's meetings, the legs between them shortened by
/// `clustering`: with at most one chain a day, a day of k meetings travels
/// 2t(c + k(1 - c)), so the travel is 2t((1 - c)m + c d) for d days with meetings,
/// d = min(m, days). Days with no chain of all their meetings travel more; at the loads
/// that matter nearly every day has meetings and this is close (and on the shipped
/// specialized design within 10% of the simulated travel).
fn travel_hours(s: &Scenario, role: RoleId, meetings: f64) -> (f64, f64) {
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
fn switching_hours(s: &Scenario, role: RoleId, f: &Flows) -> f64 {
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

/// Meeting slots wanted against `max_meetings_per_day`, per role that holds meetings.
fn calendars(s: &Scenario, f: &Flows) -> Vec<CalendarLoad> {
    let per_day = s.calendar.hours_per_day;
    (0..s.roles.len())
        .filter(|&r| !f.bookings[r].is_empty())
        .map(|r| {
            let people = f64::from(s.roles[r].headcount).max(1.0);
            let max = s.roles[r].max_meetings_per_day;
            let bookings_per_day: Vec<(usize, f64)> = f.bookings[r]
                .iter()
                .map(|&(i, b)| (i, b * per_day / people))
                .collect();
            let total: f64 = bookings_per_day.iter().map(|(_, b)| b).sum();
            CalendarLoad {
                role: r,
                bookings_per_day,
                max_meetings_per_day: max,
                load: total / f64::from(max),
            }
        })
        .collect()
}

/// Pull pools: each morning every person of the pulling role is topped up to the queue
/// target, and a pulled lead counts against him until it moves to another role or
/// ends. A slot so cycles at most once a working day, or once per holding time when
/// that is longer; the holding time here counts only the work on the lead (no waiting),
/// so the capacity is an upper bound and the load a lower one.
fn pools(s: &Scenario, by_source: &[f64]) -> Vec<PoolLoad> {
    let per_day = s.calendar.hours_per_day;
    let mut pools = Vec::new();
    for role in 0..s.roles.len() {
        let sources: Vec<usize> = (0..s.lead_sources.len())
            .filter(|&i| {
                s.lead_sources[i].release == Release::Pull && s.lead_sources[i].to_role == role
            })
            .collect();
        if sources.is_empty() {
            continue;
        }
        // A prospector of the pulling role keeps what he finds: it skips the pool.
        let arriving: f64 = sources
            .iter()
            .filter(|&&i| !matches!(s.lead_sources[i].kind, SourceKind::Prospecting { role: r, .. } if r == role))
            .map(|&i| by_source[i])
            .sum();
        let target = sources
            .iter()
            .map(|&i| s.lead_sources[i].queue_target)
            .max()
            .unwrap_or(0);
        let mut held = 1.0;
        let mut hold_hours = 0.0;
        for step in &s.funnel {
            let repetitions = step.count.as_ref().map_or(1.0, |c| c.mean().max(1.0));
            let mut stays = 0.0;
            for v in step.variants.iter().filter(|v| v.role == role) {
                stays += v.share;
                hold_hours += held
                    * v.share
                    * match step.attempts {
                        // Attempts hold the lead over their spacing too (one fewer spacing
                        // than attempts): time the slot cannot be refilled.
                        Some(a) => {
                            let m = a.mean_attempts();
                            m * a.hours
                                + (m - 1.0) * a.spacing_hours
                                + a.reached_probability() * v.duration.mean()
                        }
                        None => repetitions * v.duration.mean(),
                    };
            }
            let reached = step.attempts.map_or(1.0, |a| a.reached_probability());
            held *= stays * reached * step.advance;
        }
        let people = f64::from(s.roles[role].headcount).max(1.0);
        let hold_days = (hold_hours / per_day).max(1.0);
        let leads_per_day = arriving * per_day / people;
        let capacity = f64::from(target) / hold_days;
        pools.push(PoolLoad {
            role,
            leads_per_day,
            queue_target: target,
            hold_days,
            load: if capacity > 0.0 {
                leads_per_day / capacity
            } else {
                f64::INFINITY
            },
        });
    }
    pools
}
