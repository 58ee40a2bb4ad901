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

use super::{AppointmentStore, Request, Slot};
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
