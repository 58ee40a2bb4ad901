//! The discrete-event engine: a time-ordered event queue (one-off events in a heap, and
//! slots for entities that have one pending event at a time) and a working-hours calendar.
//!
//! This module knows nothing about sales. It schedules opaque events of any type `E`
//! and converts between the continuous working-hours clock and days and weeks.

mod calendar;
mod queue;

pub use calendar::WorkCalendar;
pub use queue::EventQueue;
