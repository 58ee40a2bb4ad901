//! Validation of the scenario-wide settings: calendar, horizon, leads, admin, handoff,
//! deals, costs and targets.

use super::Checker;
use crate::engine::WorkCalendar;
use crate::scenario::dist::Distribution;
use crate::scenario::raw::*;
use crate::scenario::spec;

/// Upper bound that keeps a typo from asking for a run that can never finish.
const MAX_HORIZON_WEEKS: f64 = 52_000.0;

/// Fewest working hours in a day: below this, a typo such as `1e-12` would turn every
/// week into an instant and every duration into years.
const MIN_HOURS_PER_DAY: f64 = 0.5;

pub(super) fn calendar(c: &mut Checker, raw: &RawCalendar) -> WorkCalendar {
    let calendar = WorkCalendar {
        hours_per_day: c.positive("calendar.hours_per_day", raw.hours_per_day),
        days_per_week: c.positive("calendar.days_per_week", raw.days_per_week),
    };
    let hours = calendar.hours_per_day;
    if hours > 24.0 {
        c.error(
            "calendar.hours_per_day",
            format!("must be at most 24 (got {hours})"),
        );
    } else if hours > 0.0 && hours < MIN_HOURS_PER_DAY {
        c.error(
            "calendar.hours_per_day",
            format!("must be at least {MIN_HOURS_PER_DAY} working hours (got {hours})"),
        );
    }
    let days = calendar.days_per_week;
    if days.is_finite() && days > 0.0 && (days.fract() != 0.0 || days > 7.0) {
        c.error(
            "calendar.days_per_week",
            format!("must be a whole number of days from 1 to 7 (got {days})"),
        );
    }
    calendar
}

/// The horizon and warm-up, in weeks; the warm-up is `None` for `"auto"`.
pub(super) fn horizon_weeks(c: &mut Checker, raw: &RawScenario) -> (f64, Option<f64>) {
    let horizon_weeks = c.positive("horizon_weeks", raw.horizon_weeks);
    if horizon_weeks > MAX_HORIZON_WEEKS {
        c.error(
            "horizon_weeks",
            format!("must be at most {MAX_HORIZON_WEEKS} (got {horizon_weeks})"),
        );
    }
    let warmup_weeks = match &raw.warmup_weeks {
        RawWarmup::Weeks(weeks) => c.non_negative("warmup_weeks", *weeks),
        RawWarmup::Word(word) if word == "auto" => return (horizon_weeks, None),
        RawWarmup::Word(word) => {
            c.error(
                "warmup_weeks",
                format!("must be a number of weeks or \"auto\" (got \"{word}\")"),
            );
            return (horizon_weeks, None);
        }
    };
    // A non-finite warm-up is already reported; "inf >= 52" would only repeat it.
    if warmup_weeks.is_finite() && warmup_weeks >= horizon_weeks && horizon_weeks > 0.0 {
        c.error(
            "warmup_weeks",
            format!("must be shorter than horizon_weeks ({warmup_weeks} >= {horizon_weeks})"),
        );
    }
    (horizon_weeks, Some(warmup_weeks))
}

pub(super) fn admin(c: &mut Checker, raw: Option<&RawAdmin>, roles: &[String]) -> spec::Admin {
    let Some(a) = raw else {
        return spec::Admin::default();
    };
    let admin = spec::Admin {
        role: a.role.as_ref().map(|r| c.role("admin.role", r, roles)),
        per_win_hours: c.non_negative("admin.per_win_hours", a.per_win_hours),
        per_meeting_hours: c.non_negative("admin.per_meeting_hours", a.per_meeting_hours),
        weekly_hours_per_person: c
            .non_negative("admin.weekly_hours_per_person", a.weekly_hours_per_person),
    };
    if a.role.is_none() && a.weekly_hours_per_person > 0.0 {
        c.error(
            "admin.weekly_hours_per_person",
            "needs admin.role (whose people do the weekly admin); or use roles.NAME.admin_hours_per_week",
        );
    }
    admin
}

pub(super) fn shelf_life_hours(
    c: &mut Checker,
    raw: &RawLeads,
    calendar: WorkCalendar,
) -> Option<f64> {
    raw.shelf_life_days
        .map(|d| calendar.days_to_hours(c.positive("leads.shelf_life_days", d)))
}

pub(super) fn handoff(c: &mut Checker, raw: &RawHandoff) -> spec::Handoff {
    spec::Handoff {
        time_hours: c.non_negative("handoff.time_minutes", raw.time_minutes) / 60.0,
        win_loss: c.probability("handoff.win_loss", raw.win_loss),
    }
}

/// A scenario without deal values has deals worth nothing, not an error.
pub(super) fn deal_value(c: &mut Checker, raw: &RawDeals) -> Distribution {
    raw.value
        .as_ref()
        .map(|d| c.dist("deals.value", d))
        .unwrap_or(Distribution::constant(0.0))
}

pub(super) fn costs(c: &mut Checker, raw: &RawCosts) -> spec::Costs {
    let costs = spec::Costs {
        span_of_control: raw.span_of_control,
        manager_annual_cost: c.annual_cost("costs.manager_annual_cost", raw.manager_annual_cost),
        offices: raw.offices.unwrap_or(0),
        office_annual_cost: c.annual_cost(
            "costs.office_annual_cost",
            raw.office_annual_cost.unwrap_or(0.0),
        ),
    };
    // Above the first line, each layer of managers is reported to by ceil(layer / span)
    // more: a span of 1 would add a manager above every manager for ever.
    if costs.span_of_control < 2 {
        c.error(
            "costs.span_of_control",
            format!(
                "must be at least 2 (got {}): it is how many managers report to each manager above the first line",
                costs.span_of_control
            ),
        );
    }
    costs
}

pub(super) fn targets(c: &mut Checker, raw: &RawTargets) -> spec::Targets {
    spec::Targets {
        quote_lead_time_hours: c
            .positive("targets.quote_lead_time_hours", raw.quote_lead_time_hours),
        service_response_hours: c
            .positive("targets.service_response_hours", raw.service_response_hours),
        meetings_per_seller_week: c.non_negative(
            "targets.meetings_per_seller_week",
            raw.meetings_per_seller_week,
        ),
        max_utilization: c.positive("targets.max_utilization", raw.max_utilization),
    }
}
