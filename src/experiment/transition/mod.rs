//! `salesim transition BEFORE AFTER`: the way from one design to another, office by
//! office, against staying on BEFORE.
//!
//! The method. Both designs face one market with common random numbers. A plan gives
//! each office a switch week. Each trial is simulated as two parts with the same trial
//! index and seed, whose weekly series are added:
//! - the BEFORE part: BEFORE's scenario, taking new work (inbound and prospected leads,
//!   service requests, opportunities open at the start) arising in office `o` only
//!   before `o`'s switch week; from then its people of `o` stop prospecting, finish the
//!   office's open work and leave (at the latest `--wind-down-weeks` after the switch:
//!   what is still open then is counted as lost to the transition). Its central people
//!   leave once every office has switched and nothing is open.
//! - the AFTER part: AFTER's scenario, taking new work of office `o` only from `o`'s
//!   switch week; its people of `o` join then with AFTER's ramp (central people at the
//!   first switch).
//!
//! Work a part does not take is still drawn (its arrival, office and segment), so the
//! two parts and the staying run (plain BEFORE, same trial) see the same market: every
//! new lead goes to exactly one part (`Scenario::new_work_window`). Weeks are
//! simulation weeks from the empty start, as `run`'s weekly series. When BEFORE and
//! AFTER are the same validated scenario the design does not change and nothing moves:
//! the transition is staying, exactly.

mod curve;
mod plan;
pub mod sweep;

pub use curve::{Dip, Payback, dip, payback, stays_above_zero_from};
pub use plan::{SwitchPlan, check_same_offices, parts};

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::Cancelled;
use crate::model::{TrialOutput, simulate_until};
use crate::scenario::Scenario;
use crate::stats::Summary;

/// The weekly series compared, in output order.
pub const METRICS: [&str; 6] = [
    "meetings",
    "deals",
    "revenue",
    "contribution",
    "staffing_cost",
    "open_pipeline",
];
/// Position of contribution in [`METRICS`].
pub const CONTRIBUTION: usize = 3;

/// How many trials are held at once before their series are folded.
const CHUNK: usize = 256;

/// What to run.
#[derive(Debug, Clone)]
pub struct TransitionSpec {
    pub plans: Vec<SwitchPlan>,
    pub wind_down_weeks: f64,
    pub trials: u64,
    pub seed: u64,
}

/// One weekly series of one plan: the means of transition and staying, and the paired
/// difference (transition less staying) with its 95% interval, per week.
#[derive(Debug, Clone)]
pub struct SeriesComparison {
    pub metric: &'static str,
    pub transition: Vec<f64>,
    pub staying: Vec<f64>,
    pub difference: Vec<Summary>,
}

/// One plan's result.
#[derive(Debug, Clone)]
pub struct PlanResult {
    pub plan: SwitchPlan,
    pub series: Vec<SeriesComparison>,
    /// The cumulative difference of contribution, per week (summed to its end).
    pub cumulative: Vec<Summary>,
    pub payback: Payback,
    pub dip: Dip,
    /// Leads and service requests still open when a wind-down ran out, per trial.
    pub lost_to_transition: Summary,
}

/// The whole transition: every plan on the same trials.
#[derive(Debug, Clone)]
pub struct TransitionResult {
    pub before: String,
    pub after: String,
    pub trials: u64,
    pub seed: u64,
    pub weeks: usize,
    /// The office names, in office order (empty without offices).
    pub offices: Vec<String>,
    pub wind_down_weeks: f64,
    /// What "contribution" is here, in words.
    pub contribution_basis: &'static str,
    /// BEFORE and AFTER are the same validated scenario: nothing moves.
    pub same_design: bool,
    pub plans: Vec<PlanResult>,
    /// Said in every output, in words.
    pub warnings: Vec<String>,
}

/// Whether two validated scenarios are the same design (every field equal, the
/// floating-point ones exactly: `Debug` prints them round-trip), whatever their
/// warm-ups: a warm-up only says which weeks a run measures, a transition's weeks count
/// from the empty start, and only BEFORE's warm-up is looked for (so the same file with
/// `warmup_weeks = "auto"` is resolved on one side only).
pub fn same_design(a: &Scenario, b: &Scenario) -> bool {
    let design = |s: &Scenario| {
        let mut s = s.clone();
        s.warmup_hours = 0.0;
        s.warmup = crate::scenario::Warmup::Fixed;
        s.warmup_found = None;
        format!("{s:?}")
    };
    design(a) == design(b)
}

/// Whether contribution is gross profit less staffing cost (a margin is given) or
/// revenue less staffing cost.
fn has_margin(s: &Scenario) -> bool {
    s.segments.every_margin_known()
}

/// The weekly series of one trial (or part), in [`METRICS`] order.
pub fn trial_series(out: &TrialOutput, margin: bool) -> Vec<Vec<f64>> {
    let earned = if margin {
        &out.weekly_gross_profit
    } else {
        &out.weekly_revenue
    };
    let cost = &out.weekly_staffing_cost;
    let contribution: Vec<f64> = earned.iter().zip(cost).map(|(e, c)| e - c).collect();
    vec![
        out.weekly_meetings.clone(),
        out.weekly_deals.clone(),
        out.weekly_revenue.clone(),
        contribution,
        cost.clone(),
        out.weekly_open_leads.clone(),
    ]
}

/// Adds a part's series to a trial's.
fn add_into(total: &mut [Vec<f64>], part: &[Vec<f64>]) {
    for (t, p) in total.iter_mut().zip(part) {
        if t.len() < p.len() {
            t.resize(p.len(), 0.0);
        }
        for (a, b) in t.iter_mut().zip(p) {
            *a += b;
        }
    }
}

/// What one trial gives: staying's series and, per plan, the transition's and the
/// leads lost to its wind-down.
struct TrialSeries {
    staying: Vec<Vec<f64>>,
    plans: Vec<(Vec<Vec<f64>>, u64)>,
}

/// Runs every plan of `spec` on the same trials. `progress` is called once per trial.
pub fn run(
    before: &Scenario,
    after: &Scenario,
    spec: &TransitionSpec,
    progress: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Result<TransitionResult, Cancelled> {
    let same = same_design(before, after);
    let margin = has_margin(before) && has_margin(after);
    let built: Vec<(Scenario, Scenario)> = spec
        .plans
        .iter()
        .map(|p| parts(before, after, p, spec.wind_down_weeks))
        .collect();
    let one = |trial: u64| -> Option<TrialSeries> {
        let staying_out = simulate_until(before, spec.seed, trial, cancel)?;
        let staying = trial_series(&staying_out, margin);
        let mut plans = Vec::with_capacity(built.len());
        for (b, a) in &built {
            if same {
                plans.push((staying.clone(), 0));
                continue;
            }
            let bo = simulate_until(b, spec.seed, trial, cancel)?;
            let ao = simulate_until(a, spec.seed, trial, cancel)?;
            let mut series = trial_series(&bo, margin);
            add_into(&mut series, &trial_series(&ao, margin));
            plans.push((series, bo.handover_lost + ao.handover_lost));
        }
        progress();
        Some(TrialSeries { staying, plans })
    };
    let trials: Vec<u64> = (0..spec.trials).collect();
    let mut all: Vec<TrialSeries> = Vec::with_capacity(trials.len());
    for chunk in trials.chunks(CHUNK) {
        if cancel.load(Ordering::Relaxed) {
            return Err(Cancelled);
        }
        let outs: Vec<Option<TrialSeries>> = chunk.par_iter().map(|&t| one(t)).collect();
        for out in outs {
            all.push(out.ok_or(Cancelled)?);
        }
    }
    let weeks = all
        .first()
        .map_or(0, |t| t.staying.iter().map(Vec::len).max().unwrap_or(0));
    let plans = spec
        .plans
        .iter()
        .enumerate()
        .map(|(i, plan)| summarise(plan, i, &all, weeks))
        .collect();
    let mut warnings = Vec::new();
    if same {
        warnings.push(format!(
            "the two designs are the same: nothing to move ({} and {} are one validated scenario; the transition is staying, exactly)",
            before.name, after.name
        ));
    }
    let per_week = before.calendar.hours_per_week();
    let warmup_weeks = before
        .warmup_found
        .map_or(before.warmup_hours / per_week, |w| w.weeks);
    for plan in &spec.plans {
        let (first, _) = plan.span();
        if (first as f64) < warmup_weeks {
            warnings.push(format!(
                "plan {}: the before design has not settled by week {first} (its warm-up is {warmup_weeks:.0} weeks from the empty start): the transition starts from a pipeline still filling, and staying's early weeks are not its steady state",
                plan.name
            ));
        }
    }
    Ok(TransitionResult {
        before: before.name.clone(),
        after: after.name.clone(),
        trials: spec.trials,
        seed: spec.seed,
        weeks,
        offices: after.offices.iter().map(|o| o.name.clone()).collect(),
        wind_down_weeks: spec.wind_down_weeks,
        contribution_basis: if margin {
            "gross profit less staffing cost"
        } else {
            "revenue less staffing cost (no gross margin is given)"
        },
        same_design: same,
        plans,
        warnings,
    })
}

fn at(series: &[f64], week: usize) -> f64 {
    series.get(week).copied().unwrap_or(0.0)
}

/// One plan's summaries over the trials, folded in trial order.
fn summarise(plan: &SwitchPlan, index: usize, all: &[TrialSeries], weeks: usize) -> PlanResult {
    let n = all.len().max(1) as f64;
    let mut series = Vec::new();
    for (m, &metric) in METRICS.iter().enumerate() {
        let mut transition = vec![0.0; weeks];
        let mut staying = vec![0.0; weeks];
        let mut difference = Vec::with_capacity(weeks);
        for week in 0..weeks {
            let mut diffs = Vec::with_capacity(all.len());
            for t in all {
                let x = at(&t.plans[index].0[m], week);
                let y = at(&t.staying[m], week);
                transition[week] += x;
                staying[week] += y;
                diffs.push(x - y);
            }
            transition[week] /= n;
            staying[week] /= n;
            difference.push(Summary::of(&diffs));
        }
        series.push(SeriesComparison {
            metric,
            transition,
            staying,
            difference,
        });
    }
    let mut running = vec![0.0; all.len()];
    let mut cumulative = Vec::with_capacity(weeks);
    for week in 0..weeks {
        for (r, t) in running.iter_mut().zip(all) {
            *r += at(&t.plans[index].0[CONTRIBUTION], week) - at(&t.staying[CONTRIBUTION], week);
        }
        cumulative.push(Summary::of(&running));
    }
    let lost: Vec<f64> = all.iter().map(|t| t.plans[index].1 as f64).collect();
    PlanResult {
        plan: plan.clone(),
        series,
        payback: payback(&cumulative),
        dip: dip(&cumulative),
        cumulative,
        lost_to_transition: Summary::of(&lost),
    }
}
