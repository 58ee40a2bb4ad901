//! Runaway detection by growth: a trial whose live work items rose at every one of the
//! last [`GROWTH_WEEKS`] week boundaries, and now outnumber all the work created in
//! those weeks, holds more than its offered load allows (a stable queue holds, by
//! Little's law, its arrivals over the mean time in system, which is short of that
//! many weeks), so it grows without bound. Below [`GROWTH_FLOOR_TASKS`] nothing is
//! called a runaway: small queues cost nothing, and their trends are the run-time
//! warnings' business. A stable scenario however large is never called one.

use std::collections::VecDeque;

use super::budget::PROCESS_LIVE_TASKS;

/// Consecutive weeks of growth that make a runaway.
pub const GROWTH_WEEKS: usize = 8;
/// Live work items below which no trial is a runaway by growth.
pub const GROWTH_FLOOR_TASKS: u64 = PROCESS_LIVE_TASKS / 16;

/// The live and created work items at the last week boundaries.
#[derive(Debug, Default)]
pub struct Growth {
    /// (live, created) at the last `GROWTH_WEEKS + 1` week starts, oldest first.
    samples: VecDeque<(u64, u64)>,
}

impl Growth {
    /// Records a week boundary with `live` items live and `created` created so far;
    /// true when the trial is a runaway.
    pub fn runaway(&mut self, live: u64, created: u64) -> bool {
        if self.samples.len() == GROWTH_WEEKS + 1 {
            self.samples.pop_front();
        }
        self.samples.push_back((live, created));
        if live <= GROWTH_FLOOR_TASKS || self.samples.len() <= GROWTH_WEEKS {
            return false;
        }
        let grew = self
            .samples
            .iter()
            .zip(self.samples.iter().skip(1))
            .all(|(a, b)| b.0 > a.0);
        let created_lately = created - self.samples[0].1;
        grew && live > created_lately
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: u64 = GROWTH_FLOOR_TASKS;

    /// Feeds weekly (live, created) samples; the week each is called a runaway.
    fn first_runaway(weeks: impl Iterator<Item = (u64, u64)>) -> Option<usize> {
        let mut g = Growth::default();
        weeks
            .enumerate()
            .find(|&(_, (live, created))| g.runaway(live, created))
            .map(|(w, _)| w)
    }

    #[test]
    fn a_queue_growing_beyond_its_arrivals_is_a_runaway() {
        // Arrivals of F a week, half served: the backlog grows by F/2 a week.
        let week = (0..60u64).map(|w| (w * F / 2, w * F));
        let at = first_runaway(week).expect("found");
        assert!(at > GROWTH_WEEKS, "{at}");
    }

    #[test]
    fn a_large_stable_queue_is_never_a_runaway() {
        // Ten times the floor live, level (with a wobble), arrivals of 4F a week.
        let week = (0..200u64).map(|w| (10 * F + (w % 3) * 1000, w * 4 * F));
        assert_eq!(first_runaway(week), None);
        // Filling up from empty over its first weeks, then level.
        let week = (0..200u64).map(|w| (10 * F * w.min(20) / 20, w * 4 * F));
        assert_eq!(first_runaway(week), None);
    }

    #[test]
    fn a_small_growing_queue_is_left_to_the_warnings() {
        let week = (0..200u64).map(|w| (w * 100, w * 150));
        assert_eq!(first_runaway(week), None);
    }
}
