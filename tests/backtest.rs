//! `backtest`: the design that made a history agrees with it on every measure; a design
//! whose quotes take twice as long is flagged on the quote step's time in stage.

use assert_cmd::Command;

fn backtest(extra: &[&str]) -> serde_json::Value {
    let out = Command::cargo_bin("salesim")
        .unwrap()
        .args(["backtest", "scenarios/craftsperson.toml", "--against"])
        .arg("scenarios/data/craftsperson_history.csv")
        .args([
            "--trials", "30", "--seed", "7", "--format", "json", "--quiet",
        ])
        .args(extra)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

fn disagreeing(doc: &serde_json::Value) -> Vec<String> {
    doc["measures"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["agrees"] == false)
        .map(|m| m["measure"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_true_design_agrees_with_its_own_history() {
    let doc = backtest(&[]);
    assert!(doc["measures"].as_array().unwrap().len() >= 15, "{doc}");
    assert_eq!(disagreeing(&doc), Vec::<String>::new(), "{doc}");
    assert_eq!(doc["disagreements"].as_array().unwrap().len(), 0);
}

#[test]
fn twice_the_quote_time_is_flagged_at_the_quote_step() {
    let doc = backtest(&[
        "--set",
        "funnel.2.variants.0.duration.mean=1.5",
        "--set",
        "funnel.2.variants.0.duration.sd=0.6",
        "--set",
        "funnel.2.variants.1.duration.mean=12",
        "--set",
        "funnel.2.variants.1.duration.sd=4",
    ]);
    let flagged = disagreeing(&doc);
    assert!(
        flagged.iter().any(|m| m == "quote: time in stage, hours"),
        "{flagged:?}"
    );
    let words = doc["disagreements"].to_string();
    assert!(
        words.contains("quote: time in stage, hours: observed"),
        "{words}"
    );
    assert!(words.contains("is lower than the model's"), "{words}");
}

#[test]
fn a_backtest_writes_its_report_and_refuses_to_overwrite_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("b.html");
    Command::cargo_bin("salesim")
        .unwrap()
        .args(["backtest", "scenarios/craftsperson.toml", "--against"])
        .arg("scenarios/data/craftsperson_history.csv")
        .args(["--trials", "5", "--quiet", "--report"])
        .arg(&report)
        .assert()
        .success()
        .stdout(predicates::str::contains("only 5 trials"));
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(
        html.contains("Where the model and the data disagree"),
        "{html}"
    );
    Command::cargo_bin("salesim")
        .unwrap()
        .args(["backtest", "scenarios/craftsperson.toml", "--against"])
        .arg("scenarios/data/craftsperson_history.csv")
        .args([
            "--trials",
            "5",
            "--out",
            "scenarios/data/craftsperson_history.csv",
        ])
        .assert()
        .code(2);
}
