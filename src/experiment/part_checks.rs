//! The checks `merge` makes of the parts' manifests before it reads a row: each is a
//! part manifest that agrees with itself, all belong to one run, every shard is there
//! once, and no part is given twice, whether under two paths (relative and absolute, a
//! symbolic or hard link) or as two copies: parts are told apart by what they are (the
//! file itself, its content hash and manifest), never by the path they were given under.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::parts::listed_warnings;
use super::{ExperimentError, Manifest, PartRecord};

fn bad_file(at: impl std::fmt::Display, problem: String) -> ExperimentError {
    ExperimentError::bad_file(at, problem)
}

fn disagree(message: String) -> ExperimentError {
    ExperimentError::PartsDisagree(message)
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
    if r.sweep.is_some() {
        return Err(edited("a run part has a sweep record".into()));
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
            return Err(given_twice(
                (&names[other], &manifests[other]),
                (&names[i], m),
            ));
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
    let scenario = |r: &PartRecord| r.sweep.as_ref().map(|s| s.scenario.clone());
    if let (Some(x), Some(y)) = (scenario(a), scenario(b))
        && x != y
    {
        return Err(differs(&format!("scenario names (`{x}` and `{y}`)")));
    }
    Ok(())
}

/// Two parts of one shard: the same part twice (the same rows and manifest but for the
/// command line, copied or written twice), or two different parts that claim the shard.
fn given_twice(a: (&str, &Manifest), b: (&str, &Manifest)) -> ExperimentError {
    let (ra, rb) = (record(a.1), record(b.1));
    // The command line records where the part was written, not what it is.
    let what = |m: &Manifest| Manifest {
        command: String::new(),
        ..m.clone()
    };
    if ra.sha256 == rb.sha256 && what(a.1) == what(b.1) {
        return disagree(format!(
            "shard {} is given twice: {} and {} are the same part (the same rows and manifest, sha256 {}); give each part once",
            a.1.shard, a.0, b.0, ra.sha256
        ));
    }
    disagree(format!(
        "shard {} is given twice: {} and {} are two different parts of it (sha256 {} and {}); give one part of each shard",
        a.1.shard, a.0, b.0, ra.sha256, rb.sha256
    ))
}

/// What makes a file itself whatever path reaches it: its device and inode (so a
/// symbolic or hard link, or `./x` against `/abs/x`, is the same file).
#[cfg(unix)]
fn file_identity(path: &std::path::Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_identity(path: &std::path::Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}

/// Refuses one file given twice under two paths (a path that cannot be read is left
/// for the reading to report).
pub(super) fn check_distinct_files(
    paths: &[PathBuf],
    names: &[String],
) -> Result<(), ExperimentError> {
    let mut seen = BTreeMap::new();
    for (i, path) in paths.iter().enumerate() {
        let Some(id) = file_identity(path) else {
            continue;
        };
        if let Some(first) = seen.insert(id, i) {
            let how = if names[first] == names[i] {
                format!("{} is named twice", names[i])
            } else {
                format!(
                    "{} and {} are one file, reached by two paths",
                    names[first], names[i]
                )
            };
            return Err(disagree(format!(
                "the same part is given twice: {how}; give each part once"
            )));
        }
    }
    Ok(())
}
