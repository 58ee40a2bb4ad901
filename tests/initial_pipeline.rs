//! A scenario's `initial_pipeline = "OPEN.csv"` key: `run` and `compare` start every
//! trial from the file's open opportunities (path relative to the scenario file, read
//! by the reader of `forecast --pipeline`), and say so in the table and the JSON; a bad
//! file is exit 2 naming the file, line, column and the key. `initial_pipeline_map`
//! reads an export with other headers and stage names as the plain file.

mod common;

use common::Folder;

const OPEN: &str = "opportunity_id,stage,entered_at,owner,amount
P-1,quote,2026-03-02,ann,12000
P-2,close,2026-03-03,bob,8000
P-3,qualify,2026-03-04,ann,
P-3,discovery,2026-03-05,ann,
";

/// The craftsperson design in `s/design.toml`, starting from `s/open.csv`, run from
/// the folder above: the path must be read relative to the scenario file.
fn folder(open: &str) -> Folder {
    let design = std::fs::read_to_string("scenarios/craftsperson.toml").unwrap();
    let f = Folder::new();
    std::fs::create_dir(f.path("s")).unwrap();
    f.write(
        "s/design.toml",
        format!("initial_pipeline = \"open.csv\"\n{design}"),
    );
    f.write("s/open.csv", open);
    f
}

#[test]
fn run_says_it_starts_from_the_pipeline_in_the_table_and_the_json() {
    let f = folder(OPEN);
    let table = String::from_utf8(f.ok(&["run", "s/design.toml", "--trials", "4", "-q"])).unwrap();
    assert!(
        table.contains(
            "starts from the open pipeline in s/open.csv: 3 open opportunities at time 0"
        ),
        "{table}"
    );
    let json: serde_json::Value = serde_json::from_slice(&f.ok(&[
        "run",
        "s/design.toml",
        "--trials",
        "4",
        "-q",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(json["initial_pipeline"]["file"], "s/open.csv");
    assert_eq!(json["initial_pipeline"]["open_opportunities"], 3);
}

#[test]
fn won_and_lost_rows_are_left_out_of_the_starting_state() {
    let with_outcome = "opportunity_id,stage,entered_at,outcome\nA,quote,2026-03-02,open\nB,close,2026-03-03,won\nC,close,2026-03-03,lost\n";
    let f = folder(with_outcome);
    f.ok(&[
        "compare",
        "s/design.toml",
        "s/design.toml",
        "--trials",
        "2",
        "-q",
        "--json",
        "c.json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&f.read("c.json")).unwrap();
    for s in json["scenarios"].as_array().unwrap() {
        assert_eq!(s["initial_pipeline"]["open_opportunities"], 1, "{s}");
    }
}

#[test]
fn an_unknown_stage_names_the_file_line_column_and_key() {
    let f =
        folder("opportunity_id,stage,entered_at\nA,quote,2026-03-02\nB,negotiation,2026-03-03\n");
    let err = f.bad(&["run", "s/design.toml", "--trials", "2", "-q"]);
    for part in [
        "s/design.toml",
        "initial_pipeline",
        "s/open.csv",
        "line 3",
        "column `stage`",
        "negotiation",
    ] {
        assert!(err.contains(part), "missing `{part}` in: {err}");
    }
}

#[test]
fn a_missing_file_or_column_is_exit_2_naming_the_key() {
    let f = folder("opportunity_id,stage\nA,quote\n");
    let err = f.bad(&["run", "s/design.toml", "--trials", "2", "-q"]);
    assert!(
        err.contains("initial_pipeline") && err.contains("entered_at"),
        "{err}"
    );
    std::fs::remove_file(f.path("s/open.csv")).unwrap();
    let err = f.bad(&["run", "s/design.toml", "--trials", "2", "-q"]);
    assert!(
        err.contains("initial_pipeline") && err.contains("s/open.csv"),
        "{err}"
    );
}

#[test]
fn a_scenario_without_the_key_says_nothing_of_a_pipeline() {
    let f = Folder::new();
    f.write(
        "d.toml",
        std::fs::read_to_string("scenarios/craftsperson.toml").unwrap(),
    );
    let json: serde_json::Value = serde_json::from_slice(
        &f.ok(&["run", "d.toml", "--trials", "2", "-q", "--format", "json"]),
    )
    .unwrap();
    assert!(json.get("initial_pipeline").is_none());
}

/// The plain pipeline above as a HubSpot deals export would head and name it.
const HUBSPOT: &str = "Record ID,Deal Stage,Date entered current stage,Deal owner,Amount
P-1,Presentation scheduled,2026-03-02,ann,12000
P-2,Contract sent,2026-03-03,bob,8000
P-3,Appointment scheduled,2026-03-04,ann,
P-3,Qualified to buy,2026-03-05,ann,
";

const HUBSPOT_MAP: &str = r#"initial_pipeline_map = { opportunity_id = "Record ID", stage = "Deal Stage", entered_at = "Date entered current stage", owner = "Deal owner", amount = "Amount", "stage:Appointment scheduled" = "qualify", "stage:Qualified to buy" = "discovery", "stage:Presentation scheduled" = "quote", "stage:Contract sent" = "close" }
"#;

/// The craftsperson design in `s/design.toml` with `head` before it, starting from
/// `s/open.csv` holding `open`.
fn folder_with(head: &str, open: &str) -> Folder {
    let f = folder(open);
    let design = std::fs::read_to_string("scenarios/craftsperson.toml").unwrap();
    f.write(
        "s/design.toml",
        format!("initial_pipeline = \"open.csv\"\n{head}{design}"),
    );
    f
}

fn starting_state(f: &Folder) -> Vec<salesim::scenario::OpenOpportunity> {
    let mut loaded = salesim::scenario::load_file(&f.path("s/design.toml"), &[]).unwrap();
    salesim::data::pipeline::attach_initial_pipeline(&mut loaded).unwrap();
    loaded.scenario.initial_pipeline
}

#[test]
fn an_export_with_other_headers_and_the_map_loads_the_same_opportunities() {
    let plain = starting_state(&folder(OPEN));
    let mapped = starting_state(&folder_with(HUBSPOT_MAP, HUBSPOT));
    assert_eq!(plain.len(), 3);
    assert_eq!(mapped, plain);
    // And a run from it says so, as from the plain file.
    let f = folder_with(HUBSPOT_MAP, HUBSPOT);
    let table = String::from_utf8(f.ok(&["run", "s/design.toml", "--trials", "2", "-q"])).unwrap();
    assert!(
        table.contains("starts from the open pipeline in s/open.csv: 3 open opportunities"),
        "{table}"
    );
}

#[test]
fn without_the_map_the_export_is_an_error_naming_the_missing_column() {
    let err = folder_with("", HUBSPOT).bad(&["run", "s/design.toml", "--trials", "2", "-q"]);
    for part in [
        "s/design.toml",
        "initial_pipeline",
        "s/open.csv",
        "opportunity_id",
    ] {
        assert!(err.contains(part), "missing `{part}` in: {err}");
    }
}

#[test]
fn a_bad_map_names_the_key_and_what_is_wrong() {
    // A column the reader does not know.
    let unknown = "initial_pipeline_map = { deal_name = \"Deal Name\" }\n";
    let err = folder_with(unknown, HUBSPOT).bad(&["run", "s/design.toml", "--trials", "2", "-q"]);
    for part in [
        "s/design.toml",
        "initial_pipeline_map",
        "deal_name",
        "unknown column",
    ] {
        assert!(err.contains(part), "missing `{part}` in: {err}");
    }
    // A mapped header the file lacks: the file, its header line and the column.
    let absent = "initial_pipeline_map = { opportunity_id = \"Record ID\", stage = \"Deal Stage\", entered_at = \"Entered\" }\n";
    let err = folder_with(absent, HUBSPOT).bad(&["run", "s/design.toml", "--trials", "2", "-q"]);
    for part in ["initial_pipeline", "s/open.csv", "Entered", "entered_at"] {
        assert!(err.contains(part), "missing `{part}` in: {err}");
    }
    // A stage value mapped to a step the funnel lacks.
    let step = "initial_pipeline_map = { \"stage:Contract sent\" = \"negotiation\" }\n";
    let err = folder_with(step, OPEN).bad(&["run", "s/design.toml", "--trials", "2", "-q"]);
    assert!(
        err.contains("initial_pipeline_map") && err.contains("negotiation"),
        "{err}"
    );
    // The map without the file it maps.
    let f = Folder::new();
    let design = std::fs::read_to_string("scenarios/craftsperson.toml").unwrap();
    f.write("d.toml", format!("{HUBSPOT_MAP}{design}"));
    let err = f.bad(&["run", "d.toml", "--trials", "2", "-q"]);
    assert!(
        err.contains("initial_pipeline_map") && err.contains("initial_pipeline"),
        "{err}"
    );
}

#[test]
fn a_change_may_not_set_the_starting_pipeline() {
    let f = folder(OPEN);
    let design = f.read_text("s/design.toml");
    for key in ["initial_pipeline", "initial_pipeline_map"] {
        f.write(
            "s/changed.toml",
            format!("{design}\n[[changes]]\nat_week = 20\nset = {{ \"{key}\" = \"other.csv\" }}\n"),
        );
        let err = f.bad(&["run", "s/changed.toml", "--trials", "2", "-q"]);
        assert!(
            err.contains(&format!("changes[0].set.\"{key}\"")) && err.contains("cannot change"),
            "{err}"
        );
    }
}
