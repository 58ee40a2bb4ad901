//! An open pipeline read from a CRM file: the opportunities neither won nor lost, each
//! in the last stage it entered, with the working hours it has already spent there as
//! of the snapshot ("today": the file's latest date unless another is given). Read by
//! `forecast --pipeline` and by a scenario's `initial_pipeline = "OPEN.csv"` key (its
//! headers mapped by `initial_pipeline_map`), both through [`read_history`].

use std::collections::BTreeMap;
use std::path::Path;

use super::clock::{When, parse_when};
use super::columns::{Column, ColumnMap};
use super::history::{History, Opportunity, Outcome, read_history};
use super::problems::Problem;
use crate::scenario::{LoadedScenario, OpenOpportunity, Scenario};

/// The open opportunities of a pipeline file: those neither won nor lost, each in the
/// last stage it entered.
pub fn open_opportunities(pipeline: &History) -> Vec<&Opportunity> {
    pipeline
        .opportunities
        .iter()
        .filter(|o| !matches!(o.outcome, Some(Outcome::Won | Outcome::Lost)))
        .filter(|o| !o.entries.is_empty())
        .collect()
}

/// The snapshot moment in the file's working hours: `as_of` (an ISO 8601 date or
/// date-time) when given, else the file's latest dated moment.
pub fn snapshot_hours(pipeline: &History, as_of: Option<&str>) -> Result<f64, String> {
    match as_of {
        None => Ok(pipeline.span_hours.1),
        Some(text) => {
            let when = parse_when(text).map_err(|e| format!("--as-of `{text}`: {e}"))?;
            let (at, latest) = (pipeline.clock.hours(when), pipeline.span_hours.1);
            if at >= latest {
                return Ok(at);
            }
            // A bare date stands for the middle of its day; on the file's last day it
            // means that day, after whatever the file shows of it.
            let latest_day = pipeline.clock.at(latest).date();
            if matches!(when, When::On(day) if day == latest_day) {
                return Ok(latest);
            }
            Err(format!(
                "--as-of `{text}` is before the latest date in the file ({}): the file shows what is open at its latest date, so it cannot be a snapshot of an earlier day; cut the export at that date instead, or leave --as-of out",
                pipeline.clock.at(latest)
            ))
        }
    }
}

/// The open opportunities as a trial's time-0 state: each in its stage, credited with
/// the working hours between entering it and the snapshot at `as_of_hours` (none when
/// the entry has no date or is after the snapshot).
pub fn initial_state(pipeline: &History, as_of_hours: f64) -> Vec<OpenOpportunity> {
    open_opportunities(pipeline)
        .iter()
        .filter_map(|o| {
            let last = o.entries.last()?;
            Some(OpenOpportunity {
                step: last.step,
                amount: o.amount,
                in_stage_hours: last
                    .entered_hours
                    .map_or(0.0, |entered| (as_of_hours - entered).max(0.0)),
            })
        })
        .collect()
}

/// The error for a pipeline naming a stage the funnel lacks (a forecast or a starting
/// state cannot leave an opportunity out): file, line, column and the funnel's steps.
/// `hint` ends the message (how to map a stage, where that is possible).
pub fn unknown_stage_error(pipeline: &History, hint: &str) -> Option<String> {
    let count = pipeline.problems.count(Problem::UnknownStage);
    if count == 0 {
        return None;
    }
    let first = pipeline
        .problems
        .examples(Problem::UnknownStage)
        .first()
        .cloned()
        .unwrap_or_default();
    let (line, stage) = first.split_once(": ").unwrap_or(("", first.as_str()));
    Some(format!(
        "{}: {line}, column `{}`: unknown stage {stage}: the funnel's steps are {}{hint}; {count} such rows",
        pipeline.file,
        Column::Stage.name(),
        pipeline.steps.join(", "),
    ))
}

/// A scenario's `initial_pipeline`, read: the file (resolved by the caller), its open
/// opportunities as of its latest date, and its problems as warning lines.
pub struct StartingPipeline {
    pub file: String,
    pub open: Vec<OpenOpportunity>,
    pub warnings: Vec<String>,
}

/// Reads `path` for `scenario`'s funnel and calendar, its headers and stage values
/// read through `map`, as the trial's time-0 state. Errors name the file, line and
/// column (and the key, `initial_pipeline`, with `initial_pipeline_map` if mapped).
pub fn read_starting_pipeline(
    path: &Path,
    scenario: &Scenario,
    map: &ColumnMap,
) -> Result<StartingPipeline, String> {
    let steps: Vec<String> = scenario.funnel.iter().map(|f| f.name.clone()).collect();
    let key = if *map == ColumnMap::default() {
        "key `initial_pipeline`"
    } else {
        "key `initial_pipeline` (read with `initial_pipeline_map`)"
    };
    let pipeline =
        read_history(path, &steps, &scenario.calendar, map).map_err(|e| format!("{key}: {e}"))?;
    let hint = " (or map it in initial_pipeline_map: \"stage:VALUE\" = \"STEP\")";
    if let Some(message) = unknown_stage_error(&pipeline, hint) {
        return Err(format!("{key}: {message}"));
    }
    let as_of = pipeline.span_hours.1;
    Ok(StartingPipeline {
        open: initial_state(&pipeline, as_of),
        warnings: pipeline.problems.lines(&pipeline.file),
        file: pipeline.file,
    })
}

/// The column map of `initial_pipeline_map`: each entry as the `--map` argument
/// `KEY=VALUE` would be, so the key takes what `--map` takes.
fn starting_map(entries: &BTreeMap<String, String>) -> Result<ColumnMap, String> {
    let args: Vec<String> = entries.iter().map(|(k, v)| format!("{k}={v}")).collect();
    ColumnMap::parse(&args).map_err(|e| e.strip_prefix("--map ").unwrap_or(&e).to_string())
}

/// Reads a loaded scenario's `initial_pipeline` file, if it names one (relative to the
/// scenario file, its headers mapped by `initial_pipeline_map`), into its time-0
/// state; returns the file's problems as warnings.
pub fn attach_initial_pipeline(loaded: &mut LoadedScenario) -> Result<Vec<String>, String> {
    let origin = loaded.origin.clone();
    let map = match &loaded.raw.initial_pipeline_map {
        None => ColumnMap::default(),
        Some(entries) => starting_map(entries)
            .map_err(|m| format!("{origin}: key `initial_pipeline_map`: {m}"))?,
    };
    let Some(name) = loaded.raw.initial_pipeline.clone() else {
        if loaded.raw.initial_pipeline_map.is_some() {
            return Err(format!(
                "{origin}: key `initial_pipeline_map` maps the headers of an `initial_pipeline` file, and the scenario names none"
            ));
        }
        return Ok(Vec::new());
    };
    let base = Path::new(&loaded.origin).parent().unwrap_or(Path::new(""));
    let path = base.join(&name);
    let read = read_starting_pipeline(&path, &loaded.scenario, &map)
        .map_err(|m| format!("{}: {m}", loaded.origin))?;
    loaded.scenario.initial_pipeline = read.open;
    loaded.scenario.initial_pipeline_file = Some(read.file);
    Ok(read.warnings)
}
