//! People on the books over time: the staffing cost they run up (a rate that changes
//! only when someone joins or leaves), spread over the weekly series and integrated
//! over the measured window, and the weekly deals, revenue and gross profit.
//!
//! The weekly series cover the whole horizon, warm-up included (a transition needs
//! the weeks before its switch); the integrals only the measured window.

use super::costs::StaffingCost;
use super::ledger::Ledger;
use super::metrics::StaffingIntegral;

/// The staffing cost rate now: the team's per year and each office's per year.
#[derive(Debug, Clone, Default)]
pub struct CostRate {
    pub team: Option<StaffingCost>,
    pub offices: Vec<f64>,
}

impl Ledger {
    /// From `now` on, the staffing cost runs at `rate`; the old rate is accounted up
    /// to `now` first.
    pub fn staffing_changed(&mut self, now: f64, rate: CostRate) {
        self.accrue_staffing(now);
        self.cost_rate = rate;
    }

    /// Accounts the current staffing cost rate from when it was last accounted to
    /// `now`: into each week it overlaps (per year / 52 per whole week) and, for the
    /// part inside the measured window, into the integrals.
    pub fn accrue_staffing(&mut self, now: f64) {
        let from = self.cost_since;
        let to = now.min(self.horizon_hours);
        self.cost_since = now.max(self.cost_since);
        let Some(team) = self.cost_rate.team else {
            return;
        };
        if to <= from {
            return;
        }
        let per_week = self.calendar.hours_per_week();
        let per_year = team.total_per_year();
        let mut week = self.calendar.week_of(from);
        loop {
            let start = self.calendar.start_of_week(week).max(from);
            let end = self.calendar.start_of_week(week + 1).min(to);
            if end > start
                && let Some(slot) = self.stats.weekly_staffing_cost.get_mut(week as usize)
            {
                *slot += per_year / 52.0 * (end - start) / per_week;
            }
            if end >= to {
                break;
            }
            week += 1;
        }
        let (a, b) = self.window(from, to);
        if b > a {
            let hours = b - a;
            let i = &mut self.stats.staffing;
            i.hours += hours;
            i.roles += team.roles_per_year * hours;
            i.management += team.management_per_year * hours;
            i.offices += team.offices_per_year * hours;
            i.managers += f64::from(team.managers) * hours;
            if i.per_office.len() < self.cost_rate.offices.len() {
                i.per_office.resize(self.cost_rate.offices.len(), 0.0);
            }
            for (sum, rate) in i.per_office.iter_mut().zip(&self.cost_rate.offices) {
                *sum += rate * hours;
            }
        }
    }

    /// The staffing cost over the measured window is to be reported from the time
    /// each person was on the books (people joined or left in this trial).
    pub fn staffing_is_dynamic(&mut self) {
        self.stats.staffing.dynamic = true;
    }

    /// A deal worth `value` was won at `now`, with `margin` (0 without one).
    pub fn weekly_deal(&mut self, now: f64, value: f64, margin: f64) {
        let week = self.calendar.week_of(now) as usize;
        if now > self.horizon_hours {
            return;
        }
        if let Some(slot) = self.stats.weekly_deals.get_mut(week) {
            *slot += 1.0;
            self.stats.weekly_revenue[week] += value;
            self.stats.weekly_gross_profit[week] += value * margin;
        }
    }
}

impl StaffingIntegral {
    /// The mean staffing cost over the measured window, per year, in the shape the
    /// static cost has; `None` when nothing was measured.
    pub fn mean(&self) -> Option<StaffingCost> {
        (self.hours > 0.0).then(|| StaffingCost {
            roles_per_year: self.roles / self.hours,
            managers: (self.managers / self.hours).round() as u32,
            management_per_year: self.management / self.hours,
            offices_per_year: self.offices / self.hours,
        })
    }

    /// The mean cost of office `o` per year over the measured window.
    pub fn office_mean(&self, o: usize) -> Option<f64> {
        (self.hours > 0.0).then(|| self.per_office.get(o).copied().unwrap_or(0.0) / self.hours)
    }
}
