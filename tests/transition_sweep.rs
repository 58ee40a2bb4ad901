//! `sweep BEFORE --transition AFTER`: BEFORE and AFTER the same file give zero
//! difference at every switch week; each row is the `transition` command's figures for
//! the same parameters (the two programs' outputs compared); a strictly better AFTER
//! gains less the later it is switched to (monotone); bad PATHs and flags exit 2
//! naming them.

use std::collections::HashMap;

use assert_cmd::Command;

const BEFORE: &str = "scenarios/distributor_before.toml";
const RAMPED: &str = "scenarios/transition/distributor_after_ramp.toml";
const TRIALS: &str = "3";

fn salesim(args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("salesim").unwrap().args(args).assert()
}

/// The sweep's CSV on standard output (`--out -`), as rows of header -> cell.
fn sweep_rows(after: &str, args: &[&str]) -> Vec<HashMap<String, String>> {
    let base = ["sweep", BEFORE, "--transition", after, "--trials", TRIALS];
    let all = [&base[..], &["-q", "--out", "-"], args].concat();
    let out = salesim(&all).success().get_output().stdout.clone();
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}

fn number(row: &HashMap<String, String>, column: &str) -> f64 {
    row[column]
        .parse()
        .unwrap_or_else(|_| panic!("{column} = {:?}", row[column]))
}

#[test]
fn the_same_file_on_both_sides_gives_zero_difference_at_every_point() {
    let rows = sweep_rows(BEFORE, &["--vary", "switch.all=13,26,39"]);
    assert_eq!(rows.len(), 3);
    for row in &rows {
        assert_eq!(
            number(row, "cumulative_contribution_difference_mean"),
            0.0,
            "{row:?}"
        );
        assert_eq!(number(row, "dip_depth"), 0.0, "{row:?}");
        assert_eq!(row["payback_week"], "", "{row:?}");
        assert_eq!(
            row["payback"], "does not pay back within the horizon",
            "{row:?}"
        );
    }
}

/// The `transition` command's CSV as (week, metric, statistic) -> value.
fn transition_figures(args: &[&str]) -> HashMap<(String, String, String), String> {
    let base = ["transition", BEFORE, RAMPED, "--trials", TRIALS, "-q"];
    let all = [&base[..], &["--format", "csv"], args].concat();
    let out = salesim(&all).success().get_output().stdout.clone();
    let mut reader = csv::Reader::from_reader(out.as_slice());
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            ((r[1].into(), r[2].into(), r[3].into()), r[4].into())
        })
        .collect()
}

#[test]
fn each_row_is_the_transition_commands_figures_for_its_parameters() {
    let rows = sweep_rows(
        RAMPED,
        &[
            "--plan",
            "p=all:26",
            "--wind-down-weeks",
            "8",
            "--vary",
            "after.roles.inside.people.ramp.weeks=2,12",
            "--vary",
            "switch.north=20,30",
        ],
    );
    assert_eq!(rows.len(), 4);
    let mut horizons = Vec::new();
    for row in &rows {
        let ramp = &row["after.roles.inside.people.ramp.weeks"];
        let north = &row["switch.north"];
        let t = transition_figures(&[
            "--switch",
            &format!("north={north},central=26,south=26"),
            "--wind-down-weeks",
            "8",
            "--set-after",
            &format!("roles.inside.people.ramp.weeks={ram}", ram = ramp),
        ]);
        let summary = |metric: &str, statistic: &str| {
            t[&(String::new(), metric.to_string(), statistic.to_string())].clone()
        };
        let last = (0..200)
            .rev()
            .map(|w| w.to_string())
            .find(|w| {
                t.contains_key(&(
                    w.clone(),
                    "cumulative_contribution_difference".into(),
                    "mean".into(),
                ))
            })
            .unwrap();
        let horizon = |statistic: &str| {
            t[&(
                last.clone(),
                "cumulative_contribution_difference".to_string(),
                statistic.to_string(),
            )]
                .clone()
        };
        let pairs = [
            ("payback_week", summary("payback_week", "mean_curve")),
            (
                "payback_week_band_upper_edge",
                summary("payback_week", "band_upper_edge"),
            ),
            (
                "payback_week_band_lower_edge",
                summary("payback_week", "band_lower_edge"),
            ),
            ("dip_depth", summary("dip", "depth")),
            ("dip_week", summary("dip", "week")),
            ("dip_ci95_low", summary("dip", "ci95_low")),
            ("dip_ci95_high", summary("dip", "ci95_high")),
            (
                "lost_to_transition_mean",
                summary("lost_to_transition", "mean"),
            ),
            ("cumulative_contribution_difference_mean", horizon("mean")),
            (
                "cumulative_contribution_difference_ci95_low",
                horizon("ci95_low"),
            ),
            (
                "cumulative_contribution_difference_ci95_high",
                horizon("ci95_high"),
            ),
        ];
        for (column, expected) in pairs {
            assert_eq!(
                row[column], expected,
                "{column} at ramp {ramp}, north {north}"
            );
        }
        assert_eq!(row["wind_down_weeks"], "8");
        horizons.push(row["cumulative_contribution_difference_mean"].clone());
    }
    // The test can fail: the points do differ from one another.
    horizons.dedup();
    assert!(horizons.len() > 1, "every point gave {horizons:?}");
}

#[test]
fn a_strictly_better_after_gains_less_the_later_it_is_switched_to() {
    // AFTER is BEFORE with deals worth twice as much: switching sooner earns more.
    let rows = sweep_rows(
        BEFORE,
        &[
            "--set-after",
            "deals.value.mean=50000",
            "--vary",
            "switch.all=10,25,40,55",
        ],
    );
    let gains: Vec<f64> = rows
        .iter()
        .map(|r| number(r, "cumulative_contribution_difference_mean"))
        .collect();
    assert_eq!(gains.len(), 4);
    assert!(gains[3] > 0.0, "{gains:?}");
    assert!(gains.windows(2).all(|w| w[0] > w[1]), "{gains:?}");
}

fn refused(args: &[&str]) -> String {
    let base = [
        "sweep",
        BEFORE,
        "--transition",
        RAMPED,
        "--trials",
        "2",
        "-q",
    ];
    let out = salesim(&[&base[..], args].concat()).code(2);
    String::from_utf8(out.get_output().stderr.clone()).unwrap()
}

#[test]
fn bad_paths_and_flags_exit_2_naming_them() {
    let at20 = ["--switch", "all=20"];
    let e = refused(
        &[
            &at20[..],
            &["--vary", "aftr.roles.inside.people.ramp.weeks=4"],
        ]
        .concat(),
    );
    assert!(
        e.contains("--vary") && e.contains("aftr") && e.contains("after.KEY"),
        "{e}"
    );
    let e = refused(&[&at20[..], &["--vary", "after=4"]].concat());
    assert!(e.contains("--vary `after`"), "{e}");
    let e = refused(&[&at20[..], &["--vary", "switch.east=4"]].concat());
    assert!(
        e.contains("switch.east") && e.contains("no office \"east\"") && e.contains("north"),
        "{e}"
    );
    let e = refused(&[&at20[..], &["--vary", "after.roles.nosuch.headcount=1,2"]].concat());
    assert!(
        e.contains("distributor_after_ramp.toml") && e.contains("roles.nosuch"),
        "{e}"
    );
    // A key only AFTER has cannot be varied on BEFORE.
    let e = refused(
        &[
            &at20[..],
            &["--vary", "before.roles.inside.people.ramp.weeks=3"],
        ]
        .concat(),
    );
    assert!(
        e.contains("distributor_before.toml") && e.contains("roles.inside"),
        "{e}"
    );
    let e = refused(&[&at20[..], &["--vary", "switch.all=99"]].concat());
    assert!(e.contains("outside the horizon"), "{e}");
    let e = refused(&["--vary", "switch.north=20"]);
    assert!(e.contains("--switch SPEC"), "{e}");
    for flag in [
        &["--shard", "0/2"][..],
        &["--report", "r.html"],
        &["--format", "json"],
    ] {
        let e = refused(&[&at20[..], &["--vary", "switch.all=20"], flag].concat());
        assert!(
            e.contains(flag[0]) && e.contains("not supported with --transition"),
            "{e}"
        );
    }
    // The transition's own flags need --transition.
    let out = salesim(&[
        "sweep",
        BEFORE,
        "--vary",
        "roles.rep.headcount=3",
        "--set-after",
        "a=1",
    ])
    .code(2);
    let e = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(e.contains("--transition"), "{e}");
}
