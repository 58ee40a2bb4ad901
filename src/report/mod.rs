//! Reports: across-trial summaries of each scenario, paired differences between
//! scenarios, and the exporters (table, CSV, JSON, HTML). Exporters are pure functions
//! from a `Comparison` to bytes; `write_atomic` is the one place that writes files.

mod csv_out;
pub mod html;
mod json_out;
pub mod sweep;
mod table;
mod trace_csv;
mod write;

pub use csv_out::render_csv;
pub use json_out::{render_json, render_manifest_json};
pub use table::{human, render_table};
pub use trace_csv::render_trace_csv;
pub use write::{check_writable, write_atomic};

use crate::experiment::{Plan, ScenarioResult, Shard, Summaries};
use crate::model::metrics::{Catalogue, Metric};
use crate::model::offered_load;
use crate::scenario::LoadedScenario;
use crate::stats::Summary;

/// What is needed to reproduce a result.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    pub salesim_version: String,
    pub seed: u64,
    pub trials: u64,
    pub shard: Shard,
    pub scenarios: Vec<ManifestScenario>,
    /// The `--vary` specs of a sweep (empty otherwise).
    pub varies: Vec<String>,
    /// Warnings about the results (overloaded roles, runaway trials), so that a CSV,
    /// whose manifest lies beside it, carries them too.
    pub warnings: Vec<String>,
    pub command: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ManifestScenario {
    pub file: String,
    pub sha256: String,
    pub overrides: Vec<String>,
}

impl Manifest {
    pub fn new(scenarios: &[LoadedScenario], plan: Plan, command: String) -> Self {
        Manifest {
            salesim_version: env!("CARGO_PKG_VERSION").to_string(),
            seed: plan.seed,
            trials: plan.trials,
            shard: plan.shard,
            scenarios: scenarios
                .iter()
                .map(|l| ManifestScenario {
                    file: l.origin.clone(),
                    sha256: l.file_sha256.clone(),
                    overrides: l.overrides.iter().map(|o| o.to_string()).collect(),
                })
                .collect(),
            varies: Vec::new(),
            warnings: Vec::new(),
            command,
        }
    }
}

/// One scenario's results, summarised.
#[derive(Debug, Clone)]
pub struct ScenarioReport {
    pub name: String,
    pub file: String,
    pub trials: u64,
    pub metrics: Summaries,
    /// Across-trial mean of meetings per week, week by week (for charts).
    pub weekly_meetings: Vec<f64>,
    pub weekly_open_leads: Vec<f64>,
    pub warnings: Vec<String>,
    /// Per-trial values of a few headline metrics, for distribution charts.
    pub result: ScenarioResult,
    /// The scenario as loaded (absent when rebuilt from shard part files).
    pub loaded: Option<LoadedScenario>,
}

impl ScenarioReport {
    pub fn metric(&self, metric: Metric<'_>) -> Option<&Summary> {
        self.metrics.get(metric)
    }
}

/// Paired differences of one scenario against the baseline (the first).
#[derive(Debug, Clone)]
pub struct Difference {
    pub scenario: String,
    pub baseline: String,
    /// The metrics both have, in the scenario's order.
    pub metrics: Summaries,
}

/// Everything a run or comparison produced.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub manifest: Manifest,
    pub seed: u64,
    pub scenarios: Vec<ScenarioReport>,
    pub differences: Vec<Difference>,
}

impl Comparison {
    pub fn new(
        loaded: &[LoadedScenario],
        results: Vec<ScenarioResult>,
        manifest: Manifest,
    ) -> Self {
        let scenarios = loaded
            .iter()
            .zip(results)
            .map(|(l, r)| summarise(&l.scenario.name, &l.origin, Some(l), r))
            .collect();
        Self::from_reports(scenarios, manifest)
    }

    /// Runs the scenarios on the same trials and compares them: the library's one-call
    /// `compare` (the CLI adds a progress bar and signal handling around the same steps).
    pub fn run(loaded: &[LoadedScenario], plan: Plan, command: impl Into<String>) -> Self {
        let results = crate::experiment::run_all(loaded, plan);
        Comparison::new(loaded, results, Manifest::new(loaded, plan, command.into()))
    }

    /// Builds a comparison from scenarios known only by name and file (merged shards).
    pub fn from_named(named: Vec<(String, String, ScenarioResult)>, manifest: Manifest) -> Self {
        let scenarios = named
            .into_iter()
            .map(|(name, file, r)| summarise(&name, &file, None, r))
            .collect();
        Self::from_reports(scenarios, manifest)
    }

    fn from_reports(scenarios: Vec<ScenarioReport>, mut manifest: Manifest) -> Self {
        let seed = manifest.seed;
        manifest.warnings = scenarios
            .iter()
            .flat_map(|s| s.warnings.iter().map(move |w| format!("{}: {w}", s.file)))
            .collect();
        let differences = scenarios
            .iter()
            .skip(1)
            .map(|b| paired_difference(&scenarios[0], b))
            .collect();
        Comparison {
            manifest,
            seed,
            scenarios,
            differences,
        }
    }
}

fn summarise(
    name: &str,
    file: &str,
    loaded: Option<&LoadedScenario>,
    result: ScenarioResult,
) -> ScenarioReport {
    let metrics = result.summaries();
    let mut warnings = loaded.map(overload_warnings).unwrap_or_default();
    if result.runaway_trials > 0 {
        warnings.push(format!(
            "{} of {} trials stopped early: the work queue grew without bound (demand exceeds capacity); their results are not reliable",
            result.runaway_trials,
            result.trials.len()
        ));
    }
    ScenarioReport {
        name: name.to_string(),
        file: file.to_string(),
        trials: result.trials.len() as u64,
        metrics,
        weekly_meetings: result.weekly_meetings.clone(),
        weekly_open_leads: result.weekly_open_leads.clone(),
        warnings,
        result,
        loaded: loaded.cloned(),
    }
}

/// Warnings for roles whose offered load reaches their capacity.
pub fn overload_warnings(loaded: &LoadedScenario) -> Vec<String> {
    let s = &loaded.scenario;
    offered_load(s)
        .iter()
        .enumerate()
        .filter(|(_, load)| **load >= 1.0)
        .map(|(r, load)| {
            let role = &s.roles[r];
            let hours = load * f64::from(role.headcount);
            format!(
                "role `{}` is overloaded: offered load {:.2} of capacity with headcount {}; it would need a headcount of at least {} to be stable",
                role.name,
                load,
                role.headcount,
                (hours.floor() as u64) + 1
            )
        })
        .collect()
}

/// B minus A, trial by trial, for every metric both have.
pub fn paired_difference(a: &ScenarioReport, b: &ScenarioReport) -> Difference {
    let mut both = Catalogue::default();
    let mut summaries = Vec::new();
    for metric in b.result.catalogue.iter() {
        let (Some(xa), Some(xb)) = (a.result.column(metric), b.result.column(metric)) else {
            continue;
        };
        let diffs: Vec<f64> = xa.iter().zip(&xb).map(|(x, y)| y - x).collect();
        both.push(metric.def, metric.subject);
        summaries.push(Summary::of(&diffs));
    }
    let metrics = Summaries::from_parts(both, summaries);
    Difference {
        scenario: b.name.clone(),
        baseline: a.name.clone(),
        metrics,
    }
}

/// Formats a number for machine-readable output: shortest round-trip form, empty for
/// a value that does not exist.
pub fn number(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        String::new()
    }
}
