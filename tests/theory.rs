//! The engine against queueing theory.
//!
//! Each test loads a validation scenario (`scenarios/validation/`), runs it for many
//! independent trials, and judges the across-trial mean of a metric by its 99% Student-t
//! confidence interval, `mean ± t(0.995, n-1) sd / sqrt(n)`, which must contain the value
//! that theory gives. The theory is computed here from the textbook formula and the
//! scenario's parameters (checked against the file), never copied from a run. Each test
//! also bounds the interval's half-width, so that it stays tight enough to catch a real
//! error (a wait off by 10%) even if someone lowers the trial count.
//!
//! Run with `cargo test --release --test theory -- --nocapture` to see theory against
//! simulation for every check.

use std::path::{Path, PathBuf};

use salesim::experiment::{self, Plan, ScenarioResult, Shard};
use salesim::experiment::{Comparison, Manifest};
use salesim::model::simulate;
use salesim::report::render_csv;
use salesim::scenario::raw::RawDist;
use salesim::scenario::{LoadedScenario, Override, SourceKind, load_file, load_str};
use salesim::stats::t_quantile;

/// One seed for the whole file, chosen before any run; never tuned to make a test pass.
const SEED: u64 = 2026;

// ------------------------------------------------------------------------- theory

/// M/M/1 with arrival rate `lambda` and service rate `mu`: (Wq, W).
fn mm1(lambda: f64, mu: f64) -> (f64, f64) {
    let rho = lambda / mu;
    (rho / (mu - lambda), 1.0 / (mu - lambda))
}

/// Erlang C: the probability that an arrival waits in an M/M/c queue with offered load
/// `a = lambda / mu` (needs a < c). Computed through the Erlang B recursion
/// B(k) = a B(k-1) / (k + a B(k-1)), then C = c B / (c - a (1 - B)).
fn erlang_c(c: u32, a: f64) -> f64 {
    assert!(a < f64::from(c), "unstable: a = {a} >= c = {c}");
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (f64::from(k) + a * b);
    }
    let c = f64::from(c);
    c * b / (c - a * (1.0 - b))
}

/// M/M/c with arrival rate `lambda`, mean service `mean` and `c` servers: (Wq, W).
fn mmc(lambda: f64, mean: f64, c: u32) -> (f64, f64) {
    let mu = 1.0 / mean;
    let wq = erlang_c(c, lambda * mean) / (f64::from(c) * mu - lambda);
    (wq, wq + mean)
}

/// Pollaczek-Khinchine: M/G/1 with arrival rate `lambda`, service mean `mean` and second
/// moment `second_moment`: (Wq, W).
fn mg1(lambda: f64, mean: f64, second_moment: f64) -> (f64, f64) {
    let rho = lambda * mean;
    let wq = lambda * second_moment / (2.0 * (1.0 - rho));
    (wq, wq + mean)
}

/// One class of a priority queue: arrival rate, service mean and second moment.
struct Class {
    lambda: f64,
    mean: f64,
    second_moment: f64,
}

/// Cobham: the mean waits of the classes of a non-preemptive priority M/G/1 queue,
/// highest priority first. W0 = sum lambda_i E[S_i^2] / 2, and
/// Wq_k = W0 / ((1 - sigma_{k-1}) (1 - sigma_k)) with sigma_k = rho_1 + ... + rho_k.
fn cobham(classes: &[Class]) -> Vec<f64> {
    let w0: f64 = classes
        .iter()
        .map(|c| c.lambda * c.second_moment / 2.0)
        .sum();
    let mut sigma = 0.0;
    classes
        .iter()
        .map(|c| {
            let before = sigma;
            sigma += c.lambda * c.mean;
            w0 / ((1.0 - before) * (1.0 - sigma))
        })
        .collect()
}

/// Pre-emptive resume priority M/G/1: the mean time in system of each class, highest
/// priority first. With R_k = sum_{i <= k} lambda_i E[S_i^2] / 2,
/// T_k = E[S_k] / (1 - sigma_{k-1}) + R_k / ((1 - sigma_{k-1}) (1 - sigma_k)).
fn preemptive_resume(classes: &[Class]) -> Vec<f64> {
    let (mut sigma, mut r) = (0.0, 0.0);
    classes
        .iter()
        .map(|c| {
            let before = sigma;
            sigma += c.lambda * c.mean;
            r += c.lambda * c.second_moment / 2.0;
            c.mean / (1.0 - before) + r / ((1.0 - before) * (1.0 - sigma))
        })
        .collect()
}

/// GI/M/1 with exponential service at rate `mu` and interarrival Laplace transform
/// `a_star`: sigma is the root in (0, 1) of sigma = A*(mu (1 - sigma)), found by fixed
/// point iteration; then (Wq, W) = (sigma / (mu (1 - sigma)), 1 / (mu (1 - sigma))).
fn gi_m1(a_star: impl Fn(f64) -> f64, mu: f64) -> (f64, f64) {
    let mut sigma: f64 = 0.5;
    for _ in 0..10_000 {
        let next = a_star(mu * (1.0 - sigma));
        if (next - sigma).abs() < 1e-15 {
            break;
        }
        sigma = next;
    }
    assert!(sigma > 0.0 && sigma < 1.0, "no root: {sigma}");
    (sigma / (mu * (1.0 - sigma)), 1.0 / (mu * (1.0 - sigma)))
}

/// E[S^2] of an exponential distribution with mean `mean`.
fn exponential_second_moment(mean: f64) -> f64 {
    2.0 * mean * mean
}

// ------------------------------------------------------------------------- running

fn validation_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/validation")
        .join(name)
}

/// Loads a validation scenario, with `PATH=VALUE` overrides.
fn load(name: &str, overrides: &[&str]) -> LoadedScenario {
    let overrides: Vec<Override> = overrides
        .iter()
        .map(|o| Override::parse(o).unwrap())
        .collect();
    load_file(&validation_file(name), &overrides)
        .unwrap_or_else(|e| panic!("{name} does not load: {e}"))
}

fn run_with_seed(scenarios: &[LoadedScenario], trials: u64, seed: u64) -> Vec<ScenarioResult> {
    let plan = Plan {
        trials,
        seed,
        shard: Shard::WHOLE,
    };
    experiment::run_all(scenarios, plan)
}

fn run(scenarios: &[LoadedScenario], trials: u64) -> Vec<ScenarioResult> {
    run_with_seed(scenarios, trials, SEED)
}

fn column(result: &ScenarioResult, metric: &str) -> Vec<f64> {
    let values = result
        .column_named(metric)
        .unwrap_or_else(|| panic!("no metric {metric}"));
    assert!(
        values.iter().all(|v| v.is_finite()),
        "{metric}: a trial had no observation: {values:?}"
    );
    values
}

/// Arrival rate per working hour of the scenario's inbound source `source`.
fn arrivals_per_hour(loaded: &LoadedScenario, source: usize) -> f64 {
    match loaded.scenario.lead_sources[source].kind {
        SourceKind::Inbound { rate_per_hour, .. } => rate_per_hour,
        SourceKind::Prospecting { .. } => panic!("source {source} is not inbound"),
    }
}

/// Checks that the file still describes the queue whose theory the test computes:
/// lead arrivals per week, the first step's distribution (and its parameters) and the
/// headcount of its role.
fn assert_declares(
    loaded: &LoadedScenario,
    rate_per_week: f64,
    dist: &str,
    mean: f64,
    sd: Option<f64>,
    servers: u32,
) {
    let s = &loaded.scenario;
    let hours_per_week = s.calendar.hours_per_week();
    assert_eq!(
        s.lead_sources.len(),
        1,
        "{}: one lead source",
        loaded.origin
    );
    let lambda = arrivals_per_hour(loaded, 0);
    assert!(
        (lambda * hours_per_week - rate_per_week).abs() < 1e-9,
        "{}: arrivals {} a week, the test assumes {rate_per_week}",
        loaded.origin,
        lambda * hours_per_week
    );
    assert_eq!(s.funnel.len(), 1, "{}: one step", loaded.origin);
    let role = &s.roles[s.funnel[0].variants[0].role];
    assert_eq!(role.headcount, servers, "{}: headcount", loaded.origin);
    match &loaded.raw.funnel[0].duration {
        Some(RawDist::Table(t)) => {
            assert_eq!(t.dist, dist, "{}: distribution", loaded.origin);
            assert_eq!(t.mean, Some(mean), "{}: mean", loaded.origin);
            assert_eq!(t.sd, sd, "{}: sd", loaded.origin);
        }
        other => panic!("{}: unexpected duration {other:?}", loaded.origin),
    }
}

// ------------------------------------------------------------------------- judging

/// The across-trial mean of per-trial values and the half-width of its 99% confidence
/// interval.
#[derive(Debug, Clone, Copy)]
struct Estimate {
    n: usize,
    mean: f64,
    half_width: f64,
}

impl Estimate {
    fn of(values: &[f64]) -> Estimate {
        let n = values.len();
        assert!(n >= 2, "need at least two trials");
        let mean = values.iter().sum::<f64>() / n as f64;
        let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let half_width = t_quantile(n as u64 - 1, 0.995) * var.sqrt() / (n as f64).sqrt();
        Estimate {
            n,
            mean,
            half_width,
        }
    }

    fn contains(&self, x: f64) -> bool {
        (self.mean - x).abs() <= self.half_width
    }
}

/// Asserts that the 99% confidence interval of the mean of `values` contains `theory`,
/// and that the interval is no wider than `max_relative_half_width` of the theory (so
/// that the check has the power to see an error of that order).
fn assert_matches(label: &str, values: &[f64], theory: f64, max_relative_half_width: f64) {
    let e = Estimate::of(values);
    println!(
        "{label}: theory {theory:.4}, simulated {:.4} ± {:.4} (99%, {} trials; {:+.2}%)",
        e.mean,
        e.half_width,
        e.n,
        100.0 * (e.mean - theory) / theory
    );
    assert!(
        e.contains(theory),
        "{label}: theory {theory} is outside the 99% interval {} ± {} ({} trials)",
        e.mean,
        e.half_width,
        e.n
    );
    assert!(
        e.half_width <= max_relative_half_width * theory.abs(),
        "{label}: the 99% interval ± {} is wider than {}% of {theory}: too few trials to judge",
        e.half_width,
        100.0 * max_relative_half_width
    );
}

/// Wait and time in system of the single step `step` of a one-step queue.
fn assert_queue(result: &ScenarioResult, label: &str, step: &str, wq: f64, w: f64, tol: f64) {
    assert_matches(
        &format!("{label} mean wait Wq (h)"),
        &column(result, &format!("steps.{step}.wait_hours.mean")),
        wq,
        tol,
    );
    assert_matches(
        &format!("{label} mean time in system W (h)"),
        &column(result, &format!("steps.{step}.lead_time_hours.mean")),
        w,
        tol,
    );
}

// ------------------------------------------------------------------------- the helpers

#[test]
fn erlang_c_helper_agrees_with_closed_forms() {
    // One server: the probability of waiting is rho. Two: a^2 / (2 + a).
    for a in [0.1, 0.5, 0.9] {
        assert!((erlang_c(1, a) - a).abs() < 1e-12);
    }
    for a in [0.5, 1.0, 1.8] {
        assert!((erlang_c(2, a) - a * a / (2.0 + a)).abs() < 1e-12);
    }
    // M/M/c with one server is M/M/1.
    let (wq, w) = mmc(0.8, 1.0, 1);
    let (wq1, w1) = mm1(0.8, 1.0);
    assert!((wq - wq1).abs() < 1e-12 && (w - w1).abs() < 1e-12);
    // P-K with exponential service is M/M/1; Cobham with one class is P-K.
    let (wq_pk, _) = mg1(0.8, 1.0, exponential_second_moment(1.0));
    assert!((wq_pk - wq1).abs() < 1e-12);
    let one = cobham(&[Class {
        lambda: 0.8,
        mean: 1.0,
        second_moment: 2.0,
    }]);
    assert!((one[0] - wq1).abs() < 1e-12);
    // One class has nothing to pre-empt it: M/M/1 again. GI/M/1 with Poisson arrivals
    // (A*(s) = lambda / (lambda + s)) is M/M/1 too.
    let alone = preemptive_resume(&[Class {
        lambda: 0.8,
        mean: 1.0,
        second_moment: 2.0,
    }]);
    assert!((alone[0] - w1).abs() < 1e-12);
    let (wq_gi, w_gi) = gi_m1(|s| 0.8 / (0.8 + s), 1.0);
    assert!((wq_gi - wq1).abs() < 1e-9 && (w_gi - w1).abs() < 1e-9);
}

// ------------------------------------------------------------------------- single queues

#[test]
fn mm1_at_half_load_matches_theory() {
    let loaded = load("mm1_low.toml", &[]);
    assert_declares(&loaded, 20.0, "exponential", 1.0, None, 1);
    let lambda = arrivals_per_hour(&loaded, 0);
    let (wq, w) = mm1(lambda, 1.0);
    let result = &run(&[loaded], 30)[0];
    assert_queue(result, "M/M/1 rho 0.5", "serve", wq, w, 0.04);
}

#[test]
fn mm1_at_high_load_matches_theory() {
    let loaded = load("mm1_high.toml", &[]);
    assert_declares(&loaded, 32.0, "exponential", 1.0, None, 1);
    let lambda = arrivals_per_hour(&loaded, 0);
    let (wq, w) = mm1(lambda, 1.0);
    let result = &run(&[loaded], 60)[0];
    assert_queue(result, "M/M/1 rho 0.8", "serve", wq, w, 0.04);
}

#[test]
fn mm3_quote_desk_matches_erlang_c() {
    let loaded = load("mm3.toml", &[]);
    assert_declares(&loaded, 30.0, "exponential", 3.0, None, 3);
    let lambda = arrivals_per_hour(&loaded, 0);
    let (wq, w) = mmc(lambda, 3.0, 3);
    let result = &run(&[loaded], 60)[0];
    assert_queue(result, "M/M/3", "quote", wq, w, 0.04);
    // The headline quote lead time is the quote step's lead time.
    assert_eq!(
        column(result, "quote_lead_time_hours.mean"),
        column(result, "steps.quote.lead_time_hours.mean")
    );
}

#[test]
fn mg1_with_lognormal_service_matches_pollaczek_khinchine() {
    let loaded = load("mg1_lognormal.toml", &[]);
    let (mean, sd) = (1.0, 1.5);
    assert_declares(&loaded, 24.0, "lognormal", mean, Some(sd), 1);
    let lambda = arrivals_per_hour(&loaded, 0);
    let (wq, w) = mg1(lambda, mean, sd * sd + mean * mean);
    let result = &run(&[loaded], 100)[0];
    assert_queue(result, "M/G/1 lognormal", "serve", wq, w, 0.04);
}

#[test]
fn mm5_peer_workload_matches_erlang_c() {
    // The file runs one long trial (about 1,000,000 arrivals, as the SimPy peer does);
    // here the same arrivals are spread over independent trials to get an interval.
    let loaded = load("mm5_peer.toml", &["horizon_weeks=1110", "warmup_weeks=10"]);
    assert_declares(&loaded, 180.0, "exponential", 1.0, None, 5);
    let lambda = arrivals_per_hour(&loaded, 0);
    let (wq, w) = mmc(lambda, 1.0, 5);
    let result = &run(&[loaded], 16)[0];
    assert_queue(result, "M/M/5 rho 0.9", "task", wq, w, 0.04);
}

// ------------------------------------------------------------------------- priorities

#[test]
fn priority_desk_matches_cobham_for_both_classes() {
    let loaded = load("priority_desk.toml", &[]);
    let s = &loaded.scenario;
    let hours_per_week = s.calendar.hours_per_week();
    // Class 1: service requests (1 h); class 2: quotes (2 h); both exponential.
    let (service_mean, quote_mean) = (1.0, 2.0);
    let service = s.service.as_ref().expect("a service table");
    assert!((service.rate_per_hour * hours_per_week - 12.0).abs() < 1e-9);
    match loaded
        .raw
        .service
        .as_ref()
        .and_then(|r| r.duration.as_ref())
    {
        Some(RawDist::Table(t)) => {
            assert_eq!(
                (t.dist.as_str(), t.mean),
                ("exponential", Some(service_mean))
            );
        }
        other => panic!("unexpected service duration {other:?}"),
    }
    assert_eq!(
        service.variants[0].role, s.funnel[0].variants[0].role,
        "one desk does both"
    );
    assert_declares(&loaded, 8.0, "exponential", quote_mean, None, 1);
    let classes = [
        Class {
            lambda: service.rate_per_hour,
            mean: service_mean,
            second_moment: exponential_second_moment(service_mean),
        },
        Class {
            lambda: arrivals_per_hour(&loaded, 0),
            mean: quote_mean,
            second_moment: exponential_second_moment(quote_mean),
        },
    ];
    let wq = cobham(&classes);
    let result = &run(&[loaded], 60)[0];
    // There is no service wait metric: the response (arrival to done) is the wait plus
    // the service time, whose mean is known, so both are judged from the response.
    let response = column(result, "service_response_hours.mean");
    let service_wait: Vec<f64> = response.iter().map(|r| r - service_mean).collect();
    assert_matches(
        "priority class 1 (service) mean wait (h)",
        &service_wait,
        wq[0],
        0.04,
    );
    assert_matches(
        "priority class 1 (service) mean response (h)",
        &response,
        wq[0] + service_mean,
        0.04,
    );
    assert_queue(
        result,
        "priority class 2 (quote)",
        "quote",
        wq[1],
        wq[1] + quote_mean,
        0.04,
    );
}

#[test]
fn priority_desk_with_pre_emption_matches_preemptive_resume_theory() {
    // The same desk, but a service request interrupts the quote in hand (no switch
    // cost), which resumes where it stopped.
    let loaded = load(
        "priority_desk.toml",
        &["roles.desk.interrupted_by=[\"service\"]"],
    );
    assert!(loaded.scenario.roles[0].switch_cost_hours == 0.0);
    let service = loaded.scenario.service.as_ref().expect("a service table");
    let classes = [
        Class {
            lambda: service.rate_per_hour,
            mean: 1.0,
            second_moment: exponential_second_moment(1.0),
        },
        Class {
            lambda: arrivals_per_hour(&loaded, 0),
            mean: 2.0,
            second_moment: exponential_second_moment(2.0),
        },
    ];
    let t = preemptive_resume(&classes);
    let result = &run(&[loaded], 60)[0];
    assert_matches(
        "pre-emptive class 1 (service) mean response (h)",
        &column(result, "service_response_hours.mean"),
        t[0],
        0.04,
    );
    assert_matches(
        "pre-emptive class 2 (quote) mean time in system (h)",
        &column(result, "steps.quote.lead_time_hours.mean"),
        t[1],
        0.04,
    );
}

// ------------------------------------------------------------------------- pooling

#[test]
fn pooling_four_people_beats_four_territories_as_theory_predicts() {
    let owner = load("owner_territory_4.toml", &[]);
    let pool = load("pool_4.toml", &[]);
    assert_declares(&owner, 120.0, "exponential", 1.0, None, 4);
    assert_declares(&pool, 120.0, "exponential", 1.0, None, 4);
    let lambda = arrivals_per_hour(&pool, 0);
    // Territories: each person is an M/M/1 fed lambda / 4 (Poisson splitting).
    let (owner_wq, owner_w) = mm1(lambda / 4.0, 1.0);
    let (pool_wq, pool_w) = mmc(lambda, 1.0, 4);
    // One run: trial i of both designs faces the same arrivals and durations.
    let results = run(&[owner, pool], 16);
    assert_queue(
        &results[0],
        "4 territories",
        "serve",
        owner_wq,
        owner_w,
        0.04,
    );
    assert_queue(&results[1], "pool of 4", "serve", pool_wq, pool_w, 0.04);
    // The pool waits less in every trial, and by what theory says on average.
    let owner_waits = column(&results[0], "steps.serve.wait_hours.mean");
    let pool_waits = column(&results[1], "steps.serve.wait_hours.mean");
    let saved: Vec<f64> = owner_waits
        .iter()
        .zip(&pool_waits)
        .map(|(o, p)| o - p)
        .collect();
    assert!(saved.iter().all(|&d| d > 0.0), "{saved:?}");
    let e = Estimate::of(&saved);
    assert!(e.mean - e.half_width > 0.0, "pooling must wait less: {e:?}");
    assert_matches(
        "wait saved by pooling (h)",
        &saved,
        owner_wq - pool_wq,
        0.04,
    );
}

#[test]
fn round_robin_owners_see_erlang_arrivals_as_gi_m1_predicts() {
    // Dealing the leads of owner_territory_4.toml round robin gives each person every
    // fourth arrival: Erlang-4 interarrival times of mean 4 / lambda, so each person is
    // an E4/M/1 queue, whose A*(s) = (k lambda' / (k lambda' + s))^k, lambda' = lambda / 4.
    let loaded = load(
        "owner_territory_4.toml",
        &["lead_sources.0.assign=round_robin"],
    );
    assert_declares(&loaded, 120.0, "exponential", 1.0, None, 4);
    let per_person = arrivals_per_hour(&loaded, 0) / 4.0;
    let k = 4.0;
    let (wq, w) = gi_m1(|s| (k * per_person / (k * per_person + s)).powf(k), 1.0);
    let result = &run(&[loaded], 16)[0];
    assert_queue(result, "E4/M/1 round robin", "serve", wq, w, 0.04);
}

// ------------------------------------------------------------------------- laws

/// A funnel of several steps where every ending occurs: first contact by a busy
/// inside-sales person (so leads go cold after 2 days), a meeting, a quote, a close.
const FUNNEL: &str = r#"
name = "Funnel with every ending"
horizon_weeks = 80
warmup_weeks = 4

[[lead_sources]]
kind = "inbound"
rate_per_week = 60.0

[leads]
shelf_life_days = 2

[roles.inside]
headcount = 1

[roles.rep]
headcount = 3

[roles.engineering]
headcount = 2

[[funnel]]
name = "qualify"
role = "inside"
routing = "pool"
duration = { dist = "exponential", mean = 0.6 }
advance = 0.5

[[funnel]]
name = "discovery"
kind = "meeting"
role = "rep"
routing = "owner"
customer_notice_days = { dist = "uniform", min = 1, max = 5 }
duration = { dist = "triangular", min = 1.0, mode = 1.5, max = 2.5 }
advance = 0.6

[[funnel]]
name = "quote"
role = "engineering"
routing = "pool"
quote = true
duration = { dist = "gamma", mean = 3.0, sd = 1.5 }
advance = 0.5

[[funnel]]
name = "close"
role = "rep"
routing = "owner"
duration = { dist = "exponential", mean = 1.0 }
advance = 0.7

[deals]
value = { dist = "lognormal", mean = 40000, sd = 20000 }
"#;

fn funnel() -> LoadedScenario {
    load_str(FUNNEL, "funnel.toml", "funnel", &[]).expect("the funnel loads")
}

/// Little's law, L = lambda W, trial by trial: the time-average number of open leads
/// against the rate of new leads times their mean time in the system.
fn assert_littles_law(label: &str, loaded: &LoadedScenario, trials: u64) {
    let hours_per_week = loaded.scenario.calendar.hours_per_week();
    let result = &run(std::slice::from_ref(loaded), trials)[0];
    let l = column(result, "leads_in_system.mean");
    let created = column(result, "leads_created_per_week");
    let w = column(result, "lead_time_in_system_hours.mean");
    let lambda_w: Vec<f64> = created
        .iter()
        .zip(&w)
        .map(|(c, w)| c / hours_per_week * w)
        .collect();
    // Paired: L - lambda W in each trial is zero up to the leads open at either end of
    // the measured window, whose effect averages out.
    let gap: Vec<f64> = l.iter().zip(&lambda_w).map(|(l, lw)| l - lw).collect();
    let e = Estimate::of(&gap);
    let (el, elw) = (Estimate::of(&l), Estimate::of(&lambda_w));
    println!(
        "{label} Little's law: L = {:.4}, lambda W = {:.4}; L - lambda W = {:.5} ± {:.5} (99%, {} trials)",
        el.mean, elw.mean, e.mean, e.half_width, e.n
    );
    assert!(e.contains(0.0), "{label}: L - lambda W = {e:?}");
    // Tight enough to see a 1% error in either side.
    assert!(e.half_width < 0.01 * el.mean, "{label}: {e:?}");
}

#[test]
fn littles_law_holds_on_a_queue_and_on_a_funnel() {
    let queue = load("mm1_high.toml", &[]);
    // Theory too: L = lambda W = rho / (1 - rho) for M/M/1.
    let lambda = arrivals_per_hour(&queue, 0);
    let (_, w) = mm1(lambda, 1.0);
    let result = &run(std::slice::from_ref(&queue), 60)[0];
    assert_matches(
        "M/M/1 rho 0.8 leads in system L",
        &column(result, "leads_in_system.mean"),
        lambda * w,
        0.05,
    );
    assert_littles_law("M/M/1 rho 0.8", &queue, 20);
    assert_littles_law("funnel", &funnel(), 20);
}

#[test]
fn arrival_rates_and_utilizations_match_lambda_and_rho() {
    // (file, role, lambda in leads a week, rho = total lambda E[S] / c in working hours),
    // as the file's header states them.
    let cases: [(&str, &str, f64, f64); 7] = [
        ("mm1_low.toml", "desk", 20.0, 0.5 * 1.0),
        ("mm1_high.toml", "desk", 32.0, 0.8 * 1.0),
        ("mm3.toml", "engineering", 30.0, 0.75 * 3.0 / 3.0),
        ("mg1_lognormal.toml", "desk", 24.0, 0.6 * 1.0),
        ("priority_desk.toml", "desk", 8.0, 0.3 * 1.0 + 0.2 * 2.0),
        ("owner_territory_4.toml", "desk", 120.0, 3.0 * 1.0 / 4.0),
        ("pool_4.toml", "desk", 120.0, 3.0 * 1.0 / 4.0),
    ];
    let loaded: Vec<LoadedScenario> = cases.iter().map(|(f, ..)| load(f, &[])).collect();
    // The rho written here must be the one the file describes.
    for ((file, _, _, rho), l) in cases.iter().zip(&loaded) {
        let offered = salesim::model::offered_load(&l.scenario);
        assert!(
            offered.iter().any(|o| (o - rho).abs() < 1e-9),
            "{file}: rho {rho}, offered {offered:?}"
        );
    }
    let results = run(&loaded, 10);
    for ((file, role, lambda, rho), result) in cases.iter().zip(&results) {
        assert_matches(
            &format!("{file} leads created a week"),
            &column(result, "leads_created_per_week"),
            *lambda,
            0.03,
        );
        assert_matches(
            &format!("{file} utilization"),
            &column(result, &format!("roles.{role}.utilization")),
            *rho,
            0.02,
        );
    }
}

#[test]
fn every_lead_is_won_lost_cold_or_open_in_every_trial() {
    let loaded = funnel();
    let s = &loaded.scenario;
    let trials = 20;
    let mut sum = salesim::model::Conservation::default();
    for trial in 0..trials {
        let c = simulate(s, SEED, trial).conservation;
        assert_eq!(
            c.created,
            c.won + c.lost + c.cold + c.open,
            "trial {trial}: {c:?}"
        );
        // Every ending occurs in every trial, so each term of the sum is exercised.
        assert!(
            c.won > 0 && c.lost > 0 && c.cold > 0,
            "trial {trial}: {c:?}"
        );
        sum.created += c.created;
        sum.won += c.won;
        sum.lost += c.lost;
        sum.cold += c.cold;
        sum.open += c.open;
    }
    println!("conservation over {trials} trials: {sum:?}");
    assert!(sum.open > 0, "some leads are still open at the horizon");
    // The experiment adds up the same counts.
    let result = &run(std::slice::from_ref(&loaded), trials)[0];
    assert_eq!(result.conservation, sum);
}

// ------------------------------------------------------------------------- determinism

fn csv(loaded: &[LoadedScenario], trials: u64, seed: u64, threads: usize) -> Vec<u8> {
    let plan = Plan {
        trials,
        seed,
        shard: Shard::WHOLE,
    };
    let results = experiment::with_threads(Some(threads), || run_with_seed(loaded, trials, seed))
        .expect("a thread pool");
    render_csv(&Comparison::new(
        loaded,
        results,
        Manifest::new(loaded, plan, "x".into()),
    ))
}

#[test]
fn results_are_identical_across_thread_counts_and_runs_and_change_with_the_seed() {
    let loaded = [
        load(
            "priority_desk.toml",
            &["horizon_weeks=60", "warmup_weeks=4"],
        ),
        funnel(),
    ];
    let trials = 24;
    let one = csv(&loaded, trials, SEED, 1);
    let two = csv(&loaded, trials, SEED, 2);
    let again = csv(&loaded, trials, SEED, 2);
    let other_seed = csv(&loaded, trials, SEED + 1, 2);
    assert!(one.len() > 1000, "a real report");
    assert!(one == two, "1 thread and 2 threads differ");
    assert!(two == again, "two runs differ");
    assert!(one != other_seed, "another seed gives the same results");
}

/// A service desk alone (no funnel): service requests on a pooled role are an M/M/c
/// queue too, measured by `service_wait_hours` and `service_response_hours`.
#[test]
fn a_pooled_service_desk_matches_erlang_c() {
    let text = r#"
horizon_weeks = 200
warmup_weeks = 5

[roles.desk]
headcount = 2

[service]
rate_per_week = 60.0
role = "desk"
routing = "pool"
duration = { dist = "exponential", mean = 1.0 }
"#;
    let loaded = load_str(text, "desk.toml", "desk", &[]).unwrap();
    let results = run(std::slice::from_ref(&loaded), 40);
    let (wq, w) = mmc(60.0 / 40.0, 1.0, 2);
    assert_matches(
        "service desk M/M/2 wait (h)",
        &column(&results[0], "service_wait_hours.mean"),
        wq,
        0.05,
    );
    assert_matches(
        "service desk M/M/2 response (h)",
        &column(&results[0], "service_response_hours.mean"),
        w,
        0.05,
    );
}
