//! Warnings that go with a result: roles whose offered load reaches their capacity,
//! and trials stopped early because their work queue grew without bound.

use super::ScenarioResult;
use crate::model::offered_load;
use crate::scenario::LoadedScenario;

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
