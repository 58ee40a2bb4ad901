//! Shard part files: the per-trial rows of a sharded run (`run --shard K/N --out F`),
//! with the manifest beside them, and `merge`, which checks that the parts belong
//! together and rebuilds exactly the unsharded result.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{Columns, ExperimentError, Manifest, ScenarioResult, Shard};
use crate::model::Conservation;
use crate::model::metrics::{Catalogue, Metric};
use crate::scenario::LoadedScenario;

/// `FILE.manifest.json` beside `FILE`.
pub fn manifest_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".manifest.json");
    path.with_file_name(name)
}

/// Per-trial rows: `scenario,file,trial,metric,value`, values in round-trip form.
pub fn render_part(scenarios: &[LoadedScenario], results: &[ScenarioResult]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["scenario", "file", "trial", "metric", "value"])
        .expect("in-memory write");
    for (loaded, result) in scenarios.iter().zip(results) {
        for (r, trial) in result.trials.iter().enumerate() {
            for (name, value) in result.catalogue.names().iter().zip(result.values.row(r)) {
                w.write_record([
                    &loaded.scenario.name,
                    &loaded.origin,
                    &trial.to_string(),
                    name,
                    &format!("{value}"),
                ])
                .expect("in-memory write");
            }
        }
    }
    w.into_inner().expect("in-memory write")
}

pub struct Merged {
    pub manifest: Manifest,
    pub scenarios: Vec<(String, String, ScenarioResult)>,
}

fn bad_file(at: impl std::fmt::Display, problem: String) -> ExperimentError {
    ExperimentError::bad_file(at, problem)
}

fn disagree(message: String) -> ExperimentError {
    ExperimentError::PartsDisagree(message)
}

/// Reads the manifest beside part file `part`.
pub fn read_manifest(part: &Path) -> Result<Manifest, ExperimentError> {
    let path = manifest_path(part);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        bad_file(
            part.display(),
            format!("cannot read its manifest {}: {e}", path.display()),
        )
    })?;
    Manifest::from_json(&text)
        .map_err(|e| bad_file(path.display(), format!("not a salesim manifest: {e}")))
}

/// Checks that the parts belong to one run and that every shard is there once;
/// returns the unsharded manifest and the parts in shard order.
pub fn check_parts(parts: &[PathBuf]) -> Result<(Manifest, Vec<PathBuf>), ExperimentError> {
    let manifests: Vec<Manifest> = parts
        .iter()
        .map(|p| read_manifest(p))
        .collect::<Result<_, _>>()?;
    let first = &manifests[0];
    let count = first.shard.count;
    for (part, m) in parts.iter().zip(&manifests).skip(1) {
        let differs = |what: &str| {
            disagree(format!(
                "{} and {} do not belong to one run: their {what} differ",
                parts[0].display(),
                part.display()
            ))
        };
        if m.seed != first.seed {
            return Err(differs(&format!("seeds ({} and {})", first.seed, m.seed)));
        }
        if m.trials != first.trials {
            return Err(differs(&format!(
                "trial counts ({} and {})",
                first.trials, m.trials
            )));
        }
        if m.scenarios != first.scenarios {
            return Err(differs("scenarios (files, contents or --set overrides)"));
        }
        if m.varies != first.varies {
            return Err(differs("sweep grids (--vary)"));
        }
        if m.salesim_version != first.salesim_version {
            return Err(differs("salesim versions"));
        }
        if m.shard.count != count {
            return Err(differs(&format!(
                "shard counts ({} and {})",
                count, m.shard.count
            )));
        }
    }
    let mut by_index: BTreeMap<u64, &PathBuf> = BTreeMap::new();
    for (part, m) in parts.iter().zip(&manifests) {
        if let Some(other) = by_index.insert(m.shard.index, part) {
            return Err(disagree(format!(
                "shard {} is given twice: {} and {}",
                m.shard,
                other.display(),
                part.display()
            )));
        }
    }
    let missing: Vec<String> = (0..count)
        .filter(|k| !by_index.contains_key(k))
        .map(|k| format!("{k}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(disagree(format!(
            "missing shard(s) {}: every shard 0..{count} must be given once",
            missing.join(", ")
        )));
    }
    let manifest = Manifest {
        shard: Shard::WHOLE,
        ..first.clone()
    };
    Ok((manifest, by_index.into_values().cloned().collect()))
}

/// Rebuilds the unsharded per-trial results of a run from its parts.
pub fn merge_parts(manifest: Manifest, ordered: &[PathBuf]) -> Result<Merged, ExperimentError> {
    let mut scenarios: Vec<(String, String, ScenarioResult)> = Vec::new();
    for part in ordered {
        read_part(part, &mut scenarios)?;
    }
    Ok(Merged {
        manifest,
        scenarios,
    })
}

/// Concatenates the rows of sweep parts (each holds whole points) under one header.
pub fn merge_sweep_parts(ordered: &[PathBuf]) -> Result<Vec<u8>, ExperimentError> {
    let mut out = Vec::new();
    for (i, part) in ordered.iter().enumerate() {
        let text = std::fs::read_to_string(part)
            .map_err(|e| bad_file(part.display(), format!("cannot read: {e}")))?;
        let mut lines = text.split_inclusive('\n');
        let header = lines.next().unwrap_or_default();
        if !header.starts_with("point,") {
            return Err(bad_file(
                part.display(),
                "not a sweep part file (no `point,...` header)".into(),
            ));
        }
        if i == 0 {
            out.extend_from_slice(header.as_bytes());
        }
        for line in lines {
            out.extend_from_slice(line.as_bytes());
        }
    }
    Ok(out)
}

fn read_part(
    part: &Path,
    scenarios: &mut Vec<(String, String, ScenarioResult)>,
) -> Result<(), ExperimentError> {
    let mut reader = csv::Reader::from_path(part)
        .map_err(|e| bad_file(part.display(), format!("cannot read: {e}")))?;
    let header = reader
        .headers()
        .map_err(|e| bad_file(part.display(), e.to_string()))?;
    if header != vec!["scenario", "file", "trial", "metric", "value"] {
        return Err(bad_file(
            part.display(),
            format!(
                "not a part file of `run --shard K/N` (its header is `{}`, not `scenario,file,trial,metric,value`)",
                header.iter().collect::<Vec<_>>().join(",")
            ),
        ));
    }
    // The values read so far of each scenario's current trial, pushed once complete.
    let mut pending: Vec<Vec<f64>> = Vec::new();
    for (line, record) in reader.records().enumerate() {
        let record = record.map_err(|e| bad_file(part.display(), e.to_string()))?;
        let at = || format!("{}:{}", part.display(), line + 2);
        if record.len() != 5 {
            return Err(bad_file(
                at(),
                "expected scenario,file,trial,metric,value".into(),
            ));
        }
        let (name, file, metric) = (&record[0], &record[1], &record[3]);
        let trial: u64 = record[2]
            .parse()
            .map_err(|_| bad_file(at(), format!("trial `{}` is not a number", &record[2])))?;
        let value: f64 = record[4]
            .parse()
            .map_err(|_| bad_file(at(), format!("value `{}` is not a number", &record[4])))?;
        let index = match scenarios
            .iter()
            .position(|(n, f, _)| n == name && f == file)
        {
            Some(i) => i,
            None => {
                scenarios.push((name.to_string(), file.to_string(), empty_result()));
                scenarios.len() - 1
            }
        };
        if pending.len() < scenarios.len() {
            pending.resize_with(scenarios.len(), Vec::new);
        }
        let (result, row) = (&mut scenarios[index].2, &mut pending[index]);
        if result.trials.last() != Some(&trial) {
            // (An empty row: the previous trial was completed at the end of a part.)
            if !row.is_empty() && !finish_row(result, row) {
                return Err(bad_file(
                    at(),
                    format!("the trial before trial {trial} is incomplete"),
                ));
            }
            result.trials.push(trial);
        }
        if result.trials.len() == 1 {
            let known = Metric::parse(metric)
                .ok_or_else(|| bad_file(at(), format!("`{metric}` is not a salesim metric")))?;
            result.catalogue.push(known.def, known.subject);
        } else if result.catalogue.names().get(row.len()).map(String::as_str) != Some(metric) {
            return Err(bad_file(at(), format!("metric `{metric}` out of order")));
        }
        row.push(value);
    }
    for ((name, file, result), row) in scenarios.iter_mut().zip(&mut pending) {
        if !row.is_empty() && !finish_row(result, row) {
            return Err(bad_file(
                part.display(),
                format!("the last trial of `{name}` ({file}) is incomplete"),
            ));
        }
    }
    Ok(())
}

/// Adds the trial read into `row` to the result, if it has every metric.
fn finish_row(result: &mut ScenarioResult, row: &mut Vec<f64>) -> bool {
    if row.len() != result.catalogue.len() {
        return false;
    }
    result.values.push_row(row);
    row.clear();
    true
}

fn empty_result() -> ScenarioResult {
    ScenarioResult {
        catalogue: Catalogue::default(),
        trials: Vec::new(),
        values: Columns::default(),
        weekly_meetings: Vec::new(),
        weekly_open_leads: Vec::new(),
        conservation: Conservation::default(),
        runaway_trials: 0,
    }
}
