//! `[[changes]]`: a timeline inside one scenario. Each change is a set of `--set`
//! overrides applied from the start of its week on, on top of the earlier changes, so
//! a change passes every check the file does; the scenario of each period must keep
//! the structure of the first (roles, steps, sources' kinds and roles, offices,
//! calendar, horizon, warm-up, segments), since a running trial cannot change those.
//! A source's release may change: the running trial switches its pool.

use serde::{Deserialize, Serialize};

use super::overrides::Override;
use super::{Problem, Scenario, ScenarioError};

/// One `[[changes]]` table as written.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawChange {
    pub at_week: f64,
    #[serde(default)]
    pub set: toml::Table,
}

/// The scenario from the start of week `at_week` on.
#[derive(Debug, Clone)]
pub struct Period {
    pub at_week: u64,
    pub scenario: Scenario,
}

/// Keys no change may set, whatever their value: they shape the whole trial.
const FIXED_KEYS: [&str; 9] = [
    "name",
    "horizon_weeks",
    "warmup_weeks",
    "calendar",
    "changes",
    "offices",
    "segments",
    "initial_pipeline",
    "initial_pipeline_map",
];

/// The timeline of `changes` on top of `base` (the file after `--set`): the scenario
/// of each period, validated by `validate` (which reads a file text after overrides).
pub fn timeline(
    text: &str,
    origin: &str,
    base: &Scenario,
    user: &[Override],
    changes: &[RawChange],
    validate: impl Fn(&[Override]) -> Result<Scenario, ScenarioError>,
) -> Result<Vec<Period>, ScenarioError> {
    let horizon_weeks = base.horizon_hours / base.calendar.hours_per_week();
    let mut periods = Vec::new();
    let mut overrides = user.to_vec();
    let mut last_week = 0.0;
    for (k, change) in changes.iter().enumerate() {
        let at = change.at_week;
        let problem = |key: String, message: String| {
            let at = super::locate::locate(text, &key.replace(['[', ']'], ".").replace("..", "."));
            ScenarioError {
                file: origin.to_string(),
                problems: vec![Problem {
                    key,
                    message,
                    line: at.map(|(l, _)| l),
                    column: at.map(|(_, c)| c),
                }],
            }
        };
        if !(at.is_finite() && at.fract() == 0.0 && at >= 1.0 && at < horizon_weeks) {
            return Err(problem(
                format!("changes[{k}].at_week"),
                format!(
                    "must be a whole week from 1 to before the horizon ({horizon_weeks} weeks) (got {at})"
                ),
            ));
        }
        if k > 0 && at <= last_week {
            return Err(problem(
                format!("changes[{k}].at_week"),
                format!("changes must come in increasing at_week (got {at} after {last_week})"),
            ));
        }
        last_week = at;
        // Keys that only pass together (a source's release and its queue_target, say)
        // are checked as the whole change when one alone fails.
        let mut whole = overrides.clone();
        whole.extend(change.set.iter().map(|(key, value)| Override {
            path: key.clone(),
            value: value.to_string(),
        }));
        let whole_shape = validate(&whole).ok().map(|s| shape(&s));
        for (key, value) in &change.set {
            let name = format!("changes[{k}].set.\"{key}\"");
            let top = key.split('.').next().unwrap_or_default();
            if FIXED_KEYS.contains(&top) {
                return Err(problem(
                    name,
                    format!(
                        "`{key}` cannot change while a trial runs (the {top} of a scenario is fixed); give it in the file or with --set"
                    ),
                ));
            }
            overrides.push(Override {
                path: key.clone(),
                value: value.to_string(),
            });
            let shape_now = match (validate(&overrides), &whole_shape) {
                (Ok(scenario), _) => shape(&scenario),
                (Err(_), Some(whole)) => whole.clone(),
                (Err(mut e), None) => {
                    for p in &mut e.problems {
                        p.message = format!("{} (set by {name}, week {at})", p.message);
                        if p.key.is_empty() {
                            p.key = name.clone();
                        }
                    }
                    return Err(e);
                }
            };
            if shape_now != shape(base) {
                return Err(problem(
                    name,
                    format!(
                        "`{key}` cannot change while a trial runs: it changes the scenario's structure (roles, steps, a lead source's kind or to_role, offices or priorities); only values such as headcounts, rates, durations, probabilities, targets and a source's release can change"
                    ),
                ));
            }
        }
        let scenario = validate(&overrides)?;
        periods.push(Period {
            at_week: at as u64,
            scenario,
        });
    }
    Ok(periods)
}

/// What a running trial cannot change, as one comparable text.
fn shape(s: &Scenario) -> String {
    let roles: Vec<_> = s
        .roles
        .iter()
        .map(|r| {
            (
                &r.name,
                r.levels,
                r.office_headcount.as_ref().map(Vec::len),
                r.booking_role,
            )
        })
        .collect();
    let steps: Vec<_> = s
        .funnel
        .iter()
        .map(|st| (&st.name, st.kind, st.variants.len()))
        .collect();
    let sources: Vec<_> = s
        .lead_sources
        .iter()
        .map(|src| (std::mem::discriminant(&src.kind), src.to_role))
        .collect();
    let offices: Vec<_> = s.offices.iter().map(|o| &o.name).collect();
    let segments: Vec<_> = s.segments.list.iter().map(|g| &g.name).collect();
    format!(
        "{roles:?} {:?} {steps:?} {sources:?} {offices:?} {segments:?} {:?} {} {} {:?} {} {}",
        s.kinds,
        s.calendar,
        s.horizon_hours,
        s.warmup_hours,
        s.service.as_ref().map(|v| v.variants.len()),
        s.initial_pipeline.len(),
        s.new_leads,
    )
}
