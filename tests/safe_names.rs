//! Names are safe and inputs are bounded (issue 13, parts 5, 7 and 8): names that become
//! keys and metric names are identifiers, user text cannot inject formulas into CSV or
//! control characters into the terminal, and oversized inputs are refused up front with
//! the cap. Line numbers refer to [`DESK`] (`headcount` on line 10, the step's `role` on
//! line 15).

mod common;

use common::scenarios::DESK;
use common::{Folder, text};

/// `salesim validate bad.toml` on `text`, expecting exit 2; returns standard error.
fn refused(text: &str) -> String {
    Folder::holding("bad.toml", text).bad(&["validate", "bad.toml"])
}

fn desk_with(from: &str, to: &str) -> String {
    assert!(DESK.contains(from), "DESK has no `{from}`");
    DESK.replacen(from, to, 1)
}

#[test]
fn a_role_name_with_a_dot_is_refused_at_its_table() {
    let err = refused(&desk_with("[roles.desk]", "[roles.\"desk.a\"]"));
    assert!(
        err.contains("bad.toml:9:8: roles.\"desk.a\": role name:")
            && err.contains("found `.`")
            && err.contains("ambiguous"),
        "{err}"
    );
}

#[test]
fn an_empty_role_name_is_refused() {
    let err = refused(&desk_with("[roles.desk]", "[roles.\"\"]"));
    assert!(
        err.contains("bad.toml:9:8: roles.\"\": role name: an empty name is not allowed"),
        "{err}"
    );
}

#[test]
fn a_step_name_with_a_space_is_refused_at_its_key() {
    let err = refused(&desk_with("name = \"serve\"", "name = \"serve it\""));
    assert!(
        err.contains("bad.toml:14:1: funnel.0.name: step name: \"serve it\" may contain only letters, digits, `_` and `-`; found ' ' (U+0020)"),
        "{err}"
    );
}

#[test]
fn a_step_name_with_an_escape_is_refused_without_echoing_it() {
    let err = refused(&desk_with("name = \"serve\"", "name = \"se\\u001b[2Jrve\""));
    assert!(
        err.contains("funnel.0.name") && err.contains("U+001B"),
        "{err}"
    );
    assert!(!err.contains('\u{1b}'), "{err:?}");
}

#[test]
fn a_role_name_over_64_characters_is_refused() {
    let long = "r".repeat(65);
    let err = refused(&desk_with("[roles.desk]", &format!("[roles.{long}]")));
    assert!(
        err.contains("the name is 65 characters long; at most 64"),
        "{err}"
    );
}

#[test]
fn a_scenario_name_over_200_characters_is_refused() {
    let err = refused(&desk_with(
        "name = \"desk\"",
        &format!("name = \"{}\"", "n".repeat(201)),
    ));
    assert!(
        err.contains("bad.toml:1:1: name: the scenario name is 201 characters long; at most 200"),
        "{err}"
    );
}

#[test]
fn control_characters_in_the_scenario_name_stay_off_the_terminal() {
    let f = Folder::holding(
        "desk.toml",
        &desk_with("name = \"desk\"", "name = \"de\\u001b[2J\\rsk\""),
    );
    let table = text(&f.ok(&["run", "desk.toml", "--trials", "2", "--quiet"]));
    assert!(table.starts_with("de?[2J?sk (desk.toml)"), "{table:?}");
    let ok = text(&f.ok(&["validate", "desk.toml"]));
    assert_eq!(ok, "ok: desk.toml (de?[2J?sk)\n");
}

#[test]
fn a_formula_in_the_scenario_name_is_neutralised_in_the_csv() {
    let f = Folder::holding(
        "desk.toml",
        &desk_with("name = \"desk\"", "name = \"=HYPERLINK(1)\""),
    );
    f.ok(&[
        "run",
        "desk.toml",
        "--trials",
        "2",
        "--quiet",
        "--format",
        "csv",
        "--out",
        "out.csv",
    ]);
    let csv = f.read_text("out.csv");
    let row = csv.lines().nth(1).unwrap();
    assert!(row.starts_with("'=HYPERLINK(1),"), "{row}");
    assert!(!csv.contains("\n=HYPERLINK"), "{csv}");
}

#[test]
fn sweep_csv_quotes_formula_values() {
    let f = Folder::with_desk();
    f.ok(&[
        "sweep",
        "desk.toml",
        "--vary",
        "name=-x,@SUM(A1)",
        "--trials",
        "2",
        "--out",
        "sweep.csv",
        "--quiet",
    ]);
    let csv = f.read_text("sweep.csv");
    assert!(csv.lines().any(|l| l.starts_with("0,'-x,")), "{csv}");
    assert!(csv.lines().any(|l| l.starts_with("1,'@SUM(A1),")), "{csv}");
    // Value cells are numbers as computed, never quoted.
    assert!(!csv.lines().skip(1).any(|l| l.contains(",'0")), "{csv}");
}

#[test]
fn trace_csv_quotes_a_person_whose_role_starts_with_a_dash() {
    let scenario = DESK
        .replace("[roles.desk]", "[roles.-desk]")
        .replace("role = \"desk\"", "role = \"-desk\"");
    let f = Folder::holding("desk.toml", &scenario);
    f.ok(&["trace", "desk.toml", "--out", "t.csv"]);
    let csv = f.read_text("t.csv");
    assert!(csv.contains(",'-desk#1,"), "{csv}");
    assert!(!csv.contains(",-desk#"), "{csv}");
}

#[test]
fn a_scenario_file_over_one_mebibyte_is_refused_unread() {
    let f = Folder::new();
    let mut big = DESK.to_string();
    big.push_str(&format!("# {}\n", "x".repeat(1024 * 1024)));
    f.write("big.toml", big);
    let err = f.bad(&["validate", "big.toml"]);
    assert!(
        err.contains("big.toml: the file is larger than 1048576 bytes (1 MiB)"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn dev_zero_as_a_scenario_is_refused_without_filling_memory() {
    let err = Folder::new().bad(&["validate", "/dev/zero"]);
    assert!(err.contains("/dev/zero: the file is larger than"), "{err}");
}

/// An export read without a limit would grow until the machine kills the process.
#[cfg(unix)]
#[test]
fn dev_zero_as_an_export_is_refused_without_filling_memory() {
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/craftsperson.toml");
    let err = Folder::new().bad(&["forecast", scenario, "--pipeline", "/dev/zero"]);
    assert!(
        err.contains("/dev/zero: the file is larger than 1073741824 bytes (1 GiB)"),
        "{err}"
    );
}

#[test]
fn more_than_100000_people_in_all_are_refused() {
    let mut text = DESK.replace("headcount = 2", "headcount = 60000");
    text.push_str("\n[roles.more]\nheadcount = 50000\n");
    let err = refused(&text);
    assert!(
        err.contains("roles: the roles have 110000 people in all; at most 100000"),
        "{err}"
    );
}

#[test]
fn a_grid_over_10000_points_is_refused_before_anything_runs() {
    let err = Folder::with_desk().bad(&[
        "sweep",
        "desk.toml",
        "--vary",
        "roles.desk.headcount=1..=1000",
        "--vary",
        "horizon_weeks=1..=1000",
        "--vary",
        "warmup_weeks=0..=1000",
        "--quiet",
    ]);
    assert!(
        err.contains("--vary: the grid has 1001000000 points (1000 x 1000 x 1001); at most 10000"),
        "{err}"
    );
}

#[test]
fn one_path_varied_twice_is_refused() {
    let err = Folder::with_desk().bad(&[
        "sweep",
        "desk.toml",
        "--vary",
        "roles.desk.headcount=1,2",
        "--vary",
        "roles.desk.headcount=3",
        "--quiet",
    ]);
    assert!(
        err.contains("`roles.desk.headcount` is varied twice"),
        "{err}"
    );
}

#[test]
fn a_path_given_to_both_set_and_vary_is_refused() {
    let err = Folder::with_desk().bad(&[
        "sweep",
        "desk.toml",
        "--set",
        "roles.desk.headcount=5",
        "--vary",
        "roles.desk.headcount=1,2",
        "--quiet",
    ]);
    assert!(err.contains("both --set and --vary"), "{err}");
}

#[test]
fn an_annual_cost_of_1e308_is_refused_not_turned_into_n_a() {
    let err = refused(&desk_with("annual_cost = 100000", "annual_cost = 1e308"));
    assert!(
        err.contains(
            "bad.toml:11:1: roles.desk.annual_cost: must be at most 1e9 a year (got 1e308)"
        ),
        "{err}"
    );
}

#[test]
fn a_working_day_of_a_trillionth_of_an_hour_is_refused() {
    let err = refused(&format!("{DESK}\n[calendar]\nhours_per_day = 1e-12\n"));
    assert!(
        err.contains("calendar.hours_per_day: must be at least 0.5 working hours"),
        "{err}"
    );
}

#[test]
fn two_and_a_half_days_a_week_is_refused() {
    let err = refused(&format!("{DESK}\n[calendar]\ndays_per_week = 2.5\n"));
    assert!(
        err.contains("bad.toml:21:1: calendar.days_per_week: must be a whole number of days from 1 to 7 (got 2.5)"),
        "{err}"
    );
}

#[test]
fn keys_nested_100000_deep_say_the_nesting_is_too_deep() {
    let deep = format!("x = {}1{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let err = refused(&deep);
    assert!(
        err.starts_with("error: bad.toml:1:") && err.contains("nested too deeply"),
        "{err}"
    );
}

#[test]
fn a_set_that_adds_a_key_does_not_shift_later_line_numbers() {
    let f = Folder::holding("bad.toml", &desk_with("role = \"desk\"", "role = \"dsk\""));
    let plain = f.bad(&["validate", "bad.toml"]);
    assert!(plain.contains("bad.toml:15:1: funnel.0.role"), "{plain}");
    let err = f.bad(&[
        "run",
        "bad.toml",
        "--set",
        "roles.desk.switch_cost_minutes=5",
        "--quiet",
    ]);
    assert!(err.contains("bad.toml:15:1: funnel.0.role"), "{err}");
}
