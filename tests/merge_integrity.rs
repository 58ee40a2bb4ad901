//! `salesim merge` proves what it merges: every part's rows are checked against its
//! manifest (the trials or sweep points it holds, each once, and the sha256 of the
//! file), parts of other runs and edited parts are refused with exit 2 naming the part,
//! `--out` may not be one of the parts, and the warnings of the unsharded run survive
//! sharding. One test per way a hostile tester broke it (issue 13).

mod common;

use std::time::{Duration, Instant};

use common::Folder;
use common::scenarios::Desk;

/// Runs `merge PARTS --out m.csv`, expects exit 2 and no merged file, returns the
/// message.
fn refused(f: &Folder, parts: &[&str]) -> String {
    let mut args = vec!["merge"];
    args.extend(parts);
    args.extend(["--out", "m.csv"]);
    let err = f.bad(&args);
    assert!(
        !f.path("m.csv").exists() && !f.path("m.csv.manifest.json").exists(),
        "a refused merge writes nothing"
    );
    err
}

fn assert_has(err: &str, wanted: &[&str]) {
    for w in wanted {
        assert!(err.contains(w), "expected `{w}` in: {err}");
    }
}

/// The lines of a part whose trial (third field) is not `trial`, header kept.
fn without_trial(text: &str, trial: &str) -> String {
    text.lines()
        .filter(|l| l.split(',').nth(2) != Some(trial))
        .map(|l| format!("{l}\n"))
        .collect()
}

fn lines_of_trial(text: &str, trial: &str) -> String {
    text.lines()
        .skip(1)
        .filter(|l| l.split(',').nth(2) == Some(trial))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Replaces `from` (which must be there) by `to` in the file `name`.
fn edit(f: &Folder, name: &str, from: &str, to: &str) {
    let text = f.read_text(name);
    assert!(text.contains(from), "`{from}` not in {name}: {text}");
    f.write(name, text.replacen(from, to, 1));
}

#[test]
fn merge_refuses_a_part_missing_its_last_trial() {
    let f = Folder::with_desk();
    f.desk_parts(2);
    f.write("p1.csv", without_trial(&f.read_text("p1.csv"), "3"));
    let err = refused(&f, &["p0.csv", "p1.csv"]);
    assert_has(
        &err,
        &[
            "p1.csv: it holds trials 2..3 of `desk` but its manifest says 2..4",
            "3..4 are missing",
        ],
    );
}

#[test]
fn merge_refuses_a_part_with_only_its_header() {
    let f = Folder::with_desk();
    f.desk_parts(2);
    f.write("p1.csv", "scenario,file,trial,metric,value\n");
    let err = refused(&f, &["p0.csv", "p1.csv"]);
    assert_has(&err, &["p1.csv: it holds no rows", "trials 2..4"]);
}

#[test]
fn merge_refuses_a_part_holding_another_parts_rows() {
    let f = Folder::with_desk();
    f.desk_parts(2);
    f.write("p1.csv", f.read("p0.csv"));
    let err = refused(&f, &["p0.csv", "p1.csv"]);
    assert_has(&err, &["p1.csv:2: trial 0", "not among the trials 2..4"]);
}

#[test]
fn merge_refuses_a_part_with_an_edited_value() {
    let f = Folder::with_desk();
    f.desk_parts(2);
    let text = f.read_text("p0.csv");
    let line = text.lines().nth(3).unwrap().to_string();
    let (keep, _) = line.rsplit_once(',').unwrap();
    edit(&f, "p0.csv", &line, &format!("{keep},12345"));
    let err = refused(&f, &["p0.csv", "p1.csv"]);
    assert_has(
        &err,
        &["p0.csv: its rows do not match its manifest (sha256"],
    );
}

#[test]
fn merge_refuses_swapped_manifests() {
    let f = Folder::with_desk();
    f.desk_parts(2);
    let (m0, m1) = (
        f.read("p0.csv.manifest.json"),
        f.read("p1.csv.manifest.json"),
    );
    f.write("p0.csv.manifest.json", m1);
    f.write("p1.csv.manifest.json", m0);
    let err = refused(&f, &["p0.csv", "p1.csv"]);
    // p1.csv now claims shard 0/2, so it is read first.
    assert_has(&err, &["p1.csv:2: trial 2", "not among the trials 0..2"]);
}

#[test]
fn merge_refuses_rows_of_another_scenario() {
    let f = Folder::with_desk();
    f.desk_parts(2);
    let other = Desk {
        name: "other",
        ..Desk::default()
    };
    f.write("other.toml", other.toml());
    f.ok(&[
        "run",
        "other.toml",
        "--trials",
        "4",
        "--seed",
        "1",
        "--quiet",
        "--shard",
        "1/2",
        "--out",
        "o1.csv",
    ]);
    f.write("p1.csv", f.read("o1.csv"));
    let err = refused(&f, &["p0.csv", "p1.csv"]);
    assert_has(
        &err,
        &["p1.csv:2: rows of `other` (other.toml) where its manifest lists desk.toml"],
    );

    // The same file name and scenario name, other numbers: only the hash tells.
    let g = Folder::with_desk();
    g.desk_parts(2);
    let busier = Desk {
        rate_per_week: 30.0,
        ..Desk::default()
    };
    let h = Folder::holding("desk.toml", &busier.toml());
    h.desk_parts(2);
    g.write("p1.csv", h.read("p1.csv"));
    let err = refused(&g, &["p0.csv", "p1.csv"]);
    assert_has(&err, &["p1.csv: its rows do not match its manifest"]);
}

#[test]
fn merge_refuses_a_manifest_edited_to_the_whole_run() {
    let f = Folder::with_desk();
    f.desk_parts(2);
    edit(
        &f,
        "p0.csv.manifest.json",
        "\"shard\": \"0/2\"",
        "\"shard\": \"0/1\"",
    );
    let err = refused(&f, &["p0.csv"]);
    assert_has(
        &err,
        &[
            "p0.csv: its manifest says shard 0/1 of 4 trials, which is trials 0..4, but its part record says 0..2",
        ],
    );
    // Its part record edited to match: the rows still hold only trials 0..2.
    edit(&f, "p0.csv.manifest.json", "\"end\": 2", "\"end\": 4");
    let err = refused(&f, &["p0.csv"]);
    assert_has(
        &err,
        &["p0.csv: it holds trials 0..2 of `desk` but its manifest says 0..4"],
    );
}

#[test]
fn merge_refuses_a_trial_given_twice_within_a_part() {
    let f = Folder::with_desk();
    f.desk_parts(2);
    let text = f.read_text("p0.csv");
    f.write("p0.csv", format!("{text}{}", lines_of_trial(&text, "0")));
    let err = refused(&f, &["p0.csv", "p1.csv"]);
    assert_has(&err, &["p0.csv:", "trial 0 again"]);
}

#[test]
fn merge_refuses_an_out_that_is_one_of_its_parts() {
    let f = Folder::with_desk();
    f.desk_parts(2);
    std::fs::create_dir(f.path("sub")).unwrap();
    let before: Vec<Vec<u8>> = ["p0.csv", "p1.csv", "p0.csv.manifest.json"]
        .iter()
        .map(|n| f.read(n))
        .collect();
    let files = f.files();
    let absolute = f.path("p1.csv").display().to_string();
    for out in [
        "p0.csv",
        "./p0.csv",
        "sub/../p0.csv",
        &absolute,
        "p0.csv.manifest.json",
    ] {
        let err = f.bad(&["merge", "p0.csv", "p1.csv", "--out", out]);
        assert_has(&err, &["--out", "is also an input"]);
    }
    let after: Vec<Vec<u8>> = ["p0.csv", "p1.csv", "p0.csv.manifest.json"]
        .iter()
        .map(|n| f.read(n))
        .collect();
    assert!(
        before == after,
        "a refused merge leaves its parts as they were"
    );
    assert_eq!(f.files(), files, "a refused merge writes nothing");
}

#[test]
fn merge_refuses_a_file_that_is_not_a_part() {
    let f = Folder::with_desk();
    f.ok(&[
        "run",
        "desk.toml",
        "--trials",
        "4",
        "--quiet",
        "--format",
        "csv",
        "--out",
        "whole.csv",
    ]);
    let err = refused(&f, &["whole.csv"]);
    assert_has(
        &err,
        &["whole.csv: not a shard part: its manifest has no `part` record"],
    );
}

#[test]
fn merge_of_a_manifest_claiming_a_trillion_shards_ends_at_once() {
    let f = Folder::with_desk();
    sweep_parts(&f);
    // An empty share of the points, so that the part record agrees with the shard.
    edit(
        &f,
        "s0.csv.manifest.json",
        "\"shard\": \"0/2\"",
        "\"shard\": \"0/1000000000000\"",
    );
    edit(&f, "s0.csv.manifest.json", "\"end\": 2", "\"end\": 0");
    edit(
        &f,
        "s1.csv.manifest.json",
        "\"shard\": \"1/2\"",
        "\"shard\": \"1/1000000000000\"",
    );
    edit(&f, "s1.csv.manifest.json", "\"start\": 2", "\"start\": 0");
    edit(&f, "s1.csv.manifest.json", "\"end\": 4", "\"end\": 0");
    let started = Instant::now();
    let err = refused(&f, &["s0.csv", "s1.csv"]);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "merge took {:?}",
        started.elapsed()
    );
    assert_has(
        &err,
        &[
            "missing shard(s) 2/1000000000000",
            "and 999999999993 more",
            "(2 given)",
        ],
    );
}

/// Writes `s0.csv` and `s1.csv`, shards 0/2 and 1/2 of a four-point sweep of the desk.
fn sweep_parts(f: &Folder) {
    for k in 0..2 {
        f.ok(&[
            "sweep",
            "desk.toml",
            "--vary",
            "roles.desk.headcount=1..=4",
            "--trials",
            "2",
            "--quiet",
            "--shard",
            &format!("{k}/2"),
            "--out",
            &format!("s{k}.csv"),
        ]);
    }
}

/// The rows of point `point` of a sweep part.
fn rows_of_point(text: &str, point: &str) -> String {
    text.lines()
        .skip(1)
        .filter(|l| l.split(',').next() == Some(point))
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn sweep_merge_refuses_a_duplicated_point() {
    let f = Folder::with_desk();
    sweep_parts(&f);
    let text = f.read_text("s1.csv");
    f.write("s1.csv", format!("{text}{}", rows_of_point(&text, "2")));
    let err = refused(&f, &["s0.csv", "s1.csv"]);
    assert_has(&err, &["s1.csv:", "point 2 again"]);
    // Right after itself, the point's rows come twice.
    f.write("s1.csv", format!("{text}{}", rows_of_point(&text, "3")));
    let err = refused(&f, &["s0.csv", "s1.csv"]);
    assert_has(&err, &["s1.csv:", "twice in point 3"]);
}

#[test]
fn sweep_merge_refuses_a_missing_point() {
    let f = Folder::with_desk();
    sweep_parts(&f);
    let text = f.read_text("s0.csv");
    let point_1 = rows_of_point(&text, "1");
    f.write("s0.csv", text.replace(&point_1, ""));
    let err = refused(&f, &["s0.csv", "s1.csv"]);
    assert_has(
        &err,
        &["s0.csv: it holds points 0..1 but its manifest says 0..2"],
    );
}

#[test]
fn sweep_merge_refuses_a_garbage_line() {
    let f = Folder::with_desk();
    sweep_parts(&f);
    let text = f.read_text("s1.csv");
    let lines = text.lines().count();
    f.write("s1.csv", format!("{text}garbage,line\n"));
    let err = refused(&f, &["s0.csv", "s1.csv"]);
    assert_has(&err, &[&format!("s1.csv:{}: expected 5 fields", lines + 1)]);
}

#[test]
fn sweep_merge_refuses_a_part_with_an_edited_value() {
    let f = Folder::with_desk();
    sweep_parts(&f);
    let text = f.read_text("s0.csv");
    let line = text.lines().nth(2).unwrap().to_string();
    let (keep, _) = line.rsplit_once(',').unwrap();
    edit(&f, "s0.csv", &line, &format!("{keep},12345"));
    let err = refused(&f, &["s0.csv", "s1.csv"]);
    assert_has(
        &err,
        &["s0.csv: its rows do not match its manifest (sha256"],
    );
}

/// Runs `desk` unsharded and in `shards` shards, merges, and checks that the merged
/// CSV is the unsharded one byte for byte and that the manifests differ only in their
/// command; returns the merged manifest and merge's standard error.
fn merged_equals_unsharded(f: &Folder, trials: &str, shards: usize) -> (String, String) {
    let common = ["--trials", trials, "--seed", "3", "--quiet"];
    let mut whole = vec!["run", "desk.toml", "--format", "csv", "--out", "whole.csv"];
    whole.extend(common);
    f.salesim(&whole).assert().success();
    let mut parts = Vec::new();
    for k in 0..shards {
        let name = format!("p{k}.csv");
        let shard = format!("{k}/{shards}");
        let mut run = vec!["run", "desk.toml", "--shard", &shard, "--out", &name];
        run.extend(common);
        f.salesim(&run).assert().success();
        parts.push(name);
    }
    let mut merge = vec!["merge"];
    merge.extend(parts.iter().map(String::as_str));
    merge.extend(["--out", "m.csv"]);
    let out = f.salesim(&merge).assert().success().get_output().clone();
    assert!(f.read("m.csv") == f.read("whole.csv"), "merged CSV differs");
    let manifest = |name: &str| {
        let mut v: serde_json::Value = serde_json::from_slice(&f.read(name)).unwrap();
        v.as_object_mut().unwrap().remove("command");
        v
    };
    assert_eq!(
        manifest("m.csv.manifest.json"),
        manifest("whole.csv.manifest.json")
    );
    (
        f.read_text("m.csv.manifest.json"),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const OVERLOAD: &str = "role `desk` is overloaded: offered load 1.50 of capacity with headcount 1";

#[test]
fn overload_warnings_survive_sharding() {
    let f = Folder::holding(
        "desk.toml",
        &Desk {
            horizon_weeks: 20,
            rate_per_week: 60.0,
            headcount: 1,
            ..Desk::default()
        }
        .toml(),
    );
    let (manifest, stderr) = merged_equals_unsharded(&f, "4", 2);
    assert_has(&manifest, &[&format!("desk.toml: {OVERLOAD}")]);
    assert_has(&stderr, &[&format!("warning: desk.toml: {OVERLOAD}")]);
    for part in ["p0.csv.manifest.json", "p1.csv.manifest.json"] {
        assert_has(&f.read_text(part), &[&format!("desk.toml: {OVERLOAD}")]);
    }
}

#[test]
fn runaway_warnings_survive_sharding() {
    let f = Folder::holding(
        "desk.toml",
        &Desk {
            horizon_weeks: 10,
            rate_per_week: 500000.0,
            headcount: 1,
            ..Desk::default()
        }
        .toml(),
    );
    let (manifest, _) = merged_equals_unsharded(&f, "2", 2);
    assert_has(&manifest, &["2 of 2 trials stopped early"]);
    assert_has(
        &f.read_text("p1.csv.manifest.json"),
        &["1 of 1 trials stopped early"],
    );
}

/// A part cut short or with a byte changed anywhere is refused, never merged and never
/// a panic; given a manifest that agrees with its (changed) bytes, it merges or is
/// refused, never a panic.
#[test]
fn merge_never_panics_on_cut_or_changed_parts() {
    use salesim::experiment::parts::{Part, merge, read_manifest, sha256_hex};
    let f = Folder::with_desk();
    f.desk_parts(2);
    sweep_parts(&f);
    let part = |name: &str, bytes: Vec<u8>, agree: bool| {
        let mut manifest = read_manifest(&f.path(name)).unwrap();
        if agree {
            manifest.part.as_mut().unwrap().sha256 = sha256_hex(&bytes);
        }
        Part {
            name: name.into(),
            manifest,
            bytes,
        }
    };
    for (changed_name, other) in [("p0.csv", "p1.csv"), ("s1.csv", "s0.csv")] {
        let bytes = f.read(changed_name);
        let intact = part(other, f.read(other), false);
        assert!(
            merge(vec![
                part(changed_name, bytes.clone(), false),
                intact.clone()
            ])
            .is_ok()
        );
        let mut state = 12345_u64;
        for i in 0..300 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let at = (state >> 33) as usize % bytes.len();
            let mut changed = bytes.clone();
            if i % 2 == 0 {
                changed.truncate(at);
            } else {
                changed[at] = [b',', b'\n', b'"', b'x', b'9', 0xff][i % 6];
            }
            if changed == bytes {
                continue;
            }
            let given = part(changed_name, changed.clone(), false);
            assert!(
                merge(vec![given, intact.clone()]).is_err(),
                "{changed_name}: change {i} merged"
            );
            let _ = merge(vec![part(changed_name, changed, true), intact.clone()]);
        }
    }
}
