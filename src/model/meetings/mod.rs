//! Meetings calendars: each person's appointments by day, booking into the earliest
//! free slot after the customer's notice, travel before and after, chaining of
//! coordinated days, and the day's schedule after reschedules. The event handling
//! that uses them is in `sim::meetings`.
//!
//! Invariants: each person's list for a day is sorted by start and holds no
//! cancelled appointment (those only happen on the day itself); an appointment's slot
//! is reused only after it ended or was rescheduled.

mod days;
mod pooled;

use days::{DayLists, NO_DAYS};

use super::staff::PersonId;
use super::work::LeadId;
use crate::engine::WorkCalendar;
use crate::scenario::Activity;

pub type AppointmentId = u32;

/// How far ahead booking looks for a free day before the lead is given up.
pub(super) const MAX_BOOKING_DAYS_AHEAD: u64 = 5 * 260;

#[derive(Debug, Clone)]
pub struct Appointment {
    pub person: PersonId,
    pub lead: LeadId,
    pub day: u64,
    /// Travel starts.
    pub start: f64,
    pub meeting_start: f64,
    pub meeting_end: f64,
    /// Back from travel.
    pub end: f64,
    /// The legs as drawn: out from the office, and back (the return is dropped while
    /// another meeting is chained after this one).
    pub out_leg: f64,
    pub return_leg: f64,
    /// Travel before the meeting as booked: the leg from the previous meeting when
    /// chained, else `out_leg`.
    pub lead_in: f64,
    /// Booked straight after the person's previous meeting of the day.
    pub chained: bool,
    /// The lead's last person before this booking, and whether the booking was a
    /// handoff: both are undone if the meeting is rescheduled before it happens.
    pub prior_person: Option<PersonId>,
    pub handed_off: bool,
    /// The booking made `person` one who has worked on the lead (undone with it).
    pub newcomer: bool,
    pub activity: Activity,
    pub cancelled: bool,
    /// A meeting of the same person that starts the moment this one ends.
    pub next: Option<AppointmentId>,
}

/// Everyone's appointments, in reusable slots, indexed by person and day and by day.
#[derive(Default)]
pub struct AppointmentStore {
    items: Vec<Appointment>,
    free: Vec<AppointmentId>,
    /// Per person: day -> appointments booked that day, sorted by start.
    books: Vec<DayLists>,
    /// Day -> appointments booked that day, for everyone, in booking order.
    by_day: DayLists,
    /// Per person: every day before this one is past or fully booked, so booking
    /// starts its search here.
    full_until: Vec<u64>,
    /// Lists lent out by `take_day` and `hold_day` and given back to `finish_day` (and
    /// used by `relink_day`), kept so the steady state does not allocate:
    /// the day's appointments, those not rescheduled, and those sorted by person.
    day_ids: Vec<AppointmentId>,
    live: Vec<AppointmentId>,
    by_person: Vec<AppointmentId>,
}

impl AppointmentStore {
    /// Books `a`, on a day after `today`.
    pub fn insert(&mut self, a: Appointment, today: u64) -> AppointmentId {
        let (person, day) = (a.person as usize, a.day);
        let id = match self.free.pop() {
            Some(id) => {
                self.items[id as usize] = a;
                id
            }
            None => {
                self.items.push(a);
                (self.items.len() - 1) as AppointmentId
            }
        };
        if self.books.len() <= person {
            self.books.resize_with(person + 1, DayLists::default);
        }
        // Each day's list stays sorted by start, so booking can scan it as it is.
        let start = self.items[id as usize].start;
        // Days up to today no longer take bookings: their emptied lists move to the
        // back of the window, so it stays short and the lists are re-used.
        let book = &mut self.books[person];
        book.drop_empty_before(today + 1);
        let list = book.list_mut(day);
        let at = list.partition_point(|&other| self.items[other as usize].start <= start);
        list.insert(at, id);
        self.by_day.drop_empty_before(today + 1);
        self.by_day.list_mut(day).push(id);
        id
    }

    /// Moves the person's first possibly free day past `today` and past full days.
    pub fn skip_full_days(&mut self, person: PersonId, today: u64, max_per_day: u32) {
        let p = person as usize;
        if self.full_until.len() <= p {
            self.full_until.resize(p + 1, 0);
        }
        let mut day = self.full_until[p].max(today + 1);
        while self.day_of_person(person, day).len() >= max_per_day as usize {
            day += 1;
        }
        self.full_until[p] = day;
    }

    fn first_possible_day(&self, person: PersonId) -> u64 {
        self.full_until.get(person as usize).copied().unwrap_or(0)
    }

    /// The person's appointments by day.
    fn book(&self, person: PersonId) -> &DayLists {
        self.books.get(person as usize).unwrap_or(&NO_DAYS)
    }

    fn day_of_person(&self, person: PersonId, day: u64) -> &[AppointmentId] {
        self.book(person).get(day)
    }

    /// The appointments booked for `day`, in order of start (ties by id), taken out of
    /// the day index; give them back to `finish_day`.
    pub fn take_day(&mut self, day: u64) -> Vec<AppointmentId> {
        let mut ids = std::mem::take(&mut self.day_ids);
        self.by_day.take(day, &mut ids);
        // Ids are distinct, so this order is total and an unstable sort is exact.
        ids.sort_unstable_by(|&a, &b| {
            let (x, y) = (&self[a], &self[b]);
            x.start.total_cmp(&y.start).then(a.cmp(&b))
        });
        ids
    }

    /// Of the day's `ids`, those not rescheduled, in order of start, with their travel
    /// redone around the gaps the reschedules left, and each linked to the meeting of
    /// the same person it runs straight into. Give the list back to `finish_day`.
    pub fn hold_day(&mut self, day_start: f64, ids: &[AppointmentId]) -> Vec<AppointmentId> {
        let mut live = std::mem::take(&mut self.live);
        live.extend(ids.iter().copied().filter(|&id| !self[id].cancelled));
        if live.len() < ids.len() {
            self.relink_day(day_start, &live);
            live.sort_unstable_by(|&a, &b| {
                let (x, y) = (&self[a], &self[b]);
                x.start.total_cmp(&y.start).then(a.cmp(&b))
            });
        }
        for (i, &id) in live.iter().enumerate() {
            let a = &self[id];
            let next = live[i + 1..]
                .iter()
                .copied()
                .find(|&n| self[n].person == a.person)
                .filter(|&n| self[n].start <= a.end + 1e-9);
            self[id].next = next;
        }
        live
    }

    /// The day has been scheduled: its books are emptied, the rescheduled
    /// appointments freed, and the lists kept for the next day.
    pub fn finish_day(
        &mut self,
        day: u64,
        mut ids: Vec<AppointmentId>,
        mut live: Vec<AppointmentId>,
    ) {
        for &id in &ids {
            let person = self.items[id as usize].person as usize;
            if let Some(list) = self.books.get_mut(person).and_then(|b| b.get_mut(day)) {
                list.clear();
            }
        }
        for &id in &ids {
            if self.items[id as usize].cancelled {
                self.free.push(id);
            }
        }
        ids.clear();
        live.clear();
        self.day_ids = ids;
        self.live = live;
    }

    /// The appointment is over: its slot may be reused.
    pub fn release(&mut self, id: AppointmentId) {
        self.free.push(id);
    }

    /// The earliest slot of `person` for the request, with at most `max_per_day`
    /// meetings on its day. The search stops at the first day starting at or after
    /// `cutoff` (a slot there would meet no earlier than the day's start), so with the
    /// best start found among other people as `cutoff` a busy person's calendar is
    /// not searched to its end; `f64::INFINITY` searches every day.
    pub fn find_slot(
        &self,
        calendar: &WorkCalendar,
        person: PersonId,
        r: &Request,
        cutoff: f64,
    ) -> Option<Slot> {
        let first_day = r.first_day.max(self.first_possible_day(person));
        let block = r.out_leg + r.meeting + r.return_leg;
        let book = self.book(person);
        for day in first_day..first_day.saturating_add(MAX_BOOKING_DAYS_AHEAD) {
            let day_start = calendar.start_of_day(day);
            if day_start >= cutoff {
                return None;
            }
            let day_end = day_start + calendar.hours_per_day;
            // Sorted by start; no cancelled entries (those only happen on the day).
            let booked = book.get(day);
            if booked.len() >= r.max_per_day as usize {
                continue;
            }
            if r.chaining
                && let Some(&last_id) = booked.last()
            {
                let last = &self[last_id];
                let between = (1.0 - r.clustering) * (last.return_leg + r.out_leg);
                let chained_start = last.meeting_end + between;
                // Chain only if the customer can be seen then; a later customer is a
                // separate trip, found among the gaps below.
                if r.earliest <= chained_start {
                    if chained_start + r.meeting + r.return_leg <= day_end {
                        return Some(Slot {
                            day,
                            start: last.meeting_end,
                            meeting_start: chained_start,
                            after: Some(last_id),
                            lead_in: between,
                        });
                    }
                    continue;
                }
            }
            // The earliest gap that holds travel, meeting and travel back, after
            // anything of the day before that ran late.
            let fits = |gap_start: f64, gap_end: f64| {
                let start = gap_start.max(r.earliest - r.out_leg);
                let overlong =
                    booked.is_empty() && block > calendar.hours_per_day && start <= gap_start;
                (start + block <= gap_end || overlong).then_some(Slot {
                    day,
                    start,
                    meeting_start: start + r.out_leg,
                    after: None,
                    lead_in: r.out_leg,
                })
            };
            let mut cursor = day_start.max(self.latest_end(book.get(day.saturating_sub(1))));
            for &id in booked {
                let a = &self[id];
                if let Some(slot) = fits(cursor, a.start) {
                    return Some(slot);
                }
                cursor = cursor.max(a.end);
            }
            if let Some(slot) = fits(cursor, day_end) {
                return Some(slot);
            }
        }
        None
    }

    /// When the last of the appointments ends (0 if none).
    fn latest_end(&self, appointments: &[AppointmentId]) -> f64 {
        appointments
            .iter()
            .map(|&id| &self[id])
            .filter(|a| !a.cancelled)
            .map(|a| a.end)
            .fold(0.0, f64::max)
    }

    /// After reschedules, gives each person's remaining meetings of the day their
    /// travel again: a meeting whose chained predecessor is gone travels out from the
    /// office, and a meeting with nothing chained after it travels back.
    fn relink_day(&mut self, day_start: f64, live: &[AppointmentId]) {
        // Each person's meetings in order of meeting start; the stable sort keeps the
        // day's order among equal starts.
        let mut order = std::mem::take(&mut self.by_person);
        order.extend_from_slice(live);
        order.sort_by(|&a, &b| {
            let (x, y) = (&self[a], &self[b]);
            x.person
                .cmp(&y.person)
                .then(x.meeting_start.total_cmp(&y.meeting_start))
        });
        let mut rest = &order[..];
        while let Some(&first) = rest.first() {
            let person = self[first].person;
            let (list, tail) = rest.split_at(rest.partition_point(|&id| self[id].person == person));
            rest = tail;
            for i in 0..list.len() {
                let a = self[list[i]].clone();
                let start = if i > 0 && a.chained {
                    let prev = &mut self[list[i - 1]];
                    prev.end = prev.meeting_end;
                    prev.meeting_end.max(a.meeting_start - a.lead_in)
                } else if a.chained {
                    day_start.max(a.meeting_start - a.out_leg)
                } else {
                    a.start
                };
                let next_chained = list.get(i + 1).map(|&n| self[n].chained);
                let end = match next_chained {
                    Some(true) => a.meeting_end,
                    Some(false) => {
                        let next_start = self[list[i + 1]].start;
                        (a.meeting_end + a.return_leg)
                            .min(next_start)
                            .max(a.meeting_end)
                    }
                    None => a.meeting_end + a.return_leg,
                };
                let x = &mut self[list[i]];
                x.start = start;
                x.end = end;
            }
        }
        order.clear();
        self.by_person = order;
    }
}

impl std::ops::Index<AppointmentId> for AppointmentStore {
    type Output = Appointment;
    fn index(&self, id: AppointmentId) -> &Appointment {
        &self.items[id as usize]
    }
}

impl std::ops::IndexMut<AppointmentId> for AppointmentStore {
    fn index_mut(&mut self, id: AppointmentId) -> &mut Appointment {
        &mut self.items[id as usize]
    }
}

/// A slot found for a meeting.
pub struct Slot {
    pub day: u64,
    pub start: f64,
    pub meeting_start: f64,
    /// The meeting this one is chained after (its return leg is dropped).
    pub after: Option<AppointmentId>,
    /// Travel before the meeting.
    pub lead_in: f64,
}

/// What is being booked, the same for every candidate.
pub struct Request {
    /// The day the booking is made.
    pub today: u64,
    /// The first day the meeting may be on: after today and not before `earliest`.
    pub first_day: u64,
    /// The meeting may not start before this.
    pub earliest: f64,
    pub out_leg: f64,
    pub meeting: f64,
    pub return_leg: f64,
    /// The meeting may be chained straight after the day's last one.
    pub chaining: bool,
    pub clustering: f64,
    pub max_per_day: u32,
}

#[cfg(test)]
mod bound_tests;
