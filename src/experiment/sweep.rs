//! Sweeps: one scenario over a grid of parameter values, every point on the same
//! trials (common random numbers), each point's metric summaries, and the choice among
//! them (best feasible point, Pareto front).

use std::path::Path;
use std::sync::atomic::AtomicBool;

use super::grid::{Vary, expand};
use super::optimize::{Constraint, Objective, Versus, best, pareto_front, versus};
use super::{
    Cancelled, Manifest, Plan, Shard, Summaries, booking_horizon_warnings, instability_warning,
    open_work_warnings, pool_loss_warning, run, scenario_warnings, warmup,
};
use crate::model::catalogue;
use crate::model::metrics::{Catalogue, catalogue as m};
use crate::scenario::{LoadedScenario, Override, ScenarioError, load_file};

/// One grid point: its varied values (in `--vary` order) and its metric summaries.
#[derive(Debug, Clone)]
pub struct SweepPoint {
    pub index: usize,
    pub values: Vec<String>,
    pub metrics: Summaries,
    pub warnings: Vec<String>,
}

/// A whole sweep (or the points of one shard of it).
#[derive(Debug, Clone)]
pub struct SweepReport {
    pub scenario: String,
    pub file: String,
    pub trials: u64,
    pub varies: Vec<Vary>,
    pub points: Vec<SweepPoint>,
    pub objective: Option<Objective>,
    pub constraints: Vec<Constraint>,
    pub manifest: Manifest,
}

impl SweepReport {
    fn metrics(&self) -> Vec<&Summaries> {
        self.points.iter().map(|p| &p.metrics).collect()
    }

    /// Position in `points` of the best point meeting every constraint.
    pub fn best(&self) -> Option<usize> {
        best(&self.metrics(), self.objective.as_ref()?, &self.constraints)
    }

    /// What the Pareto front sets against staffing cost (see `optimize::versus`).
    pub fn versus(&self) -> Option<Versus<'_>> {
        versus(self.objective.as_ref()?, &self.constraints)
    }

    /// Whether point `i` meets every constraint.
    pub fn feasible(&self, i: usize) -> bool {
        let metrics = &self.points[i].metrics;
        self.constraints.iter().all(|c| c.met(metrics))
    }

    /// Positions in `points` of the Pareto front among the points that meet every
    /// constraint, cheapest first; empty without an objective.
    pub fn front(&self) -> Vec<usize> {
        self.versus().map_or_else(Vec::new, |v| {
            pareto_front(&self.metrics(), &v, &self.constraints)
        })
    }

    /// "path=value, path=value" for a point.
    pub fn describe(&self, point: &SweepPoint) -> String {
        describe(&self.varies, &point.values)
    }
}

fn describe(varies: &[Vary], values: &[String]) -> String {
    varies
        .iter()
        .zip(values)
        .map(|(v, x)| format!("{}={x}", v.path))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A sweep ready to run: the base scenario and every point of the shard, each loaded
/// (and so validated) before anything runs.
#[derive(Debug, Clone)]
pub struct Sweep {
    pub base: LoadedScenario,
    pub varies: Vec<Vary>,
    /// Which points of the grid this run covers.
    pub shard: Shard,
    points: Vec<(usize, Vec<String>, LoadedScenario)>,
    /// Points of the whole grid (this run covers those of `shard`).
    grid_points: u64,
}

impl Sweep {
    /// Loads `scenario` with `overrides`, then once for every point of `shard` of the
    /// grid, the point's values added as overrides after the user's.
    pub fn load(
        scenario: &Path,
        overrides: &[Override],
        varies: Vec<Vary>,
        shard: Shard,
    ) -> Result<Sweep, ScenarioError> {
        let base = load_file(scenario, overrides)?;
        let grid = expand(&varies);
        let mut points = Vec::new();
        for index in shard.trials(grid.len() as u64) {
            let values = grid[index as usize].clone();
            let mut point_overrides = overrides.to_vec();
            for (vary, value) in varies.iter().zip(&values) {
                point_overrides.push(Override {
                    path: vary.path.clone(),
                    value: value.clone(),
                });
            }
            let loaded = load_file(scenario, &point_overrides)?;
            points.push((index as usize, values, loaded));
        }
        Ok(Sweep {
            base,
            varies,
            shard,
            points,
            grid_points: grid.len() as u64,
        })
    }

    /// The metrics of the base scenario, for reading objectives and constraints.
    pub fn catalogue(&self) -> Catalogue {
        catalogue(&self.base.scenario)
    }

    /// Number of points of the whole grid.
    pub fn grid_points(&self) -> u64 {
        self.grid_points
    }

    /// Number of points this run covers.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// Runs `plan.trials` trials of every point (`plan.shard` is ignored: a sweep
    /// shards its points, see `shard`). `progress` is called once per finished trial.
    pub fn run(
        self,
        plan: Plan,
        choice: (Option<Objective>, Vec<Constraint>),
        command: String,
        progress: &(dyn Fn() + Sync),
        cancel: &AtomicBool,
    ) -> Result<SweepReport, Cancelled> {
        let whole = Plan {
            shard: Shard::WHOLE,
            ..plan
        };
        let mut points = Vec::new();
        for (index, values, loaded) in &self.points {
            let mut loaded = loaded.clone();
            warmup::resolve(
                std::slice::from_mut(&mut loaded),
                plan.seed,
                plan.trials,
                cancel,
            )?;
            let results = run(std::slice::from_ref(&loaded), whole, progress, cancel)?;
            let mut warnings = scenario_warnings(&loaded);
            warnings.extend(instability_warning(&loaded, &results[0]));
            warnings.extend(pool_loss_warning(&loaded, &results[0]));
            warnings.extend(booking_horizon_warnings(&loaded, &results[0]));
            let metrics = results[0].summaries();
            let steps: Vec<&str> = results[0].catalogue.subjects(m::STEP_OPEN).collect();
            let weeks = Some(loaded.scenario.measured_weeks());
            warnings.extend(open_work_warnings(&metrics, &steps, weeks));
            points.push(SweepPoint {
                index: *index,
                values: values.clone(),
                metrics,
                warnings,
            });
        }
        let sharded = Plan {
            shard: self.shard,
            ..whole
        };
        let mut manifest = Manifest::new(std::slice::from_ref(&self.base), sharded, command);
        manifest.varies = self.varies.iter().map(|v| v.spec.clone()).collect();
        Ok(SweepReport {
            scenario: self.base.scenario.name.clone(),
            file: self.base.origin.clone(),
            trials: plan.trials,
            varies: self.varies,
            points,
            objective: choice.0,
            constraints: choice.1,
            manifest,
        })
    }
}
