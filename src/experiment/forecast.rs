//! `forecast`: start trials from today's open pipeline (no new leads) and report the
//! spread of deals won and bookings per week and in total, beside the weighted-pipeline
//! forecast (amount x the stage's win probability), the deals at risk and a per-owner
//! funnel table.

use rayon::prelude::*;

use crate::data::History;
use crate::data::pipeline::{initial_state, open_opportunities};
use crate::model::{LeadEnd, Trace};
use crate::report::stage_marks;
use crate::scenario::{Scenario, Warmup};

/// P10, P50 and P90 across trials.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
    pub mean: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WeekForecast {
    /// 1-based week from the pipeline's date.
    pub week: usize,
    pub deals: Band,
    pub bookings: Band,
}

/// An open opportunity in its stage longer than the p90 of that stage's time.
#[derive(Debug, Clone, PartialEq)]
pub struct AtRisk {
    pub id: String,
    pub stage: String,
    pub owner: String,
    pub days_in_stage: f64,
    pub p90_days: f64,
}

/// One owner's open opportunities per stage, their amount and weighted value.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnerFunnel {
    pub owner: String,
    pub per_stage: Vec<u64>,
    pub amount: f64,
    pub weighted: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    pub weeks: usize,
    pub trials: u64,
    pub stages: Vec<String>,
    /// Each stage's win probability: the product of its and later steps' advance.
    pub stage_win: Vec<f64>,
    pub open: usize,
    pub per_week: Vec<WeekForecast>,
    /// Deals won from the start to the end of each week (week 1 first), across trials.
    pub cumulative_deals: Vec<Band>,
    pub total_deals: Band,
    pub total_bookings: Band,
    /// Sum over open opportunities of the stage's win probability.
    pub weighted_deals: f64,
    /// Sum over open opportunities of amount x the stage's win probability.
    pub weighted_bookings: f64,
    pub at_risk: Vec<AtRisk>,
    pub owners: Vec<OwnerFunnel>,
    pub notes: Vec<String>,
}

/// Each step's win probability from it onwards, from the scenario's advance
/// probabilities alone (no decay, handoff loss or segment scaling).
pub fn stage_win_probabilities(s: &Scenario) -> Vec<f64> {
    let mut out = vec![1.0; s.funnel.len()];
    let mut p = 1.0;
    for (k, step) in s.funnel.iter().enumerate().rev() {
        p *= step.advance;
        out[k] = p;
    }
    out
}

/// The scenario a forecast runs: `weeks` long, no warm-up, no new leads (service still
/// arrives), starting from the pipeline's open opportunities as of `as_of_hours`.
pub fn forecast_scenario(
    s: &Scenario,
    pipeline: &History,
    weeks: usize,
    as_of_hours: f64,
) -> Scenario {
    let mut sim = s.clone();
    sim.horizon_hours = weeks as f64 * s.calendar.hours_per_week();
    sim.warmup_hours = 0.0;
    sim.warmup = Warmup::Fixed;
    sim.new_leads = false;
    sim.initial_pipeline = initial_state(pipeline, as_of_hours);
    sim
}

/// The nearest-rank quantile of sorted values: the smallest x with F(x) >= q.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// The P10, P50, P90 and mean of `xs` across trials (nearest-rank quantiles).
pub fn band(mut xs: Vec<f64>) -> Band {
    xs.sort_by(f64::total_cmp);
    let mean = xs.iter().sum::<f64>() / xs.len().max(1) as f64;
    Band {
        p10: quantile(&xs, 0.1),
        p50: quantile(&xs, 0.5),
        p90: quantile(&xs, 0.9),
        mean,
    }
}

/// Deals won and bookings of one forecast trial, week by week (week 1 first).
#[derive(Debug, Clone, PartialEq)]
pub struct TrialWins {
    pub deals: Vec<f64>,
    pub bookings: Vec<f64>,
}

impl TrialWins {
    pub fn total_deals(&self) -> f64 {
        self.deals.iter().sum()
    }

    pub fn total_bookings(&self) -> f64 {
        self.bookings.iter().sum()
    }
}

/// Deals won and bookings per week of one trial.
fn weekly_wins(trace: &Trace, weeks: usize, hours_per_week: f64) -> TrialWins {
    let (mut deals, mut bookings) = (vec![0.0; weeks], vec![0.0; weeks]);
    for lead in &trace.leads {
        if let Some((LeadEnd::Won, at, value)) = lead.end {
            let w = ((at / hours_per_week) as usize).min(weeks.saturating_sub(1));
            if let (Some(d), Some(b)) = (deals.get_mut(w), bookings.get_mut(w)) {
                *d += 1.0;
                *b += value;
            }
        }
    }
    TrialWins { deals, bookings }
}

/// Runs `trials` trials of the forecast scenario `sim` (see [`forecast_scenario`]) with
/// `seed` over `weeks` weeks, and returns each trial's wins (on the current rayon
/// pool; results do not depend on it).
pub fn forecast_trials(sim: &Scenario, weeks: usize, trials: u64, seed: u64) -> Vec<TrialWins> {
    let hpw = sim.calendar.hours_per_week();
    (0..trials)
        .into_par_iter()
        .map(|i| {
            let (_, trace) = crate::model::simulate_traced(sim, seed, i);
            weekly_wins(&trace, weeks, hpw)
        })
        .collect()
}

/// The p90 of each stage's time (hours), from trials of the scenario as written: the
/// time from entering a stage to entering the next or ending, of leads that left it.
fn stage_time_p90(s: &Scenario, trials: u64, seed: u64) -> Vec<Option<f64>> {
    let runs: Vec<Vec<Vec<f64>>> = (0..trials)
        .into_par_iter()
        .map(|i| {
            let (_, trace) = crate::model::simulate_traced(s, seed, i);
            let mut times = vec![Vec::new(); s.funnel.len()];
            for (lead, marks) in trace.leads.iter().zip(stage_marks(s, &trace)) {
                for (j, m) in marks.iter().enumerate() {
                    let left = match marks.get(j + 1) {
                        Some(next) => Some(next.at_hours),
                        None => lead.end.map(|(_, at, _)| at),
                    };
                    if let (Some(left), Some(t)) = (left, times.get_mut(m.step))
                        && m.at_hours >= s.warmup_hours
                    {
                        t.push(left - m.at_hours);
                    }
                }
            }
            times
        })
        .collect();
    (0..s.funnel.len())
        .map(|k| {
            let mut xs: Vec<f64> = runs.iter().flat_map(|r| r[k].iter().copied()).collect();
            xs.sort_by(f64::total_cmp);
            (xs.len() >= 10).then(|| quantile(&xs, 0.9))
        })
        .collect()
}

/// Forecasts `weeks` from the open opportunities of `pipeline` as of `as_of_hours`
/// (working hours on the pipeline's clock: the snapshot, "today") with `trials` trials
/// of `seed` (on the current rayon pool; results do not depend on it).
pub fn forecast(
    pipeline: &History,
    s: &Scenario,
    weeks: usize,
    as_of_hours: f64,
    trials: u64,
    seed: u64,
) -> Forecast {
    let weeks = weeks.max(1);
    let sim = forecast_scenario(s, pipeline, weeks, as_of_hours);
    let runs = forecast_trials(&sim, weeks, trials, seed);
    let per_week = (0..weeks)
        .map(|w| WeekForecast {
            week: w + 1,
            deals: band(runs.iter().map(|r| r.deals[w]).collect()),
            bookings: band(runs.iter().map(|r| r.bookings[w]).collect()),
        })
        .collect();
    let cumulative_deals = (0..weeks)
        .map(|w| band(runs.iter().map(|r| r.deals[..=w].iter().sum()).collect()))
        .collect();
    let total_deals = band(runs.iter().map(TrialWins::total_deals).collect());
    let total_bookings = band(runs.iter().map(TrialWins::total_bookings).collect());

    let stages: Vec<String> = s.funnel.iter().map(|f| f.name.clone()).collect();
    let stage_win = stage_win_probabilities(s);
    let open = open_opportunities(pipeline);
    let mean_deal = s.deal_value.mean();
    let mut notes = Vec::new();
    let (mut weighted_deals, mut weighted_bookings) = (0.0, 0.0);
    let mut owners: Vec<OwnerFunnel> = Vec::new();
    let mut missing_amounts = 0;
    for o in &open {
        let Some(step) = o.entries.last().map(|e| e.step) else {
            continue;
        };
        let p = stage_win.get(step).copied().unwrap_or(0.0);
        let amount = o.amount.unwrap_or_else(|| {
            missing_amounts += 1;
            mean_deal
        });
        weighted_deals += p;
        weighted_bookings += amount * p;
        let name = o.owner.clone().unwrap_or_else(|| "(no owner)".into());
        let row = match owners.iter().position(|r| r.owner == name) {
            Some(i) => &mut owners[i],
            None => {
                owners.push(OwnerFunnel {
                    owner: name,
                    per_stage: vec![0; stages.len()],
                    amount: 0.0,
                    weighted: 0.0,
                });
                owners.last_mut().expect("just pushed")
            }
        };
        if let Some(c) = row.per_stage.get_mut(step) {
            *c += 1;
        }
        row.amount += amount;
        row.weighted += amount * p;
    }
    owners.sort_by(|a, b| a.owner.cmp(&b.owner));

    let as_of = as_of_hours;
    let hpd = s.calendar.hours_per_day;
    let reference_trials = trials.clamp(1, 20);
    let p90 = stage_time_p90(s, reference_trials, seed);
    let mut at_risk = Vec::new();
    for o in &open {
        let Some(e) = o.entries.last() else { continue };
        if let (Some(entered), Some(Some(limit))) = (e.entered_hours, p90.get(e.step))
            && as_of - entered > *limit
        {
            at_risk.push(AtRisk {
                id: o.id.clone(),
                stage: stages[e.step].clone(),
                owner: o.owner.clone().unwrap_or_else(|| "(no owner)".into()),
                days_in_stage: (as_of - entered) / hpd,
                p90_days: limit / hpd,
            });
        }
    }

    notes.push(format!(
        "open pipeline only: no new leads arrive in the {weeks} weeks, so deals from leads not yet in the pipeline are not counted"
    ));
    notes.push(
        "the total over the weeks is the surer figure (its P10-P90 band, checked against mid-run snapshots of simulated histories, covers what the opportunities go on to do at about the stated rate); the timing week by week less so: an opportunity in a meeting step is booked afresh at the snapshot (its booked date is not in the file), so in the first weeks deals tend to come later than the bands say".into(),
    );
    notes.push(
        "time already spent in a stage is credited on task steps: the remaining work is drawn from the step's duration conditioned on exceeding the working hours spent in the stage by the snapshot; a meeting step, or a task step with contact attempts, starts afresh".into(),
    );
    notes.push(
        "the weighted forecast uses each stage's win probability from the scenario's advance probabilities alone (no decay, handoff loss or segment scaling)".into(),
    );
    if missing_amounts > 0 {
        notes.push(format!(
            "{missing_amounts} open opportunities have no amount: the scenario's deal value is drawn for them (its mean, {mean_deal:.0}, in the weighted forecast)"
        ));
    }
    notes.push(format!(
        "at risk: in its stage, as of the snapshot, longer than the p90 of that stage's time in {reference_trials} trials of the scenario as written (times of leads that left the stage; stages with fewer than 10 such times are not judged)"
    ));
    if trials < 100 {
        notes.push(format!(
            "only {trials} trials: P10 and P90 are themselves uncertain"
        ));
    }
    if open.is_empty() {
        notes.push("the pipeline has no open opportunities: nothing to forecast".into());
    }
    Forecast {
        weeks,
        trials,
        stages,
        stage_win,
        open: open.len(),
        per_week,
        cumulative_deals,
        total_deals,
        total_bookings,
        weighted_deals,
        weighted_bookings,
        at_risk,
        owners,
        notes,
    }
}
