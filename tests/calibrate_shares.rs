//! `calibrate` recovers the office and segment shares that made a history: the
//! distributor's office shares fall inside their 95% intervals at about the stated rate
//! over seeds, a segment's share is its count over the opportunities that name a
//! segment, and offices or segments the template lacks are named, not fitted.

use std::path::Path;

use assert_cmd::Command;
use salesim::data::{ColumnMap, History, read_history};
use salesim::experiment::calibrate::{Calibration, calibrate};
use salesim::scenario::{Scenario, load_file};

const TEMPLATE: &str = "scenarios/distributor_before.toml";

fn scenario(path: &Path) -> Scenario {
    load_file(path, &[]).unwrap().scenario
}

/// The trace history of one trial of `s`, as `trace --history` writes it.
fn history_text(s: &Scenario, seed: u64) -> String {
    let (_, trace) = salesim::model::simulate_traced(s, seed, 0);
    String::from_utf8(salesim::report::render_history_csv(s, &trace)).unwrap()
}

fn read(s: &Scenario, text: &str) -> History {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("history.csv");
    std::fs::write(&file, text).unwrap();
    let steps: Vec<String> = s.funnel.iter().map(|f| f.name.clone()).collect();
    read_history(&file, &steps, &s.calendar, &ColumnMap::default()).unwrap()
}

fn fitted<'a>(c: &'a Calibration, key: &str) -> &'a salesim::experiment::calibrate::Fitted {
    c.fitted
        .iter()
        .find(|f| f.key == key)
        .unwrap_or_else(|| panic!("{key} not fitted: {:?}", c.not_identified))
}

fn value(f: &salesim::experiment::calibrate::Fitted) -> f64 {
    match f.value {
        salesim::experiment::calibrate::FittedValue::Number(x) => x,
        ref v => panic!("{}: not a number: {v:?}", f.key),
    }
}

#[test]
fn the_office_shares_intervals_cover_the_true_shares_over_seeds() {
    let s = scenario(Path::new(TEMPLATE));
    assert_eq!(s.offices.len(), 3, "the distributor has three offices");
    let mut covered = 0u32;
    let mut total = 0u32;
    // Forty seeds: the three shares of a source move together, so twenty seeds x six
    // shares are fewer independent checks than they look.
    for seed in 1..=40u64 {
        let c = calibrate(&read(&s, &history_text(&s, seed)), &s);
        for (i, src) in s.lead_sources.iter().enumerate() {
            for (o, office) in s.offices.iter().enumerate() {
                let f = fitted(
                    &c,
                    &format!("lead_sources.{i}.office_shares.{}", office.name),
                );
                let truth = src.office_shares[o];
                covered += u32::from(f.ci95.0 <= truth && truth <= f.ci95.1);
                total += 1;
            }
        }
    }
    let rate = f64::from(covered) / f64::from(total);
    eprintln!("office shares coverage {rate:.3} ({covered} of {total})");
    assert!(rate >= 0.9, "coverage {rate:.3} ({covered} of {total})");
}

/// The history's rows with one more column, `segment`, given by the opportunity's
/// number: every fifth `key_accounts`, the next `enterprise` (not in the template),
/// the rest `other`.
fn with_segments(text: &str) -> String {
    // A template with segments has its trace write their own column: replace it.
    let own = text.lines().next().is_some_and(|h| h.ends_with(",segment"));
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let line = if own {
            &line[..line.rfind(',').unwrap()]
        } else {
            line
        };
        let cell = if i == 0 {
            "segment".to_string()
        } else {
            let number: u64 = line[2..8].parse().unwrap();
            match number % 5 {
                0 => "key_accounts".into(),
                1 => "enterprise".into(),
                _ => "other".into(),
            }
        };
        out.push_str(&format!("{line},{cell}\n"));
    }
    out
}

#[test]
fn a_segment_share_is_its_count_over_the_opportunities_naming_one() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("template.toml");
    let text = std::fs::read_to_string(TEMPLATE).unwrap();
    std::fs::write(
        &template,
        format!("{text}\n[segments.key_accounts]\nshare = 0.2\n"),
    )
    .unwrap();
    let s = scenario(&template);
    let c = calibrate(&read(&s, &with_segments(&history_text(&s, 4))), &s);
    let ids: std::collections::BTreeSet<String> = history_text(&s, 4)
        .lines()
        .skip(1)
        .map(|l| l[..8].to_string())
        .collect();
    let n = ids.len() as f64;
    let k = ids
        .iter()
        .filter(|id| id[2..].parse::<u64>().unwrap() % 5 == 0)
        .count() as f64;
    let f = fitted(&c, "segments.key_accounts.share");
    assert_eq!(f.n, ids.len() as u64);
    assert!(
        (value(f) - k / n).abs() <= 0.5e-4,
        "{} vs {}",
        value(f),
        k / n
    );
    // Wilson: centre (p + z²/2n) / (1 + z²/n).
    let (p, z2) = (k / n, 1.959_963_984_540_054_f64.powi(2));
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    assert!(((f.ci95.0 + f.ci95.1) / 2.0 - centre).abs() < 1e-9);
    assert!(
        c.not_identified
            .iter()
            .any(|l| l.contains("`enterprise`") && l.contains("\"other\"")),
        "{:?}",
        c.not_identified
    );
}

#[test]
fn an_office_the_template_lacks_is_named_and_left_out() {
    let s = scenario(Path::new(TEMPLATE));
    let text = history_text(&s, 5).replace(",south\n", ",west\n");
    let c = calibrate(&read(&s, &text), &s);
    assert!(
        c.not_identified
            .iter()
            .any(|l| l.contains("`west`") && l.contains("not an office of the template")),
        "{:?}",
        c.not_identified
    );
    let south = fitted(&c, "lead_sources.0.office_shares.south");
    assert_eq!(value(south), 0.0);
    let total: f64 = s
        .offices
        .iter()
        .map(|o| {
            value(fitted(
                &c,
                &format!("lead_sources.0.office_shares.{}", o.name),
            ))
        })
        .sum();
    assert!((total - 1.0).abs() < 1e-9, "shares sum to {total}");
}

#[test]
fn the_fitted_distributor_loads_with_each_share_commented() {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("history.csv");
    let out = dir.path().join("fitted.toml");
    let bin = || Command::cargo_bin("salesim").unwrap();
    bin()
        .args(["trace", TEMPLATE, "--seed", "9", "--history"])
        .arg(&history)
        .assert()
        .success();
    bin()
        .arg("calibrate")
        .arg(&history)
        .args(["--template", TEMPLATE, "--out"])
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(&out).unwrap();
    for office in ["north", "central", "south"] {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("office_shares.{office} = ")))
            .unwrap_or_else(|| panic!("no office_shares.{office} in\n{text}"));
        assert!(line.contains("# fitted: n = ") && line.contains("95% interval"));
    }
    let fitted = scenario(&out);
    for src in &fitted.lead_sources {
        assert!((src.office_shares.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    }
}

/// A trace of a design with segments writes each lead's segment; calibrating it recovers
/// the segment's share inside its interval at the stated rate over seeds.
#[test]
fn the_segment_share_of_a_trace_is_recovered_over_seeds() {
    let text = std::fs::read_to_string("scenarios/craftsperson.toml").unwrap()
        + "\n[segments.key_accounts]\nshare = 0.3\n";
    let s = salesim::scenario::load_str(&text, "cs.toml", "cs", &[])
        .unwrap()
        .scenario;
    let mut covered = 0u32;
    let seeds = 20u32;
    for seed in 1..=u64::from(seeds) {
        let history = history_text(&s, seed);
        assert!(history.lines().next().unwrap().ends_with(",segment"));
        let c = calibrate(&read(&s, &history), &s);
        let f = fitted(&c, "segments.key_accounts.share");
        covered += u32::from(f.ci95.0 <= 0.3 && 0.3 <= f.ci95.1);
    }
    // 95% intervals: 20 seeds cover at least 17 times but for a 1.6% chance.
    assert!(covered >= 17, "{covered} of {seeds}");
}
