//! `calibrate`: what an opportunity history shows directly, fitted for a scenario:
//! inbound lead arrivals per week (and by quarter when a year or more is there), each
//! step's advance probability, deal values, each step's time in stage, the sources'
//! office shares and the segments' shares (calibrate_shares.rs), every figure
//! with its n, 95% interval and fit; and what the history cannot identify, listed.

use crate::data::fit::{DurationFit, fit_duration, proportion};
use crate::data::labels::source_labels;
use crate::data::{History, Opportunity, Outcome};
use crate::scenario::{Scenario, SourceKind};

/// A fitted value, as it goes into the scenario.
#[derive(Debug, Clone, PartialEq)]
pub enum FittedValue {
    Number(f64),
    List(Vec<f64>),
    Distribution(DurationFit),
}

/// One fitted figure: the scenario key it sets, its estimate, n and 95% interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    pub key: String,
    pub value: FittedValue,
    pub n: u64,
    pub ci95: (f64, f64),
    /// How it was fitted, in words.
    pub fit: String,
}

/// The time opportunities spent in one stage (waiting included), fitted.
#[derive(Debug, Clone, PartialEq)]
pub struct StageTime {
    pub step: String,
    pub fit: Option<DurationFit>,
    /// Times of zero (entered and left at one moment) left out of the fit.
    pub zeros: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    pub weeks: f64,
    pub opportunities: usize,
    pub fitted: Vec<Fitted>,
    pub stage_times: Vec<StageTime>,
    /// Keys left as the template had them, each with the reason.
    pub not_identified: Vec<String>,
    /// Cautions about the fit, in words.
    pub notes: Vec<String>,
}

/// Fits what `history` shows for the template `s`.
pub fn calibrate(history: &History, s: &Scenario) -> Calibration {
    let mut c = Calibration {
        weeks: history.weeks(),
        opportunities: history.opportunities.len(),
        fitted: Vec::new(),
        stage_times: Vec::new(),
        not_identified: Vec::new(),
        notes: Vec::new(),
    };
    if c.weeks < 4.0 {
        c.notes.push(format!(
            "the history covers only {:.1} weeks: every rate below rests on a short window",
            c.weeks
        ));
    }
    super::calibrate_arrivals::fit_arrivals(history, s, &mut c);
    super::calibrate_shares::fit_shares(history, s, &mut c);
    fit_advances(history, s, &mut c);
    fit_deal_values(history, &mut c);
    c.stage_times = stage_times(history)
        .into_iter()
        .zip(&s.funnel)
        .map(|((fit, zeros), step)| StageTime {
            step: step.name.clone(),
            fit,
            zeros,
        })
        .collect();
    list_unidentified(s, &mut c);
    c
}

/// When the opportunity left `step`: when it entered a later one, or closed.
pub(crate) fn left_at(o: &Opportunity, step: usize) -> Option<f64> {
    o.entries
        .iter()
        .filter(|e| e.step > step)
        .find_map(|e| e.entered_hours)
        .or(o.closed_hours)
}

/// How each opportunity that entered `step` and left it fared there: advanced or
/// not, with its time in the stage when known. Open ones (still in it) are censored.
pub(crate) fn decided(
    history: &History,
    s: &Scenario,
    step: usize,
) -> (Vec<(bool, Option<f64>)>, u64) {
    let mut cold = 0;
    let mut out = Vec::new();
    for o in &history.opportunities {
        let Some(furthest) = o.furthest_step() else {
            continue;
        };
        if furthest < step || !o.entries.iter().any(|e| e.step == step) {
            continue;
        }
        let time = match (o.entered(step), left_at(o, step)) {
            (Some(a), Some(b)) if !o.out_of_order && b >= a => Some(b - a),
            _ => None,
        };
        let advanced = if furthest > step {
            true
        } else {
            match o.outcome {
                Some(Outcome::Won) => true,
                Some(Outcome::Lost) => false,
                _ => continue,
            }
        };
        // A lead lost in the first stage after the whole shelf life went cold: the
        // model's shelf life makes those, not the step's advance.
        if step == 0
            && !advanced
            && furthest == 0
            && let (Some(shelf), Some(t)) = (s.shelf_life_hours, time)
            && t >= shelf * 0.999
        {
            cold += 1;
            continue;
        }
        out.push((advanced, time));
    }
    (out, cold)
}

fn fit_advances(history: &History, s: &Scenario, c: &mut Calibration) {
    for (k, step) in s.funnel.iter().enumerate() {
        let (items, cold) = decided(history, s, k);
        let key = format!("funnel.{k}.advance");
        let n = items.len() as u64;
        let wins = items.iter().filter(|(a, _)| *a).count() as u64;
        if n < 10 {
            c.not_identified.push(format!(
                "{key} ({}): only {n} opportunities left the stage; at least 10 are needed",
                step.name
            ));
            continue;
        }
        if cold > 0 {
            c.notes.push(format!(
                "{}: {cold} leads lost after the whole shelf life counted as gone cold, not as failures of the step",
                step.name
            ));
        }
        let d = step.advance_decay_per_day;
        let fitted = if d > 0.0 {
            decayed_advance(&items, d, s.calendar.hours_per_day)
                .map(|(a, ci)| (a, ci, format!("maximum likelihood with the template's advance_decay_per_day = {d}, the time in stage standing for the wait")))
        } else {
            proportion(wins, n)
                .map(|(p, ci)| (p, ci, "share advanced, Wilson interval".to_string()))
        };
        if let Some((p, ci, fit)) = fitted {
            c.fitted.push(Fitted {
                key,
                value: FittedValue::Number(p),
                n,
                ci95: ci,
                fit,
            });
        }
    }
}

/// The base advance `a` when an item waiting `t` days advances with probability
/// `a (1 - d)^t`: maximum likelihood by bisection, with the Fisher-information interval.
fn decayed_advance(
    items: &[(bool, Option<f64>)],
    d: f64,
    hours_per_day: f64,
) -> Option<(f64, (f64, f64))> {
    let factors: Vec<f64> = items
        .iter()
        .filter_map(|(_, t)| *t)
        .map(|t| (1.0 - d).powf(t / hours_per_day))
        .collect();
    let mean_factor = if factors.is_empty() {
        1.0
    } else {
        factors.iter().sum::<f64>() / factors.len() as f64
    };
    let f: Vec<(bool, f64)> = items
        .iter()
        .map(|(a, t)| {
            (
                *a,
                t.map_or(mean_factor, |t| (1.0 - d).powf(t / hours_per_day)),
            )
        })
        .collect();
    let score = |a: f64| -> f64 {
        f.iter()
            .map(|&(adv, fi)| {
                if adv {
                    1.0 / a
                } else {
                    -fi / (1.0 - a * fi).max(1e-12)
                }
            })
            .sum()
    };
    let (mut lo, mut hi) = (1e-9, 1.0);
    if score(hi) > 0.0 {
        lo = hi;
    } else {
        for _ in 0..100 {
            let mid = 0.5 * (lo + hi);
            if score(mid) > 0.0 { lo = mid } else { hi = mid }
        }
    }
    let a = lo;
    let info: f64 = f
        .iter()
        .map(|&(adv, fi)| {
            if adv {
                1.0 / (a * a)
            } else {
                fi * fi / (1.0 - a * fi).max(1e-12).powi(2)
            }
        })
        .sum();
    let half = crate::data::fit::Z95 / info.sqrt();
    Some((a, ((a - half).max(0.0), (a + half).min(1.0))))
}

fn fit_deal_values(history: &History, c: &mut Calibration) {
    let amounts: Vec<f64> = history
        .opportunities
        .iter()
        .filter(|o| o.outcome == Some(Outcome::Won))
        .filter_map(|o| o.amount)
        .collect();
    match fit_duration(&amounts) {
        Some(fit) if amounts.len() >= 10 => c.fitted.push(Fitted {
            key: "deals.value".into(),
            n: fit.n as u64,
            ci95: fit.mean_ci,
            fit: format!(
                "{} by maximum likelihood (AIC), Kolmogorov-Smirnov D = {:.3}, p = {:.2}",
                fit.family.name(),
                fit.ks,
                fit.ks_p
            ),
            value: FittedValue::Distribution(fit),
        }),
        _ => c.not_identified.push(format!(
            "deals.value: {} won opportunities with an amount; at least 10 are needed",
            amounts.len()
        )),
    }
}

/// Each step's time in stage, fitted, with the zero times left out.
fn stage_times(history: &History) -> Vec<(Option<DurationFit>, usize)> {
    (0..history.steps.len())
        .map(|k| {
            let times: Vec<f64> = history
                .opportunities
                .iter()
                .filter(|o| !o.out_of_order)
                .filter_map(|o| Some(left_at(o, k)? - o.entered(k)?))
                .filter(|t| *t >= 0.0)
                .collect();
            let zeros = times.iter().filter(|t| **t == 0.0).count();
            (fit_duration(&times), zeros)
        })
        .collect()
}

fn list_unidentified(s: &Scenario, c: &mut Calibration) {
    for (i, src) in s.lead_sources.iter().enumerate() {
        if let SourceKind::Prospecting { .. } = src.kind {
            c.not_identified.push(format!(
                "lead_sources.{i} ({}): prospected leads depend on the time people spend prospecting, which a CRM does not record",
                source_labels(s).get(i).cloned().unwrap_or_default()
            ));
        }
    }
    c.not_identified.push(
        "funnel.*.duration and variants: the history shows time in stage (waiting included), not the work itself; see the stage times".into(),
    );
    c.not_identified.push(
        "roles, calendar, service, admin, costs, handoff, leads.shelf_life_days, customer_notice_days, reschedule_probability, advance_decay_per_day: not in an opportunity history".into(),
    );
}
