//! salesim: a discrete-event simulator of sales team designs.
//!
//! A design is configuration, not code: [`scenario::load_file`] reads a TOML scenario
//! into a validated [`scenario::Scenario`]; [`model::simulate`] runs one trial of it on
//! the event queue of [`engine`]; [`experiment::run_all`] runs many trials in parallel;
//! [`experiment::Comparison::run`] compares designs trial by trial, [`experiment::sweep`]
//! runs a grid of them and [`experiment::parts`] merges shards; the exporters in
//! [`report`] turn a result into a table, CSV, JSON or an HTML report. Every metric is
//! defined once, in [`model::metrics::catalogue`]. The command line is a thin binary on
//! top (`src/main.rs`, `src/cli/`), not part of the library.
//!
//! ```no_run
//! use salesim::experiment::{Comparison, Plan, Shard};
//! use salesim::report::render_table;
//! use salesim::scenario::load_file;
//!
//! let before = load_file("scenarios/craftsperson.toml".as_ref(), &[]).unwrap();
//! let after = load_file("scenarios/specialized.toml".as_ref(), &[]).unwrap();
//! let plan = Plan { trials: 200, seed: 1, shard: Shard::WHOLE };
//! let comparison = Comparison::run(&[before, after], plan, "example");
//! print!("{}", String::from_utf8_lossy(&render_table(&comparison)));
//! ```
//!
//! # Determinism
//!
//! Trial `i` of a run with seed `s` draws only from ChaCha8 generators derived from
//! `(s, i, name of the source of randomness)`, and results are gathered in trial order
//! and folded serially. Output is therefore identical, bit for bit, whatever the thread
//! count, the order in which trials finish, or how the trials are split into shards;
//! and trial `i` of every scenario of a comparison faces the same demand (common random
//! numbers).

pub mod data;
pub mod engine;
pub mod experiment;
pub mod files;
pub mod model;
pub mod report;
pub mod scenario;
pub mod stats;
