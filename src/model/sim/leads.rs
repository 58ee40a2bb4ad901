//! Leads coming in: inbound arrivals (with seasonality), prospected leads, release by
//! push or pull, owner assignment, each morning's pull top-ups, and going cold.

use rand::RngExt;

use super::{Event, Sim};
use crate::model::leads::{Ending, LeadRef};
use crate::model::rng::exponential;
use crate::model::staff::PersonId;
use crate::model::work::LeadId;
use crate::scenario::{Assign, OfficeId, Release, RoleId, SourceKind};

impl Sim<'_> {
    pub(super) fn schedule_next_arrival(&mut self, source: usize) {
        let SourceKind::Inbound {
            rate_per_hour,
            ref seasonality,
        } = self.s.lead_sources[source].kind
        else {
            return;
        };
        // Seasonality by thinning: candidates at the peak rate, kept in proportion.
        let peak = if seasonality.is_empty() {
            1.0
        } else {
            seasonality.iter().copied().fold(0.0, f64::max)
        };
        let rng = &mut self.rng.arrivals[source];
        let mut t = self.now;
        loop {
            t += exponential(rng, rate_per_hour * peak);
            if !t.is_finite() || seasonality.is_empty() {
                break;
            }
            let year_fraction = (t / self.s.calendar.hours_per_week() / 52.0).fract();
            let factor = seasonality
                [((year_fraction * seasonality.len() as f64) as usize).min(seasonality.len() - 1)];
            if rng.random::<f64>() * peak < factor || t > self.s.horizon_hours {
                break;
            }
        }
        if t.is_finite() && t <= self.s.horizon_hours {
            self.queue.schedule_in_slot(
                self.arrival_slot(source),
                t,
                Event::LeadArrival {
                    source: source as u16,
                },
            );
        }
    }

    pub(super) fn on_lead_arrival(&mut self, source: usize) {
        self.schedule_next_arrival(source);
        self.create_lead(source, None);
    }

    /// A new lead from `source`; `finder` is the prospecting person who found it.
    pub(super) fn create_lead(&mut self, source: usize, finder: Option<PersonId>) {
        let src = &self.s.lead_sources[source];
        let office = self.office_of_new_lead(source, finder);
        if !self.s.accepts_new_work(office, self.now) {
            // Another part of a transition takes it: drawn as it would be, not created.
            self.skip_segment_draw();
            return;
        }
        let cold_at = self
            .s
            .shelf_life_hours
            .map(|shelf_life| self.now + shelf_life);
        let (r, wake) = self.pipeline.create(self.now, cold_at);
        self.pipeline[r.id].office = office;
        self.ledger.lead_created(self.now);
        self.ledger.office_lead_created(self.now, office);
        self.enter_segment(r.id);
        self.ledger.track_open_leads(self.now, 1);
        if let Some(deadline) = wake {
            self.queue
                .schedule_in_slot(self.cold_slot(), deadline, Event::LeadsCold);
        }
        self.record(finder, Some(r.id), "", "lead created");
        if let Some(trace) = &mut self.trace {
            trace.lead_created(r.id, self.now, source, self.pipeline[r.id].segment);
        }
        // A seller who prospects for himself keeps what he finds.
        if let Some(person) = finder
            && self.staff.role_of(person) == src.to_role
        {
            self.pipeline[r.id].set_owner(src.to_role, person);
            self.request_step(r.id);
            return;
        }
        match src.release {
            Release::Pull => {
                self.pipeline.park_pulled(source, r);
                // A pool filled during the day is drawn from the next morning.
            }
            Release::Push => self.push_lead(source, r.id),
        }
    }

    /// Releases lead `id` of `source` by push: to an owner of the source's role as its
    /// `assign` says (or to the role's pool), and requests its first step.
    pub(super) fn push_lead(&mut self, source: usize, id: LeadId) {
        let src = &self.s.lead_sources[source];
        let role = src.to_role;
        let office = self.pipeline[id].office;
        if src.assign == Assign::Pool {
            self.pipeline[id].pool_role = Some(role);
        }
        let counter = self.s.roles.len() + source;
        if let Some(owner) = self.assign_owner(role, src.assign, counter, office) {
            self.pipeline[id].set_owner(role, owner);
        }
        self.request_step(id);
    }

    /// An opportunity already open at time 0, in funnel step `step`: it enters that
    /// step now and walks the rest of the funnel as any lead does (an opportunity past
    /// the first step has been contacted, so it cannot go cold). Its owner and office
    /// are chosen as for a lead of the first source.
    pub(super) fn open_opportunity(&mut self, step: usize, amount: Option<f64>, in_stage: f64) {
        let s = self.s;
        let contacted = step > 0;
        let cold_at = s
            .shelf_life_hours
            .filter(|_| !contacted)
            .map(|shelf_life| self.now + shelf_life);
        let office = if s.lead_sources.is_empty() {
            None
        } else {
            self.office_of_new_lead(0, None)
        };
        if !s.accepts_new_work(office, self.now) {
            self.skip_segment_draw();
            return;
        }
        let (r, wake) = self.pipeline.create(self.now, cold_at);
        let lead = &mut self.pipeline[r.id];
        lead.office = office;
        lead.step = step.min(s.funnel.len().saturating_sub(1));
        lead.first_contacted = contacted;
        lead.amount = amount;
        lead.credit_hours = in_stage;
        self.ledger.lead_created(self.now);
        self.ledger.office_lead_created(self.now, office);
        self.enter_segment(r.id);
        self.ledger.track_open_leads(self.now, 1);
        if let Some(deadline) = wake {
            self.queue
                .schedule_in_slot(self.cold_slot(), deadline, Event::LeadsCold);
        }
        self.record(None, Some(r.id), "", "lead created");
        if let Some(trace) = &mut self.trace {
            trace.lead_created(r.id, self.now, 0, self.pipeline[r.id].segment);
        }
        if let Some(src) = s.lead_sources.first()
            && src.assign == Assign::Pool
            && step == 0
        {
            self.pipeline[r.id].pool_role = Some(src.to_role);
        }
        self.request_step(r.id);
    }

    /// An owner for a lead of `office` entering `role` under `assign`, or none for
    /// pooled work. `counter` names the round-robin counter to advance.
    pub(super) fn assign_owner(
        &mut self,
        role: RoleId,
        assign: Assign,
        counter: usize,
        office: Option<OfficeId>,
    ) -> Option<PersonId> {
        match assign {
            Assign::Pool => None,
            Assign::Territory => Some(self.random_person(role, office)),
            Assign::RoundRobin => {
                let members = self.staff.members_in(role, office);
                let office = office.filter(|_| self.staff.is_per_office(role));
                // Past those who take no work (off the books or leaving), if anyone does.
                let mut person = self.pipeline.round_robin(counter, office, members.clone());
                for _ in members.clone() {
                    if self.staff.is_available(person) {
                        break;
                    }
                    person = self.pipeline.round_robin(counter, office, members.clone());
                }
                Some(person)
            }
        }
    }

    /// Each morning, tops each pulling person up to the queue target, oldest lead first.
    pub(super) fn top_up(&mut self, role: RoleId) {
        let target = self.pipeline.pull_target(self.s, role);
        let per_office = self.staff.is_per_office(role);
        for person in self.staff.members(role) {
            if !self.staff.is_available(person) {
                continue;
            }
            // A person of an office draws that office's leads; a central one, any.
            let office = self.staff.person(person).office.filter(|_| per_office);
            while self.staff.person(person).open_leads < target {
                let Some(r) = self.pipeline.take_oldest_pulled(role, office) else {
                    if per_office {
                        break;
                    }
                    return;
                };
                let lead = &mut self.pipeline[r.id];
                lead.set_owner(role, person);
                lead.held_by = Some(person);
                self.staff.person_mut(person).open_leads += 1;
                self.request_step(r.id);
            }
        }
    }

    /// Ends every lead whose shelf life is over, and waits for the next deadline that
    /// can still matter: a lead already contacted, or already ended, cannot go cold, so
    /// its deadline is dropped without an event of its own.
    pub(super) fn on_leads_cold(&mut self) {
        loop {
            match self.pipeline.pop_due_cold(self.now) {
                Ok(r) => self.on_lead_cold(r),
                Err(Some(deadline)) => {
                    self.queue
                        .schedule_in_slot(self.cold_slot(), deadline, Event::LeadsCold);
                    return;
                }
                Err(None) => return,
            }
        }
    }

    fn on_lead_cold(&mut self, r: LeadRef) {
        let Some(lead) = self.pipeline.get(r) else {
            return;
        };
        if lead.first_contacted {
            return;
        }
        if let Some(task) = lead.pending_task {
            self.tasks[task].dead = true;
        }
        self.end_lead(r.id, Ending::Cold, None);
    }
}
