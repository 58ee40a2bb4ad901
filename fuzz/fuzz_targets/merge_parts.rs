//! Fuzzes `merge`: any bytes, as shard parts and their manifests, must merge or give an
//! error, never a panic. The input is a list of parts separated by `\n~~~\n`; a part
//! that starts with `{` is a manifest (JSON, up to the first blank line) and its rows;
//! any other part is rows alone, given a manifest that agrees with them (shard K/N of
//! the list, the rows' sha256), so that the fuzzer reaches the checks of every row and
//! not only the hash. A merge that succeeds is rendered as `merge` writes it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use salesim::experiment::parts::{MergedParts, Part, merge, sha256_hex};
use salesim::experiment::{
    Comparison, Manifest, ManifestScenario, PartRecord, PartScenario, Plan, Shard,
};

/// Trials (or points) per synthesised part.
const PER_PART: u64 = 2;

fuzz_target!(|data: &[u8]| {
    let chunks: Vec<&[u8]> = split(data, b"\n~~~\n");
    if chunks.len() > 16 {
        return;
    }
    let count = chunks.len() as u64;
    let parts: Vec<Part> = chunks
        .iter()
        .enumerate()
        .filter_map(|(k, chunk)| part(k as u64, count, chunk))
        .collect();
    if parts.is_empty() {
        return;
    }
    match merge(parts) {
        Ok(MergedParts::Run(merged)) => {
            let c = Comparison::from_named(merged.scenarios, merged.manifest);
            let _ = salesim::report::render_csv(&c);
            let _ = salesim::report::render_manifest_json(&c.manifest);
        }
        Ok(MergedParts::Sweep(merged)) => {
            let _ = salesim::report::render_manifest_json(&merged.manifest);
        }
        Err(e) => {
            let message = e.to_string();
            assert!(!message.is_empty());
        }
    }
});

fn split<'a>(data: &'a [u8], separator: &[u8]) -> Vec<&'a [u8]> {
    let mut chunks = Vec::new();
    let mut rest = data;
    while let Some(at) = rest.windows(separator.len()).position(|w| w == separator) {
        chunks.push(&rest[..at]);
        rest = &rest[at + separator.len()..];
    }
    chunks.push(rest);
    chunks
}

/// Part `k` of `count` from one chunk of the input.
fn part(k: u64, count: u64, chunk: &[u8]) -> Option<Part> {
    let name = format!("p{k}.csv");
    if chunk.first() == Some(&b'{') {
        let at = chunk.windows(2).position(|w| w == b"\n\n")?;
        let text = std::str::from_utf8(&chunk[..at]).ok()?;
        let manifest = Manifest::from_json(text).ok()?;
        let bytes = chunk[at + 2..].to_vec();
        return Some(Part { name, manifest, bytes });
    }
    let shard = Shard { index: k, count };
    let total = PER_PART * count;
    let held = shard.trials(total);
    let plan = Plan { trials: total, seed: 1, shard };
    let mut manifest = Manifest::new(&[], plan, "salesim fuzz".into());
    manifest.scenarios.push(ManifestScenario {
        file: "desk.toml".into(),
        overrides: Vec::new(),
        sha256: "00".into(),
    });
    // A header with varied columns between `point` and `metric` makes a sweep part.
    let header = chunk.split(|&b| b == b'\n').next().unwrap_or_default();
    let sweep = header.starts_with(b"point,");
    let mut scenarios = vec![PartScenario {
        overload_warnings: Vec::new(),
        runaway_trials: 0,
    }];
    if sweep {
        let fields = header.split(|&b| b == b',').count();
        manifest.varies = (0..fields.saturating_sub(4))
            .map(|i| format!("v{i}=1"))
            .collect();
        scenarios.clear();
    }
    manifest.part = Some(PartRecord {
        end: held.end,
        scenarios,
        sha256: sha256_hex(chunk),
        start: held.start,
        total,
    });
    Some(Part {
        name,
        manifest,
        bytes: chunk.to_vec(),
    })
}
