//! Validation of the offices: `[offices.NAME]` tables, headcounts per office, the office
//! shares of lead sources (and the service requests that follow them), and the
//! continuity key `same_person_as`.

use std::collections::BTreeMap;

use super::Checker;
use super::names::{identifier_problem, quoted};
use crate::scenario::error::did_you_mean;
use crate::scenario::raw::*;
use crate::scenario::raw_offices::RawHeadcount;
use crate::scenario::spec;

/// Shares that sum to 1 within this are taken as summing to 1.
const SHARE_TOLERANCE: f64 = 1e-6;

/// The offices, in name order. Listing offices replaces `costs.offices` and
/// `costs.office_annual_cost`, so giving both is an error naming the keys.
pub(super) fn validate_offices(c: &mut Checker, raw: &RawScenario) -> Vec<spec::Office> {
    if !raw.offices.is_empty() {
        for (field, given) in [
            ("offices", raw.costs.offices.is_some()),
            ("office_annual_cost", raw.costs.office_annual_cost.is_some()),
        ] {
            if given {
                c.error(
                    format!("costs.{field}"),
                    "cannot be given with [offices.NAME] tables: listing offices replaces costs.offices and costs.office_annual_cost (give each office its annual_cost)",
                );
            }
        }
    }
    raw.offices
        .iter()
        .map(|(name, o)| {
            let key = office_key(name);
            if let Some(problem) = identifier_problem(name) {
                c.error(key.clone(), format!("office name: {problem}"));
            }
            spec::Office {
                name: name.clone(),
                annual_cost: c.annual_cost(&format!("{key}.annual_cost"), o.annual_cost),
                travel_hours: o
                    .travel_hours
                    .as_ref()
                    .map(|d| c.dist(&format!("{key}.travel_hours"), d)),
            }
        })
        .collect()
}

fn office_key(name: &str) -> String {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        format!("offices.{name}")
    } else {
        format!("offices.{}", quoted(name))
    }
}

/// The office of `name` among `offices`, or an error at `key` naming the known ones.
fn office_index(c: &mut Checker, key: &str, name: &str, offices: &[String]) -> Option<usize> {
    let found = offices.iter().position(|o| o == name);
    if found.is_none() {
        let hint = did_you_mean(name, offices.iter().map(String::as_str))
            .map(|s| format!(" (did you mean \"{s}\"?)"))
            .unwrap_or_default();
        let known = if offices.is_empty() {
            "no offices are defined: add [offices.NAME] tables, or give a plain number".to_string()
        } else {
            format!("defined offices: {}", offices.join(", "))
        };
        c.error(
            key,
            format!("unknown office {}{hint}; {known}", quoted(name)),
        );
    }
    found
}

/// A role's people per office (`None` for a plain number: a central role). Offices the
/// table leaves out have nobody of the role.
pub(super) fn office_headcount(
    c: &mut Checker,
    key: &str,
    headcount: &RawHeadcount,
    offices: &[String],
) -> Option<Vec<u32>> {
    let RawHeadcount::PerOffice(map) = headcount else {
        return None;
    };
    let mut per_office = vec![0u32; offices.len()];
    for (name, &n) in map {
        if let Some(i) = office_index(c, &format!("{key}.{name}"), name, offices) {
            per_office[i] = n;
        }
    }
    if map.is_empty() {
        c.error(
            key,
            "an empty table gives the role nobody: give people per office ({ north = 4 }) or a plain number",
        );
    }
    Some(per_office)
}

/// Shares per office from a written table: known offices, not negative, summing to 1.
fn written_shares(
    c: &mut Checker,
    key: &str,
    map: &BTreeMap<String, f64>,
    offices: &[String],
) -> Vec<f64> {
    let mut shares = vec![0.0; offices.len()];
    for (name, &share) in map {
        let share_key = format!("{key}.{name}");
        if let Some(i) = office_index(c, &share_key, name, offices) {
            shares[i] = c.probability(&share_key, share);
        }
    }
    let total: f64 = map.values().sum();
    if total.is_finite() && (total - 1.0).abs() > SHARE_TOLERANCE {
        c.error(key, format!("shares must sum to 1 (they sum to {total})"));
    }
    shares
}

/// Shares in proportion to `weights`; equal shares when they are all zero.
fn proportional(weights: &[u32]) -> Vec<f64> {
    let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    if total == 0 {
        return vec![1.0 / weights.len() as f64; weights.len()];
    }
    weights
        .iter()
        .map(|&w| f64::from(w) / total as f64)
        .collect()
}

/// People per office of every role with people per office, together.
fn people_per_office(roles: &[spec::Role], offices: usize) -> Vec<u32> {
    let mut people = vec![0u32; offices];
    for per_office in roles.iter().filter_map(|r| r.office_headcount.as_ref()) {
        for (p, n) in people.iter_mut().zip(per_office) {
            *p = p.saturating_add(*n);
        }
    }
    people
}

/// Sets each lead source's office shares: as written, or by the headcount of its
/// `to_role` per office (by all per-office people when `to_role` is central). A
/// prospecting role with people per office finds leads in its own office.
pub(super) fn source_office_shares(
    c: &mut Checker,
    raw: &RawScenario,
    roles: &[spec::Role],
    sources: &mut [spec::LeadSource],
    offices: &[String],
) {
    for (i, (rs, src)) in raw.lead_sources.iter().zip(sources.iter_mut()).enumerate() {
        let key = format!("lead_sources.{i}.office_shares");
        if offices.is_empty() {
            if rs.office_shares.is_some() {
                c.error(
                    key,
                    "needs [offices.NAME] tables: the scenario has no offices",
                );
            }
            continue;
        }
        let found_in_office = match src.kind {
            spec::SourceKind::Prospecting { role, .. } => roles
                .get(role)
                .is_some_and(|r| r.office_headcount.is_some()),
            spec::SourceKind::Inbound { .. } => false,
        };
        if found_in_office {
            if rs.office_shares.is_some() {
                c.error(
                    key,
                    "does not apply: the prospecting role has people per office, and a prospected lead arises in its finder's office",
                );
            }
            continue;
        }
        src.office_shares = match &rs.office_shares {
            Some(map) => written_shares(c, &key, map, offices),
            None => match roles
                .get(src.to_role)
                .and_then(|r| r.office_headcount.as_ref())
            {
                Some(per_office) => proportional(per_office),
                None => proportional(&people_per_office(roles, offices.len())),
            },
        };
    }
}

/// Service requests come from accounts, which arise where leads arise: their office
/// shares are the inbound sources' shares weighted by rate (by all per-office people
/// without inbound leads).
pub(super) fn service_office_shares(
    roles: &[spec::Role],
    sources: &[spec::LeadSource],
    offices: usize,
) -> Vec<f64> {
    if offices == 0 {
        return Vec::new();
    }
    let mut shares = vec![0.0; offices];
    let mut total = 0.0;
    for src in sources {
        if let spec::SourceKind::Inbound { rate_per_hour, .. } = src.kind
            && src.office_shares.len() == offices
        {
            for (s, w) in shares.iter_mut().zip(&src.office_shares) {
                *s += rate_per_hour * w;
            }
            total += rate_per_hour;
        }
    }
    if total > 0.0 && total.is_finite() {
        shares.iter_mut().for_each(|s| *s /= total);
        shares
    } else {
        proportional(&people_per_office(roles, offices))
    }
}

/// Work stays in the office where it arises, so a role with people per office needs
/// someone in every office where its work arises: lead work (funnel steps, bookings,
/// per-event admin) wherever leads arise, service work wherever service requests do.
pub(super) fn check_office_staffing(c: &mut Checker, s: &spec::Scenario) {
    if !s.has_offices() {
        return;
    }
    let mut lead_offices = vec![false; s.offices.len()];
    for src in &s.lead_sources {
        for (o, &share) in src.office_shares.iter().enumerate() {
            lead_offices[o] |= share > 0.0;
        }
        if let spec::SourceKind::Prospecting { role, .. } = src.kind
            && let Some(per_office) = &s.roles[role].office_headcount
        {
            for (o, &n) in per_office.iter().enumerate() {
                lead_offices[o] |= n > 0;
            }
        }
    }
    let service_offices: Vec<bool> = s.service_office_shares.iter().map(|&x| x > 0.0).collect();
    let mut needs: Vec<(spec::RoleId, &[bool], String)> = Vec::new();
    for (i, src) in s.lead_sources.iter().enumerate() {
        needs.push((
            src.to_role,
            &lead_offices,
            format!("lead_sources.{i}.to_role"),
        ));
    }
    for (i, step) in s.funnel.iter().enumerate() {
        for v in &step.variants {
            needs.push((v.role, &lead_offices, format!("funnel.{i}")));
            if step.kind == spec::StepKind::Meeting {
                needs.push((
                    s.roles[v.role].booking_role,
                    &lead_offices,
                    format!("funnel.{i}"),
                ));
            }
        }
    }
    if let Some(r) = s.admin.role {
        needs.push((r, &lead_offices, "admin.role".into()));
    }
    if let Some(service) = s.service.as_ref().filter(|x| x.rate_per_hour > 0.0) {
        for v in &service.variants {
            needs.push((v.role, &service_offices, "service".into()));
        }
        if let Some(e) = &service.escalation {
            needs.push((e.role, &service_offices, "service.escalation".into()));
        }
    }
    for (role, offices, by) in needs {
        let Some(per_office) = &s.roles[role].office_headcount else {
            continue;
        };
        let name = &s.roles[role].name;
        if let Some(o) =
            (0..per_office.len()).find(|&o| per_office[o] == 0 && offices.get(o) == Some(&true))
        {
            c.error(
                format!("roles.{name}.headcount"),
                format!(
                    "office \"{}\" has nobody of role \"{name}\", but work for it arises there (by {by}) and stays in its office: give the office people, give the role a plain headcount (central), or give the office no leads (office_shares)",
                    s.offices[o].name
                ),
            );
            return;
        }
    }
}

/// `same_person_as` names an earlier step, of a role this step can be done by.
pub(super) fn same_person_as(c: &mut Checker, raw: &RawScenario, funnel: &mut [spec::Step]) {
    let names: Vec<&str> = raw.funnel.iter().map(|s| s.name.as_str()).collect();
    for (i, step) in raw.funnel.iter().enumerate() {
        let Some(other) = &step.same_person_as else {
            continue;
        };
        let key = format!("funnel.{i}.same_person_as");
        let Some(j) = names.iter().position(|n| n == other) else {
            let hint = did_you_mean(other, names.iter().copied())
                .map(|s| format!(" (did you mean \"{s}\"?)"))
                .unwrap_or_default();
            c.error(
                key,
                format!(
                    "unknown step {}{hint}; steps: {}",
                    quoted(other),
                    names.join(", ")
                ),
            );
            continue;
        };
        if j >= i {
            c.error(
                key,
                format!(
                    "must name an earlier step (\"{other}\" comes at or after \"{}\")",
                    step.name
                ),
            );
            continue;
        }
        if i >= funnel.len() || j >= funnel.len() {
            continue;
        }
        let shares_a_role = funnel[i]
            .variants
            .iter()
            .any(|v| funnel[j].variants.iter().any(|w| w.role == v.role));
        if !shares_a_role {
            c.error(
                key,
                format!(
                    "step \"{other}\" is done by another role, so its person can never do \"{}\"",
                    step.name
                ),
            );
            continue;
        }
        funnel[i].same_person_as = Some(j);
    }
}
