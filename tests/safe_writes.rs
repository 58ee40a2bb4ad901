//! Outputs never clobber inputs or each other, are put in place whole and together
//! (a CSV before its manifest), honour signals until they are in place, and no
//! argument or broken standard stream makes `salesim` panic (issue 13, parts 2, 3, 6
//! and 8).

mod common;

use std::path::Path;
use std::process::Stdio;

use common::scenarios::{DESK, Desk};
use common::{Folder, salesim_process};

const FEW: [&str; 3] = ["--trials", "2", "--quiet"];

/// `head` with few trials and no progress bar for the commands that simulate.
fn args<'a>(head: &[&'a str]) -> Vec<&'a str> {
    let few: &[&str] = match head.first() {
        Some(&("run" | "compare" | "sweep")) => &FEW,
        _ => &[],
    };
    head.iter().copied().chain(few.iter().copied()).collect()
}

/// Every file in the folder (not sub-folders) and its contents.
fn snapshot(dir: &Folder) -> Vec<(String, Vec<u8>)> {
    dir.files()
        .into_iter()
        .filter(|f| dir.path(f).is_file())
        .map(|f| (f.clone(), dir.read(&f)))
        .collect()
}

/// A refused output: exit 2 before the run, naming the flag and the path, every file
/// in the folder as it was.
fn refused(dir: &Folder, argv: &[&str], flag: &str, path: &str) -> String {
    let before = snapshot(dir);
    let stderr = dir.bad(&args(argv));
    assert!(stderr.contains(&format!("{flag} {path}:")), "{stderr}");
    let after = snapshot(dir);
    assert_eq!(before, after, "nothing may be written or changed");
    stderr
}

fn with_two_desks() -> Folder {
    let dir = Folder::with_desk();
    let other = Desk {
        name: "desk2",
        ..Desk::default()
    };
    dir.write("desk2.toml", other.toml());
    dir
}

#[test]
fn run_out_onto_its_own_scenario_is_refused() {
    let dir = Folder::with_desk();
    let e = refused(
        &dir,
        &["run", "desk.toml", "--format", "csv", "--out", "desk.toml"],
        "--out",
        "desk.toml",
    );
    assert!(e.contains("is also an input"), "{e}");
}

#[test]
fn an_input_spelled_differently_is_still_the_same_file() {
    let dir = Folder::with_desk();
    refused(
        &dir,
        &["run", "desk.toml", "--out", "./desk.toml"],
        "--out",
        "./desk.toml",
    );
    let absolute = dir.path("desk.toml").display().to_string();
    refused(
        &dir,
        &["run", "./desk.toml", "--out", &absolute],
        "--out",
        &absolute,
    );
    std::fs::create_dir(dir.path("sub")).unwrap();
    refused(
        &dir,
        &["run", "desk.toml", "--out", "sub/../desk.toml"],
        "--out",
        "sub/../desk.toml",
    );
}

#[cfg(unix)]
#[test]
fn a_hard_link_to_the_scenario_is_the_scenario() {
    let dir = Folder::with_desk();
    std::fs::hard_link(dir.path("desk.toml"), dir.path("same.toml")).unwrap();
    refused(
        &dir,
        &["run", "desk.toml", "--out", "same.toml"],
        "--out",
        "same.toml",
    );
}

#[test]
fn trace_out_onto_its_scenario_is_refused() {
    let dir = Folder::with_desk();
    dir.bad(&["trace", "desk.toml", "--out", "desk.toml"]);
    assert_eq!(dir.read_text("desk.toml"), DESK);
}

#[test]
fn compare_outputs_onto_an_input_are_refused() {
    let dir = with_two_desks();
    for flag in ["--csv", "--json", "--report"] {
        refused(
            &dir,
            &["compare", "desk.toml", "desk2.toml", flag, "desk2.toml"],
            flag,
            "desk2.toml",
        );
    }
}

#[test]
fn two_outputs_of_one_command_may_not_share_a_file() {
    let dir = with_two_desks();
    let e = refused(
        &dir,
        &[
            "compare",
            "desk.toml",
            "desk2.toml",
            "--csv",
            "a.csv",
            "--json",
            "a.csv",
        ],
        "--json",
        "a.csv",
    );
    assert!(e.contains("also written by --csv"), "{e}");
}

#[test]
fn the_manifest_beside_a_csv_counts_as_an_output() {
    let dir = with_two_desks();
    let argv = [
        "compare",
        "desk.toml",
        "desk2.toml",
        "--csv",
        "a.csv",
        "--json",
        "a.csv.manifest.json",
    ];
    refused(&dir, &argv, "--json", "a.csv.manifest.json");
    // And the manifest may not land on an input either.
    dir.write("r.csv.manifest.json", DESK);
    let argv = [
        "run",
        "r.csv.manifest.json",
        "--format",
        "csv",
        "--out",
        "r.csv",
    ];
    refused(&dir, &argv, "the manifest of --out", "r.csv.manifest.json");
}

#[test]
fn compare_may_not_send_a_file_to_standard_output_beside_the_table() {
    let dir = with_two_desks();
    refused(
        &dir,
        &["compare", "desk.toml", "desk2.toml", "--json", "-"],
        "--json",
        "-",
    );
}

#[test]
fn sweep_out_and_report_onto_the_scenario_are_refused() {
    let dir = Folder::with_desk();
    let vary = ["sweep", "desk.toml", "--vary", "roles.desk.headcount=1,2"];
    for flag in ["--out", "--report"] {
        let argv: Vec<&str> = vary.iter().copied().chain([flag, "desk.toml"]).collect();
        refused(&dir, &argv, flag, "desk.toml");
    }
}

#[test]
fn a_shard_part_onto_the_scenario_is_refused() {
    let dir = Folder::with_desk();
    refused(
        &dir,
        &["run", "desk.toml", "--shard", "0/2", "--out", "desk.toml"],
        "--out",
        "desk.toml",
    );
}

#[test]
fn merge_out_onto_one_of_its_parts_or_their_manifests_is_refused() {
    let dir = Folder::with_desk();
    for k in ["0", "1"] {
        let shard = format!("{k}/2");
        let out = format!("p{k}.csv");
        dir.ok(&args(&[
            "run",
            "desk.toml",
            "--shard",
            &shard,
            "--out",
            &out,
        ]));
    }
    for out in ["p1.csv", "./p0.csv", "p0.csv.manifest.json"] {
        refused(
            &dir,
            &["merge", "p0.csv", "p1.csv", "--out", out],
            "--out",
            out,
        );
    }
}

#[test]
fn an_over_long_out_name_fails_before_the_simulation() {
    let dir = Folder::with_desk();
    let name = format!("{}.csv", "x".repeat(300));
    // Exit 2 (refused up front), not 1 (a rename failing after the run).
    let e = refused(&dir, &["run", "desk.toml", "--out", &name], "--out", &name);
    assert!(e.contains("255"), "{e}");
}

#[test]
fn a_missing_folder_is_named_before_the_run() {
    let dir = Folder::with_desk();
    let e = refused(
        &dir,
        &["run", "desk.toml", "--out", "nope/out.csv"],
        "--out",
        "nope/out.csv",
    );
    assert!(e.contains("does not exist"), "{e}");
}

#[cfg(unix)]
#[test]
fn a_symlinked_output_replaces_its_target_and_keeps_the_link() {
    let dir = Folder::with_desk();
    dir.write("target.csv", "old");
    std::os::unix::fs::symlink("target.csv", dir.path("link.csv")).unwrap();
    dir.ok(&args(&[
        "run",
        "desk.toml",
        "--format",
        "csv",
        "--out",
        "link.csv",
    ]));
    let link = std::fs::symlink_metadata(dir.path("link.csv")).unwrap();
    assert!(link.file_type().is_symlink(), "the link must stay a link");
    assert!(dir.read_text("target.csv").starts_with("scenario,metric"));
}

#[cfg(unix)]
#[test]
fn an_existing_output_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = Folder::with_desk();
    let out = dir.write("out.csv", "old");
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o600)).unwrap();
    dir.ok(&args(&[
        "run",
        "desk.toml",
        "--format",
        "csv",
        "--out",
        "out.csv",
    ]));
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(dir.read_text("out.csv").starts_with("scenario,metric"));
}

#[cfg(unix)]
#[test]
fn a_read_only_output_is_refused_not_replaced() {
    use std::os::unix::fs::PermissionsExt;
    let dir = Folder::with_desk();
    let out = dir.write("out.csv", "old");
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o444)).unwrap();
    let e = refused(
        &dir,
        &["run", "desk.toml", "--out", "out.csv"],
        "--out",
        "out.csv",
    );
    assert!(e.contains("read-only"), "{e}");
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o444);
}

#[cfg(unix)]
#[test]
fn dev_null_is_written_to_not_replaced_and_gets_no_manifest() {
    use std::os::unix::fs::FileTypeExt;
    let dir = Folder::with_desk();
    dir.ok(&args(&[
        "run",
        "desk.toml",
        "--format",
        "csv",
        "--out",
        "/dev/null",
    ]));
    let meta = std::fs::metadata("/dev/null").unwrap();
    assert!(meta.file_type().is_char_device());
    assert!(!Path::new("/dev/null.manifest.json").exists());
    assert_eq!(dir.files(), vec!["desk.toml"]);
}

#[test]
fn dash_means_standard_output() {
    let dir = Folder::with_desk();
    let plain = dir.ok(&args(&["run", "desk.toml", "--format", "csv"]));
    let dashed = dir.ok(&args(&[
        "run",
        "desk.toml",
        "--format",
        "csv",
        "--out",
        "-",
    ]));
    assert_eq!(plain, dashed);
    assert_eq!(dir.files(), vec!["desk.toml"], "no file named `-`");
    let traced = dir.ok(&["trace", "desk.toml", "--out", "-"]);
    assert_eq!(traced, dir.ok(&["trace", "desk.toml"]));
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

/// Opens the read end without waiting for a writer.
#[cfg(unix)]
fn open_reader(path: &Path) -> std::fs::File {
    use std::os::unix::fs::OpenOptionsExt;
    const O_NONBLOCK: i32 = 0o4000; // Linux
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(O_NONBLOCK)
        .open(path)
        .unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn a_fifo_is_written_to_directly() {
    let dir = Folder::with_desk();
    let fifo = dir.path("pipe");
    mkfifo(&fifo);
    let reader = std::thread::spawn({
        let fifo = fifo.clone();
        move || std::fs::read(fifo).unwrap()
    });
    dir.ok(&args(&[
        "run",
        "desk.toml",
        "--format",
        "csv",
        "--out",
        "pipe",
    ]));
    let bytes = reader.join().unwrap();
    assert_eq!(
        bytes,
        dir.ok(&args(&["run", "desk.toml", "--format", "csv"]))
    );
    assert_eq!(
        dir.files(),
        vec!["desk.toml", "pipe"],
        "no manifest, no temporary file"
    );
}

/// SIGTERM after the simulation, while the outputs are staged (the CSV and its manifest
/// as temporary files, the JSON waiting for the FIFO's reader): exit 143, and none of
/// the outputs is put in place.
#[cfg(target_os = "linux")]
#[test]
fn a_signal_while_writing_gives_143_and_no_output_file() {
    let dir = with_two_desks();
    let fifo = dir.path("pipe");
    mkfifo(&fifo);
    let argv = args(&[
        "compare",
        "desk.toml",
        "desk2.toml",
        "--csv",
        "out.csv",
        "--json",
        "pipe",
    ]);
    let mut child = salesim_process(dir.dir())
        .args(&argv)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Staged temporary files carry a recognisable name: wait until they are there.
    // (A guard, not a timing assertion: a run that never stages would block on the FIFO.)
    let mut polls = 0;
    while !dir
        .files()
        .iter()
        .any(|f| f.starts_with(".salesim-") && f.ends_with(".tmp"))
    {
        assert!(
            child.try_wait().unwrap().is_none(),
            "salesim ended before staging"
        );
        polls += 1;
        if polls > 6000 {
            child.kill().unwrap();
            panic!("no .salesim-*.tmp file appeared: {:?}", dir.files());
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let mut reader = open_reader(&fifo);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(143));
    let mut got = Vec::new();
    let _ = std::io::Read::read_to_end(&mut reader, &mut got);
    assert!(got.is_empty(), "nothing may reach the FIFO");
    assert_eq!(dir.files(), vec!["desk.toml", "desk2.toml", "pipe"]);
}

#[test]
fn a_csv_and_its_manifest_are_renamed_data_first() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("a.csv");
    let manifest = dir.path().join("a.csv.manifest.json");
    // A manifest that cannot be put in place (a folder stands there).
    std::fs::create_dir(&manifest).unwrap();
    let stop = std::sync::atomic::AtomicBool::new(false);
    let result = salesim::report::write_pair(&data, b"rows\n", &manifest, b"{}", &stop);
    assert!(result.is_err());
    assert_eq!(
        std::fs::read(&data).unwrap(),
        b"rows\n",
        "the data went first"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 2, "no temporary file left behind");
}

#[test]
fn temporary_files_are_named_dot_salesim_tmp_in_the_destination_folder() {
    let dir = tempfile::tempdir().unwrap();
    let temp = salesim::report::temporary_file_in(dir.path()).unwrap();
    let name = temp
        .path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_string();
    assert!(
        name.starts_with(".salesim-") && name.ends_with(".tmp"),
        "{name}"
    );
    assert_eq!(temp.path().parent().unwrap(), dir.path());
}

#[cfg(unix)]
#[test]
fn non_utf8_paths_are_accepted() {
    use std::os::unix::ffi::OsStrExt;
    let dir = Folder::with_desk();
    let name = std::ffi::OsStr::from_bytes(b"r\xffsult.csv");
    let status = salesim_process(dir.dir())
        .args([
            "run",
            "desk.toml",
            "--format",
            "csv",
            "--quiet",
            "--trials",
            "3",
            "--out",
        ])
        .arg(name)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    assert!(dir.dir().join(name).exists());
}

#[test]
fn validate_into_a_closed_pipe_ends_quietly() {
    let dir = Folder::with_desk();
    // Far more than a pipe holds, so writes after the reader left must fail.
    let mut child = salesim_process(dir.dir())
        .arg("validate")
        .args(std::iter::repeat_n("desk.toml", 8000))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_full_standard_error_is_no_panic() {
    let dir = Folder::holding("bad.toml", "name = 3\n");
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let status = salesim_process(dir.dir())
        .args(["validate", "bad.toml"])
        .stderr(full)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
}

#[test]
fn a_full_standard_output_is_exit_1_not_success() {
    let dir = Folder::with_desk();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = salesim_process(dir.dir())
        .args(args(&["run", "desk.toml"]))
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("standard output"));
}

mod random_arguments {
    use super::*;
    use proptest::prelude::*;

    const WORDS: &[&str] = &[
        "run",
        "compare",
        "sweep",
        "merge",
        "validate",
        "trace",
        "desk.toml",
        "missing.toml",
        "-",
        "/dev/null",
        ".",
        "",
        "out.csv",
        "--out",
        "--csv",
        "--json",
        "--report",
        "--format",
        "csv",
        "json",
        "table",
        "--trials",
        "--seed",
        "--threads",
        "0",
        "1",
        "2",
        "-1",
        "x",
        "--shard",
        "0/2",
        "1/1",
        "--set",
        "roles.desk.headcount=3",
        "--vary",
        "roles.desk.headcount=1,2",
        "--objective",
        "min:win_rate",
        "--trial",
        "--quiet",
        "--help",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

        /// Whatever the arguments, salesim exits 0, 1 or 2: never a panic or a signal.
        #[test]
        fn any_argument_vector_exits_0_1_or_2(picks in proptest::collection::vec(0..WORDS.len(), 0..8)) {
            let dir = Folder::with_desk();
            let words: Vec<&str> = picks.iter().map(|&i| WORDS[i]).collect();
            // Runs stay tiny: a command that simulates gets few trials.
            let out = salesim_process(dir.dir())
                .args(args(&words))
                .stdin(Stdio::null())
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr).to_string();
            prop_assert!(matches!(out.status.code(), Some(0..=2)), "{words:?}: {:?} {stderr}", out.status);
            prop_assert!(!stderr.contains("panicked"), "{words:?}: {stderr}");
        }
    }
}

/// `salesim ARGS` with standard output closed (`>&-`), in `dir`.
fn with_stdout_closed(dir: &Folder, argv: &[&str]) -> std::process::Output {
    std::process::Command::new("sh")
        .current_dir(dir.dir())
        .arg("-c")
        .arg(r#"exec "$0" "$@" >&-"#)
        .arg(env!("CARGO_BIN_EXE_salesim"))
        .args(argv)
        .output()
        .unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn a_closed_standard_output_is_exit_1_when_output_would_be_lost() {
    let dir = with_two_desks();
    for argv in [
        args(&["run", "desk.toml"]),
        args(&["compare", "desk.toml", "desk2.toml", "--csv", "c.csv"]),
        vec!["validate", "desk.toml"],
        vec!["trace", "desk.toml"],
    ] {
        let out = with_stdout_closed(&dir, &argv);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{argv:?}: {stderr}");
        assert!(stderr.contains("standard output"), "{stderr}");
    }
    assert_eq!(
        dir.files(),
        vec!["desk.toml", "desk2.toml"],
        "refused before any file"
    );
    // Output to a file needs no standard output.
    let argv = args(&["run", "desk.toml", "--format", "csv", "--out", "r.csv"]);
    assert_eq!(with_stdout_closed(&dir, &argv).status.code(), Some(0));
    // Standard output sent to /dev/null on purpose is not closed.
    let null = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/null")
        .unwrap();
    let status = salesim_process(dir.dir())
        .args(args(&["run", "desk.toml"]))
        .stdout(null)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
}
