//! The manifest: what is needed to reproduce a result (salesim version, seed, trials,
//! shard, the scenario files' hashes and overrides, the grid of a sweep, the command
//! line), and the warnings that go with the result. Read back with serde into this
//! struct, which refuses a field of the wrong type.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Plan, Shard};
use crate::scenario::LoadedScenario;

/// What is needed to reproduce a result. Fields are in alphabetical order, the order
/// the JSON has always had.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The command line that produced the result.
    pub command: String,
    /// sha256 of the CSV file this manifest lies beside (its bytes, in lowercase hex),
    /// so that a reader can tell a CSV and a manifest that are not a pair. Absent in
    /// the manifest embedded in JSON output and HTML reports, which have no CSV.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_sha256: Option<String>,
    /// What a shard part holds, so that `merge` can prove it (only in the manifest of a
    /// part written by `run --shard` or `sweep --shard`; absent everywhere else).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<PartRecord>,
    pub salesim_version: String,
    pub scenarios: Vec<ManifestScenario>,
    pub seed: u64,
    #[serde(serialize_with = "shard_text", deserialize_with = "shard_from_text")]
    pub shard: Shard,
    pub trials: u64,
    /// The `--vary` specs of a sweep (empty otherwise).
    pub varies: Vec<String>,
    /// Warnings about the results (overloaded roles, runaway trials), so that a CSV,
    /// whose manifest lies beside it, carries them too.
    pub warnings: Vec<String>,
}

/// What one shard part holds: the items (trial indices of a run, grid point indices of
/// a sweep) `start..end` of `total`, and the sha256 of the part file as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartRecord {
    /// One past the last item held.
    pub end: u64,
    /// Per scenario of a run part, in `scenarios` order (none in a sweep part).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scenarios: Vec<PartScenario>,
    /// sha256 of the part file's bytes (header and rows), in lowercase hex.
    pub sha256: String,
    /// The first item held.
    pub start: u64,
    /// What a sweep part knows beyond its rows (absent in a run part, and in the sweep
    /// parts of earlier versions, which merge into a CSV but not into a report).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep: Option<SweepPartRecord>,
    /// The items of the whole run: its trials, or its sweep's grid points.
    pub total: u64,
}

/// What a sweep part records for `merge --report` and `merge --objective` to give what
/// the unsharded sweep gives: the scenario's name and each point's warnings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepPartRecord {
    /// The name of the swept scenario (its `name` key), the report's title.
    pub scenario: String,
    /// The warnings of each point held, in point order.
    pub warnings: Vec<Vec<String>>,
}

/// What a run part knows of one scenario beyond its rows, so that the merged result
/// lists the warnings the unsharded run lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartScenario {
    /// The scenario's overload warnings (the same in every part).
    pub overload_warnings: Vec<String>,
    /// How many of the part's trials the runaway guard stopped.
    pub runaway_trials: u64,
    /// The weekly series of the part's trials and what the warnings read from them need
    /// of the scenario (absent in parts of earlier versions, whose merge gives none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trends: Option<super::trend_context::PartTrends>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestScenario {
    pub file: String,
    pub overrides: Vec<String>,
    pub sha256: String,
}

fn shard_text<S: Serializer>(shard: &Shard, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&shard.to_string())
}

fn shard_from_text<'de, D: Deserializer<'de>>(d: D) -> Result<Shard, D::Error> {
    let text = String::deserialize(d)?;
    text.parse().map_err(serde::de::Error::custom)
}

impl Manifest {
    pub fn new(scenarios: &[LoadedScenario], plan: Plan, command: String) -> Self {
        Manifest {
            salesim_version: env!("CARGO_PKG_VERSION").to_string(),
            seed: plan.seed,
            trials: plan.trials,
            shard: plan.shard,
            scenarios: scenarios
                .iter()
                .map(|l| ManifestScenario {
                    file: l.origin.clone(),
                    sha256: l.file_sha256.clone(),
                    overrides: l.overrides.iter().map(|o| o.to_string()).collect(),
                })
                .collect(),
            varies: Vec::new(),
            warnings: Vec::new(),
            command,
            data_sha256: None,
            part: None,
        }
    }

    /// The manifest as pretty JSON with a final newline.
    pub fn to_json(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).expect("a manifest serialises");
        bytes.push(b'\n');
        bytes
    }

    /// This manifest as written beside the CSV `data`: with the sha256 of its bytes.
    pub fn beside(&self, data: &[u8]) -> Manifest {
        Manifest {
            data_sha256: Some(crate::experiment::parts::sha256_hex(data)),
            ..self.clone()
        }
    }

    /// Checks that `data` is the CSV this manifest was written beside: refused when the
    /// manifest records another sha256, or none (a manifest not written beside a CSV).
    pub fn check_data(&self, data: &[u8]) -> Result<(), String> {
        let Some(recorded) = &self.data_sha256 else {
            return Err(
                "its manifest records no `data_sha256`: it was not written beside a CSV by this salesim version".into(),
            );
        };
        let actual = crate::experiment::parts::sha256_hex(data);
        if &actual == recorded {
            Ok(())
        } else {
            Err(format!(
                "its rows do not match its manifest (sha256 {actual}, the manifest records {recorded}): the file was edited or replaced, or the manifest beside it belongs to another result; write it again"
            ))
        }
    }

    /// Reads a manifest, refusing missing fields, unknown fields and wrong types
    /// (`"seed": "5"`); the message names the field.
    pub fn from_json(text: &str) -> Result<Manifest, String> {
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if path.is_empty() || path == "." {
                inner.to_string()
            } else {
                format!("`{path}`: {inner}")
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Manifest {
        let plan = Plan {
            trials: 30,
            seed: 5,
            shard: "1/3".parse().unwrap(),
        };
        let mut m = Manifest::new(&[], plan, "salesim run x.toml".into());
        m.scenarios.push(ManifestScenario {
            file: "x.toml".into(),
            overrides: vec!["a.b=1".into()],
            sha256: "00".into(),
        });
        m
    }

    #[test]
    fn a_manifest_reads_back_as_written() {
        let m = sample();
        let text = String::from_utf8(m.to_json()).unwrap();
        assert_eq!(Manifest::from_json(&text), Ok(m));
        assert!(text.contains("\"shard\": \"1/3\""), "{text}");
    }

    #[test]
    fn wrong_types_and_missing_fields_are_refused_by_name() {
        let text = String::from_utf8(sample().to_json()).unwrap();
        let cases = [
            ("\"seed\": 5", "\"seed\": \"5\"", "seed"),
            ("\"trials\": 30", "\"trials\": \"thirty\"", "trials"),
            ("\"shard\": \"1/3\"", "\"shard\": \"3/1\"", "shard"),
            ("\"seed\": 5,", "", "seed"),
            ("\"seed\": 5", "\"seed\": 5, \"extra\": 1", "extra"),
        ];
        for (from, to, field) in cases {
            let edited = text.replace(from, to);
            assert_ne!(edited, text);
            let e = Manifest::from_json(&edited).unwrap_err();
            assert!(e.contains(field), "{to}: {e}");
        }
    }

    #[test]
    fn a_manifest_beside_a_csv_knows_its_bytes() {
        let m = sample();
        assert!(m.check_data(b"a,b\n").is_err(), "no hash recorded");
        let beside = m.beside(b"a,b\n");
        assert_eq!(beside.check_data(b"a,b\n"), Ok(()));
        let e = beside.check_data(b"a,c\n").unwrap_err();
        assert!(e.contains("do not match its manifest"), "{e}");
        let text = String::from_utf8(beside.to_json()).unwrap();
        assert_eq!(Manifest::from_json(&text), Ok(beside));
        assert!(
            !String::from_utf8(m.to_json())
                .unwrap()
                .contains("data_sha256")
        );
    }
}
