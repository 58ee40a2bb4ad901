//! People joining and leaving the books during a trial: a seat taken at a given time
//! (with the role's ramp), a person leaving once his task in hand and his booked
//! meetings are done (his queued work goes back to his pool), and the staffing cost
//! rate that follows the people on the books.

use super::{Event, Sim};
use crate::model::costs::{office_cost_of, staffing_cost_of};
use crate::model::ledger_people::CostRate;
use crate::model::rng::exponential;
use crate::model::staff::{PersonId, Ramp};

impl Sim<'_> {
    /// At the start: a scenario with people over time has changing staff, and each
    /// person on the books in a role with attrition draws when he quits.
    pub(super) fn start_people(&mut self) {
        let s = self.s;
        if !s.roles.iter().any(|r| r.people.is_some()) && s.timeline.is_empty() {
            return;
        }
        self.become_dynamic();
        for p in self.staff.everyone() {
            if self.staff.person(p).on_books(0.0) {
                self.draw_quit(p);
            }
        }
    }

    /// Draws when `person`, on the books from now, quits: an exponential time at his
    /// role's attrition rate per working hour, from the role's own stream.
    fn draw_quit(&mut self, person: PersonId) {
        let role = self.staff.role_of(person);
        let Some(people) = self.s.roles[role].people else {
            return;
        };
        let rate = people.attrition_per_year / self.s.calendar.hours_per_year();
        let Some(rng) = self.rng.attrition[role].as_mut() else {
            return;
        };
        let at = self.now + exponential(rng, rate);
        self.staff.person_mut(person).quit_at = at;
        if at < self.s.horizon_hours {
            self.queue.schedule(at, Event::Quit { person });
        }
    }

    /// His quit time came: he leaves when done, and his seat is refilled after the
    /// role's hiring delay.
    pub(super) fn on_quit(&mut self, person: PersonId) {
        let p = self.staff.person(person);
        if p.quit_at != self.now || !p.on_books(self.now) || p.leaving {
            return;
        }
        self.staff.person_mut(person).refill = true;
        self.leave_when_done(person);
    }

    /// Schedules `person` (an empty seat, see `Staff::with_seats`) onto the books at
    /// `at`, ramping up from then as his role's ramp says.
    // The transition command's call (a design's people joining at its switch week).
    #[allow(dead_code)]
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
        self.give_back_pulled(person);
        self.hand_back_queue(person);
        self.maybe_leave(person);
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
        if p.on_books(now) {
            p.leaving = false;
            return;
        }
        p.joined_at = now;
        p.left_at = None;
        p.leaving = false;
        p.ramp = ramp;
        self.staffing_changed();
        self.draw_quit(person);
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
    ///
    /// Called after every task and meeting; inlined so that a scenario without
    /// attrition pays one flag test, not a call.
    #[inline]
    pub(super) fn maybe_leave(&mut self, person: PersonId) -> bool {
        let p = self.staff.person(person);
        if !p.leaving || p.running.is_some() || p.away.is_some() || p.booked_ahead > 0 {
            return false;
        }
        self.leave_now(person);
        true
    }

    /// The leaving person goes off the books now.
    #[cold]
    fn leave_now(&mut self, person: PersonId) {
        let p = self.staff.person_mut(person);
        p.leaving = false;
        p.left_at = Some(self.now);
        self.queue.clear_slot(self.person_slot(person));
        self.hand_back_queue(person);
        self.staffing_changed();
        self.on_left(person);
    }

    /// A person went off the books: a quitter's seat is refilled after the hiring
    /// delay, by a new hire who ramps up.
    fn on_left(&mut self, person: PersonId) {
        let p = self.staff.person_mut(person);
        p.quit_at = f64::INFINITY;
        if !std::mem::take(&mut p.refill) {
            return;
        }
        let role = self.staff.role_of(person);
        let delay = self.s.roles[role]
            .people
            .map_or(0.0, |p| p.hiring_delay_weeks);
        let at = self.now + self.s.calendar.weeks_to_hours(delay);
        if at < self.s.horizon_hours {
            self.queue.schedule(at, Event::Refill { person });
        }
    }

    /// A quitter's seat is taken by a new hire, unless a headcount cut since made his
    /// group's people enough.
    pub(super) fn on_refill(&mut self, person: PersonId) {
        let role = self.staff.role_of(person);
        let group = self.group_of(person);
        let target = super::super::staff::seats_of(self.s)[role][group];
        if self.staying(role, group).len() < target as usize {
            self.on_join(person);
        }
    }

    /// The index of the person's group in his role (see `Staff::groups`).
    fn group_of(&self, person: PersonId) -> usize {
        let role = self.staff.role_of(person);
        self.staff
            .groups(role)
            .iter()
            .position(|g| g.contains(&person))
            .unwrap_or(0)
    }

    /// The people of the group on the books and not leaving, in id order.
    fn staying(&self, role: usize, group: usize) -> Vec<PersonId> {
        let now = self.now;
        self.staff.groups(role)[group]
            .clone()
            .filter(|&p| {
                let person = self.staff.person(p);
                person.on_books(now) && !person.leaving
            })
            .collect()
    }

    /// At the start of `week`: a `[[changes]]` period starting then becomes the
    /// scenario, and each group's people follow its headcount (a cut makes the
    /// last-numbered leave when done; added people join now, with the ramp); then the
    /// arrivals and release policies follow it (`follow_period`).
    pub(super) fn switch_period(&mut self, week: u64) {
        let base = self.base;
        let Some(period) = base.timeline.iter().find(|p| p.at_week == week) else {
            return;
        };
        let old = self.s;
        self.s = &period.scenario;
        let targets = super::super::staff::seats_of(self.s);
        for (role, groups) in targets.iter().enumerate() {
            for (group, &target) in groups.iter().enumerate() {
                let staying = self.staying(role, group);
                let target = target as usize;
                if staying.len() > target {
                    for &p in staying[target..].iter().rev() {
                        self.staff.person_mut(p).refill = false;
                        self.leave_when_done(p);
                    }
                } else if staying.len() < target {
                    let now = self.now;
                    let empty: Vec<PersonId> = self.staff.groups(role)[group]
                        .clone()
                        .filter(|&p| !self.staff.person(p).on_books(now))
                        .take(target - staying.len())
                        .collect();
                    for p in empty {
                        self.on_join(p);
                    }
                }
            }
        }
        // With the new headcounts: arrivals at the new rates, pools released.
        self.follow_period(old);
        // Annual costs may have changed with the period.
        self.staffing_changed();
    }

    /// A leaver's pulled leads stop counting against his queue target. Those he has
    /// not started go back to the front of their pull pool (they are the oldest there),
    /// for the next morning's top-up of those who stay; his queued task for them is
    /// dropped. Those he has worked on route on as their steps say (his queued work goes
    /// to his pool). In an office that takes no new work (a transition's wind-down) no
    /// one pulls any more, so they stay on the second path.
    fn give_back_pulled(&mut self, person: PersonId) {
        if self.staff.person(person).open_leads == 0 {
            return;
        }
        let role = self.staff.role_of(person);
        for r in self.pipeline.held_by(person) {
            self.release_hold(r.id);
            let lead = &self.pipeline[r.id];
            let Some(task) = lead.pending_task else {
                continue;
            };
            if lead.first_contacted
                || self.tasks[task].started
                || !self.s.accepts_new_work(lead.office, self.now)
            {
                continue;
            }
            self.tasks[task].dead = true;
            let lead = &mut self.pipeline[r.id];
            lead.pending_task = None;
            lead.in_step = false;
            lead.owners.retain(|&(r, _)| r != role);
            self.pipeline.give_back_pulled(r);
        }
    }

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
