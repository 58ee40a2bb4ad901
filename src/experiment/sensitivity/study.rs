//! Running a sensitivity study: which inputs to move, how many trials it takes, the
//! unmoved and moved designs run on the same trials, and the effects ranked.

use std::sync::atomic::AtomicBool;

use super::moves::plan_input;
use super::{
    CONTRIBUTION_KEY, InputEffect, Measure, Options, Plan2, SensitivityReport, Side, Source,
};
use crate::experiment::{Cancelled, Plan, ScenarioResult, Shard, run};
use crate::scenario::{LoadedScenario, is_written, numeric_inputs};
use crate::stats::Summary;

/// Number of simulated trials a study will run: for a progress bar.
pub fn planned_trials(inputs: usize, scenarios: usize, o: &Options) -> u64 {
    let per = |n: u64, k: usize| n * (k as u64 * 2 + 1) * scenarios as u64;
    match o.screen {
        Some((n, top)) => per(n, inputs) + per(o.trials, top.min(inputs)),
        None => per(o.trials, inputs),
    }
}

/// The inputs a study would move: those listed in `only`, else every numeric input
/// written in a scenario's file (not the defaults it leaves out); the union over the
/// scenarios, in key order.
pub fn input_keys(sources: &[Source], base: &[LoadedScenario], only: &[String]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for (source, l) in sources.iter().zip(base) {
        for i in numeric_inputs(&l.raw) {
            let wanted = if only.is_empty() {
                is_written(&source.text, &i.key)
            } else {
                only.contains(&i.key)
            };
            if wanted && !keys.contains(&i.key) {
                keys.push(i.key);
            }
        }
    }
    keys
}

/// Every numeric input of the scenarios, written or default: what `--params` may name.
pub fn all_input_keys(base: &[LoadedScenario]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for l in base {
        for i in numeric_inputs(&l.raw) {
            if !keys.contains(&i.key) {
                keys.push(i.key);
            }
        }
    }
    keys
}

/// Runs a study. `sources[i]` is the text of `base[i]` (whose warm-up is resolved);
/// `only` lists the inputs to move (empty: all).
pub fn study(
    sources: &[Source],
    base: &[LoadedScenario],
    measure: &Measure,
    only: &[String],
    o: Options,
    progress: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Result<SensitivityReport, Cancelled> {
    let keys = input_keys(sources, base, only);
    let mut skipped = Vec::new();
    let mut plans = Vec::new();
    for key in &keys {
        match plan_input(sources, base, key, o.by) {
            Ok(p) => plans.push(p),
            Err(why) => skipped.push((key.clone(), why)),
        }
    }
    let (mut effects, mut base_summary, first_trials) = match o.screen {
        Some((n, _)) => measure_all(
            base,
            &plans,
            measure,
            n.min(o.trials),
            o.seed,
            progress,
            cancel,
        )?,
        None => measure_all(base, &plans, measure, o.trials, o.seed, progress, cancel)?,
    };
    let mut screen_trials = None;
    if let Some((_, top)) = o.screen.filter(|(n, _)| o.trials > *n) {
        {
            screen_trials = Some(first_trials);
            let mut order: Vec<usize> = (0..effects.len()).collect();
            order.sort_by(|&a, &b| effects[b].swing().total_cmp(&effects[a].swing()));
            let chosen: Vec<usize> = order.into_iter().take(top).collect();
            let again: Vec<Plan2> = chosen.iter().map(|&i| clone_plan(&plans[i])).collect();
            let (better, summary, _) =
                measure_all(base, &again, measure, o.trials, o.seed, progress, cancel)?;
            for (&i, e) in chosen.iter().zip(better) {
                effects[i] = e;
            }
            base_summary = summary;
        }
    }
    // Ranked by swing; ties (inputs with no effect at all) keep key order.
    effects.sort_by(|a, b| {
        b.swing()
            .total_cmp(&a.swing())
            .then(b.trials.cmp(&a.trials))
    });
    Ok(SensitivityReport {
        measure: measure_label(measure, base),
        by: o.by,
        base: base_summary,
        inputs: effects,
        skipped,
        screen_trials,
        trials: o.trials,
        scenarios: base.iter().map(|l| l.origin.clone()).collect(),
    })
}

fn measure_label(measure: &Measure, base: &[LoadedScenario]) -> String {
    let has = base.iter().all(|l| {
        crate::model::catalogue(&l.scenario)
            .position_of_name(CONTRIBUTION_KEY)
            .is_some()
    });
    match measure {
        Measure::Metric(name) => name.clone(),
        Measure::BottomLine if has => "contribution per year".into(),
        Measure::BottomLine => "revenue less staffing cost per year".into(),
    }
}

fn clone_plan(p: &Plan2) -> Plan2 {
    Plan2 {
        key: p.key.clone(),
        base: p.base.clone(),
        sides: p.sides.clone(),
        note: p.note.clone(),
    }
}

/// Runs the unmoved scenarios and every side of every plan on `trials` trials.
fn measure_all(
    base: &[LoadedScenario],
    plans: &[Plan2],
    measure: &Measure,
    trials: u64,
    seed: u64,
    progress: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Result<(Vec<InputEffect>, Summary, u64), Cancelled> {
    let plan = Plan {
        trials,
        seed,
        shard: Shard::WHOLE,
    };
    let unmoved = run(base, plan, progress, cancel)?;
    let refs: Vec<&ScenarioResult> = unmoved.iter().collect();
    let base_values = measure.of(&refs).unwrap_or_default();
    let mut effects = Vec::new();
    for p in plans {
        let mut sides: [Option<Side>; 2] = [None, None];
        for (slot, side) in sides.iter_mut().zip(&p.sides) {
            let Some((setting, moved)) = side else {
                continue;
            };
            let mut results: Vec<ScenarioResult> = Vec::new();
            let mut which: Vec<Option<usize>> = Vec::new();
            for m in moved {
                match m {
                    Some(l) => {
                        results.extend(run(std::slice::from_ref(l), plan, progress, cancel)?);
                        which.push(Some(results.len() - 1));
                    }
                    None => which.push(None),
                }
            }
            let refs: Vec<&ScenarioResult> = which
                .iter()
                .zip(&unmoved)
                .map(|(w, u)| w.map_or(u, |i| &results[i]))
                .collect();
            let Some(values) = measure.of(&refs) else {
                continue;
            };
            let diffs: Vec<f64> = values
                .iter()
                .zip(&base_values)
                .map(|(x, y)| x - y)
                .collect();
            *slot = Some(Side {
                setting: setting.clone(),
                effect: Summary::of(&diffs),
            });
        }
        let [low, high] = sides;
        effects.push(InputEffect {
            key: p.key.clone(),
            base: p.base.clone(),
            low,
            high,
            trials,
            note: p.note.clone(),
        });
    }
    Ok((effects, Summary::of(&base_values), trials))
}
