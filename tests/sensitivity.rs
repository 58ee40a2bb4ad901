//! Sensitivity studies against what must be true: the input that alone sets a metric
//! ranks first, by the amount theory gives; inputs with no effect on it get intervals
//! covering zero; a difference between designs moves with an input of one design only.

use std::sync::atomic::AtomicBool;

use salesim::experiment::sensitivity::{self, Measure, Options, Source};

/// Leads arrive at 40 a week (Poisson); two people qualify them. Only the arrival rate
/// sets the number of leads created: nothing else in the file can move it.
const DESK: &str = r#"
name = "desk"
horizon_weeks = 13
warmup_weeks = 1

[[lead_sources]]
kind = "inbound"
rate_per_week = 40.0

[roles.desk]
headcount = 2
annual_cost = 60000

[[funnel]]
name = "qualify"
role = "desk"
routing = "pool"
duration = { dist = "exponential", mean = 0.5 }
advance = 0.5

[[funnel]]
name = "close"
role = "desk"
routing = "pool"
duration = { dist = "triangular", min = 0.5, mode = 1.0, max = 2.0 }
advance = 0.4

[deals]
value = 10000
"#;

fn source(text: &str) -> Source {
    Source {
        text: text.to_string(),
        origin: "desk.toml".into(),
        default_name: "desk".into(),
        overrides: Vec::new(),
    }
}

fn study(sources: &[Source], measure: Measure, options: Options) -> sensitivity::SensitivityReport {
    let base: Vec<_> = sources.iter().map(|s| s.load(&[]).unwrap()).collect();
    sensitivity::study(
        sources,
        &base,
        &measure,
        &[],
        options,
        &|| {},
        &AtomicBool::new(false),
    )
    .unwrap()
}

fn options(trials: u64) -> Options {
    Options {
        by: 0.2,
        seed: 7,
        trials,
        screen: None,
    }
}

#[test]
fn the_arrival_rate_alone_sets_leads_created_and_ranks_first() {
    let report = study(
        &[source(DESK)],
        Measure::Metric("leads_created_per_week".into()),
        options(30),
    );
    let first = &report.inputs[0];
    assert_eq!(
        first.key, "lead_sources.0.rate_per_week",
        "{:#?}",
        report.inputs
    );
    // E[leads a week] = rate, so moving the rate by 20% moves it by 8 a week either way.
    let (low, high) = (first.low.as_ref().unwrap(), first.high.as_ref().unwrap());
    for (side, expected) in [(low, -8.0), (high, 8.0)] {
        assert!(
            side.effect.ci95_low <= expected && expected <= side.effect.ci95_high,
            "{} effect {:?}, theory {expected}",
            side.setting,
            side.effect
        );
    }
    assert!(first.clear());
    // Every other input leaves the arrivals alone: its interval covers zero.
    for e in &report.inputs[1..] {
        for s in [&e.low, &e.high].into_iter().flatten() {
            assert!(
                s.effect.ci95_low <= 0.0 && 0.0 <= s.effect.ci95_high || s.effect.mean == 0.0,
                "{} moved leads created: {:?}",
                e.key,
                s.effect
            );
        }
    }
    let keys: Vec<&str> = report.inputs.iter().map(|e| e.key.as_str()).collect();
    for key in ["roles.desk.headcount", "funnel.1.duration", "deals.value"] {
        assert!(keys.contains(&key), "{key} not studied: {keys:?}");
    }
    // A run setting is never an input.
    assert!(!keys.contains(&"horizon_weeks"));
}

#[test]
fn screening_reruns_the_top_inputs_on_more_trials_and_says_so() {
    let report = study(
        &[source(DESK)],
        Measure::Metric("leads_created_per_week".into()),
        Options {
            screen: Some((4, 2)),
            ..options(24)
        },
    );
    assert_eq!(report.screen_trials, Some(4));
    assert_eq!(report.inputs[0].key, "lead_sources.0.rate_per_week");
    assert_eq!(report.inputs[0].trials, 24);
    let rerun = report.inputs.iter().filter(|e| e.trials == 24).count();
    assert_eq!(rerun, 2);
    assert!(report.inputs.iter().skip(2).all(|e| e.trials == 4));
}

#[test]
fn a_difference_between_designs_moves_with_an_input_of_one_design() {
    // The second design has a dearer desk: the difference in revenue less staffing cost
    // is exactly minus the extra cost, and the cost of the second design's desk
    // (60,000 x 2 people x 20% = 24,000 a year) moves it exactly, in every trial.
    let dear = DESK.replace("annual_cost = 60000", "annual_cost = 90000");
    let report = study(
        &[source(DESK), source(&dear)],
        Measure::BottomLine,
        options(6),
    );
    assert_eq!(report.measure, "revenue less staffing cost per year");
    assert!(
        (report.base.mean + 60_000.0).abs() < 1e-6,
        "{:?}",
        report.base
    );
    let cost = report
        .inputs
        .iter()
        .find(|e| e.key == "roles.desk.annual_cost")
        .unwrap();
    // The key is in both designs, so both move: 2 x 20% x (90,000 - 60,000) = 12,000.
    let up = cost.high.as_ref().unwrap().effect.mean;
    assert!((up + 12_000.0).abs() < 1e-6, "{up}");
    // The market moves both designs alike: the rate changes each design's revenue,
    // but by the same amount trial by trial, so not their difference.
    let rate = report
        .inputs
        .iter()
        .find(|e| e.key == "lead_sources.0.rate_per_week")
        .unwrap();
    assert_eq!(rate.high.as_ref().unwrap().effect.mean, 0.0);
}

#[test]
fn by_reads_percent_or_fraction_and_refuses_the_rest() {
    assert_eq!(sensitivity::parse_by("20%"), Ok(0.2));
    assert_eq!(sensitivity::parse_by("0.1"), Ok(0.1));
    for bad in ["0", "100%", "-5%", "abc", "1.5"] {
        assert!(sensitivity::parse_by(bad).is_err(), "{bad}");
    }
}
