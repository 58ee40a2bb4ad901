//! `salesim init TEMPLATE [--out FILE]`: every template is written (to standard output
//! or a new file) as a scenario that validates and runs; an existing file is never
//! overwritten; an unknown template is exit 2 naming it and listing the valid ones.

mod common;

use common::{Folder, text};

const TEMPLATES: [&str; 3] = ["craftsperson", "specialized", "saas"];

#[test]
fn every_template_written_to_standard_output_validates_and_runs() {
    let folder = Folder::new();
    for name in TEMPLATES {
        let out = text(&folder.ok(&["init", name]));
        assert!(
            out.starts_with(&format!("# Written by `salesim init {name}`")),
            "{out}"
        );
        assert!(out.contains("(A)"), "{name}: no assumption is marked");
        let file = format!("{name}.toml");
        folder.write(&file, &out);
        let ok = text(&folder.ok(&["validate", &file]));
        assert!(ok.starts_with("ok:"), "{ok}");
        let run = folder
            .salesim(&[
                "run",
                &file,
                "--trials",
                "2",
                "--set",
                "horizon_weeks=12",
                "--set",
                "warmup_weeks=2",
                "--quiet",
            ])
            .output()
            .expect("salesim runs");
        assert!(
            run.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
}

#[test]
fn out_writes_a_new_file_and_never_overwrites_one() {
    let folder = Folder::new();
    folder.ok(&["init", "saas", "--out", "mine.toml"]);
    let written = folder.read_text("mine.toml");
    assert_eq!(written, text(&folder.ok(&["init", "saas"])));
    folder.write("mine.toml", "# my own work\n");
    let err = folder.bad(&["init", "craftsperson", "--out", "mine.toml"]);
    assert!(
        err.contains("mine.toml") && err.contains("already exists"),
        "{err}"
    );
    assert_eq!(folder.read_text("mine.toml"), "# my own work\n");
}

#[test]
fn an_unknown_template_is_exit_2_naming_it_and_listing_the_valid_ones() {
    let folder = Folder::new();
    let err = folder.bad(&["init", "distributer"]);
    assert!(err.contains("`distributer`"), "{err}");
    for name in TEMPLATES {
        assert!(err.contains(name), "{name} not listed: {err}");
    }
    assert!(folder.files().is_empty(), "{:?}", folder.files());
}
