//! Meetings: the appointment book of each person, booking into the earliest free slot
//! after the customer's notice, travel before and after, clustering of coordinated
//! days, reschedules, and pre-emption when travel must start.

use std::collections::BTreeMap;

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

#[derive(Default)]
pub struct AppointmentStore {
    items: Vec<Appointment>,
    free: Vec<AppointmentId>,
    /// Per person: day -> appointments booked that day.
    books: Vec<BTreeMap<u64, Vec<AppointmentId>>>,
    /// Day -> appointments booked that day, for everyone.
    by_day: BTreeMap<u64, Vec<AppointmentId>>,
    /// Per person: every day before this one is past or fully booked, so booking
    /// starts its search here.
    full_until: Vec<u64>,
}

impl AppointmentStore {
    fn insert(&mut self, a: Appointment) -> AppointmentId {
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
            self.books.resize_with(person + 1, BTreeMap::new);
        }
        // Each day's list stays sorted by start, so booking can scan it as it is.
        let start = self.items[id as usize].start;
        let list = self.books[person].entry(day).or_default();
        let at = list.partition_point(|&other| self.items[other as usize].start <= start);
        list.insert(at, id);
        self.by_day.entry(day).or_default().push(id);
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

    fn day_of_person(&self, person: PersonId, day: u64) -> &[AppointmentId] {
        self.books
            .get(person as usize)
            .and_then(|b| b.get(&day))
            .map_or(&[], Vec::as_slice)
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

impl Sim<'_> {
    /// The booking for the lead's current meeting is done: book the meeting.
    pub fn on_booking_done(&mut self, lead: LeadId, booker: PersonId) {
        let s = self.s;
        let (step_index, variant) = (self.leads[lead].step, self.leads[lead].variant);
        let step = &s.funnel[step_index];
        let v = &step.variants[variant];
        let role = &s.roles[v.role];
        let candidates: Vec<PersonId> =
            match (self.leads[lead].owner(v.role), v.routing, role.booking) {
                (Some(owner), Routing::Owner, _) => vec![owner],
                (_, _, Booking::SelfBooked) => vec![booker],
                _ => self.role_people[v.role].clone().collect(),
            };
        let notice = step.customer_notice_hours.sample(&mut self.rng.meetings);
        let earliest = self.now + notice;
        let meeting_hours = v.duration.sample(&mut self.rng.step_durations[step_index]);
        let out_leg = role.travel_hours.sample(&mut self.rng.travel);
        let return_leg = role.travel_hours.sample(&mut self.rng.travel);
        let chaining = role.booking == Booking::Coordinator;
        let best = candidates
            .iter()
            .filter_map(|&p| {
                self.find_slot(
                    p,
                    earliest,
                    out_leg,
                    meeting_hours,
                    return_leg,
                    chaining,
                    role.clustering,
                    role.max_meetings_per_day,
                )
                .map(|slot| (p, slot))
            })
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
        let id = self.appointments.insert(Appointment {
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
        });
        let today = s.calendar.day_of(self.now);
        self.appointments
            .skip_full_days(person, today, role.max_meetings_per_day);
        self.leads[lead].pending_task = None;
        let _ = id;
        self.record(Some(person), Some(lead), &step.name, "meeting booked");
    }

    /// The earliest slot of `person` for a meeting whose start is not before `earliest`,
    /// on a day after today, with at most `max_per_day` meetings on that day.
    #[allow(clippy::too_many_arguments)]
    fn find_slot(
        &self,
        person: PersonId,
        earliest: f64,
        out_leg: f64,
        meeting: f64,
        return_leg: f64,
        chaining: bool,
        clustering: f64,
        max_per_day: u32,
    ) -> Option<Slot> {
        let calendar = self.s.calendar;
        let today = calendar.day_of(self.now);
        let first_day = calendar
            .day_of(earliest)
            .max(today + 1)
            .max(self.appointments.first_possible_day(person));
        let block = out_leg + meeting + return_leg;
        for day in first_day..first_day.saturating_add(MAX_BOOKING_DAYS_AHEAD) {
            let day_start = calendar.start_of_day(day);
            let day_end = day_start + calendar.hours_per_day;
            // Sorted by start; no cancelled entries (those only happen on the day).
            let booked = self.appointments.day_of_person(person, day);
            if booked.len() >= max_per_day as usize {
                continue;
            }
            if chaining && let Some(&last_id) = booked.last() {
                let last = &self.appointments[last_id];
                let between = (1.0 - clustering) * (last.return_leg + out_leg);
                let chained_start = last.meeting_end + between;
                // Chain only if the customer can be seen then; a later customer is a
                // separate trip, found among the gaps below.
                if earliest <= chained_start {
                    if chained_start + meeting + return_leg <= day_end {
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
                let start = gap_start.max(earliest - out_leg);
                let overlong =
                    booked.is_empty() && block > calendar.hours_per_day && start <= gap_start;
                (start + block <= gap_end || overlong).then_some(Slot {
                    day,
                    start,
                    meeting_start: start + out_leg,
                    after: None,
                    lead_in: out_leg,
                })
            };
            let mut cursor = day_start.max(self.latest_end(person, day.saturating_sub(1)));
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

    /// When the person's last appointment of `day` ends (0 if none).
    fn latest_end(&self, person: PersonId, day: u64) -> f64 {
        self.appointments
            .day_of_person(person, day)
            .iter()
            .map(|&id| &self.appointments[id])
            .filter(|a| !a.cancelled)
            .map(|a| a.end)
            .fold(0.0, f64::max)
    }

    /// At the start of a day: draws reschedules, then schedules the day's travel.
    pub fn start_meetings_of_day(&mut self, day: u64) {
        let Some(mut ids) = self.appointments.by_day.remove(&day) else {
            return;
        };
        ids.sort_by(|&a, &b| {
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
        let mut live: Vec<AppointmentId> = ids
            .iter()
            .copied()
            .filter(|&id| !self.appointments[id].cancelled)
            .collect();
        if live.len() < ids.len() {
            self.relink_day(day, &live);
            live.sort_by(|&a, &b| {
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
        for &id in &ids {
            let person = self.appointments[id].person as usize;
            if let Some(book) = self.appointments.books.get_mut(person) {
                book.remove(&day);
            }
        }
        for &id in &ids {
            if self.appointments[id].cancelled {
                self.appointments.free.push(id);
            }
        }
    }

    /// After reschedules, gives each person's remaining meetings of the day their
    /// travel again: a meeting whose chained predecessor is gone travels out from the
    /// office, and a meeting with nothing chained after it travels back.
    fn relink_day(&mut self, day: u64, live: &[AppointmentId]) {
        let day_start = self.s.calendar.start_of_day(day);
        let mut by_person: BTreeMap<PersonId, Vec<AppointmentId>> = BTreeMap::new();
        for &id in live {
            by_person
                .entry(self.appointments[id].person)
                .or_default()
                .push(id);
        }
        for list in by_person.values_mut() {
            list.sort_by(|&a, &b| {
                self.appointments[a]
                    .meeting_start
                    .total_cmp(&self.appointments[b].meeting_start)
            });
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
