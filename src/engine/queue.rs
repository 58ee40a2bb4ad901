//! The event queue: a binary heap keyed on (time, insertion sequence).
//!
//! Ordering guarantee: events come out in non-decreasing time, and events scheduled for
//! the same time come out in the order they were scheduled (first in, first out). The
//! sequence number makes every key unique, so the order never depends on the heap's
//! internal layout, which keeps simulations reproducible.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A pending event with its firing time and tie-breaking sequence number.
struct Entry<E> {
    time: f64,
    sequence: u64,
    event: E,
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
        other
            .time
            .total_cmp(&self.time)
            .then_with(|| other.sequence.cmp(&self.sequence))
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
    /// clock never runs backwards.
    pub fn schedule(&mut self, time: f64, event: E) {
        let time = if time < self.now { self.now } else { time };
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        self.heap.push(Entry {
            time,
            sequence,
            event,
        });
    }

    /// Schedules `event` `delay` time units from now.
    pub fn schedule_in(&mut self, delay: f64, event: E) {
        self.schedule(self.now + delay, event);
    }

    /// Removes the earliest event and advances the clock to its time.
    pub fn pop(&mut self) -> Option<(f64, E)> {
        let entry = self.heap.pop()?;
        self.now = entry.time;
        Some((entry.time, entry.event))
    }

    /// The time of the next event, without removing it.
    pub fn peek_time(&self) -> Option<f64> {
        self.heap.peek().map(|entry| entry.time)
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
    fn the_clock_never_runs_backwards() {
        let mut queue = EventQueue::new();
        queue.schedule(10.0, "a");
        queue.pop();
        queue.schedule(4.0, "late");
        assert_eq!(queue.pop(), Some((10.0, "late")));
    }
}
