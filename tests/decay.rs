//! `advance_decay_per_day` counts the whole wait for a step, including the days until a
//! booked meeting takes place. On a one-meeting desk every lead's chance to win is,
//! by hand, (1 - d)^(days from its request to its meeting); the wins of many leads,
//! read with their own waits from the event log, must match the sum of those chances.

use std::collections::HashMap;

use salesim::model::simulate_traced;
use salesim::scenario::load_str;

const SEED: u64 = 3;
/// Two-sided 99.9% normal quantile.
const Z: f64 = 3.29;
const DECAY: f64 = 0.1;
const HOURS_PER_DAY: f64 = 8.0;
const MEETING_HOURS: f64 = 1.0;

/// One seller, few leads: each is booked at once (6 minutes) for a day 1 to 6 working
/// days ahead, with no travel. The
/// meeting always advances but for the decay.
const DESK: &str = r#"
horizon_weeks = 40
warmup_weeks = 2

[[lead_sources]]
kind = "inbound"
rate_per_week = 6.0

[roles.rep]
headcount = 1
booking_minutes = 6

[[funnel]]
name = "visit"
kind = "meeting"
role = "rep"
duration = 1.0
advance = 1.0
advance_decay_per_day = 0.1
customer_notice_days = { dist = "uniform", min = 1, max = 6 }
"#;

#[test]
fn decay_over_the_booked_wait_matches_a_hand_computation() {
    let loaded = load_str(DESK, "decay.toml", "decay", &[]).unwrap_or_else(|e| panic!("{e}"));
    let (mut wins, mut expected, mut variance, mut leads) = (0.0, 0.0, 0.0, 0);
    let mut mean_wait_days = 0.0;
    for trial in 0..8 {
        let (_, trace) = simulate_traced(&loaded.scenario, SEED, trial);
        // Lead ids are reused once a lead ends: each is read from creation to end.
        let mut created: HashMap<String, f64> = HashMap::new();
        let mut meeting: HashMap<String, f64> = HashMap::new();
        for rec in &trace.records {
            match rec.what {
                "lead created" => {
                    created.insert(rec.item.clone(), rec.time_hours);
                }
                // The meeting lasts exactly an hour and ends with "step done" (a
                // meeting right after another has no "travel started" of its own).
                "step done" => {
                    meeting.insert(rec.item.clone(), rec.time_hours - MEETING_HOURS);
                }
                "won" | "lost" => {
                    let (Some(c), Some(m)) = (created.remove(&rec.item), meeting.remove(&rec.item))
                    else {
                        panic!("{} ended without a creation and a meeting", rec.item);
                    };
                    let days = (m - c) / HOURS_PER_DAY;
                    let p = (1.0 - DECAY).powf(days);
                    expected += p;
                    variance += p * (1.0 - p);
                    mean_wait_days += days;
                    leads += 1;
                    if rec.what == "won" {
                        wins += 1.0;
                    }
                }
                _ => {}
            }
        }
    }
    mean_wait_days /= f64::from(leads);
    eprintln!(
        "  {leads} leads, mean wait {mean_wait_days:.2} days: {wins} wins against {expected:.1} by hand (sd {:.1})",
        variance.sqrt()
    );
    assert!(
        leads > 1000 && mean_wait_days > 2.0,
        "too few leads or waits to test"
    );
    assert!(
        (wins - expected).abs() <= Z * variance.sqrt(),
        "{wins} wins, but (1 - {DECAY})^(days to the meeting) summed over the leads gives {expected:.1}"
    );
}
