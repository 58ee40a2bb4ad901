//! `backtest`: simulate the period a history covers and set simulated against
//! observed, measure by measure, each measured the same way on the history and on
//! every simulated trial's own history; a measure disagrees when the observed value
//! lies outside the simulated spread (mean ± z·sd across trials, z Bonferroni-corrected
//! for the number of measures, so a true design is flagged somewhere only 5% of the time).

use rayon::prelude::*;

use super::calibrate::{decided, left_at};
use crate::data::fit::{Z95, poisson_rate, proportion};
use crate::data::{Column, History, Opportunity, Outcome, Problems, StageEntry};
use crate::model::{LeadEnd, Trace};
use crate::report::{history_clock, stage_marks};
use crate::scenario::{Scenario, Warmup};

/// One measure: observed (with its own 95% interval) and simulated across trials.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    pub name: String,
    pub observed: f64,
    pub observed_ci: (f64, f64),
    pub n: u64,
    pub simulated_mean: f64,
    pub simulated_sd: f64,
    /// The spread outside which the observed value disagrees.
    pub band: (f64, f64),
    pub agrees: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Backtest {
    pub weeks: f64,
    pub trials: u64,
    pub z: f64,
    pub measures: Vec<Measure>,
    pub notes: Vec<String>,
}

type Observation = (String, f64, (f64, f64), u64);

/// The measures of one history, in a fixed order.
pub fn observe(h: &History, s: &Scenario) -> Vec<Observation> {
    let weeks = h.weeks().max(1e-9);
    let mut out = Vec::new();
    let created = h
        .opportunities
        .iter()
        .filter(|o| o.created().is_some())
        .count() as u64;
    if let Some((r, ci)) = poisson_rate(created, weeks) {
        out.push(("leads per week".to_string(), r, ci, created));
    }
    for (k, step) in s.funnel.iter().enumerate() {
        let (items, _) = decided(h, s, k);
        let adv = items.iter().filter(|(a, _)| *a).count() as u64;
        let (p, ci) =
            proportion(adv, items.len() as u64).unwrap_or((f64::NAN, (f64::NAN, f64::NAN)));
        out.push((
            format!("{}: conversion", step.name),
            p,
            ci,
            items.len() as u64,
        ));
    }
    let won: Vec<&Opportunity> = h
        .opportunities
        .iter()
        .filter(|o| o.outcome == Some(Outcome::Won))
        .collect();
    let lost = h
        .opportunities
        .iter()
        .filter(|o| o.outcome == Some(Outcome::Lost))
        .count() as u64;
    let n_won = won.len() as u64;
    let (p, ci) = proportion(n_won, n_won + lost).unwrap_or((f64::NAN, (f64::NAN, f64::NAN)));
    out.push(("win rate".into(), p, ci, n_won + lost));
    if let Some((r, ci)) = poisson_rate(n_won, weeks) {
        out.push(("deals won per week".into(), r, ci, n_won));
    }
    for (k, step) in s.funnel.iter().enumerate() {
        let times: Vec<f64> = h
            .opportunities
            .iter()
            .filter(|o| !o.out_of_order)
            .filter_map(|o| Some(left_at(o, k)? - o.entered(k)?))
            .filter(|t| *t >= 0.0)
            .collect();
        out.push(mean_of(
            format!("{}: time in stage, hours", step.name),
            &times,
        ));
    }
    let cycles: Vec<f64> = won
        .iter()
        .filter_map(|o| Some(o.closed_hours? - o.created()?))
        .collect();
    out.push(mean_of("sales cycle of won deals, hours".into(), &cycles));
    let amounts: Vec<f64> = won.iter().filter_map(|o| o.amount).collect();
    let revenue = amounts.iter().sum::<f64>() / weeks;
    let half = Z95 * amounts.iter().map(|v| v * v).sum::<f64>().sqrt() / weeks;
    out.push((
        "revenue per week".into(),
        revenue,
        (revenue - half, revenue + half),
        amounts.len() as u64,
    ));
    out
}

fn mean_of(name: String, x: &[f64]) -> Observation {
    let n = x.len();
    if n < 2 {
        return (name, f64::NAN, (f64::NAN, f64::NAN), n as u64);
    }
    let mean = x.iter().sum::<f64>() / n as f64;
    let sd = (x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
    let half = Z95 * sd / (n as f64).sqrt();
    (name, mean, (mean - half, mean + half), n as u64)
}

/// A simulated trial's own history, built in memory as the reader would read it.
pub fn trial_history(s: &Scenario, trace: &Trace) -> History {
    let marks = stage_marks(s, trace);
    let opportunities = trace
        .leads
        .iter()
        .zip(marks)
        .enumerate()
        .map(|(i, (lead, stages))| {
            let (outcome, closed, amount) = match lead.end {
                Some((LeadEnd::Won, at, v)) => (Outcome::Won, Some(at), Some(v)),
                Some((_, at, _)) => (Outcome::Lost, Some(at), None),
                None => (Outcome::Open, None, None),
            };
            Opportunity {
                id: format!("O-{:06}", i + 1),
                entries: stages
                    .iter()
                    .map(|m| StageEntry {
                        step: m.step,
                        entered_hours: Some(m.at_hours),
                        owner: None,
                        line: 0,
                    })
                    .collect(),
                created_hours: Some(lead.created_hours),
                owner: None,
                amount,
                outcome: Some(outcome),
                closed_hours: closed,
                source: None,
                segment: None,
                office: None,
                out_of_order: false,
            }
        })
        .collect();
    History {
        file: "simulated".into(),
        steps: s.funnel.iter().map(|f| f.name.clone()).collect(),
        clock: history_clock(s),
        opportunities,
        span_hours: (0.0, s.horizon_hours),
        rows: 0,
        problems: Problems::default(),
        has: vec![
            Column::CreatedAt,
            Column::Amount,
            Column::Outcome,
            Column::ClosedAt,
        ],
    }
}

/// Back-tests `s` against `history` with `trials` trials of `seed` (run on the current
/// rayon pool; results do not depend on it).
pub fn backtest(history: &History, s: &Scenario, trials: u64, seed: u64) -> Backtest {
    let weeks = history.weeks();
    let mut sim = s.clone();
    sim.horizon_hours = weeks.max(1.0) * s.calendar.hours_per_week();
    sim.warmup_hours = 0.0;
    sim.warmup = Warmup::Fixed;
    let observed = observe(history, s);
    let runs: Vec<Vec<Observation>> = (0..trials)
        .into_par_iter()
        .map(|i| {
            let (_, trace) = crate::model::simulate_traced(&sim, seed, i);
            observe(&trial_history(&sim, &trace), &sim)
        })
        .collect();
    // Bonferroni: each measure at 5% / m, two-sided.
    let m = observed.len().max(1) as f64;
    let z = normal_quantile(1.0 - 0.025 / m);
    let measures = observed
        .into_iter()
        .enumerate()
        .map(|(j, (name, value, ci, n))| {
            let xs: Vec<f64> = runs
                .iter()
                .filter_map(|r| r.get(j))
                .map(|o| o.1)
                .filter(|v| v.is_finite())
                .collect();
            let k = xs.len().max(1) as f64;
            let mean = xs.iter().sum::<f64>() / k;
            let sd =
                (xs.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (k - 1.0).max(1.0)).sqrt();
            let band = (mean - z * sd, mean + z * sd);
            let agrees = !value.is_finite() || xs.len() < 2 || (band.0 <= value && value <= band.1);
            Measure {
                name,
                observed: value,
                observed_ci: ci,
                n,
                simulated_mean: mean,
                simulated_sd: sd,
                band,
                agrees,
            }
        })
        .collect();
    let mut notes = vec![format!(
        "the simulation starts from an empty pipeline and runs the {weeks:.1} weeks the history covers; a history that starts with opportunities already open differs in its first weeks"
    )];
    if trials < 20 {
        notes.push(format!(
            "only {trials} trials: the simulated spread is itself uncertain"
        ));
    }
    Backtest {
        weeks,
        trials,
        z,
        measures,
        notes,
    }
}

/// The standard normal quantile (Acklam's rational approximation, refined by a step of
/// Newton on erf), good to about 1e-12.
fn normal_quantile(p: f64) -> f64 {
    let p = p.clamp(1e-300, 1.0 - 1e-16);
    let q = (-2.0 * (1.0 - p).ln()).sqrt();
    let mut x = q
        - (2.515517 + 0.802853 * q + 0.010328 * q * q)
            / (1.0 + 1.432788 * q + 0.189269 * q * q + 0.001308 * q * q * q);
    for _ in 0..3 {
        let cdf = 0.5 * (1.0 + statrs::function::erf::erf(x / std::f64::consts::SQRT_2));
        let pdf = (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt();
        x -= (cdf - p) / pdf;
    }
    x
}
