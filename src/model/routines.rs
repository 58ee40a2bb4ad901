//! The calendar's routines: each week resets prospecting budgets and hands out
//! recurring admin; each morning starts the day's meetings and tops up pull queues.

use super::sim::{Event, Sim};
use super::work::WorkRef;
use crate::scenario::{Activity, Routing, SourceKind};

impl Sim<'_> {
    pub(super) fn on_week_start(&mut self, week: u64) {
        let s = self.s;
        let next = s.calendar.start_of_week(week + 1);
        if next < s.horizon_hours {
            self.queue
                .schedule(next, Event::WeekStart { week: week + 1 });
        }
        let open = self.open_leads() as f64;
        if let Some(slot) = self.stats.weekly_open_leads.get_mut(week as usize) {
            *slot = open;
        }
        for role in 0..s.roles.len() {
            if let Some(source) = self.prospecting_source[role]
                && let SourceKind::Prospecting {
                    max_hours_per_week, ..
                } = s.lead_sources[source].kind
            {
                for p in self.role_people[role].clone() {
                    self.people[p as usize].prospecting_budget_hours = max_hours_per_week;
                }
            }
        }
        let kind = s.kind_admin();
        for (role, r) in s.roles.iter().enumerate() {
            let mut hours = r.admin_hours_per_week;
            if s.admin.role == Some(role) {
                hours += s.admin.weekly_hours_per_person;
            }
            if hours > 0.0 {
                for p in self.role_people[role].clone() {
                    self.submit(
                        kind,
                        role,
                        Activity::Admin,
                        WorkRef::Admin,
                        hours,
                        Routing::Owner,
                        Some(p),
                    );
                }
            }
        }
        if self.prospecting_source.iter().any(Option::is_some) {
            for p in 0..self.people.len() as u32 {
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
        self.start_meetings_of_day(day);
        for role in 0..s.roles.len() {
            if !self.pull_sources[role].is_empty() {
                self.top_up(role);
            }
        }
    }
}
