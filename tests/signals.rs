//! A long run stopped by SIGTERM or SIGINT exits cleanly (143 / 130) and leaves no
//! output file, whole or partial.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::scenarios::Desk;
use common::{Folder, salesim_process};

/// A year of a two-person desk: a run of ten million trials takes hours.
const DESK: Desk = Desk {
    name: "desk",
    horizon_weeks: 52,
    rate_per_week: 30.0,
    headcount: 2,
};

/// One very long trial: a signal must stop it inside the trial, not after it.
const LONG_TRIAL: Desk = Desk {
    name: "desk",
    horizon_weeks: 50000,
    rate_per_week: 2000.0,
    headcount: 60,
};

fn stop_with(signal: &str, expected_code: i32) {
    stop_run(DESK, "10000000", signal, expected_code);
}

fn stop_run(scenario: Desk, trials: &str, signal: &str, expected_code: i32) {
    let dir = Folder::holding("desk.toml", &scenario.toml());
    let mut child = salesim_process(dir.dir())
        .args([
            "run",
            "desk.toml",
            "--trials",
            trials,
            "--quiet",
            "--format",
            "csv",
            "--out",
            "out.csv",
        ])
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
    assert_eq!(
        dir.files(),
        vec!["desk.toml"],
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
