//! One side of a transition (`Scenario::handover`): the design being left lets its
//! people of an office go once the office has switched and its open work is done (or
//! its wind-down is over: what is still open is lost to the transition), and the design
//! moved to takes its people of an office on at the office's switch. Outside a
//! transition nothing here runs.

use super::Sim;
use crate::model::ledger_people::CostRate;
use crate::scenario::{Handover, OfficeId};

/// What a trial keeps about its side of a transition.
#[derive(Debug, Default)]
pub(super) struct HandoverState {
    /// Per office (one entry without offices), service requests accepted and not done.
    open_service: Vec<u64>,
    /// Per office, whether its people have been let go; then the central people.
    released: Vec<bool>,
    central_released: bool,
    /// Leads and service requests still open when a wind-down ran out.
    pub lost: u64,
    /// Per office, whether this side pays its overhead (rent) as last costed.
    overhead_held: Vec<bool>,
}

impl HandoverState {
    pub(super) fn new(offices: usize) -> Self {
        let n = offices.max(1);
        HandoverState {
            open_service: vec![0; n],
            released: vec![false; n],
            central_released: false,
            lost: 0,
            overhead_held: vec![true; n],
        }
    }
}

impl Sim<'_> {
    fn office_slot(&self, office: Option<OfficeId>) -> usize {
        office.unwrap_or(0)
    }

    pub(super) fn handover_service_opened(&mut self, office: Option<OfficeId>) {
        if self.s.handover.is_some() {
            let i = self.office_slot(office);
            self.handover.open_service[i] += 1;
        }
    }

    pub(super) fn handover_service_closed(&mut self, office: Option<OfficeId>) {
        if self.s.handover.is_some() {
            let i = self.office_slot(office);
            self.handover.open_service[i] = self.handover.open_service[i].saturating_sub(1);
        }
    }

    /// Whether this side holds office slot `o` now (pays its overhead): the leaving
    /// side until the office's switch, the joining side from it.
    fn holds_office(&self, o: usize) -> bool {
        let Some(&(from, until)) = self.s.new_work_window.get(o) else {
            return true;
        };
        match self.s.handover {
            Some(Handover::Leaving { .. }) => self.now < until,
            Some(Handover::Joining) => self.now >= from,
            None => true,
        }
    }

    /// Both sides of a transition would pay each office's overhead (its rent; without
    /// offices, `costs.offices`): it is paid by the side that holds the office, so the
    /// two parts together pay it once. Recomputed in office order, so a side holding
    /// every office costs exactly what the scenario alone does.
    pub(super) fn office_overhead(&self, rate: &mut CostRate) {
        if self.s.handover.is_none() || self.s.new_work_window.is_empty() {
            return;
        }
        let s = self.s;
        let held: Vec<bool> = (0..self.handover.released.len())
            .map(|o| self.holds_office(o))
            .collect();
        if held.iter().all(|&h| h) {
            return;
        }
        if let Some(team) = &mut rate.team {
            team.offices_per_year = if s.has_offices() {
                s.offices
                    .iter()
                    .zip(&held)
                    .filter(|(_, h)| **h)
                    .map(|(o, _)| o.annual_cost)
                    .sum()
            } else {
                0.0
            };
        }
        for (o, cost) in rate.offices.iter_mut().enumerate() {
            if !held[o] {
                *cost -= s.offices[o].annual_cost;
            }
        }
    }

    /// Costs anew when an office has changed hands since last costed.
    fn check_overhead(&mut self) {
        let held: Vec<bool> = (0..self.handover.overhead_held.len())
            .map(|o| self.holds_office(o))
            .collect();
        if held != self.handover.overhead_held {
            self.handover.overhead_held = held;
            self.staffing_changed();
        }
    }

    /// At the start: the joining side's people come on the books at their office's
    /// switch (central people at the first).
    pub(super) fn handover_start(&mut self) {
        if self.s.handover.is_none() {
            return;
        }
        self.handover.overhead_held = (0..self.handover.overhead_held.len())
            .map(|o| self.holds_office(o))
            .collect();
        if self.s.handover != Some(Handover::Joining) {
            return;
        }
        let mut joining = false;
        for p in self.staff.everyone() {
            let office = self.staff.person(p).office;
            let from = self.s.work_window_of(office).0.max(0.0);
            let ramps = self
                .s
                .roles
                .get(self.staff.role_of(p))
                .and_then(|r| r.people.as_ref())
                .is_some_and(|people| people.ramp.is_some());
            // One on the books from 0 without a ramp is as if he had always been there:
            // left so, the run is AFTER's own (bit for bit, the cost path included).
            if from > 0.0 || ramps {
                self.staff.person_mut(p).joined_at = f64::INFINITY;
                self.join(p, from);
                joining = true;
            }
        }
        if joining {
            self.staffing_changed();
        }
    }

    /// Each morning, the leaving side lets go the people of every office that has
    /// switched and has no open work left, or whose wind-down is over.
    pub(super) fn handover_day(&mut self) {
        if self.s.handover.is_some() {
            self.check_overhead();
        }
        let Some(Handover::Leaving { wind_down_hours }) = self.s.handover else {
            return;
        };
        let offices = self.handover.released.len();
        let has_offices = self.s.has_offices();
        for o in 0..offices {
            if self.handover.released[o] {
                continue;
            }
            let until = self.s.new_work_window.get(o).map_or(f64::INFINITY, |w| w.1);
            if self.now < until {
                continue;
            }
            let office = has_offices.then_some(o);
            let open = self.pipeline.open_in_office(office) + self.handover.open_service[o];
            if open > 0 && self.now < until + wind_down_hours {
                continue;
            }
            self.handover.lost += open;
            self.handover.released[o] = true;
            for p in self.staff.everyone() {
                let of = self.staff.person(p).office;
                if of == office || (!has_offices && of.is_none()) {
                    self.leave_when_done(p);
                }
            }
        }
        if !has_offices || self.handover.central_released {
            return;
        }
        if self.handover.released.iter().all(|&r| r) {
            let last = self.s.work_window_of(None).1;
            let open =
                self.pipeline.open_in_office(None) + self.handover.open_service.iter().sum::<u64>();
            if open > 0 && self.now < last + wind_down_hours {
                return;
            }
            self.handover.lost += open;
            self.handover.central_released = true;
            for p in self.staff.everyone() {
                if self.staff.person(p).office.is_none() {
                    self.leave_when_done(p);
                }
            }
        }
    }

    /// Leads and service requests lost to the transition's wind-down.
    pub fn handover_lost(&self) -> u64 {
        self.handover.lost
    }
}
