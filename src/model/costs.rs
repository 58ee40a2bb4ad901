//! Staffing cost, computed from the scenario alone: people, managers by span of
//! control with the layers above them, and offices; with offices, each office's own
//! part (its people, their first-line managers, its annual cost).

use super::staff::seats_of;
use crate::scenario::{Role, Scenario};

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
    staffing_cost_of(s, &seats_of(s))
}

/// The staffing cost of `heads[role][group]` people (a group is an office of a role
/// with people per office, else the whole role), as `staffing_cost` counts it: the
/// cost of the people on the books at one moment.
pub fn staffing_cost_of(s: &Scenario, heads: &[Vec<u32>]) -> StaffingCost {
    let roles_per_year = s
        .roles
        .iter()
        .zip(heads)
        .map(|(r, groups)| f64::from(groups.iter().sum::<u32>()) * r.annual_cost)
        .sum();
    let first_line: u32 = s
        .roles
        .iter()
        .zip(heads)
        .map(|(r, groups)| first_line_managers(r, groups))
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
        offices_per_year: if s.has_offices() {
            s.offices.iter().map(|o| o.annual_cost).sum()
        } else {
            f64::from(s.costs.offices) * s.costs.office_annual_cost
        },
    }
}

/// First-line managers of people `n` of `role`: its explicit `managers` (per office for
/// a role with people per office, none where it has nobody) or `ceil(n / span)`.
fn managers_of(role: &Role, n: u32) -> u32 {
    match role.managers {
        Some(m) if n > 0 || role.office_headcount.is_none() => m,
        Some(_) => 0,
        None => n.div_ceil(role.span_of_control.max(1)),
    }
}

/// A role's first-line managers of its `groups` of people: counted per office for a
/// role with people per office.
fn first_line_managers(role: &Role, groups: &[u32]) -> u32 {
    groups.iter().map(|&n| managers_of(role, n)).sum()
}

/// Yearly cost of one office: its people in roles with people per office, their
/// first-line managers, and the office's own annual cost. Central roles and the
/// managers above the first line belong to no office.
pub fn office_cost_per_year(s: &Scenario, office: usize) -> f64 {
    office_cost_of(s, &seats_of(s), office)
}

/// `office_cost_per_year` of `heads[role][group]` people (see `staffing_cost_of`).
pub fn office_cost_of(s: &Scenario, heads: &[Vec<u32>], office: usize) -> f64 {
    let people: f64 = s
        .roles
        .iter()
        .zip(heads)
        .filter_map(|(r, groups)| {
            r.office_headcount.as_ref()?;
            let n = *groups.get(office)?;
            Some(
                f64::from(n) * r.annual_cost
                    + f64::from(managers_of(r, n)) * s.costs.manager_annual_cost,
            )
        })
        .sum();
    people + s.offices.get(office).map_or(0.0, |o| o.annual_cost)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Managers per office, layers above across offices: 3 offices of 5 reps at a span
    /// of 4 have 2 managers each (6, not ceil(15 / 4) = 4), and 2 above them.
    #[test]
    fn managers_are_counted_per_office() {
        let text = r#"
[offices.a]
annual_cost = 10
[offices.b]
annual_cost = 20
[offices.c]
annual_cost = 30
[[lead_sources]]
kind = "inbound"
rate_per_week = 1.0
[roles.rep]
headcount = { a = 5, b = 5, c = 5 }
annual_cost = 100
span_of_control = 4
[roles.desk]
headcount = 2
annual_cost = 1000
managers = 0
[[funnel]]
name = "x"
role = "rep"
duration = 1.0
[costs]
span_of_control = 4
manager_annual_cost = 7
"#;
        let s = crate::scenario::load_str(text, "t.toml", "t", &[])
            .unwrap()
            .scenario;
        let cost = staffing_cost(&s);
        assert_eq!(cost.managers, 6 + 2 + 1);
        assert_eq!(office_cost_per_year(&s, 1), 5.0 * 100.0 + 2.0 * 7.0 + 20.0);
        let offices: f64 = (0..3).map(|o| office_cost_per_year(&s, o)).sum();
        let central = 2.0 * 1000.0 + 3.0 * 7.0;
        assert_eq!(offices + central, cost.total_per_year());
    }
}
