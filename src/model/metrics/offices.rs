//! Per-office observations of one trial and the `offices.NAME.*` metrics made from
//! them. A lead, its meetings, its quote and its service requests count in the office
//! where the lead (or the customer's account) arose, whoever served them: so counts and
//! money over the offices add up to the team's.

use super::catalogue::{self as m};
use super::collector::{Collector, MeanOf};
use super::emit::Sink;
use crate::model::costs::office_cost_per_year;
use crate::scenario::Scenario;
use crate::stats::quantile_sorted;

/// What one office saw in the measured window.
#[derive(Debug, Clone, Default)]
pub struct OfficeObs {
    pub leads_created: u64,
    pub meetings: u64,
    pub won: u64,
    pub lost: u64,
    pub cold: u64,
    pub revenue: f64,
    pub sales_cycle: MeanOf,
    pub quote_lead_times: Vec<f64>,
    pub service_response: Vec<f64>,
    /// Busy hours of the office's people, by role.
    pub role_busy: Vec<f64>,
}

impl OfficeObs {
    pub fn new(roles: usize) -> Self {
        OfficeObs {
            role_busy: vec![0.0; roles],
            ..Default::default()
        }
    }
}

fn ratio(numerator: f64, denominator: f64) -> f64 {
    if denominator > 0.0 {
        numerator / denominator
    } else {
        f64::NAN
    }
}

fn mean(values: &[f64]) -> f64 {
    ratio(values.iter().sum(), values.len() as f64)
}

fn p90(values: &[f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    quantile_sorted(&sorted, 0.9)
}

/// Emits the office metrics: the cost outside the offices, then each office's metrics,
/// then the utilization of each role with people per office, office by office.
pub fn emit_offices(s: &Scenario, c: &Collector, out: &mut impl Sink) {
    let weeks = s.measured_weeks();
    let dynamic = c.staffing.dynamic;
    let office_costs: Vec<f64> = (0..s.offices.len())
        .map(|o| match c.staffing.office_mean(o) {
            Some(cost) if dynamic => cost,
            _ => office_cost_per_year(s, o),
        })
        .collect();
    let total = super::emit::trial_staffing_cost(s, c).total_per_year();
    let central = total - office_costs.iter().sum::<f64>();
    out.put(m::STAFFING_CENTRAL, "", central.max(0.0));
    let empty = OfficeObs::new(s.roles.len());
    for (o, office) in s.offices.iter().enumerate() {
        let obs = c.offices.get(o).unwrap_or(&empty);
        let name = office.name.as_str();
        let ended = obs.won + obs.lost + obs.cold;
        out.put(m::OFFICE_LEADS, name, obs.leads_created as f64 / weeks);
        out.put(m::OFFICE_MEETINGS, name, obs.meetings as f64 / weeks);
        out.put(m::OFFICE_DEALS, name, obs.won as f64 / weeks);
        out.put(
            m::OFFICE_WIN_RATE,
            name,
            ratio(obs.won as f64, ended as f64),
        );
        out.put(m::OFFICE_REVENUE, name, obs.revenue / weeks * 52.0);
        out.put(m::OFFICE_CYCLE, name, obs.sales_cycle.mean());
        out.put(m::OFFICE_COLD, name, obs.cold as f64 / weeks);
        out.put(m::OFFICE_QUOTE_MEAN, name, mean(&obs.quote_lead_times));
        out.put(m::OFFICE_QUOTE_P90, name, p90(&obs.quote_lead_times));
        out.put(m::OFFICE_SERVICE_MEAN, name, mean(&obs.service_response));
        out.put(m::OFFICE_SERVICE_P90, name, p90(&obs.service_response));
        out.put(m::OFFICE_STAFFING, name, office_costs[o]);
    }
    for (o, office) in s.offices.iter().enumerate() {
        let obs = c.offices.get(o).unwrap_or(&empty);
        for (r, role) in s.roles.iter().enumerate() {
            let Some(people) = role.office_headcount.as_ref().and_then(|h| h.get(o)) else {
                continue;
            };
            let available = f64::from(*people) * s.measured_hours();
            let busy = obs.role_busy.get(r).copied().unwrap_or(0.0);
            let subject = format!("{}.roles.{}", office.name, role.name);
            out.put(m::OFFICE_UTILIZATION, &subject, ratio(busy, available));
        }
    }
}
