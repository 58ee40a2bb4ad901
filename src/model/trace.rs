//! The event log of one trial, for `salesim trace`: what happened to whom and when.
//! Recorded only when asked for, so ordinary runs pay nothing for it.

#[derive(Debug, Clone, PartialEq)]
pub struct TraceRecord {
    pub time_hours: f64,
    /// Index of the person (people are numbered role by role), or -1 for none.
    pub person: i64,
    pub item: String,
    pub step: String,
    pub what: &'static str,
    /// The office of the lead the record is about, or -1 for none (no offices, or not
    /// about a lead).
    pub office: i64,
}

#[derive(Debug, Clone, Default)]
pub struct Trace {
    pub records: Vec<TraceRecord>,
}
