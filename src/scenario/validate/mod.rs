//! Turns a `RawScenario` into a validated `Scenario`, collecting every problem with the
//! dotted key it concerns. Line and column are added by the caller, which has the text.

mod funnel;
mod names;
mod offices;
mod roles;
mod segments;
mod settings;
mod sources;

use funnel::{check_step_names, validate_funnel, validate_service};
use names::check_names;
use roles::validate_roles;
use sources::validate_sources;

use super::dist::Distribution;
use super::error::{Problem, did_you_mean};
use super::raw::*;
use super::spec::{self, BUILTIN_KINDS, KindId, RoleId, Scenario, Warmup};

/// Upper bound that keeps a typo from asking for a run that can never finish.
pub(super) const MAX_HEADCOUNT: u32 = 100_000;

/// Upper bound on the people of all roles together: each person is simulated, so
/// 200 roles of 100,000 would exhaust memory rather than run.
pub(super) const MAX_TOTAL_PEOPLE: u64 = 100_000;

/// Upper bound on any annual cost (per person, manager or office): far above any
/// salary, far below where sums over people and years overflow to infinity.
pub(super) const MAX_ANNUAL_COST: f64 = 1e9;

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

    /// A yearly amount of money: not negative, at most [`MAX_ANNUAL_COST`].
    fn annual_cost(&mut self, key: &str, v: f64) -> f64 {
        let v = self.non_negative(key, v);
        if v.is_finite() && v > MAX_ANNUAL_COST {
            self.error(
                key,
                format!("must be at most {MAX_ANNUAL_COST:e} a year (got {v:e}); costs are per year, in one currency unit"),
            );
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
///
/// Problems are reported in the order of the checks below, which is the order users
/// see them in; the staffing check runs only on an otherwise valid scenario, since it
/// reads resolved role ids.
pub fn validate(raw: &RawScenario, default_name: &str) -> Result<Scenario, Vec<Problem>> {
    let mut c = Checker::default();
    let calendar = settings::calendar(&mut c, &raw.calendar);
    let (horizon_weeks, warmup_weeks) = settings::horizon_weeks(&mut c, raw);

    let role_names: Vec<String> = raw.roles.keys().cloned().collect();
    let mut kinds: Vec<String> = raw.funnel.iter().map(|s| s.name.clone()).collect();
    kinds.extend(BUILTIN_KINDS.iter().map(|s| s.to_string()));
    check_names(&mut c, raw);
    check_step_names(&mut c, raw);

    let mut funnel = validate_funnel(&mut c, raw, &role_names);
    offices::same_person_as(&mut c, raw, &mut funnel);
    let offices = offices::validate_offices(&mut c, raw);
    let office_names: Vec<String> = raw.offices.keys().cloned().collect();
    let segments = segments::validate_segments(&mut c, raw, &funnel, &role_names);
    segments::check_sources_reach_first_step(&mut c, raw, &funnel, &segments, &role_names);
    let roles = validate_roles(&mut c, raw, &role_names, &kinds);
    roles::check_total_people(&mut c, raw);
    let mut lead_sources = validate_sources(&mut c, raw, &role_names, &funnel);
    offices::source_office_shares(&mut c, raw, &roles, &mut lead_sources, &office_names);
    let service_office_shares =
        offices::service_office_shares(&roles, &lead_sources, office_names.len());
    let service = raw
        .service
        .as_ref()
        .map(|s| validate_service(&mut c, s, &role_names, calendar.hours_per_week()));
    let admin = settings::admin(&mut c, raw.admin.as_ref(), &role_names);
    check_parts_present(&mut c, raw);
    let shelf_life_hours = settings::shelf_life_hours(&mut c, &raw.leads, calendar);
    let handoff = settings::handoff(&mut c, &raw.handoff);
    let deal_value = settings::deal_value(&mut c, &raw.deals);
    let costs = settings::costs(&mut c, &raw.costs);
    let targets = settings::targets(&mut c, &raw.targets);

    let scenario = Scenario {
        name: raw.name.clone().unwrap_or_else(|| default_name.to_string()),
        calendar,
        horizon_hours: calendar.weeks_to_hours(horizon_weeks),
        warmup_hours: calendar.weeks_to_hours(warmup_weeks.unwrap_or(0.0)),
        warmup: match warmup_weeks {
            Some(_) => Warmup::Fixed,
            None => Warmup::Auto,
        },
        warmup_found: None,
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
        offices,
        service_office_shares,
        segments,
        initial_pipeline: Vec::new(),
        initial_pipeline_file: None,
        new_leads: true,
        new_work_window: Vec::new(),
        handover: None,
        timeline: Vec::new(),
    };
    if c.problems.is_empty() {
        check_staffed(&mut c, &scenario);
        offices::check_office_staffing(&mut c, &scenario);
    }
    if c.problems.is_empty() {
        Ok(scenario)
    } else {
        Err(c.problems)
    }
}

/// A scenario needs roles, and lead sources and a funnel go together: either without
/// the other simulates nothing.
fn check_parts_present(c: &mut Checker, raw: &RawScenario) {
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
    needs.extend(segments::staffing_needs(s));
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
