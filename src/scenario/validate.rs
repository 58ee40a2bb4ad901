//! Turns a `RawScenario` into a validated `Scenario`, collecting every problem with the
//! dotted key it concerns. Line and column are added by the caller, which has the text.

use super::dist::Distribution;
use super::error::{Problem, did_you_mean};
use super::raw::*;
use super::spec::{self, Activity, BUILTIN_KINDS, KindId, RoleId, Scenario};
use crate::engine::WorkCalendar;

/// Upper bounds that keep a typo from asking for a run that can never finish.
const MAX_HORIZON_WEEKS: f64 = 52_000.0;
const MAX_HEADCOUNT: u32 = 100_000;

#[derive(Default)]
struct Checker {
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

fn check_step_names(c: &mut Checker, raw: &RawScenario) {
    for (i, step) in raw.funnel.iter().enumerate() {
        let key = format!("funnel.{i}.name");
        if step.name.trim().is_empty() {
            c.error(&key, "must not be empty");
        } else if BUILTIN_KINDS.contains(&step.name.as_str()) {
            c.error(
                &key,
                format!(
                    "\"{}\" is a built-in kind of work; choose another step name",
                    step.name
                ),
            );
        } else if raw.funnel[..i].iter().any(|s| s.name == step.name) {
            c.error(&key, format!("duplicate step name \"{}\"", step.name));
        }
    }
}

fn validate_variants(
    c: &mut Checker,
    key: &str,
    role: Option<&String>,
    routing: Option<Routing>,
    duration: Option<&RawDist>,
    raw_variants: &[RawVariant],
    roles: &[String],
) -> Vec<spec::Variant> {
    let routing = routing.unwrap_or_default();
    if raw_variants.is_empty() {
        let role = match role {
            Some(r) => c.role(&format!("{key}.role"), r, roles),
            None => {
                c.error(
                    format!("{key}.role"),
                    "is required (the role that does this work), or give `variants`",
                );
                0
            }
        };
        let duration = match duration {
            Some(d) => c.dist(&format!("{key}.duration"), d),
            None => {
                c.error(
                    format!("{key}.duration"),
                    "is required, e.g. duration = { dist = \"exponential\", mean = 1.0 }",
                );
                Distribution::constant(0.0)
            }
        };
        return vec![spec::Variant {
            name: String::new(),
            share: 1.0,
            role,
            routing,
            duration,
        }];
    }
    let mut total = 0.0;
    let variants: Vec<spec::Variant> = raw_variants
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let vkey = format!("{key}.variants.{i}");
            let share = c.probability(&format!("{vkey}.share"), v.share);
            total += share;
            let role = match v.role.as_ref().or(role) {
                Some(r) => c.role(&format!("{vkey}.role"), r, roles),
                None => {
                    c.error(
                        format!("{vkey}.role"),
                        "is required (no role on the variant or its parent)",
                    );
                    0
                }
            };
            let duration = match v.duration.as_ref().or(duration) {
                Some(d) => c.dist(&format!("{vkey}.duration"), d),
                None => {
                    c.error(
                        format!("{vkey}.duration"),
                        "is required (no duration on the variant or its parent)",
                    );
                    Distribution::constant(0.0)
                }
            };
            spec::Variant {
                name: v.name.clone().unwrap_or_else(|| format!("variant{i}")),
                share,
                role,
                routing: v.routing.unwrap_or(routing),
                duration,
            }
        })
        .collect();
    if (total - 1.0).abs() > 1e-6 {
        c.error(
            format!("{key}.variants"),
            format!("shares must sum to 1 (they sum to {total})"),
        );
    }
    variants
}

fn validate_funnel(c: &mut Checker, raw: &RawScenario, roles: &[String]) -> Vec<spec::Step> {
    let quote_steps = raw.funnel.iter().filter(|s| s.quote).count();
    if quote_steps > 1 {
        c.error(
            "funnel",
            format!(
                "at most one step may be the quote step (found {quote_steps} with quote = true)"
            ),
        );
    }
    let hours_per_day = raw.calendar.hours_per_day;
    raw.funnel
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let key = format!("funnel.{i}");
            let variants = validate_variants(
                c,
                &key,
                s.role.as_ref(),
                s.routing,
                s.duration.as_ref(),
                &s.variants,
                roles,
            );
            let notice = s
                .customer_notice_days
                .as_ref()
                .map(|d| c.dist(&format!("{key}.customer_notice_days"), d));
            if s.kind == StepKind::Task {
                if notice.is_some() {
                    c.error(
                        format!("{key}.customer_notice_days"),
                        "applies only to kind = \"meeting\"",
                    );
                }
                if s.reschedule_probability != 0.0 {
                    c.error(
                        format!("{key}.reschedule_probability"),
                        "applies only to kind = \"meeting\"",
                    );
                }
            }
            let reschedule = c.probability(
                &format!("{key}.reschedule_probability"),
                s.reschedule_probability,
            );
            // Above 1 is already reported as not a probability.
            if reschedule == 1.0 {
                c.error(
                    format!("{key}.reschedule_probability"),
                    "must be below 1, or no meeting would ever happen",
                );
            }
            let activity = match s.activity {
                Some(RawActivity::Selling) => Activity::Selling,
                Some(RawActivity::Quoting) => Activity::Quoting,
                Some(RawActivity::Service) => Activity::Service,
                Some(RawActivity::Admin) => Activity::Admin,
                None if s.quote => Activity::Quoting,
                None => Activity::Selling,
            };
            spec::Step {
                name: s.name.clone(),
                kind: s.kind,
                quote: s.quote,
                activity,
                advance: c.probability(&format!("{key}.advance"), s.advance),
                advance_decay_per_day: c.probability(
                    &format!("{key}.advance_decay_per_day"),
                    s.advance_decay_per_day,
                ),
                count: s.count.as_ref().map(|d| c.dist(&format!("{key}.count"), d)),
                variants,
                customer_notice_hours: scale(
                    notice.unwrap_or(Distribution::constant(0.0)),
                    hours_per_day,
                ),
                reschedule_probability: reschedule,
            }
        })
        .collect()
}

/// A distribution in other units (days, minutes) expressed in hours.
fn scale(d: Distribution, factor: f64) -> Distribution {
    d.scaled(factor)
}

fn validate_roles(
    c: &mut Checker,
    raw: &RawScenario,
    roles: &[String],
    kinds: &[String],
) -> Vec<spec::Role> {
    raw.roles
        .iter()
        .map(|(name, r)| {
            let key = format!("roles.{name}");
            if r.headcount > MAX_HEADCOUNT {
                c.error(format!("{key}.headcount"), format!("must be at most {MAX_HEADCOUNT} (got {})", r.headcount));
            }
            let mut level_of_kind = vec![0u8; kinds.len()];
            let mut levels = 1;
            if let Some(priority) = &r.priority {
                let mut seen = vec![false; kinds.len()];
                for (i, kind) in priority.iter().enumerate() {
                    if let Some(k) = c.kind(&format!("{key}.priority"), kind, kinds) {
                        if seen[k] {
                            c.error(format!("{key}.priority"), format!("lists \"{kind}\" twice"));
                        }
                        seen[k] = true;
                        level_of_kind[k] = i.min(250) as u8;
                    }
                }
                levels = priority.len().min(250) + 1;
                for (k, level) in level_of_kind.iter_mut().enumerate() {
                    if !seen[k] {
                        *level = (levels - 1) as u8;
                    }
                }
            }
            let mut interrupted_by = vec![false; kinds.len()];
            for kind in &r.interrupted_by {
                if let Some(k) = c.kind(&format!("{key}.interrupted_by"), kind, kinds) {
                    interrupted_by[k] = true;
                }
            }
            let booking_role = match (&r.booking, &r.booking_role) {
                (_, Some(b)) => c.role(&format!("{key}.booking_role"), b, roles),
                (Booking::Coordinator, None) => match roles.iter().position(|n| n == "coordinator") {
                    Some(i) => i,
                    None => {
                        c.error(
                            format!("{key}.booking"),
                            "\"coordinator\" booking needs booking_role = \"NAME\" or a role named \"coordinator\"",
                        );
                        0
                    }
                },
                (Booking::SelfBooked, None) => roles.iter().position(|n| n == name).unwrap_or(0),
            };
            let clustering = c.probability(&format!("{key}.clustering"), r.clustering);
            if clustering > 0.0 && r.booking == Booking::SelfBooked {
                c.error(format!("{key}.clustering"), "applies only to booking = \"coordinator\" (self-booked meetings are round trips)");
            }
            if r.max_meetings_per_day == 0 {
                c.error(format!("{key}.max_meetings_per_day"), "must be at least 1 (got 0)");
            }
            let span = r.span_of_control.unwrap_or(raw.costs.span_of_control);
            if r.span_of_control == Some(0) {
                c.error(format!("{key}.span_of_control"), "must be at least 1 (got 0)");
            }
            spec::Role {
                name: name.clone(),
                headcount: r.headcount,
                annual_cost: c.non_negative(&format!("{key}.annual_cost"), r.annual_cost),
                level_of_kind,
                levels,
                interrupted_by,
                switch_cost_hours: c.non_negative(&format!("{key}.switch_cost_minutes"), r.switch_cost_minutes) / 60.0,
                assign: r.assign.unwrap_or_default(),
                booking: r.booking,
                booking_role,
                booking_hours: match &r.booking_minutes {
                    Some(d) => scale(c.dist(&format!("{key}.booking_minutes"), d), 1.0 / 60.0),
                    None => Distribution::constant(15.0 / 60.0),
                },
                max_meetings_per_day: r.max_meetings_per_day.max(1),
                travel_hours: r
                    .travel_hours
                    .as_ref()
                    .map(|d| c.dist(&format!("{key}.travel_hours"), d))
                    .unwrap_or(Distribution::constant(0.0)),
                clustering,
                admin_hours_per_week: c.non_negative(&format!("{key}.admin_hours_per_week"), r.admin_hours_per_week),
                span_of_control: span.max(1),
                managers: r.managers,
            }
        })
        .collect()
}

fn validate_sources(
    c: &mut Checker,
    raw: &RawScenario,
    roles: &[String],
    funnel: &[spec::Step],
) -> Vec<spec::LeadSource> {
    let hours_per_week = raw.calendar.hours_per_day * raw.calendar.days_per_week;
    let first_role = funnel
        .first()
        .and_then(|s| s.variants.first())
        .map(|v| v.role);
    let first_routing = funnel
        .first()
        .and_then(|s| s.variants.first())
        .map(|v| v.routing);
    raw.lead_sources
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let key = format!("lead_sources.{i}");
            let to_role = match &s.to_role {
                Some(r) => c.role(&format!("{key}.to_role"), r, roles),
                None => first_role.unwrap_or(0),
            };
            let kind = match s.kind {
                super::raw::SourceKind::Inbound => {
                    for field in ["max_hours_per_week", "leads_per_hour", "role"] {
                        let present = match field {
                            "max_hours_per_week" => s.max_hours_per_week.is_some(),
                            "leads_per_hour" => s.leads_per_hour.is_some(),
                            _ => s.role.is_some(),
                        };
                        if present {
                            c.error(
                                format!("{key}.{field}"),
                                "applies only to kind = \"prospecting\"",
                            );
                        }
                    }
                    let rate = match s.rate_per_week {
                        Some(r) => c.non_negative(&format!("{key}.rate_per_week"), r),
                        None => {
                            c.error(
                                format!("{key}.rate_per_week"),
                                "is required for an inbound source (leads per week)",
                            );
                            0.0
                        }
                    };
                    let seasonality = s.seasonality.clone().unwrap_or_default();
                    for f in &seasonality {
                        c.non_negative(&format!("{key}.seasonality"), *f);
                    }
                    if !seasonality.is_empty() && seasonality.iter().all(|f| *f == 0.0) {
                        c.error(format!("{key}.seasonality"), "must not be all zero");
                    }
                    spec::SourceKind::Inbound {
                        rate_per_hour: rate / hours_per_week,
                        seasonality,
                    }
                }
                super::raw::SourceKind::Prospecting => {
                    if s.rate_per_week.is_some() {
                        c.error(
                            format!("{key}.rate_per_week"),
                            "applies only to kind = \"inbound\"; prospecting yields leads_per_hour",
                        );
                    }
                    let prospector = match &s.role {
                        Some(r) => c.role(&format!("{key}.role"), r, roles),
                        None => {
                            c.error(
                                format!("{key}.role"),
                                "is required for a prospecting source (the role that prospects)",
                            );
                            0
                        }
                    };
                    let max_hours = s.max_hours_per_week.unwrap_or(0.0);
                    let leads_per_hour = s.leads_per_hour.unwrap_or(0.0);
                    if s.max_hours_per_week.is_none() {
                        c.error(
                            format!("{key}.max_hours_per_week"),
                            "is required for a prospecting source",
                        );
                    }
                    if s.leads_per_hour.is_none() {
                        c.error(
                            format!("{key}.leads_per_hour"),
                            "is required for a prospecting source",
                        );
                    }
                    spec::SourceKind::Prospecting {
                        role: prospector,
                        max_hours_per_week: c
                            .non_negative(&format!("{key}.max_hours_per_week"), max_hours),
                        leads_per_hour: c
                            .non_negative(&format!("{key}.leads_per_hour"), leads_per_hour),
                    }
                }
            };
            let default_assign = if first_routing == Some(Routing::Pool) {
                Assign::Pool
            } else {
                Assign::Territory
            };
            let queue_target = s.queue_target.unwrap_or(5);
            if s.release == Release::Pull && queue_target == 0 {
                c.error(
                    format!("{key}.queue_target"),
                    "must be at least 1 for pull release",
                );
            }
            if s.release == Release::Push && s.queue_target.is_some() {
                c.error(
                    format!("{key}.queue_target"),
                    "applies only to release = \"pull\"",
                );
            }
            spec::LeadSource {
                kind,
                release: s.release,
                assign: s.assign.unwrap_or(default_assign),
                to_role,
                queue_target,
            }
        })
        .collect()
}

fn validate_service(
    c: &mut Checker,
    s: &RawService,
    roles: &[String],
    hours_per_week: f64,
) -> spec::Service {
    spec::Service {
        rate_per_hour: c.non_negative("service.rate_per_week", s.rate_per_week) / hours_per_week,
        variants: validate_variants(
            c,
            "service",
            s.role.as_ref(),
            s.routing,
            s.duration.as_ref(),
            &s.variants,
            roles,
        ),
        escalation: s.escalation.as_ref().map(|e| spec::Escalation {
            probability: c.probability("service.escalation.probability", e.probability),
            role: c.role("service.escalation.role", &e.role, roles),
            routing: e.routing.unwrap_or_default(),
            duration: c.dist("service.escalation.duration", &e.duration),
        }),
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
