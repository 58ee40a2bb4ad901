//! Metrics accounting: what a trial adds to its `Collector` as things happen, with
//! the measured window (warm-up to horizon) applied in one place.
//!
//! Invariant: only what happens inside the measured window is counted, time only for
//! the part of an interval inside it, and the number of open leads is integrated
//! over exactly that window.

use super::leads::Ending;
use super::metrics::{Collector, OfficeObs, SegmentTally};
use super::staff::PersonId;
use crate::engine::WorkCalendar;
use crate::scenario::{Activity, OfficeId, RoleId, Scenario};

/// The trial's collector, fed only through the methods below.
pub struct Ledger {
    pub(super) stats: Collector,
    warmup_hours: f64,
    pub(super) horizon_hours: f64,
    pub(super) calendar: WorkCalendar,
    /// The staffing cost rate now and since when it is unaccounted (`ledger_people`).
    pub(super) cost_rate: super::ledger_people::CostRate,
    pub(super) cost_since: f64,
    /// Leads open now, and when that last changed (the integral is taken up to then).
    open_leads_now: u64,
    open_leads_changed_at: f64,
}

impl Ledger {
    /// A ledger whose collector takes its sample vectors from `spare` (see
    /// `Collector::reusing`).
    pub fn new(s: &Scenario, people: usize, spare: &mut Vec<Vec<f64>>) -> Self {
        let weeks = (s.horizon_hours / s.calendar.hours_per_week()).ceil() as usize;
        Ledger {
            stats: Collector::reusing(s, people, weeks, spare),
            warmup_hours: s.warmup_hours,
            horizon_hours: s.horizon_hours,
            calendar: s.calendar,
            open_leads_now: 0,
            open_leads_changed_at: 0.0,
            cost_rate: Default::default(),
            cost_since: 0.0,
        }
    }

    pub fn stats(&self) -> &Collector {
        &self.stats
    }

    pub fn into_stats(self) -> Collector {
        self.stats
    }

    /// Whether something happening at `now` is measured.
    #[inline]
    pub fn measuring(&self, now: f64) -> bool {
        now >= self.warmup_hours
    }

    /// The part of [from, to] inside the measured window (empty when `to <= from`).
    #[inline]
    pub fn window(&self, from: f64, to: f64) -> (f64, f64) {
        (from.max(self.warmup_hours), to.min(self.horizon_hours))
    }

    /// Adds [from, to], a non-empty interval from `window`, to the role's time in
    /// `activity`. (Split from `window` so a caller finds the role only for time that
    /// counts: most intervals, switching time without a pre-emption, are empty.)
    #[inline]
    pub fn add_time(&mut self, role: RoleId, activity: Activity, from: f64, to: f64) {
        debug_assert!(from >= self.warmup_hours && to <= self.horizon_hours && to > from);
        self.stats.role_time[role][activity.index()] += to - from;
    }

    /// Changes the number of open leads by `delta` at `now`, integrating it over time.
    pub fn track_open_leads(&mut self, now: f64, delta: i64) {
        let from = self.open_leads_changed_at.max(self.warmup_hours);
        let to = now.min(self.horizon_hours);
        if to > from {
            self.stats.open_leads_area += self.open_leads_now as f64 * (to - from);
        }
        self.open_leads_changed_at = now;
        self.open_leads_now = (self.open_leads_now as i64 + delta).max(0) as u64;
    }

    /// Leads open now.
    pub fn open_leads(&self) -> u64 {
        self.open_leads_now
    }

    /// The trial hit a runaway guard: its numbers cover only part of the horizon.
    pub fn flag_runaway(&mut self) {
        self.stats.runaway = true;
    }

    /// The open-lead count at the start of `week`, for the weekly series.
    pub fn week_started(&mut self, week: u64) {
        let open = self.open_leads_now as f64;
        if let Some(slot) = self.stats.weekly_open_leads.get_mut(week as usize) {
            *slot = open;
        }
    }

    /// A meeting with a person of `role` booked at `now` to start at `meeting_start`,
    /// for the weekly booking horizon (every week, warm-up included, as the weekly
    /// open leads).
    pub fn meeting_booked(&mut self, now: f64, role: RoleId, meeting_start: f64) {
        let week = self.calendar.week_of(now) as usize;
        if let Some(b) = self
            .stats
            .weekly_bookings
            .get_mut(role)
            .and_then(|weeks| weeks.get_mut(week))
        {
            b.count += 1;
            b.ahead_hours += (meeting_start - now).max(0.0);
        }
    }

    pub fn lead_created(&mut self, now: f64) {
        if self.measuring(now) {
            self.stats.leads_created += 1;
        }
    }

    /// A lead's first contact, `latency` after it was created.
    pub fn first_contact(&mut self, now: f64, latency: f64) {
        if self.measuring(now) {
            self.stats.first_contact.push(latency);
        }
    }

    /// Work on a repetition of `step` started, `wait` after it was requested.
    pub fn step_started(&mut self, now: f64, step: usize, wait: f64) {
        if self.measuring(now) {
            self.stats.step_wait_sum[step] += wait;
            self.stats.step_wait_count[step] += 1;
        }
    }

    /// A repetition of `step` was done at `done_at`, `lead_time` after its request.
    pub fn step_done(&mut self, done_at: f64, step: usize, lead_time: f64) {
        if self.measuring(done_at) {
            self.stats.step_lead_times[step].push(lead_time);
        }
    }

    /// At the end of the trial (`now`, the horizon unless a runaway guard stopped it
    /// earlier), a repetition of `step` requested at `requested_at` is still open.
    /// Counted whenever it was requested, warm-up included: an item requested in the
    /// warm-up that completed in the window would have counted in the lead times, so an
    /// open one is equally missing from them.
    pub fn open_at_horizon(&mut self, now: f64, step: usize, requested_at: f64) {
        self.stats.step_open[step] += 1;
        self.stats.step_open_elapsed_sum[step] += now - requested_at;
    }

    /// A lead created at `created` ended at `now`; a win brings `value`.
    pub fn lead_ended(&mut self, now: f64, ending: Ending, created: f64, value: f64) {
        if !self.measuring(now) {
            return;
        }
        match ending {
            Ending::Won => {
                self.stats.won += 1;
                self.stats.revenue += value;
                self.stats.sales_cycle.push(now - created);
            }
            Ending::Lost => self.stats.lost += 1,
            Ending::Cold => self.stats.cold += 1,
        }
        self.stats.time_in_system.push(now - created);
    }

    /// A meeting of `person` ended at `meeting_end`.
    pub fn meeting_held(&mut self, person: PersonId, meeting_end: f64) {
        if meeting_end >= self.warmup_hours && meeting_end <= self.horizon_hours {
            let week = self.calendar.week_of(meeting_end) as usize;
            self.stats.meetings += 1;
            self.stats.meetings_by_person[person as usize] += 1;
            if let Some(slot) = self.stats.weekly_meetings.get_mut(week) {
                *slot += 1.0;
            }
        }
    }

    /// The tally of `segment` for something happening at `at`, if it is measured.
    #[inline]
    pub fn segment(&mut self, at: f64, segment: Option<usize>) -> Option<&mut SegmentTally> {
        if at < self.warmup_hours || at > self.horizon_hours {
            return None;
        }
        self.stats.segments.get_mut(segment?)
    }

    /// A lead was lost at `now` because no contact attempt reached it.
    pub fn lead_unreached(&mut self, now: f64) {
        if self.measuring(now) {
            self.stats.unreached += 1;
        }
    }

    /// A service request (not an escalation) was first worked on, `wait` after it came.
    pub fn service_started(&mut self, now: f64, wait: f64) {
        if self.measuring(now) {
            self.stats.service_wait_sum += wait;
            self.stats.service_wait_count += 1;
        }
    }

    /// The observations of `office`, whatever the time (`None` without an office).
    #[inline]
    pub fn office_obs(&mut self, office: Option<OfficeId>) -> Option<&mut OfficeObs> {
        self.stats.offices.get_mut(office?)
    }

    /// The observations of `office` for something happening at `now`: `None` when it
    /// is not measured or there is no office (the per-office metrics are in
    /// `ledger_offices`).
    #[inline]
    pub fn office_at(&mut self, now: f64, office: Option<OfficeId>) -> Option<&mut OfficeObs> {
        if self.measuring(now) && now <= self.horizon_hours {
            self.office_obs(office)
        } else {
            None
        }
    }

    /// A service request was done, `response` after it came.
    pub fn service_done(&mut self, now: f64, response: f64) {
        if self.measuring(now) {
            self.stats.service_response.push(response);
        }
    }
}
