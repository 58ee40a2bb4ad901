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

mod flows;
mod limits;
mod time_away;

use crate::scenario::{RoleId, Scenario, SourceKind};
use flows::flows;

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
