//! The command line as a user meets it: `salesim` run as a process on tiny scenarios in
//! temporary folders, checking outputs, exit codes, determinism and sharding.

mod common;

use std::path::Path;

use common::scenarios::{DESK, Desk};
use common::{Folder, text};
use predicates::prelude::*;

/// The same desk with a third person, under another name.
fn bigger_desk() -> String {
    Desk {
        name: "big",
        headcount: 3,
        ..Desk::default()
    }
    .toml()
}

const FEW: [&str; 4] = ["--trials", "6", "--quiet", "--seed"];

/// `run desk.toml --trials 6 --quiet --seed SEED` followed by `extra`.
fn run_args<'a>(seed: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["run", "desk.toml"];
    args.extend(FEW);
    args.push(seed);
    args.extend(extra);
    args
}

#[test]
fn run_prints_a_table_of_metrics() {
    let f = Folder::with_desk();
    let out = text(&f.ok(&run_args("1", &[])));
    assert!(out.contains("desk (desk.toml): 6 trials, seed 1"), "{out}");
    assert!(out.contains("95% CI of mean"), "{out}");
    assert!(out.contains("deals_won_per_week"), "{out}");
    assert!(out.contains("roles.desk.utilization"), "{out}");
}

#[test]
fn run_as_json_is_valid_json_with_the_documented_keys() {
    let f = Folder::with_desk();
    let out = f.ok(&run_args("1", &["--format", "json"]));
    let v: serde_json::Value = serde_json::from_slice(&out).expect("stdout is JSON");
    for key in ["scenario", "file", "trials", "seed", "metrics", "manifest"] {
        assert!(v.get(key).is_some(), "no `{key}` in {v}");
    }
    assert_eq!(v["trials"], 6);
    assert_eq!(v["seed"], 1);
    assert_eq!(v["file"], "desk.toml");
    assert!(v["metrics"]["deals_won_per_week"]["mean"].as_f64().unwrap() > 0.0);
    assert_eq!(v["manifest"]["seed"], 1);
}

#[test]
fn run_as_csv_has_the_tidy_header() {
    let f = Folder::with_desk();
    let out = text(&f.ok(&run_args("1", &["--format", "csv"])));
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("scenario,metric,statistic,value"));
    assert!(
        lines.any(|l| l.starts_with("desk,deals_won_per_week,mean,")),
        "{out}"
    );
}

#[test]
fn out_writes_the_file_and_a_manifest_beside_csv() {
    let f = Folder::with_desk();
    let stdout = f.ok(&run_args("1", &["--format", "csv", "--out", "r.csv"]));
    assert!(stdout.is_empty(), "results went to the file, not stdout");
    assert!(text(&f.read("r.csv")).starts_with("scenario,metric,statistic,value\n"));
    let manifest: serde_json::Value =
        serde_json::from_slice(&f.read("r.csv.manifest.json")).expect("manifest is JSON");
    assert_eq!(manifest["seed"], 1);
    assert_eq!(manifest["trials"], 6);

    f.ok(&run_args("1", &["--format", "json", "--out", "r.json"]));
    serde_json::from_slice::<serde_json::Value>(&f.read("r.json")).expect("JSON file");
}

#[test]
fn one_thread_and_two_threads_give_byte_identical_csv() {
    let f = Folder::with_desk();
    let one = f.ok(&run_args("7", &["--format", "csv", "--threads", "1"]));
    let two = f.ok(&run_args("7", &["--format", "csv", "--threads", "2"]));
    assert_eq!(one, two);
}

#[test]
fn the_same_seed_repeats_and_another_seed_differs() {
    let f = Folder::with_desk();
    let a = f.ok(&run_args("3", &["--format", "csv"]));
    let b = f.ok(&run_args("3", &["--format", "csv"]));
    let c = f.ok(&run_args("4", &["--format", "csv"]));
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn set_changes_the_result() {
    let f = Folder::with_desk();
    let base = f.ok(&run_args("1", &["--format", "csv"]));
    let set = f.ok(&run_args(
        "1",
        &["--format", "csv", "--set", "roles.desk.headcount=5"],
    ));
    assert_ne!(base, set);
    let cost = |csv: &[u8]| -> f64 {
        text(csv)
            .lines()
            .find_map(|l| l.strip_prefix("desk,staffing_cost_per_year,mean,"))
            .expect("a staffing cost row")
            .parse()
            .expect("a number")
    };
    assert_eq!(cost(&base), 200_000.0);
    assert_eq!(cost(&set), 500_000.0);
}

#[test]
fn a_bad_set_path_exits_2_naming_the_path() {
    let f = Folder::with_desk();
    let err = f.bad(&run_args("1", &["--set", "roles.dsk.headcount=3"]));
    assert!(err.contains("roles.dsk"), "{err}");
    assert!(err.contains("did you mean `desk`"), "{err}");
}

#[test]
fn validate_accepts_a_good_file_and_rejects_a_bad_one() {
    let f = Folder::with_desk();
    let out = text(&f.ok(&["validate", "desk.toml"]));
    assert!(out.contains("ok: desk.toml (desk)"), "{out}");
    f.write("bad.toml", DESK.replace("headcount = 2", "headcount = 0"));
    let err = f.bad(&["validate", "bad.toml"]);
    assert!(err.contains("bad.toml:10:1: roles.desk.headcount"), "{err}");
}

#[test]
fn validate_reports_every_bad_file_and_exits_2() {
    let f = Folder::with_desk();
    f.write("a.toml", DESK.replace("advance = 0.5", "advance = 2"));
    f.write("b.toml", DESK.replace("role = \"desk\"", "role = \"dsek\""));
    let out = f
        .salesim(&["validate", "a.toml", "desk.toml", "b.toml"])
        .assert()
        .code(2)
        .stdout("ok: desk.toml (desk)\n")
        .get_output()
        .clone();
    let err = text(&out.stderr);
    assert!(err.contains("a.toml:18:1: funnel.0.advance"), "{err}");
    assert!(err.contains("b.toml:15:1: funnel.0.role"), "{err}");
    for line in err.lines() {
        assert!(line.starts_with("error: "), "{err}");
    }
}

#[test]
fn trace_out_writes_an_event_log() {
    let f = Folder::with_desk();
    let stdout = f.ok(&["trace", "desk.toml", "--trial", "2", "--out", "t.csv"]);
    assert!(stdout.is_empty());
    let log = text(&f.read("t.csv"));
    let mut lines = log.lines();
    assert_eq!(lines.next(), Some("time_hours,day,person,item,step,what"));
    let rows: Vec<&str> = lines.collect();
    assert!(rows.len() > 10, "{log}");
    assert!(rows.iter().any(|r| r.contains("desk#")), "{log}");
}

#[test]
fn compare_prints_both_scenarios_and_a_difference_column() {
    let f = Folder::with_desk();
    f.write("bigger.toml", bigger_desk());
    let args = [
        "compare",
        "desk.toml",
        "bigger.toml",
        "--trials",
        "4",
        "--quiet",
        "--csv",
        "c.csv",
        "--json",
        "c.json",
    ];
    let out = text(&f.ok(&args));
    assert!(out.contains("A: desk (desk.toml)"), "{out}");
    assert!(out.contains("B: big (bigger.toml)"), "{out}");
    assert!(out.contains("B - A [95% CI]"), "{out}");
    let csv = text(&f.read("c.csv"));
    assert!(
        csv.starts_with("scenario,metric,statistic,value\n"),
        "{csv}"
    );
    assert!(csv.contains("\nbig,"), "{csv}");
    assert!(f.path("c.csv.manifest.json").is_file());
    serde_json::from_slice::<serde_json::Value>(&f.read("c.json")).expect("JSON file");
}

#[test]
fn compare_refuses_scenarios_with_different_horizons() {
    let f = Folder::with_desk();
    f.write(
        "longer.toml",
        DESK.replace("horizon_weeks = 4", "horizon_weeks = 5"),
    );
    let err = f.bad(&["compare", "desk.toml", "longer.toml", "--trials", "2"]);
    assert!(
        err.contains("desk.toml and longer.toml cannot be compared"),
        "{err}"
    );
    assert!(err.contains("horizon_weeks"), "{err}");
}

/// Runs the desk in `n` shards as separate processes, merges them, and checks the
/// merge equals the unsharded run byte for byte.
fn shards_merge_to_the_unsharded_run(n: usize) {
    let f = Folder::with_desk();
    let trials = "9";
    let mut parts = Vec::new();
    for k in 0..n {
        let part = format!("p{k}.csv");
        let shard = format!("{k}/{n}");
        f.ok(&[
            "run",
            "desk.toml",
            "--trials",
            trials,
            "--seed",
            "5",
            "--quiet",
            "--shard",
            &shard,
            "--out",
            &part,
        ]);
        assert!(f.path(&format!("{part}.manifest.json")).is_file());
        parts.push(part);
    }
    let mut merge = vec!["merge"];
    // Out of order on purpose: merge sorts by shard index.
    merge.extend(parts.iter().rev().map(String::as_str));
    merge.extend(["--out", "m.csv"]);
    f.ok(&merge);
    f.ok(&[
        "run",
        "desk.toml",
        "--trials",
        trials,
        "--seed",
        "5",
        "--quiet",
        "--format",
        "csv",
        "--out",
        "full.csv",
    ]);
    assert_eq!(text(&f.read("m.csv")), text(&f.read("full.csv")));
}

#[test]
fn two_shards_merge_to_the_unsharded_run() {
    shards_merge_to_the_unsharded_run(2);
}

#[test]
fn four_shards_merge_to_the_unsharded_run() {
    shards_merge_to_the_unsharded_run(4);
}

/// Writes `p0.csv` and `p1.csv`, shards 0/2 and 1/2 of the desk, seed 1.
fn two_parts(f: &Folder) {
    for k in 0..2 {
        f.ok(&[
            "run",
            "desk.toml",
            "--trials",
            "4",
            "--quiet",
            "--shard",
            &format!("{k}/2"),
            "--out",
            &format!("p{k}.csv"),
        ]);
    }
}

#[test]
fn merge_rejects_a_missing_shard() {
    let f = Folder::with_desk();
    two_parts(&f);
    let err = f.bad(&["merge", "p0.csv", "--out", "m.csv"]);
    assert!(err.contains("missing shard(s) 1/2"), "{err}");
    assert!(!f.path("m.csv").exists());
}

#[test]
fn merge_rejects_a_duplicate_shard() {
    let f = Folder::with_desk();
    two_parts(&f);
    std::fs::copy(f.path("p0.csv"), f.path("again.csv")).unwrap();
    std::fs::copy(
        f.path("p0.csv.manifest.json"),
        f.path("again.csv.manifest.json"),
    )
    .unwrap();
    let err = f.bad(&["merge", "p0.csv", "again.csv", "p1.csv", "--out", "m.csv"]);
    assert!(
        err.contains("shard 0/2 is given twice: p0.csv and again.csv"),
        "{err}"
    );
    assert!(!f.path("m.csv").exists());
}

#[test]
fn merge_rejects_parts_with_different_seeds() {
    let f = Folder::with_desk();
    two_parts(&f);
    f.ok(&[
        "run",
        "desk.toml",
        "--trials",
        "4",
        "--quiet",
        "--seed",
        "2",
        "--shard",
        "1/2",
        "--out",
        "q1.csv",
    ]);
    let err = f.bad(&["merge", "p0.csv", "q1.csv", "--out", "m.csv"]);
    assert!(
        err.contains("p0.csv and q1.csv do not belong to one run"),
        "{err}"
    );
    assert!(err.contains("seeds (1 and 2)"), "{err}");
    assert!(!f.path("m.csv").exists());
}

#[test]
fn merge_rejects_parts_of_different_scenarios() {
    let f = Folder::with_desk();
    two_parts(&f);
    f.write("bigger.toml", bigger_desk());
    f.ok(&[
        "run",
        "bigger.toml",
        "--trials",
        "4",
        "--quiet",
        "--shard",
        "1/2",
        "--out",
        "b1.csv",
    ]);
    let err = f.bad(&["merge", "p0.csv", "b1.csv", "--out", "m.csv"]);
    assert!(
        err.contains("p0.csv and b1.csv do not belong to one run"),
        "{err}"
    );
    assert!(err.contains("scenarios"), "{err}");
    assert!(!f.path("m.csv").exists());
}

#[test]
fn merge_rejects_parts_of_the_same_file_under_different_overrides() {
    let f = Folder::with_desk();
    two_parts(&f);
    f.ok(&[
        "run",
        "desk.toml",
        "--trials",
        "4",
        "--quiet",
        "--set",
        "roles.desk.headcount=3",
        "--shard",
        "1/2",
        "--out",
        "s1.csv",
    ]);
    let err = f.bad(&["merge", "p0.csv", "s1.csv", "--out", "m.csv"]);
    assert!(err.contains("--set overrides"), "{err}");
}

#[test]
fn an_out_path_in_a_missing_folder_fails_before_simulating_and_leaves_nothing() {
    let f = Folder::with_desk();
    let before = f.files();
    // A million trials would take minutes: failing at once proves nothing was simulated.
    let started = std::time::Instant::now();
    let err = f.bad(&[
        "run",
        "desk.toml",
        "--trials",
        "1000000",
        "--format",
        "csv",
        "--out",
        "missing/r.csv",
    ]);
    assert!(started.elapsed().as_secs() < 20, "it simulated first");
    assert!(err.contains("--out missing/r.csv"), "{err}");
    assert!(err.contains("missing"), "{err}");
    assert_eq!(f.files(), before);
    assert!(!f.path("missing").exists());
}

#[test]
fn stdout_carries_only_results() {
    let f = Folder::with_desk();
    // Overloaded: warnings go to stderr, and stdout must still parse as JSON.
    f.write(
        "busy.toml",
        DESK.replace("rate_per_week = 20.0", "rate_per_week = 200.0"),
    );
    let out = f
        .salesim(&[
            "run",
            "busy.toml",
            "--trials",
            "2",
            "--format",
            "json",
            "--quiet",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: busy.toml: role `desk` is overloaded",
        ))
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("stdout is only JSON");
    assert!(!v["warnings"].as_array().expect("warnings list").is_empty());
}

#[test]
fn nothing_goes_to_stdout_on_error() {
    let f = Folder::with_desk();
    f.write("bad.toml", "horizon_weeks = 0\n");
    for args in [
        vec!["run", "bad.toml", "--format", "json"],
        vec!["run", "missing.toml"],
        vec!["run", "desk.toml", "--trials", "0"],
        vec!["validate", "bad.toml"],
        vec!["trace", "bad.toml"],
        vec!["compare", "desk.toml", "bad.toml"],
        vec!["merge", "nothing.csv", "--out", "m.csv"],
    ] {
        let err = f.bad(&args);
        assert!(err.starts_with("error: "), "{args:?}: {err}");
    }
}

#[test]
fn help_and_version_succeed_on_stdout() {
    let f = Folder::with_desk();
    let help = text(&f.ok(&["run", "--help"]));
    assert!(help.contains("--trials"), "{help}");
    let version = text(&f.ok(&["--version"]));
    assert!(version.starts_with("salesim "), "{version}");
}

#[test]
fn paths_in_messages_are_the_paths_as_given() {
    let f = Folder::with_desk();
    let absolute: &Path = &f.path("nope.toml");
    let err = f.bad(&["run", absolute.to_str().unwrap()]);
    assert!(err.contains(&format!("{}:", absolute.display())), "{err}");
}
