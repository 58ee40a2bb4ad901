//! Times salesim on a SimPy peer workload the way `simpy_peers.py` times SimPy: the
//! simulation only, not process start-up, imports or file loading. Used by
//! benches/peers.sh.
//!
//! ```text
//! cargo run --release --example peer_timing -- SCENARIO TRIALS [THREADS [SEED]]
//! ```
//!
//! Loads SCENARIO, then times `experiment::run` of TRIALS trials (seed SEED, default 1)
//! on a pool of THREADS threads (default 1): every trial simulated, its metrics computed and
//! folded, exactly as `salesim run` does before it writes its output. Prints one JSON
//! line: the wall time, the events scheduled (summed over trials, from a second,
//! untimed pass), and the across-trial mean of every metric.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use salesim::experiment::{Plan, Shard, run, with_threads};
use salesim::scenario::load_file;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: peer_timing SCENARIO TRIALS [THREADS [SEED]]");
        std::process::exit(2);
    }
    let loaded = load_file(Path::new(&args[0]), &[]).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2);
    });
    let trials: u64 = args[1].parse().expect("TRIALS is a whole number");
    let threads: usize = args.get(2).map_or(1, |t| t.parse().expect("THREADS"));
    let seed: u64 = args.get(3).map_or(1, |s| s.parse().expect("SEED"));
    let plan = Plan {
        trials,
        seed,
        shard: Shard::WHOLE,
    };
    let cancel = AtomicBool::new(false);
    let scenarios = [loaded];

    let start = Instant::now();
    let results = with_threads(Some(threads), || run(&scenarios, plan, &|| {}, &cancel))
        .expect("a thread pool")
        .expect("not cancelled");
    let wall_s = start.elapsed().as_secs_f64();

    let events: u64 = (0..trials)
        .map(|t| salesim::model::simulate(&scenarios[0].scenario, plan.seed, t).events)
        .sum();
    let result = &results[0];
    let n = result.len().max(1) as f64;
    let means: Vec<String> = result
        .catalogue
        .names()
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let mean = result.values.column(i).iter().sum::<f64>() / n;
            let value = if mean.is_finite() {
                format!("{mean}")
            } else {
                "null".to_string()
            };
            format!("\"{name}\":{value}")
        })
        .collect();
    println!(
        "{{\"scenario\":\"{}\",\"trials\":{trials},\"threads\":{threads},\"seed\":{seed},\"wall_s\":{wall_s},\
         \"events\":{events},\"events_per_s\":{},\"means\":{{{}}}}}",
        args[0],
        events as f64 / wall_s,
        means.join(",")
    );
}
