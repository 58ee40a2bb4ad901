//! A sign of instability in the run that the open leads can miss: a meeting calendar
//! booked further and further ahead. When sellers cannot hold the meetings asked of
//! them, the queue is not in a work list but in their diaries: each week's bookings
//! are set later than the last week's, and the sales cycle, deals and revenue reported
//! depend on how long the run is.

use super::ScenarioResult;
use super::trend_context::TrendContext;
use super::warnings::Trend;
use crate::model::load::Capacity;
use crate::scenario::{LoadedScenario, Scenario};

/// The calendar load that the suggested setting brings an overbooked calendar down to:
/// enough slack that a week of extra requests is absorbed within days.
const SOUND_LOAD: f64 = 0.85;

/// For every role whose booking horizon (the mean number of working days between
/// booking a meeting and its start, over all trials' bookings of each measured week)
/// grows over the measured weeks, a warning naming the role, the trend and what to
/// change. The trend test is that of the open leads (`warnings::instability_warning`):
/// a least-squares slope more than four standard errors (widened for the week-to-week
/// correlation) above zero, and a rise over the window of more than a working day and
/// more than a fifth of the mean horizon. A role with a week without bookings is
/// passed over: too few meetings to read a trend from.
pub fn booking_horizon_warnings(loaded: &LoadedScenario, result: &ScenarioResult) -> Vec<String> {
    booking_horizon_warnings_in(&TrendContext::of(&loaded.scenario), result)
}

/// [`booking_horizon_warnings`] from what a shard part records of the scenario.
pub fn booking_horizon_warnings_in(ctx: &TrendContext, result: &ScenarioResult) -> Vec<String> {
    let first = ctx.first_week as usize;
    let last = ctx.last_week as usize;
    result
        .weekly_bookings
        .iter()
        .enumerate()
        .filter_map(|(role, weeks)| {
            let window = weeks.get(first..last.min(weeks.len()))?;
            if window.iter().any(|b| b.count == 0) {
                return None;
            }
            let days: Vec<f64> = window
                .iter()
                .map(|b| b.mean_ahead_hours() / ctx.hours_per_day)
                .collect();
            let trend = Trend::fit(&days)?;
            let growth = trend.slope * (days.len() - 1) as f64;
            if trend.t < 4.0 || growth <= 1.0 || growth <= 0.2 * trend.mean {
                return None;
            }
            let role = ctx.roles.get(role)?;
            Some(format!(
                "the meeting calendar of role `{}` is booked further ahead every week: meetings booked in week {} were set {:.1} working days ahead, by week {} {:.1} days (about {:.2} days more each week, far beyond the week-to-week noise). The sellers cannot hold all the meetings asked of them, so customers wait longer and longer for a meeting and the sales cycle, deals and revenue reported depend on how long the run is, not on the design; {}",
                role.name,
                first + 1,
                trend.start,
                last,
                trend.start + growth,
                trend.slope,
                role.calendar_advice,
            ))
        })
        .collect()
}

/// The setting that would bring the calendar of `role` down to `SOUND_LOAD`, from the
/// capacity check's meetings requested per day.
pub(super) fn what_to_change(s: &Scenario, c: &Capacity, role: usize) -> String {
    let name = &s.roles[role].name;
    let Some(cal) = c.calendars.iter().find(|cal| cal.role == role) else {
        return format!("add headcount to `{name}` or take meetings off its calendar");
    };
    let per_person = cal.total_per_day();
    let people = per_person * f64::from(s.roles[role].headcount);
    format!(
        "{:.2} meetings a day per person are booked against max_meetings_per_day = {} (calendar load {:.2}): raise max_meetings_per_day to at least {} or the headcount of `{name}` to at least {} (calendar load under {SOUND_LOAD}), and check that travel leaves room for the meetings allowed",
        per_person,
        cal.max_meetings_per_day,
        cal.load,
        (per_person / SOUND_LOAD).floor() as u64 + 1,
        (people / (SOUND_LOAD * f64::from(cal.max_meetings_per_day))).floor() as u64 + 1,
    )
}
