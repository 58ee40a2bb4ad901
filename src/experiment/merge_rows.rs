//! The rows of run parts, read for `merge`: every row is checked against the part's
//! manifest (its scenario, its trial among those the part holds, each once and in
//! order, every metric), then the part file's sha256 against the one its manifest
//! records, so that an edited, cut, emptied, swapped or foreign part is refused with
//! the part, the line and what is wrong. Sweep parts are read in `sweep_parts` with the
//! helpers here.

use std::collections::HashSet;

use csv::StringRecord;

use super::parts::{Merged, MergedScenario, Part, record, sha256_hex};
use super::trend_context::finish_means;
use super::{Columns, ExperimentError, Manifest, PartRecord, ScenarioResult};
use crate::model::Conservation;
use crate::model::metrics::{Catalogue, Metric};

const RUN_HEADER: [&str; 5] = ["scenario", "file", "trial", "metric", "value"];

pub(super) fn bad_file(at: impl std::fmt::Display, problem: String) -> ExperimentError {
    ExperimentError::bad_file(at, problem)
}

/// `PART:LINE` of a record.
pub(super) fn at(part: &Part, rec: &StringRecord) -> String {
    match rec.position() {
        Some(p) => format!("{}:{}", part.name, p.line()),
        None => part.name.clone(),
    }
}

pub(super) fn reader(part: &Part) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(part.bytes.as_slice())
}

pub(super) fn header(
    part: &Part,
    reader: &mut csv::Reader<&[u8]>,
) -> Result<StringRecord, ExperimentError> {
    reader
        .headers()
        .cloned()
        .map_err(|e| bad_file(&part.name, format!("not a part file: {e}")))
}

/// Refuses a part whose bytes are not those its manifest records.
pub(super) fn check_hash(part: &Part) -> Result<(), ExperimentError> {
    if part.manifest.data_sha256.is_some() {
        // Written by this version: the manifest's own record of its CSV, which
        // `check_manifests` proved equal to the part record's.
        return part
            .manifest
            .check_data(&part.bytes)
            .map_err(|e| bad_file(&part.name, e));
    }
    let recorded = &record(&part.manifest).sha256;
    let actual = sha256_hex(&part.bytes);
    if &actual == recorded {
        return Ok(());
    }
    Err(bad_file(
        &part.name,
        format!(
            "its rows do not match its manifest (sha256 {actual}, the manifest records {recorded}): the part was edited, or the manifest beside it belongs to another part; give every part with its own manifest, or write the part again"
        ),
    ))
}

/// Rebuilds the unsharded per-trial results of a run from its parts, in shard order.
pub(super) fn merge_run_rows(
    parts: impl Iterator<Item = Result<Part, ExperimentError>>,
    manifest: Manifest,
) -> Result<Merged, ExperimentError> {
    let mut built: Vec<Building> = Vec::new();
    for part in parts {
        let part = part?;
        RunPart::new(&part).read(&mut built)?;
        check_hash(&part)?;
    }
    let mut scenarios: Vec<MergedScenario> = built.into_iter().map(|b| b.merged).collect();
    for s in &mut scenarios {
        finish_means(&mut s.result);
    }
    Ok(Merged {
        manifest,
        scenarios,
    })
}

/// One scenario of the merged run, as its rows are read.
struct Building {
    merged: MergedScenario,
    /// Whether the metric list is known (the first trial has been read whole).
    catalogue_done: bool,
    /// The metrics of the first trial so far, to refuse one given twice at once.
    first_trial: HashSet<String>,
}

/// The reading of one run part: where it is in the scenarios and trials it must hold.
struct RunPart<'a> {
    part: &'a Part,
    record: &'a PartRecord,
    /// Position in the manifest's scenarios of the rows being read.
    scenario: Option<usize>,
    trial: Option<u64>,
    /// The trial that must come next.
    next: u64,
    /// The values read so far of the current trial.
    row: Vec<f64>,
}

impl<'a> RunPart<'a> {
    fn new(part: &'a Part) -> Self {
        let record = record(&part.manifest);
        RunPart {
            part,
            record,
            scenario: None,
            trial: None,
            next: record.start,
            row: Vec::new(),
        }
    }

    fn read(mut self, built: &mut Vec<Building>) -> Result<(), ExperimentError> {
        let mut reader = reader(self.part);
        let header = header(self.part, &mut reader)?;
        if header != RUN_HEADER[..] {
            return Err(bad_file(
                &self.part.name,
                format!(
                    "not a part file of `run --shard K/N` (its header is `{}`, not `{}`)",
                    header.iter().collect::<Vec<_>>().join(","),
                    RUN_HEADER.join(",")
                ),
            ));
        }
        for rec in reader.records() {
            let rec = rec.map_err(|e| bad_file(&self.part.name, e.to_string()))?;
            self.row_of(&rec, built)?;
        }
        self.finish(built)
    }

    fn row_of(
        &mut self,
        rec: &StringRecord,
        built: &mut Vec<Building>,
    ) -> Result<(), ExperimentError> {
        let here = || at(self.part, rec);
        if rec.len() != RUN_HEADER.len() {
            return Err(bad_file(
                here(),
                format!(
                    "expected the 5 fields {}, got {}",
                    RUN_HEADER.join(","),
                    rec.len()
                ),
            ));
        }
        let (name, file, metric) = (&rec[0], &rec[1], &rec[3]);
        let trial: u64 = rec[2]
            .parse()
            .map_err(|_| bad_file(here(), format!("trial `{}` is not a number", &rec[2])))?;
        let value: f64 = rec[4]
            .parse()
            .map_err(|_| bad_file(here(), format!("value `{}` is not a number", &rec[4])))?;
        let current = self
            .scenario
            .filter(|&j| built[j].merged.name == name && built[j].merged.file == file);
        let j = match current {
            Some(j) => j,
            None => self.start_scenario(name, file, built, &here())?,
        };
        if self.trial != Some(trial) {
            if self.trial.is_some() {
                self.finish_trial(&mut built[j], &here())?;
            }
            self.start_trial(trial, &mut built[j], &here())?;
        }
        let b = &mut built[j];
        if !b.catalogue_done {
            let known = Metric::parse(metric)
                .ok_or_else(|| bad_file(here(), format!("`{metric}` is not a salesim metric")))?;
            if !b.first_trial.insert(metric.to_string()) {
                return Err(bad_file(
                    here(),
                    format!("metric `{metric}` twice in trial {trial}"),
                ));
            }
            b.merged.result.catalogue.push(known.def, known.subject);
        } else if b
            .merged
            .result
            .catalogue
            .names()
            .get(self.row.len())
            .map(String::as_str)
            != Some(metric)
        {
            return Err(bad_file(
                here(),
                format!("metric `{metric}` out of order, missing or repeated in trial {trial}"),
            ));
        }
        self.row.push(value);
        Ok(())
    }

    /// Moves on to the next scenario of the manifest, which must be `name` (`file`).
    fn start_scenario(
        &mut self,
        name: &str,
        file: &str,
        built: &mut Vec<Building>,
        here: &str,
    ) -> Result<usize, ExperimentError> {
        if let Some(j) = self.scenario {
            self.finish_scenario(&mut built[j], here)?;
        }
        let j = self.scenario.map_or(0, |j| j + 1);
        let listed = &self.part.manifest.scenarios;
        let Some(expected) = listed.get(j) else {
            return Err(bad_file(
                here,
                format!(
                    "rows of `{name}` ({file}), a scenario its manifest does not list: the rows belong to another run; give every part with its own manifest"
                ),
            ));
        };
        if expected.file != file {
            return Err(bad_file(
                here,
                format!(
                    "rows of `{name}` ({file}) where its manifest lists {}: the rows belong to another run; give every part with its own manifest",
                    expected.file
                ),
            ));
        }
        if let Some(b) = built.get(j) {
            if b.merged.name != name {
                return Err(bad_file(
                    here,
                    format!(
                        "rows of scenario `{name}` where the parts before it hold `{}` ({file}): the rows belong to another run",
                        b.merged.name
                    ),
                ));
            }
        } else {
            built.push(Building {
                merged: MergedScenario {
                    name: name.to_string(),
                    file: file.to_string(),
                    overload_warnings: self.record.scenarios[j].overload_warnings.clone(),
                    trends: self.record.scenarios[j]
                        .trends
                        .as_ref()
                        .map(|t| t.context.clone()),
                    result: empty_result(),
                },
                catalogue_done: false,
                first_trial: HashSet::new(),
            });
        }
        self.scenario = Some(j);
        self.trial = None;
        self.next = self.record.start;
        Ok(j)
    }

    fn start_trial(
        &mut self,
        trial: u64,
        b: &mut Building,
        here: &str,
    ) -> Result<(), ExperimentError> {
        let (start, end) = (self.record.start, self.record.end);
        let problem = if trial < start || trial >= end {
            Some(format!(
                "trial {trial}, which is not among the trials {start}..{end} its manifest says it holds (shard {}): the rows belong to another part or run; give every part with its own manifest",
                self.part.manifest.shard
            ))
        } else if trial < self.next {
            Some(format!(
                "trial {trial} again: each trial {start}..{end} must be there once, in order"
            ))
        } else if trial > self.next {
            Some(format!(
                "trial {trial} where trial {} was expected: trial {} is missing",
                self.next, self.next
            ))
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(bad_file(here, problem));
        }
        b.merged.result.trials.push(trial);
        self.next += 1;
        self.trial = Some(trial);
        Ok(())
    }

    fn finish_trial(&mut self, b: &mut Building, here: &str) -> Result<(), ExperimentError> {
        b.catalogue_done = true;
        b.first_trial = HashSet::new();
        let (has, wants) = (self.row.len(), b.merged.result.catalogue.len());
        if has != wants {
            return Err(bad_file(
                here,
                format!(
                    "trial {} of `{}` is incomplete: it has {has} of its {wants} metrics",
                    self.trial.unwrap_or_default(),
                    b.merged.name
                ),
            ));
        }
        b.merged.result.values.push_row(&self.row);
        self.row.clear();
        Ok(())
    }

    /// The current scenario's rows are over: its last trial and every trial must be
    /// there.
    fn finish_scenario(&mut self, b: &mut Building, here: &str) -> Result<(), ExperimentError> {
        if self.trial.is_some() {
            self.finish_trial(b, here)?;
        }
        let (start, end) = (self.record.start, self.record.end);
        if self.next != end {
            return Err(bad_file(
                &self.part.name,
                format!(
                    "it holds trials {start}..{} of `{}` but its manifest says {start}..{end}: trials {}..{end} are missing (a part cut short?); write the part again",
                    self.next, b.merged.name, self.next
                ),
            ));
        }
        let j = self.scenario.unwrap_or_default();
        b.merged.result.runaway_trials += self.record.scenarios[j].runaway_trials;
        // The series of every part, or none: a part without them (an earlier version)
        // leaves the merged run without the warnings read from them.
        match &self.record.scenarios[j].trends {
            Some(t) if b.merged.trends.as_ref() == Some(&t.context) => {
                t.add_to(&mut b.merged.result)
            }
            _ => b.merged.trends = None,
        }
        Ok(())
    }

    fn finish(mut self, built: &mut [Building]) -> Result<(), ExperimentError> {
        let (start, end) = (self.record.start, self.record.end);
        let Some(j) = self.scenario else {
            return Err(bad_file(
                &self.part.name,
                format!(
                    "it holds no rows, but its manifest says it holds trials {start}..{end}: the part was emptied or cut short; write it again"
                ),
            ));
        };
        let name = self.part.name.clone();
        self.finish_scenario(&mut built[j], &name)?;
        if let Some(missing) = self.part.manifest.scenarios.get(j + 1) {
            return Err(bad_file(
                &self.part.name,
                format!(
                    "it holds no rows of {}, which its manifest lists: the part was cut short; write it again",
                    missing.file
                ),
            ));
        }
        Ok(())
    }
}

fn empty_result() -> ScenarioResult {
    ScenarioResult {
        catalogue: Catalogue::default(),
        trials: Vec::new(),
        values: Columns::default(),
        weekly_meetings: Vec::new(),
        weekly_open_leads: Vec::new(),
        weekly_bookings: Vec::new(),
        conservation: Conservation::default(),
        runaway_trials: 0,
    }
}
