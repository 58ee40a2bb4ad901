//! Overload: demand beyond a role's capacity never hangs or eats memory; every output
//! names the role, its offered load and the headcount at which it would be stable; a
//! runaway trial is stopped and reported, never silently averaged in.

mod common;

use common::Folder;
use common::scenarios::Desk;

/// One person facing 60 hours of work a week over 20 weeks.
const OVERLOADED: Desk = Desk {
    name: "desk",
    horizon_weeks: 20,
    rate_per_week: 60.0,
    headcount: 1,
};

fn setup(desk: Desk) -> Folder {
    Folder::holding("desk.toml", &desk.toml())
}

const WARNING: &str = "role `desk` is overloaded: offered load 1.50 of capacity with headcount 1; it would need a headcount of at least 2";

#[test]
fn an_overloaded_role_is_named_in_the_table_json_csv_manifest_and_report() {
    let dir = setup(OVERLOADED);
    let table = dir
        .salesim(&["run", "desk.toml", "--trials", "5"])
        .output()
        .unwrap();
    assert!(table.status.success());
    assert!(String::from_utf8_lossy(&table.stdout).contains(WARNING));
    assert!(String::from_utf8_lossy(&table.stderr).contains(WARNING));

    let json = dir
        .salesim(&["run", "desk.toml", "--trials", "5", "--format", "json"])
        .output()
        .unwrap();
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(value["warnings"][0].as_str().unwrap().contains(WARNING));

    dir.salesim(&[
        "run",
        "desk.toml",
        "--trials",
        "5",
        "--format",
        "csv",
        "--out",
        "out.csv",
    ])
    .assert()
    .success();
    let manifest = dir.read_text("out.csv.manifest.json");
    assert!(manifest.contains(WARNING), "{manifest}");

    dir.write(
        "b.toml",
        Desk {
            headcount: 2,
            ..OVERLOADED
        }
        .toml(),
    );
    dir.salesim(&[
        "compare",
        "desk.toml",
        "b.toml",
        "--trials",
        "5",
        "--report",
        "r.html",
    ])
    .assert()
    .success();
    let html = dir.read_text("r.html");
    assert!(
        html.contains("overloaded") && html.contains("headcount of at least 2"),
        "the report must carry the warning"
    );
}

#[test]
fn a_runaway_trial_is_stopped_and_reported_not_averaged_in() {
    // Half a million arrivals a week at one person: the queue would grow to millions.
    let dir = setup(Desk {
        rate_per_week: 500000.0,
        horizon_weeks: 10,
        ..OVERLOADED
    });
    let out = dir
        .salesim(&["run", "desk.toml", "--trials", "2", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let warnings = value["warnings"].to_string();
    assert!(
        warnings.contains("2 of 2 trials stopped early"),
        "{warnings}"
    );
    // The cut-short trials report nothing rather than numbers that look right.
    assert!(value["metrics"]["steps.serve.wait_hours.mean"]["mean"].is_null());
}
