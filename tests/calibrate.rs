//! `calibrate` recovers the design that made a history: the craftsperson design's
//! arrival rate, advance probabilities and deal value mean fall inside their 95%
//! intervals at about the stated rate over many seeds, and the fitted scenario keeps the
//! template's text, says beside each figure how it was fitted, and overwrites nothing.

use std::path::Path;

use assert_cmd::Command;
use salesim::data::{ColumnMap, read_history};
use salesim::experiment::calibrate::{Calibration, calibrate};
use salesim::scenario::{Override, load_file};

/// The craftsperson design's own figures (scenarios/craftsperson.toml).
const TRUTH: [(&str, f64); 7] = [
    ("lead_sources.0.rate_per_week", 28.0),
    ("funnel.0.advance", 0.55),
    ("funnel.1.advance", 0.6),
    ("funnel.2.advance", 0.75),
    ("funnel.3.advance", 0.9),
    ("funnel.4.advance", 0.55),
    ("deals.value", 25000.0),
];

fn calibrated(weeks: u32, seed: u64) -> Calibration {
    let set = Override::parse(&format!("horizon_weeks={weeks}")).unwrap();
    let loaded = load_file(Path::new("scenarios/craftsperson.toml"), &[set]).unwrap();
    let s = &loaded.scenario;
    let (_, trace) = salesim::model::simulate_traced(s, seed, 0);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("history.csv");
    std::fs::write(&file, salesim::report::render_history_csv(s, &trace)).unwrap();
    let steps: Vec<String> = s.funnel.iter().map(|f| f.name.clone()).collect();
    let history = read_history(&file, &steps, &s.calendar, &ColumnMap::default()).unwrap();
    calibrate(&history, s)
}

fn covers(c: &Calibration, key: &str, truth: f64) -> bool {
    let f = c
        .fitted
        .iter()
        .find(|f| f.key == key)
        .unwrap_or_else(|| panic!("{key} not fitted"));
    f.ci95.0 <= truth && truth <= f.ci95.1
}

#[test]
fn the_95_percent_intervals_cover_the_true_design_over_seeds() {
    let seeds: u32 = 20;
    let mut covered = [0u32; TRUTH.len()];
    for seed in 1..=seeds {
        let c = calibrated(26, u64::from(seed));
        for (i, (key, truth)) in TRUTH.iter().enumerate() {
            covered[i] += u32::from(covers(&c, key, *truth));
        }
    }
    let total: u32 = covered.iter().sum();
    let rate = f64::from(total) / f64::from(seeds * TRUTH.len() as u32);
    eprintln!("coverage {rate:.3}: {covered:?} of {seeds}");
    assert!(
        rate >= 0.9,
        "coverage {rate:.3}: {covered:?} of {seeds} for {TRUTH:?}"
    );
    // No one figure may be badly off: 20 draws at 95% miss more than 4 times < 2% of runs.
    for (i, (key, _)) in TRUTH.iter().enumerate() {
        assert!(covered[i] >= 15, "{key}: covered {} of {seeds}", covered[i]);
    }
}

fn salesim() -> Command {
    Command::cargo_bin("salesim").unwrap()
}

#[test]
fn calibrating_the_shipped_history_recovers_the_craftsperson_design() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fitted.toml");
    let json = salesim()
        .args([
            "calibrate",
            "scenarios/data/craftsperson_history.csv",
            "--template",
        ])
        .arg("scenarios/craftsperson.toml")
        .arg("--out")
        .arg(&out)
        .args(["--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: serde_json::Value = serde_json::from_slice(&json).unwrap();
    for (key, truth) in TRUTH {
        let f = doc["fitted"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == key)
            .unwrap_or_else(|| panic!("{key} not fitted: {doc}"));
        let (lo, hi) = (
            f["ci95_low"].as_f64().unwrap(),
            f["ci95_high"].as_f64().unwrap(),
        );
        assert!(
            lo <= truth && truth <= hi,
            "{key}: {truth} outside {lo}..{hi}"
        );
    }
    // The fitted scenario loads, keeps the template's comments, and says how each
    // figure was fitted; what it could not identify is listed at its head.
    let text = std::fs::read_to_string(&out).unwrap();
    load_file(&out, &[]).unwrap();
    assert!(
        text.contains("# docs/domain.md: 12 field sellers"),
        "{text}"
    );
    assert_eq!(
        text.matches("# fitted: n = ").count(),
        TRUTH.len(),
        "{text}"
    );
    assert!(text.contains("template: 28.0"), "{text}");
    assert!(text.contains("Left as the template had it"), "{text}");
    assert!(text.contains("funnel.*.duration"), "{text}");
    let fitted: toml::Table = text.parse().unwrap();
    let rate = fitted["lead_sources"][0]["rate_per_week"]
        .as_float()
        .unwrap();
    assert!((rate - 28.0).abs() < 2.0, "{rate}");
}

#[test]
fn calibrate_never_overwrites_its_template_or_history() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("t.toml");
    std::fs::copy("scenarios/craftsperson.toml", &template).unwrap();
    let before = std::fs::read(&template).unwrap();
    salesim()
        .args([
            "calibrate",
            "scenarios/data/craftsperson_history.csv",
            "--template",
        ])
        .arg(&template)
        .arg("--out")
        .arg(&template)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--out"));
    assert_eq!(std::fs::read(&template).unwrap(), before);
    salesim()
        .args([
            "calibrate",
            "scenarios/data/craftsperson_history.csv",
            "--template",
        ])
        .arg(&template)
        .args(["--out", "scenarios/data/craftsperson_history.csv"])
        .assert()
        .code(2);
}

#[test]
fn bad_data_stops_calibrate_with_its_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("h.csv");
    std::fs::write(
        &history,
        "opportunity_id,stage,entered_at\na,qualify,2026-01-05\nb,qualify,yesterday\n",
    )
    .unwrap();
    let out = dir.path().join("fitted.toml");
    salesim()
        .arg("calibrate")
        .arg(&history)
        .args(["--template", "scenarios/craftsperson.toml", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(format!(
            "{}: line 3, column `entered_at`: `yesterday` is not an ISO 8601",
            history.display()
        )));
    assert!(!out.exists());
}

#[test]
fn a_messy_export_reports_its_problems_and_what_it_could_not_fit() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fitted.toml");
    let assert = salesim()
        .args(["calibrate", "scenarios/data/craftsperson_history_messy.csv"])
        .args(["--template", "scenarios/craftsperson.toml", "--out"])
        .arg(&out)
        .args([
            "--map",
            "opportunity_id=Opportunity ID",
            "--map",
            "entered_at=Stage Entered",
            "--map",
            "created_at=Created Date",
            "--map",
            "owner=Opportunity Owner",
            "--map",
            "closed_at=Close Date",
            "--map",
            "source=Lead Source",
        ])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    for expected in [
        "10 duplicates",
        "1 stages out of order",
        "8 missing dates",
        "4 unknown stages",
    ] {
        assert!(stderr.contains(expected), "{expected}: {stderr}");
    }
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("Problems in the history: 10 duplicates"),
        "{text}"
    );
}
