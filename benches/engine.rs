//! Engine benches: the event queue alone, and a plain M/M/1 trial end to end.
//!
//! `cargo bench --bench engine` (add `-- --measurement-time 3 --warm-up-time 1` for a
//! quick run). Every figure is reported as throughput, in events per second.
//!
//! - `queue_hold/N`: the classic hold model. N events are pending; each operation pops
//!   the earliest and schedules one at now + Exp(1), so the queue stays at N. The
//!   exponential gaps come from a precomputed table, so the figure is the queue's, not
//!   the random number generator's. The payload is 12 bytes, the size of the model's
//!   own event type.
//! - `slot_hold/N`: the same hold model with every pending event in one of N slots: pop
//!   the earliest and schedule the same slot again (a server finishing one task and
//!   starting the next), so a slot's tournament tree is exercised as the model uses it.
//! - `mm1_trial`: one trial of scenarios/validation/mm1_low.toml with the horizon raised
//!   to 5,200 weeks (about 104,000 customers), through `model::simulate`: events
//!   scheduled per second of the whole trial, metrics included.

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use salesim::engine::EventQueue;
use salesim::scenario::{Override, load_file};

/// Hold operations per measured iteration.
const BATCH: u64 = 10_000;
/// Size of the table of exponential gaps (a power of two).
const GAPS: usize = 1 << 16;

/// A payload the size of the model's event (an enum of two `u32` fields and a tag).
type Payload = [u32; 3];

/// Exp(1) gaps from a small fixed-seed generator (SplitMix64), computed once.
fn exponential_gaps() -> Vec<f64> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..GAPS)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            let u = (z >> 11) as f64 / (1u64 << 53) as f64;
            -(1.0 - u).ln()
        })
        .collect()
}

fn queue_hold(c: &mut Criterion) {
    let gaps = exponential_gaps();
    let mut group = c.benchmark_group("queue_hold");
    group.throughput(Throughput::Elements(BATCH));
    for pending in [100usize, 10_000] {
        group.bench_with_input(
            BenchmarkId::from_parameter(pending),
            &pending,
            |b, &pending| {
                let mut queue: EventQueue<Payload> = EventQueue::with_capacity(pending + 1, 0);
                for (i, gap) in gaps.iter().take(pending).enumerate() {
                    queue.schedule(*gap, [i as u32, 0, 0]);
                }
                let mut next = pending;
                b.iter(|| {
                    for _ in 0..BATCH {
                        let (now, event) = queue.pop().expect("the hold model never empties");
                        queue.schedule(now + gaps[next & (GAPS - 1)], black_box(event));
                        next += 1;
                    }
                });
                assert_eq!(queue.len(), pending);
            },
        );
    }
    group.finish();
}

/// The hold model through slots: each pop refills the slot it came from.
fn slot_hold(c: &mut Criterion) {
    let gaps = exponential_gaps();
    let mut group = c.benchmark_group("slot_hold");
    group.throughput(Throughput::Elements(BATCH));
    for slots in [8usize, 32, 256] {
        group.bench_with_input(BenchmarkId::from_parameter(slots), &slots, |b, &slots| {
            let mut queue: EventQueue<Payload> = EventQueue::with_capacity(4, slots);
            for (i, gap) in gaps.iter().take(slots).enumerate() {
                queue.schedule_in_slot(i, *gap, [i as u32, 0, 0]);
            }
            let mut next = slots;
            b.iter(|| {
                for _ in 0..BATCH {
                    let (now, event) = queue.pop().expect("the hold model never empties");
                    let slot = event[0] as usize;
                    queue.schedule_in_slot(slot, now + gaps[next & (GAPS - 1)], black_box(event));
                    next += 1;
                }
            });
            assert_eq!(queue.len(), slots);
        });
    }
    group.finish();
}

fn mm1_trial(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/validation/mm1_low.toml");
    let horizon = Override::parse("horizon_weeks=5200").expect("a valid override");
    let loaded = load_file(&path, &[horizon]).expect("mm1_low.toml loads");
    let scenario = loaded.scenario;
    let events = salesim::model::simulate(&scenario, 1, 0).events;
    let mut group = c.benchmark_group("mm1_trial");
    group.throughput(Throughput::Elements(events));
    group.sample_size(20);
    group.bench_function("5200_weeks", |b| {
        b.iter(|| salesim::model::simulate(black_box(&scenario), 1, 0).events)
    });
    group.finish();
}

criterion_group!(benches, queue_hold, slot_hold, mm1_trial);
criterion_main!(benches);
