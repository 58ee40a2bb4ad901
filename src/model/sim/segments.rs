//! Customer segments and contact attempts as the trial runs them: drawing a new lead's
//! segment, the role and durations a segment changes, its tallies, and the attempts
//! to reach a customer (each one desk work, spaced, the lead lost after the last).

use rand::RngExt;

use super::dispatch::NewTask;
use super::{Event, Sim};
use crate::model::leads::{Ending, LeadRef};
use crate::model::staff::PersonId;
use crate::model::work::{LeadId, TaskId, WorkRef};
use crate::scenario::{Attempts, RoleId, Routing};

impl Sim<'_> {
    /// Draws a new lead's segment (from its own stream, so scenarios without segments
    /// draw nothing) and counts it.
    /// Draws the segment of a lead that is not created here (another part of a
    /// transition takes it), so the stream stays in step with the other parts.
    pub(super) fn skip_segment_draw(&mut self) {
        if !self.s.segments.is_empty() {
            let _ = self.rng.segments.random::<f64>();
        }
    }

    pub(super) fn enter_segment(&mut self, id: LeadId) {
        let segments = &self.s.segments;
        if segments.is_empty() {
            return;
        }
        let segment = segments.pick(self.rng.segments.random::<f64>());
        self.pipeline[id].segment = Some(segment);
        if let Some(t) = self.ledger.segment(self.now, Some(segment)) {
            t.leads_created += 1;
        }
    }

    /// The role that does `step` for lead `id`: its segment's, or the variant's own.
    #[inline]
    pub(super) fn role_for(&self, id: LeadId, step: usize, variant_role: RoleId) -> RoleId {
        let segment = self.pipeline[id].segment;
        self.s
            .segments
            .role_for(segment, step)
            .unwrap_or(variant_role)
    }

    /// The multiplier of `step`'s durations for lead `id`'s segment.
    #[inline]
    pub(super) fn duration_scale(&self, id: LeadId, step: usize) -> f64 {
        self.s
            .segments
            .duration_scale(self.pipeline[id].segment, step)
    }

    /// Counts the end of lead `id` in its segment.
    pub(super) fn tally_ending(&mut self, id: LeadId, ending: Ending, value: f64) {
        let (segment, created) = (self.pipeline[id].segment, self.pipeline[id].created);
        let now = self.now;
        let Some(t) = self.ledger.segment(now, segment) else {
            return;
        };
        match ending {
            Ending::Won => {
                t.won += 1;
                t.revenue += value;
                t.sales_cycle.push(now - created);
            }
            Ending::Lost => t.lost += 1,
            Ending::Cold => t.cold += 1,
        }
    }

    /// Submits the next contact attempt at lead `id`'s current step: `a.hours` of the
    /// role's time, plus the step's own work when this attempt reaches the customer
    /// (drawn now, from the step's attempts stream).
    pub(super) fn submit_attempt(&mut self, id: LeadId, a: Attempts) -> TaskId {
        let s = self.s;
        let step_index = self.pipeline[id].step;
        let step = &s.funnel[step_index];
        let v = &step.variants[self.pipeline[id].variant];
        let role = self.role_for(id, step_index, v.role);
        let owner = self.step_owner(id, role, v.routing);
        let routing = if self.pipeline[id].held_by.is_some() {
            Routing::Owner
        } else {
            v.routing
        };
        let reaches = self.rng.attempts[step_index].random::<f64>() < a.reach_probability;
        let mut hours = a.hours;
        if reaches {
            let work = v.duration.sample(&mut self.rng.step_durations[step_index]);
            hours += work * self.duration_scale(id, step_index);
        }
        self.pipeline[id].attempt_reaches = reaches;
        let work = NewTask {
            kind: step_index,
            role,
            activity: step.activity,
            work: WorkRef::LeadStep { lead: id },
            hours,
            office: self.lead_office(id),
        };
        self.submit(work, routing, owner)
    }

    /// An attempt at lead `id` did not reach the customer: the next one is due after
    /// the spacing, or after the last the lead is lost as never reached.
    pub(super) fn attempt_unanswered(&mut self, id: LeadId, person: PersonId, a: Attempts) {
        let lead = &mut self.pipeline[id];
        lead.attempts_made += 1;
        let name = &self.s.funnel[lead.step].name;
        if lead.attempts_made >= a.max {
            self.record(Some(person), Some(id), name, "never reached");
            self.ledger.lead_unreached(self.now);
            self.end_lead(id, Ending::Lost, Some(person));
            return;
        }
        let r = LeadRef {
            id,
            generation: lead.generation,
        };
        self.record(Some(person), Some(id), name, "attempt unanswered");
        self.queue
            .schedule(self.now + a.spacing_hours, Event::AttemptDue { lead: r });
    }

    /// The next attempt at a lead is due (unless the lead ended meanwhile).
    pub(super) fn on_attempt_due(&mut self, r: LeadRef) {
        if self.pipeline.get(r).is_none() {
            return;
        }
        let Some(a) = self.s.funnel[self.pipeline[r.id].step].attempts else {
            return;
        };
        let task = self.submit_attempt(r.id, a);
        self.pipeline[r.id].pending_task = (!self.tasks[task].started).then_some(task);
    }
}
