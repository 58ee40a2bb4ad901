//! The event queue: one-off events in a binary heap, plus a fixed set of *slots*, each
//! holding at most one pending event, in a tournament tree; both keyed on (time,
//! insertion sequence).
//!
//! Ordering guarantee: events come out in non-decreasing time, and events scheduled for
//! the same time come out in the order they were scheduled (first in, first out),
//! whether they wait in the heap or in a slot. The sequence number makes every key
//! unique, so the order never depends on either structure's layout, which keeps
//! simulations reproducible.
//!
//! Why slots: an entity that has one pending wake-up at a time (a server's completion,
//! a source's next arrival) and often cancels or moves it would otherwise leave stale
//! events in the heap, to be popped and ignored. A slot is overwritten or cleared in
//! place, in a few branch-free steps up a tree whose shape never changes.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A pending event keyed by its firing time and tie-breaking sequence number, packed
/// into one integer: for non-negative floats the bit patterns order as the numbers do,
/// so (time bits, sequence) compares as a single `u128`.
struct Entry<E> {
    key: u128,
    event: E,
}

fn time_of(key: u128) -> f64 {
    f64::from_bits((key >> 64) as u64)
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

/// The key of an empty slot: later than any event.
const EMPTY: u128 = u128::MAX;

/// A tournament (winner) tree over the slots: `winners[n]` is the slot with the
/// earliest key below node `n`; node 1 is the root, slot `i` is leaf `width + i`.
///
/// Popping a slot's event empties it but defers the walk up the tree: the caller nearly
/// always fills the same slot again at once (a server's next task), and one walk then
/// serves both. Until that walk, only the popped slot's path may be stale.
struct Slots<E> {
    keys: Vec<u128>,
    events: Vec<Option<E>>,
    winners: Vec<u32>,
    width: usize,
    occupied: usize,
    stale_path: Option<usize>,
}

impl<E: Copy> Slots<E> {
    fn new(count: usize) -> Self {
        let width = count.next_power_of_two().max(1);
        let mut winners = vec![0u32; 2 * width];
        for i in 0..width {
            winners[width + i] = i as u32;
        }
        for n in (1..width).rev() {
            winners[n] = winners[2 * n];
        }
        Slots {
            keys: vec![EMPTY; width],
            events: vec![None; width],
            winners,
            width,
            occupied: 0,
            stale_path: None,
        }
    }

    /// Empties every slot, as `new(count)` would leave them, keeping the storage when
    /// the count is unchanged.
    fn reset(&mut self, count: usize) {
        if count.next_power_of_two().max(1) != self.width {
            *self = Slots::new(count);
            return;
        }
        self.keys.fill(EMPTY);
        self.events.fill(None);
        for i in 0..self.width {
            self.winners[self.width + i] = i as u32;
        }
        for n in (1..self.width).rev() {
            self.winners[n] = self.winners[2 * n];
        }
        self.occupied = 0;
        self.stale_path = None;
    }

    /// The earliest key and its slot.
    fn earliest(&mut self) -> (u128, usize) {
        if let Some(slot) = self.stale_path.take() {
            self.walk(slot);
        }
        let slot = self.winners[1] as usize;
        (self.keys[slot], slot)
    }

    /// Takes the event of `slot`, leaving its path to be walked later.
    fn take(&mut self, slot: usize) -> Option<E> {
        debug_assert!(self.stale_path.is_none());
        if self.keys[slot] != EMPTY {
            self.occupied -= 1;
        }
        self.keys[slot] = EMPTY;
        self.stale_path = Some(slot);
        self.events[slot].take()
    }

    fn set(&mut self, slot: usize, key: u128, event: Option<E>) {
        match self.stale_path.take() {
            Some(stale) if stale != slot => self.walk(stale),
            _ => {}
        }
        match (self.keys[slot] != EMPTY, key != EMPTY) {
            (false, true) => self.occupied += 1,
            (true, false) => self.occupied -= 1,
            _ => {}
        }
        self.keys[slot] = key;
        self.events[slot] = event;
        self.walk(slot);
    }

    /// Recomputes the winners on the path from `slot` to the root.
    fn walk(&mut self, slot: usize) {
        let mut node = (self.width + slot) / 2;
        while node >= 1 {
            let (left, right) = (self.winners[2 * node], self.winners[2 * node + 1]);
            self.winners[node] = if self.keys[left as usize] <= self.keys[right as usize] {
                left
            } else {
                right
            };
            node /= 2;
        }
    }
}

/// A future-event list. Times are in the caller's unit (salesim uses working hours).
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    slots: Slots<E>,
    next_sequence: u64,
    now: f64,
}

impl<E: Copy> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Copy> EventQueue<E> {
    pub fn new() -> Self {
        Self::with_capacity(64, 0)
    }

    /// A queue with room for `capacity` one-off events before it grows, and `slots`
    /// slots numbered from 0.
    pub fn with_capacity(capacity: usize, slots: usize) -> Self {
        EventQueue {
            heap: BinaryHeap::with_capacity(capacity),
            slots: Slots::new(slots),
            next_sequence: 0,
            now: 0.0,
        }
    }

    /// Empties the queue and gives it `slots` slots, as `with_capacity(_, slots)` would
    /// leave it (clock and sequence at 0), keeping the heap's storage: a simulation
    /// that runs many trials reuses one queue.
    pub fn reset(&mut self, slots: usize) {
        self.heap.clear();
        self.slots.reset(slots);
        self.next_sequence = 0;
        self.now = 0.0;
    }

    /// The time of the event most recently popped (0 before the first pop).
    pub fn now(&self) -> f64 {
        self.now
    }

    /// Schedules `event` at absolute `time`. A time in the past is moved to now, so the
    /// clock never runs backwards; times are never negative (the clock starts at 0).
    pub fn schedule(&mut self, time: f64, event: E) {
        let key = self.next_key(time);
        self.heap.push(Entry { key, event });
    }

    /// Schedules `event` at `time` in `slot`, replacing the slot's pending event if it
    /// has one. Same time rules as [`schedule`](Self::schedule).
    #[inline]
    pub fn schedule_in_slot(&mut self, slot: usize, time: f64, event: E) {
        let key = self.next_key(time);
        self.slots.set(slot, key, Some(event));
    }

    /// Cancels the slot's pending event, if any.
    pub fn clear_slot(&mut self, slot: usize) {
        if self.slots.keys[slot] != EMPTY {
            self.slots.set(slot, EMPTY, None);
        }
    }

    fn next_key(&mut self, time: f64) -> u128 {
        // The comparison also turns -0.0 and NaN into now: a valid, non-negative time.
        let time = if time > self.now { time } else { self.now };
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        (u128::from(time.to_bits()) << 64) | u128::from(sequence)
    }

    /// Schedules `event` `delay` time units from now.
    pub fn schedule_in(&mut self, delay: f64, event: E) {
        self.schedule(self.now + delay, event);
    }

    /// Removes the earliest event and advances the clock to its time.
    // `#[inline]` here and on `schedule_in_slot`: both are called on every event from
    // the user's loop in another module, and without the hint whether they are inlined
    // there depends on how modules fall into codegen units (about 2% of a trial).
    #[inline]
    pub fn pop(&mut self) -> Option<(f64, E)> {
        let (slot_key, slot) = self.slots.earliest();
        let heap_key = self.heap.peek().map_or(EMPTY, |entry| entry.key);
        let (key, event) = if slot_key < heap_key {
            (slot_key, self.slots.take(slot)?)
        } else {
            let entry = self.heap.pop()?;
            (entry.key, entry.event)
        };
        let time = time_of(key);
        self.now = time;
        Some((time, event))
    }

    /// The time of the next event, without removing it.
    pub fn peek_time(&mut self) -> Option<f64> {
        let heap_key = self.heap.peek().map_or(EMPTY, |entry| entry.key);
        let key = heap_key.min(self.slots.earliest().0);
        (key != EMPTY).then(|| time_of(key))
    }

    /// Events pending, in the heap and in slots.
    pub fn len(&self) -> usize {
        self.heap.len() + self.slots.occupied
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Total events ever scheduled: a cheap measure of the work a run did.
    pub fn scheduled_count(&self) -> u64 {
        self.next_sequence
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reset queue behaves as a new one: the same events in the same order, with the
    /// same sequence numbers (a stale slot or winner would reorder ties).
    #[test]
    fn a_reset_queue_behaves_as_a_new_one() {
        fn drive(queue: &mut EventQueue<u32>) -> Vec<(f64, u32)> {
            for i in 0..40u32 {
                let time = f64::from(i % 7);
                if i % 3 == 0 {
                    queue.schedule_in_slot((i % 5) as usize, time, i);
                } else {
                    queue.schedule(time, i);
                }
            }
            let mut out = Vec::new();
            while let Some(e) = queue.pop() {
                out.push(e);
            }
            out.push((queue.scheduled_count() as f64, 0));
            out
        }
        let fresh = drive(&mut EventQueue::with_capacity(4, 5));
        let mut used = EventQueue::with_capacity(4, 5);
        for i in 0..30u32 {
            used.schedule(f64::from(i), i);
            used.schedule_in_slot((i % 5) as usize, f64::from(i) * 0.5, i);
        }
        used.pop();
        used.reset(5);
        assert_eq!(drive(&mut used), fresh);
        // A different slot count rebuilds the slots.
        let mut other = EventQueue::with_capacity(4, 9);
        other.schedule_in_slot(8, 1.0, 1);
        other.reset(5);
        assert_eq!(drive(&mut other), fresh);
    }

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

    #[test]
    fn a_slot_holds_one_event_replaced_or_cleared_in_place() {
        let mut queue = EventQueue::with_capacity(8, 3);
        queue.schedule_in_slot(0, 5.0, "first");
        queue.schedule_in_slot(0, 2.0, "replacement");
        queue.schedule_in_slot(1, 1.0, "cleared");
        queue.clear_slot(1);
        queue.clear_slot(2);
        assert_eq!(queue.len(), 1);
        assert_eq!(queue.pop(), Some((2.0, "replacement")));
        assert!(queue.is_empty());
        assert_eq!(queue.pop(), None);
    }

    #[test]
    fn slots_and_heap_share_one_order_with_fifo_ties() {
        let mut queue = EventQueue::with_capacity(8, 2);
        queue.schedule(1.0, "heap a");
        queue.schedule_in_slot(1, 1.0, "slot b");
        queue.schedule(1.0, "heap c");
        queue.schedule_in_slot(0, 0.5, "slot d");
        assert_eq!(queue.peek_time(), Some(0.5));
        let order: Vec<&str> = std::iter::from_fn(|| queue.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec!["slot d", "heap a", "slot b", "heap c"]);
    }

    /// Random schedules, replacements and clears against a plain list sorted on
    /// (time, sequence): the two must give the same events in the same order.
    #[test]
    fn matches_a_sorted_list_under_random_use() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(7);
        let slot_count = 13;
        let mut queue = EventQueue::with_capacity(4, slot_count);
        // (time, sequence, event, slot) of what should be pending.
        let mut model: Vec<(f64, u64, u32, Option<usize>)> = Vec::new();
        let mut sequence = 0u64;
        for label in 0..20_000u32 {
            let now = queue.now();
            let time = now + f64::from(rng.random_range(0..20u32)) / 4.0;
            match rng.random_range(0..5u32) {
                0 | 1 => {
                    queue.schedule(time, label);
                    model.push((time, sequence, label, None));
                    sequence += 1;
                }
                2 => {
                    let slot = rng.random_range(0..slot_count);
                    queue.schedule_in_slot(slot, time, label);
                    model.retain(|e| e.3 != Some(slot));
                    model.push((time, sequence, label, Some(slot)));
                    sequence += 1;
                }
                3 => {
                    let slot = rng.random_range(0..slot_count);
                    queue.clear_slot(slot);
                    model.retain(|e| e.3 != Some(slot));
                }
                _ => {
                    let expected = model
                        .iter()
                        .enumerate()
                        .min_by(|a, b| a.1.0.total_cmp(&b.1.0).then(a.1.1.cmp(&b.1.1)))
                        .map(|(i, e)| (i, (e.0, e.2)));
                    assert_eq!(queue.pop(), expected.map(|(_, e)| e));
                    if let Some((i, _)) = expected {
                        model.remove(i);
                    }
                }
            }
            assert_eq!(queue.len(), model.len());
        }
    }
}
