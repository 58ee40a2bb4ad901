//! The opportunity-history reader: the shapes of real exports read with their `--map`,
//! every problem counted, and bad data named by file, line and column.

use std::path::Path;

use salesim::data::{Column, ColumnMap, History, HistoryError, Outcome, Problem, read_history};
use salesim::engine::WorkCalendar;

fn steps() -> Vec<String> {
    ["qualify", "discovery", "quote", "follow_up", "close"]
        .map(String::from)
        .to_vec()
}

fn read(path: &str, map: &[&str]) -> Result<History, HistoryError> {
    let map = ColumnMap::parse(&map.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
    read_history(Path::new(path), &steps(), &WorkCalendar::default(), &map)
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

const SALESFORCE_MAP: [&str; 10] = [
    "opportunity_id=Opportunity ID",
    "entered_at=Last Modified",
    "created_at=Created Date",
    "owner=Opportunity Owner",
    "source=Lead Source",
    "stage:Qualification=qualify",
    "stage:Needs Analysis=discovery",
    "stage:Proposal/Price Quote=quote",
    "stage:Negotiation/Review=follow_up",
    "stage:Verbal Commit=close",
];

#[test]
fn reads_a_salesforce_opportunity_history_report_with_its_map() {
    let h = read(
        "tests/data/salesforce_opportunity_history.csv",
        &SALESFORCE_MAP,
    )
    .unwrap();
    assert!(h.problems.is_empty(), "{:?}", h.problems.lines(&h.file));
    assert_eq!(h.opportunities.len(), 4);
    let acme = &h.opportunities[0];
    // Seven rows, one of them a change of amount in the same stage: five stages.
    assert_eq!(
        acme.entries.iter().map(|e| e.step).collect::<Vec<_>>(),
        [0, 1, 2, 3, 4]
    );
    assert_eq!(acme.outcome, Some(Outcome::Won));
    assert_eq!(acme.amount, Some(24000.0));
    assert_eq!(acme.owner.as_deref(), Some("Dana Reyes"));
    assert_eq!(acme.source.as_deref(), Some("Web"));
    // Created on Monday 5 January (a date alone: the middle of the day), won on
    // Thursday 29 January at 14:00: three weeks, three days and five hours of work.
    assert_eq!(acme.created_hours, Some(4.0));
    assert_eq!(acme.closed_hours, Some(3.0 * 40.0 + 3.0 * 8.0 + 5.0));
    let outcomes: Vec<_> = h.opportunities.iter().map(|o| o.outcome).collect();
    assert_eq!(
        outcomes,
        [
            Some(Outcome::Won),
            Some(Outcome::Lost),
            None,
            Some(Outcome::Lost)
        ]
    );
    assert!(!h.has(Column::Segment) && h.has(Column::Source));
}

#[test]
fn reads_a_hubspot_deals_export_with_its_map() {
    let h = read(
        "tests/data/hubspot_deals_export.csv",
        &[
            "opportunity_id=Record ID",
            "stage=Deal Stage",
            "entered_at=Date entered current stage",
            "created_at=Create Date",
            "closed_at=Close Date",
            "owner=Deal owner",
            "source=Original Source Type",
            "stage:Appointment scheduled=qualify",
            "stage:Qualified to buy=discovery",
            "stage:Presentation scheduled=quote",
            "stage:Decision maker bought-in=follow_up",
            "stage:Contract sent=close",
        ],
    )
    .unwrap();
    assert!(h.problems.is_empty(), "{:?}", h.problems.lines(&h.file));
    assert_eq!(h.opportunities.len(), 6);
    let steps: Vec<_> = h.opportunities.iter().map(|o| o.furthest_step()).collect();
    assert_eq!(steps, [None, None, Some(2), Some(0), Some(4), Some(1)]);
    assert_eq!(h.opportunities[0].outcome, Some(Outcome::Won));
    assert_eq!(h.opportunities[4].amount, Some(67000.0));
}

#[test]
fn counts_every_problem_of_a_messy_history_and_drops_none_silently() {
    let h = read("tests/data/messy_history.csv", &[]).unwrap();
    let p = &h.problems;
    assert_eq!(p.count(Problem::Duplicate), 2);
    assert_eq!(p.count(Problem::MissingDate), 2);
    assert_eq!(p.count(Problem::UnknownStage), 1);
    assert_eq!(p.count(Problem::OutOfOrder), 1);
    assert_eq!(
        p.examples(Problem::Duplicate),
        ["line 3 repeats line 2", "line 6 repeats line 5"]
    );
    assert_eq!(
        p.examples(Problem::UnknownStage),
        ["line 12: `prospecting`"]
    );
    let lines = p.lines(&h.file).join("\n");
    assert!(
        lines.contains("tests/data/messy_history.csv: 2 duplicates"),
        "{lines}"
    );
    assert!(lines.contains("`opp3` goes back"), "{lines}");
    // A row with no date still counts as reaching its stage.
    let opp2 = &h.opportunities[1];
    assert_eq!(opp2.furthest_step(), Some(4));
    assert_eq!(opp2.entries.len(), 4);
    assert!(h.opportunities[2].out_of_order);
}

#[test]
fn a_bad_date_names_the_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        &dir,
        "h.csv",
        "opportunity_id,stage,entered_at\na,qualify,2026-01-05\nb,qualify,05/01/2026\n",
    );
    let e = read(&f, &[]).unwrap_err().to_string();
    assert!(
        e.starts_with(&format!(
            "{f}: line 3, column `entered_at`: `05/01/2026` is not an ISO 8601"
        )),
        "{e}"
    );
}

#[test]
fn a_mapped_column_is_named_with_the_column_it_stands_for() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "h.csv", "Id,stage,Changed\na,qualify,2026-02-30\n");
    let e = read(&f, &["opportunity_id=Id", "entered_at=Changed"])
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with(&format!("{f}: line 2, column `Changed` (for entered_at):")),
        "{e}"
    );
}

#[test]
fn a_missing_column_says_which_headers_there_are_and_how_to_map_one() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "h.csv", "Id,stage,entered_at\na,qualify,2026-01-05\n");
    let e = read(&f, &[]).unwrap_err().to_string();
    assert!(
        e.contains(&format!("{f}: line 1: no column `opportunity_id`")),
        "{e}"
    );
    assert!(
        e.contains("Id, stage, entered_at") && e.contains("--map opportunity_id=HEADER"),
        "{e}"
    );
    let e = read(&f, &["opportunity_id=Deal"]).unwrap_err().to_string();
    assert!(e.contains("no column `Deal` (for `opportunity_id`)"), "{e}");
}

#[test]
fn bad_amounts_outcomes_and_ids_are_errors_at_their_cell() {
    let dir = tempfile::tempdir().unwrap();
    let head = "opportunity_id,stage,entered_at,amount,outcome\n";
    let cases = [
        (
            "a,qualify,2026-01-05,ten,\n",
            "line 2, column `amount`: `ten` is not an amount",
        ),
        (
            "a,qualify,2026-01-05,-5,\n",
            "line 2, column `amount`: `-5` is not an amount",
        ),
        (
            "a,qualify,2026-01-05,5,maybe\n",
            "line 2, column `outcome`: `maybe` is not an outcome",
        ),
        (
            ",qualify,2026-01-05,5,won\n",
            "line 2, column `opportunity_id`: empty",
        ),
        (
            "a,qualify,2026-01-05\n",
            "line 2: 3 cells where the headers have 5",
        ),
    ];
    for (row, expected) in cases {
        let f = write(&dir, "h.csv", &format!("{head}{row}"));
        let e = read(&f, &[]).unwrap_err().to_string();
        assert!(e.starts_with(&format!("{f}: {expected}")), "{row}: {e}");
    }
}

#[test]
fn an_empty_file_or_a_stage_map_to_no_step_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "h.csv", "opportunity_id,stage,entered_at\n");
    assert!(read(&f, &[]).unwrap_err().to_string().contains("no rows"));
    let f = write(
        &dir,
        "h.csv",
        "opportunity_id,stage,entered_at\na,x,2026-01-05\n",
    );
    let e = read(&f, &["stage:x=negotiate"]).unwrap_err().to_string();
    assert!(e.contains("the funnel has no step `negotiate`"), "{e}");
    assert!(
        read("tests/data/no_such_file.csv", &[])
            .unwrap_err()
            .to_string()
            .contains("cannot read")
    );
}

#[test]
fn a_traced_history_reads_back_with_the_trial_s_own_counts() {
    let loaded = salesim::scenario::load_file(
        Path::new("scenarios/craftsperson.toml"),
        &[
            salesim::scenario::Override::parse("horizon_weeks=12").unwrap(),
            salesim::scenario::Override::parse("warmup_weeks=4").unwrap(),
        ],
    )
    .unwrap();
    let s = &loaded.scenario;
    let (output, trace) = salesim::model::simulate_traced(s, 3, 0);
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("h.csv");
    std::fs::write(&f, salesim::report::render_history_csv(s, &trace)).unwrap();
    let steps: Vec<String> = s.funnel.iter().map(|f| f.name.clone()).collect();
    let h = read_history(&f, &steps, &s.calendar, &ColumnMap::default()).unwrap();
    assert!(h.problems.is_empty(), "{:?}", h.problems.lines(&h.file));
    let c = output.conservation;
    let count = |o: Outcome| {
        h.opportunities
            .iter()
            .filter(|x| x.outcome == Some(o))
            .count() as u64
    };
    assert_eq!(h.opportunities.len() as u64, c.created);
    assert_eq!(count(Outcome::Won), c.won);
    assert_eq!(count(Outcome::Lost), c.lost + c.cold);
    assert_eq!(count(Outcome::Open), c.open);
    // Times come back on the working clock to the second.
    let marks = salesim::report::stage_marks(s, &trace);
    assert_eq!(marks.len(), h.opportunities.len());
    for (o, stages) in h.opportunities.iter().zip(&marks) {
        assert_eq!(o.entries.len(), stages.len());
        for (e, mark) in o.entries.iter().zip(stages) {
            assert_eq!(e.step, mark.step);
            assert!((e.entered_hours.unwrap() - mark.at_hours).abs() < 1.0 / 3600.0);
        }
    }
}

#[test]
fn the_shipped_history_is_what_trace_writes() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("h.csv");
    assert_cmd::Command::cargo_bin("salesim")
        .unwrap()
        .args([
            "trace",
            "scenarios/craftsperson.toml",
            "--set",
            "horizon_weeks=52",
            "--history",
        ])
        .arg(&f)
        .assert()
        .success()
        .stdout("");
    let shipped = std::fs::read("scenarios/data/craftsperson_history.csv").unwrap();
    assert!(
        std::fs::read(&f).unwrap() == shipped,
        "regenerate scenarios/data/craftsperson_history.csv"
    );
}

#[test]
fn the_messy_copy_reads_with_its_map_and_every_problem_counted() {
    let h = read(
        "scenarios/data/craftsperson_history_messy.csv",
        &[
            "opportunity_id=Opportunity ID",
            "entered_at=Stage Entered",
            "created_at=Created Date",
            "owner=Opportunity Owner",
            "closed_at=Close Date",
            "source=Lead Source",
        ],
    )
    .unwrap();
    let p = &h.problems;
    let counts = Problem::ALL.map(|k| p.count(k));
    assert_eq!(counts, [10, 1, 8, 4], "{:?}", p.lines(&h.file));
    assert!(h.opportunities[0].out_of_order);
}
