//! What a trial measures: the catalogue of metrics (one definition each), the raw
//! observations a trial gathers, and the step from one to the other.

pub mod catalogue;
mod collector;
mod emit;
mod offices;
mod segments;

pub use catalogue::{Better, Catalogue, Def, Kind, Metric, Scope, Unit, UnknownMetric};
pub use collector::{Bookings, Collector, MeanOf, StaffingIntegral};
pub use emit::{Sink, ValueSink, catalogue, emit, quantile_sorted};
pub use offices::OfficeObs;
pub use segments::{SegmentTally, gross_profit_per_year};
