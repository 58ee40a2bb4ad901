//! The staff: people numbered role by role, what each has in hand, his own queue, and
//! each role's shared pool.
//!
//! Invariant: the people of a role are a contiguous range of ids, in role order, so a
//! role's people are found without a search and `PersonId`s never change in a trial.
//! Within a role with people per office, each office's people are a contiguous range
//! too, in office order, and each office has its own pool.

use std::ops::Range;

use super::meetings::AppointmentId;
use super::work::{LevelQueue, TaskId, TaskSlab};
use crate::scenario::{OfficeId, RoleId, Scenario, SourceKind};

pub type PersonId = u32;

/// The task a person has in hand, since `since`.
#[derive(Debug, Clone, Copy)]
pub struct Running {
    pub task: TaskId,
    pub since: f64,
}

pub struct Person {
    pub role: RoleId,
    pub running: Option<Running>,
    pub prospecting_since: Option<f64>,
    pub away: Option<AppointmentId>,
    pub queue: LevelQueue,
    pub prospecting_budget_hours: f64,
    /// Prospecting hours still needed before the next prospected lead.
    pub prospecting_to_next_lead: f64,
    /// Pulled leads this person holds (for pull release top-ups).
    pub open_leads: u32,
    /// His office; `None` in a central role (or a scenario without offices).
    pub office: Option<OfficeId>,
    /// The pool he takes shared work from: his role's, or his office's of his role.
    pub pool: usize,
}

/// A waiting task and its priority level (0 first).
pub type Waiting = (u8, TaskId);

/// Everyone in the trial, by role, with the pools their roles share.
pub struct Staff {
    people: Vec<Person>,
    role_people: Vec<Range<u32>>,
    /// Per role with people per office, each office's people.
    office_people: Vec<Option<Vec<Range<u32>>>>,
    /// Per role, its first pool (a role with people per office has one per office).
    pool_base: Vec<usize>,
    pools: Vec<LevelQueue>,
    /// Index of the prospecting source of each role, if it has one.
    prospecting_source: Vec<Option<usize>>,
}

impl Staff {
    pub fn new(s: &Scenario) -> Self {
        let mut people = Vec::new();
        let mut role_people = Vec::new();
        let mut office_people = Vec::new();
        let mut pool_base = Vec::new();
        let mut pools = Vec::new();
        for (r, role) in s.roles.iter().enumerate() {
            let first = people.len() as u32;
            pool_base.push(pools.len());
            // A central role is one group with one pool; a role with people per office
            // is one group per office, each with its pool.
            let groups: Vec<(Option<OfficeId>, u32)> = match &role.office_headcount {
                Some(per_office) => per_office
                    .iter()
                    .copied()
                    .enumerate()
                    .map(|(o, n)| (Some(o), n))
                    .collect(),
                None => vec![(None, role.headcount)],
            };
            let mut ranges = Vec::new();
            for (office, count) in groups {
                let pool = pools.len();
                pools.push(LevelQueue::new(role.levels));
                let start = people.len() as u32;
                for _ in 0..count {
                    people.push(Person {
                        role: r,
                        running: None,
                        prospecting_since: None,
                        away: None,
                        queue: LevelQueue::new(role.levels),
                        prospecting_budget_hours: 0.0,
                        prospecting_to_next_lead: 0.0,
                        open_leads: 0,
                        office,
                        pool,
                    });
                }
                ranges.push(start..people.len() as u32);
            }
            role_people.push(first..people.len() as u32);
            office_people.push(role.office_headcount.as_ref().map(|_| ranges));
        }
        let mut prospecting_source = vec![None; s.roles.len()];
        for (i, src) in s.lead_sources.iter().enumerate() {
            if let SourceKind::Prospecting { role, .. } = src.kind
                && prospecting_source[role].is_none()
            {
                prospecting_source[role] = Some(i);
            }
        }
        Staff {
            people,
            role_people,
            office_people,
            pool_base,
            pools,
            prospecting_source,
        }
    }

    /// How many people there are, all roles together.
    #[inline]
    pub fn len(&self) -> usize {
        self.people.len()
    }

    /// Every person's id.
    #[inline]
    pub fn everyone(&self) -> Range<u32> {
        0..self.people.len() as u32
    }

    #[inline]
    pub fn person(&self, p: PersonId) -> &Person {
        &self.people[p as usize]
    }

    #[inline]
    pub fn person_mut(&mut self, p: PersonId) -> &mut Person {
        &mut self.people[p as usize]
    }

    #[inline]
    pub fn role_of(&self, p: PersonId) -> RoleId {
        self.people[p as usize].role
    }

    /// The people of `role`.
    #[inline]
    pub fn members(&self, role: RoleId) -> Range<u32> {
        self.role_people[role].clone()
    }

    /// The people of `role` who serve `office`: the office's people of a role with
    /// people per office, else the whole role (a central role serves every office).
    #[inline]
    pub fn members_in(&self, role: RoleId, office: Option<OfficeId>) -> Range<u32> {
        match (&self.office_people[role], office) {
            (Some(ranges), Some(o)) => ranges.get(o).cloned().unwrap_or(0..0),
            _ => self.role_people[role].clone(),
        }
    }

    /// Whether `role` has people per office (its work stays inside each office).
    #[inline]
    pub fn is_per_office(&self, role: RoleId) -> bool {
        self.office_people[role].is_some()
    }

    /// The pool of work shared by `role` in `office` (the role's one pool if central).
    #[inline]
    pub fn pool_mut(&mut self, role: RoleId, office: Option<OfficeId>) -> &mut LevelQueue {
        let index = match (&self.office_people[role], office) {
            (Some(_), Some(o)) => self.pool_base[role] + o,
            _ => self.pool_base[role],
        };
        &mut self.pools[index]
    }

    /// The pool `person` takes shared work from.
    #[inline]
    pub fn own_pool_mut(&mut self, p: PersonId) -> &mut LevelQueue {
        let pool = self.people[p as usize].pool;
        &mut self.pools[pool]
    }

    /// Free to take work: nothing in hand and not away at an appointment.
    #[inline]
    pub fn is_free(&self, p: PersonId) -> bool {
        let p = &self.people[p as usize];
        p.running.is_none() && p.away.is_none()
    }

    /// The best waiting task of the person's own queue and of his role's pool, as
    /// (level, task) each, dropping dead tasks at their fronts.
    #[inline]
    pub fn peek_work(
        &mut self,
        p: PersonId,
        tasks: &mut TaskSlab,
    ) -> (Option<Waiting>, Option<Waiting>) {
        let person = &mut self.people[p as usize];
        let own = person.queue.peek(tasks);
        let pooled = self.pools[person.pool].peek(tasks);
        (own, pooled)
    }

    /// The lead source the role prospects for, if it prospects.
    #[inline]
    pub fn prospecting_source(&self, role: RoleId) -> Option<usize> {
        self.prospecting_source[role]
    }

    /// Whether any role prospects.
    pub fn anyone_prospects(&self) -> bool {
        self.prospecting_source.iter().any(Option::is_some)
    }
}
