//! The pooled booking: of a role's people, the one who can meet the customer first,
//! searching only the calendars of people who can still beat the best slot so far.
//!
//! Exactness: the search gives the same person and slot as trying every candidate in id
//! order with `find_slot` and keeping the earliest meeting start (ties to the lower
//! id). It tries candidates in id order too and passes over one only when a lower bound
//! on every meeting start he could be given (`no_meeting_before`) is not below the best
//! start so far: he cannot be strictly earlier, and a tie goes to the earlier id
//! already held. Once the best start is at the floor no one can go below
//! (`no_meeting_anywhere_before`), the search stops.

use std::ops::Range;

use super::{AppointmentStore, MAX_BOOKING_DAYS_AHEAD, Request, Slot};
use crate::engine::WorkCalendar;
use crate::model::staff::PersonId;

impl AppointmentStore {
    /// The candidate (of `candidates` that are `available`) who can meet the customer
    /// first, and his slot: the earliest meeting start, ties to the lowest id, exactly
    /// as trying each with `find_slot`. `None` if nobody has a slot.
    pub fn best_slot(
        &self,
        calendar: &WorkCalendar,
        candidates: Range<PersonId>,
        r: &Request,
        available: impl Fn(PersonId) -> bool,
    ) -> Option<(PersonId, Slot)> {
        let floor = no_meeting_anywhere_before(calendar, r);
        let mut best: Option<(PersonId, Slot)> = None;
        for p in candidates {
            let cutoff = match &best {
                // Everyone still to come has a higher id and meets no earlier.
                Some((_, b)) if b.meeting_start.total_cmp(&floor).is_le() => break,
                Some((_, b)) => b.meeting_start,
                None => f64::INFINITY,
            };
            // The bound is worth its cost only against a best slot (one candidate, as
            // a pinned booking has, or the first, is searched directly).
            if !available(p)
                || (best.is_some()
                    && self
                        .no_meeting_before(calendar, p, r, cutoff)
                        .total_cmp(&cutoff)
                        .is_ge())
            {
                continue;
            }
            if let Some(slot) = self.find_slot(calendar, p, r, cutoff)
                && slot.meeting_start.total_cmp(&cutoff).is_lt()
            {
                best = Some((p, slot));
            }
        }
        best
    }

    /// A time no slot `find_slot` gives `person` for `r` has its meeting start before,
    /// or one at or after `cutoff` when no slot of his meets before `cutoff`: cheaper
    /// than `find_slot` (a day's gaps are not scanned), so a pooled booking can pass
    /// over people who cannot be first. It walks his days as `find_slot` does: a full
    /// day is passed over; a chained slot is taken at the chaining point when the
    /// customer can be seen then, or the day is passed over when the meeting does not
    /// fit after it; a gap slot starts at `max(gap start, earliest - out_leg)` with the
    /// gap starting at or after the day's start and ending at the latest of the day's
    /// end and the day's last start, so a day where that start plus travel, meeting and
    /// travel back ends after it holds none. The first day that may hold one bounds
    /// every gap slot from there on, and a chained slot on a later day meets at
    /// `earliest` or later and after that day's start (travel and durations are never
    /// negative). The same arithmetic as `find_slot`, so the bound holds to the last bit.
    pub fn no_meeting_before(
        &self,
        calendar: &WorkCalendar,
        person: PersonId,
        r: &Request,
        cutoff: f64,
    ) -> f64 {
        let first_day = r.first_day.max(self.first_possible_day(person));
        let block = r.out_leg + r.meeting + r.return_leg;
        let book = self.book(person);
        for day in first_day..first_day.saturating_add(MAX_BOOKING_DAYS_AHEAD) {
            let day_start = calendar.start_of_day(day);
            if day_start >= cutoff {
                return day_start;
            }
            let day_end = day_start + calendar.hours_per_day;
            let booked = book.get(day);
            if booked.len() >= r.max_per_day as usize {
                continue;
            }
            let last = booked.last().map(|&id| &self[id]);
            if r.chaining
                && let Some(last) = last
            {
                let between = (1.0 - r.clustering) * (last.return_leg + r.out_leg);
                let chained_start = last.meeting_end + between;
                if r.earliest <= chained_start {
                    if chained_start + r.meeting + r.return_leg <= day_end {
                        return chained_start;
                    }
                    continue;
                }
            }
            let start = day_start.max(r.earliest - r.out_leg);
            let gaps_end = last.map_or(day_end, |a| day_end.max(a.start));
            let overlong = booked.is_empty() && block > calendar.hours_per_day;
            if start + block <= gaps_end || overlong {
                let in_gap = start + r.out_leg;
                return if r.chaining {
                    let later_chained = r.earliest.max(calendar.start_of_day(day + 1));
                    in_gap.min(later_chained)
                } else {
                    in_gap
                };
            }
        }
        f64::INFINITY
    }
}

/// A time before which no one's slot starts its meeting: a slot in a gap on a day from
/// the first day on starts at `max(gap start, earliest - out_leg) + out_leg` with the
/// gap starting at or after its day's start, and a chained one at `earliest` or later
/// (it is taken only then). The same arithmetic as `find_slot`, so it holds to the
/// last bit.
fn no_meeting_anywhere_before(calendar: &WorkCalendar, r: &Request) -> f64 {
    let in_gap = calendar
        .start_of_day(r.first_day)
        .max(r.earliest - r.out_leg)
        + r.out_leg;
    if r.chaining {
        in_gap.min(r.earliest)
    } else {
        in_gap
    }
}
