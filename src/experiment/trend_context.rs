//! What the warnings read from a run's weekly series (a pipeline not settled, a meeting
//! calendar booked further ahead, a pull pool losing leads) need to know of the
//! scenario, and the series themselves as a shard part records them, so that `merge`
//! gives those warnings from the parts alone, as the unsharded run gives them.

use serde::{Deserialize, Serialize};

use super::ScenarioResult;
use crate::model::load::capacity;
use crate::model::metrics::Bookings;
use crate::scenario::{Release, Scenario};

/// The scenario's side of the trend warnings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrendContext {
    /// The first whole week of the measured window (0-based).
    pub first_week: u64,
    /// One past the last whole week of the measured window.
    pub last_week: u64,
    pub hours_per_day: f64,
    /// The length of the measured window in weeks.
    pub measured_weeks: f64,
    /// Each role's name and offered load, in role order.
    pub roles: Vec<TrendRole>,
    /// The pull sources: the role that pulls and its `queue_target`.
    pub pull_sources: Vec<PullSource>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrendRole {
    pub name: String,
    pub load: f64,
    /// What would bring the role's meeting calendar down to a sound load.
    pub calendar_advice: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullSource {
    pub role: String,
    pub queue_target: u32,
}

impl TrendContext {
    pub fn of(s: &Scenario) -> TrendContext {
        let per_week = s.calendar.hours_per_week();
        let c = capacity(s);
        TrendContext {
            first_week: (s.warmup_hours / per_week).ceil() as u64,
            last_week: (s.horizon_hours / per_week).floor() as u64,
            hours_per_day: s.calendar.hours_per_day,
            measured_weeks: s.measured_weeks(),
            roles: (0..s.roles.len())
                .map(|r| TrendRole {
                    name: s.roles[r].name.clone(),
                    load: c.roles[r].load,
                    calendar_advice: super::booking_horizon::what_to_change(s, &c, r),
                })
                .collect(),
            pull_sources: s
                .lead_sources
                .iter()
                .filter(|src| src.release == Release::Pull)
                .map(|src| PullSource {
                    role: s.roles[src.to_role].name.clone(),
                    queue_target: src.queue_target,
                })
                .collect(),
        }
    }
}

/// What a run part records of one scenario for the trend warnings: the context and the
/// weekly series summed over the part's trials.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartTrends {
    pub context: TrendContext,
    /// Open leads at the start of each week, summed over the part's trials (whole
    /// numbers, so the parts' sums add up to the unsharded run's exactly).
    pub weekly_open_leads: Vec<f64>,
    /// Meetings held each week, summed over the part's trials (whole numbers too).
    pub weekly_meetings: Vec<f64>,
    /// Per role and week: meetings booked, and their hours ahead summed.
    pub weekly_bookings: Vec<Vec<(u64, f64)>>,
}

impl PartTrends {
    /// The record of `result`, whose weekly series of open leads and meetings are
    /// across-trial means: times the trials, rounded back to the whole sums they were.
    pub fn of(s: &Scenario, result: &ScenarioResult) -> PartTrends {
        let n = result.trials.len() as f64;
        let sums = |xs: &[f64]| xs.iter().map(|x| (x * n).round()).collect();
        PartTrends {
            context: TrendContext::of(s),
            weekly_open_leads: sums(&result.weekly_open_leads),
            weekly_meetings: sums(&result.weekly_meetings),
            weekly_bookings: result
                .weekly_bookings
                .iter()
                .map(|weeks| weeks.iter().map(|b| (b.count, b.ahead_hours)).collect())
                .collect(),
        }
    }

    /// Adds this part's series into `result` (whose open leads and meetings are sums
    /// until [`finish_means`]).
    pub fn add_to(&self, result: &mut ScenarioResult) {
        add(&mut result.weekly_open_leads, &self.weekly_open_leads);
        add(&mut result.weekly_meetings, &self.weekly_meetings);
        let roles = &mut result.weekly_bookings;
        if roles.len() < self.weekly_bookings.len() {
            roles.resize(self.weekly_bookings.len(), Vec::new());
        }
        for (total, weeks) in roles.iter_mut().zip(&self.weekly_bookings) {
            if total.len() < weeks.len() {
                total.resize(weeks.len(), Bookings::default());
            }
            for (t, &(count, ahead_hours)) in total.iter_mut().zip(weeks) {
                t.add(Bookings { count, ahead_hours });
            }
        }
    }
}

fn add(total: &mut Vec<f64>, part: &[f64]) {
    if total.len() < part.len() {
        total.resize(part.len(), 0.0);
    }
    for (t, x) in total.iter_mut().zip(part) {
        *t += x;
    }
}

/// Turns the summed weekly series of open leads and meetings into across-trial means.
pub fn finish_means(result: &mut ScenarioResult) {
    let n = result.trials.len().max(1) as f64;
    result.weekly_open_leads.iter_mut().for_each(|v| *v /= n);
    result.weekly_meetings.iter_mut().for_each(|v| *v /= n);
}
