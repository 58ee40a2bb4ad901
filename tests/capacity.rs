//! The capacity check sees all the work: it warns, before the run, on every kind of
//! overload (a role's hours, with prospected leads counted; a meeting calendar's slots;
//! a coordinator's booking; switching; a pull pool's queue target), and during it on a
//! pipeline that keeps growing or a pool that loses leads while its puller idles; it
//! stays silent on the shipped designs and the stable validation queues; and its loads
//! are the exact ones where theory gives them.

mod common;

use common::library::{
    load, load_shipped, load_shipped_with, mean_of, run_one, warnings_before_run,
};
use common::scenarios::Desk;
use salesim::experiment::Trend;
use salesim::model::capacity;
use salesim::scenario::LoadedScenario;

const SPECIALIZED: &str = "scenarios/specialized.toml";
const CRAFTSPERSON: &str = "scenarios/craftsperson.toml";
const HOURS_PER_WEEK: f64 = 40.0;

fn role(loaded: &LoadedScenario, name: &str) -> usize {
    loaded.scenario.role_index(name).expect("role")
}

fn with<'a>(warnings: &'a [String], text: &str) -> Vec<&'a String> {
    warnings.iter().filter(|w| w.contains(text)).collect()
}

fn close(what: &str, got: f64, want: f64) {
    assert!(
        (got - want).abs() <= 1e-9 * want.abs().max(1.0),
        "{what}: got {got}, want {want}"
    );
}

/// Leads a working hour into the specialized funnel: 28 inbound a week and the two
/// promotions people's 25.7 hours a week at one lead an hour (they have no other work,
/// so they spend the whole budget).
const SPECIALIZED_LEADS_PER_HOUR: f64 = (28.0 + 2.0 * 25.7 * 1.0) / HOURS_PER_WEEK;

#[test]
fn engineering_at_headcount_two_is_overloaded_once_prospected_leads_are_counted() {
    let loaded = load_shipped_with(SPECIALIZED, &["roles.engineering.headcount=2"]);
    let c = capacity(&loaded.scenario);
    close(
        "prospected leads",
        c.prospected_leads_per_hour,
        2.0 * 25.7 / 40.0,
    );
    close("all leads", c.leads_per_hour, SPECIALIZED_LEADS_PER_HOUR);
    // Engineered quotes: leads x qualify 0.55 x discovery 0.6 x 40% engineered x 6 h.
    let eng = role(&loaded, "engineering");
    let quote = c.sources.iter().position(|s| s == "quote").unwrap();
    close(
        "engineering quote hours",
        c.roles[eng].hours[quote],
        SPECIALIZED_LEADS_PER_HOUR * 0.55 * 0.6 * 0.4 * 6.0,
    );
    // Without the prospected two-thirds the quote work alone would be a third of this.
    assert!(c.roles[eng].load > 1.0, "{:?}", c.roles[eng]);
    let warnings = warnings_before_run(&loaded);
    let named = with(&warnings, "role `engineering` is overloaded");
    assert_eq!(named.len(), 1, "{warnings:?}");
    assert!(
        named[0].contains("headcount of at least 3") && named[0].contains("quote 0.79"),
        "{}",
        named[0]
    );
}

#[test]
fn a_field_calendar_with_too_few_meeting_slots_is_flagged() {
    let loaded = load_shipped_with(SPECIALIZED, &["roles.field.max_meetings_per_day=3"]);
    let c = capacity(&loaded.scenario);
    // Meetings a working hour: discovery after qualify, close after discovery, quote
    // and follow-up; each meeting is booked 1/(1 - 0.1) times (reschedules).
    let discovery = SPECIALIZED_LEADS_PER_HOUR * 0.55;
    let close_meetings = discovery * 0.6 * 0.75 * 0.9;
    let per_person_day = (discovery + close_meetings) / 0.9 * 8.0 / 4.0;
    let field = role(&loaded, "field");
    let cal = c.calendars.iter().find(|k| k.role == field).unwrap();
    close(
        "bookings a day per seller",
        cal.total_per_day(),
        per_person_day,
    );
    close("calendar load", cal.load, per_person_day / 3.0);
    let warnings = warnings_before_run(&loaded);
    let named = with(&warnings, "meeting calendar of role `field` is overbooked");
    assert_eq!(named.len(), 1, "{warnings:?}");
    assert!(
        named[0].contains("max_meetings_per_day = 3")
            && named[0].contains("raise max_meetings_per_day to at least 4"),
        "{}",
        named[0]
    );
    // It is the slots, not the hours: the sellers' hours are within capacity.
    assert!(with(&warnings, "role `field` is overloaded").is_empty());
}

#[test]
fn a_coordinator_whose_booking_work_exceeds_its_hours_is_flagged() {
    let loaded = load_shipped_with(SPECIALIZED, &["roles.field.booking_minutes=40"]);
    let c = capacity(&loaded.scenario);
    let discovery = SPECIALIZED_LEADS_PER_HOUR * 0.55;
    let bookings = (discovery + discovery * 0.6 * 0.75 * 0.9) / 0.9;
    let coordinator = role(&loaded, "coordinator");
    close(
        "coordinator load",
        c.roles[coordinator].load,
        bookings * 40.0 / 60.0,
    );
    let warnings = warnings_before_run(&loaded);
    let named = with(&warnings, "role `coordinator` is overloaded");
    assert_eq!(named.len(), 1, "{warnings:?}");
    assert!(named[0].contains("headcount of at least 2"), "{}", named[0]);
}

#[test]
fn reps_spending_most_of_their_time_switching_are_flagged() {
    let loaded = load_shipped_with(CRAFTSPERSON, &["roles.rep.switch_cost_minutes=180"]);
    let warnings = warnings_before_run(&loaded);
    let named = with(&warnings, "role `rep` is overloaded");
    assert_eq!(named.len(), 1, "{warnings:?}");
    // Switching is named, as the largest part of the work.
    assert!(
        named[0].contains("(work per person: switching"),
        "{}",
        named[0]
    );
    // And the run agrees that most of a rep's time goes to switching.
    let report = run_one(&loaded, 2, 1);
    let share = mean_of(&report, "roles.rep.time_share.switching");
    assert!(share > 0.5, "switching share {share}");
}

#[test]
fn a_pull_pool_with_too_low_a_queue_target_is_flagged_before_and_during_the_run() {
    let sets = [
        "lead_sources.0.queue_target=1",
        "lead_sources.1.queue_target=1",
    ];
    let loaded = load_shipped_with(SPECIALIZED, &sets);
    let c = capacity(&loaded.scenario);
    let inside = role(&loaded, "inside");
    let pool = c.pools.iter().find(|p| p.role == inside).unwrap();
    // 79.4 leads a week over two inside sellers and five days; a lead is held less than
    // a day (qualifying takes minutes), so a seller can take one a day.
    let leads_per_week = 28.0 + 2.0 * 25.7;
    close(
        "leads a day per seller",
        pool.leads_per_day,
        leads_per_week / 2.0 / 5.0,
    );
    close("pool load", pool.load, leads_per_week / 10.0);
    let before = warnings_before_run(&loaded);
    let named = with(
        &before,
        "pull pool of role `inside` cannot release its leads",
    );
    assert_eq!(named.len(), 1, "{before:?}");
    assert!(
        named[0].contains("raise queue_target to at least 9"),
        "{}",
        named[0]
    );
    let report = run_one(&loaded, 2, 1);
    let during = with(
        &report.warnings,
        "pull pool of role `inside` is losing leads",
    );
    assert_eq!(during.len(), 1, "{:?}", report.warnings);
}

#[test]
fn the_shipped_designs_gain_no_warning_before_or_after_the_run() {
    for path in [CRAFTSPERSON, SPECIALIZED] {
        let loaded = load_shipped(path);
        let report = run_one(&loaded, 20, 3);
        assert!(report.warnings.is_empty(), "{path}: {:?}", report.warnings);
    }
}

/// The validation queues and their offered load, as their headers state it.
const VALIDATION: [(&str, f64); 8] = [
    ("mm1_low.toml", 0.5),
    // At 0.8 an M/M/1 is busy but stable (Wq = 4 h): the right answer is no warning.
    ("mm1_high.toml", 0.8),
    ("mm3.toml", 0.75),
    ("mm5_peer.toml", 0.9),
    ("mg1_lognormal.toml", 0.6),
    ("priority_desk.toml", 0.7),
    ("owner_territory_4.toml", 0.75),
    ("pool_4.toml", 0.75),
];

#[test]
fn the_stable_validation_queues_get_no_warning_and_their_theoretical_load() {
    for (file, rho) in VALIDATION {
        let path = format!("scenarios/validation/{file}");
        let loaded = load_shipped(&path);
        close(file, capacity(&loaded.scenario).roles[0].load, rho);
        assert!(warnings_before_run(&loaded).is_empty(), "{file}");
    }
    // And during the run (mm5_peer's 5,600 weeks would be slow here; cmp.sh covers it).
    for (file, _) in VALIDATION.iter().filter(|(f, _)| *f != "mm5_peer.toml") {
        let loaded = load_shipped(&format!("scenarios/validation/{file}"));
        let report = run_one(&loaded, 4, 3);
        assert!(report.warnings.is_empty(), "{file}: {:?}", report.warnings);
    }
}

fn desk(rate_per_week: f64, headcount: u32, horizon_weeks: u32) -> LoadedScenario {
    let text = Desk {
        rate_per_week,
        headcount,
        horizon_weeks,
        ..Desk::default()
    }
    .toml();
    load(&text, "desk.toml", "desk", &[])
}

#[test]
fn an_mmc_desk_has_load_lambda_es_over_c() {
    // Exponential 1-hour serves: rho = lambda E[S] / c with lambda a working hour.
    for (rate, c) in [(20.0, 2), (60.0, 2), (30.0, 1), (100.0, 3)] {
        let l = desk(rate, c, 4);
        close(
            &format!("desk {rate}/{c}"),
            capacity(&l.scenario).roles[0].load,
            rate / HOURS_PER_WEEK * 1.0 / f64::from(c),
        );
    }
}

#[test]
fn a_nearly_saturated_desk_is_named_with_a_sound_headcount_and_horizon() {
    // 38.4 an hour-week at one person: rho = 0.96.
    let warnings = warnings_before_run(&desk(38.4, 1, 4));
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let w = &warnings[0];
    assert!(
        w.contains("role `desk` is nearly saturated: offered load 0.96")
            && w.contains("a headcount of 2 (load 0.48)")
            && w.contains("horizon_weeks = "),
        "{w}"
    );
    // Just below the threshold, nothing.
    assert!(warnings_before_run(&desk(37.6, 1, 4)).is_empty());
}

/// The headcount a warning suggests to make the answer sound: the number in
/// "a headcount of N (load".
fn sound_headcount_in(warning: &str) -> u32 {
    let number = warning
        .rfind("a headcount of ")
        .map(|at| &warning[at + "a headcount of ".len()..])
        .and_then(|tail| tail.split_once(" (load"))
        .map(|(n, _)| n)
        .unwrap_or_else(|| panic!("no sound headcount in: {warning}"));
    number
        .parse()
        .unwrap_or_else(|_| panic!("`{number}` is not a headcount: {warning}"))
}

#[test]
fn an_overloaded_or_nearly_saturated_role_is_told_the_smallest_sound_headcount() {
    // The headcount suggested brings the offered load (lambda E[S] / c) to 0.85 or
    // below, and one fewer would not (unless that is today's headcount); the warning
    // says what the load means in plain words.
    for (rate, c) in [
        (38.4, 1),
        (60.0, 1),
        (78.0, 2),
        (100.0, 2),
        (140.0, 3),
        (200.0, 3),
    ] {
        let warnings = warnings_before_run(&desk(rate, c, 4));
        assert_eq!(warnings.len(), 1, "{rate}/{c}: {warnings:?}");
        let w = &warnings[0];
        assert!(
            w.contains("In plain terms, more work reaches `desk` than its people can do")
                || w.contains("A team this close to full"),
            "{w}"
        );
        let sound = sound_headcount_in(w);
        let load_at = |h: u32| capacity(&desk(rate, h, 4).scenario).roles[0].load;
        assert!(
            load_at(sound) <= 0.85,
            "{rate}/{c}: {sound} leaves {}",
            load_at(sound)
        );
        assert!(
            sound == c + 1 || load_at(sound - 1) > 0.85,
            "{rate}/{c}: {} would do, {sound} suggested",
            sound - 1
        );
    }
}

#[test]
fn prospecting_in_idle_time_settles_where_idle_time_runs_out() {
    // Craftsperson reps prospect up to 6 h a week in idle time: at the fixed point a
    // rep's work plus his prospecting fills his hours exactly (the budget is not
    // reached), and promotions, with nothing else to do, spend all 28 h.
    let loaded = load_shipped(CRAFTSPERSON);
    let c = capacity(&loaded.scenario);
    let rep = role(&loaded, "rep");
    let by_reps_per_hour = c.prospected_leads_per_hour - 28.0 / HOURS_PER_WEEK;
    let prospecting_hours = by_reps_per_hour / 0.9 / 12.0;
    assert!(prospecting_hours < 6.0 / HOURS_PER_WEEK);
    let work = c.roles[rep].total_hours() / 12.0;
    assert!(
        (work + prospecting_hours - 1.0).abs() < 1e-6,
        "work {work} + prospecting {prospecting_hours}"
    );
    // The simulation creates leads at about that rate.
    let report = run_one(&loaded, 4, 1);
    let created = mean_of(&report, "leads_created_per_week");
    let expected = c.leads_per_hour * HOURS_PER_WEEK;
    assert!(
        (created - expected).abs() < 0.05 * expected,
        "created {created}, expected {expected}"
    );
}

#[test]
fn a_growing_pipeline_is_flagged_during_the_run_and_a_steady_one_is_not() {
    // An overloaded desk (rho = 1.5) over 20 weeks, and a stable one (rho = 0.25).
    let over = run_one(&desk(60.0, 1, 20), 5, 1);
    assert_eq!(
        with(&over.warnings, "the pipeline has not settled").len(),
        1,
        "{:?}",
        over.warnings
    );
    let steady = run_one(&desk(20.0, 2, 20), 5, 1);
    assert!(steady.warnings.is_empty(), "{:?}", steady.warnings);
}

#[test]
fn the_trend_test_tells_growth_from_correlated_noise() {
    // A deterministic noisy series without trend, strongly correlated week to week
    // (AR(1) with coefficient 0.95): its plain least-squares t statistic is 6.7, a
    // "trend" that is only the correlation; corrected for it, 2.1.
    let mut noise = Vec::new();
    let (mut state, mut level) = (21u64, 0.0);
    for _ in 0..52 {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let u = (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
        level = 0.95 * level + 10.0 * u;
        noise.push(50.0 + level);
    }
    let flat = Trend::fit(&noise).unwrap();
    assert!(flat.t.abs() < 4.0, "{flat:?}");
    let rising: Vec<f64> = noise
        .iter()
        .enumerate()
        .map(|(i, y)| y + 2.0 * i as f64)
        .collect();
    let trend = Trend::fit(&rising).unwrap();
    assert!(
        trend.t > 4.0 && (trend.slope - 2.0).abs() < 0.5,
        "{trend:?}"
    );
    assert!(Trend::fit(&noise[..7]).is_none());
}

#[test]
fn clustered_travel_is_estimated_within_a_tenth_of_the_simulated_travel() {
    // The coordinator chains each seller's meetings of a day: travel per seller-hour
    // 2t((1 - c) m + c d), d = min(m, 1/8). The run's share of the sellers' hours spent
    // travelling should agree to within 10%; round trips (c = 0) would be more than twice it.
    let loaded = load_shipped(SPECIALIZED);
    let c = capacity(&loaded.scenario);
    let field = role(&loaded, "field");
    let travel = c.sources.iter().position(|s| s == "travel").unwrap();
    let estimate = c.roles[field].hours[travel] / 4.0;
    let simulated = mean_of(&run_one(&loaded, 4, 1), "roles.field.time_share.travel");
    assert!(
        (estimate - simulated).abs() < 0.1 * simulated,
        "estimate {estimate}, simulated {simulated}"
    );
}

#[test]
fn per_event_admin_without_an_admin_role_loads_whoever_caused_it() {
    // The desk wins half its 20 leads a week and enters each order itself (1 h).
    let text = Desk::default().toml() + "\n[admin]\nper_win_hours = 1.0\n";
    let c = capacity(&load(&text, "desk.toml", "desk", &[]).scenario);
    close(
        "desk load",
        c.roles[0].load,
        (20.0 + 10.0) / HOURS_PER_WEEK / 2.0,
    );
}

#[test]
fn a_warning_from_the_run_reaches_standard_error_and_the_json() {
    let dir = common::Folder::holding(
        "desk.toml",
        &Desk {
            rate_per_week: 60.0,
            headcount: 1,
            horizon_weeks: 20,
            ..Desk::default()
        }
        .toml(),
    );
    let out = dir.output(&["run", "desk.toml", "--trials", "3", "--format", "json"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("the pipeline has not settled"), "{stderr}");
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        value["warnings"]
            .to_string()
            .contains("the pipeline has not settled"),
        "{}",
        value["warnings"]
    );
}
