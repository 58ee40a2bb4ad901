//! The rows of shard parts, read for `merge`: every row is checked against the part's
//! manifest (its scenario, its trial or point among those the part holds, each once and
//! in order, every metric), then the part file's sha256 against the one its manifest
//! records, so that an edited, cut, emptied, swapped or foreign part is refused with
//! the part, the line and what is wrong.

use std::collections::HashSet;

use csv::StringRecord;

use super::parts::{Merged, MergedScenario, MergedSweep, Part, record, sha256_hex};
use super::{Columns, ExperimentError, Manifest, PartRecord, ScenarioResult};
use crate::model::Conservation;
use crate::model::metrics::{Catalogue, Metric};

const RUN_HEADER: [&str; 5] = ["scenario", "file", "trial", "metric", "value"];

fn bad_file(at: impl std::fmt::Display, problem: String) -> ExperimentError {
    ExperimentError::bad_file(at, problem)
}

/// `PART:LINE` of a record.
fn at(part: &Part, rec: &StringRecord) -> String {
    match rec.position() {
        Some(p) => format!("{}:{}", part.name, p.line()),
        None => part.name.clone(),
    }
}

fn reader(part: &Part) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(part.bytes.as_slice())
}

fn header(part: &Part, reader: &mut csv::Reader<&[u8]>) -> Result<StringRecord, ExperimentError> {
    reader
        .headers()
        .cloned()
        .map_err(|e| bad_file(&part.name, format!("not a part file: {e}")))
}

/// Refuses a part whose bytes are not those its manifest records.
fn check_hash(part: &Part) -> Result<(), ExperimentError> {
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
    parts: &[Part],
    manifest: Manifest,
) -> Result<Merged, ExperimentError> {
    let mut built: Vec<Building> = Vec::new();
    for part in parts {
        RunPart::new(part).read(&mut built)?;
        check_hash(part)?;
    }
    Ok(Merged {
        manifest,
        scenarios: built.into_iter().map(|b| b.merged).collect(),
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

/// Rebuilds the unsharded CSV of a sweep from its parts, in shard order: one header,
/// then every point's rows, each point once and in order.
pub(super) fn merge_sweep_rows(
    parts: &[Part],
    manifest: Manifest,
) -> Result<MergedSweep, ExperimentError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut sweep = SweepRows::default();
    for part in parts {
        sweep.read(part, &mut out)?;
        check_hash(part)?;
    }
    let csv = out
        .into_inner()
        .map_err(|e| ExperimentError::PartsDisagree(format!("cannot assemble the rows: {e}")))?;
    Ok(MergedSweep { manifest, csv })
}

/// What the sweep parts read so far fix for the rest: the header, and the
/// (metric, statistic) rows every point has.
#[derive(Default)]
struct SweepRows {
    header: Option<StringRecord>,
    keys: Option<Vec<(String, String)>>,
}

/// The point being read: its index, varied values and rows so far.
struct Point {
    index: u64,
    values: Vec<String>,
    keys: Vec<(String, String)>,
    /// The same rows, to refuse one given twice at once.
    seen: HashSet<(String, String)>,
}

impl SweepRows {
    fn read(&mut self, part: &Part, out: &mut csv::Writer<Vec<u8>>) -> Result<(), ExperimentError> {
        let mut reader = reader(part);
        let header = header(part, &mut reader)?;
        let varied = part.manifest.varies.len();
        let shape_ok = header.len() == varied + 4
            && &header[0] == "point"
            && header
                .iter()
                .skip(varied + 1)
                .eq(["metric", "statistic", "value"]);
        if !shape_ok {
            return Err(bad_file(
                &part.name,
                format!(
                    "not a part file of `sweep --shard K/N` over {varied} varied parameter(s) (its header is `{}`)",
                    header.iter().collect::<Vec<_>>().join(",")
                ),
            ));
        }
        match &self.header {
            None => {
                write(out, &header, part)?;
                self.header = Some(header.clone());
            }
            Some(h) if *h != header => {
                return Err(bad_file(
                    &part.name,
                    "its header differs from the first part's: it belongs to another sweep".into(),
                ));
            }
            Some(_) => {}
        }
        let r = record(&part.manifest);
        let mut next = r.start;
        let mut point: Option<Point> = None;
        for rec in reader.records() {
            let rec = rec.map_err(|e| bad_file(&part.name, e.to_string()))?;
            let here = at(part, &rec);
            if rec.len() != header.len() {
                return Err(bad_file(
                    here,
                    format!(
                        "expected {} fields (point, the varied values, metric, statistic, value), got {}",
                        header.len(),
                        rec.len()
                    ),
                ));
            }
            let index: u64 = rec[0]
                .parse()
                .map_err(|_| bad_file(&here, format!("point `{}` is not a number", &rec[0])))?;
            let values: Vec<&str> = rec.iter().skip(1).take(varied).collect();
            if point.as_ref().map(|p| p.index) != Some(index) {
                if let Some(done) = point.take() {
                    self.finish_point(done, &here)?;
                }
                check_point(index, next, r, &here)?;
                next += 1;
                point = Some(Point {
                    index,
                    values: values.iter().map(|v| v.to_string()).collect(),
                    keys: Vec::new(),
                    seen: HashSet::new(),
                });
            }
            let p = point.as_mut().expect("set above");
            if !p
                .values
                .iter()
                .map(String::as_str)
                .eq(values.iter().copied())
            {
                return Err(bad_file(
                    here,
                    format!("the varied values of point {index} change within its rows"),
                ));
            }
            let key = (rec[varied + 1].to_string(), rec[varied + 2].to_string());
            if !p.seen.insert(key.clone()) {
                return Err(bad_file(
                    here,
                    format!(
                        "`{}` `{}` twice in point {index}: rows are repeated",
                        key.0, key.1
                    ),
                ));
            }
            p.keys.push(key);
            write(out, &rec, part)?;
        }
        if let Some(done) = point {
            self.finish_point(done, &part.name)?;
        }
        if next != r.end {
            return Err(bad_file(
                &part.name,
                format!(
                    "it holds points {}..{next} but its manifest says {}..{}: points {next}..{} are missing (a part cut short?); write the part again",
                    r.start, r.start, r.end, r.end
                ),
            ));
        }
        Ok(())
    }

    /// Every point must have the rows the first point has.
    fn finish_point(&mut self, p: Point, here: &str) -> Result<(), ExperimentError> {
        match &self.keys {
            None => self.keys = Some(p.keys),
            Some(keys) if *keys != p.keys => {
                return Err(bad_file(
                    here,
                    format!(
                        "point {} has {} rows unlike the first point's {}: rows are missing, repeated or out of order",
                        p.index,
                        p.keys.len(),
                        keys.len()
                    ),
                ));
            }
            Some(_) => {}
        }
        Ok(())
    }
}

/// A point index must be the next of the part's points.
fn check_point(index: u64, next: u64, r: &PartRecord, here: &str) -> Result<(), ExperimentError> {
    let (start, end) = (r.start, r.end);
    let problem = if index < start || index >= end {
        format!(
            "point {index}, which is not among the points {start}..{end} its manifest says it holds: the rows belong to another part or sweep; give every part with its own manifest"
        )
    } else if index < next {
        format!("point {index} again: each point {start}..{end} must be there once, in order")
    } else if index > next {
        format!("point {index} where point {next} was expected: point {next} is missing")
    } else {
        return Ok(());
    };
    Err(bad_file(here, problem))
}

fn write(
    out: &mut csv::Writer<Vec<u8>>,
    rec: &StringRecord,
    part: &Part,
) -> Result<(), ExperimentError> {
    out.write_record(rec)
        .map_err(|e| bad_file(&part.name, format!("cannot copy its rows: {e}")))
}
