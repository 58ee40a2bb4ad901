//! Trial benches: one trial of each reference design, the validation queues, the SimPy
//! peer M/M/5 workload, and a full 1,000-trial comparison of the two reference designs.
//!
//! `cargo bench --bench trials` (add `-- --measurement-time 3 --warm-up-time 1` for a
//! quick run; the M/M/5 and comparison groups take 10 samples whatever is asked).
//!
//! - `reference_trial/craftsperson`, `reference_trial/specialized`: one trial of
//!   scenarios/craftsperson.toml and scenarios/specialized.toml as shipped (68 weeks,
//!   of which 16 are warm-up and 52 measured). Each iteration runs the next trial index
//!   (cycling over 64), so the figure is an average over trials, not one lucky draw.
//!   Target: under 5 ms each. `reference_trial/distributor`: one trial of
//!   scenarios/distributor_after.toml (three offices, segments) the same way; issue 19
//!   asks it to cost within 1.5x of the specialized design per event. Throughput is in
//!   events (each design's mean events per trial), so ns per event = 1e9 / thrpt.
//! - `validation_trial/mm3_520_weeks`: one trial of scenarios/validation/mm3.toml.
//! - `peer_mm5/one_trial`: the SimPy peer workload, M/M/5 at utilisation 0.9 with about
//!   1,000,000 arrivals (scenarios/validation/mm5_peer.toml, or benches/peers/mm5.toml
//!   if it is missing), reported as events per second.
//! - `compare_1000/threads/T`: `experiment::run` of both reference designs, 1,000 trials
//!   each, on a pool of T threads (1 and 2), as `salesim compare` does it.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use salesim::experiment::{Plan, Shard, run, with_threads};
use salesim::model::simulate;
use salesim::scenario::{LoadedScenario, load_file};

fn path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn load(relative: &str) -> LoadedScenario {
    load_file(&path(relative), &[]).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// The M/M/5 peer scenario: the validation suite's if present, else the bench copy.
fn mm5_path() -> &'static str {
    if path("scenarios/validation/mm5_peer.toml").exists() {
        "scenarios/validation/mm5_peer.toml"
    } else {
        "benches/peers/mm5.toml"
    }
}

/// Trial indices a reference bench cycles over.
const REFERENCE_TRIALS: u64 = 64;

fn reference_trial(c: &mut Criterion) {
    let mut group = c.benchmark_group("reference_trial");
    for name in ["craftsperson", "specialized", "distributor"] {
        let file = match name {
            "distributor" => "scenarios/distributor_after.toml".to_string(),
            _ => format!("scenarios/{name}.toml"),
        };
        let scenario = load(&file).scenario;
        // Throughput in events (the mean over the trials cycled through, untimed), so
        // designs of different sizes compare per event: ns per event = 1e9 / thrpt.
        let events: u64 = (0..REFERENCE_TRIALS)
            .map(|t| simulate(&scenario, 1, t).events)
            .sum();
        group.throughput(Throughput::Elements(events / REFERENCE_TRIALS));
        group.bench_function(name, |b| {
            let mut trial = 0u64;
            b.iter(|| {
                trial = (trial + 1) % REFERENCE_TRIALS;
                simulate(black_box(&scenario), 1, trial).events
            })
        });
    }
    group.finish();
}

fn validation_trial(c: &mut Criterion) {
    let scenario = load("scenarios/validation/mm3.toml").scenario;
    let events = simulate(&scenario, 1, 0).events;
    let mut group = c.benchmark_group("validation_trial");
    group.throughput(Throughput::Elements(events));
    group.bench_function("mm3_520_weeks", |b| {
        b.iter(|| simulate(black_box(&scenario), 1, 0).events)
    });
    group.finish();
}

fn peer_mm5(c: &mut Criterion) {
    let scenario = load(mm5_path()).scenario;
    let events = simulate(&scenario, 1, 0).events;
    let mut group = c.benchmark_group("peer_mm5");
    group.throughput(Throughput::Elements(events));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("one_trial", |b| {
        b.iter(|| simulate(black_box(&scenario), 1, 0).events)
    });
    group.finish();
}

fn compare_1000(c: &mut Criterion) {
    let scenarios = [
        load("scenarios/craftsperson.toml"),
        load("scenarios/specialized.toml"),
    ];
    let plan = Plan {
        trials: 1000,
        seed: 1,
        shard: Shard::WHOLE,
    };
    let cancel = AtomicBool::new(false);
    let mut group = c.benchmark_group("compare_1000");
    group.throughput(Throughput::Elements(2 * plan.trials));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    for threads in [1usize, 2] {
        group.bench_with_input(
            BenchmarkId::new("threads", threads),
            &threads,
            |b, &threads| {
                b.iter(|| {
                    with_threads(Some(threads), || {
                        let results = run(black_box(&scenarios), plan, &|| {}, &cancel)
                            .expect("not cancelled");
                        results.iter().map(|r| r.len()).sum::<usize>()
                    })
                    .expect("a thread pool")
                })
            },
        );
    }
    group.finish();
}

criterion_group!(
    benches,
    reference_trial,
    validation_trial,
    peer_mm5,
    compare_1000
);
criterion_main!(benches);
