//! Per-office accounting: what the ledger adds to each office's observations as things
//! happen, under the same measured window as the team's counts (so the offices' counts
//! add up to the team's).

use super::leads::Ending;
use super::ledger::Ledger;
use crate::scenario::{OfficeId, RoleId};

impl Ledger {
    pub fn office_lead_created(&mut self, now: f64, office: Option<OfficeId>) {
        if let Some(o) = self.office_at(now, office) {
            o.leads_created += 1;
        }
    }

    /// A lead of `office` created at `created` ended at `now`; a win brings `value`.
    pub fn office_lead_ended(
        &mut self,
        now: f64,
        office: Option<OfficeId>,
        ending: Ending,
        created: f64,
        value: f64,
    ) {
        let Some(o) = self.office_at(now, office) else {
            return;
        };
        match ending {
            Ending::Won => {
                o.won += 1;
                o.revenue += value;
                o.sales_cycle.push(now - created);
            }
            Ending::Lost => o.lost += 1,
            Ending::Cold => o.cold += 1,
        }
    }

    /// A meeting for a lead of `office` ended at `meeting_end`.
    pub fn office_meeting_held(&mut self, meeting_end: f64, office: Option<OfficeId>) {
        if let Some(o) = self.office_at(meeting_end, office) {
            o.meetings += 1;
        }
    }

    /// A quote for a lead of `office` was done at `done_at`, `lead_time` after its request.
    pub fn office_quote_done(&mut self, done_at: f64, office: Option<OfficeId>, lead_time: f64) {
        if let Some(o) = self.office_at(done_at, office) {
            o.quote_lead_times.push(lead_time);
        }
    }

    /// A service request of `office` was done at `now`, `response` after it came.
    pub fn office_service_done(&mut self, now: f64, office: Option<OfficeId>, response: f64) {
        if let Some(o) = self.office_at(now, office) {
            o.service_response.push(response);
        }
    }

    /// Busy `hours` (already inside the measured window) of a person of `office`.
    #[inline]
    pub fn office_time(&mut self, office: Option<OfficeId>, role: RoleId, hours: f64) {
        if let Some(o) = self.office_obs(office)
            && let Some(busy) = o.role_busy.get_mut(role)
        {
            *busy += hours;
        }
    }
}
