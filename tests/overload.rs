//! Overload: demand beyond a role's capacity never hangs or eats memory; every output
//! names the role, its offered load and the headcount at which it would be stable; a
//! runaway trial is stopped and reported, never silently averaged in.

use assert_cmd::Command;

const OVERLOADED: &str = r#"
horizon_weeks = 20
[[lead_sources]]
kind = "inbound"
rate_per_week = 60.0
[roles.desk]
headcount = 1
[[funnel]]
name = "serve"
role = "desk"
duration = { dist = "exponential", mean = 1.0 }
"#;

fn salesim(dir: &std::path::Path) -> Command {
    let mut cmd = Command::cargo_bin("salesim").unwrap();
    cmd.current_dir(dir);
    cmd
}

fn setup(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("desk.toml"), text).unwrap();
    dir
}

const WARNING: &str = "role `desk` is overloaded: offered load 1.50 of capacity with headcount 1; it would need a headcount of at least 2";

#[test]
fn an_overloaded_role_is_named_in_the_table_json_csv_manifest_and_report() {
    let dir = setup(OVERLOADED);
    let table = salesim(dir.path())
        .args(["run", "desk.toml", "--trials", "5"])
        .output()
        .unwrap();
    assert!(table.status.success());
    assert!(String::from_utf8_lossy(&table.stdout).contains(WARNING));
    assert!(String::from_utf8_lossy(&table.stderr).contains(WARNING));

    let json = salesim(dir.path())
        .args(["run", "desk.toml", "--trials", "5", "--format", "json"])
        .output()
        .unwrap();
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(value["warnings"][0].as_str().unwrap().contains(WARNING));

    salesim(dir.path())
        .args([
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
    let manifest = std::fs::read_to_string(dir.path().join("out.csv.manifest.json")).unwrap();
    assert!(manifest.contains(WARNING), "{manifest}");

    std::fs::write(
        dir.path().join("b.toml"),
        OVERLOADED.replace("headcount = 1", "headcount = 2"),
    )
    .unwrap();
    salesim(dir.path())
        .args([
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
    let html = std::fs::read_to_string(dir.path().join("r.html")).unwrap();
    assert!(
        html.contains("overloaded") && html.contains("headcount of at least 2"),
        "the report must carry the warning"
    );
}

#[test]
fn a_runaway_trial_is_stopped_and_reported_not_averaged_in() {
    // Half a million arrivals a week at one person: the queue would grow to millions.
    let dir = setup(
        &OVERLOADED
            .replace("rate_per_week = 60.0", "rate_per_week = 500000.0")
            .replace("horizon_weeks = 20", "horizon_weeks = 10"),
    );
    let out = salesim(dir.path())
        .args(["run", "desk.toml", "--trials", "2", "--format", "json"])
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
