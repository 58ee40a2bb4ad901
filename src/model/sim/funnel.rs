//! The walk of a lead through the funnel: requesting each step (or its next
//! repetition), first contact and waits, handoffs, the outcome of a step, and the end
//! of a lead (won, lost, gone cold) with the admin work that follows.

use rand::RngExt;

use super::Sim;
use super::dispatch::NewTask;
use crate::model::leads::Ending;
use crate::model::rng::{draw_count, pick_variant};
use crate::model::staff::PersonId;
use crate::model::work::{LeadId, TaskId, WorkRef};
use crate::scenario::{Activity, Assign, Booking, Routing, StepKind};

impl Sim<'_> {
    /// Requests the lead's current step (or its next repetition).
    pub(super) fn request_step(&mut self, id: LeadId) {
        let s = self.s;
        let step_index = self.pipeline[id].step;
        let step = &s.funnel[step_index];
        if self.pipeline[id].reps_left == 0 {
            let reps = draw_count(step.count.as_ref(), &mut self.rng.step_outcomes[step_index]);
            let lead = &mut self.pipeline[id];
            lead.reps_left = reps;
            lead.step_first_wait = None;
        }
        let variant = pick_variant(&step.variants, &mut self.rng.step_outcomes[step_index]);
        let v = &step.variants[variant];
        self.pipeline[id].variant = variant;
        self.pipeline[id].step_requested_at = self.now;
        self.pipeline[id].in_step = true;
        // A pulled lead counts against its puller until it leaves the puller's role.
        if let Some(holder) = self.pipeline[id].held_by
            && self.staff.role_of(holder) != v.role
        {
            self.release_hold(id);
        }
        let owner = self.step_owner(id, v.role, v.routing);
        // A pulled lead goes to its puller whatever the step's routing.
        let routing = if self.pipeline[id].held_by.is_some() {
            Routing::Owner
        } else {
            v.routing
        };
        let task = match step.kind {
            StepKind::Task => {
                let hours = v.duration.sample(&mut self.rng.step_durations[step_index]);
                let work = NewTask {
                    kind: step_index,
                    role: v.role,
                    activity: step.activity,
                    work: WorkRef::LeadStep { lead: id },
                    hours,
                };
                self.submit(work, routing, owner)
            }
            StepKind::Meeting => self.submit_booking(id, routing, owner),
        };
        // `submit` may have started the task already; only a queued task is pending.
        self.pipeline[id].pending_task = (!self.tasks[task].started).then_some(task);
    }

    /// The lead's owner in `role`; under owner routing, one is assigned if it has none.
    fn step_owner(
        &mut self,
        id: LeadId,
        role: crate::scenario::RoleId,
        routing: Routing,
    ) -> Option<PersonId> {
        match self.pipeline[id].owner(role) {
            Some(p) => Some(p),
            None if routing == Routing::Owner => {
                let assign = match self.s.roles[role].assign {
                    Assign::Pool => Assign::Territory,
                    other => other,
                };
                let p = self.assign_owner(role, assign, role);
                if let Some(p) = p {
                    self.pipeline[id].set_owner(role, p);
                }
                p
            }
            None => None,
        }
    }

    /// Asks for the lead's next meeting to be booked: by the seller himself, or by the
    /// booking role (a coordinator) from its pool.
    pub(super) fn submit_booking(
        &mut self,
        id: LeadId,
        routing: Routing,
        owner: Option<PersonId>,
    ) -> TaskId {
        let s = self.s;
        let lead = &self.pipeline[id];
        let v = &s.funnel[lead.step].variants[lead.variant];
        let role = &s.roles[v.role];
        let hours = role.booking_hours.sample(&mut self.rng.booking);
        let mut work = NewTask {
            kind: s.kind_booking(),
            role: v.role,
            activity: Activity::Admin,
            work: WorkRef::Booking { lead: id },
            hours,
        };
        match role.booking {
            Booking::SelfBooked => self.submit(work, routing, owner),
            Booking::Coordinator => {
                work.role = role.booking_role;
                self.submit(work, Routing::Pool, None)
            }
        }
    }

    /// Called when someone first works on a task: waits, first contact, handoffs.
    pub(super) fn on_first_start(&mut self, task: TaskId, person: PersonId) {
        let (work, requested_at, role) = {
            let t = &self.tasks[task];
            (t.work, t.requested_at, t.role)
        };
        let now = self.now;
        let lead_id = match work {
            WorkRef::LeadStep { lead } | WorkRef::Booking { lead } => lead,
            WorkRef::Service {
                arrived_at,
                escalated: false,
            } => {
                self.ledger.service_started(now, now - arrived_at);
                return;
            }
            _ => return,
        };
        let lead = &mut self.pipeline[lead_id];
        lead.pending_task = None;
        if !lead.first_contacted {
            lead.first_contacted = true;
            self.ledger.first_contact(now, now - lead.created);
        }
        let step = lead.step;
        if lead.step_first_wait.is_none() {
            lead.step_first_wait = Some(now - requested_at);
        }
        self.ledger.step_started(now, step, now - requested_at);
        if let WorkRef::LeadStep { .. } = work {
            if lead.owner(role).is_none() {
                lead.set_owner(role, person);
            }
            let extra = self.handoff_to(lead_id, person);
            self.tasks[task].remaining_hours += extra;
        }
        let name = &self.s.funnel[step].name;
        self.record(Some(person), Some(lead_id), name, "work started");
    }

    /// Records a change of person on the lead; returns the handoff time to add.
    fn handoff_to(&mut self, lead_id: LeadId, person: PersonId) -> f64 {
        if self.record_handoff(lead_id, person) {
            self.s.handoff.time_hours
        } else {
            0.0
        }
    }

    /// Makes `person` the lead's last person; if that is a change of person, applies the
    /// handoff's win loss and returns true.
    pub(super) fn record_handoff(&mut self, lead_id: LeadId, person: PersonId) -> bool {
        let lead = &mut self.pipeline[lead_id];
        let changed = lead.last_person.is_some_and(|p| p != person);
        lead.last_person = Some(person);
        if changed {
            lead.win_multiplier *= 1.0 - self.s.handoff.win_loss;
        }
        changed
    }

    /// One repetition of the lead's current step is done at `done_at`.
    pub(super) fn on_step_done(&mut self, id: LeadId, person: PersonId, done_at: f64) {
        let s = self.s;
        let lead = &mut self.pipeline[id];
        let step_index = lead.step;
        let step = &s.funnel[step_index];
        lead.last_person = Some(person);
        let lead_time = done_at - lead.step_requested_at;
        self.ledger.step_done(done_at, step_index, lead_time);
        self.record(Some(person), Some(id), &step.name, "step done");
        let lead = &mut self.pipeline[id];
        lead.reps_left -= 1;
        if lead.reps_left > 0 {
            self.request_step(id);
            return;
        }
        let wait_days = s
            .calendar
            .hours_to_days(lead.step_first_wait.unwrap_or(0.0));
        let mut p = step.advance;
        if step.advance_decay_per_day > 0.0 {
            p *= (1.0 - step.advance_decay_per_day).powf(wait_days);
        }
        let last = step_index + 1 == s.funnel.len();
        if last {
            p *= lead.win_multiplier;
        }
        let advanced = self.rng.step_outcomes[step_index].random::<f64>() < p;
        match (advanced, last) {
            (true, false) => {
                self.pipeline[id].step += 1;
                self.request_step(id);
            }
            (true, true) => self.end_lead(id, Ending::Won, Some(person)),
            (false, _) => self.end_lead(id, Ending::Lost, Some(person)),
        }
    }

    fn release_hold(&mut self, id: LeadId) {
        if let Some(holder) = self.pipeline[id].held_by.take() {
            let p = self.staff.person_mut(holder);
            p.open_leads = p.open_leads.saturating_sub(1);
        }
    }

    pub(super) fn end_lead(&mut self, id: LeadId, ending: Ending, person: Option<PersonId>) {
        let s = self.s;
        self.release_hold(id);
        let created = self.pipeline[id].created;
        let mut value = 0.0;
        if ending == Ending::Won {
            value = s.deal_value.sample(&mut self.rng.deals);
        }
        self.ledger.lead_ended(self.now, ending, created, value);
        if ending == Ending::Won && s.admin.per_win_hours > 0.0 {
            self.admin_work(s.admin.per_win_hours, person);
        }
        let what = match ending {
            Ending::Won => "won",
            Ending::Lost => "lost",
            Ending::Cold => "gone cold",
        };
        self.record(person, Some(id), "", what);
        if let Some(trace) = &mut self.trace {
            let end = match ending {
                Ending::Won => crate::model::LeadEnd::Won,
                Ending::Lost => crate::model::LeadEnd::Lost,
                Ending::Cold => crate::model::LeadEnd::Cold,
            };
            trace.lead_ended(id, end, self.now, value);
        }
        self.ledger.track_open_leads(self.now, -1);
        self.pipeline.end(id, ending);
    }

    /// Per-event admin: to the admin role's pool, or to the person whose work caused it.
    pub(super) fn admin_work(&mut self, hours: f64, person: Option<PersonId>) {
        let s = self.s;
        match (s.admin.role, person) {
            (Some(role), _) => {
                self.submit(NewTask::admin(s, role, hours), Routing::Pool, None);
            }
            (None, Some(p)) => {
                let role = self.staff.role_of(p);
                self.submit(NewTask::admin(s, role, hours), Routing::Owner, Some(p));
            }
            (None, None) => {}
        }
    }
}
