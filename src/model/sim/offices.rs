//! Offices and continuity in the walk of a lead: the office a new lead arises in, the
//! travel legs of its meetings, and the person a `same_person_as` step goes to.

use rand::RngExt;

use super::Sim;
use crate::model::staff::PersonId;
use crate::model::work::LeadId;
use crate::scenario::{Distribution, OfficeId, RoleId};

impl<'a> Sim<'a> {
    /// The office a new lead of `source` arises in: its finder's, for a prospecting
    /// person of an office; else drawn by the source's office shares. `None` without
    /// offices (and then nothing is drawn, so such scenarios keep their numbers).
    pub(super) fn office_of_new_lead(
        &mut self,
        source: usize,
        finder: Option<PersonId>,
    ) -> Option<OfficeId> {
        if !self.s.has_offices() {
            return None;
        }
        let shares = &self.s.lead_sources[source].office_shares;
        if shares.is_empty() {
            return finder.and_then(|p| self.staff.person(p).office).or(Some(0));
        }
        Some(draw_share(shares, self.rng.offices.random::<f64>()))
    }

    /// The office a new service request arises in (`None` without offices).
    pub(super) fn office_of_service_request(&mut self) -> Option<OfficeId> {
        if !self.s.has_offices() {
            return None;
        }
        let u = self.rng.service_offices.random::<f64>();
        Some(draw_share(&self.s.service_office_shares, u))
    }

    /// The office of a lead.
    #[inline]
    pub(super) fn lead_office(&self, lead: LeadId) -> Option<OfficeId> {
        self.pipeline[lead].office
    }

    /// Each leg to or from a meeting of `lead` held by `role`: the lead's office's
    /// legs where the office gives them, else the role's.
    pub(super) fn travel_legs(&self, lead: LeadId, role: RoleId) -> &'a Distribution {
        let s: &'a crate::scenario::Scenario = self.s;
        self.lead_office(lead)
            .and_then(|o| s.offices.get(o))
            .and_then(|o| o.travel_hours.as_ref())
            .unwrap_or(&s.roles[role].travel_hours)
    }

    /// For a step with `same_person_as`, the person who did that earlier step for the
    /// lead, when he is of `role` (the role the step's variant is routed to) and serves
    /// the lead's office; `None` otherwise (the step's ordinary routing applies).
    pub(super) fn continuity_person(
        &self,
        lead: LeadId,
        step: usize,
        role: RoleId,
    ) -> Option<PersonId> {
        let earlier = self.s.funnel.get(step)?.same_person_as?;
        let l = &self.pipeline[lead];
        let (_, person) = *l.step_person.iter().rev().find(|(s, _)| *s == earlier)?;
        let serves = self.staff.role_of(person) == role
            && self.staff.is_available(person)
            && self.staff.members_in(role, l.office).contains(&person);
        serves.then_some(person)
    }

    /// Remembers that `person` did (a repetition of) `step` for the lead.
    pub(super) fn remember_step_person(&mut self, lead: LeadId, step: usize, person: PersonId) {
        let l = &mut self.pipeline[lead];
        match l.step_person.iter_mut().find(|(s, _)| *s == step) {
            Some(slot) => slot.1 = person,
            None => l.step_person.push((step, person)),
        }
    }
}

/// The index whose cumulative share first exceeds `u` (in [0, 1)); the last positive
/// share takes any rounding remainder.
fn draw_share(shares: &[f64], u: f64) -> OfficeId {
    let mut cumulative = 0.0;
    for (i, &share) in shares.iter().enumerate() {
        cumulative += share;
        if u < cumulative {
            return i;
        }
    }
    shares.iter().rposition(|&s| s > 0.0).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::draw_share;

    #[test]
    fn shares_are_drawn_by_their_cumulative_sums() {
        let shares = [0.5, 0.0, 0.3, 0.2];
        assert_eq!(draw_share(&shares, 0.0), 0);
        assert_eq!(draw_share(&shares, 0.49), 0);
        assert_eq!(draw_share(&shares, 0.5), 2);
        assert_eq!(draw_share(&shares, 0.85), 3);
        assert_eq!(draw_share(&shares, 0.999_999_999), 3);
        assert_eq!(draw_share(&[1.0, 0.0], 1.0), 0);
    }
}
