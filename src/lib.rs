//! salesim: a discrete-event simulator of sales team designs.
pub mod cli;
pub mod engine;
pub mod experiment;
pub mod model;
pub mod report;
pub mod scenario;
pub mod stats;
