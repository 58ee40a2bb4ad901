//! Sensitivity (DESIGN §11): each numeric input moved down and up by a fraction, one at
//! a time, every moved design on the same trials as the unmoved one (common random
//! numbers), and the inputs ranked by how far they move a measure, with intervals.
//!
//! A study may screen first: every input on a few trials, then the inputs that moved
//! the measure most again on more trials. Each effect records the trials it rests on.

use std::path::Path;

mod moves;
mod study;

pub use study::{all_input_keys, input_keys, planned_trials, study};

use crate::experiment::ScenarioResult;
use crate::model::metrics::catalogue as m;
use crate::scenario::{LoadedScenario, Override, ScenarioError, load_str};
use crate::stats::Summary;

/// A scenario as text, so that it can be loaded again with inputs moved.
#[derive(Debug, Clone)]
pub struct Source {
    pub text: String,
    pub origin: String,
    pub default_name: String,
    pub overrides: Vec<Override>,
}

impl Source {
    /// Reads a scenario file (the same checks as `load_file`, through `load`).
    pub fn read(path: &Path, overrides: &[Override]) -> Result<Source, ScenarioError> {
        let origin = path.display().to_string();
        let loaded = crate::scenario::load_file(path, overrides)?;
        // load_file has read and checked the file: it is UTF-8 and small.
        let text = crate::files::read_at_most(path, crate::scenario::MAX_SCENARIO_BYTES)
            .ok()
            .filter(|b| b.len() as u64 <= crate::scenario::MAX_SCENARIO_BYTES)
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or_else(|| {
                ScenarioError::whole_file(
                    &origin,
                    "cannot read it again as the scenario just loaded (changed since?)",
                )
            })?;
        Ok(Source {
            text,
            origin,
            default_name: loaded.scenario.name.clone(),
            overrides: overrides.to_vec(),
        })
    }

    /// The scenario with `extra` overrides after the user's.
    pub fn load(&self, extra: &[Override]) -> Result<LoadedScenario, ScenarioError> {
        let mut all = self.overrides.clone();
        all.extend_from_slice(extra);
        load_str(&self.text, &self.origin, &self.default_name, &all)
    }
}

/// What a study measures, trial by trial.
#[derive(Debug, Clone, PartialEq)]
pub enum Measure {
    /// A metric of the catalogue, by name (its per-trial value).
    Metric(String),
    /// The money bottom line: `contribution_per_year` when the scenario has a gross
    /// margin, else revenue less staffing cost.
    BottomLine,
}

impl Measure {
    /// The per-trial values of the measure in one scenario's results.
    pub fn column(&self, r: &ScenarioResult) -> Option<Vec<f64>> {
        match self {
            Measure::Metric(name) => r.column_named(name),
            Measure::BottomLine => bottom_line(r),
        }
    }

    /// With two or more scenarios, the measure of the last less that of the first
    /// (the difference between designs); with one, the measure itself.
    fn of(&self, results: &[&ScenarioResult]) -> Option<Vec<f64>> {
        let last = self.column(results.last()?)?;
        if results.len() == 1 {
            return Some(last);
        }
        let first = self.column(results[0])?;
        Some(last.iter().zip(&first).map(|(b, a)| b - a).collect())
    }
}

/// The catalogue key of the contribution metric (gross margin less staffing cost).
pub const CONTRIBUTION_KEY: &str = "contribution_per_year";

/// Contribution per year trial by trial when the scenario has it, else revenue less
/// staffing cost.
pub fn bottom_line(r: &ScenarioResult) -> Option<Vec<f64>> {
    if let Some(c) = r.column_named(CONTRIBUTION_KEY) {
        return Some(c);
    }
    let revenue = r.column_named(m::REVENUE.key)?;
    let cost = r.column_named(m::STAFFING_COST.key)?;
    Some(revenue.iter().zip(&cost).map(|(r, c)| r - c).collect())
}

/// One side of an input's move: the setting used and its effect on the measure.
#[derive(Debug, Clone)]
pub struct Side {
    /// The moved value(s), as `--set` would write them: "9" or "mean 30000, sd 14400".
    pub setting: String,
    /// Moved less unmoved, trial by trial.
    pub effect: Summary,
}

/// One input's effect.
#[derive(Debug, Clone)]
pub struct InputEffect {
    pub key: String,
    /// The value(s) as in the scenario: "12" or "mean 25000, sd 12000".
    pub base: String,
    pub low: Option<Side>,
    pub high: Option<Side>,
    /// Trials each side rests on.
    pub trials: u64,
    /// Why a side could not be moved (the moved value fails the scenario's checks).
    pub note: Option<String>,
}

impl InputEffect {
    /// The largest absolute mean effect of either side: the ranking key.
    pub fn swing(&self) -> f64 {
        [&self.low, &self.high]
            .iter()
            .filter_map(|s| s.as_ref())
            .map(|s| s.effect.mean.abs())
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max)
    }

    /// Whether either side's interval excludes zero.
    pub fn clear(&self) -> bool {
        [&self.low, &self.high]
            .iter()
            .filter_map(|s| s.as_ref())
            .any(|s| s.effect.ci95_low > 0.0 || s.effect.ci95_high < 0.0)
    }
}

/// How a study spends its trials.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The fraction each input moves by (0.2 for 20%).
    pub by: f64,
    pub seed: u64,
    /// Trials of the effects reported (of the top inputs, when screening).
    pub trials: u64,
    /// Screening: every input first on this many trials, then the `top` largest again
    /// on `trials`. `None` runs every input on `trials`.
    pub screen: Option<(u64, usize)>,
}

/// A finished study, inputs ranked by their swing, largest first.
#[derive(Debug, Clone)]
pub struct SensitivityReport {
    pub measure: String,
    pub by: f64,
    /// The measure unmoved, on the trials of the reported effects.
    pub base: Summary,
    pub inputs: Vec<InputEffect>,
    /// Inputs whose both sides fail the scenario's checks: (key, why).
    pub skipped: Vec<(String, String)>,
    pub screen_trials: Option<u64>,
    pub trials: u64,
    pub scenarios: Vec<String>,
}

/// One input moved in every scenario that has it: per scenario, the overrides of each
/// side (None where the scenario does not have the input).
/// Per side (down, up): the setting and, per scenario, the moved scenario.
type Sides = [Option<(String, Vec<Option<LoadedScenario>>)>; 2];

struct Plan2 {
    key: String,
    base: String,
    sides: Sides,
    note: Option<String>,
}

/// Reads `--by`: "20%" or "0.2", more than 0 and less than 1 (a move of 100% or more
/// would take inputs to zero or below).
pub fn parse_by(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let (number, percent) = match t.strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (t, false),
    };
    let v: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a fraction such as 20% or 0.2"))?;
    let v = if percent { v / 100.0 } else { v };
    if v.is_finite() && v > 0.0 && v < 1.0 {
        Ok(v)
    } else {
        Err(format!(
            "`{text}` must be more than 0% and less than 100% (e.g. 20%)"
        ))
    }
}

impl Measure {
    /// Reads `--metric METRIC` (optionally `.mean`): a metric of `catalogue`, whose
    /// per-trial value is what moves.
    pub fn parse(
        text: &str,
        catalogue: &crate::model::metrics::Catalogue,
    ) -> Result<Measure, String> {
        let target = crate::experiment::optimize::Target::parse(text, catalogue)?;
        if target.statistic != "mean" {
            return Err(format!(
                "`{text}`: a sensitivity study moves the mean of a metric; leave out `.{}`",
                target.statistic
            ));
        }
        Ok(Measure::Metric(target.metric))
    }
}

/// The study behind `compare --report`: every input on `SCREEN` trials, the `TOP`
/// largest again on `TRIALS` (fewer when the comparison itself ran fewer), so the
/// report of the reference designs stays within a minute on two cores.
pub fn report_options(seed: u64, comparison_trials: u64) -> Options {
    const SCREEN: u64 = 6;
    const TOP: usize = 6;
    const TRIALS: u64 = 60;
    let trials = TRIALS.min(comparison_trials);
    Options {
        by: 0.2,
        seed,
        trials,
        screen: Some((SCREEN.min(trials), TOP)),
    }
}
