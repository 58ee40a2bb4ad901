//! Snapshots of the exporters: the table, CSV, JSON and manifest of a small fixed
//! comparison (the desk against a bigger desk, 5 trials, seed 1) built through the
//! library, and the shard part file and its manifest written by `run --shard 0/2`.
//!
//! A snapshot holds no path or version that differs between machines or releases: the
//! scenarios are loaded under relative names, the command line is fixed (or, from the
//! binary, has its own path replaced by `salesim`), and the salesim version is
//! redacted. A changed snapshot is reviewed like the HTML one: run the test, read the
//! `.snap.new` beside the `.snap` in `tests/snapshots/`, and accept it if the change is
//! meant (`cargo insta accept`, or rename it over the `.snap`).

mod common;

use common::library::{self, Comparison, load};
use common::scenarios::{DESK, Desk};
use common::{Folder, text};
use salesim::report::{render_csv, render_json, render_manifest_json, render_table};

/// The command line recorded in the manifest of the library-built comparison.
const COMMAND: &str = "salesim compare desk.toml big.toml --trials 5 --seed 1";

/// The desk (`desk.toml`) against the same desk with a third person (`big.toml`).
fn comparison() -> Comparison {
    let big = Desk {
        name: "big",
        headcount: 3,
        ..Desk::default()
    }
    .toml();
    let loaded = [
        load(DESK, "desk.toml", "desk", &[]),
        load(&big, "big.toml", "big", &[]),
    ];
    library::compare(&loaded, 5, 1, COMMAND)
}

/// `bytes` as text with what may differ between machines and releases replaced: the
/// path of the binary (the first word of a recorded command line) and the version.
fn portable(bytes: &[u8]) -> String {
    let version = format!("\"salesim_version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    let portable = text(bytes)
        .replace(env!("CARGO_BIN_EXE_salesim"), "salesim")
        .replace(&version, "\"salesim_version\": \"[version]\"");
    for machine_specific in [env!("CARGO_MANIFEST_DIR"), "/tmp/", "\\"] {
        assert!(
            !portable.contains(machine_specific),
            "`{machine_specific}` in a snapshot:\n{portable}"
        );
    }
    portable
}

#[test]
fn the_default_desk_is_the_desk_text() {
    assert_eq!(Desk::default().toml(), DESK);
}

#[test]
fn the_table_of_a_small_comparison_matches_its_snapshot() {
    let table = portable(&render_table(&comparison()));
    assert!(table.contains("B - A [95% CI]"), "{table}");
    insta::assert_snapshot!("table", table);
}

#[test]
fn the_csv_of_a_small_comparison_matches_its_snapshot() {
    let csv = portable(&render_csv(&comparison()));
    assert!(
        csv.starts_with("scenario,metric,statistic,value\n"),
        "{csv}"
    );
    insta::assert_snapshot!("csv", csv);
}

#[test]
fn the_json_of_a_small_comparison_matches_its_snapshot() {
    let c = comparison();
    let json = portable(&render_json(&c));
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(value["manifest"]["command"], COMMAND);
    insta::assert_snapshot!("json", json);
}

#[test]
fn the_manifest_of_a_small_comparison_matches_its_snapshot() {
    let manifest = portable(&render_manifest_json(&comparison().manifest));
    assert!(
        manifest.contains("\"salesim_version\": \"[version]\""),
        "{manifest}"
    );
    insta::assert_snapshot!("manifest", manifest);
}

#[test]
fn the_exporters_give_the_same_bytes_for_the_same_comparison() {
    let (a, b) = (comparison(), comparison());
    assert_eq!(render_table(&a), render_table(&b));
    assert_eq!(render_csv(&a), render_csv(&b));
    assert_eq!(render_json(&a), render_json(&b));
    assert_eq!(
        render_manifest_json(&a.manifest),
        render_manifest_json(&b.manifest)
    );
}

/// The part format lives in the binary (`salesim::cli` keeps it private), so it is
/// reached the way a user reaches it.
#[test]
fn a_shard_part_and_its_manifest_match_their_snapshots() {
    let f = Folder::with_desk();
    let stdout = f.ok(&[
        "run",
        "desk.toml",
        "--trials",
        "4",
        "--seed",
        "1",
        "--quiet",
        "--shard",
        "0/2",
        "--out",
        "p0.csv",
    ]);
    assert!(stdout.is_empty(), "the part went to the file");
    let part = portable(&f.read("p0.csv"));
    assert!(
        part.starts_with("scenario,file,trial,metric,value\n"),
        "{part}"
    );
    insta::assert_snapshot!("shard_part", part);
    insta::assert_snapshot!(
        "shard_part_manifest",
        portable(&f.read("p0.csv.manifest.json"))
    );
}
