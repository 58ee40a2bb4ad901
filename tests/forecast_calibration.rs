//! `forecast` is calibrated: a forecast from a snapshot taken in the middle of a run
//! (the opportunities open then, read from the run's own opportunity history as a CRM
//! export) covers what those same opportunities actually did in the run's next 13
//! weeks, deals won and bookings, inside its P10-P90 band at about the stated rate over
//! many snapshots (one run per seed), and is centred on it.
//!
//! What this does not show: the timing inside the 13 weeks. Measured over 40 snapshots
//! (100 trials each), deals won by the end of week 2 were above the forecast's P90 in 9
//! snapshots and below its P10 in none (actual 18.5 on average, forecast 17.0): an
//! opportunity in a meeting step is booked afresh at the snapshot. The forecast's notes
//! say so.

use std::path::Path;

use salesim::data::{ColumnMap, History, Outcome, read_history};
use salesim::experiment::forecast::{TrialWins, band, forecast_scenario, forecast_trials};
use salesim::scenario::{Override, Scenario, load_file};

/// Weeks forecast, as the issue asks.
const WEEKS: usize = 13;
/// The snapshot: well past the craftsperson design's 16 warm-up weeks.
const CUT_WEEK: usize = 26;
/// Forecast trials per snapshot: enough for P10 and P90 to within about one deal.
const TRIALS: u64 = 100;
/// Snapshots, one run (seed) each.
const SNAPSHOTS: u64 = 40;

/// The craftsperson design, run long enough to see the 13 weeks after the snapshot.
fn design(sets: &[&str]) -> Scenario {
    let mut all = vec![format!("horizon_weeks={}", CUT_WEEK + WEEKS)];
    all.extend(sets.iter().map(|s| s.to_string()));
    let overrides: Vec<Override> = all.iter().map(|s| Override::parse(s).unwrap()).collect();
    load_file(Path::new("scenarios/craftsperson.toml"), &overrides)
        .unwrap()
        .scenario
}

/// One run's history (`trace --history`), read back by the CRM reader.
fn history(s: &Scenario, seed: u64) -> History {
    let (_, trace) = salesim::model::simulate_traced(s, seed, 0);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("history.csv");
    std::fs::write(&file, salesim::report::render_history_csv(s, &trace)).unwrap();
    let steps: Vec<String> = s.funnel.iter().map(|f| f.name.clone()).collect();
    read_history(&file, &steps, &s.calendar, &ColumnMap::default()).unwrap()
}

/// What a CRM export at `cut` shows: the opportunities created by then and not closed
/// by then, in the stages entered by then, their outcome, close and amount unknown.
/// Beside it, what they actually did in the `WEEKS` after: deals won and bookings.
fn snapshot(h: &History, cut: f64, hours_per_week: f64) -> (History, f64, f64) {
    let end = cut + WEEKS as f64 * hours_per_week;
    let (mut deals, mut bookings) = (0.0, 0.0);
    let mut open = Vec::new();
    for o in &h.opportunities {
        let closed = o.closed_hours.unwrap_or(f64::INFINITY);
        let entries: Vec<_> = o
            .entries
            .iter()
            .filter(|e| e.entered_hours.is_some_and(|t| t <= cut))
            .cloned()
            .collect();
        if entries.is_empty() || closed <= cut {
            continue;
        }
        if o.outcome == Some(Outcome::Won) && closed <= end {
            deals += 1.0;
            bookings += o.amount.unwrap();
        }
        let mut seen = o.clone();
        seen.entries = entries;
        seen.outcome = Some(Outcome::Open);
        seen.closed_hours = None;
        seen.amount = None;
        open.push(seen);
    }
    let mut pipeline = h.clone();
    pipeline.opportunities = open;
    pipeline.span_hours = (h.span_hours.0, cut);
    (pipeline, deals, bookings)
}

/// One snapshot: what the open opportunities actually did, and the forecast's trials.
struct Snapshot {
    actual: f64,
    trials: Vec<f64>,
}

impl Snapshot {
    fn covered(&self) -> bool {
        let b = band(self.trials.clone());
        b.p10 <= self.actual && self.actual <= b.p90
    }

    /// The share of the forecast's own trials inside its [P10, P90]: the rate at which
    /// the band covers a draw from the forecast's distribution. At least 0.8 by the
    /// nearest-rank quantiles (fewer than 10% of trials below P10, at most 10% above
    /// P90), more for count data, whose band takes in whole atoms.
    fn stated(&self) -> f64 {
        let b = band(self.trials.clone());
        let inside = self
            .trials
            .iter()
            .filter(|&&x| b.p10 <= x && x <= b.p90)
            .count();
        inside as f64 / self.trials.len() as f64
    }

    /// How far the actual figure is from the forecast's mean, in the forecast's
    /// standard deviations.
    fn z(&self) -> f64 {
        let n = self.trials.len() as f64;
        let mean = self.trials.iter().sum::<f64>() / n;
        let var = self.trials.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (self.actual - mean) / var.sqrt()
    }
}

/// Deals and bookings snapshots of the runs of `seeds`, cut at `CUT_WEEK`.
fn snapshots(s: &Scenario, seeds: std::ops::RangeInclusive<u64>) -> (Vec<Snapshot>, Vec<Snapshot>) {
    let hpw = s.calendar.hours_per_week();
    let cut = CUT_WEEK as f64 * hpw;
    let (mut deals, mut bookings) = (Vec::new(), Vec::new());
    for seed in seeds {
        let h = history(s, seed);
        let (pipeline, won, booked) = snapshot(&h, cut, hpw);
        assert!(
            pipeline.opportunities.len() > 30,
            "seed {seed}: a mid-run pipeline of {} opportunities",
            pipeline.opportunities.len()
        );
        let sim = forecast_scenario(s, &pipeline, WEEKS, cut);
        // Another seed than the run's: the forecast must not replay its random streams.
        let runs = forecast_trials(&sim, WEEKS, TRIALS, seed + 10_000);
        deals.push(Snapshot {
            actual: won,
            trials: runs.iter().map(TrialWins::total_deals).collect(),
        });
        bookings.push(Snapshot {
            actual: booked,
            trials: runs.iter().map(TrialWins::total_bookings).collect(),
        });
    }
    (deals, bookings)
}

/// Coverage and centring over the snapshots.
///
/// Coverage: if the forecast is calibrated, snapshot i is covered with probability
/// p_i (its `stated` rate, 0.8 or more), independently across runs, so the count
/// covered has mean sum p_i and variance sum p_i (1 - p_i) (about 40 x 0.15 = 6, a
/// standard deviation of 2.4 snapshots, 6% of 40). It must not fall more than 3 of
/// those below the mean (a false alarm once in 700 runs): with 40 snapshots, at least
/// about 67% covered against a stated 85%. The plain binomial tolerance of an 80% band
/// over n = 40 is 3 sqrt(0.8 x 0.2 / 40) = 0.19. (An upper bound is no check at 40
/// snapshots: mean plus 3 standard deviations is above 40.)
///
/// Centring: each z (actual less the forecast's mean, in its standard deviations) has
/// mean 0 and variance 1 + 1/trials; the mean of 40 has a standard deviation of about
/// 1/sqrt(40) = 0.16, and must be within 3 of those of 0. A forecast that is biased by
/// half a standard deviation, which coverage alone would hardly notice, fails here.
fn check(name: &str, xs: &[Snapshot]) {
    let n = xs.len() as f64;
    let covered = xs.iter().filter(|x| x.covered()).count() as f64;
    let expected: f64 = xs.iter().map(Snapshot::stated).sum();
    let sd = xs
        .iter()
        .map(|x| x.stated() * (1.0 - x.stated()))
        .sum::<f64>()
        .sqrt();
    let z = xs.iter().map(Snapshot::z).sum::<f64>() / n;
    let z_sd = (1.0 + 1.0 / TRIALS as f64).sqrt() / n.sqrt();
    eprintln!("{name}: covered {covered} of {n} (stated {expected:.1} +- {sd:.1}), mean z {z:.2}");
    assert!(
        covered >= expected - 3.0 * sd,
        "{name}: P10-P90 covered the actual {covered} times in {n}, stated {expected:.1} (sd {sd:.1})"
    );
    assert!(
        z.abs() <= 3.0 * z_sd,
        "{name}: the actual is on average {z:.2} forecast standard deviations from its mean"
    );
}

#[test]
fn a_mid_run_forecast_covers_the_next_13_weeks_at_the_stated_rate() {
    let s = design(&[]);
    let (deals, bookings) = snapshots(&s, 1..=SNAPSHOTS);
    check("deals won in 13 weeks", &deals);
    check("bookings in 13 weeks", &bookings);
}
