//! The report's market check and "Segments" section: the reference designs face the
//! same market and say so; a design given more leads is warned about; the segments
//! section appears only when a design has segments. And the shipped SaaS pair gives no
//! warning before or after a run.

mod common;

use common::library::{
    compare, load, load_shipped, load_shipped_with, run_one, warnings_before_run,
};
use salesim::report::html::render_html;

fn html(loaded: &[salesim::scenario::LoadedScenario], trials: u64) -> String {
    String::from_utf8(render_html(&compare(loaded, trials, 1, "test"))).expect("UTF-8")
}

#[test]
fn the_reference_designs_face_the_same_market_and_the_report_says_so() {
    let loaded = [
        load_shipped("scenarios/craftsperson.toml"),
        load_shipped("scenarios/specialized.toml"),
    ];
    let page = html(&loaded, 20);
    assert!(
        page.contains("Both designs face the same market: 79"),
        "no market line"
    );
    assert!(!page.contains("do not face the same market"));
}

#[test]
fn a_design_given_more_leads_is_warned_about() {
    // The specialized design's promotions at 28 hours a week each, as before issue 14:
    // 84 leads a week against 79.
    let loaded = [
        load_shipped("scenarios/craftsperson.toml"),
        load_shipped_with(
            "scenarios/specialized.toml",
            &["lead_sources.1.max_hours_per_week=28"],
        ),
    ];
    let page = html(&loaded, 20);
    assert!(page.contains("do not face the same market"), "no warning");
    assert!(!page.contains("Both designs face the same market"));
}

const DESK: &str = r#"
horizon_weeks = 12
warmup_weeks = 2

[[lead_sources]]
kind = "inbound"
rate_per_week = 20.0

[roles.desk]
headcount = 3

[[funnel]]
name = "quote"
role = "desk"
quote = true
duration = 1.0
advance = 0.5

[deals]
value = 10000
"#;

#[test]
fn the_segments_section_appears_only_with_segments() {
    let plain = load(DESK, "desk.toml", "desk", &[]);
    let page = html(&[plain.clone(), plain], 4);
    assert!(!page.contains("<h2>Segments</h2>"));
    assert!(
        !page.contains("face the same market"),
        "no margin, no market check"
    );
    let with = format!("{DESK}\n[segments.key]\nshare = 0.3\ndeal_value = 50000\n");
    let segmented = load(&with, "key.toml", "key", &[]);
    let page = html(&[segmented.clone(), segmented], 4);
    assert!(page.contains("<h2>Segments</h2>"), "no segments section");
    for name in ["key", "other"] {
        assert!(
            page.contains(&format!("<td colspan=\"3\">{name}</td>"))
                || page.contains(&format!(">{name}<")),
            "{name}"
        );
    }
}

#[test]
fn the_saas_pair_gives_no_warning_before_or_after_the_run() {
    for path in ["scenarios/saas_before.toml", "scenarios/saas_after.toml"] {
        let loaded = load_shipped(path);
        assert!(
            warnings_before_run(&loaded).is_empty(),
            "{path}: {:?}",
            warnings_before_run(&loaded)
        );
        let report = run_one(&loaded, 8, 2);
        assert!(report.warnings.is_empty(), "{path}: {:?}", report.warnings);
    }
}
