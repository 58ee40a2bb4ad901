//! A long run stopped by SIGTERM or SIGINT exits cleanly (143 / 130) and leaves no
//! output file, whole or partial.

use std::process::Command;
use std::time::{Duration, Instant};

const DESK: &str = r#"
horizon_weeks = 52
[[lead_sources]]
kind = "inbound"
rate_per_week = 30.0
[roles.desk]
headcount = 2
[[funnel]]
name = "serve"
role = "desk"
duration = { dist = "exponential", mean = 1.0 }
"#;

/// One very long trial: a signal must stop it inside the trial, not after it.
const LONG_TRIAL: &str = r#"
horizon_weeks = 50000
[[lead_sources]]
kind = "inbound"
rate_per_week = 2000.0
[roles.desk]
headcount = 60
[[funnel]]
name = "serve"
role = "desk"
duration = { dist = "exponential", mean = 1.0 }
"#;

fn stop_with(signal: &str, expected_code: i32) {
    stop_run(DESK, "10000000", signal, expected_code);
}

fn stop_run(scenario: &str, trials: &str, signal: &str, expected_code: i32) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("desk.toml");
    std::fs::write(&file, scenario).unwrap();
    let out = dir.path().join("out.csv");
    let mut child = Command::new(env!("CARGO_BIN_EXE_salesim"))
        .args([
            "run",
            file.to_str().unwrap(),
            "--trials",
            trials,
            "--quiet",
            "--format",
            "csv",
            "--out",
        ])
        .arg(&out)
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    let status = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the run did not stop after {signal}"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(expected_code));
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        left,
        vec![std::ffi::OsString::from("desk.toml")],
        "no output or temporary file may be left"
    );
}

#[test]
fn sigterm_stops_a_long_run_with_exit_143_and_no_output_file() {
    stop_with("-TERM", 143);
}

#[test]
fn sigint_stops_a_long_run_with_exit_130_and_no_output_file() {
    stop_with("-INT", 130);
}

#[test]
fn a_signal_stops_even_a_single_long_trial() {
    stop_run(LONG_TRIAL, "1", "-TERM", 143);
}
