//! Comparing designs: each scenario's results summarised, and the paired differences
//! of every other scenario against the first (trial by trial, common random numbers).

use super::booking_horizon::booking_horizon_warnings_in;
use super::parts::MergedScenario;
use super::trend_context::TrendContext;
use super::warnings::{
    instability_warning_in, open_work_warnings, pool_loss_warning_in, runaway_warning,
    scenario_warnings,
};
use super::{ExperimentError, Manifest, Plan, ScenarioResult, Summaries, run_all, warmup};
use crate::model::metrics::catalogue as m;
use crate::model::metrics::{Catalogue, Metric};
use crate::scenario::LoadedScenario;
use crate::stats::Summary;

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
    /// The warnings read from the run's weekly series (a growing pipeline, a calendar
    /// booked further ahead, a pool losing leads), also in `warnings`. Shard parts carry
    /// those series (`PartTrends`), so a merge gives them too, in its manifest as well.
    pub trend_warnings: Vec<String>,
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
            .map(|(l, r)| {
                summarise(
                    &l.scenario.name,
                    &l.origin,
                    Some(l),
                    Some(TrendContext::of(&l.scenario)),
                    scenario_warnings(l),
                    r,
                )
            })
            .collect();
        Self::from_reports(scenarios, manifest)
    }

    /// Runs the scenarios on the same trials and compares them: the library's one-call
    /// `compare` (the CLI adds a progress bar and signal handling around the same steps).
    /// Auto warm-ups are found first (`warmup::resolve`).
    pub fn run(loaded: &[LoadedScenario], plan: Plan, command: impl Into<String>) -> Self {
        let mut loaded = loaded.to_vec();
        let never = std::sync::atomic::AtomicBool::new(false);
        warmup::resolve(&mut loaded, plan.seed, plan.trials, &never)
            .expect("nothing raises the cancel flag");
        let results = run_all(&loaded, plan);
        Comparison::new(
            &loaded,
            results,
            Manifest::new(&loaded, plan, command.into()),
        )
    }

    /// Builds a comparison from scenarios known only by name and file (merged shards),
    /// each with the overload warnings its parts recorded.
    pub fn from_named(named: Vec<MergedScenario>, manifest: Manifest) -> Self {
        let scenarios = named
            .into_iter()
            .map(|m| {
                let warnings = m.overload_warnings;
                summarise(&m.name, &m.file, None, m.trends, warnings, m.result)
            })
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
    trends: Option<TrendContext>,
    mut warnings: Vec<String>,
    result: ScenarioResult,
) -> ScenarioReport {
    let metrics = result.summaries();
    let mut trend_warnings: Vec<String> = Vec::new();
    if let Some(ctx) = &trends {
        trend_warnings.extend(instability_warning_in(ctx, &result));
        trend_warnings.extend(pool_loss_warning_in(ctx, &result));
        trend_warnings.extend(booking_horizon_warnings_in(ctx, &result));
    }
    warnings.extend(trend_warnings.iter().cloned());
    let steps: Vec<&str> = result.catalogue.subjects(m::STEP_OPEN).collect();
    let weeks = trends.as_ref().map(|c| c.measured_weeks);
    warnings.extend(open_work_warnings(&metrics, &steps, weeks));
    warnings.extend(runaway_warning(&result));
    ScenarioReport {
        name: name.to_string(),
        file: file.to_string(),
        trials: result.trials.len() as u64,
        metrics,
        weekly_meetings: result.weekly_meetings.clone(),
        weekly_open_leads: result.weekly_open_leads.clone(),
        warnings,
        trend_warnings,
        result,
        loaded: loaded.cloned(),
    }
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

/// Scenarios compared trial by trial must measure the same span of time.
pub fn check_comparable(scenarios: &[LoadedScenario]) -> Result<(), ExperimentError> {
    let Some(first) = scenarios.first() else {
        return Ok(());
    };
    for other in &scenarios[1..] {
        let (a, b) = (&first.scenario, &other.scenario);
        if a.horizon_hours != b.horizon_hours || a.warmup_hours != b.warmup_hours {
            let weeks = |s: &crate::scenario::Scenario| {
                let per_week = s.calendar.hours_per_week();
                (s.horizon_hours / per_week, s.warmup_hours / per_week)
            };
            return Err(ExperimentError::NotComparable {
                first: first.origin.clone(),
                other: other.origin.clone(),
                first_weeks: weeks(a),
                other_weeks: weeks(b),
            });
        }
    }
    Ok(())
}
