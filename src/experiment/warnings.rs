//! Warnings that go with a result: before the run, roles, meeting calendars and pull
//! pools whose offered load reaches (or nearly reaches) their capacity; after it, a
//! pipeline that grew over the measured weeks, and trials stopped early because their
//! work queue grew without bound, and steps whose lead times leave out so much work
//! still open at the horizon that they read too low.

use super::trend_context::TrendContext;
use super::{ScenarioResult, Summaries};
use crate::model::load::{CalendarLoad, Capacity, PoolLoad, capacity};
use crate::model::metrics::{Metric, catalogue as m};
use crate::scenario::{LoadedScenario, Scenario};

/// From this load on, results rest on a nearly saturated team and say so.
const NEARLY_SATURATED: f64 = 0.95;
/// The load that the suggested headcount brings an overloaded or nearly saturated role
/// down to: at 0.85 an M/M/c desk of a few people settles within weeks and its weekly
/// swings are moderate, so a year's run gives a sound answer.
pub const SOUND_LOAD: f64 = 0.85;

/// Warnings for every role, meeting calendar and pull pool whose offered load is at or
/// above `NEARLY_SATURATED` of its capacity, with what to change. With `[[changes]]`,
/// each period is checked: a warning that holds word for word in every period is given
/// once; any other names the weeks it holds for ("from week 26 (changes[0]): ...").
pub fn overload_warnings(loaded: &LoadedScenario) -> Vec<String> {
    let s = &loaded.scenario;
    if s.timeline.is_empty() {
        return period_warnings(s);
    }
    let mut periods = vec![(
        format!("before week {} (the first change)", s.timeline[0].at_week),
        period_warnings(s),
    )];
    for (k, period) in s.timeline.iter().enumerate() {
        periods.push((
            format!("from week {} (changes[{k}])", period.at_week),
            period_warnings(&period.scenario),
        ));
    }
    let everywhere = |w: &String| periods.iter().all(|(_, ws)| ws.contains(w));
    let mut warnings = Vec::new();
    for (i, (label, ws)) in periods.iter().enumerate() {
        for w in ws {
            if !everywhere(w) {
                warnings.push(format!("{label}: {w}"));
            } else if i == 0 {
                warnings.push(w.clone());
            }
        }
    }
    warnings
}

/// The overload warnings of one scenario (one period of a timeline).
fn period_warnings(s: &Scenario) -> Vec<String> {
    let c = capacity(s);
    let mut warnings: Vec<String> = (0..s.roles.len())
        .filter_map(|r| role_warning(s, &c, r))
        .collect();
    warnings.extend(
        c.calendars
            .iter()
            .filter_map(|cal| calendar_warning(s, cal)),
    );
    warnings.extend(c.pools.iter().filter_map(|p| pool_warning(s, &c, p)));
    warnings.extend(super::office_warnings::office_warnings(s, &c));
    warnings
}

fn role_warning(s: &Scenario, c: &Capacity, r: usize) -> Option<String> {
    let role = &s.roles[r];
    let load = c.roles[r].load;
    if load < NEARLY_SATURATED {
        return None;
    }
    let hours = load * f64::from(role.headcount);
    let work = work_breakdown(s, c, r);
    let sound = sound_headcount(hours).max(f64::from(role.headcount) + 1.0);
    if load >= 1.0 {
        return Some(format!(
            "role `{}` is overloaded: offered load {:.2} of capacity with headcount {}; it would need a headcount of at least {} to be stable{work}. In plain terms, more work reaches `{}` than its people can do: it piles up for as long as the run lasts, so the waits, lead times and deals reported for this design describe how long the run was, not how the team performs; a headcount of {} (load {:.2}) would make the answer sound",
            role.name,
            load,
            role.headcount,
            (hours.floor() as u64) + 1,
            role.name,
            sound,
            hours / sound,
        ));
    }
    let (warmup, horizon) = sound_horizon_weeks(s, c, r, load);
    Some(format!(
        "role `{}` is nearly saturated: offered load {:.2} of capacity with headcount {}{work}. A team this close to full takes a long time to settle and swings widely from week to week, so the waits and lead times reported for it are rough and likely too low; a headcount of {} (load {:.2}) would make them sound, or else run at least horizon_weeks = {horizon} with warmup_weeks = {warmup}",
        role.name,
        load,
        role.headcount,
        sound,
        hours / sound,
    ))
}

/// The smallest headcount that brings `hours` of work per working hour (the offered
/// load times the headcount) to `SOUND_LOAD` or below.
pub fn sound_headcount(hours: f64) -> f64 {
    (hours / SOUND_LOAD).ceil().max(1.0)
}

/// " (work: quote 0.83, escalations 0.31 per person)" when a role has more than one
/// source of work, the largest first; empty otherwise.
fn work_breakdown(s: &Scenario, c: &Capacity, r: usize) -> String {
    let people = f64::from(s.roles[r].headcount.max(1));
    let mut parts: Vec<(&str, f64)> = c
        .sources
        .iter()
        .zip(&c.roles[r].hours)
        .filter(|(_, h)| **h > 0.0)
        .map(|(name, h)| (name.as_str(), h / people))
        .collect();
    if parts.len() < 2 {
        return String::new();
    }
    parts.sort_by(|a, b| b.1.total_cmp(&a.1));
    let listed: Vec<String> = parts
        .iter()
        .filter(|(_, l)| *l >= 0.005)
        .map(|(name, l)| format!("{name} {l:.2}"))
        .collect();
    format!(" (work per person: {})", listed.join(", "))
}

/// A warm-up and horizon in weeks long enough for a role at `load`: a queue near
/// saturation relaxes in about E[S] / (c (1 - sqrt(rho))^2) (the M/M/c relaxation
/// time); three of those of warm-up and twenty measured are a rule of thumb that keeps
/// the start-up bias and the interval width of the mean wait to a few per cent.
fn sound_horizon_weeks(s: &Scenario, c: &Capacity, r: usize, load: f64) -> (u64, u64) {
    let people = f64::from(s.roles[r].headcount).max(1.0);
    let relax_hours = c.roles[r].mean_task_hours() / (people * (1.0 - load.sqrt()).powi(2));
    let relax_weeks = relax_hours / s.calendar.hours_per_week();
    let warmup = (3.0 * relax_weeks).ceil().max(1.0) as u64;
    let horizon = warmup + (20.0 * relax_weeks).ceil().max(1.0) as u64;
    (warmup, horizon)
}

fn calendar_warning(s: &Scenario, cal: &CalendarLoad) -> Option<String> {
    if cal.load < NEARLY_SATURATED {
        return None;
    }
    let role = &s.roles[cal.role];
    let total = cal.total_per_day();
    let steps: Vec<String> = cal
        .bookings_per_day
        .iter()
        .map(|&(i, b)| format!("{} {b:.2}", s.funnel[i].name))
        .collect();
    let state = if cal.load >= 1.0 {
        "is overbooked, so meetings are booked further and further ahead"
    } else {
        "is nearly full, so meetings will often be booked weeks ahead"
    };
    let people = total * f64::from(role.headcount) / f64::from(cal.max_meetings_per_day);
    Some(format!(
        "the meeting calendar of role `{}` {state}: {total:.2} meetings a day per person are booked ({}, reschedules included) against max_meetings_per_day = {} (load {:.2}); raise max_meetings_per_day to at least {} or the headcount of `{}` to at least {}",
        role.name,
        steps.join(", "),
        cal.max_meetings_per_day,
        cal.load,
        (total / NEARLY_SATURATED).floor() as u64 + 1,
        role.name,
        (people / NEARLY_SATURATED).floor() as u64 + 1,
    ))
}

fn pool_warning(s: &Scenario, c: &Capacity, p: &PoolLoad) -> Option<String> {
    if p.load < NEARLY_SATURATED {
        return None;
    }
    let role = &s.roles[p.role];
    let state = if p.load >= 1.0 {
        "cannot release its leads"
    } else {
        "can barely release its leads"
    };
    Some(format!(
        "the pull pool of role `{}` {state}: {:.2} leads a day per person arrive, but with queue_target = {} and a lead held {:.1} days a person takes at most {:.2} a day (load {:.2}); leads wait in the pool and go cold while `{}` is only {:.0}% busy; raise queue_target to at least {}",
        role.name,
        p.leads_per_day,
        p.queue_target,
        p.hold_days,
        f64::from(p.queue_target) / p.hold_days,
        p.load,
        role.name,
        100.0 * c.roles[p.role].load.min(1.0),
        (p.leads_per_day * p.hold_days / NEARLY_SATURATED).floor() as u64 + 1,
    ))
}

/// A sign of instability in the run: open leads (the across-trial weekly mean) rising
/// steadily over the measured weeks. The least-squares slope is tested against its
/// standard error, widened for the week-to-week correlation of the series (lag-1
/// autocorrelation r of the residuals, factor sqrt((1 + r) / (1 - r))); it warns when
/// the slope is more than four of those and the growth over the window is material
/// (more than a fifth of the mean level, and more than one lead).
pub fn instability_warning(loaded: &LoadedScenario, result: &ScenarioResult) -> Option<String> {
    instability_warning_in(&TrendContext::of(&loaded.scenario), result)
}

/// [`instability_warning`] from what a shard part records of the scenario.
pub fn instability_warning_in(ctx: &TrendContext, result: &ScenarioResult) -> Option<String> {
    let first = ctx.first_week as usize;
    let last = (ctx.last_week as usize).min(result.weekly_open_leads.len());
    let series = result.weekly_open_leads.get(first..last)?;
    let trend = Trend::fit(series)?;
    let growth = trend.slope * (series.len() - 1) as f64;
    if trend.t < 4.0 || growth <= 1.0 || growth <= 0.2 * trend.mean {
        return None;
    }
    let busiest = ctx.roles.iter().max_by(|a, b| a.load.total_cmp(&b.load))?;
    Some(format!(
        "the pipeline has not settled: open leads grew from {:.0} to {:.0} over weeks {}-{} (about {:.1} a week, far beyond the week-to-week noise): a queue is not keeping up, or the run is too short for this load to fill up from its empty start, so the results depend on the horizon; the most loaded role is `{}` (offered load {:.2}): add headcount there, or run a longer horizon_weeks with a longer warmup_weeks",
        trend.start,
        trend.start + growth,
        first + 1,
        last,
        trend.slope,
        busiest.name,
        busiest.load,
    ))
}

/// A sign of trouble in the run: a pull pool losing leads while the role that pulls
/// from it sits idle. It warns when more than a twentieth of the leads created went
/// cold and a pulling role was less than `IDLE_PULLER` busy: the morning top-up, not
/// the people, is what holds the leads back.
pub fn pool_loss_warning(loaded: &LoadedScenario, result: &ScenarioResult) -> Option<String> {
    pool_loss_warning_in(&TrendContext::of(&loaded.scenario), result)
}

/// [`pool_loss_warning`] from what a shard part records of the scenario.
pub fn pool_loss_warning_in(ctx: &TrendContext, result: &ScenarioResult) -> Option<String> {
    let mean = |name: &str| {
        let xs = result.column_named(name)?;
        let finite: Vec<f64> = xs.into_iter().filter(|x| x.is_finite()).collect();
        (!finite.is_empty()).then(|| finite.iter().sum::<f64>() / finite.len() as f64)
    };
    let cold = mean("leads_gone_cold_per_week")?;
    let created = mean("leads_created_per_week")?;
    if cold <= 0.05 * created {
        return None;
    }
    ctx.pull_sources.iter().find_map(|src| {
        let role = &src.role;
        let busy = mean(&format!("roles.{role}.utilization"))?;
        (busy < IDLE_PULLER).then(|| {
            format!(
                "the pull pool of role `{role}` is losing leads: {cold:.1} a week ({:.0}% of those created) went cold while `{role}` was only {:.0}% busy; raise queue_target (now {}) so that the morning top-up releases the leads before they go cold",
                100.0 * cold / created,
                100.0 * busy,
                src.queue_target,
            )
        })
    })
}

/// Below this utilization a pulling role is idle enough that cold leads are the pool's doing.
const IDLE_PULLER: f64 = 0.8;

/// A least-squares line through a series, with the slope's t statistic corrected for
/// lag-1 autocorrelation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trend {
    pub slope: f64,
    /// The fitted value at the first point.
    pub start: f64,
    pub mean: f64,
    pub t: f64,
}

impl Trend {
    /// The fit, or `None` for fewer than eight points.
    pub fn fit(y: &[f64]) -> Option<Trend> {
        let n = y.len();
        if n < 8 {
            return None;
        }
        let nf = n as f64;
        let x_mean = (nf - 1.0) / 2.0;
        let mean = y.iter().sum::<f64>() / nf;
        let sxx: f64 = (0..n).map(|i| (i as f64 - x_mean).powi(2)).sum();
        let sxy: f64 = y
            .iter()
            .enumerate()
            .map(|(i, v)| (i as f64 - x_mean) * (v - mean))
            .sum();
        let slope = sxy / sxx;
        let start = mean - slope * x_mean;
        let residuals: Vec<f64> = y
            .iter()
            .enumerate()
            .map(|(i, v)| v - start - slope * i as f64)
            .collect();
        let ss: f64 = residuals.iter().map(|e| e * e).sum();
        let lag: f64 = residuals.windows(2).map(|w| w[0] * w[1]).sum();
        let r = if ss > 0.0 {
            (lag / ss).clamp(0.0, 0.9)
        } else {
            0.0
        };
        let se = (ss / (nf - 2.0) / sxx).sqrt() * ((1.0 + r) / (1.0 - r)).sqrt();
        let t = if se > 0.0 {
            slope / se
        } else if slope > 0.0 {
            f64::INFINITY
        } else {
            0.0
        };
        Some(Trend {
            slope,
            start,
            mean,
            t,
        })
    }
}

/// Everything to warn about a scenario before its trials' results are in: overloaded
/// roles, then its warm-up (once a pilot has run, see `warmup::resolve`).
pub fn scenario_warnings(loaded: &LoadedScenario) -> Vec<String> {
    let mut warnings = overload_warnings(loaded);
    warnings.extend(super::warmup::warnings(&loaded.scenario));
    warnings
}

/// The warning for trials cut short by the runaway guard, if there were any.
pub fn runaway_warning(result: &ScenarioResult) -> Option<String> {
    runaway_warning_of(result.runaway_trials, result.trials.len() as u64)
}

/// The warning for `runaway` of `trials` trials cut short, if there were any.
pub fn runaway_warning_of(runaway: u64, trials: u64) -> Option<String> {
    (runaway > 0).then(|| {
        format!(
            "{runaway} of {trials} trials stopped early: the work queue grew without bound (demand exceeds capacity); their results are not reliable"
        )
    })
}

/// From this relative rise on, counting a step's open items as done at the horizon
/// changes its mean lead time enough to warn.
const OPEN_WORK_RISE: f64 = 0.05;
/// From this share of a step's items (done in the measured weeks, or open at the
/// horizon) left open on, its lead times rest on too few of its items to be read as
/// the step's, whatever the bound says.
const OPEN_WORK_SHARE: f64 = 0.1;

/// For every step whose mean lead time would rise by more than `OPEN_WORK_RISE` with
/// its items still open at the horizon counted as done then (a lower bound of their
/// real lead times), a warning naming the step, the open items and the size. Read from
/// the metric summaries alone, so a merge of shards gives the same warnings.
///
/// The bound can hardly move where it matters most: a queue that grows from an empty
/// start, first come first served, has its open items the latest requested, each open
/// for about as long as the items done took (with arrivals at `l` and service at `m`
/// over `H` hours both average `H (1 - m/l) / 2`), while their real lead times run to
/// `(l/m - 1) t` for an item requested at `t`, far longer. So with `measured_weeks` a
/// step with more than `OPEN_WORK_SHARE` of its items open gets a warning in words
/// whatever the bound.
pub fn open_work_warnings(
    summaries: &Summaries,
    steps: &[&str],
    measured_weeks: Option<f64>,
) -> Vec<String> {
    steps
        .iter()
        .filter_map(|&step| {
            let mean_of = |def| summaries.get(Metric::of(def, step)).map(|s| s.mean);
            let open = mean_of(m::STEP_OPEN)?;
            let reported = mean_of(m::STEP_LEAD_MEAN)?;
            let bound = mean_of(m::STEP_LEAD_WITH_OPEN)?;
            let done = measured_weeks.and_then(|w| mean_of(m::STEP_DONE).map(|d| d * w));
            open_work_warning(step, open, reported, bound)
                .or_else(|| open_share_warning(step, open, done?, reported, bound))
        })
        .collect()
}

/// The warning for a step with `open` items a trial open at the horizon and `done`
/// done in the measured weeks, when the open ones are more than `OPEN_WORK_SHARE`.
fn open_share_warning(
    step: &str,
    open: f64,
    done: f64,
    reported: f64,
    bound: f64,
) -> Option<String> {
    let share = open / (open + done);
    (share > OPEN_WORK_SHARE && !reported.is_nan()).then(|| {
        format!(
            "step `{step}`: {open:.1} items a trial ({:.0}% of its items) are still open at the horizon and left out of its lead times. Counted as done at the horizon they leave the mean lead time at {reported:.1} hours (at least {bound:.1}), but only because they are the latest requested: their real lead times are unknown and, in a queue that is still filling up, far longer, so this step's lead times describe the items that got done and read too low. Run a longer horizon or add capacity",
            100.0 * share
        )
    })
}

fn open_work_warning(step: &str, open: f64, reported: f64, bound: f64) -> Option<String> {
    if open.is_nan() || open <= 0.0 {
        return None;
    }
    if reported.is_nan() {
        return Some(format!(
            "step `{step}`: no item completed in the measured weeks while {open:.1} a trial were still open at the horizon; its lead times are unmeasured. Run a longer horizon or add capacity"
        ));
    }
    let rise = bound / reported - 1.0;
    (rise > OPEN_WORK_RISE).then(|| {
        format!(
            "step `{step}`: {open:.1} items a trial are still open at the horizon and left out of its lead times; counted as done at the horizon they raise the mean lead time from {reported:.1} to at least {bound:.1} hours (+{:.0}%), so its lead times read too low. Run a longer horizon or add capacity",
            100.0 * rise
        )
    })
}
