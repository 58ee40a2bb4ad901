//! One side of a transition (`Scenario::handover`): the design being left lets its
//! people of an office go once the office has switched and its open work is done (or
//! its wind-down is over: what is still open is lost to the transition), and the design
//! moved to takes its people of an office on at the office's switch. Outside a
//! transition nothing here runs.

use super::Sim;
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
}

impl HandoverState {
    pub(super) fn new(offices: usize) -> Self {
        let n = offices.max(1);
        HandoverState {
            open_service: vec![0; n],
            released: vec![false; n],
            central_released: false,
            lost: 0,
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

    /// At the start: the joining side's people come on the books at their office's
    /// switch (central people at the first).
    pub(super) fn handover_start(&mut self) {
        if self.s.handover != Some(Handover::Joining) {
            return;
        }
        for p in self.staff.everyone() {
            let office = self.staff.person(p).office;
            let from = self.s.work_window_of(office).0.max(0.0);
            self.join(p, from);
        }
    }

    /// Each morning, the leaving side lets go the people of every office that has
    /// switched and has no open work left, or whose wind-down is over.
    pub(super) fn handover_day(&mut self) {
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

    // Until the people on the books are merged: placeholders with their names.
    fn join(&mut self, _person: crate::model::staff::PersonId, _at: f64) {}
    fn leave_when_done(&mut self, _person: crate::model::staff::PersonId) {}
}
