//! The walk of a lead through the funnel: requesting each step (or its next
//! repetition), first contact and waits, handoffs, the outcome of a step, and the end
//! of a lead (won, lost, gone cold) with the admin work that follows.

use rand::RngExt;

use super::Sim;
use super::dispatch::NewTask;
use crate::model::credit::remaining_work;
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
        // Time an open opportunity spent in its stage before the trial counts once, at
        // its first request (only a plain task step's work can take it).
        let credit = std::mem::take(&mut self.pipeline[id].credit_hours);
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
        let role = self.role_for(id, step_index, v.role);
        // A pulled lead counts against its puller until it leaves the puller's role.
        if let Some(holder) = self.pipeline[id].held_by
            && self.staff.role_of(holder) != role
        {
            self.release_hold(id);
        }
        // Continuity first: a `same_person_as` step goes to that step's person.
        let same_person = self.continuity_person(id, step_index, role);
        let owner = match same_person {
            Some(p) => Some(p),
            None => self.step_owner(id, role, v.routing),
        };
        // A pulled lead goes to its puller whatever the step's routing.
        let routing = if self.pipeline[id].held_by.is_some() || same_person.is_some() {
            Routing::Owner
        } else if owner.is_none() {
            // A lead assigned to the pool has no owner yet: whoever takes it is one.
            Routing::Pool
        } else {
            v.routing
        };
        let office = self.lead_office(id);
        let task = match (step.kind, step.attempts) {
            (StepKind::Task, Some(attempts)) => {
                self.pipeline[id].attempts_made = 0;
                self.submit_attempt(id, attempts)
            }
            (StepKind::Task, None) => {
                let scale = self.duration_scale(id, step_index);
                let rng = &mut self.rng.step_durations[step_index];
                let hours = remaining_work(credit, || v.duration.sample(rng) * scale);
                let work = NewTask {
                    kind: step_index,
                    role,
                    activity: step.activity,
                    work: WorkRef::LeadStep { lead: id },
                    hours,
                    office,
                };
                self.submit(work, routing, owner)
            }
            (StepKind::Meeting, _) => self.submit_booking(id, routing, owner),
        };
        // `submit` may have started the task already; only a queued task is pending.
        self.pipeline[id].pending_task = (!self.tasks[task].started).then_some(task);
    }

    /// The lead's owner in `role`; under owner routing, one is assigned if it has none.
    pub(super) fn step_owner(
        &mut self,
        id: LeadId,
        role: crate::scenario::RoleId,
        routing: Routing,
    ) -> Option<PersonId> {
        match self.pipeline[id].owner(role) {
            Some(p) => Some(p),
            // Assigned to the pool on arrival: the first of the role to take it owns it.
            None if self.pipeline[id].pool_role == Some(role) => None,
            None if routing == Routing::Owner => {
                let assign = match self.s.roles[role].assign {
                    Assign::Pool => Assign::Territory,
                    other => other,
                };
                let office = self.lead_office(id);
                let p = self.assign_owner(role, assign, role, office);
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
        let meeting_role = self.role_for(id, lead.step, v.role);
        let role = &s.roles[meeting_role];
        let hours = role.booking_hours.sample(&mut self.rng.booking);
        let mut work = NewTask {
            kind: s.kind_booking(),
            role: meeting_role,
            activity: Activity::Admin,
            work: WorkRef::Booking { lead: id },
            hours,
            office: lead.office,
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
        // The wait a step's advance decays over: for a task, until its work starts (with
        // contact attempts, the attempt that reaches the customer); for a meeting, until
        // the meeting takes place (set when it ends), not until it is booked.
        let waits_until_now = match work {
            WorkRef::LeadStep { .. } => {
                self.s.funnel[step].attempts.is_none() || lead.attempt_reaches
            }
            _ => false,
        };
        if lead.step_first_wait.is_none() && waits_until_now {
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

    /// Makes `person` the lead's last person. Passing the lead to someone who has not
    /// worked on it before is a handoff: it applies the win loss and returns true (a
    /// lead back with a person who had it, as in seller-inside-seller, is not).
    pub(super) fn record_handoff(&mut self, lead_id: LeadId, person: PersonId) -> bool {
        let lead = &mut self.pipeline[lead_id];
        let new_person = !lead.worked_by.contains(&person);
        let changed = new_person && !lead.worked_by.is_empty();
        if new_person {
            lead.worked_by.push(person);
        }
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
        if !lead.worked_by.contains(&person) {
            lead.worked_by.push(person);
        }
        if let Some(attempts) = step.attempts
            && !lead.attempt_reaches
        {
            self.attempt_unanswered(id, person, attempts);
            return;
        }
        let lead_time = done_at - lead.step_requested_at;
        let segment = lead.segment;
        self.ledger.step_done(done_at, step_index, lead_time);
        if step.quote {
            let office = self.lead_office(id);
            self.ledger.office_quote_done(done_at, office, lead_time);
            if let Some(t) = self.ledger.segment(done_at, segment) {
                t.quote_lead_time.push(lead_time);
            }
        }
        self.remember_step_person(id, step_index, person);
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
        let mut p = step.advance * s.segments.advance_scale(lead.segment, step_index);
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

    /// The lead no longer counts against its puller's queue target.
    pub(super) fn release_hold(&mut self, id: LeadId) {
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
            let segment = self.pipeline[id].segment;
            let deal_value = segment
                .and_then(|i| s.segments.list.get(i))
                .and_then(|seg| seg.deal_value.as_ref())
                .unwrap_or(&s.deal_value);
            value = match self.pipeline[id].amount {
                Some(amount) => amount,
                None => deal_value.sample(&mut self.rng.deals),
            };
        }
        self.ledger.lead_ended(self.now, ending, created, value);
        if ending == Ending::Won {
            let margin = match self.pipeline[id].segment {
                Some(i) => s.segments.margin_of(i),
                None => s.segments.gross_margin,
            };
            self.ledger
                .weekly_deal(self.now, value, margin.unwrap_or(0.0));
        }
        let office = self.lead_office(id);
        self.ledger
            .office_lead_ended(self.now, office, ending, created, value);
        self.tally_ending(id, ending, value);
        if ending == Ending::Won && s.admin.per_win_hours > 0.0 {
            self.admin_work(s.admin.per_win_hours, person, office);
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

    /// Per-event admin for a lead of `office`: to the admin role's pool (the office's,
    /// for a role with people per office), or to the person whose work caused it.
    pub(super) fn admin_work(
        &mut self,
        hours: f64,
        person: Option<PersonId>,
        office: Option<crate::scenario::OfficeId>,
    ) {
        let s = self.s;
        match (s.admin.role, person) {
            (Some(role), _) => {
                let task = NewTask::admin(s, role, hours).in_office(office);
                self.submit(task, Routing::Pool, None);
            }
            (None, Some(p)) => {
                let role = self.staff.role_of(p);
                self.submit(NewTask::admin(s, role, hours), Routing::Owner, Some(p));
            }
            (None, None) => {}
        }
    }
}
