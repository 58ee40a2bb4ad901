//! A transition plan (`--switch SPEC` or `--plan NAME=SPEC`): each office's switch
//! week, read from `all=WEEK` or `OFFICE=WEEK[,OFFICE=WEEK...]` (`:` may stand for
//! `=` inside a SPEC), and the two parts of a trial it makes of BEFORE and AFTER.

use crate::scenario::{Handover, Scenario};

/// One plan: its name and each office's switch week (one entry without offices).
#[derive(Debug, Clone, PartialEq)]
pub struct SwitchPlan {
    pub name: String,
    /// The SPEC as written.
    pub spec: String,
    /// Per office of AFTER, in office order (one entry for a scenario without offices):
    /// the simulation week (from the empty start) its new work goes to AFTER.
    pub weeks: Vec<u64>,
}

impl SwitchPlan {
    /// Reads SPEC for the offices of `s` (BEFORE and AFTER must have the same
    /// offices: see `check_same_offices`). Errors name the office or the piece.
    pub fn parse(name: &str, spec: &str, s: &Scenario) -> Result<SwitchPlan, String> {
        let offices: Vec<&str> = s.offices.iter().map(|o| o.name.as_str()).collect();
        let horizon_weeks = (s.horizon_hours / s.calendar.hours_per_week()).round() as u64;
        let slots = offices.len().max(1);
        let mut weeks: Vec<Option<u64>> = vec![None; slots];
        let mut named = vec![false; slots];
        let mut seen_all = false;
        for piece in spec.split(',') {
            let piece = piece.trim();
            let Some((office, week)) = piece.split_once(['=', ':']) else {
                return Err(format!(
                    "plan {name:?}: {piece:?} is not OFFICE=WEEK or all=WEEK (SPEC {spec:?})"
                ));
            };
            let (office, week) = (office.trim(), week.trim());
            let week: u64 = week.parse().map_err(|_| {
                format!(
                    "plan {name:?}: the week of {office:?} is {week:?}, not a whole number of weeks"
                )
            })?;
            if week >= horizon_weeks {
                return Err(format!(
                    "plan {name:?}: week {week} of {office:?} is outside the horizon (weeks 0 to {})",
                    horizon_weeks.saturating_sub(1)
                ));
            }
            if office == "all" {
                // `all` first gives every office a week that later pieces may change;
                // after a named office, or twice, it would silently undo them.
                if seen_all || named.iter().any(|&n| n) {
                    return Err(format!(
                        "plan {name:?}: \"all\" must come first and once in SPEC {spec:?} (all=WEEK, then OFFICE=WEEK pieces that differ)"
                    ));
                }
                seen_all = true;
                weeks.iter_mut().for_each(|w| *w = Some(week));
                continue;
            }
            let Some(i) = offices.iter().position(|o| *o == office) else {
                let known = if offices.is_empty() {
                    "the scenario has no offices: use all=WEEK".to_string()
                } else {
                    format!("its offices are {}", offices.join(", "))
                };
                return Err(format!(
                    "plan {name:?}: unknown office {office:?} in {}: {known}",
                    s.name
                ));
            };
            if named[i] {
                return Err(format!(
                    "plan {name:?}: office {office:?} is given twice in SPEC {spec:?}; give each office one week"
                ));
            }
            named[i] = true;
            weeks[i] = Some(week);
        }
        let missing: Vec<&str> = weeks
            .iter()
            .zip(&offices)
            .filter(|(w, _)| w.is_none())
            .map(|(_, o)| *o)
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "plan {name:?}: no switch week for office {} (every office of {} needs one, or write all=WEEK)",
                missing.join(", "),
                s.name
            ));
        }
        Ok(SwitchPlan {
            name: name.to_string(),
            spec: spec.to_string(),
            weeks: weeks.into_iter().map(|w| w.unwrap_or(0)).collect(),
        })
    }

    /// The first and last switch weeks.
    pub fn span(&self) -> (u64, u64) {
        let first = self.weeks.iter().copied().min().unwrap_or(0);
        let last = self.weeks.iter().copied().max().unwrap_or(0);
        (first, last)
    }
}

/// BEFORE and AFTER must split the market by the same offices.
pub fn check_same_offices(before: &Scenario, after: &Scenario) -> Result<(), String> {
    let names = |s: &Scenario| s.offices.iter().map(|o| o.name.clone()).collect::<Vec<_>>();
    if names(before) != names(after) {
        let list = |v: Vec<String>| {
            if v.is_empty() {
                "none".to_string()
            } else {
                v.join(", ")
            }
        };
        return Err(format!(
            "{} has offices {} but {} has offices {}: a transition moves each office's work, so both need the same offices",
            before.name,
            list(names(before)),
            after.name,
            list(names(after))
        ));
    }
    if before.horizon_hours != after.horizon_hours {
        return Err(format!(
            "{} and {} have different horizons: give both the same horizon_weeks",
            before.name, after.name
        ));
    }
    Ok(())
}

/// The two parts of a trial under `plan`: BEFORE taking each office's new work until
/// its switch and then winding down, AFTER taking it from the switch with its people
/// joining then.
pub fn parts(
    before: &Scenario,
    after: &Scenario,
    plan: &SwitchPlan,
    wind_down_weeks: f64,
) -> (Scenario, Scenario) {
    let hours = |s: &Scenario, w: u64| s.calendar.start_of_week(w);
    let mut b = before.clone();
    b.new_work_window = plan
        .weeks
        .iter()
        .map(|&w| (f64::NEG_INFINITY, hours(before, w)))
        .collect();
    b.handover = Some(Handover::Leaving {
        wind_down_hours: wind_down_weeks * before.calendar.hours_per_week(),
    });
    let mut a = after.clone();
    a.new_work_window = plan
        .weeks
        .iter()
        .map(|&w| (hours(after, w), f64::INFINITY))
        .collect();
    a.handover = Some(Handover::Joining);
    (b, a)
}
