//! The rest of issue 13: every manifest beside a CSV records the CSV's sha256, so a
//! CSV and a manifest that are not a pair are told apart (by the library's
//! `check_pair`, and by `merge`); and `--shard 0/1` writes a part that merges alone, so
//! a one-task array merges like any other.

mod common;

use common::Folder;
use salesim::experiment::parts::{check_pair, sha256_hex};

const RUN: [&str; 6] = ["--trials", "4", "--seed", "1", "--quiet", "--format"];

/// The `data_sha256` of the manifest beside `csv` in `f`.
fn recorded_sha256(f: &Folder, csv: &str) -> String {
    let text = f.read_text(&format!("{csv}.manifest.json"));
    let json: serde_json::Value = serde_json::from_str(&text).expect("manifest is JSON");
    json["data_sha256"]
        .as_str()
        .unwrap_or_else(|| panic!("no data_sha256 beside {csv}: {text}"))
        .to_string()
}

/// Checks that the manifest beside `csv` records the CSV's own sha256, both as read
/// here and through the library.
fn assert_paired(f: &Folder, csv: &str) {
    assert_eq!(recorded_sha256(f, csv), sha256_hex(&f.read(csv)), "{csv}");
    check_pair(&f.path(csv)).unwrap_or_else(|e| panic!("{csv}: {e}"));
}

fn run_csv(f: &Folder, out: &str, seed: &str) {
    f.ok(&[
        "run",
        "desk.toml",
        "--trials",
        "4",
        "--seed",
        seed,
        "--quiet",
        "--format",
        "csv",
        "--out",
        out,
    ]);
}

#[test]
fn every_manifest_beside_a_csv_records_the_csv_sha256() {
    let f = Folder::with_desk();
    f.write(
        "desk2.toml",
        common::scenarios::DESK.replacen("name = \"desk\"", "name = \"desk2\"", 1),
    );
    run_csv(&f, "r.csv", "1");
    f.ok(&[
        "compare",
        "desk.toml",
        "desk2.toml",
        "--trials",
        "4",
        "--quiet",
        "--csv",
        "c.csv",
    ]);
    f.ok(&[
        "sweep",
        "desk.toml",
        "--vary",
        "roles.desk.headcount=1..=2",
        "--trials",
        "2",
        "--quiet",
        "--out",
        "s.csv",
    ]);
    f.desk_parts(2);
    f.ok(&["merge", "p0.csv", "p1.csv", "--out", "m.csv"]);
    for csv in ["r.csv", "c.csv", "s.csv", "p0.csv", "p1.csv", "m.csv"] {
        assert_paired(&f, csv);
    }
    // The merged CSV is the unsharded one, byte for byte, so its hash is too.
    assert_eq!(recorded_sha256(&f, "m.csv"), recorded_sha256(&f, "r.csv"));
}

#[test]
fn the_manifest_inside_json_output_records_no_csv_hash() {
    let f = Folder::with_desk();
    let mut args = vec!["run", "desk.toml"];
    args.extend(RUN);
    args.push("json");
    let json = common::text(&f.ok(&args));
    assert!(json.contains("\"manifest\""), "{json}");
    assert!(!json.contains("data_sha256"), "{json}");
}

#[test]
fn a_csv_beside_the_manifest_of_another_result_is_refused() {
    let f = Folder::with_desk();
    run_csv(&f, "a.csv", "1");
    run_csv(&f, "b.csv", "2");
    let (ma, mb) = (f.read("a.csv.manifest.json"), f.read("b.csv.manifest.json"));
    f.write("a.csv.manifest.json", mb);
    f.write("b.csv.manifest.json", ma);
    for csv in ["a.csv", "b.csv"] {
        let e = check_pair(&f.path(csv)).unwrap_err().to_string();
        assert!(
            e.contains(csv) && e.contains("do not match its manifest"),
            "{e}"
        );
    }
}

#[test]
fn merge_refuses_a_part_whose_data_sha256_was_edited() {
    let f = Folder::with_desk();
    f.desk_parts(2);
    let recorded = recorded_sha256(&f, "p1.csv");
    let text = f.read_text("p1.csv.manifest.json");
    f.write(
        "p1.csv.manifest.json",
        text.replacen(
            &format!("\"data_sha256\": \"{recorded}\""),
            &format!("\"data_sha256\": \"{}\"", "0".repeat(64)),
            1,
        ),
    );
    let err = f.bad(&["merge", "p0.csv", "p1.csv", "--out", "m.csv"]);
    assert!(
        err.contains("p1.csv") && err.contains("data_sha256"),
        "{err}"
    );
    assert!(!f.path("m.csv").exists());
}

#[test]
fn a_one_shard_run_writes_a_part_that_merges_alone() {
    let f = Folder::with_desk();
    f.ok(&[
        "run",
        "desk.toml",
        "--trials",
        "4",
        "--seed",
        "1",
        "--quiet",
        "--shard",
        "0/1",
        "--out",
        "p.csv",
    ]);
    let manifest = f.read_text("p.csv.manifest.json");
    assert!(manifest.contains("\"part\""), "{manifest}");
    f.ok(&["merge", "p.csv", "--out", "m.csv"]);
    run_csv(&f, "whole.csv", "1");
    assert_eq!(f.read_text("m.csv"), f.read_text("whole.csv"));
}

#[test]
fn a_one_shard_sweep_writes_a_part_that_merges_alone() {
    let sweep = |f: &Folder, extra: &[&str]| {
        let mut args = vec![
            "sweep",
            "desk.toml",
            "--vary",
            "roles.desk.headcount=1..=3",
            "--trials",
            "2",
            "--quiet",
        ];
        args.extend(extra);
        f.ok(&args);
    };
    let f = Folder::with_desk();
    sweep(&f, &["--shard", "0/1", "--out", "p.csv"]);
    let manifest = f.read_text("p.csv.manifest.json");
    assert!(manifest.contains("\"part\""), "{manifest}");
    f.ok(&["merge", "p.csv", "--out", "m.csv"]);
    sweep(&f, &["--out", "whole.csv"]);
    assert_eq!(f.read_text("m.csv"), f.read_text("whole.csv"));
}

/// A scenario busy enough that each trial reports to the process's budget many times
/// (a report every 65,536 events), stable (half loaded), so no trial is a runaway.
fn busy_desk() -> salesim::scenario::LoadedScenario {
    let text = common::scenarios::Desk {
        rate_per_week: 20000.0,
        headcount: 1000,
        ..Default::default()
    }
    .toml();
    common::library::load(&text, "desk.toml", "desk", &[])
}

#[test]
fn every_trial_returns_its_share_of_the_process_memory_budget() {
    use salesim::model::budget::PROCESS;
    let report = common::library::run_one(&busy_desk(), 3, 1);
    assert_eq!(report.result.runaway_trials, 0);
    assert!(PROCESS.peak() > 0, "the trials never reported their work");
    assert_eq!(PROCESS.live(), 0, "live work items left on the budget");
}

#[test]
fn over_the_process_budget_one_trial_overdraws_and_the_others_wait() {
    use salesim::model::budget::{Budget, Share};
    let budget = Budget::new(1000);
    let (mut a, mut b) = (Share::new(&budget), Share::new(&budget));
    assert!(a.report(900));
    assert!(
        b.report(300),
        "the first to find the budget spent may overdraw"
    );
    assert!(
        !a.report(950),
        "a trial growing while another overdraws waits"
    );
    drop(b);
    assert!(a.may_grow(), "it goes on when the overdrawing trial ends");
    assert_eq!(budget.live(), 950);
}

#[test]
fn a_runaway_is_found_by_its_growth_not_by_its_size() {
    use salesim::model::growth::{GROWTH_FLOOR_TASKS, GROWTH_WEEKS, Growth};
    let floor = GROWTH_FLOOR_TASKS;
    // Stable and large: forty times the floor live, arrivals of ten times that a week.
    let mut stable = Growth::default();
    for w in 0..300u64 {
        let live = 40 * floor + (w % 5) * 17;
        assert!(!stable.runaway(live, w * 400 * floor), "week {w}");
    }
    // Growing: arrivals of the floor a week, a tenth of them served.
    let mut growing = Growth::default();
    let found = (0..100u64).find(|&w| growing.runaway(w * floor * 9 / 10, w * floor));
    let week = found.expect("a growing queue is a runaway");
    assert!(week > GROWTH_WEEKS as u64, "{week}");
}

/// Runs `merge` on `parts` and returns its exit code, killing it (and failing) if it
/// has not finished long after a refusal should have come.
fn merge_exit_code(f: &Folder, parts: &[&str]) -> Option<i32> {
    let mut args = vec!["merge"];
    args.extend(parts);
    args.extend(["--out", "m.csv"]);
    let mut child = common::salesim_process(f.dir())
        .args(&args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("salesim starts");
    for _ in 0..600 {
        if let Some(status) = child.try_wait().expect("wait") {
            return status.code();
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

#[test]
fn merge_refuses_a_part_or_manifest_that_is_a_device_instead_of_reading_it_forever() {
    let f = Folder::with_desk();
    f.desk_parts(2);
    // The manifest of a part is /dev/zero: endless bytes.
    std::fs::remove_file(f.path("p1.csv.manifest.json")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", f.path("p1.csv.manifest.json")).unwrap();
    assert_eq!(merge_exit_code(&f, &["p0.csv", "p1.csv"]), Some(2));
    // A part that is /dev/zero itself, its manifest a real one.
    let g = Folder::with_desk();
    g.desk_parts(2);
    std::fs::remove_file(g.path("p1.csv")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", g.path("p1.csv")).unwrap();
    assert_eq!(merge_exit_code(&g, &["p0.csv", "p1.csv"]), Some(2));
}
