//! Data in: an opportunity history exported from a CRM, read into working hours
//! (the reader, its column map and its calendar), and the fits that calibrate from it.
//! Everything here reads or fits data; nothing here simulates.

pub mod clock;
pub mod columns;
pub mod fit;
pub mod history;
pub mod labels;
pub mod pipeline;
mod problems;
mod rows;

pub use clock::{WorkClock, parse_when};
pub use columns::{Column, ColumnMap};
pub use history::{History, HistoryError, Opportunity, Outcome, StageEntry, read_history};
pub use problems::{Problem, Problems};
