//! Appointment lists by day, in a window of days that slides forward as the trial
//! goes, with days far past it kept aside: the books the meeting calendars are made of.

use std::collections::{BTreeMap, VecDeque};

use super::{AppointmentId, MAX_BOOKING_DAYS_AHEAD};

/// Appointment lists by day over a window of days that slides forward as days pass:
/// a day with an empty list, or with none, has no appointments. Looking a day up is an
/// index, and the emptied lists of past days are re-used for later days, so the steady
/// state does not allocate. Days more than `MAX_WINDOW_DAYS` past the window's start (a
/// customer who asks for a meeting in ten years) wait in a map until the window reaches
/// them, so memory follows the appointments, not the distance to them.
pub(super) struct DayLists {
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

/// The book of someone with no appointments yet.
pub(super) static NO_DAYS: DayLists = DayLists {
    first: 0,
    lists: VecDeque::new(),
    far: BTreeMap::new(),
    max_window: MAX_WINDOW_DAYS,
};

impl DayLists {
    pub(super) fn get(&self, day: u64) -> &[AppointmentId] {
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
    pub(super) fn list_mut(&mut self, day: u64) -> &mut Vec<AppointmentId> {
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
    pub(super) fn drop_empty_before(&mut self, day: u64) {
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

    pub(super) fn get_mut(&mut self, day: u64) -> Option<&mut Vec<AppointmentId>> {
        match self.index(day) {
            Some(i) => Some(&mut self.lists[i]),
            None => self.far.get_mut(&day),
        }
    }

    /// Swaps the list of `day` with `into` (which should be empty), keeping both
    /// allocations.
    pub(super) fn take(&mut self, day: u64, into: &mut Vec<AppointmentId>) {
        if let Some(list) = self.get_mut(day) {
            std::mem::swap(list, into);
        }
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
