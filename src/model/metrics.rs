//! What one trial measures, and the flat, dotted metric names of DESIGN §3.
//!
//! Names and values are produced by one function (`emit`) driven by two sinks, so the
//! catalogue of names and each trial's row of values can never fall out of step.

use super::costs::staffing_cost;
use crate::scenario::{Activity, Scenario};

/// Raw observations of one trial, counted after the warm-up.
#[derive(Debug, Clone, Default)]
pub struct Collector {
    pub step_lead_times: Vec<Vec<f64>>,
    pub step_wait_sum: Vec<f64>,
    pub step_wait_count: Vec<u64>,
    pub service_response: Vec<f64>,
    /// Waits of service requests from arrival to first work (escalations excluded).
    pub service_wait_sum: f64,
    pub service_wait_count: u64,
    /// Mean-only measures as (sum, count): no need to keep every observation.
    pub sales_cycle: MeanOf,
    pub first_contact: MeanOf,
    pub time_in_system: MeanOf,
    pub meetings: u64,
    pub meetings_by_person: Vec<u64>,
    pub leads_created: u64,
    pub won: u64,
    pub lost: u64,
    pub cold: u64,
    pub revenue: f64,
    /// Time integral of the number of open leads over the measured window.
    pub open_leads_area: f64,
    /// Busy time by role and activity over the measured window.
    pub role_time: Vec<[f64; 7]>,
    pub weekly_meetings: Vec<f64>,
    pub weekly_open_leads: Vec<f64>,
    /// The trial hit the event or queue guard and stopped early.
    pub runaway: bool,
}

impl Collector {
    pub fn new(s: &Scenario, people: usize, weeks: usize) -> Self {
        let steps = s.funnel.len();
        Collector {
            step_lead_times: vec![Vec::new(); steps],
            step_wait_sum: vec![0.0; steps],
            step_wait_count: vec![0; steps],
            meetings_by_person: vec![0; people],
            role_time: vec![[0.0; 7]; s.roles.len()],
            weekly_meetings: vec![0.0; weeks],
            weekly_open_leads: vec![0.0; weeks],
            ..Default::default()
        }
    }
}

/// A running sum and count, for metrics that report only a mean.
#[derive(Debug, Clone, Copy, Default)]
pub struct MeanOf {
    sum: f64,
    count: u64,
}

impl MeanOf {
    pub fn push(&mut self, x: f64) {
        self.sum += x;
        self.count += 1;
    }

    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            self.sum / self.count as f64
        }
    }
}

/// Receives metrics in catalogue order.
pub trait Sink {
    fn put(&mut self, name: impl FnOnce() -> String, value: f64);
}

/// Collects the names only.
pub struct NameSink(pub Vec<String>);

impl Sink for NameSink {
    fn put(&mut self, name: impl FnOnce() -> String, _value: f64) {
        self.0.push(name());
    }
}

/// Collects the values only.
pub struct ValueSink(pub Vec<f64>);

impl Sink for ValueSink {
    fn put(&mut self, _name: impl FnOnce() -> String, value: f64) {
        self.0.push(value);
    }
}

/// The metric names a scenario produces, in the order of every trial's values.
pub fn catalogue(s: &Scenario) -> Vec<String> {
    let mut sink = NameSink(Vec::new());
    emit(s, &Collector::new(s, 0, 0), &mut sink);
    sink.0
}

pub use crate::stats::quantile_sorted;

fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        f64::NAN
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

fn ratio(numerator: f64, denominator: f64) -> f64 {
    if denominator > 0.0 {
        numerator / denominator
    } else {
        f64::NAN
    }
}

/// One trial's observations of a measure: their mean, and quantiles found by selection
/// (linear time) rather than a full sort; the same order statistics as a sort gives.
struct Sample {
    values: Vec<f64>,
    mean: f64,
    /// Every value before this index is at most every value from it on (left by the
    /// last selection), so a higher quantile need only search the rest.
    partitioned_to: usize,
}

impl Sample {
    fn of(values: &[f64]) -> Sample {
        Sample {
            values: values.to_vec(),
            mean: mean(values),
            partitioned_to: 0,
        }
    }

    fn len(&self) -> usize {
        self.values.len()
    }

    /// The `p` quantile, as `quantile_sorted` would give on the sorted values.
    fn quantile(&mut self, p: f64) -> f64 {
        let n = self.values.len();
        if n == 0 {
            return f64::NAN;
        }
        let h = (n - 1) as f64 * p;
        let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
        let start = if lo >= self.partitioned_to {
            self.partitioned_to
        } else {
            0
        };
        let (_, &mut low, above) =
            self.values[start..].select_nth_unstable_by(lo - start, f64::total_cmp);
        let high = if hi > lo {
            above.iter().copied().fold(f64::INFINITY, f64::min)
        } else {
            low
        };
        self.partitioned_to = lo + 1;
        low + (h - lo as f64) * (high - low)
    }

    /// Percentage of observations above `limit` (NaN without observations).
    fn pct_above(&self, limit: f64) -> f64 {
        ratio(
            100.0 * self.values.iter().filter(|&&v| v > limit).count() as f64,
            self.len() as f64,
        )
    }
}

/// Emits every metric of one trial in catalogue order. NaN marks a metric with no
/// observation in this trial (no quote completed, say).
pub fn emit(s: &Scenario, c: &Collector, out: &mut impl Sink) {
    let weeks = s.measured_weeks();
    let sellers: u32 = s.seller_roles().iter().map(|&r| s.roles[r].headcount).sum();
    let cost = staffing_cost(s);
    let meetings_per_week = c.meetings as f64 / weeks;
    let revenue_per_year = c.revenue / weeks * 52.0;
    let mut quote = Sample::of(s.quote_step().map_or(&[][..], |i| &c.step_lead_times[i]));
    let mut service = Sample::of(&c.service_response);
    let ended = c.won + c.lost + c.cold;

    out.put(|| "meetings_per_week".into(), meetings_per_week);
    out.put(
        || "meetings_per_week_per_seller".into(),
        ratio(meetings_per_week, f64::from(sellers)),
    );
    for (p, label) in [
        (f64::NAN, "mean"),
        (0.5, "p50"),
        (0.9, "p90"),
        (0.95, "p95"),
    ] {
        let v = if label == "mean" {
            quote.mean
        } else {
            quote.quantile(p)
        };
        out.put(|| format!("quote_lead_time_hours.{label}"), v);
    }
    let quote_target = s.targets.quote_lead_time_hours;
    out.put(
        || "quotes_over_target_pct".into(),
        quote.pct_above(quote_target),
    );
    out.put(|| "service_response_hours.mean".into(), service.mean);
    out.put(
        || "service_response_hours.p50".into(),
        service.quantile(0.5),
    );
    out.put(
        || "service_wait_hours.mean".into(),
        ratio(c.service_wait_sum, c.service_wait_count as f64),
    );
    out.put(
        || "service_response_hours.p90".into(),
        service.quantile(0.9),
    );
    let service_target = s.targets.service_response_hours;
    out.put(
        || "service_over_target_pct".into(),
        service.pct_above(service_target),
    );
    out.put(
        || "leads_created_per_week".into(),
        c.leads_created as f64 / weeks,
    );
    out.put(|| "deals_won_per_week".into(), c.won as f64 / weeks);
    out.put(|| "win_rate".into(), ratio(c.won as f64, ended as f64));
    out.put(|| "revenue_per_year".into(), revenue_per_year);
    out.put(|| "sales_cycle_hours.mean".into(), c.sales_cycle.mean());
    out.put(|| "first_contact_hours.mean".into(), c.first_contact.mean());
    out.put(|| "leads_gone_cold_per_week".into(), c.cold as f64 / weeks);
    out.put(
        || "leads_in_system.mean".into(),
        c.open_leads_area / s.measured_hours(),
    );
    out.put(
        || "lead_time_in_system_hours.mean".into(),
        c.time_in_system.mean(),
    );
    out.put(|| "staffing_cost_per_year".into(), cost.total_per_year());
    out.put(
        || "staffing_cost.roles_per_year".into(),
        cost.roles_per_year,
    );
    out.put(
        || "staffing_cost.management_per_year".into(),
        cost.management_per_year,
    );
    out.put(
        || "staffing_cost.offices_per_year".into(),
        cost.offices_per_year,
    );
    out.put(|| "managers".into(), f64::from(cost.managers));
    out.put(
        || "cost_per_meeting".into(),
        ratio(cost.total_per_year(), meetings_per_week * 52.0),
    );
    out.put(
        || "cost_of_sales_pct".into(),
        ratio(100.0 * cost.total_per_year(), revenue_per_year),
    );
    let below = if sellers == 0 || c.meetings_by_person.is_empty() {
        f64::NAN
    } else {
        let target = s.targets.meetings_per_seller_week * weeks;
        let mut first = 0;
        let mut count = 0;
        for role in &s.roles {
            let n = role.headcount as usize;
            if s.seller_roles()
                .contains(&s.role_index(&role.name).unwrap_or(usize::MAX))
            {
                count += c.meetings_by_person[first..first + n]
                    .iter()
                    .filter(|&&m| (m as f64) < target)
                    .count();
            }
            first += n;
        }
        100.0 * count as f64 / f64::from(sellers)
    };
    out.put(|| "sellers_below_meeting_target_pct".into(), below);

    for (i, step) in s.funnel.iter().enumerate() {
        let mut times = Sample::of(&c.step_lead_times[i]);
        let name = &step.name;
        out.put(|| format!("steps.{name}.lead_time_hours.mean"), times.mean);
        for (p, label) in [(0.5, "p50"), (0.9, "p90"), (0.95, "p95")] {
            out.put(
                || format!("steps.{name}.lead_time_hours.{label}"),
                times.quantile(p),
            );
        }
        out.put(
            || format!("steps.{name}.wait_hours.mean"),
            ratio(c.step_wait_sum[i], c.step_wait_count[i] as f64),
        );
        out.put(
            || format!("steps.{name}.completed_per_week"),
            times.len() as f64 / weeks,
        );
    }

    for (r, role) in s.roles.iter().enumerate() {
        let available = f64::from(role.headcount) * s.measured_hours();
        let time = c.role_time.get(r).copied().unwrap_or([0.0; 7]);
        let busy: f64 = time.iter().sum();
        let name = &role.name;
        out.put(
            || format!("roles.{name}.utilization"),
            ratio(busy, available),
        );
        for activity in Activity::ALL {
            out.put(
                || format!("roles.{name}.time_share.{}", activity.name()),
                ratio(time[activity.index()], available),
            );
        }
        out.put(
            || format!("roles.{name}.time_share.idle"),
            ratio((available - busy).max(0.0), available),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selected_quantiles_equal_sorted_ones() {
        let values: Vec<f64> = (0..1001)
            .map(|i| ((i * 7919) % 1009) as f64 * 0.37)
            .collect();
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        // Rising quantiles narrow each search; falling ones must start again.
        let rising = [0.0, 0.05, 0.5, 0.9, 0.95, 0.999, 1.0];
        let mixed = [0.9, 0.5, 0.95, 0.05, 0.05, 1.0, 0.0];
        for order in [rising, mixed] {
            let mut sample = Sample::of(&values);
            for p in order {
                assert_eq!(sample.quantile(p), quantile_sorted(&sorted, p), "p = {p}");
            }
        }
        assert!(Sample::of(&[]).quantile(0.5).is_nan());
        assert_eq!(Sample::of(&[3.0]).quantile(0.9), 3.0);
    }
}
