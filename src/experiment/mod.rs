//! Experiments: many trials of one or more scenarios in parallel with rayon, and what
//! is built on them: comparisons (`compare`), sweeps (`sweep`, `grid`, `optimize`), the
//! warm-up found from a pilot (`warmup`), warnings, the manifest, and shard part files
//! with their merge (`parts`, `part_checks`, `merge_rows`, `sweep_parts`).
//!
//! Determinism contract: trial `i` draws only from streams derived from (seed, i), and
//! results are gathered in trial order and folded serially, so output is identical bit
//! for bit whatever the thread count or shard split. Every scenario of an experiment
//! runs the same trial indices with the same seed: common random numbers.

pub mod backtest;
mod booking_horizon;
pub mod calibrate;
mod calibrate_arrivals;
mod calibrate_shares;
pub mod calibrate_toml;
mod columns;
mod compare;
mod error;
pub mod forecast;
pub mod grid;
mod manifest;
mod merge_rows;
mod office_warnings;
pub mod optimize;
mod part_checks;
pub mod parts;
pub mod sensitivity;
mod shard;
mod summaries;
pub mod sweep;
mod sweep_parts;
pub mod transition;
mod trend_context;
pub mod warmup;
mod warnings;

pub use booking_horizon::booking_horizon_warnings;
pub use columns::Columns;
pub use compare::{Comparison, Difference, ScenarioReport, check_comparable, paired_difference};
pub use error::ExperimentError;
pub use manifest::{Manifest, ManifestScenario, PartRecord, PartScenario, SweepPartRecord};
pub use shard::Shard;
pub use summaries::Summaries;
pub use warnings::{
    Trend, instability_warning, open_work_warnings, overload_warnings, pool_loss_warning,
    runaway_warning, runaway_warning_of, scenario_warnings,
};

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::model::metrics::{Bookings, Catalogue, Metric};
use crate::model::{Conservation, TrialBuffers, catalogue, simulate_until_reusing};
use crate::scenario::{LoadedScenario, Warmup};

/// How many trials run between two checks of the cancel flag, and are held in memory
/// before their series are folded.
const CHUNK: u64 = 256;

/// What to run.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub trials: u64,
    pub seed: u64,
    pub shard: Shard,
}

/// The trials of one scenario: per-trial metric rows plus folded series.
#[derive(Debug, Clone)]
pub struct ScenarioResult {
    /// The metrics, in the order of each trial's values.
    pub catalogue: Catalogue,
    /// Trial indices run, ascending.
    pub trials: Vec<u64>,
    /// The per-trial metric values: one row per trial, in `names` order.
    pub values: Columns,
    /// Across-trial means of the weekly series.
    pub weekly_meetings: Vec<f64>,
    pub weekly_open_leads: Vec<f64>,
    /// Per role and week, the meetings booked in all trials and how far ahead, summed
    /// in trial order (see `warnings::booking_horizon_warnings`).
    pub weekly_bookings: Vec<Vec<Bookings>>,
    pub conservation: Conservation,
    pub runaway_trials: u64,
}

impl ScenarioResult {
    /// The per-trial values of `metric`, if the scenario has it.
    pub fn column(&self, metric: Metric<'_>) -> Option<Vec<f64>> {
        let i = self.catalogue.position(metric)?;
        Some(self.values.column(i).into_owned())
    }

    /// The per-trial values of the metric named `name`.
    pub fn column_named(&self, name: &str) -> Option<Vec<f64>> {
        let i = self.catalogue.position_of_name(name)?;
        Some(self.values.column(i).into_owned())
    }

    /// Across-trial summaries of every metric.
    pub fn summaries(&self) -> Summaries {
        Summaries::of(&self.catalogue, &self.values)
    }

    /// Number of trials held.
    pub fn len(&self) -> usize {
        self.trials.len()
    }

    pub fn is_empty(&self) -> bool {
        self.trials.is_empty()
    }
}

/// Cancellation: the run stops between chunks of trials.
#[derive(Debug)]
pub struct Cancelled;

impl From<Cancelled> for ExperimentError {
    fn from(_: Cancelled) -> Self {
        ExperimentError::Cancelled
    }
}

/// Runs `plan` on every scenario, with no progress report and no way to cancel: the
/// plain call for code, tests and benches.
pub fn run_all(scenarios: &[LoadedScenario], plan: Plan) -> Vec<ScenarioResult> {
    match run(scenarios, plan, &|| {}, &AtomicBool::new(false)) {
        Ok(results) => results,
        Err(Cancelled) => unreachable!("nothing raises the cancel flag"),
    }
}

/// Runs `plan` on every scenario. `progress` is called once per finished trial.
pub fn run(
    scenarios: &[LoadedScenario],
    plan: Plan,
    progress: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Result<Vec<ScenarioResult>, Cancelled> {
    let trials: Vec<u64> = plan.shard.trials(plan.trials).collect();
    scenarios
        .iter()
        .map(|loaded| {
            if loaded.scenario.warmup == Warmup::Auto && loaded.scenario.warmup_found.is_none() {
                // Never measured from an empty start by accident: a caller that did not
                // find the warm-up first (`warmup::resolve`, as `Comparison::run` and the
                // command line do, jointly for designs compared) gets it found here.
                let mut resolved = loaded.clone();
                warmup::resolve(
                    std::slice::from_mut(&mut resolved),
                    plan.seed,
                    plan.trials,
                    cancel,
                )?;
                return run_one(&resolved, &trials, plan.seed, progress, cancel);
            }
            run_one(loaded, &trials, plan.seed, progress, cancel)
        })
        .collect()
}

fn run_one(
    loaded: &LoadedScenario,
    trials: &[u64],
    seed: u64,
    progress: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Result<ScenarioResult, Cancelled> {
    let scenario = &loaded.scenario;
    let mut result = ScenarioResult {
        values: Columns::with_expected_rows(trials.len()),
        catalogue: catalogue(scenario),
        trials: trials.to_vec(),
        weekly_meetings: Vec::new(),
        weekly_open_leads: Vec::new(),
        weekly_bookings: Vec::new(),
        conservation: Conservation::default(),
        runaway_trials: 0,
    };
    for chunk in trials.chunks(CHUNK as usize) {
        if cancel.load(Ordering::Relaxed) {
            return Err(Cancelled);
        }
        // A cancelled run skips the rest of the chunk's trials at once. Each rayon job
        // keeps one set of buffers for the trials it runs (reset exactly per trial, so
        // which trials share them changes no result).
        let outputs: Vec<_> = chunk
            .par_iter()
            .map_init(TrialBuffers::default, |buffers, &trial| {
                if cancel.load(Ordering::Relaxed) {
                    return None;
                }
                let out = simulate_until_reusing(scenario, seed, trial, cancel, buffers)?;
                progress();
                Some(out)
            })
            .collect();
        let Some(outputs) = outputs.into_iter().collect::<Option<Vec<_>>>() else {
            return Err(Cancelled);
        };
        for out in outputs {
            add_series(&mut result.weekly_meetings, &out.weekly_meetings);
            add_series(&mut result.weekly_open_leads, &out.weekly_open_leads);
            add_bookings(&mut result.weekly_bookings, &out.weekly_bookings);
            let c = &mut result.conservation;
            c.created += out.conservation.created;
            c.won += out.conservation.won;
            c.lost += out.conservation.lost;
            c.cold += out.conservation.cold;
            c.open += out.conservation.open;
            result.runaway_trials += u64::from(out.runaway);
            result.values.push_row(&out.values);
        }
    }
    let n = trials.len().max(1) as f64;
    result.weekly_meetings.iter_mut().for_each(|v| *v /= n);
    result.weekly_open_leads.iter_mut().for_each(|v| *v /= n);
    Ok(result)
}

fn add_bookings(total: &mut Vec<Vec<Bookings>>, by_role: &[Vec<Bookings>]) {
    if total.len() < by_role.len() {
        total.resize(by_role.len(), Vec::new());
    }
    for (t, weeks) in total.iter_mut().zip(by_role) {
        if t.len() < weeks.len() {
            t.resize(weeks.len(), Bookings::default());
        }
        for (a, b) in t.iter_mut().zip(weeks) {
            a.add(*b);
        }
    }
}

fn add_series(total: &mut Vec<f64>, series: &[f64]) {
    if total.len() < series.len() {
        total.resize(series.len(), 0.0);
    }
    for (t, v) in total.iter_mut().zip(series) {
        *t += v;
    }
}

/// Runs `f` on a rayon pool of `threads` threads (all cores when `None`).
pub fn with_threads<T: Send>(
    threads: Option<usize>,
    f: impl FnOnce() -> T + Send,
) -> Result<T, String> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        builder = builder.num_threads(n);
    }
    let pool = builder
        .build()
        .map_err(|e| format!("cannot start {threads:?} threads: {e}"))?;
    Ok(pool.install(f))
}
