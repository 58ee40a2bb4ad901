//! salesim: a discrete-event simulator of sales team designs.
pub mod engine;
pub mod scenario;
