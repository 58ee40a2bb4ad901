//! Prospecting: the lowest-priority work, done only in idle time and up to a weekly
//! budget, yielding leads at a rate per hour of prospecting. A busy person stops
//! prospecting, so his pipeline dries later: feast and famine emerge, unscripted.

use super::{Event, Sim};
use crate::model::rng::exponential;
use crate::model::staff::PersonId;
use crate::scenario::{Activity, SourceKind};

impl Sim<'_> {
    pub(super) fn maybe_prospect(&mut self, person: PersonId) {
        let role = self.staff.role_of(person);
        if self.staff.prospecting_source(role).is_none() {
            return;
        }
        let p = self.staff.person(person);
        if p.prospecting_since.is_some() || p.prospecting_budget_hours <= 1e-9 {
            return;
        }
        // In a transition, a person prospects only while his office takes new work.
        let (from, until) = self.s.work_window_of(p.office);
        if self.now < from || self.now >= until {
            return;
        }
        let until_lead = p.prospecting_to_next_lead;
        let budget = p.prospecting_budget_hours;
        self.staff.person_mut(person).prospecting_since = Some(self.now);
        self.queue.schedule_in_slot(
            self.person_slot(person),
            self.now + until_lead.min(budget),
            Event::ProspectingLead { person },
        );
    }

    /// Ends a prospecting spell, keeping its progress towards the next lead.
    pub(super) fn stop_prospecting(&mut self, person: PersonId) {
        let Some(since) = self.staff.person_mut(person).prospecting_since.take() else {
            return;
        };
        self.account(person, Activity::Prospecting, since, self.now);
        let p = self.staff.person_mut(person);
        let spent = self.now - since;
        p.prospecting_budget_hours = (p.prospecting_budget_hours - spent).max(0.0);
        p.prospecting_to_next_lead = (p.prospecting_to_next_lead - spent).max(0.0);
        self.queue.clear_slot(self.person_slot(person));
    }

    pub(super) fn on_prospecting_lead(&mut self, person: PersonId) {
        self.stop_prospecting(person);
        let role = self.staff.role_of(person);
        let source = self
            .staff
            .prospecting_source(role)
            .expect("prospecting role");
        if self.staff.person(person).prospecting_to_next_lead <= 1e-9 {
            let SourceKind::Prospecting { leads_per_hour, .. } = self.s.lead_sources[source].kind
            else {
                unreachable!("prospecting source")
            };
            let next = exponential(&mut self.rng.prospecting, leads_per_hour);
            self.staff.person_mut(person).prospecting_to_next_lead = next;
            if self.s.new_leads {
                self.create_lead(source, Some(person));
            }
        }
        self.try_start(person);
    }
}
