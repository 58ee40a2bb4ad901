//! The two limits that are not hours: a role's meeting calendar
//! (`max_meetings_per_day`) and a pull pool's morning release (`queue_target`).

use super::flows::Flows;
use super::{CalendarLoad, PoolLoad};
use crate::scenario::{Release, Scenario, SourceKind};

/// Meeting slots wanted against `max_meetings_per_day`, per role that holds meetings.
pub(super) fn calendars(s: &Scenario, f: &Flows) -> Vec<CalendarLoad> {
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
pub(super) fn pools(s: &Scenario, by_source: &[f64]) -> Vec<PoolLoad> {
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
