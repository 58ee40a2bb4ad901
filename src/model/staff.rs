//! The staff: people numbered role by role, what each has in hand, his own queue, and
//! each role's shared pool.
//!
//! Invariant: the people of a role are a contiguous range of ids, in role order, so a
//! role's people are found without a search and `PersonId`s never change in a trial.

use std::ops::Range;

use super::meetings::AppointmentId;
use super::work::{LevelQueue, TaskId, TaskSlab};
use crate::scenario::{RoleId, Scenario, SourceKind};

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
}

/// A waiting task and its priority level (0 first).
pub type Waiting = (u8, TaskId);

/// Everyone in the trial, by role, with the pools their roles share.
pub struct Staff {
    people: Vec<Person>,
    role_people: Vec<Range<u32>>,
    pools: Vec<LevelQueue>,
    /// Index of the prospecting source of each role, if it has one.
    prospecting_source: Vec<Option<usize>>,
}

impl Staff {
    pub fn new(s: &Scenario) -> Self {
        let mut people = Vec::new();
        let mut role_people = Vec::new();
        for (r, role) in s.roles.iter().enumerate() {
            let first = people.len() as u32;
            for _ in 0..role.headcount {
                people.push(Person {
                    role: r,
                    running: None,
                    prospecting_since: None,
                    away: None,
                    queue: LevelQueue::new(role.levels),
                    prospecting_budget_hours: 0.0,
                    prospecting_to_next_lead: 0.0,
                    open_leads: 0,
                });
            }
            role_people.push(first..people.len() as u32);
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
            pools: s.roles.iter().map(|r| LevelQueue::new(r.levels)).collect(),
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

    /// The pool of work shared by `role`.
    #[inline]
    pub fn pool_mut(&mut self, role: RoleId) -> &mut LevelQueue {
        &mut self.pools[role]
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
        let pooled = self.pools[person.role].peek(tasks);
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
