//! Shard part files: the per-trial rows of a sharded run (`run --shard K/N --out F`)
//! or the point rows of a sharded sweep, with the manifest beside them recording what
//! the part holds (items, sha256, warnings), and `merge`, which proves that the parts
//! belong together and hold exactly what their manifests say before it rebuilds the
//! unsharded result (the rows themselves are read in `merge_rows`).

use std::path::{Path, PathBuf};

use super::merge_rows::merge_run_rows;
use super::part_checks::check_distinct_files;
pub use super::part_checks::check_manifests;
pub(super) use super::part_checks::record;
use super::sweep::SweepReport;
use super::sweep_parts::merge_sweep_rows;
use super::trend_context::{PartTrends, TrendContext};
use super::{
    ExperimentError, Manifest, ManifestScenario, PartRecord, PartScenario, ScenarioResult, Shard,
    SweepPartRecord, runaway_warning_of, scenario_warnings,
};
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

/// sha256 of `bytes` in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The manifest of a run part whose file holds `part`: the trials it holds, the
/// file's hash, and the warnings the unsharded run would list for these trials.
pub fn run_part_manifest(
    mut manifest: Manifest,
    scenarios: &[LoadedScenario],
    results: &[ScenarioResult],
    part: &[u8],
) -> Manifest {
    let held = manifest.shard.trials(manifest.trials);
    let record = PartRecord {
        end: held.end,
        scenarios: scenarios
            .iter()
            .zip(results)
            .map(|(l, r)| PartScenario {
                overload_warnings: scenario_warnings(l),
                runaway_trials: r.runaway_trials,
                trends: Some(PartTrends::of(&l.scenario, r)),
            })
            .collect(),
        sha256: sha256_hex(part),
        start: held.start,
        sweep: None,
        total: manifest.trials,
    };
    manifest.warnings = listed_warnings(&manifest.scenarios, &record);
    manifest.part = Some(record);
    manifest
}

/// The manifest of the sweep part `report` whose file holds `part`: the grid points it
/// holds (of `total_points`), the file's hash, the scenario's name and each point's
/// warnings.
pub fn sweep_part_manifest(report: &SweepReport, total_points: u64, part: &[u8]) -> Manifest {
    let mut manifest = report.manifest.clone();
    let held = manifest.shard.trials(total_points);
    manifest.part = Some(PartRecord {
        end: held.end,
        scenarios: Vec::new(),
        sha256: sha256_hex(part),
        start: held.start,
        sweep: Some(SweepPartRecord {
            scenario: report.scenario.clone(),
            warnings: report.points.iter().map(|p| p.warnings.clone()).collect(),
        }),
        total: total_points,
    });
    manifest
}

/// The warnings a run part lists, as the unsharded run lists them: per scenario its
/// overload warnings, then the runaway warning of the part's trials, each after the
/// scenario's file.
pub(super) fn listed_warnings(scenarios: &[ManifestScenario], record: &PartRecord) -> Vec<String> {
    let trials = record.end.saturating_sub(record.start);
    scenarios
        .iter()
        .zip(&record.scenarios)
        .flat_map(|(s, p)| {
            p.overload_warnings
                .iter()
                .cloned()
                .chain(runaway_warning_of(p.runaway_trials, trials))
                .map(move |w| format!("{}: {w}", s.file))
        })
        .collect()
}

/// One part given to merge: its name in messages, its manifest and its bytes.
#[derive(Debug, Clone)]
pub struct Part {
    pub name: String,
    pub manifest: Manifest,
    pub bytes: Vec<u8>,
}

/// What merge rebuilt: the per-trial results of a run, or the rows of a sweep.
#[derive(Debug)]
pub enum MergedParts {
    Run(Merged),
    Sweep(MergedSweep),
}

/// The unsharded per-trial results of a run (its manifest's `command` still the
/// parts'; the caller sets it).
#[derive(Debug)]
pub struct Merged {
    pub manifest: Manifest,
    pub scenarios: Vec<MergedScenario>,
}

/// One scenario of a merged run, known by name and file, with the overload warnings
/// its parts recorded (its runaway trials are counted in `result`).
#[derive(Debug)]
pub struct MergedScenario {
    pub name: String,
    pub file: String,
    pub overload_warnings: Vec<String>,
    /// What the trend warnings need of the scenario, when every part recorded it (the
    /// parts' weekly series are then summed into `result`).
    pub trends: Option<TrendContext>,
    pub result: ScenarioResult,
}

/// The unsharded CSV of a sweep and its manifest (its `command` still the parts'; the
/// caller sets it), with what the parts recorded beyond their rows: the scenario's name
/// and every point's warnings (`None` when a part of an earlier version recorded none).
#[derive(Debug)]
pub struct MergedSweep {
    pub manifest: Manifest,
    pub csv: Vec<u8>,
    pub sweep: Option<SweepPartRecord>,
}

fn bad_file(at: impl std::fmt::Display, problem: String) -> ExperimentError {
    ExperimentError::bad_file(at, problem)
}

/// A manifest larger than this is not one salesim wrote.
const MAX_MANIFEST_BYTES: u64 = 64 << 20;

/// The bytes of `path`, which must be a regular file (a device such as `/dev/zero` or a
/// FIFO would be read without end) of at most `limit` bytes.
fn read_regular(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other(
            "not a regular file (a device, FIFO or folder)",
        ));
    }
    if meta.len() > limit {
        return Err(std::io::Error::other(format!(
            "it is {} bytes, more than the {limit} a salesim file of this kind can be",
            meta.len()
        )));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Reads the manifest beside part file `part`.
pub fn read_manifest(part: &Path) -> Result<Manifest, ExperimentError> {
    let path = manifest_path(part);
    let text = read_regular(&path, MAX_MANIFEST_BYTES)
        .and_then(|b| String::from_utf8(b).map_err(std::io::Error::other))
        .map_err(|e| {
            bad_file(
                part.display(),
                format!("cannot read its manifest {}: {e}", path.display()),
            )
        })?;
    Manifest::from_json(&text)
        .map_err(|e| bad_file(path.display(), format!("not a salesim manifest: {e}")))
}

/// Reads the CSV file `csv` and the manifest beside it, and checks that they are a
/// pair: the manifest records the sha256 of the file's bytes. Returns the manifest.
pub fn check_pair(csv: &Path) -> Result<Manifest, ExperimentError> {
    let manifest = read_manifest(csv)?;
    let bytes = read_regular(csv, u64::MAX)
        .map_err(|e| bad_file(csv.display(), format!("cannot read: {e}")))?;
    manifest
        .check_data(&bytes)
        .map_err(|e| bad_file(csv.display(), e))?;
    Ok(manifest)
}

/// Merges the part files at `paths`: every manifest is read and checked before any
/// part's rows are read, and the parts are then read one at a time, in shard order, so
/// that merge holds the bytes of one part at once, not of all.
pub fn merge_files(paths: &[PathBuf]) -> Result<MergedParts, ExperimentError> {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    check_distinct_files(paths, &names)?;
    let manifests: Vec<Manifest> = paths
        .iter()
        .map(|p| read_manifest(p))
        .collect::<Result<_, _>>()?;
    let order = check_manifests(&names, &manifests)?;
    let ordered: Vec<(String, Manifest)> = order
        .iter()
        .map(|&i| (names[i].clone(), manifests[i].clone()))
        .collect();
    let parts = order.iter().map(|&i| {
        let name = names[i].clone();
        let bytes = read_regular(&paths[i], u64::MAX)
            .map_err(|e| bad_file(&name, format!("cannot read: {e}")))?;
        Ok(Part {
            name,
            manifest: manifests[i].clone(),
            bytes,
        })
    });
    merge_ordered(&ordered, parts)
}

/// Proves that `parts` are every shard of one run once, each holding exactly what its
/// manifest records, and rebuilds the unsharded result.
pub fn merge(parts: Vec<Part>) -> Result<MergedParts, ExperimentError> {
    let names: Vec<String> = parts.iter().map(|p| p.name.clone()).collect();
    let manifests: Vec<Manifest> = parts.iter().map(|p| p.manifest.clone()).collect();
    let order = check_manifests(&names, &manifests)?;
    let mut slots: Vec<Option<Part>> = parts.into_iter().map(Some).collect();
    let ordered: Vec<Part> = order.iter().filter_map(|&i| slots[i].take()).collect();
    let listed: Vec<(String, Manifest)> = ordered
        .iter()
        .map(|p| (p.name.clone(), p.manifest.clone()))
        .collect();
    merge_ordered(&listed, ordered.into_iter().map(Ok))
}

/// Rebuilds the unsharded result from the parts, whose names and manifests (checked by
/// [`check_manifests`]) are `ordered`, in shard order, as `parts` yields them.
fn merge_ordered(
    ordered: &[(String, Manifest)],
    parts: impl Iterator<Item = Result<Part, ExperimentError>>,
) -> Result<MergedParts, ExperimentError> {
    let Some((_, first)) = ordered.first() else {
        return Err(ExperimentError::PartsDisagree(
            "no part files given: name every part of the run".into(),
        ));
    };
    let manifest = Manifest {
        shard: Shard::WHOLE,
        part: None,
        data_sha256: None,
        warnings: union_of_warnings(ordered),
        ..first.clone()
    };
    if first.varies.is_empty() {
        merge_run_rows(parts, manifest).map(MergedParts::Run)
    } else {
        merge_sweep_rows(ordered, parts, manifest).map(MergedParts::Sweep)
    }
}

/// Every warning of the parts once, in the order first seen (a run's merged warnings
/// are listed again from its scenarios, with the runaway trials of all parts).
fn union_of_warnings(parts: &[(String, Manifest)]) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for w in parts.iter().flat_map(|(_, m)| &m.warnings) {
        if !all.contains(w) {
            all.push(w.clone());
        }
    }
    all
}
