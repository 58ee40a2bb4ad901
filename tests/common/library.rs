//! The library calls that turn scenario texts into a comparison, in one place: when the
//! entry points move (say `Comparison` from `report` to `experiment`), the `use` lines
//! here are what changes, not every test file.

use std::path::Path;

pub use salesim::experiment::{Comparison, ScenarioReport};

use salesim::experiment::{Plan, Shard};
use salesim::scenario::{LoadedScenario, Override, load_file, load_str};

/// `--set` overrides as the command line would parse them.
pub fn overrides(sets: &[&str]) -> Vec<Override> {
    sets.iter()
        .map(|s| Override::parse(s).unwrap_or_else(|e| panic!("override `{s}`: {e}")))
        .collect()
}

/// `text` loaded as though read from the file `origin`, named `default_name` unless it
/// names itself, with `--set` overrides `sets`.
pub fn load(text: &str, origin: &str, default_name: &str, sets: &[&str]) -> LoadedScenario {
    load_str(text, origin, default_name, &overrides(sets))
        .unwrap_or_else(|e| panic!("{origin} does not load: {e}"))
}

/// A scenario file of the repository (a path relative to its root, as the command line
/// would be given it from there), without overrides.
pub fn load_shipped(path: &str) -> LoadedScenario {
    load_file(Path::new(path), &[]).unwrap_or_else(|e| panic!("{path} does not load: {e}"))
}

/// All of `trials` trials (no shard) with `seed`.
pub fn plan(trials: u64, seed: u64) -> Plan {
    Plan {
        trials,
        seed,
        shard: Shard::WHOLE,
    }
}

/// Runs `loaded` on the same `trials` trials with `seed` and compares them against the
/// first; `command` is recorded in the manifest as the command line.
pub fn compare(
    loaded: &[LoadedScenario],
    trials: u64,
    seed: u64,
    command: impl Into<String>,
) -> Comparison {
    Comparison::run(loaded, plan(trials, seed), command)
}

/// A scenario file of the repository with `--set` overrides `sets`.
pub fn load_shipped_with(path: &str, sets: &[&str]) -> LoadedScenario {
    load_file(Path::new(path), &overrides(sets))
        .unwrap_or_else(|e| panic!("{path} with {sets:?} does not load: {e}"))
}

/// The warnings the capacity check gives `loaded` before any run.
pub fn warnings_before_run(loaded: &LoadedScenario) -> Vec<String> {
    salesim::experiment::overload_warnings(loaded)
}

/// One scenario run through the library, its warnings from before and after the run
/// included.
pub fn run_one(loaded: &LoadedScenario, trials: u64, seed: u64) -> ScenarioReport {
    compare(std::slice::from_ref(loaded), trials, seed, "test")
        .scenarios
        .remove(0)
}

/// The across-trial mean of the metric `name` in `report`.
pub fn mean_of(report: &ScenarioReport, name: &str) -> f64 {
    let xs = report
        .result
        .column_named(name)
        .unwrap_or_else(|| panic!("no metric `{name}`"));
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// All `trials` trials of `loaded` with `seed`, summarised: one scenario's result.
pub fn result_of(
    loaded: &LoadedScenario,
    trials: u64,
    seed: u64,
) -> salesim::experiment::ScenarioResult {
    salesim::experiment::run_all(std::slice::from_ref(loaded), plan(trials, seed)).remove(0)
}

/// The per-trial values of metric `name` (panics, naming it, when the result lacks it).
pub fn column(r: &salesim::experiment::ScenarioResult, name: &str) -> Vec<f64> {
    r.column_named(name)
        .unwrap_or_else(|| panic!("no metric `{name}`"))
}
