//! `salesim sweep BEFORE --transition AFTER`: one transition plan over a grid of its own
//! parameters (a key of BEFORE, of AFTER or of both, a switch week, the wind-down).
//! Every point is loaded (and so validated) before anything runs, then run by
//! [`super::run`] on the same trials and seed (common random numbers); its row is that
//! run's plan result, read by the transition's own payback, dip and horizon.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use super::{PlanResult, SwitchPlan, TransitionSpec, check_same_offices};
use crate::experiment::grid::{Vary, expand};
use crate::experiment::{Cancelled, Manifest, Plan, Shard, warmup};
use crate::scenario::{LoadedScenario, Override, load_file};

/// What a `--vary` PATH moves.
#[derive(Debug, Clone, PartialEq)]
pub enum Knob {
    /// A key of BEFORE only (`before.KEY`, as `--set-before`).
    Before(String),
    /// A key of AFTER only (`after.KEY`, as `--set-after`).
    After(String),
    /// A key of both designs (a plain `KEY`, as `--set`).
    Both(String),
    /// The switch week of every office (`switch.all`: `None`) or of one (`switch.OFFICE`).
    Switch(Option<String>),
    /// `wind_down_weeks`.
    WindDown,
}

/// The PATHs a transition sweep reads, for messages.
pub const PATHS: &str =
    "before.KEY, after.KEY, a KEY of both designs, switch.all, switch.OFFICE or wind_down_weeks";

impl Knob {
    /// Reads a `--vary` PATH.
    pub fn of(path: &str) -> Result<Knob, String> {
        let (head, rest) = match path.split_once('.') {
            Some((head, rest)) => (head, Some(rest)),
            None => (path, None),
        };
        match (head, rest) {
            ("before", Some(key)) => Ok(Knob::Before(key.to_string())),
            ("after", Some(key)) => Ok(Knob::After(key.to_string())),
            ("switch", Some("all")) => Ok(Knob::Switch(None)),
            ("switch", Some(office)) if !office.contains('.') => {
                Ok(Knob::Switch(Some(office.to_string())))
            }
            ("before" | "after" | "switch", _) => Err(format!(
                "`{path}` is not a PATH of a transition sweep: write {PATHS}"
            )),
            ("wind_down_weeks", None) => Ok(Knob::WindDown),
            _ => Ok(Knob::Both(path.to_string())),
        }
    }
}

/// What the sweep starts from, as given on the command line.
#[derive(Debug, Clone)]
pub struct TransitionSweepInputs<'a> {
    pub before: &'a Path,
    pub after: &'a Path,
    /// `--set`: both designs.
    pub set: &'a [Override],
    pub set_before: &'a [Override],
    pub set_after: &'a [Override],
    /// `(NAME, SPEC)` of the plan; `None` when `switch.all` is varied and gives it.
    pub plan: Option<(String, String)>,
    pub wind_down_weeks: f64,
    pub varies: Vec<Vary>,
}

/// One point ready to run.
#[derive(Debug, Clone)]
struct PointInput {
    index: usize,
    values: Vec<String>,
    before: LoadedScenario,
    after: LoadedScenario,
    plan: SwitchPlan,
    wind_down_weeks: f64,
}

/// A transition sweep ready to run: every point loaded and its plan read.
#[derive(Debug, Clone)]
pub struct TransitionSweep {
    /// BEFORE and AFTER with the command line's overrides (no grid values).
    pub base: [LoadedScenario; 2],
    pub varies: Vec<Vary>,
    /// Warnings of loading (an initial pipeline's), once each.
    pub load_warnings: Vec<String>,
    points: Vec<PointInput>,
}

/// One grid point's result.
#[derive(Debug, Clone)]
pub struct TransitionSweepPoint {
    pub index: usize,
    /// The varied values, in `--vary` order.
    pub values: Vec<String>,
    pub wind_down_weeks: f64,
    /// The transition's result for the point's plan.
    pub result: PlanResult,
    /// The transition's warnings for the point.
    pub warnings: Vec<String>,
}

/// The whole transition sweep.
#[derive(Debug, Clone)]
pub struct TransitionSweepReport {
    pub before: String,
    pub after: String,
    pub trials: u64,
    pub seed: u64,
    pub weeks: usize,
    pub offices: Vec<String>,
    pub contribution_basis: &'static str,
    pub varies: Vec<Vary>,
    pub points: Vec<TransitionSweepPoint>,
    pub manifest: Manifest,
}

impl TransitionSweepReport {
    /// "path=value, path=value" for a point.
    pub fn describe(&self, point: &TransitionSweepPoint) -> String {
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

/// Loads a design with `overrides` and its initial pipeline; errors as text.
fn load(
    path: &Path,
    overrides: &[Override],
    warnings: &mut Vec<String>,
) -> Result<LoadedScenario, String> {
    let mut loaded = load_file(path, overrides).map_err(|e| e.to_string())?;
    for w in crate::data::pipeline::attach_initial_pipeline(&mut loaded)? {
        if !warnings.contains(&w) {
            warnings.push(w);
        }
    }
    Ok(loaded)
}

impl TransitionSweep {
    /// Reads every PATH, loads BEFORE and AFTER, then both once for every grid point
    /// (its values added as overrides after the command line's: a plain KEY after
    /// `--set`, `before.KEY` after `--set-before`, `after.KEY` after `--set-after`), and
    /// reads each point's plan against its AFTER. Errors name the flag and the key.
    pub fn load(inputs: TransitionSweepInputs) -> Result<TransitionSweep, String> {
        let knobs: Vec<Knob> = inputs
            .varies
            .iter()
            .map(|v| Knob::of(&v.path).map_err(|m| format!("--vary {m}")))
            .collect::<Result<_, _>>()?;
        let gives_every_week = knobs.contains(&Knob::Switch(None));
        let (name, base_spec) = match &inputs.plan {
            Some((name, spec)) => (name.clone(), Some(spec.clone())),
            None if gives_every_week => ("switch".to_string(), None),
            None => {
                return Err(
                    "sweep --transition needs --switch SPEC or one --plan NAME=SPEC (SPEC: all=WEEK or OFFICE=WEEK,...), unless --vary switch.all gives every office its week".into(),
                );
            }
        };
        let mut load_warnings = Vec::new();
        let with = |extra: &[Override]| [inputs.set, extra].concat();
        let before = load(inputs.before, &with(inputs.set_before), &mut load_warnings)?;
        let after = load(inputs.after, &with(inputs.set_after), &mut load_warnings)?;
        check_same_offices(&before.scenario, &after.scenario)?;
        for (knob, vary) in knobs.iter().zip(&inputs.varies) {
            if let Knob::Switch(Some(office)) = knob {
                let offices: Vec<&str> = after
                    .scenario
                    .offices
                    .iter()
                    .map(|o| o.name.as_str())
                    .collect();
                if !offices.contains(&office.as_str()) {
                    let known = if offices.is_empty() {
                        "it has no offices: vary switch.all".to_string()
                    } else {
                        format!("its offices are {}", offices.join(", "))
                    };
                    return Err(format!(
                        "--vary {}: {} ({}) has no office {office:?}; {known}",
                        vary.spec, after.scenario.name, after.origin
                    ));
                }
            }
        }
        let mut points = Vec::new();
        for (index, values) in expand(&inputs.varies).into_iter().enumerate() {
            let at = || {
                format!(
                    "--vary, point {index} ({})",
                    describe(&inputs.varies, &values)
                )
            };
            let mut both = inputs.set.to_vec();
            let mut before_only = inputs.set_before.to_vec();
            let mut after_only = inputs.set_after.to_vec();
            let mut spec_pieces: Vec<String> = base_spec.iter().cloned().collect();
            let mut office_weeks = Vec::new();
            let mut wind_down_weeks = inputs.wind_down_weeks;
            for (knob, value) in knobs.iter().zip(&values) {
                let set = |path: &str| Override {
                    path: path.to_string(),
                    value: value.clone(),
                };
                match knob {
                    Knob::Both(key) => both.push(set(key)),
                    Knob::Before(key) => before_only.push(set(key)),
                    Knob::After(key) => after_only.push(set(key)),
                    // `all` first, then single offices: a later piece of a SPEC wins.
                    Knob::Switch(None) => spec_pieces.push(format!("all={value}")),
                    Knob::Switch(Some(office)) => office_weeks.push(format!("{office}={value}")),
                    Knob::WindDown => {
                        wind_down_weeks = value
                            .parse::<f64>()
                            .ok()
                            .filter(|w| w.is_finite() && *w >= 0.0)
                            .ok_or_else(|| {
                                format!(
                                    "{}: wind_down_weeks must be 0 or more weeks (got {value:?})",
                                    at()
                                )
                            })?;
                    }
                }
            }
            spec_pieces.extend(office_weeks);
            let before_overrides = [both.as_slice(), &before_only].concat();
            let after_overrides = [both.as_slice(), &after_only].concat();
            // A mistyped prefix (`aftr.KEY`) reads as a KEY of both designs: say what
            // the PATHs are.
            let key_error =
                |e: String| format!("{}: {e} (a transition sweep's PATH is {PATHS})", at());
            let b =
                load(inputs.before, &before_overrides, &mut load_warnings).map_err(key_error)?;
            let a = load(inputs.after, &after_overrides, &mut load_warnings).map_err(key_error)?;
            check_same_offices(&b.scenario, &a.scenario).map_err(|e| format!("{}: {e}", at()))?;
            let plan = SwitchPlan::parse(&name, &spec_pieces.join(","), &a.scenario)
                .map_err(|e| format!("{}: {e}", at()))?;
            points.push(PointInput {
                index,
                values,
                before: b,
                after: a,
                plan,
                wind_down_weeks,
            });
        }
        Ok(TransitionSweep {
            base: [before, after],
            varies: inputs.varies,
            load_warnings,
            points,
        })
    }

    /// Number of grid points.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// Runs every point on `trials` trials of `seed`, as `salesim transition` runs one
    /// plan: BEFORE's warm-up found (only to warn of a switch inside it), then
    /// [`super::run`]. `progress` is called once per trial of each point.
    pub fn run(
        self,
        trials: u64,
        seed: u64,
        command: String,
        progress: &(dyn Fn() + Sync),
        cancel: &AtomicBool,
    ) -> Result<TransitionSweepReport, Cancelled> {
        let mut points = Vec::with_capacity(self.points.len());
        let mut weeks = 0;
        let mut basis = "";
        // The warm-up of BEFORE is found once per distinct BEFORE.
        let mut resolved: Option<LoadedScenario> = None;
        for p in self.points {
            let before = match resolved.take() {
                Some(r) if r.overrides == p.before.overrides => r,
                _ => {
                    let mut b = p.before.clone();
                    warmup::resolve(std::slice::from_mut(&mut b), seed, trials, cancel)?;
                    b
                }
            };
            let spec = TransitionSpec {
                plans: vec![p.plan],
                wind_down_weeks: p.wind_down_weeks,
                trials,
                seed,
            };
            let mut r = super::run(&before.scenario, &p.after.scenario, &spec, progress, cancel)?;
            weeks = weeks.max(r.weeks);
            basis = r.contribution_basis;
            let result = r.plans.remove(0);
            points.push(TransitionSweepPoint {
                index: p.index,
                values: p.values,
                wind_down_weeks: p.wind_down_weeks,
                result,
                warnings: r.warnings,
            });
            resolved = Some(before);
        }
        let plan = Plan {
            trials,
            seed,
            shard: Shard::WHOLE,
        };
        let mut manifest = Manifest::new(&self.base, plan, command);
        manifest.varies = self.varies.iter().map(|v| v.spec.clone()).collect();
        manifest.warnings = self.load_warnings.clone();
        for p in &points {
            for w in &p.warnings {
                manifest.warnings.push(format!(
                    "point {} ({}): {w}",
                    p.index,
                    describe(&self.varies, &p.values)
                ));
            }
        }
        let [before, after] = &self.base;
        Ok(TransitionSweepReport {
            before: before.scenario.name.clone(),
            after: after.scenario.name.clone(),
            trials,
            seed,
            weeks,
            offices: after
                .scenario
                .offices
                .iter()
                .map(|o| o.name.clone())
                .collect(),
            contribution_basis: basis,
            varies: self.varies,
            points,
            manifest,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_what_they_move() {
        assert_eq!(
            Knob::of("after.roles.inside.people.ramp.weeks"),
            Ok(Knob::After("roles.inside.people.ramp.weeks".into()))
        );
        assert_eq!(
            Knob::of("before.costs.x"),
            Ok(Knob::Before("costs.x".into()))
        );
        assert_eq!(Knob::of("switch.all"), Ok(Knob::Switch(None)));
        assert_eq!(
            Knob::of("switch.north"),
            Ok(Knob::Switch(Some("north".into())))
        );
        assert_eq!(Knob::of("wind_down_weeks"), Ok(Knob::WindDown));
        assert_eq!(
            Knob::of("roles.rep.headcount"),
            Ok(Knob::Both("roles.rep.headcount".into()))
        );
        for bad in ["after", "before", "switch", "switch.north.x"] {
            let m = Knob::of(bad).unwrap_err();
            assert!(m.contains(bad) && m.contains("switch.OFFICE"), "{m}");
        }
    }
}
