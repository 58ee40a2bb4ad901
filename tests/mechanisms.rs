//! Tests that fail if a mechanism of the sales machine breaks.
//!
//! Each test runs a small purpose-built design (or a reference design) for tens of
//! trials with one seed, and compares two or more variants of it trial by trial: every
//! variant faces the same demand (common random numbers), so a difference is judged by
//! the 95% Student-t confidence interval of the paired differences. Agreement with a
//! value that follows from the scenario's own parameters is judged by a 99% interval,
//! and invariants (bounds, sums, conservation) are checked in every single trial. No
//! expected value is copied from a run.
//!
//! Run with `cargo test --release --test mechanisms -- --nocapture` to see the values.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use salesim::experiment::{self, Plan, ScenarioResult, Shard};
use salesim::model::{simulate, staffing_cost};
use salesim::scenario::{LoadedScenario, Override, load_file, load_str};
use salesim::stats::{Summary, t_quantile};

/// One seed for the whole file, chosen before any run; never tuned to make a test pass.
const SEED: u64 = 20261;
/// Trials per design in the small purpose-built scenarios.
const TRIALS: u64 = 30;
/// Trials per reference design (60 weeks each, so fewer).
const REFERENCE_TRIALS: u64 = 20;

// ------------------------------------------------------------------------- helpers

fn load(text: &str, sets: &[&str]) -> LoadedScenario {
    let overrides: Vec<Override> = sets
        .iter()
        .map(|s| Override::parse(s).expect("a PATH=VALUE override"))
        .collect();
    load_str(text, "mechanisms.toml", "mechanisms", &overrides)
        .unwrap_or_else(|e| panic!("test scenario does not load: {e}"))
}

fn reference(file: &str) -> LoadedScenario {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(file);
    load_file(&path, &[]).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs every design with the same seed and trial indices (common random numbers).
fn run(designs: &[LoadedScenario], trials: u64) -> Vec<ScenarioResult> {
    let plan = Plan {
        trials,
        seed: SEED,
        shard: Shard::WHOLE,
    };
    experiment::run_all(designs, plan)
}

fn col(result: &ScenarioResult, metric: &str) -> Vec<f64> {
    result
        .column_named(metric)
        .unwrap_or_else(|| panic!("no metric `{metric}`"))
}

/// The per-trial differences `b - a` (a trial where either is NaN is left out).
fn paired(a: &[f64], b: &[f64]) -> Summary {
    assert_eq!(a.len(), b.len(), "paired runs have the same trials");
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| y - x).collect();
    Summary::of(&d)
}

fn show(label: &str, values: &[f64]) -> Summary {
    let s = Summary::of(values);
    eprintln!(
        "  {label:<58} mean {:>10.4}  95% CI [{:.4}, {:.4}]  n {}",
        s.mean, s.ci95_low, s.ci95_high, s.n
    );
    s
}

/// Asserts that `metric` is larger in design `high` than in design `low`, trial by
/// trial: the 95% confidence interval of the paired differences lies above zero.
fn assert_larger(
    metric: &str,
    low_label: &str,
    low: &ScenarioResult,
    high_label: &str,
    high: &ScenarioResult,
) -> Summary {
    let (a, b) = (col(low, metric), col(high, metric));
    show(&format!("{metric} [{low_label}]"), &a);
    show(&format!("{metric} [{high_label}]"), &b);
    let d = paired(&a, &b);
    eprintln!(
        "  {:<58} mean {:>10.4}  95% CI [{:.4}, {:.4}]",
        format!("  difference {high_label} - {low_label}"),
        d.mean,
        d.ci95_low,
        d.ci95_high
    );
    assert!(
        d.n >= 2 && d.ci95_low > 0.0,
        "{metric}: expected {high_label} > {low_label}, but the paired difference is \
         {:.4} with 95% CI [{:.4}, {:.4}] over {} trials",
        d.mean,
        d.ci95_low,
        d.ci95_high,
        d.n
    );
    d
}

/// Asserts that the 99% confidence interval of the mean of `values` contains `expected`.
fn assert_ci99_contains(what: &str, values: &[f64], expected: f64) {
    let s = Summary::of(values);
    let half = t_quantile(s.n - 1, 0.995) * s.sd / (s.n as f64).sqrt();
    eprintln!(
        "  {what:<58} mean {:>10.4}  99% CI [{:.4}, {:.4}]  expected {expected:.4}",
        s.mean,
        s.mean - half,
        s.mean + half
    );
    assert!(
        (s.mean - expected).abs() <= half,
        "{what}: expected {expected:.4}, got {:.4} ± {half:.4} (99% CI, {} trials)",
        s.mean,
        s.n
    );
}

/// Asserts `predicate` of every trial's value of `metric`.
fn assert_every_trial(
    result: &ScenarioResult,
    metric: &str,
    what: &str,
    predicate: impl Fn(f64) -> bool,
) {
    for (trial, v) in result.trials.iter().zip(col(result, metric)) {
        assert!(
            predicate(v),
            "{metric} = {v} in trial {trial}: expected {what}"
        );
    }
}

// --------------------------------------------------------------- meetings and travel

/// Two field sellers who book their own 1-hour meetings; demand (50 a week) exceeds what
/// their calendars hold even without travel (4 a day each: 40 a week).
const FIELD: &str = r#"
horizon_weeks = 12
warmup_weeks = 2

[[lead_sources]]
kind = "inbound"
rate_per_week = 50.0

[roles.seller]
headcount = 2
booking = "self"
booking_minutes = 5
max_meetings_per_day = 4

[[funnel]]
name = "meet"
kind = "meeting"
role = "seller"
routing = "owner"
duration = 1.0
"#;

#[test]
fn zero_travel_gives_more_meetings_per_seller_than_one_hour_legs() {
    let no_travel = load(FIELD, &[]);
    let legs = load(FIELD, &["roles.seller.travel_hours=1.0"]);
    let r = run(&[no_travel, legs], TRIALS);
    let metric = "meetings_per_week_per_seller";
    assert_larger(metric, "1 h legs", &r[1], "no travel", &r[0]);
    // The calendar binds: a day of 8 hours holds floor(8 / (1 + 1 + 1)) = 2 round trips
    // of 1-hour legs around a 1-hour meeting, and 4 meetings (the cap) without travel.
    let days = 5.0;
    assert_every_trial(&r[1], metric, "at most 2 a day with 1 h legs", |v| {
        v <= 2.0 * days + 1e-9
    });
    assert_every_trial(&r[0], metric, "at most 4 a day", |v| v <= 4.0 * days + 1e-9);
    let legs = Summary::of(&col(&r[1], metric));
    assert!(
        legs.ci95_low > 0.95 * 2.0 * days,
        "demand exceeds capacity, so 1 h legs should fill 2 meetings a day: {legs:?}"
    );
    // Time is accounted where it goes: each 1-hour meeting has two 1-hour legs.
    let selling = col(&r[1], "roles.seller.time_share.selling");
    let travel = col(&r[1], "roles.seller.time_share.travel");
    for ((trial, s), t) in r[1].trials.iter().zip(selling).zip(travel) {
        assert!(
            (t - 2.0 * s).abs() < 1e-9,
            "trial {trial}: travel share {t} should be twice the selling share {s}"
        );
    }
    assert_every_trial(&r[0], "roles.seller.time_share.travel", "0", |v| v == 0.0);
}

/// Two field sellers with 30-minute meetings and 1-hour legs, and a coordinator.
/// Self-booked round trips hold floor(8 / 2.5) = 3 meetings a day; a coordinator who
/// chains meetings with legs cut by 80% fits 1 + 4 x 0.5 + 3 x 0.4 + 1 = 5.2 hours for
/// 4 meetings (the cap); a coordinator with no clustering chains full legs: 3 a day.
const COORDINATED: &str = r#"
horizon_weeks = 12
warmup_weeks = 2

[[lead_sources]]
kind = "inbound"
rate_per_week = 50.0

[roles.field]
headcount = 2
booking = "self"
booking_minutes = 5
max_meetings_per_day = 4
travel_hours = 1.0

[roles.coordinator]
headcount = 1

[[funnel]]
name = "meet"
kind = "meeting"
role = "field"
routing = "pool"
duration = 0.5
"#;

const BY_COORDINATOR: [&str; 2] = [
    "roles.field.booking=coordinator",
    "roles.field.booking_role=coordinator",
];

#[test]
fn a_coordinator_who_clusters_books_more_meetings_per_seller_than_self_booked_round_trips() {
    let own = load(COORDINATED, &[]);
    let clustered = load(
        COORDINATED,
        &[
            BY_COORDINATOR[0],
            BY_COORDINATOR[1],
            "roles.field.clustering=0.8",
        ],
    );
    let unclustered = load(
        COORDINATED,
        &[
            BY_COORDINATOR[0],
            BY_COORDINATOR[1],
            "roles.field.clustering=0.0",
        ],
    );
    let r = run(&[own, clustered, unclustered], TRIALS);
    let metric = "meetings_per_week_per_seller";
    assert_larger(
        metric,
        "self-booked",
        &r[0],
        "coordinator, clustering 0.8",
        &r[1],
    );
    // Clustering, not the coordinator alone, is what shortens the day's travel.
    assert_larger(
        metric,
        "coordinator, no clustering",
        &r[2],
        "coordinator, clustering 0.8",
        &r[1],
    );
    // With enough demand a coordinated seller reaches the cap of 4 a day, never more.
    let cap = 4.0 * 5.0;
    for result in &r {
        assert_every_trial(result, metric, "at most max_meetings_per_day x 5", |v| {
            v <= cap + 1e-9
        });
    }
    let clustered = Summary::of(&col(&r[1], metric));
    assert!(
        clustered.ci95_low > 0.95 * cap,
        "a saturated, clustered calendar should reach ~4 meetings a day: {clustered:?}"
    );
}

// ------------------------------------------------------------------- pooling, service

/// Four people answer service requests at 80% utilisation: 128 requests a week of 1 hour
/// (exponential) against 4 x 40 hours.
const SERVICE_DESK: &str = r#"
horizon_weeks = 30
warmup_weeks = 4

[roles.desk]
headcount = 4

[service]
rate_per_week = 128.0
role = "desk"
routing = "pool"
duration = { dist = "exponential", mean = 1.0 }
"#;

#[test]
fn pooled_service_responds_faster_than_owner_routed_service_at_equal_load() {
    let pooled = load(SERVICE_DESK, &[]);
    let owned = load(SERVICE_DESK, &["service.routing=owner"]);
    let r = run(&[pooled, owned], TRIALS);
    for metric in ["service_response_hours.mean", "service_response_hours.p90"] {
        assert_larger(metric, "pool", &r[0], "owner", &r[1]);
    }
    // Equal load: the same requests, the same work, the same people, and the time
    // accounted as service is the offered load, 128 h a week over 4 x 40 h.
    for result in &r {
        let share = col(result, "roles.desk.time_share.service");
        assert_ci99_contains("roles.desk.time_share.service", &share, 128.0 / 160.0);
    }
    let load = paired(
        &col(&r[0], "roles.desk.utilization"),
        &col(&r[1], "roles.desk.utilization"),
    );
    assert!(
        load.mean.abs() < 0.01,
        "both designs should carry the same load: utilisation differs by {load:?}"
    );
}

// ------------------------------------------------------------------------ prospecting

/// Three reps who prospect up to 10 hours a week each in their idle time.
const PROSPECTING: &str = r#"
horizon_weeks = 20
warmup_weeks = 2

[[lead_sources]]
kind = "inbound"
rate_per_week = 6.0

[[lead_sources]]
kind = "prospecting"
role = "rep"
max_hours_per_week = 10.0
leads_per_hour = 0.5

[roles.rep]
headcount = 3

[[funnel]]
name = "work"
role = "rep"
routing = "owner"
duration = { dist = "exponential", mean = 1.0 }
"#;

#[test]
fn a_busy_rep_prospects_less_and_never_more_than_his_weekly_allowance() {
    let quiet = load(PROSPECTING, &[]);
    let busy = load(PROSPECTING, &["lead_sources.0.rate_per_week=100.0"]);
    let r = run(&[quiet, busy], TRIALS);
    let metric = "roles.rep.time_share.prospecting";
    assert_larger(
        metric,
        "busy (100 inbound/week)",
        &r[1],
        "quiet (6/week)",
        &r[0],
    );
    let allowance = 10.0 / 40.0;
    for result in &r {
        assert_every_trial(result, metric, "at most 10 h of 40 h a week", |v| {
            v <= allowance + 1e-9
        });
    }
}

// ------------------------------------------------------------------------ pull release

/// One inside seller qualifies leads in exactly 1 hour; 60 leads a week arrive against a
/// capacity of 40: overloaded, so leads pile up somewhere.
const PULL: &str = r#"
horizon_weeks = 20
warmup_weeks = 2

[[lead_sources]]
kind = "inbound"
rate_per_week = 60.0
release = "push"
to_role = "inside"

[roles.inside]
headcount = 1

[[funnel]]
name = "first"
role = "inside"
routing = "owner"
duration = 1.0
"#;

/// With pull release the puller holds at most `queue_target` leads, so a lead he pulls
/// waits behind at most `queue_target - 1` others of 1 hour each: the wait at his desk is
/// bounded, however long the pool. With push every lead joins his queue and the wait
/// grows with the backlog. (Leads in the system are not bounded by pull when demand
/// exceeds capacity: the backlog moves from the desk to the pool.)
#[test]
fn pull_release_bounds_the_wait_at_the_pullers_desk_while_push_lets_it_grow() {
    let q = 10.0;
    let push = load(PULL, &[]);
    let pull = load(
        PULL,
        &[
            "lead_sources.0.release=pull",
            "lead_sources.0.queue_target=10",
        ],
    );
    let r = run(&[push, pull], TRIALS);
    let metric = "steps.first.wait_hours.mean";
    assert_larger(metric, "pull, queue_target 10", &r[1], "push", &r[0]);
    let duration = 1.0;
    assert_every_trial(&r[1], metric, "at most (q - 1) x 1 h with pull", |v| {
        v <= (q - 1.0) * duration + 1e-9
    });
    let push_wait = Summary::of(&col(&r[0], metric));
    assert!(
        push_wait.ci95_low > 5.0 * q * duration,
        "an overloaded push desk should wait far longer than a pull buffer: {push_wait:?}"
    );
    // The customer still waits: from creation, first contact includes the pool.
    show(
        "leads_in_system.mean [push]",
        &col(&r[0], "leads_in_system.mean"),
    );
    show(
        "leads_in_system.mean [pull]",
        &col(&r[1], "leads_in_system.mean"),
    );
    show(
        "first_contact_hours.mean [pull]",
        &col(&r[1], "first_contact_hours.mean"),
    );
}

// --------------------------------------------------------------------------- handoffs

/// Three steps, each certain to advance: `a` qualifies, `b` designs, `a` closes. Each
/// pass to a person new to the lead multiplies the win probability by 1 - 0.2; the close
/// back with the lead's owner in `a` is not a new person.
const HANDOFFS: &str = r#"
horizon_weeks = 20
warmup_weeks = 2

[[lead_sources]]
kind = "inbound"
rate_per_week = 20.0

[roles.a]
headcount = 2

[roles.b]
headcount = 2

[roles.c]
headcount = 2

[handoff]
win_loss = 0.2

[[funnel]]
name = "one"
role = "a"
routing = "owner"
duration = { dist = "exponential", mean = 0.5 }

[[funnel]]
name = "two"
role = "b"
routing = "owner"
duration = { dist = "exponential", mean = 0.5 }

[[funnel]]
name = "three"
role = "a"
routing = "owner"
duration = { dist = "exponential", mean = 0.5 }
"#;

#[test]
fn each_handoff_multiplies_the_win_rate_by_one_minus_the_handoff_loss() {
    let h = 0.2;
    let two = load(HANDOFFS, &["funnel.2.role=c"]);
    let one = load(HANDOFFS, &["funnel.2.role=b"]);
    let none = load(HANDOFFS, &["funnel.1.role=a"]);
    let round_trip = load(HANDOFFS, &[]);
    let r = run(&[two, one, none, round_trip], TRIALS);
    assert_ci99_contains(
        "win_rate, a -> b -> c (2 handoffs)",
        &col(&r[0], "win_rate"),
        (1.0 - h) * (1.0 - h),
    );
    assert_ci99_contains(
        "win_rate, a -> b -> b (1 handoff)",
        &col(&r[1], "win_rate"),
        1.0 - h,
    );
    assert_ci99_contains(
        "win_rate, a -> b -> back to a's owner (1 handoff)",
        &col(&r[3], "win_rate"),
        1.0 - h,
    );
    show(
        "win_rate, a -> a -> a (no handoff)",
        &col(&r[2], "win_rate"),
    );
    assert_every_trial(&r[2], "win_rate", "1: one owner, no handoff", |v| v == 1.0);
}

// ---------------------------------------------------------------------- staffing cost

#[test]
fn staffing_cost_of_the_craftsperson_team_equals_the_hand_computation() {
    let loaded = reference("craftsperson.toml");
    // From the file: 12 reps at 155,000; promotions 93,000; 2 customer service at
    // 61,000; an engineer at 136,000; admin 72,000; the reps' 3 regional managers plus a
    // head of sales above them (ceil(3 / 8) = 1) at 193,000; 3 offices at 80,000.
    let roles = 12.0 * 155_000.0 + 93_000.0 + 2.0 * 61_000.0 + 136_000.0 + 72_000.0;
    let management = (3.0 + 1.0) * 193_000.0;
    let offices = 3.0 * 80_000.0;
    let by_hand = roles + management + offices;
    assert_eq!(by_hand, 3_295_000.0);
    let cost = staffing_cost(&loaded.scenario);
    assert_eq!(cost.roles_per_year, roles);
    assert_eq!(cost.managers, 4);
    assert_eq!(cost.management_per_year, management);
    assert_eq!(cost.offices_per_year, offices);
    assert_eq!(cost.total_per_year(), by_hand);
    check_cost_metrics(&reference_runs().craftsperson, by_hand);
}

#[test]
fn staffing_cost_of_the_specialized_team_equals_the_hand_computation() {
    let loaded = reference("specialized.toml");
    // From the file: 4 field sellers at 155,000; 2 inside at 100,000; 2 promotions at
    // 93,000; a coordinator at 72,000; 5 customer service at 61,000; 3 engineers at
    // 136,000; one sales manager (a single manager needs no layer above) at 193,000;
    // no offices.
    let roles = 4.0 * 155_000.0
        + 2.0 * 100_000.0
        + 2.0 * 93_000.0
        + 72_000.0
        + 5.0 * 61_000.0
        + 3.0 * 136_000.0;
    let management = 193_000.0;
    let by_hand = roles + management;
    assert_eq!(by_hand, 1_984_000.0);
    let cost = staffing_cost(&loaded.scenario);
    assert_eq!(cost.roles_per_year, roles);
    assert_eq!(cost.managers, 1);
    assert_eq!(cost.management_per_year, management);
    assert_eq!(cost.offices_per_year, 0.0);
    assert_eq!(cost.total_per_year(), by_hand);
    check_cost_metrics(&reference_runs().specialized, by_hand);
}

/// In every trial: the staffing cost metric is the file's cost, and the cost per meeting
/// is that cost over a year of the trial's meetings.
fn check_cost_metrics(result: &ScenarioResult, by_hand: f64) {
    assert_every_trial(
        result,
        "staffing_cost_per_year",
        "the hand computation",
        |v| v == by_hand,
    );
    let meetings = col(result, "meetings_per_week");
    let per_meeting = col(result, "cost_per_meeting");
    for ((trial, m), c) in result.trials.iter().zip(meetings).zip(per_meeting) {
        let expected = by_hand / (m * 52.0);
        assert!(
            (c - expected).abs() <= 1e-9 * expected,
            "trial {trial}: cost_per_meeting {c}, expected {by_hand} / ({m} x 52) = {expected}"
        );
    }
}

/// Managers: ceil(headcount / span) per role, then a layer of ceil(layer / span) above
/// while a layer has more than one manager.
const MANAGERS: &str = r#"
horizon_weeks = 2

[roles.sales]
headcount = 70
annual_cost = 100000

[costs]
span_of_control = 8
manager_annual_cost = 200000
offices = 2
office_annual_cost = 50000
"#;

#[test]
fn management_layers_are_added_until_a_single_manager_tops_the_tree() {
    // 70 people: ceil(70 / 8) = 9 first-line managers, ceil(9 / 8) = 2 above them, and
    // ceil(2 / 8) = 1 at the top: 12 managers.
    let cost = staffing_cost(&load(MANAGERS, &[]).scenario);
    assert_eq!(cost.managers, 9 + 2 + 1);
    assert_eq!(
        cost.total_per_year(),
        70.0 * 100_000.0 + 12.0 * 200_000.0 + 2.0 * 50_000.0
    );
    // 8 people: one manager, no layer above.
    let cost = staffing_cost(&load(MANAGERS, &["roles.sales.headcount=8"]).scenario);
    assert_eq!(cost.managers, 1);
}

// ----------------------------------------------------------------- reference designs

struct ReferenceRuns {
    craftsperson: ScenarioResult,
    specialized: ScenarioResult,
}

/// Both reference designs, run once for every test that reads them.
fn reference_runs() -> &'static ReferenceRuns {
    static RUNS: OnceLock<ReferenceRuns> = OnceLock::new();
    RUNS.get_or_init(|| {
        let mut r = run(
            &[
                reference("craftsperson.toml"),
                reference("specialized.toml"),
            ],
            REFERENCE_TRIALS,
        );
        let specialized = r.pop().expect("two results");
        let craftsperson = r.pop().expect("two results");
        ReferenceRuns {
            craftsperson,
            specialized,
        }
    })
}

const SHARES: [&str; 8] = [
    "selling",
    "travel",
    "quoting",
    "service",
    "admin",
    "prospecting",
    "switching",
    "idle",
];

#[test]
fn time_shares_of_every_role_sum_to_one_and_utilization_is_one_minus_idle() {
    let runs = reference_runs();
    for (design, loaded, result) in [
        (
            "craftsperson",
            reference("craftsperson.toml"),
            &runs.craftsperson,
        ),
        (
            "specialized",
            reference("specialized.toml"),
            &runs.specialized,
        ),
    ] {
        for role in &loaded.scenario.roles {
            let name = &role.name;
            let shares: Vec<Vec<f64>> = SHARES
                .iter()
                .map(|s| col(result, &format!("roles.{name}.time_share.{s}")))
                .collect();
            let utilization = col(result, &format!("roles.{name}.utilization"));
            for (i, trial) in result.trials.iter().enumerate() {
                let sum: f64 = shares.iter().map(|s| s[i]).sum();
                assert!(
                    (sum - 1.0).abs() < 1e-9,
                    "{design}, role {name}, trial {trial}: time shares sum to {sum}"
                );
                for (s, label) in shares.iter().zip(SHARES) {
                    assert!(
                        (-1e-9..=1.0 + 1e-9).contains(&s[i]),
                        "{design}, role {name}, trial {trial}: share {label} = {}",
                        s[i]
                    );
                }
                let idle = shares[SHARES.len() - 1][i];
                assert!(
                    (utilization[i] - (1.0 - idle)).abs() < 1e-9,
                    "{design}, role {name}, trial {trial}: utilization {} but idle {idle}",
                    utilization[i]
                );
            }
        }
    }
}

#[test]
fn every_lead_of_both_reference_designs_is_won_lost_cold_or_still_open() {
    for file in ["craftsperson.toml", "specialized.toml"] {
        let loaded = reference(file);
        for trial in 0..REFERENCE_TRIALS {
            let c = simulate(&loaded.scenario, SEED, trial).conservation;
            assert!(c.created > 0 && c.won > 0, "{file} trial {trial}: {c:?}");
            assert_eq!(
                c.created,
                c.won + c.lost + c.cold + c.open,
                "{file} trial {trial}: {c:?}"
            );
        }
    }
}

#[test]
fn specialized_field_sellers_hold_more_meetings_per_week_than_craftsperson_reps() {
    let runs = reference_runs();
    assert_larger(
        "meetings_per_week_per_seller",
        "craftsperson",
        &runs.craftsperson,
        "specialized",
        &runs.specialized,
    );
    // Nobody holds more than his role's max_meetings_per_day, 5 days a week.
    for (file, result) in [
        ("craftsperson.toml", &runs.craftsperson),
        ("specialized.toml", &runs.specialized),
    ] {
        let scenario = reference(file).scenario;
        let (mut slots, mut sellers) = (0.0, 0.0);
        for role in scenario.seller_roles() {
            let role = &scenario.roles[role];
            slots += f64::from(role.max_meetings_per_day * role.headcount) * 5.0;
            sellers += f64::from(role.headcount);
        }
        assert_every_trial(
            result,
            "meetings_per_week_per_seller",
            "at most max_meetings_per_day x 5 days",
            |v| v <= slots / sellers + 1e-9,
        );
    }
}

/// DOMAIN.md: a baseline craftsperson lands in selling 20-35%, travel 15-25%, admin
/// 20-30%, service and problem-solving 10-25%. The tolerance is two percentage points
/// either side; a share inside the tolerance but outside the band is printed, and
/// reported, rather than hidden.
#[test]
fn the_craftsperson_reps_time_lands_in_the_published_band() {
    const TOLERANCE: f64 = 0.02;
    let result = &reference_runs().craftsperson;
    for (share, low, high) in [
        ("selling", 0.20, 0.35),
        ("travel", 0.15, 0.25),
        ("admin", 0.20, 0.30),
        ("service", 0.10, 0.25),
    ] {
        let s = show(
            &format!("roles.rep.time_share.{share} (band {low}-{high})"),
            &col(result, &format!("roles.rep.time_share.{share}")),
        );
        if !(low..=high).contains(&s.mean) {
            eprintln!(
                "  NOTE: {share} {:.4} is outside the band {low}-{high}",
                s.mean
            );
        }
        assert!(
            s.mean >= low - TOLERANCE && s.mean <= high + TOLERANCE,
            "rep {share} share {:.4} is outside {low}-{high} even with {TOLERANCE} tolerance",
            s.mean
        );
    }
    for share in ["quoting", "prospecting", "switching", "idle"] {
        show(
            &format!("roles.rep.time_share.{share}"),
            &col(result, &format!("roles.rep.time_share.{share}")),
        );
    }
}

// ------------------------------------------------------------------ ageing and decay

/// One person takes exactly 2 hours per lead; 40 leads a week arrive against a capacity
/// of 20, so the wait for first contact grows past any short shelf life.
const OVERLOADED: &str = r#"
horizon_weeks = 12
warmup_weeks = 2

[[lead_sources]]
kind = "inbound"
rate_per_week = 40.0

[leads]
shelf_life_days = 2

[roles.desk]
headcount = 1

[[funnel]]
name = "first"
role = "desk"
routing = "owner"
duration = 2.0
"#;

#[test]
fn leads_go_cold_when_first_contact_takes_longer_than_their_shelf_life() {
    let short = load(OVERLOADED, &[]);
    let long = load(OVERLOADED, &["leads.shelf_life_days=1000"]);
    let r = run(&[short.clone(), long.clone()], TRIALS);
    let metric = "leads_gone_cold_per_week";
    assert_larger(
        metric,
        "shelf life 1000 days",
        &r[1],
        "shelf life 2 days",
        &r[0],
    );
    assert_every_trial(&r[1], metric, "0 with a long shelf life", |v| v == 0.0);
    // No lead is first contacted after its shelf life of 2 days (16 hours).
    assert_every_trial(&r[0], "first_contact_hours.mean", "within 16 h", |v| {
        v <= 16.0 + 1e-9
    });
    for loaded in [&short, &long] {
        for trial in 0..TRIALS {
            let c = simulate(&loaded.scenario, SEED, trial).conservation;
            assert_eq!(
                c.created,
                c.won + c.lost + c.cold + c.open,
                "trial {trial}: {c:?}"
            );
        }
    }
}

/// An M/M/1 first step: 14 leads a week (0.35 an hour) served at 0.5 an hour, so
/// utilisation 0.7; the step advances surely, less 30% per working day of waiting.
const DECAY: &str = r#"
horizon_weeks = 24
warmup_weeks = 4

[[lead_sources]]
kind = "inbound"
rate_per_week = 14.0

[roles.desk]
headcount = 1

[[funnel]]
name = "first"
role = "desk"
routing = "pool"
duration = { dist = "exponential", mean = 2.0 }
advance = 1.0
advance_decay_per_day = 0.3
"#;

#[test]
fn advance_decay_loses_leads_that_waited_as_the_wait_distribution_predicts() {
    let decaying = load(DECAY, &[]);
    let flat = load(DECAY, &["funnel.0.advance_decay_per_day=0.0"]);
    let r = run(&[decaying, flat], TRIALS);
    assert_larger("win_rate", "decay 0.3 a day", &r[0], "no decay", &r[1]);
    assert_every_trial(&r[1], "win_rate", "1 without decay", |v| v == 1.0);
    // The win probability is E[(1 - d)^(W / 8)] for the M/M/1 wait W, whose Laplace
    // transform is (1 - rho) + rho (mu - lambda) / (mu - lambda + s).
    let (lambda, mu, decay, hours_per_day) = (14.0 / 40.0, 1.0 / 2.0, 0.3, 8.0);
    let rho: f64 = lambda / mu;
    let s = -f64::ln(1.0 - decay) / hours_per_day;
    let expected = (1.0 - rho) + rho * (mu - lambda) / (mu - lambda + s);
    assert_ci99_contains(
        "win_rate with decay (M/M/1 theory)",
        &col(&r[0], "win_rate"),
        expected,
    );
}

// ---------------------------------------------------------------------- rescheduling

/// Two sellers with ample room for 10 meetings a week, booked 1-3 days ahead.
const RESCHEDULE: &str = r#"
horizon_weeks = 16
warmup_weeks = 2

[[lead_sources]]
kind = "inbound"
rate_per_week = 10.0

[roles.seller]
headcount = 2
booking_minutes = 10
travel_hours = 0.5
max_meetings_per_day = 3

[[funnel]]
name = "meet"
kind = "meeting"
role = "seller"
routing = "owner"
customer_notice_days = { dist = "uniform", min = 1, max = 3 }
duration = 1.0
reschedule_probability = 0.5
"#;

#[test]
fn rescheduled_meetings_lengthen_the_meeting_steps_lead_time_and_cost_new_bookings() {
    let half = load(RESCHEDULE, &[]);
    let never = load(RESCHEDULE, &["funnel.0.reschedule_probability=0.0"]);
    let r = run(&[half, never], TRIALS);
    assert_larger(
        "steps.meet.lead_time_hours.mean",
        "never rescheduled",
        &r[1],
        "rescheduled half the time",
        &r[0],
    );
    // Each reschedule is booked again: on average 1 / (1 - 0.5) = 2 bookings a meeting.
    assert_larger(
        "roles.seller.time_share.admin",
        "never rescheduled",
        &r[1],
        "rescheduled half the time",
        &r[0],
    );
}

// ------------------------------------------------------------ interruptions, switching

/// One person prepares 3-hour quotes and answers 15-minute service calls.
const INTERRUPTED: &str = r#"
horizon_weeks = 16
warmup_weeks = 2

[[lead_sources]]
kind = "inbound"
rate_per_week = 6.0

[roles.desk]
headcount = 1
interrupted_by = ["service"]
switch_cost_minutes = 30

[[funnel]]
name = "quote"
role = "desk"
routing = "owner"
quote = true
duration = { dist = "exponential", mean = 3.0 }

[service]
rate_per_week = 20.0
role = "desk"
routing = "owner"
duration = { dist = "exponential", mean = 0.25 }
"#;

#[test]
fn interruptions_cost_switching_time_and_only_interruptions_do() {
    let interrupted = load(INTERRUPTED, &[]);
    let uninterrupted = load(INTERRUPTED, &["roles.desk.interrupted_by=[]"]);
    let free_switch = load(INTERRUPTED, &["roles.desk.switch_cost_minutes=0"]);
    let r = run(&[interrupted, uninterrupted, free_switch], TRIALS);
    let metric = "roles.desk.time_share.switching";
    assert_larger(
        metric,
        "not interrupted",
        &r[1],
        "interrupted, 30 min",
        &r[0],
    );
    assert_every_trial(&r[1], metric, "0 without interruptions", |v| v == 0.0);
    assert_every_trial(&r[2], metric, "0 with a zero switch cost", |v| v == 0.0);
    // Interrupting work is served at once instead of waiting behind a quote.
    assert_larger(
        "service_response_hours.mean",
        "interrupted",
        &r[0],
        "not interrupted",
        &r[1],
    );
}

// ------------------------------------------------- regressions: travel of clustered days

/// One field seller with a coordinator; legs of 6 minutes, 30-minute meetings booked
/// 0-1 working days ahead, about 2 a day.
const SHORT_LEGS: &str = r#"
horizon_weeks = 20
warmup_weeks = 2

[[lead_sources]]
kind = "inbound"
rate_per_week = 10.0

[roles.field]
headcount = 1
booking = "coordinator"
booking_role = "coordinator"
booking_minutes = 5
max_meetings_per_day = 4
travel_hours = 0.1
clustering = 1.0

[roles.coordinator]
headcount = 1

[[funnel]]
name = "meet"
kind = "meeting"
role = "field"
routing = "pool"
customer_notice_days = { dist = "uniform", min = 0, max = 1 }
duration = 0.5
"#;

/// Clustering only ever shortens legs, so a clustered seller never travels more than
/// the same meetings as round trips. Pins a fixed bug: a meeting chained after an
/// earlier one counted the wait for the customer's earliest time as travel (a customer
/// who cannot be seen right after the previous meeting is now a separate trip).
#[test]
fn clustering_never_makes_meetings_cost_more_travel_than_round_trips() {
    let clustered = load(SHORT_LEGS, &[]);
    let round_trips = load(
        SHORT_LEGS,
        &["roles.field.booking=self", "roles.field.clustering=0.0"],
    );
    let r = run(&[clustered, round_trips], TRIALS);
    show(
        "meetings_per_week [clustered]",
        &col(&r[0], "meetings_per_week"),
    );
    show(
        "meetings_per_week [round trips]",
        &col(&r[1], "meetings_per_week"),
    );
    assert_larger(
        "roles.field.time_share.travel",
        "coordinator, clustering 1.0",
        &r[0],
        "self-booked round trips",
        &r[1],
    );
}

/// Two field sellers, fully booked (demand twice the calendar) with two clustered
/// meetings a day and no legs between them: a day on which at least one meeting is held
/// costs one leg out and one leg back. With half the meetings rescheduled on the
/// morning, a day keeps at least one meeting with probability 1 - 0.5^2 and holds
/// 2 x 0.5 meetings on average, so each held 30-minute meeting carries
/// 2 x 0.5 h x 0.75 / 1 = 0.75 h of travel: travel / selling = 1.5. Before the fix it
/// was 1.0: chaining drops the earlier meeting's return leg at booking, and a reschedule
/// did not restore it (`relink_day` in `src/model/meetings/mod.rs` now does).
const RESCHEDULED_DAY: &str = r#"
horizon_weeks = 16
warmup_weeks = 2

[[lead_sources]]
kind = "inbound"
rate_per_week = 40.0

[roles.field]
headcount = 2
booking = "coordinator"
booking_role = "coordinator"
booking_minutes = 5
max_meetings_per_day = 2
travel_hours = 0.5
clustering = 1.0

[roles.coordinator]
headcount = 1

[[funnel]]
name = "meet"
kind = "meeting"
role = "field"
routing = "pool"
duration = 0.5
reschedule_probability = 0.5
"#;

/// See `RESCHEDULED_DAY` for the expected value (pins a fixed bug: a cancelled meeting
/// took the travel of the rest of its clustered day with it).
#[test]
fn a_rescheduled_meeting_leaves_the_rest_of_a_clustered_day_its_travel() {
    let r = run(&[load(RESCHEDULED_DAY, &[])], TRIALS);
    let selling = col(&r[0], "roles.field.time_share.selling");
    let travel = col(&r[0], "roles.field.time_share.travel");
    let ratio: Vec<f64> = travel.iter().zip(&selling).map(|(t, s)| t / s).collect();
    assert_ci99_contains("travel / selling, half rescheduled", &ratio, 1.5);
}
