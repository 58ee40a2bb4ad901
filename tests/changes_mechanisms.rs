//! What a `[[changes]]` period does to a running trial besides headcounts, checked
//! against theory and conservation: inbound arrivals follow the new rate from the change
//! on (Poisson counts; a rate raised from 0 starts them, one cut to 0 stops them at
//! once), a source's release can switch between push and pull (no lead left behind in a
//! pool, the policy in force the one used), a leaver's pulled leads are given back, and
//! the pre-run load check looks at every period.

mod common;

use common::library::{load, warnings_before_run};
use salesim::model::{Trace, simulate_traced};
use salesim::scenario::LoadedScenario;

/// A desk of `people` fed by one inbound source at `rate` leads a week, two short steps
/// (far below capacity), with `extra` appended (changes, release, people).
fn desk(rate: f64, people: u32, source: &str, extra: &str) -> String {
    format!(
        r#"
horizon_weeks = 40
warmup_weeks = 1
[[lead_sources]]
kind = "inbound"
rate_per_week = {rate}
{source}
[roles.desk]
headcount = {people}
{extra}
[[funnel]]
name = "call"
role = "desk"
routing = "owner"
duration = {{ dist = "exponential", mean = 0.1 }}
advance = 0.5
[[funnel]]
name = "close"
role = "desk"
routing = "owner"
duration = {{ dist = "exponential", mean = 0.2 }}
advance = 0.6
"#
    )
}

fn traces(loaded: &LoadedScenario, trials: u64) -> Vec<Trace> {
    (0..trials)
        .map(|t| simulate_traced(&loaded.scenario, 5, t).1)
        .collect()
}

fn hours_per_week(loaded: &LoadedScenario) -> f64 {
    loaded.scenario.calendar.hours_per_week()
}

/// Leads created before and from week `w`, over all `trials` trials.
fn leads_around(text: &str, w: f64, trials: u64) -> (usize, usize) {
    let loaded = load(text, "d.toml", "d", &[]);
    let switch = w * hours_per_week(&loaded);
    let mut before = 0;
    let mut after = 0;
    for trace in traces(&loaded, trials) {
        for lead in &trace.leads {
            if lead.created_hours < switch {
                before += 1;
            } else {
                after += 1;
            }
        }
    }
    (before, after)
}

/// A Poisson count `n` of mean `mean` lies within four standard errors of it.
fn assert_poisson(n: usize, mean: f64, what: &str) {
    let se = mean.sqrt();
    assert!(
        (n as f64 - mean).abs() < 4.0 * se,
        "{what}: {n} leads, expected {mean:.0} +- {:.0}",
        4.0 * se
    );
}

const TRIALS: u64 = 10;

#[test]
fn a_rate_raised_from_zero_starts_arrivals_at_the_new_rate() {
    let text = desk(
        0.0,
        2,
        "",
        "[[changes]]\nat_week = 12\nset = { \"lead_sources.0.rate_per_week\" = 25.0 }\n",
    );
    let (before, after) = leads_around(&text, 12.0, TRIALS);
    assert_eq!(before, 0, "no lead before the change");
    assert_poisson(after, 25.0 * 28.0 * TRIALS as f64, "rate 25 from week 12");
}

#[test]
fn a_rate_cut_to_zero_stops_arrivals_at_once() {
    let text = desk(
        30.0,
        2,
        "",
        "[[changes]]\nat_week = 12\nset = { \"lead_sources.0.rate_per_week\" = 0.0 }\n",
    );
    let (before, after) = leads_around(&text, 12.0, TRIALS);
    assert_poisson(
        before,
        30.0 * 12.0 * TRIALS as f64,
        "rate 30 before week 12",
    );
    // The arrival pending at the change was drawn at the old rate: it must not come.
    assert_eq!(after, 0, "no lead after the rate went to 0");
}

#[test]
fn a_rate_change_up_or_down_gives_the_new_rate_after_its_week() {
    for (from, to) in [(10.0, 40.0), (40.0, 10.0)] {
        let text = desk(
            from,
            2,
            "",
            &format!(
                "[[changes]]\nat_week = 15\nset = {{ \"lead_sources.0.rate_per_week\" = {to} }}\n"
            ),
        );
        let (before, after) = leads_around(&text, 15.0, TRIALS);
        assert_poisson(before, from * 15.0 * TRIALS as f64, "before week 15");
        assert_poisson(after, to * 25.0 * TRIALS as f64, "after week 15");
    }
}

/// Per lead of the trace (in creation order): when it was created and when its work
/// first started, if it did. Records name a lead by its pipeline slot, which is reused
/// once the lead ended, so each "lead created" opens a new lead in that slot.
fn first_starts(trace: &Trace) -> Vec<(f64, Option<f64>)> {
    let mut lives: Vec<(f64, Option<f64>)> = Vec::new();
    let mut in_slot = std::collections::HashMap::new();
    for r in &trace.records {
        match r.what {
            "lead created" => {
                in_slot.insert(r.item.clone(), lives.len());
                lives.push((r.time_hours, None));
            }
            "work started" => {
                if let Some(&i) = in_slot.get(&r.item) {
                    lives[i].1.get_or_insert(r.time_hours);
                }
            }
            _ => {}
        }
    }
    lives
}

/// Of the leads created in `[from, to)` hours: how many, how many were first worked on
/// the day they arrived, and how many were never worked by the horizon.
fn same_day_starts(
    lives: &[(f64, Option<f64>)],
    hours_per_day: f64,
    from: f64,
    to: f64,
) -> (usize, usize, usize) {
    let day = |t: f64| (t / hours_per_day).floor();
    let chosen: Vec<_> = lives
        .iter()
        .filter(|(c, _)| *c >= from && *c < to)
        .collect();
    let same_day = chosen
        .iter()
        .filter(|(c, s)| s.is_some_and(|s| day(s) == day(*c)))
        .count();
    let never = chosen.iter().filter(|(_, s)| s.is_none()).count();
    (chosen.len(), same_day, never)
}

#[test]
fn pull_to_push_releases_the_pool_and_pushes_from_then_on() {
    // One puller with a queue target of 1 takes at most one lead a morning (about 5 a
    // week) while 20 a week arrive: the pool grows by ~15 a week until week 12. Then
    // the source pushes, and the desk, far from busy, works every lead on its day.
    let text = desk(
        20.0,
        1,
        "release = \"pull\"",
        "[[changes]]\nat_week = 12\nset = { \"lead_sources.0.release\" = \"push\" }\n",
    );
    let loaded = load(&text, "d.toml", "d", &[]);
    let week = hours_per_week(&loaded);
    let day = loaded.scenario.calendar.hours_per_day;
    let (mut pulled, mut pushed) = ((0, 0), (0, 0));
    for (trace, t) in traces(&loaded, TRIALS).iter().zip(0..) {
        let out = salesim::model::simulate(&loaded.scenario, 5, t);
        let c = out.conservation;
        assert_eq!(c.created, c.won + c.lost + c.cold + c.open, "{c:?}");
        let lives = first_starts(trace);
        assert_eq!(lives.len() as u64, c.created);
        let (n, same, _) = same_day_starts(&lives, day, 0.0, 12.0 * week);
        pulled = (pulled.0 + n, pulled.1 + same);
        let (n, same, _) = same_day_starts(&lives, day, 12.0 * week, 39.0 * week);
        pushed = (pushed.0 + n, pushed.1 + same);
        // Every lead waiting in the pool at the change was released and worked: none
        // created before the change is still unworked at the horizon, 28 weeks on.
        let (_, _, never) = same_day_starts(&lives, day, 0.0, 12.0 * week);
        assert_eq!(never, 0, "trial {t}: leads left in the pull pool");
        assert!(c.open < 20, "trial {t}: {c:?}");
    }
    // Pulled at the morning top-up: a lead is never worked on the day it arrives.
    assert_eq!(pulled.1, 0, "{pulled:?}");
    // Pushed to an idle desk: nearly all are worked on their day.
    assert!(pushed.1 as f64 > 0.8 * pushed.0 as f64, "{pushed:?}");
}

#[test]
fn push_to_pull_parks_new_leads_until_the_next_morning() {
    let text = desk(
        20.0,
        2,
        "",
        "[[changes]]\nat_week = 12\nset = { \"lead_sources.0.release\" = \"pull\" }\n",
    );
    let loaded = load(&text, "d.toml", "d", &[]);
    let week = hours_per_week(&loaded);
    let day = loaded.scenario.calendar.hours_per_day;
    let (mut pushed, mut pulled) = ((0, 0), (0, 0));
    for (trace, t) in traces(&loaded, TRIALS).iter().zip(0..) {
        let lives = first_starts(trace);
        let (n, same, _) = same_day_starts(&lives, day, 0.0, 12.0 * week);
        pushed = (pushed.0 + n, pushed.1 + same);
        let (n, same, never) = same_day_starts(&lives, day, 12.0 * week, 39.0 * week);
        pulled = (pulled.0 + n, pulled.1 + same);
        assert_eq!(never, 0, "trial {t}: a parked lead was never pulled");
    }
    assert!(pushed.1 as f64 > 0.8 * pushed.0 as f64, "{pushed:?}");
    assert_eq!(pulled.1, 0, "{pulled:?}");
}

#[test]
fn a_leavers_pulled_leads_are_given_back_and_none_is_stranded() {
    // Two pullers who quit about every 2.6 weeks each (20 a year), refilled after a
    // week: many quits land while a puller holds leads he has not started. The desk is
    // far from busy, so every lead created more than two weeks before the horizon has
    // been worked by then; and the books balance.
    let text = desk(
        30.0,
        2,
        "release = \"pull\"\nqueue_target = 8",
        "[roles.desk.people]\nattrition_per_year = 20.0\nhiring_delay_weeks = 1.0\n",
    );
    let loaded = load(&text, "d.toml", "d", &[]);
    let week = hours_per_week(&loaded);
    let day = loaded.scenario.calendar.hours_per_day;
    for (trace, t) in traces(&loaded, TRIALS).iter().zip(0..) {
        let out = salesim::model::simulate(&loaded.scenario, 5, t);
        let c = out.conservation;
        assert_eq!(c.created, c.won + c.lost + c.cold + c.open, "{c:?}");
        let lives = first_starts(trace);
        let (n, _, never) = same_day_starts(&lives, day, 0.0, 38.0 * week);
        assert!(n > 1000, "{n}");
        assert_eq!(never, 0, "trial {t}: {never} leads stranded");
    }
}

/// An engineering desk of two at offered load 0.7 each (1.4 hours of work an hour);
/// `extra` appended.
fn engineering(extra: &str) -> String {
    format!(
        r#"
horizon_weeks = 52
warmup_weeks = 4
[[lead_sources]]
kind = "inbound"
rate_per_week = 56.0
[roles.engineering]
headcount = 2
[[funnel]]
name = "quote"
role = "engineering"
routing = "pool"
duration = {{ dist = "exponential", mean = 1.0 }}
advance = 0.0
{extra}
"#
    )
}

#[test]
fn the_load_check_names_the_period_a_warning_holds_in() {
    let plain = load(&engineering(""), "e.toml", "e", &[]);
    assert!(
        warnings_before_run(&plain).is_empty(),
        "{:?}",
        warnings_before_run(&plain)
    );
    let cut = load(
        &engineering("[[changes]]\nat_week = 26\nset = { \"roles.engineering.headcount\" = 1 }\n"),
        "e.toml",
        "e",
        &[],
    );
    let warnings = warnings_before_run(&cut);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("from week 26 (changes[0]): role `engineering` is overloaded"),
        "{warnings:?}"
    );
}

#[test]
fn a_warning_that_holds_in_every_period_is_given_once_unlabelled() {
    let one = engineering("").replace("headcount = 2", "headcount = 1");
    let plain = warnings_before_run(&load(&one, "e.toml", "e", &[]));
    assert_eq!(plain.len(), 1, "{plain:?}");
    let changed = load(
        &format!("{one}[[changes]]\nat_week = 26\nset = {{ \"funnel.0.advance\" = 0.1 }}\n"),
        "e.toml",
        "e",
        &[],
    );
    assert_eq!(warnings_before_run(&changed), plain);
}

#[test]
fn a_change_to_pull_may_set_its_queue_target_in_the_same_change() {
    // Alone, queue_target on a push source fails the check; with the release beside
    // it the change as a whole passes.
    let text = desk(
        20.0,
        2,
        "",
        "[[changes]]\nat_week = 12\nset = { \"lead_sources.0.queue_target\" = 3, \"lead_sources.0.release\" = \"pull\" }\n",
    );
    let loaded = load(&text, "d.toml", "d", &[]);
    let period = &loaded.scenario.timeline[0].scenario;
    assert_eq!(period.lead_sources[0].queue_target, 3);
    // A value no change could make pass is still named.
    let bad = desk(
        20.0,
        2,
        "",
        "[[changes]]\nat_week = 12\nset = { \"lead_sources.0.queue_target\" = 3 }\n",
    );
    let err = salesim::scenario::load_str(&bad, "d.toml", "d", &[]).unwrap_err();
    assert!(
        err.to_string()
            .contains("changes[0].set.\"lead_sources.0.queue_target\""),
        "{err}"
    );
}
