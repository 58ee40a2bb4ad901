//! Validation of the roles: priorities, interruptions, booking, travel, clustering.

use super::Checker;
use super::funnel::scale;
use super::{MAX_HEADCOUNT, MAX_TOTAL_PEOPLE};
use crate::scenario::dist::Distribution;
use crate::scenario::raw::*;
use crate::scenario::spec;

/// The headcounts of all roles together must stay under [`MAX_TOTAL_PEOPLE`].
pub(super) fn check_total_people(c: &mut Checker, raw: &RawScenario) {
    let total: u64 = raw
        .roles
        .values()
        .map(|r| u64::from(r.headcount.total()))
        .sum();
    if total > MAX_TOTAL_PEOPLE {
        c.error(
            "roles",
            format!(
                "the roles have {total} people in all; at most {MAX_TOTAL_PEOPLE} can be simulated: lower some roles.NAME.headcount"
            ),
        );
    }
}

pub(super) fn validate_roles(
    c: &mut Checker,
    raw: &RawScenario,
    roles: &[String],
    kinds: &[String],
) -> Vec<spec::Role> {
    let offices: Vec<String> = raw.offices.keys().cloned().collect();
    raw.roles
        .iter()
        .map(|(name, r)| {
            let key = format!("roles.{name}");
            let headcount = r.headcount.total();
            if headcount > MAX_HEADCOUNT {
                c.error(format!("{key}.headcount"), format!("must be at most {MAX_HEADCOUNT} (got {headcount})"));
            }
            let office_headcount = super::offices::office_headcount(c, &format!("{key}.headcount"), &r.headcount, &offices);
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
                headcount,
                annual_cost: c.annual_cost(&format!("{key}.annual_cost"), r.annual_cost),
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
                office_headcount,
                people: r.people.as_ref().map(|p| people(c, &key, p)),
            }
        })
        .collect()
}

/// The most quits a seat may see in a year: one a week. Beyond it a seat is empty or
/// new most of the time, and a rate such as 1e300 would make every quit fall at the
/// same instant, so a trial would never move on.
const MAX_ATTRITION_PER_YEAR: f64 = 52.0;

/// `attrition_per_year`: not negative, and at most [`MAX_ATTRITION_PER_YEAR`].
fn attrition(c: &mut Checker, key: &str, rate: f64) -> f64 {
    let key = format!("{key}.attrition_per_year");
    if rate.is_finite() && rate > MAX_ATTRITION_PER_YEAR {
        c.error(
            key,
            format!(
                "must be at most {MAX_ATTRITION_PER_YEAR} (a quit per seat a week; got {rate}): at such a rate nobody stays long enough to work"
            ),
        );
        return rate;
    }
    c.non_negative(&key, rate)
}

/// `[roles.NAME.people]`: rates and delays not negative, a ramp's start in (0, 1].
fn people(c: &mut Checker, key: &str, p: &crate::scenario::raw::RawPeople) -> spec::People {
    let key = format!("{key}.people");
    let ramp = p.ramp.map(|r| {
        let weeks = c.non_negative(&format!("{key}.ramp.weeks"), r.weeks);
        if r.start.is_finite() && !(r.start > 0.0 && r.start <= 1.0) {
            c.error(
                format!("{key}.ramp.start"),
                format!("must be above 0 and at most 1 (got {})", r.start),
            );
        } else {
            c.finite(&format!("{key}.ramp.start"), r.start);
        }
        spec::Ramp {
            weeks,
            start: r.start,
        }
    });
    spec::People {
        attrition_per_year: attrition(c, &key, p.attrition_per_year),
        hiring_delay_weeks: c
            .non_negative(&format!("{key}.hiring_delay_weeks"), p.hiring_delay_weeks),
        ramp,
    }
}
