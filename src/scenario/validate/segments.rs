//! Validation of customer segments, the gross margin, contact attempts, and that every
//! lead source sends its leads to a role that does the funnel's first step.

use super::Checker;
use super::names::{identifier_problem, quoted};
use crate::scenario::raw::*;
use crate::scenario::segments::{Attempts, OTHER_SEGMENT, SHARE_TOLERANCE, Segment, Segments};
use crate::scenario::spec::{self, RoleId};

/// The key of a segment's table, its name quoted when it is not a bare TOML key.
fn segment_key(name: &str) -> String {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        format!("segments.{name}")
    } else {
        format!("segments.{}", quoted(name))
    }
}

/// The segments of `raw` against its validated funnel, with the default margin.
pub(super) fn validate_segments(
    c: &mut Checker,
    raw: &RawScenario,
    funnel: &[spec::Step],
    roles: &[String],
) -> Segments {
    let gross_margin = raw
        .deals
        .gross_margin
        .map(|m| c.probability("deals.gross_margin", m));
    let steps: Vec<&str> = funnel.iter().map(|s| s.name.as_str()).collect();
    let mut list = Vec::new();
    let mut total = 0.0;
    for (name, s) in &raw.segments {
        let key = segment_key(name);
        if let Some(problem) = identifier_problem(name) {
            c.error(&key, format!("segment name: {problem}"));
        } else if name == OTHER_SEGMENT {
            c.error(
                &key,
                "\"other\" is the implicit segment of the leads no named segment takes; choose another name",
            );
        }
        let share = c.probability(&format!("{key}.share"), s.share);
        if share == 0.0 {
            c.error(format!("{key}.share"), "must be greater than 0");
        }
        total += share;
        let mut segment = Segment::other(share, funnel.len());
        segment.name = name.clone();
        segment.deal_value = s
            .deal_value
            .as_ref()
            .map(|d| c.dist(&format!("{key}.deal_value"), d));
        segment.gross_margin = s
            .gross_margin
            .map(|m| c.probability(&format!("{key}.gross_margin"), m));
        for (step, &scale) in &s.advance_scale {
            let k = format!("{key}.advance_scale.{step}");
            let Some(i) = step_index(c, &k, step, &steps) else {
                continue;
            };
            let scale = c.non_negative(&k, scale);
            let p = funnel[i].advance * scale;
            if p > 1.0 {
                c.error(
                    &k,
                    format!(
                        "makes the step's advance probability {} x {scale} = {p}, above 1; at most {}",
                        funnel[i].advance,
                        1.0 / funnel[i].advance
                    ),
                );
            }
            segment.advance_scale[i] = scale;
        }
        for (step, &scale) in &s.duration_scale {
            let k = format!("{key}.duration_scale.{step}");
            if let Some(i) = step_index(c, &k, step, &steps) {
                segment.duration_scale[i] = c.positive(&k, scale);
            }
        }
        for (step, role) in &s.role {
            let k = format!("{key}.role.{step}");
            if let Some(i) = step_index(c, &k, step, &steps) {
                let r = c.role(&k, role, roles);
                if raw
                    .roles
                    .get(role)
                    .is_some_and(|r| r.headcount.total() == 0)
                {
                    c.error(
                        &k,
                        format!("role \"{role}\" has no people (headcount = 0) to do this step"),
                    );
                }
                segment.role[i] = Some(r);
            }
        }
        list.push(segment);
    }
    if total > 1.0 + SHARE_TOLERANCE {
        c.error(
            "segments",
            format!(
                "the segments' shares sum to {total}; at most 1 (the rest is the segment \"other\")"
            ),
        );
    }
    if !list.is_empty() && 1.0 - total > SHARE_TOLERANCE {
        list.push(Segment::other(1.0 - total, funnel.len()));
    }
    Segments { list, gross_margin }
}

fn step_index(c: &mut Checker, key: &str, step: &str, steps: &[&str]) -> Option<usize> {
    let found = steps.iter().position(|s| *s == step);
    if found.is_none() {
        let hint = crate::scenario::did_you_mean(step, steps.iter().copied())
            .map(|s| format!(" (did you mean \"{s}\"?)"))
            .unwrap_or_default();
        c.error(
            key,
            format!(
                "unknown funnel step \"{step}\"{hint}; the steps are: {}",
                steps.join(", ")
            ),
        );
    }
    found
}

/// A task step's contact attempts, in working hours.
pub(super) fn attempts(
    c: &mut Checker,
    key: &str,
    s: &RawStep,
    hours_per_day: f64,
) -> Option<Attempts> {
    let a = s.attempts.as_ref()?;
    let key = format!("{key}.attempts");
    if s.kind == StepKind::Meeting {
        c.error(
            &key,
            "applies only to kind = \"task\" (calls and emails to reach the customer)",
        );
    }
    if s.count.is_some() {
        c.error(
            &key,
            "cannot be combined with `count`: attempts already repeat the step until the customer answers",
        );
    }
    if a.max == 0 {
        c.error(format!("{key}.max"), "must be at least 1");
    } else if a.max > 1000 {
        c.error(
            format!("{key}.max"),
            format!("must be at most 1000 (got {})", a.max),
        );
    }
    let p = c.probability(&format!("{key}.reach_probability"), a.reach_probability);
    if p == 0.0 {
        c.error(
            format!("{key}.reach_probability"),
            "must be greater than 0, or no lead would ever be reached",
        );
    }
    let spacing = c.non_negative(&format!("{key}.spacing_days"), a.spacing_days);
    let minutes = c.non_negative(&format!("{key}.minutes"), a.minutes);
    Some(Attempts {
        max: a.max,
        reach_probability: p,
        spacing_hours: spacing * hours_per_day,
        hours: minutes / 60.0,
    })
}

/// A lead source's `to_role` must do the funnel's first step (in one of its variants,
/// or for a segment): otherwise its leads would get an owner who never works on them,
/// and the setting would be silently ignored.
pub(super) fn check_sources_reach_first_step(
    c: &mut Checker,
    raw: &RawScenario,
    funnel: &[spec::Step],
    segments: &Segments,
    roles: &[String],
) {
    let Some(first) = funnel.first() else {
        return;
    };
    let mut doers: Vec<RoleId> = first.variants.iter().map(|v| v.role).collect();
    doers.extend(
        segments
            .list
            .iter()
            .filter_map(|s| s.role.first().copied().flatten()),
    );
    for (i, src) in raw.lead_sources.iter().enumerate() {
        let Some(name) = &src.to_role else { continue };
        let Some(role) = roles.iter().position(|r| r == name) else {
            continue; // an unknown role is reported by the source checks
        };
        if doers.contains(&role) {
            continue;
        }
        let mut first_roles: Vec<&str> = doers.iter().map(|&r| roles[r].as_str()).collect();
        first_roles.dedup();
        c.error(
            format!("lead_sources.{i}.to_role"),
            format!(
                "role \"{name}\" does not do the funnel's first step \"{}\" (done by {}): its leads would be owned by someone who never works on them; send them to {} or make \"{name}\" do the first step",
                first.name,
                first_roles.join(", "),
                first_roles.first().unwrap_or(&"its role"),
            ),
        );
    }
}

/// The roles that segments send work to, with the key that does it, for the check
/// that every role with work has people.
pub(super) fn staffing_needs(s: &spec::Scenario) -> Vec<(RoleId, String)> {
    let mut needs = Vec::new();
    for seg in &s.segments.list {
        for (i, role) in seg.role.iter().enumerate() {
            let Some(r) = *role else { continue };
            let key = format!("{}.role.{}", segment_key(&seg.name), s.funnel[i].name);
            if s.funnel[i].kind == StepKind::Meeting {
                needs.push((s.roles[r].booking_role, key.clone()));
            }
            needs.push((r, key));
        }
    }
    needs
}
