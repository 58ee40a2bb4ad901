//! Shard part files: the per-trial rows of a sharded run (`run --shard K/N --out F`)
//! or the point rows of a sharded sweep, with the manifest beside them recording what
//! the part holds (items, sha256, warnings), and `merge`, which proves that the parts
//! belong together and hold exactly what their manifests say before it rebuilds the
//! unsharded result (the rows themselves are read in `merge_rows`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::merge_rows::{merge_run_rows, merge_sweep_rows};
use super::{
    ExperimentError, Manifest, ManifestScenario, PartRecord, PartScenario, ScenarioResult, Shard,
    runaway_warning_of, scenario_warnings,
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
            })
            .collect(),
        sha256: sha256_hex(part),
        start: held.start,
        total: manifest.trials,
    };
    manifest.warnings = listed_warnings(&manifest.scenarios, &record);
    manifest.part = Some(record);
    manifest
}

/// The manifest of a sweep part whose file holds `part`: the grid points it holds (of
/// `total_points`) and the file's hash.
pub fn sweep_part_manifest(mut manifest: Manifest, total_points: u64, part: &[u8]) -> Manifest {
    let held = manifest.shard.trials(total_points);
    manifest.part = Some(PartRecord {
        end: held.end,
        scenarios: Vec::new(),
        sha256: sha256_hex(part),
        start: held.start,
        total: total_points,
    });
    manifest
}

/// The warnings a run part lists, as the unsharded run lists them: per scenario its
/// overload warnings, then the runaway warning of the part's trials, each after the
/// scenario's file.
fn listed_warnings(scenarios: &[ManifestScenario], record: &PartRecord) -> Vec<String> {
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
    pub result: ScenarioResult,
}

/// The unsharded CSV of a sweep and its manifest.
#[derive(Debug)]
pub struct MergedSweep {
    pub manifest: Manifest,
    pub csv: Vec<u8>,
}

fn bad_file(at: impl std::fmt::Display, problem: String) -> ExperimentError {
    ExperimentError::bad_file(at, problem)
}

fn disagree(message: String) -> ExperimentError {
    ExperimentError::PartsDisagree(message)
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
/// part's rows are read.
pub fn merge_files(paths: &[PathBuf]) -> Result<MergedParts, ExperimentError> {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let manifests: Vec<Manifest> = paths
        .iter()
        .map(|p| read_manifest(p))
        .collect::<Result<_, _>>()?;
    check_manifests(&names, &manifests)?;
    let mut parts = Vec::with_capacity(paths.len());
    for ((path, name), manifest) in paths.iter().zip(names).zip(manifests) {
        let bytes = read_regular(path, u64::MAX)
            .map_err(|e| bad_file(&name, format!("cannot read: {e}")))?;
        parts.push(Part {
            name,
            manifest,
            bytes,
        });
    }
    merge(parts)
}

/// Proves that `parts` are every shard of one run once, each holding exactly what its
/// manifest records, and rebuilds the unsharded result.
pub fn merge(parts: Vec<Part>) -> Result<MergedParts, ExperimentError> {
    let names: Vec<String> = parts.iter().map(|p| p.name.clone()).collect();
    let manifests: Vec<Manifest> = parts.iter().map(|p| p.manifest.clone()).collect();
    let order = check_manifests(&names, &manifests)?;
    let mut slots: Vec<Option<Part>> = parts.into_iter().map(Some).collect();
    let ordered: Vec<Part> = order.iter().filter_map(|&i| slots[i].take()).collect();
    let first = &ordered[0].manifest;
    let manifest = Manifest {
        shard: Shard::WHOLE,
        part: None,
        data_sha256: None,
        warnings: union_of_warnings(&ordered),
        ..first.clone()
    };
    if first.varies.is_empty() {
        merge_run_rows(&ordered, manifest).map(MergedParts::Run)
    } else {
        merge_sweep_rows(&ordered, manifest).map(MergedParts::Sweep)
    }
}

/// Every warning of the parts once, in the order first seen (a run's merged warnings
/// are listed again from its scenarios, with the runaway trials of all parts).
fn union_of_warnings(parts: &[Part]) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for w in parts.iter().flat_map(|p| &p.manifest.warnings) {
        if !all.contains(w) {
            all.push(w.clone());
        }
    }
    all
}

/// What a part's items are called in messages.
pub(super) fn items(m: &Manifest) -> &'static str {
    if m.varies.is_empty() {
        "trials"
    } else {
        "points"
    }
}

/// The part record of a manifest already checked by [`check_manifests`].
pub(super) fn record(m: &Manifest) -> &PartRecord {
    m.part.as_ref().expect("checked by check_manifests")
}

/// Checks that one part's manifest is a part manifest that agrees with itself.
fn check_record(name: &str, m: &Manifest) -> Result<(), ExperimentError> {
    let edited = |what: String| {
        bad_file(
            name,
            format!(
                "{what}: its manifest was edited; write the part again with `--shard {}`",
                m.shard
            ),
        )
    };
    let Some(r) = &m.part else {
        return Err(bad_file(
            name,
            "not a shard part: its manifest has no `part` record; merge takes the parts written by `run --shard K/N --out FILE` or `sweep --shard K/N --out FILE` of this salesim version".into(),
        ));
    };
    if m.data_sha256.as_ref().is_some_and(|d| d != &r.sha256) {
        return Err(edited(
            "its `data_sha256` is not the sha256 its part record holds".into(),
        ));
    }
    let items = items(m);
    let sweep = !m.varies.is_empty();
    if !sweep && r.total != m.trials {
        return Err(edited(format!(
            "its manifest says {} trials but its part record counts {}",
            m.trials, r.total
        )));
    }
    let held = m.shard.trials(r.total);
    if (r.start, r.end) != (held.start, held.end) {
        return Err(edited(format!(
            "its manifest says shard {} of {} {items}, which is {items} {}..{}, but its part record says {}..{}",
            m.shard, r.total, held.start, held.end, r.start, r.end
        )));
    }
    if sweep {
        if !r.scenarios.is_empty() || !m.warnings.is_empty() {
            return Err(edited(
                "a sweep part records no scenario warnings, but this one does".into(),
            ));
        }
        return Ok(());
    }
    if r.start == r.end {
        return Err(edited("it holds no trials".into()));
    }
    if r.scenarios.len() != m.scenarios.len() {
        return Err(edited(format!(
            "its part record has {} scenario(s), its manifest lists {}",
            r.scenarios.len(),
            m.scenarios.len()
        )));
    }
    if r.scenarios
        .iter()
        .any(|s| s.runaway_trials > r.end - r.start)
    {
        return Err(edited(format!(
            "its part record counts more runaway trials than the {} it holds",
            r.end - r.start
        )));
    }
    if m.warnings != listed_warnings(&m.scenarios, r) {
        return Err(edited(
            "its warnings are not those its part record implies".into(),
        ));
    }
    Ok(())
}

/// Checks that the manifests are parts of one run and that every shard is there once;
/// returns the positions of the parts in shard order. Nothing is allocated per shard
/// of the count a manifest claims, only per part given.
pub fn check_manifests(
    names: &[String],
    manifests: &[Manifest],
) -> Result<Vec<usize>, ExperimentError> {
    let Some(first) = manifests.first() else {
        return Err(disagree(
            "no part files given: name every part of the run".into(),
        ));
    };
    for (name, m) in names.iter().zip(manifests) {
        check_record(name, m)?;
    }
    let count = first.shard.count;
    for (name, m) in names.iter().zip(manifests).skip(1) {
        check_same_run(&names[0], first, name, m)?;
    }
    let mut by_index: BTreeMap<u64, usize> = BTreeMap::new();
    for (i, m) in manifests.iter().enumerate() {
        if let Some(other) = by_index.insert(m.shard.index, i) {
            return Err(disagree(format!(
                "shard {} is given twice: {} and {}",
                m.shard, names[other], names[i]
            )));
        }
    }
    // Every index is below `count`, so only the first few absent ones are looked for.
    let given = by_index.len() as u64;
    if given < count {
        let shown: Vec<String> = (0..count)
            .filter(|k| !by_index.contains_key(k))
            .take(5)
            .map(|k| format!("{k}/{count}"))
            .collect();
        let more = count - given - shown.len() as u64;
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        return Err(disagree(format!(
            "missing shard(s) {}{more}: every shard 0..{count} must be given once ({given} given)",
            shown.join(", ")
        )));
    }
    Ok(by_index.into_values().collect())
}

/// Checks that part `name` belongs to the run of the first part.
fn check_same_run(
    first_name: &str,
    first: &Manifest,
    name: &str,
    m: &Manifest,
) -> Result<(), ExperimentError> {
    let differs = |what: &str| {
        disagree(format!(
            "{first_name} and {name} do not belong to one run: their {what} differ"
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
    if m.shard.count != first.shard.count {
        return Err(differs(&format!(
            "shard counts ({} and {})",
            first.shard.count, m.shard.count
        )));
    }
    let (a, b) = (record(first), record(m));
    if a.total != b.total {
        return Err(differs(&format!(
            "{} counts ({} and {})",
            items(m),
            a.total,
            b.total
        )));
    }
    let overloads = |r: &PartRecord| -> Vec<Vec<String>> {
        r.scenarios
            .iter()
            .map(|s| s.overload_warnings.clone())
            .collect()
    };
    if overloads(a) != overloads(b) {
        return Err(differs("overload warnings"));
    }
    Ok(())
}
