//! The bound a pooled booking uses to pass over people (`no_meeting_before`) is never
//! above the meeting start `find_slot` gives them, whatever the books hold, so skipping
//! by it picks the same person and slot as trying everyone.

use super::*;

/// A small linear congruential generator: the test needs varied books, not quality.
struct Lcg(u64);

impl Lcg {
    fn unit(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn appointment(person: PersonId, day: u64, start: f64, meeting: f64, leg: f64) -> Appointment {
    Appointment {
        person,
        lead: 0,
        day,
        start,
        meeting_start: start + leg,
        meeting_end: start + leg + meeting,
        end: start + 2.0 * leg + meeting,
        out_leg: leg,
        return_leg: leg,
        lead_in: leg,
        chained: false,
        prior_person: None,
        handed_off: false,
        newcomer: false,
        activity: Activity::Selling,
        cancelled: false,
        next: None,
    }
}

#[test]
fn the_bound_never_exceeds_the_slot_found() {
    let calendar = WorkCalendar::default();
    let mut rng = Lcg(7);
    let mut checked = 0;
    for round in 0..40 {
        let mut store = AppointmentStore::default();
        let people = 6;
        let max_per_day = 1 + round % 4;
        // Book people through their calendars the way bookings do, so the books hold
        // gaps, full days and meetings running late.
        for _ in 0..60 {
            let p = (rng.unit() * people as f64) as PersonId;
            let r = request(&calendar, &mut rng, max_per_day, round % 2 == 0);
            if let Some(slot) = store.find_slot(&calendar, p, &r, f64::INFINITY) {
                let mut a = appointment(p, slot.day, slot.start, r.meeting, r.out_leg);
                a.meeting_start = slot.meeting_start;
                a.meeting_end = slot.meeting_start + r.meeting;
                a.end = a.meeting_end + r.return_leg;
                a.chained = slot.after.is_some();
                store.insert(a, r.today);
                store.skip_full_days(p, r.today, r.max_per_day);
            }
        }
        for _ in 0..200 {
            let r = request(&calendar, &mut rng, max_per_day, round % 2 == 0);
            for p in 0..people {
                let bound = store.no_meeting_before(&calendar, p, &r);
                if let Some(slot) = store.find_slot(&calendar, p, &r, f64::INFINITY) {
                    assert!(
                        bound <= slot.meeting_start,
                        "bound {bound} above the slot's start {} (person {p}, round {round})",
                        slot.meeting_start
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 10_000, "{checked} slots checked");
}

/// A booking made on day 0 for a customer 1-3 days out, with legs and a meeting long
/// enough that days fill up.
fn request(calendar: &WorkCalendar, rng: &mut Lcg, max_per_day: u32, chaining: bool) -> Request {
    let earliest = calendar.hours_per_day * (1.0 + 2.0 * rng.unit());
    Request {
        today: 0,
        first_day: calendar.day_of(earliest).max(1),
        earliest,
        out_leg: 1.5 * rng.unit(),
        meeting: 0.5 + 2.0 * rng.unit(),
        return_leg: 1.5 * rng.unit(),
        chaining,
        clustering: rng.unit(),
        max_per_day,
    }
}
