//! `salesim sweep`: grid runs, the optimiser against Erlang C, and sharded sweeps.

mod common;

use common::Folder;
use common::scenarios::quote_desk;

/// Erlang C: mean wait in queue of an M/M/c queue.
fn erlang_c_wait(lambda: f64, mean_service: f64, c: u32) -> f64 {
    let a = lambda * mean_service;
    let rho = a / f64::from(c);
    if rho >= 1.0 {
        return f64::INFINITY;
    }
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..c {
        term *= a / f64::from(k);
        sum += term;
    }
    let last = term * a / f64::from(c) / (1.0 - rho);
    let p_wait = last / (sum + last);
    p_wait * mean_service / (f64::from(c) * (1.0 - rho))
}

/// The M/M/3 quote desk shortened to 300 weeks, as `desk.toml` in a new folder.
fn desk_folder() -> Folder {
    Folder::holding("desk.toml", &quote_desk(300, 10))
}

#[test]
fn the_optimiser_picks_the_smallest_desk_that_erlang_c_says_meets_the_wait_bound() {
    let dir = desk_folder();
    let bound = 1.0;
    let lambda = 30.0 / 40.0;
    let expected = (1..=8)
        .find(|&c| erlang_c_wait(lambda, 3.0, c) <= bound)
        .unwrap();
    // The neighbours must be clearly on either side of the bound for the test to be fair.
    assert!(erlang_c_wait(lambda, 3.0, expected - 1) > 2.0 * bound);
    assert!(erlang_c_wait(lambda, 3.0, expected) < 0.6 * bound);
    let constraint = format!("steps.quote.wait_hours.mean<={bound}");
    let out = dir.output(&[
        "sweep",
        "desk.toml",
        "--vary",
        "roles.engineering.headcount=2..=7",
        "--trials",
        "40",
        "--objective",
        "min:staffing_cost_per_year",
        "--constraint",
        &constraint,
        "--out",
        "sweep.csv",
        "--quiet",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains(&format!("(roles.engineering.headcount={expected})")),
        "expected {expected} engineers:\n{stdout}"
    );
}

#[test]
fn sharded_sweeps_merge_into_the_unsharded_output() {
    let dir = Folder::holding("desk.toml", &quote_desk(30, 10));
    let run = |extra: &[&str], out: &str| {
        let mut args = vec![
            "sweep",
            "desk.toml",
            "--vary",
            "roles.engineering.headcount=3..=6",
            "--trials",
            "8",
            "--quiet",
            "--out",
            out,
        ];
        args.extend(extra);
        let status = dir.output(&args);
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
    };
    run(&[], "whole.csv");
    for k in 0..3 {
        run(&["--shard", &format!("{k}/3")], &format!("part{k}.csv"));
    }
    let parts: Vec<String> = [2, 0, 1].map(|k| format!("part{k}.csv")).into();
    let mut merge = vec!["merge"];
    merge.extend(parts.iter().map(String::as_str));
    merge.extend(["--out", "merged.csv"]);
    dir.ok(&merge);
    let whole = dir.read("whole.csv");
    let merged = dir.read("merged.csv");
    assert_eq!(whole, merged);
}

#[test]
fn a_vary_path_that_does_not_exist_gets_a_suggestion_and_exit_2() {
    let dir = desk_folder();
    let out = dir.output(&[
        "sweep",
        "desk.toml",
        "--vary",
        "roles.enginering.headcount=1..=3",
        "--trials",
        "2",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("did you mean `engineering`"), "{stderr}");
}

#[test]
fn inverted_specs_and_unknown_metrics_are_refused() {
    let dir = desk_folder();
    for args in [
        vec!["--vary", "roles.engineering.headcount=5..=2"],
        vec!["--vary", "roles.engineering.headcount="],
        vec![
            "--vary",
            "roles.engineering.headcount=2,3",
            "--objective",
            "min:quote_wait",
        ],
        vec![
            "--vary",
            "roles.engineering.headcount=2,3",
            "--shard",
            "3/3",
            "--out",
            "x.csv",
        ],
    ] {
        let out = dir
            .salesim(&["sweep", "desk.toml", "--trials", "2"])
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!dir.path("x.csv").exists());
    }
}
