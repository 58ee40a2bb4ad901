//! Meetings: the appointment book of each person, booking into the earliest free slot
//! after the customer's notice, travel before and after, clustering of coordinated
//! days, reschedules, and pre-emption when travel must start.

use std::collections::{BTreeMap, VecDeque};

use rand::RngExt;

use super::sim::{Event, PersonId, Sim};
use super::work::LeadId;
use crate::scenario::{Activity, Booking, Routing};

pub type AppointmentId = u32;

/// How far ahead booking looks for a free day before the lead is given up.
const MAX_BOOKING_DAYS_AHEAD: u64 = 5 * 260;

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
    pub activity: Activity,
    pub cancelled: bool,
    /// A meeting of the same person that starts the moment this one ends.
    pub next: Option<AppointmentId>,
}

/// Appointment lists by day over a window of days that slides forward as days pass:
/// a day with an empty list, or with none, has no appointments. Looking a day up is an
/// index, and the emptied lists of past days are re-used for later days, so the steady
/// state does not allocate. Days more than `MAX_WINDOW_DAYS` past the window's start (a
/// customer who asks for a meeting in ten years) wait in a map until the window reaches
/// them, so memory follows the appointments, not the distance to them.
struct DayLists {
    /// The day of `lists[0]`.
    first: u64,
    lists: VecDeque<Vec<AppointmentId>>,
    /// Lists of days past the window, moved into it as it comes to cover them.
    far: BTreeMap<u64, Vec<AppointmentId>>,
    /// The most days the window spans (`MAX_WINDOW_DAYS`; smaller in tests).
    max_window: u64,
}

impl Default for DayLists {
    fn default() -> Self {
        DayLists {
            first: 0,
            lists: VecDeque::new(),
            far: BTreeMap::new(),
            max_window: MAX_WINDOW_DAYS,
        }
    }
}

/// The most days the window spans; bookings look at most `MAX_BOOKING_DAYS_AHEAD` days
/// past the customer's notice, so ordinary use never reaches the map.
const MAX_WINDOW_DAYS: u64 = 2 * MAX_BOOKING_DAYS_AHEAD;

impl DayLists {
    fn get(&self, day: u64) -> &[AppointmentId] {
        match self.index(day) {
            Some(i) => &self.lists[i],
            None => self.far.get(&day).map_or(&[], Vec::as_slice),
        }
    }

    /// The position of `day` in the window, if the window covers it.
    fn index(&self, day: u64) -> Option<usize> {
        let i = usize::try_from(day.checked_sub(self.first)?).ok()?;
        (i < self.lists.len()).then_some(i)
    }

    /// The list of `day`, growing the window to hold it when that keeps it within
    /// `max_window` days.
    fn list_mut(&mut self, day: u64) -> &mut Vec<AppointmentId> {
        // Not reached while bookings are for days after today (the window only moves
        // up to tomorrow), but keeps any day bookable; an empty list at the back is
        // re-used.
        while day < self.first {
            let list = match self.lists.back() {
                Some(last) if last.is_empty() => self.lists.pop_back().unwrap_or_default(),
                _ => Vec::new(),
            };
            self.lists.push_front(list);
            self.first -= 1;
        }
        let i = day - self.first;
        if i >= self.lists.len() as u64 && i >= self.max_window {
            return self.far.entry(day).or_default();
        }
        let i = i as usize;
        while self.lists.len() <= i {
            let next_day = self.first + self.lists.len() as u64;
            let list = self.far.remove(&next_day).unwrap_or_default();
            self.lists.push_back(list);
        }
        &mut self.lists[i]
    }

    /// Moves the window's start towards `day` past empty lists (days without
    /// appointments), which go to the back for later days.
    fn drop_empty_before(&mut self, day: u64) {
        let mut dropped = 0;
        while self.first < day && dropped < self.lists.len() && self.lists[0].is_empty() {
            self.lists.rotate_left(1);
            self.first += 1;
            dropped += 1;
            // The list now at the back stands for a day the window did not cover.
            let back_day = self.first + self.lists.len() as u64 - 1;
            if let Some(list) = self.far.remove(&back_day)
                && let Some(back) = self.lists.back_mut()
            {
                *back = list;
            }
        }
        if dropped == self.lists.len() && self.far.is_empty() {
            // Nothing booked at all: the window may start anywhere.
            self.first = self.first.max(day);
        }
    }

    fn get_mut(&mut self, day: u64) -> Option<&mut Vec<AppointmentId>> {
        match self.index(day) {
            Some(i) => Some(&mut self.lists[i]),
            None => self.far.get_mut(&day),
        }
    }

    /// Swaps the list of `day` with `into` (which should be empty), keeping both
    /// allocations.
    fn take(&mut self, day: u64, into: &mut Vec<AppointmentId>) {
        if let Some(list) = self.get_mut(day) {
            std::mem::swap(list, into);
        }
    }
}

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
    /// Lists for `start_meetings_of_day`, kept so the steady state does not allocate:
    /// the day's appointments, those not rescheduled, and those sorted by person.
    day_ids: Vec<AppointmentId>,
    live: Vec<AppointmentId>,
    by_person: Vec<AppointmentId>,
}

impl AppointmentStore {
    /// Books `a`, on a day after `today`.
    fn insert(&mut self, a: Appointment, today: u64) -> AppointmentId {
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
    fn skip_full_days(&mut self, person: PersonId, today: u64, max_per_day: u32) {
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
        static NONE: DayLists = DayLists {
            first: 0,
            lists: VecDeque::new(),
            far: BTreeMap::new(),
            max_window: MAX_WINDOW_DAYS,
        };
        self.books.get(person as usize).unwrap_or(&NONE)
    }

    fn day_of_person(&self, person: PersonId, day: u64) -> &[AppointmentId] {
        self.book(person).get(day)
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
struct Slot {
    day: u64,
    start: f64,
    meeting_start: f64,
    /// The meeting this one is chained after (its return leg is dropped).
    after: Option<AppointmentId>,
    /// Travel before the meeting.
    lead_in: f64,
}

/// What is being booked, the same for every candidate.
struct Request {
    /// The first day the meeting may be on: after today and not before `earliest`.
    first_day: u64,
    /// The meeting may not start before this.
    earliest: f64,
    out_leg: f64,
    meeting: f64,
    return_leg: f64,
    /// The meeting may be chained straight after the day's last one.
    chaining: bool,
    clustering: f64,
    max_per_day: u32,
}

impl Sim<'_> {
    /// The booking for the lead's current meeting is done: book the meeting.
    pub fn on_booking_done(&mut self, lead: LeadId, booker: PersonId) {
        let s = self.s;
        let (step_index, variant) = (self.leads[lead].step, self.leads[lead].variant);
        let step = &s.funnel[step_index];
        let v = &step.variants[variant];
        let role = &s.roles[v.role];
        let candidates = match (self.leads[lead].owner(v.role), v.routing, role.booking) {
            (Some(owner), Routing::Owner, _) => owner..owner + 1,
            (_, _, Booking::SelfBooked) => booker..booker + 1,
            _ => self.role_people[v.role].clone(),
        };
        let notice = step.customer_notice_hours.sample(&mut self.rng.meetings);
        let earliest = self.now + notice;
        let meeting_hours = v.duration.sample(&mut self.rng.step_durations[step_index]);
        let out_leg = role.travel_hours.sample(&mut self.rng.travel);
        let return_leg = role.travel_hours.sample(&mut self.rng.travel);
        let today = s.calendar.day_of(self.now);
        let request = Request {
            first_day: s.calendar.day_of(earliest).max(today + 1),
            earliest,
            out_leg,
            meeting: meeting_hours,
            return_leg,
            chaining: role.booking == Booking::Coordinator,
            clustering: role.clustering,
            max_per_day: role.max_meetings_per_day,
        };
        let best = candidates
            .filter_map(|p| self.find_slot(p, &request).map(|slot| (p, slot)))
            .min_by(|a, b| {
                a.1.meeting_start
                    .total_cmp(&b.1.meeting_start)
                    .then(a.0.cmp(&b.0))
            });
        let Some((person, slot)) = best else {
            // No free day within years: the customer is not waiting that long.
            self.end_lead(lead, super::leads::Ending::Lost, Some(booker));
            return;
        };
        // Preparing for a lead that changed hands is desk work before the meeting.
        let prior_person = self.leads[lead].last_person;
        let handed_off = self.record_handoff(lead, person);
        let extra = if handed_off {
            s.handoff.time_hours
        } else {
            0.0
        };
        if extra > 0.0 {
            let role = self.people[person as usize].role;
            let kind = s.kind_admin();
            self.submit(
                kind,
                role,
                Activity::Admin,
                super::work::WorkRef::Admin,
                extra,
                Routing::Owner,
                Some(person),
            );
        }
        let meeting_end = slot.meeting_start + meeting_hours;
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
                end: meeting_end + return_leg,
                out_leg,
                return_leg,
                lead_in: slot.lead_in,
                chained: slot.after.is_some(),
                prior_person,
                handed_off,
                activity: step.activity,
                cancelled: false,
                next: None,
            },
            today,
        );
        self.appointments
            .skip_full_days(person, today, role.max_meetings_per_day);
        self.leads[lead].pending_task = None;
        self.record(Some(person), Some(lead), &step.name, "meeting booked");
    }

    /// The earliest slot of `person` for the request, with at most `max_per_day`
    /// meetings on its day.
    fn find_slot(&self, person: PersonId, r: &Request) -> Option<Slot> {
        let calendar = self.s.calendar;
        let first_day = r
            .first_day
            .max(self.appointments.first_possible_day(person));
        let block = r.out_leg + r.meeting + r.return_leg;
        let book = self.appointments.book(person);
        for day in first_day..first_day.saturating_add(MAX_BOOKING_DAYS_AHEAD) {
            let day_start = calendar.start_of_day(day);
            let day_end = day_start + calendar.hours_per_day;
            // Sorted by start; no cancelled entries (those only happen on the day).
            let booked = book.get(day);
            if booked.len() >= r.max_per_day as usize {
                continue;
            }
            if r.chaining
                && let Some(&last_id) = booked.last()
            {
                let last = &self.appointments[last_id];
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
                let a = &self.appointments[id];
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
            .map(|&id| &self.appointments[id])
            .filter(|a| !a.cancelled)
            .map(|a| a.end)
            .fold(0.0, f64::max)
    }

    /// At the start of a day: draws reschedules, then schedules the day's travel.
    pub fn start_meetings_of_day(&mut self, day: u64) {
        let mut ids = std::mem::take(&mut self.appointments.day_ids);
        self.appointments.by_day.take(day, &mut ids);
        // Ids are distinct, so this order is total and an unstable sort is exact.
        ids.sort_unstable_by(|&a, &b| {
            let (x, y) = (&self.appointments[a], &self.appointments[b]);
            x.start.total_cmp(&y.start).then(a.cmp(&b))
        });
        for &id in &ids {
            let lead = self.appointments[id].lead;
            let step = &self.s.funnel[self.leads[lead].step];
            if step.reschedule_probability > 0.0
                && self.rng.meetings.random_bool(step.reschedule_probability)
            {
                self.appointments[id].cancelled = true;
                let person = self.appointments[id].person;
                // The customer never met this seller: the booking's handoff is undone.
                let (prior, handed_off) = (
                    self.appointments[id].prior_person,
                    self.appointments[id].handed_off,
                );
                let l = &mut self.leads[lead];
                l.last_person = prior;
                if handed_off && self.s.handoff.win_loss < 1.0 {
                    l.win_multiplier /= 1.0 - self.s.handoff.win_loss;
                }
                self.record(Some(person), Some(lead), &step.name, "meeting rescheduled");
                let routing = step.variants[self.leads[lead].variant].routing;
                let task = self.submit_booking(lead, routing, Some(person));
                self.leads[lead].pending_task = (!self.tasks[task].started).then_some(task);
            }
        }
        let mut live = std::mem::take(&mut self.appointments.live);
        live.extend(
            ids.iter()
                .copied()
                .filter(|&id| !self.appointments[id].cancelled),
        );
        if live.len() < ids.len() {
            self.relink_day(day, &live);
            live.sort_unstable_by(|&a, &b| {
                let (x, y) = (&self.appointments[a], &self.appointments[b]);
                x.start.total_cmp(&y.start).then(a.cmp(&b))
            });
        }
        for (i, &id) in live.iter().enumerate() {
            let a = &self.appointments[id];
            let next = live[i + 1..]
                .iter()
                .copied()
                .find(|&n| self.appointments[n].person == a.person)
                .filter(|&n| self.appointments[n].start <= a.end + 1e-9);
            let (start, end) = (a.start, a.end);
            self.appointments[id].next = next;
            self.queue
                .schedule(start, Event::AppointmentStart { appointment: id });
            self.queue
                .schedule(end, Event::AppointmentEnd { appointment: id });
        }
        let store = &mut self.appointments;
        for &id in &ids {
            let person = store.items[id as usize].person as usize;
            if let Some(list) = store.books.get_mut(person).and_then(|b| b.get_mut(day)) {
                list.clear();
            }
        }
        for &id in &ids {
            if store.items[id as usize].cancelled {
                store.free.push(id);
            }
        }
        ids.clear();
        live.clear();
        store.day_ids = ids;
        store.live = live;
    }

    /// After reschedules, gives each person's remaining meetings of the day their
    /// travel again: a meeting whose chained predecessor is gone travels out from the
    /// office, and a meeting with nothing chained after it travels back.
    fn relink_day(&mut self, day: u64, live: &[AppointmentId]) {
        let day_start = self.s.calendar.start_of_day(day);
        // Each person's meetings in order of meeting start; the stable sort keeps the
        // day's order among equal starts.
        let mut order = std::mem::take(&mut self.appointments.by_person);
        order.extend_from_slice(live);
        order.sort_by(|&a, &b| {
            let (x, y) = (&self.appointments[a], &self.appointments[b]);
            x.person
                .cmp(&y.person)
                .then(x.meeting_start.total_cmp(&y.meeting_start))
        });
        let mut rest = &order[..];
        while let Some(&first) = rest.first() {
            let person = self.appointments[first].person;
            let (list, tail) =
                rest.split_at(rest.partition_point(|&id| self.appointments[id].person == person));
            rest = tail;
            for i in 0..list.len() {
                let a = self.appointments[list[i]].clone();
                let start = if i > 0 && a.chained {
                    let prev = &mut self.appointments[list[i - 1]];
                    prev.end = prev.meeting_end;
                    prev.meeting_end.max(a.meeting_start - a.lead_in)
                } else if a.chained {
                    day_start.max(a.meeting_start - a.out_leg)
                } else {
                    a.start
                };
                let next_chained = list.get(i + 1).map(|&n| self.appointments[n].chained);
                let end = match next_chained {
                    Some(true) => a.meeting_end,
                    Some(false) => {
                        let next_start = self.appointments[list[i + 1]].start;
                        (a.meeting_end + a.return_leg)
                            .min(next_start)
                            .max(a.meeting_end)
                    }
                    None => a.meeting_end + a.return_leg,
                };
                let x = &mut self.appointments[list[i]];
                x.start = start;
                x.end = end;
            }
        }
        order.clear();
        self.appointments.by_person = order;
    }

    pub fn on_appointment_start(&mut self, id: AppointmentId) {
        let person = self.appointments[id].person;
        if self.people[person as usize].away == Some(id) {
            return; // chained straight from the previous meeting
        }
        self.preempt(person);
        self.people[person as usize].away = Some(id);
        let lead = self.appointments[id].lead;
        self.record(Some(person), Some(lead), "", "travel started");
    }

    pub fn on_appointment_end(&mut self, id: AppointmentId) {
        let a = self.appointments[id].clone();
        let person = a.person;
        self.account_appointment(&a, a.end);
        // Straight into a chained meeting, or back to the desk; decided before the
        // meeting's consequences (admin, next step) hand the person more work.
        self.people[person as usize].away = a.next;
        if a.meeting_end >= self.s.warmup_hours && a.meeting_end <= self.s.horizon_hours {
            self.stats.meetings += 1;
            self.stats.meetings_by_person[person as usize] += 1;
            let week = self.s.calendar.week_of(a.meeting_end) as usize;
            if let Some(slot) = self.stats.weekly_meetings.get_mut(week) {
                *slot += 1.0;
            }
        }
        self.appointments.free.push(id);
        if self.s.admin.per_meeting_hours > 0.0 {
            self.admin_work(self.s.admin.per_meeting_hours, Some(person));
        }
        self.on_step_done(a.lead, person, a.meeting_end);
        self.try_start(person);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// The sliding window holds what a map from day to list would, whichever order
    /// days are booked, emptied and moved past in, with days beyond the window's reach
    /// (`spread` past today against a window of `max_window` days) kept aside and moved in
    /// as the window comes to them.
    fn day_lists_match_a_map(max_window: u64, spread: u64) {
        let mut lists = DayLists {
            max_window,
            ..DayLists::default()
        };
        let mut map: BTreeMap<u64, Vec<AppointmentId>> = BTreeMap::new();
        let mut x: u64 = 12345;
        let mut next = |n: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % n
        };
        for id in 0..5000 {
            let today = id / 20;
            if id % 20 == 0 {
                // As at the start of each day.
                let mut taken = Vec::new();
                lists.take(today, &mut taken);
                assert_eq!(taken, map.remove(&today).unwrap_or_default());
            }
            let day = today + 1 + next(spread);
            match next(10) {
                0 => {
                    let mut taken = Vec::new();
                    lists.take(day, &mut taken);
                    assert_eq!(taken, map.remove(&day).unwrap_or_default());
                }
                1 => lists.drop_empty_before(day),
                // Possibly a day before the window's start (after case 1).
                2 => {
                    let day = day.saturating_sub(next(12)).max(today + 1);
                    lists.list_mut(day).push(id as AppointmentId);
                    map.entry(day).or_default().push(id as AppointmentId);
                }
                _ => {
                    lists.drop_empty_before(today + 1);
                    lists.list_mut(day).push(id as AppointmentId);
                    map.entry(day).or_default().push(id as AppointmentId);
                }
            }
            for d in today.saturating_sub(40)..today + spread + 40 {
                let expected = map.get(&d).map_or(&[][..], Vec::as_slice);
                assert_eq!(lists.get(d), expected, "day {d}");
            }
        }
        assert!(
            lists.lists.len() as u64 <= max_window.max(100),
            "the window stays short"
        );
    }

    #[test]
    fn day_lists_match_a_map_near() {
        day_lists_match_a_map(MAX_WINDOW_DAYS, 12);
    }

    #[test]
    fn day_lists_match_a_map_with_far_days() {
        day_lists_match_a_map(16, 60);
    }

    /// A customer who asks for a meeting a billion days ahead costs one map entry, not
    /// a billion empty lists.
    #[test]
    fn a_far_day_takes_no_room_for_the_days_between() {
        let mut lists = DayLists::default();
        lists.list_mut(3).push(1);
        lists.list_mut(1_000_000_000).push(2);
        assert_eq!(lists.get(1_000_000_000), &[2]);
        assert!(lists.lists.len() < 10);
    }
}
