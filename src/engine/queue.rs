//! The event queue: a binary heap keyed on (time, insertion sequence).
//!
//! Ordering guarantee: events come out in non-decreasing time, and events scheduled for
//! the same time come out in the order they were scheduled (first in, first out). The
//! sequence number makes every key unique, so the order never depends on the heap's
//! internal layout, which keeps simulations reproducible.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A pending event keyed by its firing time and tie-breaking sequence number, packed
/// into one integer: for non-negative floats the bit patterns order as the numbers do,
/// so (time bits, sequence) compares as a single `u128`.
struct Entry<E> {
    key: u128,
    event: E,
}

impl<E> Entry<E> {
    fn time(&self) -> f64 {
        f64::from_bits((self.key >> 64) as u64)
    }
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl<E> Eq for Entry<E> {}

impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<E> Ord for Entry<E> {
    /// Reversed, because `BinaryHeap` is a max-heap and we want the earliest first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.key.cmp(&self.key)
    }
}

/// A future-event list. Times are in the caller's unit (salesim uses working hours).
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    next_sequence: u64,
    now: f64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    pub fn new() -> Self {
        Self::with_capacity(64)
    }

    pub fn with_capacity(capacity: usize) -> Self {
        EventQueue {
            heap: BinaryHeap::with_capacity(capacity),
            next_sequence: 0,
            now: 0.0,
        }
    }

    /// The time of the event most recently popped (0 before the first pop).
    pub fn now(&self) -> f64 {
        self.now
    }

    /// Schedules `event` at absolute `time`. A time in the past is moved to now, so the
    /// clock never runs backwards; times are never negative (the clock starts at 0).
    pub fn schedule(&mut self, time: f64, event: E) {
        // The comparison also turns -0.0 and NaN into now: a valid, non-negative time.
        let time = if time > self.now { time } else { self.now };
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        let key = (u128::from(time.to_bits()) << 64) | u128::from(sequence);
        self.heap.push(Entry { key, event });
    }

    /// Schedules `event` `delay` time units from now.
    pub fn schedule_in(&mut self, delay: f64, event: E) {
        self.schedule(self.now + delay, event);
    }

    /// Removes the earliest event and advances the clock to its time.
    pub fn pop(&mut self) -> Option<(f64, E)> {
        let entry = self.heap.pop()?;
        let time = entry.time();
        self.now = time;
        Some((time, entry.event))
    }

    /// The time of the next event, without removing it.
    pub fn peek_time(&self) -> Option<f64> {
        self.heap.peek().map(Entry::time)
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// Total events ever scheduled: a cheap measure of the work a run did.
    pub fn scheduled_count(&self) -> u64 {
        self.next_sequence
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_times_come_out_in_insertion_order() {
        let mut queue = EventQueue::new();
        for label in 0..100 {
            queue.schedule(5.0, label);
        }
        let order: Vec<i32> = std::iter::from_fn(|| queue.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, (0..100).collect::<Vec<_>>());
    }

    #[test]
    fn events_come_out_in_time_order() {
        let mut queue = EventQueue::new();
        for (i, t) in [3.0, 1.0, 2.0, 0.5, 2.0].into_iter().enumerate() {
            queue.schedule(t, i);
        }
        let times: Vec<f64> = std::iter::from_fn(|| queue.pop().map(|(t, _)| t)).collect();
        assert_eq!(times, vec![0.5, 1.0, 2.0, 2.0, 3.0]);
    }

    #[test]
    fn negative_zero_and_nan_times_become_now() {
        let mut queue = EventQueue::new();
        queue.schedule(1.0, "later");
        queue.schedule(-0.0, "zero");
        queue.schedule(f64::NAN, "nan");
        let order: Vec<&str> = std::iter::from_fn(|| queue.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec!["zero", "nan", "later"]);
    }

    #[test]
    fn the_clock_never_runs_backwards() {
        let mut queue = EventQueue::new();
        queue.schedule(10.0, "a");
        queue.pop();
        queue.schedule(4.0, "late");
        assert_eq!(queue.pop(), Some((10.0, "late")));
    }
}
