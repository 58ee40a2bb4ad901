//! A trial's metric values from its observations. One function (`emit`) drives two
//! sinks, so a scenario's catalogue and each trial's row of values can never fall out
//! of step.

use super::catalogue::{self as m, Catalogue, Def};
use super::collector::Collector;
use crate::model::costs::staffing_cost;
use crate::scenario::{Activity, Scenario};
pub use crate::stats::quantile_sorted;

/// Receives metrics in catalogue order: a definition, the step or role it measures
/// (empty for a team metric) and the value.
pub trait Sink {
    fn put(&mut self, def: &'static Def, subject: &str, value: f64);
}

/// Builds the catalogue, ignoring values.
impl Sink for Catalogue {
    fn put(&mut self, def: &'static Def, subject: &str, _value: f64) {
        self.push(def, subject);
    }
}

/// Collects the values only.
pub struct ValueSink(pub Vec<f64>);

impl Sink for ValueSink {
    fn put(&mut self, _def: &'static Def, _subject: &str, value: f64) {
        self.0.push(value);
    }
}

/// The metrics a scenario produces, in the order of every trial's values.
pub fn catalogue(s: &Scenario) -> Catalogue {
    let mut catalogue = Catalogue::default();
    emit(s, &Collector::new(s, 0, 0), &mut catalogue);
    catalogue
}

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
    emit_activity_and_flow(s, c, out);
    emit_outcome_and_cost(s, c, out);
    for (i, step) in s.funnel.iter().enumerate() {
        emit_step(s, c, i, &step.name, out);
    }
    for (r, role) in s.roles.iter().enumerate() {
        emit_role(s, c, r, &role.name, out);
    }
    if s.has_offices() {
        super::offices::emit_offices(s, c, out);
    }
    super::segments::emit_segments(s, c, out);
}

fn sellers(s: &Scenario) -> u32 {
    s.seller_roles().iter().map(|&r| s.roles[r].headcount).sum()
}

fn emit_activity_and_flow(s: &Scenario, c: &Collector, out: &mut impl Sink) {
    let weeks = s.measured_weeks();
    let meetings_per_week = c.meetings as f64 / weeks;
    let mut quote = Sample::of(s.quote_step().map_or(&[][..], |i| &c.step_lead_times[i]));
    let mut service = Sample::of(&c.service_response);

    out.put(m::MEETINGS_PER_WEEK, "", meetings_per_week);
    let per_seller = ratio(meetings_per_week, f64::from(sellers(s)));
    out.put(m::MEETINGS_PER_SELLER, "", per_seller);
    out.put(m::QUOTE_MEAN, "", quote.mean);
    out.put(m::QUOTE_P50, "", quote.quantile(0.5));
    out.put(m::QUOTE_P90, "", quote.quantile(0.9));
    out.put(m::QUOTE_P95, "", quote.quantile(0.95));
    let quote_target = s.targets.quote_lead_time_hours;
    out.put(m::QUOTES_OVER_TARGET, "", quote.pct_above(quote_target));
    out.put(m::SERVICE_MEAN, "", service.mean);
    out.put(m::SERVICE_P50, "", service.quantile(0.5));
    let service_wait = ratio(c.service_wait_sum, c.service_wait_count as f64);
    out.put(m::SERVICE_WAIT, "", service_wait);
    out.put(m::SERVICE_P90, "", service.quantile(0.9));
    let service_target = s.targets.service_response_hours;
    out.put(
        m::SERVICE_OVER_TARGET,
        "",
        service.pct_above(service_target),
    );
}

fn emit_outcome_and_cost(s: &Scenario, c: &Collector, out: &mut impl Sink) {
    let weeks = s.measured_weeks();
    let cost = trial_staffing_cost(s, c);
    let meetings_per_week = c.meetings as f64 / weeks;
    let revenue_per_year = c.revenue / weeks * 52.0;
    let ended = c.won + c.lost + c.cold;

    out.put(m::LEADS_CREATED, "", c.leads_created as f64 / weeks);
    out.put(m::DEALS_WON, "", c.won as f64 / weeks);
    out.put(m::WIN_RATE, "", ratio(c.won as f64, ended as f64));
    out.put(m::REVENUE, "", revenue_per_year);
    out.put(m::SALES_CYCLE, "", c.sales_cycle.mean());
    out.put(m::FIRST_CONTACT, "", c.first_contact.mean());
    out.put(m::LEADS_COLD, "", c.cold as f64 / weeks);
    let leads_in_system = c.open_leads_area / s.measured_hours();
    out.put(m::LEADS_IN_SYSTEM, "", leads_in_system);
    out.put(m::LEAD_TIME_IN_SYSTEM, "", c.time_in_system.mean());
    out.put(m::STAFFING_COST, "", cost.total_per_year());
    out.put(m::STAFFING_ROLES, "", cost.roles_per_year);
    out.put(m::STAFFING_MANAGEMENT, "", cost.management_per_year);
    out.put(m::STAFFING_OFFICES, "", cost.offices_per_year);
    out.put(m::MANAGERS, "", f64::from(cost.managers));
    let per_meeting = ratio(cost.total_per_year(), meetings_per_week * 52.0);
    out.put(m::COST_PER_MEETING, "", per_meeting);
    let of_sales = ratio(100.0 * cost.total_per_year(), revenue_per_year);
    out.put(m::COST_OF_SALES, "", of_sales);
    out.put(m::SELLERS_BELOW_TARGET, "", sellers_below_target_pct(s, c));
    let total = cost.total_per_year();
    super::segments::emit_economics(s, c, revenue_per_year, total, out);
}

/// Percentage of sellers (people in meeting roles) who held fewer meetings than the
/// target over the measured weeks.
fn sellers_below_target_pct(s: &Scenario, c: &Collector) -> f64 {
    let sellers = sellers(s);
    if sellers == 0 || c.meetings_by_person.is_empty() {
        return f64::NAN;
    }
    let target = s.targets.meetings_per_seller_week * s.measured_weeks();
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
}

fn emit_step(s: &Scenario, c: &Collector, i: usize, name: &str, out: &mut impl Sink) {
    let mut times = Sample::of(&c.step_lead_times[i]);
    out.put(m::STEP_LEAD_MEAN, name, times.mean);
    out.put(m::STEP_LEAD_P50, name, times.quantile(0.5));
    out.put(m::STEP_LEAD_P90, name, times.quantile(0.9));
    out.put(m::STEP_LEAD_P95, name, times.quantile(0.95));
    let wait = ratio(c.step_wait_sum[i], c.step_wait_count[i] as f64);
    out.put(m::STEP_WAIT, name, wait);
    out.put(m::STEP_DONE, name, times.len() as f64 / s.measured_weeks());
    let open = c.step_open[i];
    out.put(m::STEP_OPEN, name, open as f64);
    let done_sum: f64 = c.step_lead_times[i].iter().sum();
    let with_open = ratio(
        done_sum + c.step_open_elapsed_sum[i],
        (times.len() as u64 + open) as f64,
    );
    out.put(m::STEP_LEAD_WITH_OPEN, name, with_open);
}

fn emit_role(s: &Scenario, c: &Collector, r: usize, name: &str, out: &mut impl Sink) {
    let available = f64::from(s.roles[r].headcount) * s.measured_hours();
    let time = c.role_time.get(r).copied().unwrap_or([0.0; 7]);
    let busy: f64 = time.iter().sum();
    out.put(m::UTILIZATION, name, ratio(busy, available));
    for activity in Activity::ALL {
        let share = ratio(time[activity.index()], available);
        out.put(m::TIME_SHARES[activity.index()], name, share);
    }
    let idle = ratio((available - busy).max(0.0), available);
    out.put(m::SHARE_IDLE, name, idle);
}

/// The trial's staffing cost per year: from the time each person was on the books
/// over the measured window when people joined or left, else the scenario's (static,
/// so a scenario without people over time reports exactly what it always did).
pub(super) fn trial_staffing_cost(s: &Scenario, c: &Collector) -> crate::model::StaffingCost {
    match c.staffing.mean() {
        Some(cost) if c.staffing.dynamic => cost,
        _ => staffing_cost(s),
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
