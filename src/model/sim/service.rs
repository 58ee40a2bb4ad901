//! Service requests: Poisson arrivals from existing customers, routed to the account
//! owner or a pool, optionally escalated; their response time is a headline metric.

use rand::RngExt;

use super::dispatch::NewTask;
use super::{Event, Sim};
use crate::model::rng::{exponential, pick_variant};
use crate::model::work::WorkRef;
use crate::scenario::{Activity, Routing};

impl Sim<'_> {
    pub(super) fn on_service_arrival(&mut self) {
        let service = self
            .s
            .service
            .as_ref()
            .expect("service arrivals need a service table");
        let gap = exponential(&mut self.rng.service_arrivals, service.rate_per_hour);
        self.queue
            .schedule_in_slot(self.service_slot(), self.now + gap, Event::ServiceArrival);
        let variant = pick_variant(&service.variants, &mut self.rng.service_work);
        let v = &service.variants[variant];
        let hours = v.duration.sample(&mut self.rng.service_work);
        // The customer's account belongs to an office; its owner is one of its people.
        let office = self.office_of_service_request();
        if !self.s.accepts_new_work(office, self.now) {
            return; // another part of a transition takes it
        }
        self.handover_service_opened(office);
        let owner = match v.routing {
            Routing::Owner => Some(self.random_person(v.role, office)),
            Routing::Pool => None,
        };
        let work = WorkRef::Service {
            arrived_at: self.now,
            escalated: false,
        };
        let task = NewTask {
            kind: self.s.kind_service(),
            role: v.role,
            activity: Activity::Service,
            work,
            hours,
            office,
        };
        self.submit(task, v.routing, owner);
    }

    /// A service request of `office` (or its escalation) is done.
    pub(super) fn on_service_done(
        &mut self,
        arrived_at: f64,
        escalated: bool,
        office: Option<crate::scenario::OfficeId>,
    ) {
        let service = self.s.service.as_ref().expect("service");
        if !escalated
            && let Some(e) = &service.escalation
            && self.rng.service_work.random_bool(e.probability)
        {
            let hours = e.duration.sample(&mut self.rng.service_work);
            let owner = match e.routing {
                Routing::Owner => Some(self.random_person(e.role, office)),
                Routing::Pool => None,
            };
            let work = WorkRef::Service {
                arrived_at,
                escalated: true,
            };
            let task = NewTask {
                kind: self.s.kind_service(),
                role: e.role,
                activity: Activity::Service,
                work,
                hours,
                office,
            };
            self.submit(task, e.routing, owner);
            return;
        }
        self.handover_service_closed(office);
        self.ledger.service_done(self.now, self.now - arrived_at);
        self.ledger
            .office_service_done(self.now, office, self.now - arrived_at);
    }
}
