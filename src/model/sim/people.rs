//! People joining and leaving the books during a trial: a seat taken at a given time
//! (with the role's ramp), a person leaving once his task in hand and his booked
//! meetings are done (his queued work goes back to his pool), and the staffing cost
//! rate that follows the people on the books.

use super::{Event, Sim};
use crate::model::costs::{office_cost_of, staffing_cost_of};
use crate::model::ledger_people::CostRate;
use crate::model::staff::{PersonId, Ramp};

// `join` and `leave_when_done` are the calls of the transition command (and of people
// over time); until they are wired in, parts of this are unused.
#[allow(dead_code)]
impl Sim<'_> {
    /// Schedules `person` (an empty seat, see `Staff::with_seats`) onto the books at
    /// `at`, ramping up from then as his role's ramp says.
    pub fn join(&mut self, person: PersonId, at: f64) {
        self.become_dynamic();
        self.queue
            .schedule(at.max(self.now), Event::Join { person });
    }

    /// `person` leaves the books once the task in hand and the meetings booked for him
    /// are done; he takes no new work meanwhile and his queued work goes back to the
    /// pool of his role (and office).
    pub fn leave_when_done(&mut self, person: PersonId) {
        self.become_dynamic();
        let now = self.now;
        let p = self.staff.person(person);
        if p.leaving || !p.on_books(now) {
            return;
        }
        self.staff.person_mut(person).leaving = true;
        self.stop_prospecting(person);
        self.hand_back_queue(person);
        self.maybe_leave(person);
    }

    /// Whether a seat is on the books now.
    pub fn on_books(&self, person: PersonId) -> bool {
        self.staff.person(person).on_books(self.now)
    }

    /// Staff changes from now on: the fast paths that assume everyone stays are off,
    /// and the staffing cost is reported from the time on the books.
    fn become_dynamic(&mut self) {
        self.staff.everyone_on_books = false;
        self.ledger.staffing_is_dynamic();
    }

    pub(super) fn on_join(&mut self, person: PersonId) {
        let now = self.now;
        let role = self.staff.role_of(person);
        let ramp = self.ramp_of(role, now);
        let p = self.staff.person_mut(person);
        if p.on_books(now) && !p.leaving {
            return;
        }
        p.joined_at = now;
        p.left_at = None;
        p.leaving = false;
        p.ramp = ramp;
        self.staffing_changed();
        self.try_start(person);
    }

    /// The ramp of a new hire of `role` joining at `at` (none without one).
    fn ramp_of(&self, role: usize, at: f64) -> Option<Ramp> {
        let r = self.s.roles[role].people.as_ref()?.ramp?;
        Some(Ramp {
            from: at,
            hours: self.s.calendar.weeks_to_hours(r.weeks),
            start: r.start,
        })
    }

    /// A leaving person with nothing in hand, not away and no meeting booked ahead
    /// goes off the books now; returns whether he did.
    pub(super) fn maybe_leave(&mut self, person: PersonId) -> bool {
        let p = self.staff.person(person);
        if !p.leaving || p.running.is_some() || p.away.is_some() || p.booked_ahead > 0 {
            return false;
        }
        let p = self.staff.person_mut(person);
        p.leaving = false;
        p.left_at = Some(self.now);
        self.queue.clear_slot(self.person_slot(person));
        self.hand_back_queue(person);
        self.staffing_changed();
        self.on_left(person);
        true
    }

    /// A person went off the books (hook for the refills of people over time).
    fn on_left(&mut self, _person: PersonId) {}

    /// Gives the person's queued work to his pool and wakes whoever there is free.
    fn hand_back_queue(&mut self, person: PersonId) {
        self.staff.return_queue_to_pool(person);
        let role = self.staff.role_of(person);
        let office = self.staff.person(person).office;
        for q in self.staff.members_in(role, office) {
            if self.staff.is_free(q) {
                self.try_start(q);
            }
        }
    }

    /// The people on the books changed now: the staffing cost runs at the new rate.
    pub(super) fn staffing_changed(&mut self) {
        let rate = self.cost_rate();
        self.ledger.staffing_changed(self.now, rate);
    }

    /// The staffing cost rate of the people on the books now.
    pub(super) fn cost_rate(&self) -> CostRate {
        let s = self.s;
        let heads = self.staff.on_books_counts(s, self.now);
        let mut rate = CostRate {
            team: Some(staffing_cost_of(s, &heads)),
            offices: (0..s.offices.len())
                .map(|o| office_cost_of(s, &heads, o))
                .collect(),
        };
        // Hook of the transition: each side pays the offices' overhead only while it
        // holds them (see `handover::office_overhead`).
        self.office_overhead(&mut rate);
        rate
    }
}
