//! Validation of the funnel steps, their variants, and the service requests (which
//! share the variant vocabulary).

use super::Checker;
use crate::scenario::dist::Distribution;
use crate::scenario::raw::*;
use crate::scenario::spec::{self, Activity, BUILTIN_KINDS};

pub(super) fn check_step_names(c: &mut Checker, raw: &RawScenario) {
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

pub(super) fn validate_variants(
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

pub(super) fn validate_funnel(
    c: &mut Checker,
    raw: &RawScenario,
    roles: &[String],
) -> Vec<spec::Step> {
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
                same_person_as: None,
                attempts: super::segments::attempts(c, &key, s, hours_per_day),
            }
        })
        .collect()
}

/// A distribution in other units (days, minutes) expressed in hours.
pub(super) fn scale(d: Distribution, factor: f64) -> Distribution {
    d.scaled(factor)
}

pub(super) fn validate_service(
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
