//! The raw observations of one trial, gathered by the model as it runs and turned into
//! metric values by `emit`.

use crate::scenario::Scenario;

/// Raw observations of one trial, counted after the warm-up.
#[derive(Debug, Clone, Default)]
pub struct Collector {
    pub step_lead_times: Vec<Vec<f64>>,
    pub step_wait_sum: Vec<f64>,
    pub step_wait_count: Vec<u64>,
    /// Per step, the items requested and not done at the end of the trial, and the
    /// sum of the time each had been open by then.
    pub step_open: Vec<u64>,
    pub step_open_elapsed_sum: Vec<f64>,
    pub service_response: Vec<f64>,
    /// Waits of service requests from arrival to first work (escalations excluded).
    pub service_wait_sum: f64,
    pub service_wait_count: u64,
    /// Mean-only measures as (sum, count): no need to keep every observation.
    pub sales_cycle: MeanOf,
    pub first_contact: MeanOf,
    pub time_in_system: MeanOf,
    pub meetings: u64,
    pub meetings_by_person: Vec<u64>,
    pub leads_created: u64,
    pub won: u64,
    pub lost: u64,
    pub cold: u64,
    pub revenue: f64,
    /// Time integral of the number of open leads over the measured window.
    pub open_leads_area: f64,
    /// Busy time by role and activity over the measured window.
    pub role_time: Vec<[f64; 7]>,
    pub weekly_meetings: Vec<f64>,
    pub weekly_open_leads: Vec<f64>,
    /// Per role and week of booking, the meetings booked and the sum of how far ahead
    /// (working hours from booking to the meeting's start) they were set: the booking
    /// horizon, whose growth shows a calendar that cannot keep up.
    pub weekly_bookings: Vec<Vec<Bookings>>,
    /// Per week of the whole horizon (warm-up included): deals won, their revenue and
    /// gross profit (0 without a margin), and the staffing cost of the people on the
    /// books (prorated by the part of the week each was on them).
    pub weekly_deals: Vec<f64>,
    pub weekly_revenue: Vec<f64>,
    pub weekly_gross_profit: Vec<f64>,
    pub weekly_staffing_cost: Vec<f64>,
    /// The staffing cost integrated over the measured window.
    pub staffing: StaffingIntegral,
    /// The trial hit the event or queue guard and stopped early.
    pub runaway: bool,
    /// Per office (empty without offices).
    pub offices: Vec<super::offices::OfficeObs>,
    /// Per customer segment, in the order of `Scenario::segments` (empty without).
    pub segments: Vec<super::SegmentTally>,
    /// Leads lost because no contact attempt reached them.
    pub unreached: u64,
}

impl Collector {
    pub fn new(s: &Scenario, people: usize, weeks: usize) -> Self {
        Self::reusing(s, people, weeks, &mut Vec::new())
    }

    /// As `new`, with the sample vectors (each step's lead times, the service
    /// responses) taken from `spare` while it has some: emptied vectors a previous
    /// trial left (`into_spare`), whose storage then need not grow again.
    pub fn reusing(s: &Scenario, people: usize, weeks: usize, spare: &mut Vec<Vec<f64>>) -> Self {
        let steps = s.funnel.len();
        let mut sample = || spare.pop().unwrap_or_default();
        Collector {
            step_lead_times: (0..steps).map(|_| sample()).collect(),
            service_response: sample(),
            step_wait_sum: vec![0.0; steps],
            step_wait_count: vec![0; steps],
            step_open: vec![0; steps],
            step_open_elapsed_sum: vec![0.0; steps],
            meetings_by_person: vec![0; people],
            role_time: vec![[0.0; 7]; s.roles.len()],
            weekly_meetings: vec![0.0; weeks],
            weekly_open_leads: vec![0.0; weeks],
            weekly_deals: vec![0.0; weeks],
            weekly_revenue: vec![0.0; weeks],
            weekly_gross_profit: vec![0.0; weeks],
            weekly_staffing_cost: vec![0.0; weeks],
            weekly_bookings: vec![vec![Bookings::default(); weeks]; s.roles.len()],
            offices: vec![super::offices::OfficeObs::new(s.roles.len()); s.offices.len()],
            segments: vec![super::SegmentTally::default(); s.segments.list.len()],
            ..Default::default()
        }
    }

    /// Hands the sample vectors to `spare`, emptied, for the next trial's `reusing`.
    pub fn into_spare(self, spare: &mut Vec<Vec<f64>>) {
        let samples = self.step_lead_times.into_iter();
        for mut v in samples.chain(std::iter::once(self.service_response)) {
            v.clear();
            spare.push(v);
        }
    }
}

/// Staffing cost per year integrated over the measured working hours (divide by
/// `hours` for the mean), team and per office; `dynamic` when people joined or left,
/// so the metrics take it instead of the cost of the scenario's static headcount.
#[derive(Debug, Clone, Default)]
pub struct StaffingIntegral {
    pub dynamic: bool,
    pub hours: f64,
    pub roles: f64,
    pub management: f64,
    pub offices: f64,
    pub managers: f64,
    pub per_office: Vec<f64>,
}

/// Meetings booked in one week and the sum of how far ahead they were set.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Bookings {
    pub count: u64,
    pub ahead_hours: f64,
}

impl Bookings {
    /// Adds `other` (another trial's week, say).
    pub fn add(&mut self, other: Bookings) {
        self.count += other.count;
        self.ahead_hours += other.ahead_hours;
    }

    /// The mean booking horizon in hours; NaN with no booking.
    pub fn mean_ahead_hours(&self) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            self.ahead_hours / self.count as f64
        }
    }
}

/// A running sum and count, for metrics that report only a mean.
#[derive(Debug, Clone, Copy, Default)]
pub struct MeanOf {
    sum: f64,
    count: u64,
}

impl MeanOf {
    pub fn push(&mut self, x: f64) {
        self.sum += x;
        self.count += 1;
    }

    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            self.sum / self.count as f64
        }
    }
}
