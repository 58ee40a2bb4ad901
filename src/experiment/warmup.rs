//! The warm-up, found rather than assumed: pilot trials from an empty start, and the
//! MSER rule (White 1997; Hoad, Robinson and Davies 2010 rank it first among warm-up
//! methods) on the across-trial mean of their weekly open-lead series. The pilot's
//! trials are drawn apart from the measured ones (`PILOT_FIRST_TRIAL`).
//!
//! MSER picks the truncation point `d` that minimises the squared standard error of
//! the mean of what is left, `sum((y_j - mean(y[d..]))^2) / (n - d)^2`, searched over
//! the first half of the series. MSER-5 applies it to batch means of five
//! observations, here five weeks, which keeps it from cutting at a passing dip.

use rayon::prelude::*;

use std::sync::atomic::AtomicBool;

use super::Cancelled;
use crate::model::simulate_until;
use crate::scenario::{LoadedScenario, Scenario, Warmup};

/// Pilot trials: enough for a mean series smooth enough that the rule does not cut at
/// noise (with 20, the reference designs' detections ranged from 5 to 25 weeks), and
/// a few percent of a study of 1,000 trials.
pub const PILOT_TRIALS: u64 = 64;

/// How many pilot trials a study of `trials` runs: an `"auto"` warm-up needs the whole
/// pilot whatever the study's size (a smaller one cuts at noise); a written one is only
/// checked, and only in a study of `PILOT_TRIALS` trials or more, so a quick run is not
/// slowed down and is not warned on a noisy pilot. (Write `warmup_weeks` to spare a
/// quick run of a long scenario its pilot.)
pub fn pilot_trials(warmup: Warmup, trials: u64) -> Option<u64> {
    match warmup {
        Warmup::Auto => Some(PILOT_TRIALS),
        Warmup::Fixed => (trials >= PILOT_TRIALS).then_some(PILOT_TRIALS),
    }
}

pub use crate::scenario::WarmupFound as Detected;

/// The trial number of the first pilot trial: the pilot draws its own random streams,
/// never those of a measured trial (no study runs 2^62 trials). A truncation point
/// chosen from the very trials it is then applied to depends on their data: MSER cuts
/// where those trials happen to start high, and their mean comes out low. On the M/M/3
/// desk of tests/coverage.rs (utilisation 0.8, 52 weeks, 100 trials, 300 seeds) a
/// pilot sharing the measured trials left the mean wait 0.39% low and 90.0% of its 95%
/// intervals covering the exact value; an independent pilot, 0.30% and 92.3%. So the
/// warm-up is settled before, and apart from, the trials it is applied to, as in the
/// replication/deletion approach (Law, Simulation Modeling and Analysis, 5th ed.,
/// section 9.5).
pub const PILOT_FIRST_TRIAL: u64 = 1 << 62;

/// Weeks per batch: MSER-5, the batch size of Franklin and White's recommendation.
pub const BATCH_WEEKS: usize = 5;

/// MSER-5 truncation of a weekly `series`: the number of leading weeks to drop (a
/// multiple of `BATCH_WEEKS`), and whether the minimum lay at the end of the searched
/// half, where the series may not have settled at all.
pub fn mser5(series: &[f64]) -> (usize, bool) {
    let batches: Vec<f64> = series
        .chunks_exact(BATCH_WEEKS)
        .map(|c| c.iter().sum::<f64>() / BATCH_WEEKS as f64)
        .collect();
    let (d, at_limit) = mser(&batches);
    (d * BATCH_WEEKS, at_limit)
}

/// How much above the least MSER a truncation may score and still be taken in its
/// place, the earliest such: on a settled series MSER's curve is nearly flat and its
/// minimum lands by chance far out (we saw 110 of 520 weeks on a stationary M/M/1),
/// while a real warm-up raises the early scores far above this.
pub const TOLERANCE: f64 = 0.10;

/// MSER truncation point of `series`: the number of leading values to drop (the
/// earliest whose score is within `TOLERANCE` of the least), and whether the least
/// lay at the end of the searched half.
pub fn mser(series: &[f64]) -> (usize, bool) {
    let n = series.len();
    if n < 4 {
        return (0, false);
    }
    let limit = n / 2;
    let scores: Vec<f64> = (0..=limit)
        .map(|d| {
            let rest = &series[d..];
            let mean = rest.iter().sum::<f64>() / rest.len() as f64;
            let ss: f64 = rest.iter().map(|y| (y - mean) * (y - mean)).sum();
            ss / (rest.len() as f64 * rest.len() as f64)
        })
        .collect();
    let least = scores.iter().copied().fold(f64::INFINITY, f64::min);
    if scores[..limit].iter().all(|&s| s > least) {
        // Still falling at the end of the search: the series has not settled.
        return (limit, true);
    }
    let d = scores
        .iter()
        .position(|&s| s <= least * (1.0 + TOLERANCE))
        .unwrap_or(0);
    (d, false)
}

/// Runs the pilot of `scenario` (trials `PILOT_FIRST_TRIAL` onwards of `seed`, from an
/// empty start) and applies MSER-5 to its weekly open leads; `None` once `cancel` is
/// raised.
///
/// A warm-up found longer than a third of the horizon, or not at all (still falling at
/// the end of the search), is checked on a second, independent pilot of as many
/// trials, and the shorter of the two is taken. On a settled series MSER's curve is
/// nearly flat and its minimiser behaves like that of a random walk (Wang and Glynn
/// 2016, "On the marginal standard error rule and the testing of initial transient
/// deletion methods", ACM TOMACS 27(1)): with only ten five-week batches in 52 weeks
/// it lands far out by chance. On the M/M/3 desk of tests/coverage.rs (utilisation
/// 0.8, 52 weeks, seeds 1-200) one pilot found 20 weeks or more, or no settling at all,
/// for 31 seeds of 200 (the true transient is over in about 5); a slow start pushes
/// every pilot out, so a second opinion keeps it while a chance minimum seldom
/// repeats.
pub fn detect(
    scenario: &Scenario,
    seed: u64,
    pilot_trials: u64,
    cancel: &AtomicBool,
) -> Option<Detected> {
    let first = mser5_of_pilot(scenario, seed, PILOT_FIRST_TRIAL, pilot_trials, cancel)?;
    let horizon_weeks = scenario.horizon_hours / scenario.calendar.hours_per_week();
    let suspicious =
        |(weeks, at_limit): (usize, bool)| at_limit || weeks as f64 > horizon_weeks / 3.0;
    let (weeks, at_limit, trials) = if suspicious(first) {
        let second = mser5_of_pilot(
            scenario,
            seed,
            PILOT_FIRST_TRIAL + pilot_trials,
            pilot_trials,
            cancel,
        )?;
        // The shorter, a settled one before one that never settled.
        let (weeks, at_limit) = if (second.1, second.0) < (first.1, first.0) {
            second
        } else {
            first
        };
        (weeks, at_limit, 2 * pilot_trials)
    } else {
        (first.0, first.1, pilot_trials)
    };
    Some(Detected {
        weeks: weeks as f64,
        at_limit,
        pilot_trials: trials,
    })
}

/// MSER-5 on the across-trial mean of the weekly open leads of `trials` pilot trials
/// numbered from `first_trial`, from an empty start; `None` once `cancel` is raised.
fn mser5_of_pilot(
    scenario: &Scenario,
    seed: u64,
    first_trial: u64,
    trials: u64,
    cancel: &AtomicBool,
) -> Option<(usize, bool)> {
    let mut pilot = scenario.clone();
    pilot.warmup_hours = 0.0;
    let series: Vec<Vec<f64>> = (first_trial..first_trial + trials)
        .into_par_iter()
        .map(|t| simulate_until(&pilot, seed, t, cancel).map(|out| out.weekly_open_leads))
        .collect::<Option<_>>()?;
    // Folded in trial order: the same bits whatever the thread count.
    let weeks = series.iter().map(Vec::len).max().unwrap_or(0);
    let mut mean = vec![0.0; weeks];
    for s in &series {
        for (m, v) in mean.iter_mut().zip(s) {
            *m += v / trials as f64;
        }
    }
    // The last week may be cut by the horizon: leave it out of the search.
    let whole_weeks = (scenario.horizon_hours / scenario.calendar.hours_per_week()).floor();
    mean.truncate(whole_weeks as usize);
    Some(mser5(&mean))
}

/// Runs the pilot of every scenario, records what it found in the scenario, and sets
/// the warm-up of every `"auto"` one. Scenarios run together share one measured
/// window, so every auto warm-up becomes the longest warm-up found or written among
/// them. The pilot uses the same trials whatever the shard, so every shard of a run
/// finds the same warm-up.
pub fn resolve(
    scenarios: &mut [LoadedScenario],
    seed: u64,
    trials: u64,
    cancel: &AtomicBool,
) -> Result<(), Cancelled> {
    let mut found = Vec::new();
    for l in scenarios.iter() {
        let s = &l.scenario;
        found.push(match pilot_trials(s.warmup, trials) {
            Some(n) => Some(detect(s, seed, n, cancel).ok_or(Cancelled)?),
            None => None,
        });
    }
    let longest_hours = scenarios
        .iter()
        .zip(&found)
        .map(|(l, d)| match (l.scenario.warmup, d) {
            (Warmup::Auto, Some(d)) => l.scenario.calendar.weeks_to_hours(d.weeks),
            _ => l.scenario.warmup_hours,
        })
        .fold(0.0, f64::max);
    for (l, d) in scenarios.iter_mut().zip(found) {
        let s = &mut l.scenario;
        if s.warmup == Warmup::Auto {
            s.warmup_hours = longest_hours;
        }
        s.warmup_found = d;
    }
    Ok(())
}

/// For an `"auto"` warm-up that was found: which it is and how it was found.
pub fn chosen(s: &Scenario) -> Option<String> {
    let d = s.warmup_found.filter(|_| s.warmup == Warmup::Auto)?;
    let weeks = s.warmup_hours / s.calendar.hours_per_week();
    let pilots = if d.pilot_trials > PILOT_TRIALS {
        format!("the shorter of two pilots of {PILOT_TRIALS} trials")
    } else {
        format!("{} pilot trials", d.pilot_trials)
    };
    Some(format!(
        "warm-up {weeks} weeks, found by MSER-5 on the weekly open leads of {pilots} from an empty start"
    ))
}

/// What a sales manager should know about the warm-up of `s`: nothing when no pilot
/// ran or all is well.
pub fn warnings(s: &Scenario) -> Vec<String> {
    let Some(d) = s.warmup_found else {
        return Vec::new();
    };
    let per_week = s.calendar.hours_per_week();
    let (warmup, horizon) = (s.warmup_hours / per_week, s.horizon_hours / per_week);
    let mut out = Vec::new();
    if d.at_limit {
        out.push(format!(
            "the open leads were still changing halfway through the {horizon}-week horizon (pilot of {} trials from an empty start): the results describe a team that has not settled; lengthen horizon_weeks (to {} or more) or check that the team can keep up",
            d.pilot_trials,
            (horizon * 2.0).ceil()
        ));
    } else if s.warmup == Warmup::Fixed && warmup <= d.weeks - BATCH_WEEKS as f64 {
        // A whole batch short: the rule finds the warm-up to within one batch.
        out.push(format!(
            "warmup_weeks = {warmup} is shorter than the {} weeks the pipeline takes to fill from an empty start (MSER-5 on {} pilot trials): the early, emptier weeks pull the results toward a quieter team than the steady one; set warmup_weeks = {} or leave it out to have it found",
            d.weeks, d.pilot_trials, d.weeks
        ));
    }
    if !d.at_limit && d.weeks > horizon / 3.0 {
        out.push(format!(
            "the pipeline takes {} weeks to fill from an empty start, more than a third of the {horizon}-week horizon: only {} weeks are measured after it, too few to show how the team does once it runs normally; lengthen horizon_weeks to at least {} (the {} weeks to fill, then three times as long measured) for a sound answer",
            d.weeks,
            horizon - warmup.max(d.weeks),
            (d.weeks * 4.0).ceil(),
            d.weeks,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flat_series_needs_no_warmup() {
        assert_eq!(mser(&[5.0; 40]), (0, false));
        let noisy: Vec<f64> = (0..40).map(|i| 5.0 + ((i * 7) % 3) as f64 - 1.0).collect();
        assert_eq!(mser(&noisy).0, 0);
    }

    #[test]
    fn a_rising_start_is_cut_where_it_levels() {
        // Ten weeks rising from empty to 10, then level with a little noise.
        let mut series: Vec<f64> = (0..10).map(|i| i as f64).collect();
        series.extend((0..50).map(|i| 10.0 + if i % 2 == 0 { 0.3 } else { -0.3 }));
        let (d, at_limit) = mser(&series);
        assert!((8..=11).contains(&d), "cut at {d}");
        assert!(!at_limit);
    }

    #[test]
    fn a_series_that_never_levels_is_flagged() {
        let series: Vec<f64> = (0..40).map(|i| i as f64).collect();
        assert_eq!(mser(&series), (20, true));
    }
}
