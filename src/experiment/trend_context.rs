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
    /// Of every period of `s` (a `[[changes]]` timeline included): each role's load and
    /// advice from the period where its load is highest, and every source that pulls in
    /// some period, so a warning read from the whole run's series names the worst case.
    pub fn of(s: &Scenario) -> TrendContext {
        let per_week = s.calendar.hours_per_week();
        let periods: Vec<&Scenario> = std::iter::once(s)
            .chain(s.timeline.iter().map(|p| &p.scenario))
            .collect();
        let capacities: Vec<_> = periods.iter().map(|p| capacity(p)).collect();
        let roles = (0..s.roles.len())
            .map(|r| {
                let mut worst = 0;
                for (k, c) in capacities.iter().enumerate() {
                    if c.roles[r].load > capacities[worst].roles[r].load {
                        worst = k;
                    }
                }
                let c = &capacities[worst];
                TrendRole {
                    name: s.roles[r].name.clone(),
                    load: c.roles[r].load,
                    calendar_advice: super::booking_horizon::what_to_change(periods[worst], c, r),
                }
            })
            .collect();
        let pull_sources = (0..s.lead_sources.len())
            .filter_map(|i| {
                let p = periods
                    .iter()
                    .find(|p| p.lead_sources[i].release == Release::Pull)?;
                let src = &p.lead_sources[i];
                Some(PullSource {
                    role: s.roles[src.to_role].name.clone(),
                    queue_target: src.queue_target,
                })
            })
            .collect();
        TrendContext {
            first_week: (s.warmup_hours / per_week).ceil() as u64,
            last_week: (s.horizon_hours / per_week).floor() as u64,
            hours_per_day: s.calendar.hours_per_day,
            measured_weeks: s.measured_weeks(),
            roles,
            pull_sources,
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

#[cfg(test)]
mod tests {
    use super::TrendContext;
    use crate::scenario::load_str;

    /// Two engineers at load 0.7, cut to one (load 1.4) from week 26, and a push source
    /// that pulls from week 30: the warnings read from the run's series must name the
    /// worst period's load and know the source pulls.
    #[test]
    fn the_context_takes_the_worst_period() {
        let text = |changes: &str| {
            format!(
                r#"
horizon_weeks = 52
warmup_weeks = 4
[[lead_sources]]
kind = "inbound"
rate_per_week = 56.0
[roles.engineering]
headcount = 2
[[funnel]]
name = "quote"
role = "engineering"
routing = "pool"
duration = {{ dist = "exponential", mean = 1.0 }}
advance = 0.0
{changes}
"#
            )
        };
        let plain = load_str(&text(""), "e.toml", "e", &[]).unwrap().scenario;
        let base = TrendContext::of(&plain);
        assert!((base.roles[0].load - 0.7).abs() < 1e-9, "{base:?}");
        assert!(base.pull_sources.is_empty());
        let changed = text(concat!(
            "[[changes]]\nat_week = 26\nset = { \"roles.engineering.headcount\" = 1 }\n",
            "[[changes]]\nat_week = 30\nset = { \"lead_sources.0.release\" = \"pull\", ",
            "\"lead_sources.0.queue_target\" = 3 }\n"
        ));
        let changed = load_str(&changed, "e.toml", "e", &[]).unwrap().scenario;
        let worst = TrendContext::of(&changed);
        assert!((worst.roles[0].load - 1.4).abs() < 1e-9, "{worst:?}");
        assert_eq!(worst.pull_sources.len(), 1, "{worst:?}");
        assert_eq!(worst.pull_sources[0].queue_target, 3);
        // Everything else is the first period's.
        assert_eq!(worst.first_week, base.first_week);
        assert_eq!(worst.last_week, base.last_week);
    }
}
