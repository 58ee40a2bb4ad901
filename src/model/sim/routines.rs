//! The calendar's routines: each week resets prospecting budgets and hands out
//! recurring admin; each morning starts the day's meetings and tops up pull queues.

use super::dispatch::NewTask;
use super::{Event, Sim};
use crate::scenario::{Routing, SourceKind};

impl Sim<'_> {
    pub(super) fn on_week_start(&mut self, week: u64) {
        self.switch_period(week);
        let s = self.s;
        let next = s.calendar.start_of_week(week + 1);
        if next < s.horizon_hours {
            self.queue
                .schedule(next, Event::WeekStart { week: week + 1 });
        }
        self.ledger.week_started(week);
        // Before the week's admin is handed out: who has left takes none.
        self.handover_day();
        for role in 0..s.roles.len() {
            if let Some(source) = self.staff.prospecting_source(role)
                && let SourceKind::Prospecting {
                    max_hours_per_week, ..
                } = s.lead_sources[source].kind
            {
                for p in self.staff.members(role) {
                    self.staff.person_mut(p).prospecting_budget_hours = max_hours_per_week;
                }
            }
        }
        for (role, r) in s.roles.iter().enumerate() {
            let mut hours = r.admin_hours_per_week;
            if s.admin.role == Some(role) {
                hours += s.admin.weekly_hours_per_person;
            }
            if hours > 0.0 {
                for p in self.staff.members(role) {
                    if !self.staff.is_available(p) {
                        continue;
                    }
                    self.submit(NewTask::admin(s, role, hours), Routing::Owner, Some(p));
                }
            }
        }
        if self.staff.anyone_prospects() {
            for p in self.staff.everyone() {
                self.try_start(p);
            }
        }
    }

    pub(super) fn on_day_start(&mut self, day: u64) {
        let s = self.s;
        let next = s.calendar.start_of_day(day + 1);
        if next < s.horizon_hours {
            self.queue.schedule(next, Event::DayStart { day: day + 1 });
        }
        self.handover_day();
        self.start_meetings_of_day(day);
        for role in 0..s.roles.len() {
            if self.pipeline.pulls(role) {
                self.top_up(role);
            }
        }
    }
}
