//! The sales machine: roles and people, work items, the funnel, meetings and policies,
//! driven by the engine's event queue. It does no I/O: it takes a validated scenario
//! and returns numbers.

pub mod budget;
mod costs;
pub mod credit;
pub mod growth;
mod leads;
mod ledger;
mod ledger_offices;
mod ledger_people;
pub mod load;
mod meetings;
pub mod metrics;
mod rng;
mod sim;
mod staff;
mod trace;
mod work;

pub use costs::{
    StaffingCost, office_cost_of, office_cost_per_year, staffing_cost, staffing_cost_of,
};
pub use load::{Capacity, capacity, offered_load};
pub use metrics::{Collector, catalogue, quantile_sorted};
pub use rng::{Stream, stream};
pub use trace::{LeadEnd, LeadLife, Trace, TraceRecord};

use crate::scenario::Scenario;

/// What one trial produced: its metric values in `catalogue` order, the weekly series
/// for charts, and its conservation counts.
#[derive(Debug, Clone)]
pub struct TrialOutput {
    pub values: Vec<f64>,
    pub weekly_meetings: Vec<f64>,
    pub weekly_open_leads: Vec<f64>,
    /// Per week of the whole horizon (warm-up included): deals won, revenue, gross
    /// profit (0 without a margin) and staffing cost of the people on the books.
    pub weekly_deals: Vec<f64>,
    pub weekly_revenue: Vec<f64>,
    pub weekly_gross_profit: Vec<f64>,
    pub weekly_staffing_cost: Vec<f64>,
    /// Per role and week, the meetings booked and how far ahead (see `Collector`).
    pub weekly_bookings: Vec<Vec<metrics::Bookings>>,
    /// Every lead created in the whole trial (warm-up included) and how it ended.
    pub conservation: Conservation,
    pub runaway: bool,
    pub events: u64,
    /// In one side of a transition, the leads and service requests still open when
    /// its wind-down ran out (0 elsewhere).
    pub handover_lost: u64,
}

/// Lead counts over the whole trial: created = won + lost + cold + open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Conservation {
    pub created: u64,
    pub won: u64,
    pub lost: u64,
    pub cold: u64,
    pub open: u64,
}

/// Storage reused across the trials one thread runs (`simulate_until_reusing`): the
/// event queue and the sample vectors a trial would otherwise allocate and grow again.
/// Reset exactly before each trial, so it never changes a result.
#[derive(Default)]
pub struct TrialBuffers(sim::Spare);

/// Runs trial `trial` of `scenario` with `seed`.
pub fn simulate(scenario: &Scenario, seed: u64, trial: u64) -> TrialOutput {
    run(
        scenario,
        seed,
        trial,
        false,
        None,
        &mut TrialBuffers::default(),
    )
    .0
    .expect("no stop flag")
}

/// Runs one trial, or stops it early (returning `None`) once `stop` is raised.
pub fn simulate_until(
    scenario: &Scenario,
    seed: u64,
    trial: u64,
    stop: &std::sync::atomic::AtomicBool,
) -> Option<TrialOutput> {
    simulate_until_reusing(scenario, seed, trial, stop, &mut TrialBuffers::default())
}

/// As `simulate_until`, reusing `buffers` (kept by the caller across the trials of one
/// thread): the same output bit for bit, with less allocation.
pub fn simulate_until_reusing(
    scenario: &Scenario,
    seed: u64,
    trial: u64,
    stop: &std::sync::atomic::AtomicBool,
    buffers: &mut TrialBuffers,
) -> Option<TrialOutput> {
    run(scenario, seed, trial, false, Some(stop), buffers).0
}

/// Runs one trial and returns its event log too. The same code path as `simulate`.
pub fn simulate_traced(scenario: &Scenario, seed: u64, trial: u64) -> (TrialOutput, Trace) {
    let (output, trace) = run(
        scenario,
        seed,
        trial,
        true,
        None,
        &mut TrialBuffers::default(),
    );
    (output.expect("no stop flag"), trace.unwrap_or_default())
}

fn run(
    scenario: &Scenario,
    seed: u64,
    trial: u64,
    traced: bool,
    stop: Option<&std::sync::atomic::AtomicBool>,
    buffers: &mut TrialBuffers,
) -> (Option<TrialOutput>, Option<Trace>) {
    let spare = &mut buffers.0;
    let mut sim = sim::Sim::reusing(scenario, seed, trial, traced, spare);
    if sim.run(stop) == sim::Outcome::Stopped {
        return (None, sim.into_results(spare).1);
    }
    let mut sink = metrics::ValueSink(Vec::new());
    metrics::emit(scenario, sim.stats(), &mut sink);
    let runaway = sim.stats().runaway;
    if runaway {
        // A trial cut short measured only part of its horizon: its numbers would look
        // right and not be, so it reports none (the run warns about it).
        sink.0.iter_mut().for_each(|v| *v = f64::NAN);
    }
    let conservation = sim.conservation();
    let events = sim.events();
    let handover_lost = sim.handover_lost();
    let (mut stats, trace) = sim.into_results(spare);
    use std::mem::take;
    let output = TrialOutput {
        values: sink.0,
        weekly_meetings: take(&mut stats.weekly_meetings),
        weekly_open_leads: take(&mut stats.weekly_open_leads),
        weekly_deals: take(&mut stats.weekly_deals),
        weekly_revenue: take(&mut stats.weekly_revenue),
        weekly_gross_profit: take(&mut stats.weekly_gross_profit),
        weekly_staffing_cost: take(&mut stats.weekly_staffing_cost),
        weekly_bookings: take(&mut stats.weekly_bookings),
        conservation,
        runaway,
        events,
        handover_lost,
    };
    sim::Sim::spare_samples(stats, spare);
    (Some(output), trace)
}

#[cfg(test)]
mod overlap_tests {
    /// Every interval of accounted time, per person, must be disjoint: a person is never
    /// in two places at once (a meeting and a desk task, say).
    fn overlaps(path: &str) -> usize {
        let loaded = crate::scenario::load_file(std::path::Path::new(path), &[]).unwrap();
        let mut sim = super::sim::Sim::new(&loaded.scenario, 1, 0, false);
        sim.debug_intervals = Some(Vec::new());
        sim.run(None);
        let mut log = sim.debug_intervals.take().unwrap();
        log.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        log.windows(2)
            .filter(|w| w[0].0 == w[1].0 && w[1].1 < w[0].2 - 1e-9)
            .count()
    }

    #[test]
    fn no_person_is_in_two_places_at_once() {
        assert_eq!(overlaps("scenarios/specialized.toml"), 0);
        assert_eq!(overlaps("scenarios/craftsperson.toml"), 0);
    }
}
