//! Library use: build a comparison in code, run it, and check the result.
//!
//! ```text
//!   craftsperson.toml ──┐                 ┌── paired differences (B − A)
//!                       ├─ same trials ───┤
//!   specialized.toml ───┘  (same seed)    └── report (table, CSV, JSON, HTML)
//! ```
//!
//! Run with `cargo run --release --example compare_designs`.

use std::path::Path;

use salesim::experiment::Comparison;
use salesim::experiment::{Plan, Shard};
use salesim::model::metrics::{Metric, catalogue as m};
use salesim::report::render_table;
use salesim::scenario::{Override, load_file};

fn main() {
    let before =
        load_file(Path::new("scenarios/craftsperson.toml"), &[]).expect("a valid scenario");
    // The specialized design with one more engineer, set in code as `--set` would.
    let more_engineers = [Override::parse("roles.engineering.headcount=4").expect("PATH=VALUE")];
    let after = load_file(Path::new("scenarios/specialized.toml"), &more_engineers)
        .expect("a valid scenario");
    let loaded = [before, after];
    let plan = Plan {
        trials: 200,
        seed: 1,
        shard: Shard::WHOLE,
    };
    let comparison = Comparison::run(&loaded, plan, "example");
    print!("{}", String::from_utf8_lossy(&render_table(&comparison)));

    // The example checks itself: the specialized team costs less and quotes faster.
    let difference = |def| {
        *comparison.differences[0]
            .metrics
            .get(Metric::team(def))
            .expect("a metric")
    };
    let cost = difference(m::STAFFING_COST);
    let quote = difference(m::QUOTE_P50);
    assert!(cost.mean < 0.0, "the specialized team should cost less");
    assert!(
        quote.ci95_high < 0.0,
        "quotes should go out sooner, beyond doubt"
    );
    println!(
        "\nchecked: cheaper by {:.0} a year, quotes {:.1} working hours sooner (p50)",
        -cost.mean, -quote.mean
    );
}
