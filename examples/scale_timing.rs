//! Times one trial of a reference design scaled by k: every headcount (and manager
//! count) and every lead-source and service rate multiplied by k, so the organisation is
//! k times larger with the same load per person. Used by benches/README.md's scaling
//! table (issue 19: cost per event should not grow with headcount).
//!
//! ```text
//! cargo run --release --example scale_timing -- SCENARIO K [TRIALS [SEED]]
//! valgrind --tool=callgrind --toggle-collect='salesim::model::simulate*' \
//!     target/release/examples/scale_timing scenarios/specialized.toml 16 1
//! ```
//!
//! The scaled scenario is written in memory with toml_edit (no shipped file changes):
//! `roles.*.headcount`, `roles.*.managers`, `lead_sources[*].rate_per_week` and
//! `service.rate_per_week` times K. Prospecting sources scale with the headcount of
//! their role; pull queue targets are per person already. Runs TRIALS trials (default
//! 3; trial indices 0..TRIALS, seed SEED, default 1) one after another through
//! `model::simulate` and prints one JSON line: K, headcount, events, wall time, ns per
//! event. Under callgrind with the toggle above, instructions / events is the cost per
//! event without loading.

use std::path::Path;
use std::time::Instant;

use salesim::scenario::load_str;
use toml_edit::{DocumentMut, Item, value};

/// `item` times `k`, integer or float kept as it was.
fn scale(item: &mut Item, k: u32) {
    if let Some(i) = item.as_integer() {
        *item = value(i * i64::from(k));
    } else if let Some(f) = item.as_float() {
        *item = value(f * f64::from(k));
    }
}

/// The scenario text with every headcount and rate times `k`; the headcount total.
pub fn scaled(text: &str, k: u32) -> (String, i64) {
    let mut doc: DocumentMut = text.parse().expect("a TOML scenario");
    let mut people = 0;
    if let Some(roles) = doc.get_mut("roles").and_then(Item::as_table_like_mut) {
        for (_, role) in roles.iter_mut() {
            let Some(role) = role.as_table_like_mut() else {
                continue;
            };
            for key in ["headcount", "managers"] {
                if let Some(item) = role.get_mut(key) {
                    scale(item, k);
                }
            }
            people += role
                .get("headcount")
                .and_then(Item::as_integer)
                .unwrap_or(0);
        }
    }
    if let Some(sources) = doc
        .get_mut("lead_sources")
        .and_then(Item::as_array_of_tables_mut)
    {
        for source in sources.iter_mut() {
            if let Some(item) = source.get_mut("rate_per_week") {
                scale(item, k);
            }
        }
    }
    if let Some(item) = doc
        .get_mut("service")
        .and_then(|s| s.get_mut("rate_per_week"))
    {
        scale(item, k);
    }
    (doc.to_string(), people)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: scale_timing SCENARIO K [TRIALS [SEED]]");
        std::process::exit(2);
    }
    let path = Path::new(&args[0]);
    let k: u32 = args[1].parse().expect("K is a whole number");
    let trials: u64 = args.get(2).map_or(3, |t| t.parse().expect("TRIALS"));
    let seed: u64 = args.get(3).map_or(1, |s| s.parse().expect("SEED"));
    let text = std::fs::read_to_string(path).expect("a readable scenario");
    let (text, people) = scaled(&text, k);
    let loaded = load_str(&text, &args[0], "scaled", &[]).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2);
    });
    let start = Instant::now();
    let events: u64 = (0..trials)
        .map(|t| salesim::model::simulate(&loaded.scenario, seed, t).events)
        .sum();
    let wall_s = start.elapsed().as_secs_f64();
    println!(
        "{{\"scenario\":\"{}\",\"k\":{k},\"headcount\":{people},\"trials\":{trials},\"events\":{events},\
         \"wall_s\":{wall_s},\"ns_per_event\":{:.1}}}",
        args[0],
        wall_s * 1e9 / events as f64
    );
}
