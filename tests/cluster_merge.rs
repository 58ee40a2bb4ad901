//! Finishing a sharded study: `merge` of sweep parts with `--objective`, `--constraint`
//! and `--report` gives what the unsharded sweep gives (the CSV, the choice on standard
//! output and the warnings byte for byte, the HTML report but for the command line it
//! records); `sweep --objective --shard` is refused; and parts are told apart by what
//! they are, not by the path they were given under.

mod common;

use common::scenarios::quote_desk;
use common::{Folder, text};
use std::process::Output;

/// The M/M/3 desk over a short horizon: headcount 2 is overloaded (offered load 2.25),
/// so the point that warns is the last of the grid, in the last shard.
fn desk() -> Folder {
    Folder::holding("desk.toml", &quote_desk(30, 10))
}

const VARY: &str = "roles.engineering.headcount=6,5,4,3,2";
const OBJECTIVE: &str = "min:staffing_cost_per_year";
const CONSTRAINT: &str = "steps.quote.wait_hours.mean<=1";

fn sweep_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "sweep",
        "desk.toml",
        "--vary",
        VARY,
        "--trials",
        "6",
        "--seed",
        "3",
        "--quiet",
    ];
    args.extend(extra);
    args
}

fn succeeded(out: Output) -> Output {
    assert!(out.status.success(), "{}", text(&out.stderr));
    out
}

/// Writes the parts `p0.csv`..`p2.csv` of the sweep in three shards.
fn sweep_parts(f: &Folder) -> Vec<String> {
    (0..3)
        .map(|k| {
            let (shard, name) = (format!("{k}/3"), format!("p{k}.csv"));
            succeeded(f.output(&sweep_args(&["--shard", &shard, "--out", &name])));
            name
        })
        .collect()
}

/// `text` as the HTML report writes it inside an element.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The `command` its manifest records for the CSV `name`.
fn command_of(f: &Folder, name: &str) -> String {
    let manifest = f.read_text(&format!("{name}.manifest.json"));
    let json: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    json["command"].as_str().unwrap().to_string()
}

#[test]
fn merged_sweep_parts_choose_and_report_as_the_unsharded_sweep() {
    let f = desk();
    let choice = ["--objective", OBJECTIVE, "--constraint", CONSTRAINT];
    let mut whole = sweep_args(&choice);
    whole.extend(["--report", "whole.html", "--out", "whole.csv"]);
    let whole = succeeded(f.output(&whole));
    let parts = sweep_parts(&f);
    let mut merge = vec!["merge", &parts[2], &parts[0], &parts[1], "--out", "m.csv"];
    merge.extend(choice);
    merge.extend(["--report", "m.html"]);
    let merged = succeeded(f.output(&merge));

    assert_eq!(f.read("whole.csv"), f.read("m.csv"), "the merged CSV");
    let chosen = text(&whole.stdout);
    assert!(chosen.contains("best feasible point"), "{chosen}");
    assert_eq!(
        chosen,
        text(&merged.stdout),
        "the choice among all the points"
    );
    let warned = text(&whole.stderr);
    assert!(warned.contains("warning: point 4"), "{warned}");
    assert_eq!(warned, text(&merged.stderr), "the points' warnings");
    // The report records the command that wrote it; all else is the same bytes.
    let report = f.read_text("whole.html");
    let from_merge = f.read_text("m.html").replace(
        &escaped(&command_of(&f, "m.csv")),
        &escaped(&command_of(&f, "whole.csv")),
    );
    assert!(
        report.contains("overloaded"),
        "the report lists the warnings"
    );
    assert!(report == from_merge, "the merged report differs");
}

#[test]
fn the_choice_of_a_merge_is_among_all_the_points_not_the_first_part() {
    // Point 2 (headcount 4) is the cheapest that meets the wait bound; it is not in
    // shard 0/3, so a merge that chose within the first part would name another point.
    let f = desk();
    let parts = sweep_parts(&f);
    let mut merge = vec!["merge", &parts[0], &parts[1], &parts[2], "--out", "m.csv"];
    merge.extend(["--objective", OBJECTIVE, "--constraint", CONSTRAINT]);
    let chosen = text(&succeeded(f.output(&merge)).stdout);
    let mut whole = sweep_args(&["--objective", OBJECTIVE, "--constraint", CONSTRAINT]);
    whole.extend(["--out", "whole.csv"]);
    let expected = text(&succeeded(f.output(&whole)).stdout);
    let first_line = expected.lines().next().unwrap_or_default().to_string();
    assert!(
        first_line.starts_with("best feasible point: "),
        "{expected}"
    );
    assert!(chosen.starts_with(&first_line), "{chosen}");
}

#[test]
fn sweep_objective_with_a_shard_is_refused() {
    let f = desk();
    let err = f.bad(&sweep_args(&[
        "--objective",
        OBJECTIVE,
        "--shard",
        "0/3",
        "--out",
        "p0.csv",
    ]));
    assert!(err.contains("this shard's points only"), "{err}");
    assert!(err.contains("salesim merge"), "{err}");
    assert!(!f.path("p0.csv").exists());
}

#[test]
fn a_constraint_without_an_objective_is_refused_by_merge() {
    let f = desk();
    let parts = sweep_parts(&f);
    let mut merge = vec!["merge", &parts[0], &parts[1], &parts[2], "--out", "m.csv"];
    merge.extend(["--constraint", CONSTRAINT]);
    let err = f.bad(&merge);
    assert!(err.contains("--constraint needs --objective"), "{err}");
    assert!(!f.path("m.csv").exists());
}

#[test]
fn merge_of_run_parts_refuses_the_sweep_flags() {
    let f = Folder::with_desk();
    let parts = f.desk_parts(2);
    for flags in [["--objective", OBJECTIVE], ["--report", "r.html"]] {
        let mut merge = vec!["merge", &parts[0], &parts[1], "--out", "m.csv"];
        merge.extend(flags);
        let err = f.bad(&merge);
        assert!(err.contains("parts of `salesim run --shard`"), "{err}");
        assert!(!f.path("m.csv").exists() && !f.path("r.html").exists());
    }
}

#[test]
fn sweep_parts_without_a_sweep_record_merge_but_cannot_report() {
    let f = desk();
    let parts = sweep_parts(&f);
    for part in &parts {
        let name = format!("{part}.manifest.json");
        let mut json: serde_json::Value = serde_json::from_str(&f.read_text(&name)).unwrap();
        let record = json["part"].as_object_mut().unwrap();
        assert!(record.remove("sweep").is_some(), "a sweep part records it");
        f.write(&name, serde_json::to_string_pretty(&json).unwrap());
    }
    let mut merge = vec!["merge", &parts[0], &parts[1], &parts[2], "--out", "m.csv"];
    succeeded(f.output(&merge));
    merge[5] = "m2.csv";
    merge.extend(["--report", "r.html"]);
    let err = f.bad(&merge);
    assert!(err.contains("write them again"), "{err}");
    assert!(!f.path("r.html").exists() && !f.path("m2.csv").exists());
}

/// The run parts `p0.csv`, `p1.csv` of the desk and the bytes of their merge.
fn run_parts(f: &Folder) -> Vec<u8> {
    f.desk_parts(2);
    f.ok(&["merge", "p0.csv", "p1.csv", "--out", "m.csv"]);
    f.read("m.csv")
}

#[test]
fn one_part_reached_by_two_paths_is_the_same_part_given_twice() {
    let f = Folder::with_desk();
    run_parts(&f);
    let absolute = f.path("p0.csv").display().to_string();
    std::fs::create_dir(f.path("sub")).unwrap();
    for (link, target) in [
        ("sub/l0.csv", "p0.csv"),
        ("sub/l0.csv.manifest.json", "p0.csv.manifest.json"),
    ] {
        std::os::unix::fs::symlink(f.path(target), f.path(link)).unwrap();
    }
    std::fs::hard_link(f.path("p0.csv"), f.path("h0.csv")).unwrap();
    std::fs::copy(
        f.path("p0.csv.manifest.json"),
        f.path("h0.csv.manifest.json"),
    )
    .unwrap();
    for other in [
        absolute.as_str(),
        "./p0.csv",
        "sub/../p0.csv",
        "sub/l0.csv",
        "h0.csv",
        "p0.csv",
    ] {
        let err = f.bad(&["merge", "p0.csv", other, "p1.csv", "--out", "x.csv"]);
        assert!(
            err.contains("the same part is given twice"),
            "{other}: {err}"
        );
        assert!(
            err.contains("p0.csv") && err.contains(other),
            "{other}: {err}"
        );
        assert!(!f.path("x.csv").exists());
    }
}

#[test]
fn a_copy_of_a_part_is_the_same_part_given_twice() {
    let f = Folder::with_desk();
    run_parts(&f);
    std::fs::create_dir(f.path("copy")).unwrap();
    for name in ["p0.csv", "p0.csv.manifest.json"] {
        std::fs::copy(f.path(name), f.path(&format!("copy/{name}"))).unwrap();
    }
    let err = f.bad(&["merge", "p0.csv", "copy/p0.csv", "p1.csv", "--out", "x.csv"]);
    assert!(err.contains("are the same part"), "{err}");
    assert!(err.contains("give each part once"), "{err}");
}

#[test]
fn two_different_parts_of_one_shard_are_told_apart() {
    let f = Folder::with_desk();
    run_parts(&f);
    // Shard 0/2 of another run: same scenario and shard, other seed.
    std::fs::create_dir(f.path("other")).unwrap();
    f.ok(&[
        "run",
        "desk.toml",
        "--trials",
        "4",
        "--seed",
        "1",
        "--quiet",
        "--shard",
        "0/2",
        "--set",
        "roles.desk.headcount=3",
        "--out",
        "other/p0.csv",
    ]);
    let err = f.bad(&["merge", "p0.csv", "other/p0.csv", "--out", "x.csv"]);
    assert!(err.contains("do not belong to one run"), "{err}");
    // The same run's part 0 written twice into two folders is still one part.
    f.ok(&[
        "run",
        "desk.toml",
        "--trials",
        "4",
        "--seed",
        "1",
        "--quiet",
        "--shard",
        "0/2",
        "--out",
        "other/again.csv",
    ]);
    let err = f.bad(&[
        "merge",
        "p0.csv",
        "other/again.csv",
        "p1.csv",
        "--out",
        "x.csv",
    ]);
    assert!(err.contains("shard 0/2 is given twice"), "{err}");
    assert!(err.contains("are the same part"), "{err}");
}

#[test]
fn the_path_a_part_is_given_under_does_not_change_the_merge() {
    let f = Folder::with_desk();
    let merged = run_parts(&f);
    let absolute = f.path("p1.csv").display().to_string();
    std::fs::create_dir(f.path("sub")).unwrap();
    for name in ["p0.csv", "p0.csv.manifest.json"] {
        std::os::unix::fs::symlink(f.path(name), f.path(&format!("sub/{name}"))).unwrap();
    }
    f.ok(&["merge", "sub/p0.csv", &absolute, "--out", "again.csv"]);
    assert_eq!(merged, f.read("again.csv"));
}

#[test]
fn a_sweep_record_that_does_not_match_its_points_is_refused() {
    let f = desk();
    let parts = sweep_parts(&f);
    let name = format!("{}.manifest.json", parts[0]);
    let mut json: serde_json::Value = serde_json::from_str(&f.read_text(&name)).unwrap();
    let warnings = json["part"]["sweep"]["warnings"].as_array_mut().unwrap();
    assert_eq!(warnings.len(), 1, "shard 0/3 of five points holds one");
    warnings.push(serde_json::json!([]));
    f.write(&name, serde_json::to_string_pretty(&json).unwrap());
    let err = f.bad(&["merge", &parts[0], &parts[1], &parts[2], "--out", "m.csv"]);
    assert!(
        err.contains("p0.csv: its sweep record lists the warnings of 2 points, but it holds 1"),
        "{err}"
    );
    assert!(!f.path("m.csv").exists());
}
