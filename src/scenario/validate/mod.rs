//! Turns a `RawScenario` into a validated `Scenario`, collecting every problem with the
//! dotted key it concerns. Line and column are added by the caller, which has the text.

mod funnel;
mod roles;
mod sources;

use funnel::{check_step_names, validate_funnel, validate_service};
use roles::validate_roles;
use sources::validate_sources;

use super::dist::Distribution;
use super::error::{Problem, did_you_mean};
use super::raw::*;
use super::spec::{self, BUILTIN_KINDS, KindId, RoleId, Scenario};
use crate::engine::WorkCalendar;

/// Upper bounds that keep a typo from asking for a run that can never finish.
const MAX_HORIZON_WEEKS: f64 = 52_000.0;
pub(super) const MAX_HEADCOUNT: u32 = 100_000;

#[derive(Default)]
pub(super) struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn error(&mut self, key: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            key: key.into(),
            message: message.into(),
            line: None,
            column: None,
        });
    }

    fn finite(&mut self, key: &str, v: f64) -> bool {
        if v.is_finite() {
            true
        } else {
            self.error(key, format!("must be a finite number (got {v})"));
            false
        }
    }

    fn non_negative(&mut self, key: &str, v: f64) -> f64 {
        if self.finite(key, v) && v < 0.0 {
            self.error(key, format!("must not be negative (got {v})"));
        }
        v
    }

    fn positive(&mut self, key: &str, v: f64) -> f64 {
        if self.finite(key, v) && v <= 0.0 {
            self.error(key, format!("must be greater than 0 (got {v})"));
        }
        v
    }

    fn probability(&mut self, key: &str, v: f64) -> f64 {
        if self.finite(key, v) && !(0.0..=1.0).contains(&v) {
            self.error(
                key,
                format!("must be a probability between 0 and 1 (got {v})"),
            );
        }
        v
    }

    fn dist(&mut self, key: &str, raw: &RawDist) -> Distribution {
        match Distribution::from_raw(raw) {
            Ok(d) => d,
            Err((sub, message)) => {
                let key = if sub.is_empty() {
                    key.to_string()
                } else {
                    format!("{key}.{sub}")
                };
                self.error(key, message);
                Distribution::constant(0.0)
            }
        }
    }

    fn role(&mut self, key: &str, name: &str, roles: &[String]) -> RoleId {
        match roles.iter().position(|r| r == name) {
            Some(i) => i,
            None => {
                let hint = did_you_mean(name, roles.iter().map(String::as_str))
                    .map(|s| format!(" (did you mean \"{s}\"?)"))
                    .unwrap_or_default();
                let known = if roles.is_empty() {
                    "no roles are defined: add a [roles.NAME] table".to_string()
                } else {
                    format!("defined roles: {}", roles.join(", "))
                };
                self.error(key, format!("unknown role \"{name}\"{hint}; {known}"));
                0
            }
        }
    }

    fn kind(&mut self, key: &str, name: &str, kinds: &[String]) -> Option<KindId> {
        let found = kinds.iter().position(|k| k == name);
        if found.is_none() {
            let hint = did_you_mean(name, kinds.iter().map(String::as_str))
                .map(|s| format!(" (did you mean \"{s}\"?)"))
                .unwrap_or_default();
            self.error(
                key,
                format!(
                    "unknown kind of work \"{name}\"{hint}; known kinds: {}",
                    kinds.join(", ")
                ),
            );
        }
        found
    }
}

/// Validates `raw`. `default_name` names a scenario that has no `name` key.
pub fn validate(raw: &RawScenario, default_name: &str) -> Result<Scenario, Vec<Problem>> {
    let mut c = Checker::default();
    let calendar = WorkCalendar {
        hours_per_day: c.positive("calendar.hours_per_day", raw.calendar.hours_per_day),
        days_per_week: c.positive("calendar.days_per_week", raw.calendar.days_per_week),
    };
    if calendar.hours_per_day > 24.0 {
        c.error(
            "calendar.hours_per_day",
            format!("must be at most 24 (got {})", calendar.hours_per_day),
        );
    }
    if calendar.days_per_week > 7.0 {
        c.error(
            "calendar.days_per_week",
            format!("must be at most 7 (got {})", calendar.days_per_week),
        );
    }
    let horizon_weeks = c.positive("horizon_weeks", raw.horizon_weeks);
    if horizon_weeks > MAX_HORIZON_WEEKS {
        c.error(
            "horizon_weeks",
            format!("must be at most {MAX_HORIZON_WEEKS} (got {horizon_weeks})"),
        );
    }
    let warmup_weeks = c.non_negative("warmup_weeks", raw.warmup_weeks);
    // A non-finite warm-up is already reported; "inf >= 52" would only repeat it.
    if warmup_weeks.is_finite() && warmup_weeks >= horizon_weeks && horizon_weeks > 0.0 {
        c.error(
            "warmup_weeks",
            format!("must be shorter than horizon_weeks ({warmup_weeks} >= {horizon_weeks})"),
        );
    }

    let role_names: Vec<String> = raw.roles.keys().cloned().collect();
    let mut kinds: Vec<String> = raw.funnel.iter().map(|s| s.name.clone()).collect();
    kinds.extend(BUILTIN_KINDS.iter().map(|s| s.to_string()));
    check_step_names(&mut c, raw);

    let funnel = validate_funnel(&mut c, raw, &role_names);
    let roles = validate_roles(&mut c, raw, &role_names, &kinds);
    let lead_sources = validate_sources(&mut c, raw, &role_names, &funnel);
    let service = raw
        .service
        .as_ref()
        .map(|s| validate_service(&mut c, s, &role_names, calendar.hours_per_week()));
    let admin = raw
        .admin
        .as_ref()
        .map(|a| spec::Admin {
            role: a
                .role
                .as_ref()
                .map(|r| c.role("admin.role", r, &role_names)),
            per_win_hours: c.non_negative("admin.per_win_hours", a.per_win_hours),
            per_meeting_hours: c.non_negative("admin.per_meeting_hours", a.per_meeting_hours),
            weekly_hours_per_person: c
                .non_negative("admin.weekly_hours_per_person", a.weekly_hours_per_person),
        })
        .unwrap_or_default();
    if let Some(a) = &raw.admin
        && a.role.is_none()
        && a.weekly_hours_per_person > 0.0
    {
        c.error(
            "admin.weekly_hours_per_person",
            "needs admin.role (whose people do the weekly admin); or use roles.NAME.admin_hours_per_week",
        );
    }

    if raw.roles.is_empty() {
        c.error(
            "roles",
            "the scenario defines no roles: add a [roles.NAME] table with a headcount",
        );
    }
    if raw.lead_sources.is_empty() && !raw.funnel.is_empty() {
        c.error(
            "lead_sources",
            "the funnel has steps but no lead source feeds it: add a [[lead_sources]] table (kind = \"inbound\" or \"prospecting\")",
        );
    }
    if !raw.lead_sources.is_empty() && raw.funnel.is_empty() {
        c.error(
            "funnel",
            "lead sources are defined but the funnel has no steps: add a [[funnel]] table",
        );
    }
    let shelf_life_hours = raw
        .leads
        .shelf_life_days
        .map(|d| calendar.days_to_hours(c.positive("leads.shelf_life_days", d)));
    let handoff = spec::Handoff {
        time_hours: c.non_negative("handoff.time_minutes", raw.handoff.time_minutes) / 60.0,
        win_loss: c.probability("handoff.win_loss", raw.handoff.win_loss),
    };
    let deal_value = raw
        .deals
        .value
        .as_ref()
        .map(|d| c.dist("deals.value", d))
        .unwrap_or(Distribution::constant(0.0));
    let costs = spec::Costs {
        span_of_control: raw.costs.span_of_control,
        manager_annual_cost: c
            .non_negative("costs.manager_annual_cost", raw.costs.manager_annual_cost),
        offices: raw.costs.offices,
        office_annual_cost: c
            .non_negative("costs.office_annual_cost", raw.costs.office_annual_cost),
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
    let targets = spec::Targets {
        quote_lead_time_hours: c.positive(
            "targets.quote_lead_time_hours",
            raw.targets.quote_lead_time_hours,
        ),
        service_response_hours: c.positive(
            "targets.service_response_hours",
            raw.targets.service_response_hours,
        ),
        meetings_per_seller_week: c.non_negative(
            "targets.meetings_per_seller_week",
            raw.targets.meetings_per_seller_week,
        ),
        max_utilization: c.positive("targets.max_utilization", raw.targets.max_utilization),
    };

    let scenario = Scenario {
        name: raw.name.clone().unwrap_or_else(|| default_name.to_string()),
        calendar,
        horizon_hours: calendar.weeks_to_hours(horizon_weeks),
        warmup_hours: calendar.weeks_to_hours(warmup_weeks),
        roles,
        kinds,
        lead_sources,
        shelf_life_hours,
        funnel,
        handoff,
        deal_value,
        service,
        admin,
        costs,
        targets,
    };
    if c.problems.is_empty() {
        check_staffed(&mut c, &scenario);
    }
    if c.problems.is_empty() {
        Ok(scenario)
    } else {
        Err(c.problems)
    }
}

/// Every role that has work routed to it must have people to do it.
fn check_staffed(c: &mut Checker, s: &Scenario) {
    let mut needs: Vec<(RoleId, String)> = Vec::new();
    for (i, step) in s.funnel.iter().enumerate() {
        for (j, v) in step.variants.iter().enumerate() {
            let key = if step.variants.len() == 1 {
                format!("funnel.{i}.role")
            } else {
                format!("funnel.{i}.variants.{j}.role")
            };
            needs.push((v.role, key));
            if step.kind == StepKind::Meeting {
                needs.push((
                    s.roles[v.role].booking_role,
                    format!("roles.{}.booking_role", s.roles[v.role].name),
                ));
            }
        }
    }
    if let Some(service) = &s.service {
        if service.rate_per_hour > 0.0 {
            for v in &service.variants {
                needs.push((v.role, "service.role".into()));
            }
        }
        if let Some(e) = &service.escalation {
            needs.push((e.role, "service.escalation.role".into()));
        }
    }
    if let Some(r) = s.admin.role {
        needs.push((r, "admin.role".into()));
    }
    for (i, src) in s.lead_sources.iter().enumerate() {
        if let spec::SourceKind::Prospecting { role, .. } = src.kind {
            needs.push((role, format!("lead_sources.{i}.role")));
        }
        if src.release == Release::Pull {
            needs.push((src.to_role, format!("lead_sources.{i}.to_role")));
        }
    }
    for (role, key) in needs {
        if s.roles[role].headcount == 0 {
            c.error(
                format!("roles.{}.headcount", s.roles[role].name),
                format!("must be at least 1: work is routed to this role (by {key}) but it has no people"),
            );
            return;
        }
    }
}
