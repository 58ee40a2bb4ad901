//! The rows of sweep parts, read for `merge` (each point once and in order, every point
//! with the rows of the first, the sha256 its manifest records), and the sweep report
//! rebuilt from the merged rows and the parts' sweep records, so that
//! `merge --objective`, `--constraint` and `--report` give what the unsharded sweep
//! gives.

use std::collections::HashSet;

use csv::StringRecord;

use super::grid::{Vary, expand};
use super::merge_rows::{at, bad_file, check_hash, header, reader};
use super::optimize::{Constraint, Objective};
use super::parts::{MergedSweep, Part, record};
use super::sweep::{SweepPoint, SweepReport};
use super::{ExperimentError, Manifest, PartRecord, Summaries, SweepPartRecord};
use crate::model::metrics::Catalogue;
use crate::stats::Summary;

/// Rebuilds the unsharded CSV of a sweep from its parts, in shard order: one header,
/// then every point's rows, each point once and in order.
pub(super) fn merge_sweep_rows(
    ordered: &[(String, Manifest)],
    parts: impl Iterator<Item = Result<Part, ExperimentError>>,
    manifest: Manifest,
) -> Result<MergedSweep, ExperimentError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut sweep = SweepRows::default();
    for part in parts {
        let part = part?;
        sweep.read(&part, &mut out)?;
        check_hash(&part)?;
    }
    let csv = out
        .into_inner()
        .map_err(|e| ExperimentError::PartsDisagree(format!("cannot assemble the rows: {e}")))?;
    Ok(MergedSweep {
        manifest,
        csv,
        sweep: merged_record(ordered)?,
    })
}

/// The parts' sweep records as one, the points' warnings in shard order; `None` when a
/// part has none. A record must list the warnings of every point its part holds.
fn merged_record(parts: &[(String, Manifest)]) -> Result<Option<SweepPartRecord>, ExperimentError> {
    let mut merged: Option<SweepPartRecord> = None;
    for (i, (name, manifest)) in parts.iter().enumerate() {
        let r = record(manifest);
        let Some(sweep) = &r.sweep else {
            return Ok(None);
        };
        let held = r.end.saturating_sub(r.start);
        if sweep.warnings.len() as u64 != held {
            return Err(bad_file(
                name,
                format!(
                    "its sweep record lists the warnings of {} points, but it holds {held}: its manifest was edited; write the part again with `--shard {}`",
                    sweep.warnings.len(),
                    manifest.shard
                ),
            ));
        }
        match &mut merged {
            Some(m) => m.warnings.extend(sweep.warnings.iter().cloned()),
            None if i == 0 => merged = Some(sweep.clone()),
            None => return Ok(None),
        }
    }
    Ok(merged)
}

impl MergedSweep {
    /// The grid of the merged sweep, from its manifest's `--vary` specs.
    fn varies(&self) -> Result<Vec<Vary>, ExperimentError> {
        let specs = self.manifest.varies.iter();
        let parsed = specs.map(|spec| Vary::parse(spec).map_err(|e| (spec, e)));
        parsed.collect::<Result<_, _>>().map_err(|(spec, e)| {
            ExperimentError::PartsDisagree(format!(
                "the parts' manifests record the grid `--vary {spec}`, which salesim cannot read: {e}"
            ))
        })
    }

    /// Every point of the merged rows: its index and metric summaries, in point order.
    fn points(&self) -> Result<Vec<(usize, Summaries)>, ExperimentError> {
        let varied = self.manifest.varies.len();
        let mut reader = csv::Reader::from_reader(self.csv.as_slice());
        let mut points: Vec<(usize, PointRows)> = Vec::new();
        for rec in reader.records() {
            let rec = rec.map_err(|e| assembled(e.to_string()))?;
            let index: usize = rec[0]
                .parse()
                .map_err(|_| assembled(format!("point `{}`", &rec[0])))?;
            if points.last().is_none_or(|(i, _)| *i != index) {
                points.push((index, PointRows::default()));
            }
            let (metric, statistic) = (unquoted(&rec[varied + 1]), &rec[varied + 2]);
            let value = rec[varied + 3].parse().unwrap_or(f64::NAN);
            if let Some(last) = points.last_mut() {
                last.1.add(metric, statistic, value);
            }
        }
        points
            .into_iter()
            .map(|(index, rows)| Ok((index, rows.summaries(index)?)))
            .collect()
    }

    /// The metrics of the merged sweep's points, for reading objectives and constraints.
    pub fn catalogue(&self) -> Result<Catalogue, ExperimentError> {
        let first = self.points()?.into_iter().next();
        Ok(first
            .map(|(_, s)| s.catalogue().clone())
            .unwrap_or_default())
    }

    /// The report of the unsharded sweep, with `choice` (objective and constraints) made
    /// among all its points: what `sweep --objective ... --report` gives without
    /// `--shard`, from the same numbers.
    pub fn report(
        &self,
        choice: (Option<Objective>, Vec<Constraint>),
    ) -> Result<SweepReport, ExperimentError> {
        let Some(record) = &self.sweep else {
            return Err(ExperimentError::PartsDisagree(
                "these sweep parts do not record the scenario's name and each point's warnings (an earlier salesim wrote them): merge them without --objective and --report, or write them again with this salesim".into(),
            ));
        };
        let varies = self.varies()?;
        let grid = expand(&varies);
        let rows = self.points()?;
        if rows.len() != record.warnings.len() {
            return Err(assembled(format!(
                "{} points, but the parts record the warnings of {}",
                rows.len(),
                record.warnings.len()
            )));
        }
        let mut points = Vec::with_capacity(rows.len());
        for ((index, metrics), warnings) in rows.into_iter().zip(&record.warnings) {
            let values = grid
                .get(index)
                .cloned()
                .ok_or_else(|| assembled(format!("point {index} is not on the grid")))?;
            points.push(SweepPoint {
                index,
                values,
                metrics,
                warnings: warnings.clone(),
            });
        }
        let file = self.manifest.scenarios.first().map(|s| s.file.clone());
        Ok(SweepReport {
            scenario: record.scenario.clone(),
            file: file.unwrap_or_default(),
            trials: self.manifest.trials,
            varies,
            points,
            objective: choice.0,
            constraints: choice.1,
            manifest: self.manifest.clone(),
        })
    }
}

/// The merged rows were checked part by part; a problem here is salesim's own.
fn assembled(problem: String) -> ExperimentError {
    ExperimentError::PartsDisagree(format!(
        "cannot read back the merged rows ({problem}); please report this"
    ))
}

/// A text cell as written before the CSV's leading `'` that keeps a spreadsheet from
/// running it as a formula.
fn unquoted(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// The rows of one point: per metric, in order, its statistics.
#[derive(Default)]
struct PointRows {
    metrics: Vec<(String, Vec<(String, f64)>)>,
}

impl PointRows {
    fn add(&mut self, metric: &str, statistic: &str, value: f64) {
        if self.metrics.last().is_none_or(|(m, _)| m != metric) {
            self.metrics.push((metric.to_string(), Vec::new()));
        }
        if let Some((_, stats)) = self.metrics.last_mut() {
            stats.push((statistic.to_string(), value));
        }
    }

    /// The point's summaries: every metric with every statistic of [`Summary`] (the
    /// `within_trial_quantile` row is the catalogue's, not a statistic).
    fn summaries(self, index: usize) -> Result<Summaries, ExperimentError> {
        let names: Vec<&str> = self.metrics.iter().map(|(m, _)| m.as_str()).collect();
        let catalogue =
            Catalogue::from_names(&names).map_err(|e| assembled(format!("point {index}: {e}")))?;
        let mut summaries = Vec::with_capacity(names.len());
        for (metric, stats) in &self.metrics {
            let get = |name: &str| {
                let found = stats.iter().find(|(s, _)| s == name).map(|(_, v)| *v);
                found.ok_or_else(|| assembled(format!("point {index}: no {metric} {name}")))
            };
            let n = get("n")?;
            summaries.push(Summary {
                n: if n.is_finite() { n as u64 } else { 0 },
                mean: get("mean")?,
                sd: get("sd")?,
                ci95_low: get("ci95_low")?,
                ci95_high: get("ci95_high")?,
                p5: get("p5")?,
                p50: get("p50")?,
                p95: get("p95")?,
            });
        }
        Ok(Summaries::from_parts(catalogue, summaries))
    }
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
