//! Staffing cost, computed from the scenario alone: people, managers by span of
//! control with the layers above them, and offices.

use crate::scenario::Scenario;

/// Yearly staffing cost and its split.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StaffingCost {
    pub roles_per_year: f64,
    pub managers: u32,
    pub management_per_year: f64,
    pub offices_per_year: f64,
}

impl StaffingCost {
    pub fn total_per_year(&self) -> f64 {
        self.roles_per_year + self.management_per_year + self.offices_per_year
    }
}

/// First-line managers per role are `ceil(headcount / span)` (or the role's explicit
/// `managers`); above them, a layer of `ceil(layer / span)` managers is added while a
/// layer has more than one person.
pub fn staffing_cost(s: &Scenario) -> StaffingCost {
    let roles_per_year = s
        .roles
        .iter()
        .map(|r| f64::from(r.headcount) * r.annual_cost)
        .sum();
    let first_line: u32 = s
        .roles
        .iter()
        .map(|r| {
            r.managers
                .unwrap_or_else(|| r.headcount.div_ceil(r.span_of_control.max(1)))
        })
        .sum();
    let mut managers = first_line;
    let mut layer = first_line;
    // A span of one would add a layer of one manager for ever; validation asks for two.
    let span = s.costs.span_of_control.max(2);
    while layer > 1 {
        layer = layer.div_ceil(span);
        managers += layer;
    }
    StaffingCost {
        roles_per_year,
        managers,
        management_per_year: f64::from(managers) * s.costs.manager_annual_cost,
        offices_per_year: f64::from(s.costs.offices) * s.costs.office_annual_cost,
    }
}
