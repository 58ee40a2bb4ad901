//! Continuity and ownership: a handoff is a lead passing to someone who has not worked
//! on it before (a round trip back to its seller is not a second one); `same_person_as`
//! gives a step to whoever did the named step, removing the handoff loss there; and
//! `assign = "pool"` leaves an owner-routed first step to the role's pool (an M/M/c
//! queue) instead of a random owner (c separate queues).
//!
//! With advance 1 at every step and a handoff win loss h, a lead passed through k new
//! people after the first wins with probability (1 - h)^k: win counts are binomial and
//! judged by a 99% interval. Waits are judged against Erlang C and M/M/1.

use salesim::model::{catalogue, simulate, simulate_traced};
use salesim::scenario::{LoadedScenario, load_str};
use salesim::stats::{Summary, t_quantile};

const SEED: u64 = 202_614;
const TRIALS: u64 = 10;
const WIN_LOSS: f64 = 0.3;

fn load(text: &str) -> LoadedScenario {
    load_str(text, "continuity.toml", "continuity", &[]).unwrap_or_else(|e| panic!("{e}"))
}

/// Discovery by a field seller, a quote by engineering, the close back with a field
/// seller: the seller-engineer-seller round trip.
fn round_trip(field: u32, close_extra: &str) -> String {
    format!(
        r#"
horizon_weeks = 40
warmup_weeks = 2

[[lead_sources]]
kind = "inbound"
rate_per_week = 16.0

[roles.field]
headcount = {field}

[roles.engineering]
headcount = 2

[[funnel]]
name = "discovery"
role = "field"
routing = "pool"
duration = {{ dist = "exponential", mean = 3.0 }}

[[funnel]]
name = "quote"
role = "engineering"
routing = "pool"
duration = {{ dist = "exponential", mean = 1.0 }}

[[funnel]]
name = "close"
role = "field"
routing = "pool"
duration = {{ dist = "exponential", mean = 3.0 }}
{close_extra}

[handoff]
win_loss = {WIN_LOSS}
"#
    )
}

/// Wins and ended leads over all trials.
fn wins(loaded: &LoadedScenario) -> (f64, f64) {
    let s = &loaded.scenario;
    let names = catalogue(s).names().to_vec();
    let at = |name: &str| names.iter().position(|n| n == name).unwrap();
    let (deals, rate) = (at("deals_won_per_week"), at("win_rate"));
    let (mut won, mut ended) = (0.0, 0.0);
    for trial in 0..TRIALS {
        let values = simulate(s, SEED, trial).values;
        let w = (values[deals] * s.measured_weeks()).round();
        won += w;
        ended += (w / values[rate]).round();
    }
    (won, ended)
}

/// The 99% binomial interval (normal approximation) of a win share around `p`.
fn within_binomial(what: &str, won: f64, ended: f64, p: f64) {
    let share = won / ended;
    let half = 2.576 * (p * (1.0 - p) / ended).sqrt();
    eprintln!("  {what}: {won} of {ended} won = {share:.4}; expected {p:.4} +- {half:.4}");
    assert!(
        (share - p).abs() <= half,
        "{what}: win share {share:.4} over {ended} leads, expected {p:.4} +- {half:.4}"
    );
}

#[test]
fn a_round_trip_back_to_the_seller_is_one_handoff_not_two() {
    // One field seller: discovery and close are his, so the only new person is the
    // engineer: (1 - h), not (1 - h)^2 as counting every change of hands would give.
    let (won, ended) = wins(&load(&round_trip(1, "")));
    within_binomial("round trip", won, ended, 1.0 - WIN_LOSS);
}

#[test]
fn same_person_as_removes_the_second_handoff() {
    // Four field sellers in a pool at about 60% load: without continuity a close often
    // goes to another seller (a second handoff); with same_person_as it never does.
    let (won, ended) = wins(&load(&round_trip(4, "same_person_as = \"discovery\"")));
    within_binomial("same_person_as", won, ended, 1.0 - WIN_LOSS);
    let (won_pool, ended_pool) = wins(&load(&round_trip(4, "")));
    let share = won_pool / ended_pool;
    let p = 1.0 - WIN_LOSS;
    let half = 2.576 * (p * (1.0 - p) / ended_pool).sqrt();
    eprintln!("  pooled close: {share:.4}");
    assert!(
        share < p - half,
        "without continuity the close should often change hands: {share:.4}"
    );
}

/// A discovery meeting booked by a coordinator with any free field seller, and the
/// close meeting with the same seller.
const MEETINGS: &str = r#"
horizon_weeks = 20
warmup_weeks = 2

[[lead_sources]]
kind = "inbound"
rate_per_week = 12.0

[roles.field]
headcount = 3
booking = "coordinator"
travel_hours = 0.5

[roles.coordinator]
headcount = 1

[roles.inside]
headcount = 1

[[funnel]]
name = "discovery"
kind = "meeting"
role = "field"
routing = "pool"
customer_notice_days = { dist = "uniform", min = 1, max = 4 }
duration = 1.0

[[funnel]]
name = "follow_up"
role = "inside"
duration = 0.5

[[funnel]]
name = "close"
kind = "meeting"
role = "field"
routing = "pool"
same_person_as = "discovery"
customer_notice_days = { dist = "uniform", min = 1, max = 4 }
duration = 1.0
"#;

#[test]
fn a_same_person_meeting_is_booked_with_the_earlier_seller() {
    let loaded = load(MEETINGS);
    let mut pairs = 0;
    let mut sellers_seen = std::collections::BTreeSet::new();
    for trial in 0..3 {
        let (_, trace) = simulate_traced(&loaded.scenario, SEED, trial);
        // Lead slots are reused: a lead is its slot from "lead created" to its end.
        let mut discovery_by = std::collections::HashMap::new();
        for r in &trace.records {
            match (r.what, r.step.as_str()) {
                ("lead created", _) => {
                    discovery_by.remove(&r.item);
                }
                ("meeting booked", "discovery") => {
                    discovery_by.insert(r.item.clone(), r.person);
                    sellers_seen.insert(r.person);
                }
                ("meeting booked", "close") => {
                    let first = discovery_by.get(&r.item).copied();
                    assert_eq!(
                        first,
                        Some(r.person),
                        "trial {trial}: {} closed by another seller",
                        r.item
                    );
                    pairs += 1;
                }
                _ => {}
            }
        }
    }
    assert!(pairs > 100, "only {pairs} closes");
    assert!(
        sellers_seen.len() == 3,
        "discoveries spread over the pool: {sellers_seen:?}"
    );
}

/// One owner-routed step for three reps, exponential work, 70% load.
fn desk(assign: &str) -> String {
    format!(
        r#"
horizon_weeks = 200
warmup_weeks = 10

[[lead_sources]]
kind = "inbound"
rate_per_week = 84.0
assign = "{assign}"

[roles.rep]
headcount = 3

[[funnel]]
name = "qualify"
role = "rep"
routing = "owner"
duration = {{ dist = "exponential", mean = 1.0 }}
"#
    )
}

/// Erlang C: the mean wait in an M/M/c queue with arrival rate `lambda`, service rate
/// `mu` per server.
fn erlang_c_wait(c: u32, lambda: f64, mu: f64) -> f64 {
    let a = lambda / mu;
    let rho = a / f64::from(c);
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..c {
        term *= a / f64::from(k);
        sum += term;
    }
    let last = term * a / f64::from(c) / (1.0 - rho);
    let p_wait = last / (sum + last);
    p_wait / (f64::from(c) * mu - lambda)
}

fn mean_wait(text: &str) -> Summary {
    let loaded = load(text);
    let s = &loaded.scenario;
    let names = catalogue(s).names().to_vec();
    let at = names
        .iter()
        .position(|n| n == "steps.qualify.wait_hours.mean")
        .unwrap();
    let waits: Vec<f64> = (0..TRIALS)
        .map(|t| simulate(s, SEED, t).values[at])
        .collect();
    Summary::of(&waits)
}

fn assert_ci99(what: &str, s: &Summary, expected: f64) {
    let half = t_quantile(s.n - 1, 0.995) * s.sd / (s.n as f64).sqrt();
    eprintln!(
        "  {what}: mean {:.4} +- {half:.4}, expected {expected:.4}",
        s.mean
    );
    assert!(
        (s.mean - expected).abs() <= half,
        "{what}: {:.4} +- {half:.4}, expected {expected:.4}",
        s.mean
    );
}

#[test]
fn pool_assignment_is_one_queue_and_territory_is_three() {
    // 84 leads a week over 40 hours: 2.1 an hour, one hour each, three reps.
    let (lambda, mu) = (2.1, 1.0);
    assert_ci99(
        "assign = pool",
        &mean_wait(&desk("pool")),
        erlang_c_wait(3, lambda, mu),
    );
    // A random owner: three M/M/1 queues at a third of the rate each.
    let per_rep = lambda / 3.0;
    let mm1 = per_rep / mu / (mu - per_rep);
    assert_ci99("assign = territory", &mean_wait(&desk("territory")), mm1);
}
