//! Meetings as events: booking a lead's meeting once its booking work is done, each
//! morning's reschedules and travel, and pre-emption when travel must start. The
//! calendars themselves are `model::meetings`.

use rand::RngExt;

use super::dispatch::NewTask;
use super::{Event, Sim};
use crate::model::leads::Ending;
use crate::model::meetings::{Appointment, AppointmentId, Request, Slot};
use crate::model::staff::PersonId;
use crate::model::work::LeadId;
use crate::scenario::{Booking, Routing};

impl Sim<'_> {
    /// The booking for the lead's current meeting is done: book the meeting with the
    /// eligible person who can meet the customer first.
    pub(super) fn on_booking_done(&mut self, lead: LeadId, booker: PersonId) {
        let s = self.s;
        let (step_index, variant) = (self.pipeline[lead].step, self.pipeline[lead].variant);
        let step = &s.funnel[step_index];
        let v = &step.variants[variant];
        let meeting_role = self.role_for(lead, step_index, v.role);
        let role = &s.roles[meeting_role];
        let office = self.lead_office(lead);
        let same_person = self.continuity_person(lead, step_index, meeting_role);
        let owner = self.pipeline[lead].owner(meeting_role);
        let pinned = match (same_person, owner, v.routing, role.booking) {
            (Some(p), _, _, _) => Some(p),
            (None, Some(owner), Routing::Owner, _) => Some(owner),
            (None, _, _, Booking::SelfBooked) => Some(booker),
            _ => None,
        };
        // One who is leaving or off the books is booked for nothing: anyone serving
        // the office is then.
        let candidates = match pinned.filter(|&p| self.staff.is_available(p)) {
            Some(p) => p..p + 1,
            None => self.staff.members_in(meeting_role, office),
        };
        let notice = step.customer_notice_hours.sample(&mut self.rng.meetings);
        let earliest = self.now + notice;
        let meeting_hours = v.duration.sample(&mut self.rng.step_durations[step_index])
            * self.duration_scale(lead, step_index);
        let legs = self.travel_legs(lead, meeting_role);
        let out_leg = legs.sample(&mut self.rng.travel);
        let return_leg = legs.sample(&mut self.rng.travel);
        let today = s.calendar.day_of(self.now);
        let request = Request {
            today,
            first_day: s.calendar.day_of(earliest).max(today + 1),
            earliest,
            out_leg,
            meeting: meeting_hours,
            return_leg,
            chaining: role.booking == Booking::Coordinator,
            clustering: role.clustering,
            max_per_day: role.max_meetings_per_day,
        };
        // The earliest meeting start, ties to the lowest id (the booking index visits
        // only the candidates who can still be first).
        let best = self
            .appointments
            .best_slot(&s.calendar, candidates, &request, |p| {
                self.staff.is_available(p)
            });
        let Some((person, slot)) = best else {
            // No free day within years: the customer is not waiting that long.
            self.end_lead(lead, Ending::Lost, Some(booker));
            return;
        };
        self.book_meeting(lead, person, &slot, &request);
    }

    /// Books the lead's meeting with `person` in `slot`, as `request` asked.
    fn book_meeting(&mut self, lead: LeadId, person: PersonId, slot: &Slot, request: &Request) {
        let s = self.s;
        let step = &s.funnel[self.pipeline[lead].step];
        let today = request.today;
        // Preparing for a lead that changed hands is desk work before the meeting.
        let prior_person = self.pipeline[lead].last_person;
        let newcomer = !self.pipeline[lead].worked_by.contains(&person);
        let handed_off = self.record_handoff(lead, person);
        // Assigned to the pool on arrival: the seller it is booked with owns it.
        let role = self.staff.role_of(person);
        let l = &mut self.pipeline[lead];
        if l.pool_role == Some(role) && l.owner(role).is_none() {
            l.set_owner(role, person);
        }
        let extra = if handed_off {
            s.handoff.time_hours
        } else {
            0.0
        };
        if extra > 0.0 {
            let task = NewTask::admin(s, role, extra).in_office(self.lead_office(lead));
            self.submit(task, Routing::Owner, Some(person));
        }
        let meeting_end = slot.meeting_start + request.meeting;
        if let Some(prev) = slot.after {
            let p = &mut self.appointments[prev];
            p.end = p.meeting_end;
        }
        self.appointments.insert(
            Appointment {
                person,
                lead,
                day: slot.day,
                start: slot.start,
                meeting_start: slot.meeting_start,
                meeting_end,
                end: meeting_end + request.return_leg,
                out_leg: request.out_leg,
                return_leg: request.return_leg,
                lead_in: slot.lead_in,
                chained: slot.after.is_some(),
                prior_person,
                handed_off,
                newcomer,
                activity: step.activity,
                cancelled: false,
                next: None,
            },
            today,
        );
        self.appointments
            .skip_full_days(person, today, request.max_per_day);
        self.staff.person_mut(person).booked_ahead += 1;
        let role = self.staff.role_of(person);
        self.ledger
            .meeting_booked(self.now, role, slot.meeting_start);
        self.pipeline[lead].pending_task = None;
        self.record(Some(person), Some(lead), &step.name, "meeting booked");
    }

    /// At the start of a day: draws reschedules, then schedules the day's travel.
    pub(super) fn start_meetings_of_day(&mut self, day: u64) {
        let ids = self.appointments.take_day(day);
        for &id in &ids {
            self.maybe_reschedule(id);
        }
        let day_start = self.s.calendar.start_of_day(day);
        let live = self.appointments.hold_day(day_start, &ids);
        // A meeting the person runs straight into from the previous one (its `next`)
        // starts no earlier than that one ends, so the previous end, scheduled first,
        // has already made the person away for it: its start event would do nothing
        // and is not scheduled. Skipping a schedule leaves the order of all the other
        // events as it was (sequence numbers only grow). One that starts a hair before
        // the previous end (within `hold_day`'s tolerance) keeps its start event.
        let mut chained = std::mem::take(&mut self.chained_starts);
        for &id in &live {
            let a = &self.appointments[id];
            let (start, end) = (a.start, a.end);
            if let Some(next) = a.next
                && self.appointments[next].start >= end
            {
                chained.push(next);
            }
            if !chained.contains(&id) {
                self.queue
                    .schedule(start, Event::AppointmentStart { appointment: id });
            }
            self.queue
                .schedule(end, Event::AppointmentEnd { appointment: id });
        }
        chained.clear();
        self.chained_starts = chained;
        self.appointments.finish_day(day, ids, live);
    }

    /// Draws whether the customer reschedules the appointment; if so it is cancelled
    /// and the lead asks for a new booking.
    fn maybe_reschedule(&mut self, id: AppointmentId) {
        let lead = self.appointments[id].lead;
        let step = &self.s.funnel[self.pipeline[lead].step];
        let p = step.reschedule_probability;
        if !(p > 0.0 && self.rng.meetings.random_bool(p)) {
            return;
        }
        self.appointments[id].cancelled = true;
        let person = self.appointments[id].person;
        let p = self.staff.person_mut(person);
        p.booked_ahead = p.booked_ahead.saturating_sub(1);
        // The customer never met this seller: the booking's handoff is undone.
        let (prior, handed_off) = (
            self.appointments[id].prior_person,
            self.appointments[id].handed_off,
        );
        let newcomer = self.appointments[id].newcomer;
        let l = &mut self.pipeline[lead];
        l.last_person = prior;
        if newcomer {
            l.worked_by.retain(|&p| p != person);
        }
        if handed_off && self.s.handoff.win_loss < 1.0 {
            l.win_multiplier /= 1.0 - self.s.handoff.win_loss;
        }
        self.record(Some(person), Some(lead), &step.name, "meeting rescheduled");
        let routing = step.variants[self.pipeline[lead].variant].routing;
        let task = self.submit_booking(lead, routing, Some(person));
        self.pipeline[lead].pending_task = (!self.tasks[task].started).then_some(task);
        self.maybe_leave(person);
    }

    pub(super) fn on_appointment_start(&mut self, id: AppointmentId) {
        let person = self.appointments[id].person;
        if self.staff.person(person).away == Some(id) {
            // Already away for it, run straight into from the previous meeting: such a
            // start is not scheduled (see `start_meetings_of_day`); kept as a guard.
            return;
        }
        self.preempt(person);
        self.staff.person_mut(person).away = Some(id);
        let lead = self.appointments[id].lead;
        self.record(Some(person), Some(lead), "", "travel started");
    }

    pub(super) fn on_appointment_end(&mut self, id: AppointmentId) {
        let a = self.appointments[id].clone();
        let person = a.person;
        self.account_appointment(&a, a.end);
        // Straight into a chained meeting, or back to the desk; decided before the
        // meeting's consequences (admin, next step) hand the person more work.
        let p = self.staff.person_mut(person);
        p.away = a.next;
        p.booked_ahead = p.booked_ahead.saturating_sub(1);
        self.ledger.meeting_held(person, a.meeting_end);
        let office = self.lead_office(a.lead);
        self.ledger.office_meeting_held(a.meeting_end, office);
        let l = &mut self.pipeline[a.lead];
        // The advance of a meeting step decays over the whole wait for it: from the
        // request (before booking) until the meeting takes place.
        if l.step_first_wait.is_none() {
            l.step_first_wait = Some(a.meeting_start - l.step_requested_at);
        }
        let segment = l.segment;
        if let Some(t) = self.ledger.segment(a.meeting_end, segment) {
            t.meetings += 1;
        }
        self.appointments.release(id);
        if self.s.admin.per_meeting_hours > 0.0 {
            self.admin_work(self.s.admin.per_meeting_hours, Some(person), office);
        }
        self.on_step_done(a.lead, person, a.meeting_end);
        if self.maybe_leave(person) {
            return;
        }
        self.try_start(person);
    }
}
