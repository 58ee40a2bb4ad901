//! Validation of the lead sources: inbound and prospecting, release and assignment.

use super::Checker;
use crate::scenario::raw::*;
use crate::scenario::spec;

pub(super) fn validate_sources(
    c: &mut Checker,
    raw: &RawScenario,
    roles: &[String],
    funnel: &[spec::Step],
) -> Vec<spec::LeadSource> {
    let hours_per_week = raw.calendar.hours_per_day * raw.calendar.days_per_week;
    // Leads go to the first step's first variant unless a source says otherwise.
    let first = funnel.first().and_then(|s| s.variants.first());
    let default_assign = if first.map(|v| v.routing) == Some(Routing::Pool) {
        Assign::Pool
    } else {
        Assign::Territory
    };
    raw.lead_sources
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let key = format!("lead_sources.{i}");
            let to_role = match &s.to_role {
                Some(r) => c.role(&format!("{key}.to_role"), r, roles),
                None => first.map_or(0, |v| v.role),
            };
            let kind = match s.kind {
                SourceKind::Inbound => inbound(c, &key, s, hours_per_week),
                SourceKind::Prospecting => prospecting(c, &key, s, roles),
            };
            spec::LeadSource {
                kind,
                release: s.release,
                assign: s.assign.unwrap_or(default_assign),
                to_role,
                queue_target: queue_target(c, &key, s),
                office_shares: Vec::new(),
            }
        })
        .collect()
}

fn inbound(c: &mut Checker, key: &str, s: &RawLeadSource, hours_per_week: f64) -> spec::SourceKind {
    let prospecting_only = [
        ("max_hours_per_week", s.max_hours_per_week.is_some()),
        ("leads_per_hour", s.leads_per_hour.is_some()),
        ("role", s.role.is_some()),
    ];
    for (field, present) in prospecting_only {
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

fn prospecting(
    c: &mut Checker,
    key: &str,
    s: &RawLeadSource,
    roles: &[String],
) -> spec::SourceKind {
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
        max_hours_per_week: c.non_negative(&format!("{key}.max_hours_per_week"), max_hours),
        leads_per_hour: c.non_negative(&format!("{key}.leads_per_hour"), leads_per_hour),
    }
}

/// How many leads a pull source keeps waiting; it means nothing for push release.
fn queue_target(c: &mut Checker, key: &str, s: &RawLeadSource) -> u32 {
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
    queue_target
}
