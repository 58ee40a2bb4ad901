//! `salesim sweep`: grid runs, the optimiser against Erlang C, and sharded sweeps.

use assert_cmd::Command;

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

/// The M/M/3 quote desk of DESIGN §5 (`scenarios/validation/mm3.toml`: 30 requests a
/// week, exponential 3-hour quotes), shortened to 300 weeks.
fn desk() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/validation/mm3.toml");
    std::fs::read_to_string(path)
        .expect("the shipped M/M/3 desk")
        .replace("horizon_weeks = 520", "horizon_weeks = 300")
        .replace("warmup_weeks = 20", "warmup_weeks = 10")
}

#[test]
fn the_optimiser_picks_the_smallest_desk_that_erlang_c_says_meets_the_wait_bound() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("desk.toml");
    std::fs::write(&file, desk()).unwrap();
    let bound = 1.0;
    let lambda = 30.0 / 40.0;
    let expected = (1..=8)
        .find(|&c| erlang_c_wait(lambda, 3.0, c) <= bound)
        .unwrap();
    // The neighbours must be clearly on either side of the bound for the test to be fair.
    assert!(erlang_c_wait(lambda, 3.0, expected - 1) > 2.0 * bound);
    assert!(erlang_c_wait(lambda, 3.0, expected) < 0.6 * bound);
    let out = Command::cargo_bin("salesim")
        .unwrap()
        .args([
            "sweep",
            file.to_str().unwrap(),
            "--vary",
            "roles.engineering.headcount=2..=7",
            "--trials",
            "40",
        ])
        .args(["--objective", "min:staffing_cost_per_year", "--constraint"])
        .arg(format!("steps.quote.wait_hours.mean<={bound}"))
        .arg("--out")
        .arg(dir.path().join("sweep.csv"))
        .args(["--quiet"])
        .output()
        .unwrap();
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
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("desk.toml");
    std::fs::write(
        &file,
        desk().replace("horizon_weeks = 300", "horizon_weeks = 30"),
    )
    .unwrap();
    let run = |extra: &[&str], out: &str| {
        let status = Command::cargo_bin("salesim")
            .unwrap()
            .args([
                "sweep",
                file.to_str().unwrap(),
                "--vary",
                "roles.engineering.headcount=3..=6",
                "--trials",
                "8",
            ])
            .args(["--quiet", "--out"])
            .arg(dir.path().join(out))
            .args(extra)
            .output()
            .unwrap();
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
    let mut merge = Command::cargo_bin("salesim").unwrap();
    merge.arg("merge");
    for k in [2, 0, 1] {
        merge.arg(dir.path().join(format!("part{k}.csv")));
    }
    merge
        .arg("--out")
        .arg(dir.path().join("merged.csv"))
        .assert()
        .success();
    let whole = std::fs::read(dir.path().join("whole.csv")).unwrap();
    let merged = std::fs::read(dir.path().join("merged.csv")).unwrap();
    assert_eq!(whole, merged);
}

#[test]
fn a_vary_path_that_does_not_exist_gets_a_suggestion_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("desk.toml");
    std::fs::write(&file, desk()).unwrap();
    let out = Command::cargo_bin("salesim")
        .unwrap()
        .args([
            "sweep",
            file.to_str().unwrap(),
            "--vary",
            "roles.enginering.headcount=1..=3",
            "--trials",
            "2",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("did you mean `engineering`"), "{stderr}");
}

#[test]
fn inverted_specs_and_unknown_metrics_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("desk.toml");
    std::fs::write(&file, desk()).unwrap();
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
        let out = Command::cargo_bin("salesim")
            .unwrap()
            .current_dir(dir.path())
            .args(["sweep", file.to_str().unwrap(), "--trials", "2"])
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!dir.path().join("x.csv").exists());
    }
}
