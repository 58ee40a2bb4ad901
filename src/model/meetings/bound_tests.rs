//! The bound a pooled booking uses to pass over people (`no_meeting_before`) is never
//! above the meeting start `find_slot` gives them, whatever the books hold, and the
//! booking index (`best_slot`) picks the same person and slot as trying everyone.

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

/// Books `people` people through their calendars the way bookings do (each request to
/// a random person), so the books hold gaps, full days and meetings running late.
fn booked_store(
    calendar: &WorkCalendar,
    rng: &mut Lcg,
    people: u32,
    bookings: usize,
    max_per_day: u32,
    chaining: bool,
) -> AppointmentStore {
    let mut store = AppointmentStore::default();
    for _ in 0..bookings {
        let p = (rng.unit() * people as f64) as PersonId;
        let r = request(calendar, rng, max_per_day, chaining);
        if let Some(slot) = store.find_slot(calendar, p, &r, f64::INFINITY) {
            let mut a = appointment(p, slot.day, slot.start, r.meeting, r.out_leg);
            a.meeting_start = slot.meeting_start;
            a.meeting_end = slot.meeting_start + r.meeting;
            a.end = a.meeting_end + r.return_leg;
            a.chained = slot.after.is_some();
            store.insert(a, r.today);
            store.skip_full_days(p, r.today, r.max_per_day);
        }
    }
    store
}

/// The booking index against brute force: every candidate of a random range (some
/// unavailable) tried with `find_slot`, the earliest meeting start kept, ties to the
/// lower id. Same person, same slot to the bit, on many random books, with people past
/// the index's tree (never booked) among the candidates.
#[test]
fn the_booking_index_picks_what_trying_everyone_picks() {
    let calendar = WorkCalendar::default();
    let mut rng = Lcg(11);
    let mut compared = 0;
    for round in 0..60 {
        let people = 1 + (rng.unit() * 70.0) as u32;
        let max_per_day = 1 + round % 4;
        let chaining = round % 3 != 0;
        let bookings = (rng.unit() * 12.0 * people as f64) as usize;
        let store = booked_store(&calendar, &mut rng, people, bookings, max_per_day, chaining);
        let unavailable = rng.unit() * 0.3;
        let away: Vec<bool> = (0..people + 10).map(|_| rng.unit() < unavailable).collect();
        for _ in 0..100 {
            let r = request(&calendar, &mut rng, max_per_day, chaining);
            let lo = (rng.unit() * people as f64) as u32;
            let hi = lo + (rng.unit() * (people + 10 - lo) as f64) as u32;
            let available = |p: PersonId| !away[p as usize];
            let mut brute: Option<(PersonId, Slot)> = None;
            for p in (lo..hi).filter(|&p| available(p)) {
                if let Some(slot) = store.find_slot(&calendar, p, &r, f64::INFINITY)
                    && brute
                        .as_ref()
                        .is_none_or(|(_, b)| slot.meeting_start.total_cmp(&b.meeting_start).is_lt())
                {
                    brute = Some((p, slot));
                }
            }
            let indexed = store.best_slot(&calendar, lo..hi, &r, available);
            let key = |x: &Option<(PersonId, Slot)>| {
                x.as_ref().map(|(p, s)| {
                    (
                        *p,
                        s.day,
                        s.start.to_bits(),
                        s.meeting_start.to_bits(),
                        s.after,
                        s.lead_in.to_bits(),
                    )
                })
            };
            assert_eq!(key(&indexed), key(&brute), "round {round}, {lo}..{hi}");
            compared += usize::from(brute.is_some());
        }
    }
    assert!(compared > 3000, "{compared} bookings compared");
}

#[test]
fn the_bound_never_exceeds_the_slot_found() {
    let calendar = WorkCalendar::default();
    let mut rng = Lcg(7);
    let mut checked = 0;
    for round in 0..40 {
        let people = 6;
        let max_per_day = 1 + round % 4;
        let store = booked_store(&calendar, &mut rng, people, 60, max_per_day, round % 2 == 0);
        for _ in 0..200 {
            let r = request(&calendar, &mut rng, max_per_day, round % 2 == 0);
            // Half the time with a cutoff, as a pooled booking passes the best so far.
            let cutoff = if rng.unit() < 0.5 {
                f64::INFINITY
            } else {
                calendar.hours_per_day * (1.0 + 4.0 * rng.unit())
            };
            for p in 0..people {
                let bound = store.no_meeting_before(&calendar, p, &r, cutoff);
                if let Some(slot) = store.find_slot(&calendar, p, &r, f64::INFINITY) {
                    let at = slot.meeting_start;
                    assert!(
                        bound.total_cmp(&at).is_le() || (bound >= cutoff && at >= cutoff),
                        "bound {bound} above the slot's start {at} below the cutoff {cutoff} \
                         (person {p}, round {round})"
                    );
                    checked += 1;
                } else {
                    assert!(bound >= cutoff, "bound {bound} for no slot (person {p})");
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
