//! The event log of one trial, for `salesim trace`: what happened to whom and when, and
//! the life of every lead (when it was created, from which source, how it ended and for
//! what value), from which with the log `trace --history` writes an opportunity history. Recorded only when asked for, so
//! ordinary runs pay nothing for it.

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

/// How a lead ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadEnd {
    Won,
    Lost,
    Cold,
}

/// One lead from creation to its end (or the horizon).
#[derive(Debug, Clone, PartialEq)]
pub struct LeadLife {
    pub created_hours: f64,
    /// Index of its lead source.
    pub source: usize,
    /// Its customer segment (an index of `Scenario::segments`), when there are any.
    pub segment: Option<usize>,
    /// How and when it ended, and its deal value (0 unless won); `None` if still open.
    pub end: Option<(LeadEnd, f64, f64)>,
}

#[derive(Debug, Clone, Default)]
pub struct Trace {
    pub records: Vec<TraceRecord>,
    /// Every lead of the trial, in creation order.
    pub leads: Vec<LeadLife>,
    /// The lead (index into `leads`) in each pipeline slot: slots are reused.
    in_slot: Vec<usize>,
}

impl Trace {
    pub(crate) fn lead_created(
        &mut self,
        slot: u32,
        at_hours: f64,
        source: usize,
        segment: Option<usize>,
    ) {
        let slot = slot as usize;
        if self.in_slot.len() <= slot {
            self.in_slot.resize(slot + 1, usize::MAX);
        }
        self.in_slot[slot] = self.leads.len();
        self.leads.push(LeadLife {
            created_hours: at_hours,
            source,
            segment,
            end: None,
        });
    }

    fn life(&mut self, slot: u32) -> Option<&mut LeadLife> {
        let index = *self.in_slot.get(slot as usize)?;
        self.leads.get_mut(index)
    }

    pub(crate) fn lead_ended(&mut self, slot: u32, end: LeadEnd, at_hours: f64, value: f64) {
        if let Some(life) = self.life(slot) {
            life.end = Some((end, at_hours, value));
        }
    }
}
