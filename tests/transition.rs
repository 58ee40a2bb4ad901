//! `transition`: the two exact equalities of the method (BEFORE and AFTER the same file
//! is staying, exactly; every office switching at week 0 with no ramp is AFTER alone,
//! bit for bit), a switch at week w leaves weeks before w identical to staying, the two
//! parts together create exactly the leads staying creates (one market), and bad plans
//! exit 2 naming what is wrong.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use assert_cmd::Command;
use salesim::experiment::transition::{self, SwitchPlan, TransitionSpec, parts, trial_series};
use salesim::model::simulate;
use salesim::scenario::{Override, Scenario, load_file};

const BEFORE: &str = "scenarios/distributor_before.toml";
const AFTER: &str = "scenarios/distributor_after.toml";
const TRIALS: u64 = 6;

fn load(path: &str, set: &[&str]) -> Scenario {
    let overrides: Vec<Override> = set.iter().map(|s| Override::parse(s).unwrap()).collect();
    load_file(Path::new(path), &overrides).unwrap().scenario
}

fn plan(spec: &str, s: &Scenario) -> SwitchPlan {
    SwitchPlan::parse("p", spec, s).unwrap()
}

fn margin(s: &Scenario) -> bool {
    s.segments.every_margin_known()
}

/// The transition's weekly series of one trial: the two parts added.
fn transition_series(b: &Scenario, a: &Scenario, trial: u64) -> Vec<Vec<f64>> {
    let (mb, ma) = (margin(b), margin(a));
    let mut total = trial_series(&simulate(b, 1, trial), mb);
    for (t, p) in total
        .iter_mut()
        .zip(trial_series(&simulate(a, 1, trial), ma))
    {
        for (x, y) in t.iter_mut().zip(p) {
            *x += y;
        }
    }
    total
}

#[test]
fn the_same_design_on_both_sides_is_staying_exactly() {
    let before = load(BEFORE, &[]);
    let after = load(BEFORE, &[]);
    let spec = TransitionSpec {
        plans: vec![plan("all=20", &after)],
        wind_down_weeks: 13.0,
        trials: TRIALS,
        seed: 1,
    };
    let r = transition::run(&before, &after, &spec, &|| {}, &AtomicBool::new(false)).unwrap();
    assert!(r.same_design);
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("the two designs are the same: nothing to move"))
    );
    for s in &r.plans[0].series {
        assert_eq!(s.transition, s.staying, "{}", s.metric);
        assert!(s.difference.iter().all(|d| d.mean == 0.0), "{}", s.metric);
    }
    assert!(r.plans[0].cumulative.iter().all(|c| c.mean == 0.0));
    assert_eq!(r.plans[0].payback.week, None);
    // A changed design is not taken for the same one.
    let other = load(BEFORE, &["roles.rep.headcount=5"]);
    assert!(!transition::same_design(&before, &other));
}

#[test]
fn every_office_switching_at_week_zero_is_after_alone_bit_for_bit() {
    let before = load(BEFORE, &[]);
    let after = load(AFTER, &[]);
    let (b, a) = parts(&before, &after, &plan("all=0", &after), 13.0);
    for trial in 0..TRIALS {
        let alone = trial_series(&simulate(&after, 1, trial), margin(&after));
        let both = transition_series(&b, &a, trial);
        for (m, (x, y)) in both.iter().zip(&alone).enumerate() {
            let bits = |v: &Vec<f64>| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(
                bits(x),
                bits(y),
                "trial {trial}, {}",
                transition::METRICS[m]
            );
        }
        let before_part = trial_series(&simulate(&b, 1, trial), margin(&b));
        for (m, s) in before_part.iter().enumerate() {
            assert!(
                s.iter().all(|v| *v == 0.0),
                "the before part has {} at week 0",
                transition::METRICS[m]
            );
        }
    }
}

#[test]
fn weeks_before_the_first_switch_are_staying_exactly() {
    let before = load(BEFORE, &[]);
    let after = load(AFTER, &[]);
    for (spec, first) in [("all=20", 20), ("north=30,central=25,south=40", 25)] {
        let (b, a) = parts(&before, &after, &plan(spec, &after), 13.0);
        let mut differs_later = false;
        for trial in 0..TRIALS {
            let stay = trial_series(&simulate(&before, 1, trial), margin(&before));
            let both = transition_series(&b, &a, trial);
            for (m, (x, y)) in both.iter().zip(&stay).enumerate() {
                assert_eq!(
                    x[..first],
                    y[..first],
                    "{spec}, trial {trial}, {}",
                    transition::METRICS[m]
                );
                differs_later |= x[first..] != y[first..];
            }
        }
        // The test can fail: after the switch the designs do differ.
        assert!(differs_later, "{spec}: nothing changed after the switch");
    }
}

#[test]
fn the_two_parts_create_exactly_the_leads_of_staying() {
    // Inbound leads only (the promotions person does not prospect), so that every lead
    // is drawn from the one market: the parts split it, office by office.
    let set = ["lead_sources.1.max_hours_per_week=0"];
    let before = load(BEFORE, &set);
    let after = load(AFTER, &set);
    for spec in ["all=20", "north=20,central=33,south=46", "all=0"] {
        let (b, a) = parts(&before, &after, &plan(spec, &after), 13.0);
        for trial in 0..TRIALS {
            let stay = simulate(&before, 1, trial).conservation.created;
            let cb = simulate(&b, 1, trial).conservation.created;
            let ca = simulate(&a, 1, trial).conservation.created;
            assert_eq!(cb + ca, stay, "{spec}, trial {trial}: {cb} + {ca}");
            if spec != "all=0" {
                assert!(cb > 0 && ca > 0, "{spec}: both parts take leads");
            }
        }
    }
}

fn cli(args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("salesim")
        .unwrap()
        .args(["transition", BEFORE, AFTER, "--trials", "2", "-q"])
        .args(args)
        .assert()
}

fn stderr_of(args: &[&str]) -> String {
    let out = cli(args).code(2).get_output().stderr.clone();
    String::from_utf8(out).unwrap()
}

/// A file that leaves the warm-up to salesim (`"auto"`, the default) is the same design
/// on both sides too: only BEFORE's warm-up is looked for, and it must not make the two
/// differ (it did: the transition then ran both parts and was not staying).
#[test]
fn the_same_file_with_an_automatic_warm_up_is_staying_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("desk.toml");
    std::fs::write(
        &file,
        r#"name = "desk"
[[lead_sources]]
kind = "inbound"
rate_per_week = 32.0
[roles.engineering]
headcount = 4
annual_cost = 120000
[[funnel]]
name = "quote"
role = "engineering"
routing = "pool"
duration = { dist = "exponential", mean = 3.0 }
advance = 1.0
"#,
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let out = Command::cargo_bin("salesim")
        .unwrap()
        .args(["transition", f, f, "--switch", "all=10", "--trials", "3"])
        .args(["--format", "csv", "-q"])
        .assert()
        .success()
        .get_output()
        .clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("nothing to move"), "{stderr}");
    let csv = String::from_utf8(out.stdout).unwrap();
    let differences: Vec<&str> = csv
        .lines()
        .filter(|l| {
            l.contains(",difference_") || l.contains(",cumulative_contribution_difference,")
        })
        .collect();
    assert_eq!(differences.len(), 52 * 6 * 3 + 52 * 3, "{csv}");
    for line in differences {
        assert!(line.ends_with(",0"), "{line}");
    }
}

#[test]
fn bad_plans_exit_2_naming_what_is_wrong() {
    let e = stderr_of(&["--switch", "east=10,north=10,central=10,south=10"]);
    assert!(
        e.contains("unknown office \"east\"") && e.contains("north"),
        "{e}"
    );
    let e = stderr_of(&["--switch", "north=10,central=12"]);
    assert!(e.contains("no switch week for office south"), "{e}");
    let e = stderr_of(&["--switch", "all"]);
    assert!(e.contains("not OFFICE=WEEK"), "{e}");
    let e = stderr_of(&["--switch", "all=ten"]);
    assert!(e.contains("not a whole number"), "{e}");
    let e = stderr_of(&["--switch", "all=68"]);
    assert!(e.contains("outside the horizon"), "{e}");
    let e = stderr_of(&["--switch", "north=10,north=12,central=12,south=14"]);
    assert!(e.contains("office \"north\" is given twice"), "{e}");
    let e = stderr_of(&["--switch", "north=10,all=12"]);
    assert!(e.contains("must come first and once"), "{e}");
    // `all` first, then the offices that differ, is a plan.
    cli(&["--switch", "all=12,north=20"]).success();
    let e = stderr_of(&["--plan", "a=all:10", "--plan", "a=all:20"]);
    assert!(e.contains("used twice"), "{e}");
    let e = stderr_of(&[]);
    assert!(e.contains("--switch SPEC"), "{e}");
}

#[test]
fn every_output_shape_is_written() {
    let run = |format: &str| {
        let out = cli(&["--plan", "rollout=all:20", "--format", format])
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let table = run("table");
    assert!(
        table.contains("Plan rollout") && table.contains("Payback"),
        "{table}"
    );
    let csv = run("csv");
    assert!(csv.starts_with("plan,week,metric,statistic,value\n"));
    assert!(csv.contains("rollout,,payback_week,mean_curve,"));
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json["plans"][0]["name"], "rollout");
    assert_eq!(json["plans"][0]["switch_weeks"][0], 20);
}

#[test]
fn set_after_moves_the_after_design_only() {
    const RAMPED: &str = "scenarios/transition/distributor_after_ramp.toml";
    let run = |extra: &[&str]| {
        Command::cargo_bin("salesim")
            .unwrap()
            .args(["transition", BEFORE, RAMPED, "--trials", "2", "-q"])
            .args(["--plan", "rollout=all:20", "--format", "csv"])
            .args(extra)
            .assert()
    };
    let csv = |extra: &[&str]| {
        String::from_utf8(run(extra).success().get_output().stdout.clone()).unwrap()
    };
    // A slower ramp for the people the move brings in changes the transition...
    let base = csv(&[]);
    let slower = csv(&["--set-after", "roles.inside.people.ramp.start=0.1"]);
    assert_ne!(base, slower, "--set-after did not reach the after design");
    // ...and the same key, which only the after file has, cannot be set on the before one.
    let out = run(&["--set-before", "roles.inside.people.ramp.start=0.1"]).code(2);
    let e = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        e.contains("distributor_before.toml") && e.contains("roles.inside"),
        "{e}"
    );
}
